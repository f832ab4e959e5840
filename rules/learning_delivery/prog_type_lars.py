"""Programme types that follow from the aim itself: T Level technical qualifications (LARS_LearnAimRefType
1468), T Level foundation year aims (ZTPR...) and Skills Bootcamp aims."""

from __future__ import annotations

from ilrkit.rules import lars
from ilrkit.rules.cross_record.skills_bootcamps import EVENT_AIMS_OLD
from ilrkit.rules.learning_delivery._lars_terms import aim_ref_type, in_category
from ilrkit.rules.registry import ERROR, Hit, rule

T_LEVEL = 31
BOOTCAMP = 32
TECHNICAL_QUALIFICATION = "1468"  # LARS_LearnAimRefType of a T Level technical qualification
CORE = 5
BOOTCAMP_SUBJECT = 62  # LARS category of Skills Bootcamp subject learning aims
BOOTCAMP_EVENT_AIMS = EVENT_AIMS_OLD  # the event aims ProgType_23 names (Z0059747-9)
PROJECT_S_BOOTCAMPS = "396"


def is_technical_qualification(aim) -> bool:
    return aim_ref_type(aim) == TECHNICAL_QUALIFICATION


@rule("AimType_08", severity=ERROR, entity="LearningDelivery", fields=("AimType",),
      message="{LearnAimRef} is a T Level foundation year aim, which is always recorded as the core aim. Change "
              "the aim type to 5.")
def aimtype_08(aim):
    ref = lars.key(aim["LearnAimRef"]) or ""
    return ref.startswith("ZTPR") and aim.aim_type != CORE


@rule("ProgType_16", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), needs=("LARS",),
      message="{LearnAimRef} is a T Level technical qualification in LARS, so its programme type must be 31 (T "
              "Level). Correct the programme type, or check the learning aim reference.")
def progtype_16(aim):
    if aim.prog_type == T_LEVEL or aim.fund_model == 99 or aim.has_fam("LDM", "384"):
        return None
    return is_technical_qualification(aim)


@rule("ProgType_19", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("ProgType",),
      needs=("LARS",),
      message="This aim has programme type 31 (T Level), but the learner has no T Level technical qualification "
              "recorded as the core aim (aim type 5). Add the technical qualification, or correct the programme "
              "type.")
def progtype_19(learner):
    t_level = [a for a in learner.aims if a.prog_type == T_LEVEL]
    if not t_level:
        return None
    cores = [a for a in learner.aims if a.aim_type == CORE]
    # a core aim LARS does not hold may well be the technical qualification: the LearnAimRef rules report it
    if any(is_technical_qualification(a) or not lars.aim_exists(a) for a in cores):
        return None
    return Hit(record=next((a for a in t_level if a.aim_type == 1), t_level[0]))


@rule("ProgType_23", severity=ERROR, entity="LearningDelivery", fields=("ProgType",),
      message="{LearnAimRef} is a Skills Bootcamp event aim, so its programme type must be 32 (Skills Bootcamp). "
              "Correct the programme type.")
def progtype_23(aim):
    if aim.prog_type == BOOTCAMP or aim.has_fam("LDM", PROJECT_S_BOOTCAMPS):
        return None
    return lars.key(aim["LearnAimRef"]) in BOOTCAMP_EVENT_AIMS


@rule("ProgType_24", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), needs=("LARS",),
      message="{LearnAimRef} is a Skills Bootcamp subject aim in LARS, so its programme type must be 32 (Skills "
              "Bootcamp). Correct the programme type, or check the learning aim reference.")
def progtype_24(aim):
    if aim.prog_type == BOOTCAMP or aim.has_fam("LDM", PROJECT_S_BOOTCAMPS):
        return None
    return in_category(aim, BOOTCAMP_SUBJECT)
