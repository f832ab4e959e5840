"""LARS validity of 16-19 study programme aims (FundModel 25 and 82, validity category 1619_EFA) and of
14-16 direct funded aims (FundModel 25 with LDM 320, 321 or 381, validity category 1416_EFA)."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, FIELDS, LDM_1416, NEEDS, closed_message, end_message, ends_on_or_after, has_any_ldm,
    hit, missing_message, new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

STUDY = "16-19 study programmes"
DIRECT_1416 = "14-16 direct funding"


def _study_programme(aim) -> bool:
    return aim.fund_model in (25, 82) and not has_any_ldm(aim, LDM_1416)


def _direct_1416(aim) -> bool:
    return aim.fund_model == 25 and has_any_ldm(aim, LDM_1416)


@rule("LearnAimRef_102", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(25, 82),
      message=start_message(STUDY))
def learn_aim_ref_102(aim):
    if _study_programme(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.EFA_1619))


@rule("LearnAimRef_103", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(25, 82), message=end_message(STUDY))
def learn_aim_ref_103(aim):
    if _study_programme(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.EFA_1619))


@rule("LearnAimRef_104", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(25, 82),
      message=new_start_message(STUDY))
def learn_aim_ref_104(aim):
    if _study_programme(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.EFA_1619))


@rule("LearnAimRef_105", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(25, 82), message=closed_message(STUDY))
def learn_aim_ref_105(aim):
    if _study_programme(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.validity_closed_before_year(aim, lars.EFA_1619))


@rule("LearnAimRef_129", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(25, 82), message=missing_message(STUDY, "1619_EFA"))
def learn_aim_ref_129(aim):
    return _study_programme(aim) and starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, lars.EFA_1619)


@rule("LearnAimRef_122", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(25,),
      message=start_message(DIRECT_1416))
def learn_aim_ref_122(aim):
    if _direct_1416(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.EFA_1416))


@rule("LearnAimRef_123", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(25,), message=end_message(DIRECT_1416))
def learn_aim_ref_123(aim):
    if _direct_1416(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.EFA_1416))


@rule("LearnAimRef_124", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(25,),
      message=new_start_message(DIRECT_1416))
def learn_aim_ref_124(aim):
    if _direct_1416(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.EFA_1416))


@rule("LearnAimRef_125", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(25,), message=closed_message(DIRECT_1416))
def learn_aim_ref_125(aim):
    if _direct_1416(aim) and ends_on_or_after(aim, AUG_2021):
        return hit(lars.validity_closed_before_year(aim, lars.EFA_1416))


@rule("LearnAimRef_134", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(25,), message=missing_message(DIRECT_1416, "1416_EFA"))
def learn_aim_ref_134(aim):
    return _direct_1416(aim) and starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, lars.EFA_1416)
