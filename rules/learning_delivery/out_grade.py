"""Rules about the outcome grade (OutGrade) and how it fits the Outcome."""

from ilrkit.rules.columns import filled, number, text_in
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
              "the dropdown (letters in capitals, for example PA for pass, FL for fail, or 4 for a GCSE).",
      when=filled("OutGrade"))  # each year's own list decides
def outgrade_01(aim):
    grade = aim["OutGrade"]
    return grade is not None and grade not in valid_grades(aim)


@rule("OutGrade_04", severity=ERROR, entity="LearningDelivery", fields=("OutGrade", "Outcome"),
      message="An outcome grade ({value}) is filled in while the Outcome ({Outcome}) says the result is not "
              "known yet. A grade can only be given once the result is known: enter the Outcome, or clear "
              "the grade.",
      when=filled("OutGrade") & number("Outcome").isin(None, OUTCOME_NOT_KNOWN))
def outgrade_04(aim):
    return True


@rule("OutGrade_05", severity=ERROR, entity="LearningDelivery", fields=("Outcome", "OutGrade"),
      message="The Outcome is 1 (achieved) but the outcome grade {OutGrade} means the learner did not "
              "achieve. Correct the Outcome or the grade so that they agree.",
      when=number("Outcome").isin(ACHIEVED) & text_in("OutGrade", *NOT_ACHIEVED_GRADES))
def outgrade_05(aim):
    return True


@rule("OutGrade_06", severity=ERROR, entity="LearningDelivery", fields=("OutGrade", "Outcome"),
      message="The Outcome is 3 (no achievement) but the outcome grade is {value}. With no achievement the "
              "grade must be FL, U, N, X or Y, or left blank: correct the grade or the Outcome.",
      when=number("Outcome").isin(NO_ACHIEVEMENT) & filled("OutGrade") & ~text_in("OutGrade", *NOT_ACHIEVED_GRADES))
def outgrade_06(aim):
    return True
