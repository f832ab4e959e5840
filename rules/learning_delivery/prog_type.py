"""Rules about the programme type (ProgType) and the aims and funding that go with it."""

from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of

APPRENTICESHIP_STANDARD, T_LEVEL_FOUNDATION, T_LEVEL = 25, 30, 31
SKILLS_BOOTCAMP, COMBINED_AUTHORITY = 32, 33
T_LEVEL_PLACEMENT = "ZWRKX003"
OCCUPATIONAL_SPECIALISM_CLASS = "ZTLOS"  # class codes ZTLOSxxx
FOUNDATION_YEAR_CLASS = "ZTPR"  # class codes ZTPRxxxx


def _aim_ref(aim) -> str:
    return (aim["LearnAimRef"] or "").upper()


def _t_level_exempt(aim) -> bool:
    # the adult T Level pilot (LDM 384) and non-funded T Levels are not held to the T Level programme type
    return aim.fund_model == 99 or aim.has_fam("LDM", "384")


@rule("ProgType_01", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "AimType"),
      message="The programme type is blank on an aim that is part of a programme (AimType {AimType}). Enter "
              "the programme type, for example 25 for an apprenticeship standard or 31 for a T Level.")
def progtype_01(aim):
    return aim.aim_type in (1, 3) and aim["ProgType"] is None


@rule("ProgType_02", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "AimType"),
      message="A programme type ({value}) is filled in on an aim that is not part of a programme (AimType 4). "
              "Clear the programme type, or correct the aim type if the aim belongs to a programme.")
def progtype_02(aim):
    return aim.aim_type == 4 and aim["ProgType"] is not None


@rule("ProgType_03", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnStartDate"),
      message="The programme type {value} is not a valid programme type for an aim starting on "
              "{LearnStartDate}. Pick the programme type from the dropdown ({codes}).")
def progtype_03(aim):
    if aim.prog_type is None:  # blank, or not a number (the schema checks report that)
        return False
    prog_types = spec_of(aim).codelist("LearningDelivery.ProgType").by_code  # the data's year's list
    code = prog_types.get(str(aim.prog_type))
    if code is None or (aim.start is not None and not code.valid_on(aim.start)):
        return Hit(record=aim, field="ProgType", values={"codes": ", ".join(prog_types)})
    return None


@rule("ProgType_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel", "ProgType"),
      message="This aim is part of an apprenticeship standard (ProgType 25) but its funding model is "
              "{value}. Apprenticeship standards are funded under FundModel 36 (or 81, or 99 if not funded): "
              "correct the funding model or the programme type.")
def progtype_06(aim):
    return aim.prog_type == APPRENTICESHIP_STANDARD and aim.fund_model not in (36, 81, 99)


@rule("ProgType_15", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="This is the T Level industry placement aim (ZWRKX003) but the programme type is {value}. "
              "Set the programme type to 31 (T Level programme).")
def progtype_15(aim):
    return _aim_ref(aim) == T_LEVEL_PLACEMENT and aim.prog_type != T_LEVEL and not _t_level_exempt(aim)


@rule("ProgType_17", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="The aim {LearnAimRef} is a T Level occupational specialism but the programme type is {value}. "
              "Set the programme type to 31 (T Level programme).")
def progtype_17(aim):
    return (_aim_ref(aim).startswith(OCCUPATIONAL_SPECIALISM_CLASS) and aim.prog_type != T_LEVEL
            and not _t_level_exempt(aim))


@rule("ProgType_18", severity=ERROR, scope="learner", entity="LearningDelivery",
      fields=("ProgType", "LearnAimRef", "AimType"),
      message="This aim is recorded as a T Level Foundation Year (ProgType 30) but the learner has no T Level "
              "Foundation Year core aim (a ZTPR learning aim with AimType 5). Add that aim, or correct the "
              "programme type.")
def progtype_18(learner):
    first = next((a for a in learner.aims if a.prog_type == T_LEVEL_FOUNDATION), None)
    if first is None:
        return False
    if any(a.aim_type == 5 and _aim_ref(a).startswith(FOUNDATION_YEAR_CLASS) for a in learner.aims):
        return False
    # the agency reports this once per learner, on the first Foundation Year aim
    return Hit(record=first, field="ProgType")


@rule("ProgType_20", severity=ERROR, entity="LearningDelivery", fields=("ProgType", "LearnAimRef"),
      message="The aim {LearnAimRef} is a T Level Foundation Year aim but the programme type is {value}. "
              "Set the programme type to 30 (T Level Foundation Year).")
def progtype_20(aim):
    return _aim_ref(aim).startswith(FOUNDATION_YEAR_CLASS) and aim.prog_type != T_LEVEL_FOUNDATION


@rule("ProgType_21", severity=ERROR, entity="LearningDelivery", fields=("FundModel", "ProgType"),
      message="This aim is a Skills Bootcamp (ProgType 32) but its funding model is {value}. Skills Bootcamps "
              "are funded under FundModel 37: correct the funding model or the programme type.")
def progtype_21(aim):
    return aim.prog_type == SKILLS_BOOTCAMP and aim.fund_model != 37


@rule("ProgType_22", severity=ERROR, entity="LearningDelivery", fields=("ProgType",),
      message="The programme type is 33 (combined authority programme) but the aim's source of funding (SOF) "
              "is not a mayoral combined authority or the Greater London Authority. Correct the SOF record or "
              "the programme type.")
def progtype_22(aim):
    return aim.prog_type == COMBINED_AUTHORITY and not dd35_devolved_funding(aim)
