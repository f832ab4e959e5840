"""Age limits that depend on the aim's or the standard's level in LARS (level 3 adult funding, foundation and
level 7 apprenticeships)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery._lars_terms import LEVEL_3_OR_ABOVE, aim_ref_type, in_category, level
from ilrkit.rules.learning_delivery._organisations import known_not_specialist_college
from ilrkit.rules.registry import ERROR, Hit, rule

# LARS_LearnAimRefType codes of A levels, which adults may take on adult skills funding at any age
A_LEVEL_TYPES = frozenset({"0002", "1413", "1430", "1431", "1453"})
FOUNDATION_APPRENTICESHIP = "A0001"  # LARS_Standard ApprenticeshipStandardTypeCode
AUG_2015, JUL_2016 = dt.date(2015, 8, 1), dt.date(2016, 7, 31)
AUG_2016, JUL_2017 = dt.date(2016, 8, 1), dt.date(2017, 7, 31)
TRADE_UNION_CATEGORY = 19
AUG_2017, JUL_2024, AUG_2024 = dt.date(2017, 8, 1), dt.date(2024, 7, 31), dt.date(2024, 8, 1)
AUG_2025, JAN_2026 = dt.date(2025, 8, 1), dt.date(2026, 1, 1)


def _level_3_adult(aim) -> bool:
    """24 or over at the start of a level 3 or above aim that is not an A level."""
    age = aim.age_at_start
    return (age is not None and age >= 24 and level(aim) in LEVEL_3_OR_ABOVE
            and aim_ref_type(aim) not in A_LEVEL_TYPES and not aim.is_restart
            and not aim.has_fam("DAM", "023") and not aim.has_fam("LDM", "378"))


def _level_3_adult_2015(aim, first: dt.date, last: dt.date, last_inclusive: bool):
    """DateOfBirth_32/49: 24 or over at the start of a level 3 or above adult skills aim started in the span."""
    start, age = aim.start, aim.age_at_start
    if start is None or age is None or age < 24 or not first <= start <= last:
        return None
    if start == last and not last_inclusive:
        return None
    if aim.is_apprenticeship or aim.is_restart or aim.has_fam("LDM", "034") or aim.has_fam("LDM", "347"):
        return None
    if level(aim) not in LEVEL_3_OR_ABOVE or in_category(aim, TRADE_UNION_CATEGORY):
        return None
    return known_not_specialist_college(aim.ctx) and Hit(values={"age": age, "level": level(aim)})


@rule("DateOfBirth_32", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(35,),
      fields=("FundModel",), needs=("LARS", "Organisations"),
      message="Aim {AimSeqNumber} ({LearnAimRef}) started in 2015-16, is level {level} in LARS and the learner "
              "was {age} when it started, so it cannot be adult skills funded (FundModel 35). Change the funding "
              "model, or check the date of birth and the learning aim reference.")
def date_of_birth_32(aim):
    # the text's "< 2016-07-31" beside "on or prior to 31 July 2016": 31 July 2016 itself is left out
    return _level_3_adult_2015(aim, AUG_2015, JUL_2016, last_inclusive=False)


@rule("DateOfBirth_49", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(35,),
      fields=("FundModel",), needs=("LARS", "Organisations"),
      message="Aim {AimSeqNumber} ({LearnAimRef}) started in 2016-17, is level {level} in LARS and the learner "
              "was {age} when it started, so it cannot be adult skills funded (FundModel 35). Change the funding "
              "model, or check the date of birth and the learning aim reference.")
def date_of_birth_49(aim):
    return _level_3_adult_2015(aim, AUG_2016, JUL_2017, last_inclusive=True)


@rule("DateOfBirth_55", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(35,),
      fields=("FundModel",), needs=("LARS",),
      message="Aim {AimSeqNumber} ({LearnAimRef}) is level {level} in LARS and the learner was {age} when it "
              "started, so it cannot be adult skills funded (FundModel 35): learners aged 24 or over are funded "
              "for level 3 and above through Advanced Learner Loans. Change the funding model, or check the date "
              "of birth and the learning aim reference.")
def date_of_birth_55(aim):
    start = aim.start
    if start is None or not AUG_2017 <= start <= JUL_2024 or aim.is_apprenticeship or aim.has_fam("LDM", "034"):
        return None
    return _level_3_adult(aim) and Hit(values={"age": aim.age_at_start, "level": level(aim)})


@rule("DateOfBirth_56", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(38,),
      fields=("FundModel",), needs=("LARS",),
      message="Aim {AimSeqNumber} ({LearnAimRef}) is level {level} in LARS and the learner was {age} when it "
              "started, so it cannot be Adult Skills Fund funded (FundModel 38) unless it is a Level 3 Free "
              "Courses for Jobs aim (LDM 378) or fully funded in a devolved area (DAM 023). Change the funding "
              "model or add the record that applies, or check the date of birth and the learning aim reference.")
def date_of_birth_56(aim):
    start = aim.start
    if start is None or start < AUG_2024 or aim.has_fam("LDM", "395"):
        return None
    return _level_3_adult(aim) and Hit(values={"age": aim.age_at_start, "level": level(aim)})


def _standard(aim) -> list:
    """The LARS_Standard rows of the aim's StdCode."""
    return lars.standards(aim.ctx, aim["StdCode"]) if aim["StdCode"] is not None else []


def _dob_hit(aim, values: dict) -> Hit:
    return Hit(record=aim.learner, field="DateOfBirth", entity="Learner",
               values={"AimSeqNumber": aim["AimSeqNumber"], "StdCode": aim["StdCode"], **values})


def _new_funded_standard_programme(aim, since: dt.date) -> bool:
    return (aim.aim_type == 1 and aim.prog_type == 25 and aim.start is not None and aim.start >= since
            and not aim.is_restart)


@rule("DateOfBirth_59", severity=ERROR, entity="Learner", scope="aim", fund_models=(36,),
      fields=("DateOfBirth",), needs=("LARS",),
      message="The learner was {age} when the foundation apprenticeship (standard {StdCode}, aim {AimSeqNumber}) "
              "started; funded foundation apprenticeships are for learners under 25. Check the date of birth, or "
              "record the apprenticeship standard that applies.")
def date_of_birth_59(aim):
    age = aim.age_at_start
    if age is None or age < 25 or not _new_funded_standard_programme(aim, AUG_2025):
        return None
    if any(lars.key(s["ApprenticeshipStandardTypeCode"]) == FOUNDATION_APPRENTICESHIP for s in _standard(aim)):
        return _dob_hit(aim, {"age": age})
    return None


@rule("DateofBirth_60", severity=ERROR, entity="Learner", scope="aim", fund_models=(36,),
      fields=("DateOfBirth",), needs=("LARS",),
      message="The learner was {age} when the level 7 apprenticeship (standard {StdCode}, aim {AimSeqNumber}) "
              "started. From January 2026 a funded level 7 apprenticeship needs the learner to be 16 to 21 at the "
              "start, or under 25 and a care leaver (LDM 362) or with an education, health and care plan (EHC). "
              "Check the date of birth, or add the care leaver or EHC record that applies.")
def date_of_birth_60(aim):
    age = aim.age_at_start
    if age is None or not _new_funded_standard_programme(aim, JAN_2026) or 16 <= age <= 21:
        return None
    if age < 25 and (aim.has_fam("LDM", "362") or aim.learner.has_fam("EHC")):
        return None
    if any(lars.key(s["NotionalEndLevel"]) == "7" for s in _standard(aim)):
        return _dob_hit(aim, {"age": age})
    return None
