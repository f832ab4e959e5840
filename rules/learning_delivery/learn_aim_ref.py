"""Rules about the learning aim reference (LearnAimRef) that need no LARS look-up."""

import datetime as dt

from ilrkit.rules.registry import ERROR, rule

PROGRAMME_AIM_REF = "ZPROG001"
T_LEVEL_EXCLUDED_AIMS = frozenset({"Z0007834", "Z0007835", "Z0007836", "Z0007837", "Z0007838", "Z0002347",
                                   "ZWRKX001", "ZWRKX002"})
BOOTCAMP_EVENT_AIMS = frozenset({"Z0059747", "Z0059748", "Z0059749"})
HGV_BOOTCAMP_EVENT_AIMS = frozenset({"Z0060439", "Z0009541", "Z0060440", "Z0060441", "Z0060442", "Z0060443"})
HGV_EVENTS_FROM = dt.date(2024, 8, 1)


def _not_one_day(aim) -> bool:
    """Start, planned end and actual end are not all the same day (a missing actual end counts as different)."""
    return not (aim.start is not None and aim.start == aim.plan_end == aim.act_end)


@rule("LearnAimRef_30", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The learning aim reference is {LearnAimRef} and the aim type is {AimType}: ZPROG001 is used for "
              "programme aims (aim type 1) and every programme aim uses it. Correct the aim reference or the "
              "aim type.")
def learn_aim_ref_30(aim):
    ref = aim["LearnAimRef"]
    if ref is None or aim.aim_type is None:
        return False
    return (ref == PROGRAMME_AIM_REF) != (aim.aim_type == 1)


@rule("LearnAimRef_90", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The aim {LearnAimRef} is a traineeship work experience, supported internship or industry "
              "placement aim, which cannot be part of a T Level programme (programme type 31). Remove the aim "
              "from the T Level programme or correct the programme type.")
def learn_aim_ref_90(aim):
    return aim.prog_type == 31 and aim["LearnAimRef"] in T_LEVEL_EXCLUDED_AIMS


@rule("LearnAimRef_126", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The Skills Bootcamp event aim {LearnAimRef} must start, be planned to end and actually end on the "
              "same day, but the dates are {LearnStartDate}, {LearnPlanEndDate} and {LearnActEndDate}. Enter the "
              "day of the event in all three.")
def learn_aim_ref_126(aim):
    return aim["LearnAimRef"] in BOOTCAMP_EVENT_AIMS and _not_one_day(aim)


@rule("LearnAimRef_154", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",),
      message="The HGV Skills Bootcamp event aim {LearnAimRef} must start, be planned to end and actually end on "
              "the same day, but the dates are {LearnStartDate}, {LearnPlanEndDate} and {LearnActEndDate}. Enter "
              "the day of the event in all three.")
def learn_aim_ref_154(aim):
    if aim["LearnAimRef"] not in HGV_BOOTCAMP_EVENT_AIMS or aim.prog_type != 32:
        return False
    return aim.start is not None and aim.start >= HGV_EVENTS_FROM and _not_one_day(aim)
