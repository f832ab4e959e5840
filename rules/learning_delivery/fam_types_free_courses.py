"""Level 3 Free Courses for Jobs (LDM 378), the 2023 procurement (LDM 388) and the LARS categories they need.

LARS categories the rules name: 45 and 46 National Skills Fund Level 3 adult offer (rates 1 and 2), 48 the
adult level 3 offer only, 49 the level 3 offer short qualifications, 56 Free Courses for Jobs flexible delivery
(combined authorities and the GLA only), 38 the level 3 entitlement, 65 the 2023 procurement's non-regulated
aims. An aim LARS does not hold is left to the LearnAimRef rules.
"""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery._lars_terms import in_category, level
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, missing
from ilrkit.rules.registry import ERROR, Hit, rule

FREE_COURSES = "378"
PROCUREMENT_2023 = "388"
PROJECT_S = "395"
OFFER_CATEGORIES = (45, 46, 49, 56)
NATIONAL_SKILLS_FUND = (45, 46)
ADULT_OFFER_ONLY = 48
FLEXIBLE_DELIVERY = 56
LEVEL_3_ENTITLEMENT = 38
PROCUREMENT_2023_CATEGORY = 65
REGULATED_GENRES = frozenset({"EOQ", "EOU", "EQQ"})
JUL_2024 = dt.date(2024, 7, 31)


def _in_any(aim, refs) -> bool:
    return any(in_category(aim, ref) for ref in refs)


def _outside_category_dates(aim, refs) -> bool:
    """The aim has one of the categories ``refs`` in LARS, but none of them is in effect on its start date."""
    found = [c for ref in refs for c in lars.categories(aim, ref)]
    return bool(found) and aim.start is not None and not any(c.in_effect_on(aim.start) for c in found)


def _free_courses_hits(aim, values=None):
    return fam_hits(aim, "LDM", {FREE_COURSES}, values=values)


@rule("LearnDelFAMType_98", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This aim is recorded as Level 3 Free Courses for Jobs (LDM 378), but LARS does not list "
              "{LearnAimRef} as part of the level 3 offer. Remove LDM 378, or check the learning aim reference.")
def learndelfamtype_98(aim):
    if aim.start is None or aim.start > JUL_2024 or not aim.has_fam("LDM", FREE_COURSES) or not lars.aim_exists(aim):
        return None
    if _in_any(aim, OFFER_CATEGORIES + (ADULT_OFFER_ONLY,)):
        return None
    return _free_courses_hits(aim)


@rule("LearnDelFAMType_99", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMType",), needs=("LARS",),
      message="LARS lists {LearnAimRef} as part of the adult level 3 offer only, so this adult skills aim needs "
              "the Level 3 Free Courses for Jobs monitoring code (LDM 378). Add LDM 378, or check the learning aim "
              "reference and funding model.")
def learndelfamtype_99(aim):
    if aim.start is None or aim.start > JUL_2024 or aim.has_fam("LDM", FREE_COURSES):
        return None
    if derived.dd35_devolved_funding(aim) or not in_category(aim, ADULT_OFFER_ONLY):
        return None
    return missing(aim, "LDM")


@rule("LearnDelFAMType_110", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fields=("LearnDelFAMCode",),
      needs=("LARS",),
      message="{LearnAimRef} is a Free Courses for Jobs flexible delivery aim, which only combined authorities and "
              "the GLA fund, but its source of funding is not one of them. Record the combined authority's source "
              "of funding code (SOF 110 to 123), or remove LDM 378.")
def learndelfamtype_110(aim):
    if not aim.has_fam("LDM", FREE_COURSES) or aim.is_restart or derived.dd35_devolved_funding(aim):
        return None
    if not in_category(aim, FLEXIBLE_DELIVERY, on_start=True):
        return None
    return fam_hits(aim, "SOF") or missing(aim, "SOF")


@rule("LearnDelFAMType_114", severity=ERROR, entity="LearningDelivery", scope="aim", fields=("LearnStartDate",),
      needs=("LARS",),
      message="This Level 3 Free Courses for Jobs aim (LDM 378) started on {LearnStartDate}, when {LearnAimRef} "
              "was not in the National Skills Fund level 3 offer in LARS. Check the start date and learning aim "
              "reference, or remove LDM 378.")
def learndelfamtype_114(aim):
    if aim.start is None or aim.start > JUL_2024 or not aim.has_fam("LDM", FREE_COURSES) or aim.is_restart:
        return None
    return not derived.dd35_devolved_funding(aim) and _outside_category_dates(aim, NATIONAL_SKILLS_FUND)


@rule("LearnDelFAMType_117", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fields=("LearnDelFAMCode",),
      needs=("LARS",),
      message="LDM 388 (the 2023 adult education budget procurement) is only for regulated qualifications and the "
              "procurement's own non-regulated aims, and LARS lists {LearnAimRef} as neither. Remove LDM 388, or "
              "check the learning aim reference.")
def learndelfamtype_117(aim):
    if not aim.has_fam("LDM", PROCUREMENT_2023):
        return None
    ld = lars.learning_delivery(aim)
    if ld is None or lars.key(ld.get("LearningDeliveryGenre")) in REGULATED_GENRES:
        return None
    return not in_category(aim, PROCUREMENT_2023_CATEGORY) and fam_hits(aim, "LDM", {PROCUREMENT_2023})


@rule("LearnDelFAMType_121", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(38,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This Adult Skills Fund aim is recorded as Level 3 Free Courses for Jobs (LDM 378), but LARS does "
              "not list {LearnAimRef} in the level 3 offer. Remove LDM 378, or check the learning aim reference.")
def learndelfamtype_121(aim):
    if aim.start is None or aim.start <= JUL_2024 or not aim.has_fam("LDM", FREE_COURSES):
        return None
    if aim.has_fam("LDM", PROJECT_S) or not lars.aim_exists(aim) or _in_any(aim, OFFER_CATEGORIES):
        return None
    return _free_courses_hits(aim)


@rule("LearnDelFAMType_125", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(38,),
      fields=("FundModel",), needs=("LARS",),
      message="{LearnAimRef} is a level 3 entitlement aim in LARS and the learner was {age} at the start, so the "
              "Adult Skills Fund only funds it as Level 3 Free Courses for Jobs. Add LDM 378 if it is, or change "
              "the funding model; check the date of birth too.")
def learndelfamtype_125(aim):
    age = aim.age_at_start
    if aim.start is None or aim.start <= JUL_2024 or age is None or age < 24:
        return None
    if aim.has_fam("LDM", FREE_COURSES) or aim.is_restart or aim.has_fam("DAM", "023") or aim.has_fam("LDM", PROJECT_S):
        return None
    if level(aim) == "3" and in_category(aim, LEVEL_3_ENTITLEMENT):
        return Hit(values={"age": age})
    return None


@rule("LearnDelFAMType_129", severity=ERROR, entity="LearningDelivery", scope="aim", fields=("LearnStartDate",),
      needs=("LARS",),
      message="This combined authority Free Courses for Jobs aim (LDM 378) started on {LearnStartDate}, when "
              "{LearnAimRef} was not in the flexible delivery category in LARS. Check the start date and learning "
              "aim reference, or remove LDM 378.")
def learndelfamtype_129(aim):
    if not aim.has_fam("LDM", FREE_COURSES) or aim.is_restart or not derived.dd35_devolved_funding(aim):
        return None
    if _in_any(aim, NATIONAL_SKILLS_FUND):
        return None
    return _outside_category_dates(aim, (FLEXIBLE_DELIVERY,))
