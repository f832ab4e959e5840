"""Rules about the outcome grade (OutGrade) and how it fits the Outcome."""

from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.year import codes, spec_of

# The published list of grades (the former Appendix Q). Grades must be in upper case, so no folding.
def valid_grades(aim) -> frozenset[str]:
    return codes(spec_of(aim).year, "LearningDelivery.OutGrade")


# grades that mean the learner did not achieve: fail, unclassified and the exam-board "not achieved" codes
NOT_ACHIEVED_GRADES = frozenset({"FL", "U", "N", "X", "Y"})

ACHIEVED, NO_ACHIEVEMENT, OUTCOME_NOT_KNOWN = 1, 3, 8


@rule("OutGrade_01", severity=ERROR, entity="LearningDelivery", fields=("OutGrade",),
      message="The outcome grade {value} is not on the list of valid ILR outcome grades. Pick the grade from "
              "the dropdown (letters in capitals, for example PA for pass, FL for fail, or 4 for a GCSE).")
def outgrade_01(aim):
    grade = aim["OutGrade"]
    return grade is not None and grade not in valid_grades(aim)


@rule("OutGrade_04", severity=ERROR, entity="LearningDelivery", fields=("OutGrade", "Outcome"),
      message="An outcome grade ({value}) is filled in while the Outcome ({Outcome}) says the result is not "
              "known yet. A grade can only be given once the result is known: enter the Outcome, or clear "
              "the grade.")
def outgrade_04(aim):
    outcome = aim.outcome
    return aim["OutGrade"] is not None and (outcome is None or outcome == OUTCOME_NOT_KNOWN)


@rule("OutGrade_05", severity=ERROR, entity="LearningDelivery", fields=("Outcome", "OutGrade"),
      message="The Outcome is 1 (achieved) but the outcome grade {OutGrade} means the learner did not "
              "achieve. Correct the Outcome or the grade so that they agree.")
def outgrade_05(aim):
    return aim.outcome == ACHIEVED and aim["OutGrade"] in NOT_ACHIEVED_GRADES


@rule("OutGrade_06", severity=ERROR, entity="LearningDelivery", fields=("OutGrade", "Outcome"),
      message="The Outcome is 3 (no achievement) but the outcome grade is {value}. With no achievement the "
              "grade must be FL, U, N, X or Y, or left blank: correct the grade or the Outcome.")
def outgrade_06(aim):
    grade = aim["OutGrade"]
    return aim.outcome == NO_ACHIEVEMENT and grade is not None and grade not in NOT_ACHIEVED_GRADES
