"""Eligibility read across records: prior attainment, age, earnings and benefits for funded offers."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.derived import dd38_unemployed_with_benefits
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

PRIOR_ATTAINMENT_FUND_MODELS = frozenset({35, 36, 37, 38, 81, 99})
FULL_LEVEL_3_OR_ABOVE = frozenset({"6", "7", "8", "9", "10", "97", "98"})
BELOW_FULL_LEVEL_3 = frozenset({"1", "2", "3", "4", "5", "99"})
APR_2022 = dt.date(2022, 4, 1)
JUL_2024 = dt.date(2024, 7, 31)
AUG_2024 = dt.date(2024, 8, 1)
FREE_COURSES = "378"  # LDM: Level 3 Free Courses for Jobs
LOW_WAGE_OFFER = "382"  # LDM: Free Courses for Jobs low wage learner (2022-24)
BELOW_EARNINGS_THRESHOLD = "391"


def _ldm_fam(aim, code: str) -> dict:
    return next(f for f in aim.fams if f.get("LearnDelFAMType") == "LDM" and f.get("LearnDelFAMCode") == code)


def _prior_levels(learner) -> set:
    return {p.get("PriorLevel") for p in learner.prior}


@rule("R_131", severity=ERROR, scope="learner", entity="PriorAttain", fields=("DateLevelApp",),
      message="No prior attainment is recorded as applying on or before the learner's earliest start date "
              "({earliest}) on adult, apprenticeship or non-funded provision. Record the learner's prior "
              "attainment level as it was when they first started.")
def r_131(learner):
    starts = [a.start for a in learner.aims if a.fund_model in PRIOR_ATTAINMENT_FUND_MODELS and a.start]
    if not starts:
        return None
    earliest = min(starts)
    dates = [as_date(p.get("DateLevelApp")) for p in learner.prior]
    # an undated record is the field rules' business, not a missing record
    if any(d is None or d <= earliest for d in dates):
        return None
    values = {"earliest": earliest.isoformat()}
    if learner.prior:
        first = min(learner.prior, key=lambda p: as_date(p.get("DateLevelApp")))
        return Hit(record=first, field="DateLevelApp", entity="PriorAttain", values=values)
    aim = min((a for a in learner.aims if a.fund_model in PRIOR_ATTAINMENT_FUND_MODELS and a.start),
              key=lambda a: a.start)
    return Hit(record=aim, field="LearnStartDate", entity="LearningDelivery", values=values)


@rule("R_132", severity=ERROR, scope="aim", entity="LearningDeliveryFAM", fields=("LearnDelFAMCode",),
      message="This aim is on the Level 3 Free Courses for Jobs offer (LDM 378) but the learner already holds a "
              "full level 3 or above, and is not recorded as unemployed on benefits or as a low-wage learner "
              "(LDM 382). Check the learner's eligibility, prior attainment and benefit status.")
def r_132(aim):
    start = aim.start
    if start is None or not APR_2022 <= start <= JUL_2024 or not aim.has_fam("LDM", FREE_COURSES):
        return None
    if aim.has_fam("DAM", "023") or aim.has_fam("LDM", LOW_WAGE_OFFER):
        return None
    if not _prior_levels(aim.learner) & FULL_LEVEL_3_OR_ABOVE or dd38_unemployed_with_benefits(aim):
        return None
    return Hit(record=_ldm_fam(aim, FREE_COURSES), field="LearnDelFAMCode", entity="LearningDeliveryFAM")


@rule("R_148", severity=ERROR, scope="aim", entity="LearningDeliveryFAM", fields=("LearnDelFAMCode",),
      message="This aim is on the Level 3 Free Courses for Jobs offer (LDM 378) for a learner aged 19 to 23, "
              "but the learner is neither recorded as earning below the threshold (LDM 391) nor as having prior "
              "attainment below a full level 3. Check the learner's eligibility.")
def r_148(aim):
    start = aim.start
    if start is None or start < AUG_2024 or not aim.has_fam("LDM", FREE_COURSES):
        return None
    age = aim.age_at_start
    if age is None or not 19 <= age <= 23 or aim.has_fam("LDM", BELOW_EARNINGS_THRESHOLD):
        return None
    if _prior_levels(aim.learner) & BELOW_FULL_LEVEL_3:
        return None
    return Hit(record=_ldm_fam(aim, FREE_COURSES), field="LearnDelFAMCode", entity="LearningDeliveryFAM")


@rule("R_151", severity=ERROR, scope="aim", entity="LearningDeliveryFAM", fields=("LearnDelFAMCode",),
      fund_models=(38,),
      message="This Adult Skills Fund aim is on the Level 3 Free Courses for Jobs offer (LDM 378) for a learner "
              "aged 24 or over, who must earn below the earnings threshold, but LDM 391 is not recorded. Add "
              "LDM 391 if the learner is eligible, or remove LDM 378.")
def r_151(aim):
    start = aim.start
    if start is None or start < AUG_2024 or not aim.has_fam("LDM", FREE_COURSES):
        return None
    age = aim.age_at_start
    if age is None or age < 24 or aim.has_fam("LDM", BELOW_EARNINGS_THRESHOLD) or aim.has_fam("DAM", "023"):
        return None
    return Hit(record=_ldm_fam(aim, FREE_COURSES), field="LearnDelFAMCode", entity="LearningDeliveryFAM")
