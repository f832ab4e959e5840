"""Rules about the aim's Outcome and how it fits the end date, achievement date and completion status."""

from ilrkit.rules.columns import blank, filled, number
from ilrkit.rules.registry import ERROR, rule

ACHIEVED, NO_ACHIEVEMENT, OUTCOME_NOT_KNOWN = 1, 3, 8
CONTINUING, COMPLETED = 1, 2


def _skills_bootcamp(aim) -> bool:
    return aim.fund_model == 37 and aim.prog_type == 32


def _apprenticeship_standard_programme(aim) -> bool:
    return aim.aim_type == 1 and aim.fund_model in (36, 99) and aim.prog_type == 25


@rule("Outcome_04", severity=ERROR, entity="LearningDelivery", fields=("Outcome", "AchDate"),
      message="An achievement date ({AchDate}) is filled in but the Outcome is {value}, not 1 (achieved). "
              "If the learner achieved the aim, set the Outcome to 1; if not, clear the achievement date.",
      when=filled("AchDate") & number("Outcome").notin(ACHIEVED))
def outcome_04(aim):
    return not (aim.fund_model == 36 and aim.prog_type == 25)


@rule("Outcome_05", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate", "Outcome"),
      message="The Outcome is 1 (achieved) but the learning actual end date is blank. Enter the date the "
              "learner finished the aim.",
      when=number("Outcome").isin(ACHIEVED) & blank("LearnActEndDate"))
def outcome_05(aim):
    return not _skills_bootcamp(aim)


@rule("Outcome_09", severity=ERROR, entity="LearningDelivery", fields=("CompStatus", "Outcome"),
      message="The Outcome is 8 (learning complete, result not yet known) but the completion status is "
              "{value}. Outcome 8 is only for a learner who has completed the learning: set the completion "
              "status to 2, or correct the Outcome.",
      when=number("Outcome").isin(OUTCOME_NOT_KNOWN) & number("CompStatus").notin(COMPLETED))
def outcome_09(aim):
    return not (_apprenticeship_standard_programme(aim) or _skills_bootcamp(aim))


@rule("Outcome_10", severity=ERROR, entity="LearningDelivery", fields=("CompStatus", "Outcome"),
      message="The Outcome is 3 (no achievement) but the completion status is 1 (continuing). A continuing "
              "learner has no outcome yet: correct the completion status, or clear the Outcome.",
      when=number("Outcome").isin(NO_ACHIEVEMENT) & number("CompStatus").isin(CONTINUING))
def outcome_10(aim):
    return True


@rule("Outcome_11", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate", "Outcome"),
      message="An Outcome ({Outcome}) is filled in but the learning actual end date is blank. Enter the date "
              "the learner finished the aim, or clear the Outcome if the learner is still learning.",
      when=filled("Outcome") & blank("LearnActEndDate"))
def outcome_11(aim):
    return not _skills_bootcamp(aim)


@rule("Outcome_12", severity=ERROR, entity="LearningDelivery", fields=("Outcome", "LearnActEndDate"),
      message="The learning actual end date is {LearnActEndDate} but the Outcome is blank. Enter the Outcome "
              "of the aim (1 achieved, 2 partial, 3 no achievement, 8 not yet known).",
      when=filled("LearnActEndDate") & blank("Outcome"))
def outcome_12(aim):
    return True
