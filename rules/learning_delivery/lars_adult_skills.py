"""LARS validity of adult skills aims: the old adult skills model (FundModel 35, to July 2024) and the Adult
Skills Fund (FundModel 38) under validity category ADULT_SKILLS, and Free Courses for Jobs (FundModel 38 with
LDM 378) under FCFJ_ADULT_SKILLS."""

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, AUG_2024, FIELDS, JUL_2024, NEEDS, closed_message, end_message, ended_between,
    ends_on_or_after, hit, missing_message, new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

ADULT = "adult skills"
ASF = "the Adult Skills Fund"
FCFJ = "Free Courses for Jobs"
# LARS category of Free Courses for Jobs qualifications that only combined authorities and the GLA fund flexibly
FCFJ_DEVOLVED_FLEXIBLE_CATEGORY = 56


def _adult_skills(aim) -> bool:
    """FundModel 35, not an apprenticeship, OLASS (LDM 034), devolved (DD35) or Free Courses for Jobs (LDM 378)."""
    return (aim.fund_model == 35 and not aim.is_apprenticeship and not aim.has_fam("LDM", "034")
            and not aim.has_fam("LDM", "378") and not derived.dd35_devolved_funding(aim))


def _adult_skills_fund(aim) -> bool:
    """FundModel 38, not devolved (DD35), Free Courses for Jobs (LDM 378) or the Project S pilot (LDM 395)."""
    return (aim.fund_model == 38 and not aim.has_fam("LDM", "378") and not aim.has_fam("LDM", "395")
            and not derived.dd35_devolved_funding(aim))


def _free_courses(aim) -> bool:
    return aim.fund_model == 38 and aim.has_fam("LDM", "378")


def _flexible_fcfj(aim) -> bool:
    return lars.has_category(aim, FCFJ_DEVOLVED_FLEXIBLE_CATEGORY)


# --- FundModel 35 (aims that ended by 31 July 2024) ---

@rule("LearnAimRef_94", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message=start_message(ADULT))
def learn_aim_ref_94(aim):
    if _adult_skills(aim) and ended_between(aim, AUG_2020, JUL_2024):
        return hit(lars.start_outside_validity(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_95", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(35,), message=end_message(ADULT))
def learn_aim_ref_95(aim):
    if _adult_skills(aim) and ended_between(aim, AUG_2020, JUL_2024):
        return hit(lars.end_after_validity(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_96", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message=new_start_message(ADULT))
def learn_aim_ref_96(aim):
    if _adult_skills(aim) and ended_between(aim, AUG_2021, JUL_2024):
        return hit(lars.start_outside_new_starts(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_97", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(35,), message=closed_message(ADULT))
def learn_aim_ref_97(aim):
    if _adult_skills(aim) and aim.start is not None and aim.start <= JUL_2024:
        return hit(lars.validity_closed_before_year(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_127", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(35,), message=missing_message(ADULT, "ADULT_SKILLS"))
def learn_aim_ref_127(aim):
    return (_adult_skills(aim) and starts_on_or_after(aim, AUG_2023) and aim.start <= JUL_2024
            and lars.lacks_validity(aim, lars.ADULT_SKILLS))


# --- FundModel 38: the Adult Skills Fund ---

@rule("LearnAimRef_138", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message=start_message(ASF))
def learn_aim_ref_138(aim):
    if _adult_skills_fund(aim) and ends_on_or_after(aim, AUG_2024):
        return hit(lars.start_outside_validity(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_139", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(38,), message=end_message(ASF))
def learn_aim_ref_139(aim):
    if _adult_skills_fund(aim) and ends_on_or_after(aim, AUG_2024):
        return hit(lars.end_after_validity(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_140", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message=new_start_message(ASF))
def learn_aim_ref_140(aim):
    if _adult_skills_fund(aim) and starts_on_or_after(aim, AUG_2024):
        return hit(lars.start_outside_new_starts(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_141", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(38,), message=closed_message(ASF))
def learn_aim_ref_141(aim):
    if _adult_skills_fund(aim) and starts_on_or_after(aim, AUG_2024):
        return hit(lars.validity_closed_before_year(aim, lars.ADULT_SKILLS))


@rule("LearnAimRef_142", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(38,), message=missing_message(ASF, "ADULT_SKILLS"))
def learn_aim_ref_142(aim):
    return _adult_skills_fund(aim) and starts_on_or_after(aim, AUG_2024) and lars.lacks_validity(aim, lars.ADULT_SKILLS)


# --- FundModel 38 with LDM 378: Free Courses for Jobs ---

@rule("LearnAimRef_143", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message=start_message(FCFJ))
def learn_aim_ref_143(aim):
    if _free_courses(aim) and ends_on_or_after(aim, AUG_2024):
        return hit(lars.start_outside_validity(aim, lars.FCFJ_ADULT_SKILLS))


@rule("LearnAimRef_144", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(38,), message=end_message(FCFJ))
def learn_aim_ref_144(aim):
    if _free_courses(aim) and ends_on_or_after(aim, AUG_2024):
        return hit(lars.end_after_validity(aim, lars.FCFJ_ADULT_SKILLS))


@rule("LearnAimRef_145", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message=new_start_message(FCFJ))
def learn_aim_ref_145(aim):
    if _free_courses(aim) and starts_on_or_after(aim, AUG_2024) and not _flexible_fcfj(aim):
        return hit(lars.start_outside_new_starts(aim, lars.FCFJ_ADULT_SKILLS))


@rule("LearnAimRef_146", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(38,), message=closed_message(FCFJ))
def learn_aim_ref_146(aim):
    if _free_courses(aim) and starts_on_or_after(aim, AUG_2024):
        return hit(lars.validity_closed_before_year(aim, lars.FCFJ_ADULT_SKILLS))


@rule("LearnAimRef_147", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(38,), message=missing_message(FCFJ, "FCFJ_ADULT_SKILLS"))
def learn_aim_ref_147(aim):
    return (_free_courses(aim) and starts_on_or_after(aim, AUG_2024) and not aim.has_fam("LDM", "395")
            and not _flexible_fcfj(aim) and lars.lacks_validity(aim, lars.FCFJ_ADULT_SKILLS))
