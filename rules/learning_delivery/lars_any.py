"""LARS validity under the ANY category: apprenticeship standard aims (FundModel 36, ProgType 25), Skills
Bootcamps (37), other adult (81) and non-funded (99) aims; loan-financed aims (ADL) have their own rules."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, FIELDS, NEEDS, closed_message, end_message, ends_on_or_after, hit, missing_message,
    new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

ANY_STREAM = "this funding model"
FUND_MODELS = (36, 37, 81, 99)


def _any_category(aim) -> bool:
    """Apprenticeship standard, Skills Bootcamp, other adult or non-funded aim, not financed by a loan."""
    in_scope = aim.fund_model in (37, 81, 99) or (aim.fund_model == 36 and aim.prog_type == 25)
    return in_scope and not aim.has_fam("ADL")


@rule("LearnAimRef_114", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS,
      fund_models=FUND_MODELS, message=start_message(ANY_STREAM))
def learn_aim_ref_114(aim):
    if _any_category(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.ANY))


@rule("LearnAimRef_115", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=FUND_MODELS, message=end_message(ANY_STREAM))
def learn_aim_ref_115(aim):
    if _any_category(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.ANY))


@rule("LearnAimRef_116", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS,
      fund_models=FUND_MODELS, message=new_start_message(ANY_STREAM))
def learn_aim_ref_116(aim):
    if _any_category(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.ANY))


@rule("LearnAimRef_117", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(37, 81, 99), message=closed_message(ANY_STREAM))
def learn_aim_ref_117(aim):
    return hit(lars.validity_closed_before_year(aim, lars.ANY))


@rule("LearnAimRef_132", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=FUND_MODELS, message=missing_message(ANY_STREAM, "ANY"))
def learn_aim_ref_132(aim):
    return _any_category(aim) and starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, lars.ANY)
