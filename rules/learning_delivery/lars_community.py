"""LARS validity of community learning aims (FundModel 10, validity category COMM_LEARN) and of tailored
learning aims (FundModel 11, validity category TAILORED_LEARNING)."""

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, AUG_2024, FIELDS, NEEDS, closed_message, end_message, ends_on_or_after, hit,
    missing_message, new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

COMMUNITY = "community learning"
TAILORED = "tailored learning"


@rule("LearnAimRef_106", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(10,),
      message=start_message(COMMUNITY))
def learn_aim_ref_106(aim):
    if ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.COMM_LEARN))


@rule("LearnAimRef_107", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(10,), message=end_message(COMMUNITY))
def learn_aim_ref_107(aim):
    if ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.COMM_LEARN))


@rule("LearnAimRef_108", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(10,),
      message=new_start_message(COMMUNITY))
def learn_aim_ref_108(aim):
    if starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.COMM_LEARN))


@rule("LearnAimRef_109", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(10,), message=closed_message(COMMUNITY))
def learn_aim_ref_109(aim):
    return hit(lars.validity_closed_before_year(aim, lars.COMM_LEARN))


@rule("LearnAimRef_130", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(10,), message=missing_message(COMMUNITY, "COMM_LEARN"))
def learn_aim_ref_130(aim):
    return starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, lars.COMM_LEARN)


@rule("LearnAimRef_148", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(11,),
      message=start_message(TAILORED))
def learn_aim_ref_148(aim):
    if ends_on_or_after(aim, AUG_2024):
        return hit(lars.start_outside_validity(aim, lars.TAILORED_LEARNING))


@rule("LearnAimRef_149", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, fund_models=(11,), message=end_message(TAILORED))
def learn_aim_ref_149(aim):
    if ends_on_or_after(aim, AUG_2024):
        return hit(lars.end_after_validity(aim, lars.TAILORED_LEARNING))


@rule("LearnAimRef_150", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(11,),
      message=new_start_message(TAILORED))
def learn_aim_ref_150(aim):
    if starts_on_or_after(aim, AUG_2024):
        return hit(lars.start_outside_new_starts(aim, lars.TAILORED_LEARNING))


@rule("LearnAimRef_151", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(11,), message=closed_message(TAILORED))
def learn_aim_ref_151(aim):
    return hit(lars.validity_closed_before_year(aim, lars.TAILORED_LEARNING))


@rule("LearnAimRef_152", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      fund_models=(11,), message=missing_message(TAILORED, "TAILORED_LEARNING"))
def learn_aim_ref_152(aim):
    return starts_on_or_after(aim, AUG_2024) and lars.lacks_validity(aim, lars.TAILORED_LEARNING)
