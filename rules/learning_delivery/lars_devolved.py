"""LARS validity of aims funded by a mayoral combined authority or the GLA (DD35, validity category MCA_GLA);
the Adult Level 3 Offer (LDM 378) is left to the Free Courses for Jobs rules."""

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery.lars_common import (
    AUG_2020, AUG_2021, AUG_2023, FIELDS, NEEDS, closed_message, end_message, ends_on_or_after, hit, missing_message,
    new_start_message, start_message, starts_on_or_after)
from ilrkit.rules.registry import ERROR, rule

DEVOLVED = "devolved (combined authority or GLA) funding"
# a devolved aim may instead be valid as community or tailored learning (LearnAimRef_133)
DEVOLVED_CATEGORIES = (lars.MCA_GLA, lars.COMM_LEARN, lars.TAILORED_LEARNING)


def _devolved(aim) -> bool:
    return derived.dd35_devolved_funding(aim) and not aim.has_fam("LDM", "378")


@rule("LearnAimRef_118", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS,
      message=start_message(DEVOLVED))
def learn_aim_ref_118(aim):
    if _devolved(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.start_outside_validity(aim, lars.MCA_GLA))


@rule("LearnAimRef_119", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef", "LearnActEndDate"),
      needs=NEEDS, message=end_message(DEVOLVED))
def learn_aim_ref_119(aim):
    if _devolved(aim) and ends_on_or_after(aim, AUG_2020):
        return hit(lars.end_after_validity(aim, lars.MCA_GLA))


@rule("LearnAimRef_120", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS,
      message=new_start_message(DEVOLVED))
def learn_aim_ref_120(aim):
    if _devolved(aim) and starts_on_or_after(aim, AUG_2021):
        return hit(lars.start_outside_new_starts(aim, lars.MCA_GLA))


@rule("LearnAimRef_121", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      message=closed_message(DEVOLVED))
def learn_aim_ref_121(aim):
    if _devolved(aim):
        return hit(lars.validity_closed_before_year(aim, lars.MCA_GLA))


@rule("LearnAimRef_133", severity=ERROR, entity="LearningDelivery", fields=("LearnAimRef",), needs=NEEDS,
      message=missing_message(DEVOLVED, "MCA_GLA, COMM_LEARN or TAILORED_LEARNING"))
def learn_aim_ref_133(aim):
    return _devolved(aim) and starts_on_or_after(aim, AUG_2023) and lars.lacks_validity(aim, *DEVOLVED_CATEGORIES)
