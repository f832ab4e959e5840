"""The learner's GCSE English and maths grades, and how they fit the 16-19 funding monitoring codes."""

from ilrkit.rules.columns import blank, children, has_fam, number, where
from ilrkit.rules.registry import ERROR, rule

# grade D (or 3) and below: the learner has not reached a GCSE pass, which 16-19 disadvantage funding
# eligibility (EDF) records
BELOW_PASS = frozenset({"D", "DD", "DE", "E", "EE", "EF", "F", "FF", "FG", "G", "GG", "N", "U", "3", "2", "1"})
# condition of funding codes 2-4: exempt or already met, so there is no grade to record
CONDITION_MET_OR_EXEMPT = ("2", "3", "4")


def _grade(value: str | None) -> str | None:
    return value.strip().upper() if value is not None else None


def _below_pass(value: str | None) -> bool:
    return _grade(value) in BELOW_PASS


def _not_none(value: str | None) -> bool:
    """Anything but the grade NONE (a blank included), which is all a learner exempt from the condition has."""
    return _grade(value) != "NONE"


# the learner has an aim on 16-19 funding (FundModel 25)
_ON_16_19_FUNDING = children("LearningDelivery").any(number("FundModel").isin(25))


@rule("EngGrade_01", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade is missing. Learners on 16-19 funding need it: enter their best English "
              "grade, or NONE if they have no GCSE English.",
      when=blank("EngGrade") & _ON_16_19_FUNDING)
def eng_grade_01(learner):
    return True


@rule("MathGrade_01", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade is missing. Learners on 16-19 funding need it: enter their best maths "
              "grade, or NONE if they have no GCSE maths.",
      when=blank("MathGrade") & _ON_16_19_FUNDING)
def math_grade_01(learner):
    return True


@rule("EngGrade_03", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade {EngGrade} is below a pass, so the learner needs the learner funding and "
              "monitoring record EDF 2 (has not achieved GCSE English by the end of year 11). Add it, or "
              "check the grade.",
      when=where("EngGrade", _below_pass, "is below a pass") & ~has_fam("EDF", "2"))
def eng_grade_03(learner):
    return True


@rule("MathGrade_03", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade {MathGrade} is below a pass, so the learner needs the learner funding and "
              "monitoring record EDF 1 (has not achieved GCSE maths by the end of year 11). Add it, or check "
              "the grade.",
      when=where("MathGrade", _below_pass, "is below a pass") & ~has_fam("EDF", "1"))
def math_grade_03(learner):
    return True


@rule("EngGrade_04", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade is {EngGrade}, but the learner is recorded as exempt from, or having met, "
              "the English condition of funding (ECF 2, 3 or 4). Enter NONE as the English grade, or check "
              "the ECF record.",
      when=has_fam("ECF", *CONDITION_MET_OR_EXEMPT) & where("EngGrade", _not_none, "is not NONE"))
def eng_grade_04(learner):
    return True


@rule("MathGrade_04", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade is {MathGrade}, but the learner is recorded as exempt from, or having met, "
              "the maths condition of funding (MCF 2, 3 or 4). Enter NONE as the maths grade, or check the MCF "
              "record.",
      when=has_fam("MCF", *CONDITION_MET_OR_EXEMPT) & where("MathGrade", _not_none, "is not NONE"))
def math_grade_04(learner):
    return True
