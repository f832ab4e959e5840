"""The learner's GCSE English and maths grades, and how they fit the 16-19 funding monitoring codes."""

from ilrkit.rules.registry import ERROR, rule

# grade D (or 3) and below: the learner has not reached a GCSE pass, which 16-19 disadvantage funding
# eligibility (EDF) records
BELOW_PASS = frozenset({"D", "DD", "DE", "E", "EE", "EF", "F", "FF", "FG", "G", "GG", "N", "U", "3", "2", "1"})
# condition of funding codes 2-4: exempt or already met, so there is no grade to record
CONDITION_MET_OR_EXEMPT = ("2", "3", "4")


def _grade(learner, field) -> str | None:
    value = learner[field]
    return value.strip().upper() if value is not None else None


def _on_16_19_funding(learner) -> bool:
    return any(a.fund_model == 25 for a in learner.aims)


@rule("EngGrade_01", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade is missing. Learners on 16-19 funding need it: enter their best English "
              "grade, or NONE if they have no GCSE English.")
def eng_grade_01(learner):
    return learner["EngGrade"] is None and _on_16_19_funding(learner)


@rule("MathGrade_01", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade is missing. Learners on 16-19 funding need it: enter their best maths "
              "grade, or NONE if they have no GCSE maths.")
def math_grade_01(learner):
    return learner["MathGrade"] is None and _on_16_19_funding(learner)


@rule("EngGrade_03", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade {EngGrade} is below a pass, so the learner needs the learner funding and "
              "monitoring record EDF 2 (has not achieved GCSE English by the end of year 11). Add it, or "
              "check the grade.")
def eng_grade_03(learner):
    return _grade(learner, "EngGrade") in BELOW_PASS and not learner.has_fam("EDF", "2")


@rule("MathGrade_03", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade {MathGrade} is below a pass, so the learner needs the learner funding and "
              "monitoring record EDF 1 (has not achieved GCSE maths by the end of year 11). Add it, or check "
              "the grade.")
def math_grade_03(learner):
    return _grade(learner, "MathGrade") in BELOW_PASS and not learner.has_fam("EDF", "1")


@rule("EngGrade_04", severity=ERROR, entity="Learner", fields=("EngGrade",),
      message="The GCSE English grade is {EngGrade}, but the learner is recorded as exempt from, or having met, "
              "the English condition of funding (ECF 2, 3 or 4). Enter NONE as the English grade, or check "
              "the ECF record.")
def eng_grade_04(learner):
    return (any(learner.has_fam("ECF", c) for c in CONDITION_MET_OR_EXEMPT)
            and _grade(learner, "EngGrade") != "NONE")


@rule("MathGrade_04", severity=ERROR, entity="Learner", fields=("MathGrade",),
      message="The GCSE maths grade is {MathGrade}, but the learner is recorded as exempt from, or having met, "
              "the maths condition of funding (MCF 2, 3 or 4). Enter NONE as the maths grade, or check the MCF "
              "record.")
def math_grade_04(learner):
    return (any(learner.has_fam("MCF", c) for c in CONDITION_MET_OR_EXEMPT)
            and _grade(learner, "MathGrade") != "NONE")
