"""The learner's planned learning hours and planned employability, enrichment and pastoral (EEP) hours.

T Level programmes (16-19 funding with ProgType 31) are planned differently, so most of these leave them
out; "other 16-19 provision" (FundModel 82) too.
"""

from ilrkit.rules.columns import blank, children, filled, number
from ilrkit.rules.learner._common import all_aims_closed, is_t_level
from ilrkit.rules.registry import ERROR, WARNING, rule

HOURS_MUST_NOT_BE_ZERO = frozenset({25, 35, 38, 37, 81, 10, 99})


def _total(learner) -> int:
    return (learner.int("PlanLearnHours") or 0) + (learner.int("PlanEEPHours") or 0)


def _either_hours_over(half: int):
    """A total (learning plus EEP hours) above twice ``half`` needs one of them above ``half``."""
    return number("PlanLearnHours").compare(">", half) | number("PlanEEPHours").compare(">", half)


def _counts_for_total(aim) -> bool:
    return aim.fund_model != 82 and not is_t_level(aim)


def _study_programme(aim) -> bool:
    """A 16-19 funded aim that is not a T Level."""
    return aim.fund_model == 25 and not is_t_level(aim)


@rule("PlanLearnHours_01", severity=ERROR, entity="Learner", fields=("PlanLearnHours",),
      message="The planned learning hours are missing. Enter the hours of planned learning for the learner's "
              "programme this teaching year.",
      when=blank("PlanLearnHours"))
def plan_learn_hours_01(learner):
    if all_aims_closed(learner):
        return False
    return any(not a.is_apprenticeship and _counts_for_total(a) for a in learner.aims)


@rule("PlanEEPHours_01", severity=ERROR, entity="Learner", fields=("PlanEEPHours",),
      message="The planned employability, enrichment and pastoral hours are missing. Learners on 16-19 "
              "funding need them: enter the planned hours, or 0 if there are none.",
      # a study programme aim is 16-19 funded (FundModel 25): the column test leaves the others out
      when=blank("PlanEEPHours") & children("LearningDelivery").any(number("FundModel").isin(25)))
def plan_eep_hours_01(learner):
    if all_aims_closed(learner):
        return False
    return any(_study_programme(a) and not a.is_apprenticeship for a in learner.aims)


@rule("PlanLearnHours_02", severity=WARNING, entity="Learner", fields=("PlanLearnHours",),
      message="The planned learning hours are 0. A learner on this funding should have some planned learning "
              "hours: enter the planned hours.",
      when=number("PlanLearnHours").isin(0))
def plan_learn_hours_02(learner):
    return any(a.fund_model in HOURS_MUST_NOT_BE_ZERO and not is_t_level(a) for a in learner.aims)


@rule("PlanLearnHours_03", severity=ERROR, entity="Learner", fields=("PlanLearnHours",),
      message="The planned learning hours ({PlanLearnHours}) and planned employability, enrichment and "
              "pastoral hours ({PlanEEPHours}) add up to 0. A learner on 16-19 funding must have some planned "
              "hours: enter them.",
      # a positive PlanLearnHours only adds up to 0 with negative EEP hours
      when=filled("PlanLearnHours") & ~(number("PlanLearnHours").compare(">", 0)
                                        & ~number("PlanEEPHours").compare("<", 0)))
def plan_learn_hours_03(learner):
    if _total(learner) != 0:
        return False
    return any(_study_programme(a) for a in learner.aims)


@rule("PlanLearnHours_04", severity=ERROR, entity="Learner", fields=("PlanLearnHours",),
      message="The planned learning hours ({PlanLearnHours}) and planned employability, enrichment and "
              "pastoral hours ({PlanEEPHours}) add up to more than 1,000. Check both: they are for this "
              "teaching year only.",
      when=_either_hours_over(500))
def plan_learn_hours_04(learner):
    return _total(learner) > 1000 and any(_counts_for_total(a) for a in learner.aims)


@rule("PlanLearnHours_05", severity=ERROR, entity="Learner", fields=("PlanLearnHours",),
      message="The planned learning hours ({PlanLearnHours}) and planned employability, enrichment and "
              "pastoral hours ({PlanEEPHours}) add up to more than 4,000, which cannot be right for one "
              "teaching year. Check both figures.",
      when=filled("PlanLearnHours") & _either_hours_over(2000))
def plan_learn_hours_05(learner):
    if _total(learner) <= 4000:
        return False
    return any(_counts_for_total(a) for a in learner.aims)
