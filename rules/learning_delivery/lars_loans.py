"""LARS validity of aims financed by an Advanced Learner Loan (FundModel 99 with an ADL learning delivery FAM,
validity category ADV_LEARN_LOAN)."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, FIELDS, NEEDS, closed_message, end_message, ends_on_or_after, hit, missing_message,
    new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

LOANS = "Advanced Learner Loans"


def _loan(aim) -> bool:
    return aim.has_fam("ADL")


@rule("LearnAimRef_110", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(99,),
      message=start_message(LOANS))
def learn_aim_ref_110(aim):
    if _loan(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.ADV_LEARN_LOAN))


@rule("LearnAimRef_111", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(99,), message=end_message(LOANS))
def learn_aim_ref_111(aim):
    if _loan(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.ADV_LEARN_LOAN))


@rule("LearnAimRef_112", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(99,),
      message=new_start_message(LOANS))
def learn_aim_ref_112(aim):
    if _loan(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.ADV_LEARN_LOAN))


@rule("LearnAimRef_113", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(99,), message=closed_message(LOANS))
def learn_aim_ref_113(aim):
    if _loan(aim):
        return hit(lars.validity_closed_before_year(aim, lars.ADV_LEARN_LOAN))


@rule("LearnAimRef_131", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(99,), message=missing_message(LOANS, "ADV_LEARN_LOAN"))
def learn_aim_ref_131(aim):
    return _loan(aim) and starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, lars.ADV_LEARN_LOAN)
