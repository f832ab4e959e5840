"""English and maths minimum hours (learner FAM types EMH and MMH) for 16-19 learners on a condition of
funding aim (LARS validity category EFACONFUNDENGLISH or EFACONFUNDMATHS, or a King's Trust TEAM aim)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import lars
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_int

# the King's Trust TEAM programme aims, which count as condition of funding aims with LDM 331
KINGS_TRUST_AIMS = frozenset({"60023995", "60027307", "60027629", "60032121", "60033344"})
BELOW_GRADE_4 = frozenset({"3", "2", "1", "U", "D", "E", "F", "G", "X", "NONE"})
BELOW_GRADE_3 = BELOW_GRADE_4 - {"3", "D"}
EXEMPT_CODES = frozenset({"1", "2", "3", "4"})
FUNCTIONAL_SKILLS_PASS = "5"
MINIMUM_PLANNED_HOURS = 150
T_LEVELS_FROM = dt.date(2022, 8, 1)


def _condition_of_funding_aim(aim, category: str) -> bool:
    if aim.fund_model != 25 or not aim.has_fam("SOF", "107"):
        return False
    if aim.prog_type == 31 and aim.start is not None and aim.start < T_LEVELS_FROM:
        return False
    if lars.key(aim["LearnAimRef"]) in KINGS_TRUST_AIMS and aim.has_fam("LDM", "331"):
        return True
    return lars.has_validity(aim, category)


def _planned_hours_150(learner) -> bool:
    planned = (as_int(learner["PlanLearnHours"]) or 0) + (as_int(learner["PlanEEPHours"]) or 0)
    if planned >= MINIMUM_PLANNED_HOURS:
        return True
    t_levels = [a for a in learner.aims if a.prog_type == 31 and a.aim_type == 1 and a.start is not None]
    latest = max(t_levels, key=lambda a: a.start) if t_levels else None
    return latest is not None and (latest.int("PHours") or 0) >= MINIMUM_PLANNED_HOURS


def _needs_minimum_hours(learner, *, exemption: str, grade_field: str, category: str, hours_type: str) -> bool:
    age = learner.age_on_31_august
    if age is None or age < 16 or learner.has_fam(hours_type):
        return False
    codes = set(learner.fam_codes(exemption))
    grade = (learner[grade_field] or "").strip().upper()
    if codes & EXEMPT_CODES or grade not in BELOW_GRADE_4:
        return False
    if FUNCTIONAL_SKILLS_PASS in codes and grade in BELOW_GRADE_3:
        return False
    return _planned_hours_150(learner) and any(_condition_of_funding_aim(a, category) for a in learner.aims)


def _missing(learner, fam_type: str) -> Hit:
    return Hit(record={**learner.row, "_col": fam_type}, field="LearnFAMType", entity="Learner",
               values={"missing_type": fam_type})


@rule("R_155", severity=ERROR, scope="learner", entity="Learner", fields=("LearnFAMType",), needs=("LARS",),
      message="This 16-19 funded learner is on an English condition of funding aim, has not yet got English "
              "GCSE grade 4 or above ({EngGrade}) and is planned for 150 hours or more, so the English minimum "
              "hours (learner FAM type EMH) must be recorded. Add the EMH record, or the English condition of "
              "funding exemption (ECF) that applies.")
def r_155(learner):
    return _needs_minimum_hours(learner, exemption="ECF", grade_field="EngGrade", category="EFACONFUNDENGLISH",
                                hours_type="EMH") and _missing(learner, "EMH")


@rule("R_156", severity=ERROR, scope="learner", entity="Learner", fields=("LearnFAMType",), needs=("LARS",),
      message="This 16-19 funded learner is on a maths condition of funding aim, has not yet got maths GCSE "
              "grade 4 or above ({MathGrade}) and is planned for 150 hours or more, so the maths minimum hours "
              "(learner FAM type MMH) must be recorded. Add the MMH record, or the maths condition of funding "
              "exemption (MCF) that applies.")
def r_156(learner):
    return _needs_minimum_hours(learner, exemption="MCF", grade_field="MathGrade", category="EFACONFUNDMATHS",
                                hours_type="MMH") and _missing(learner, "MMH")
