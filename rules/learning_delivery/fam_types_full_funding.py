"""Full funding (FFI 1) claimed where the learner's age, the aim's LARS level and category do not allow it.

Each agency rule covers one span of start dates and one funding model, with its own list of exemptions; the
spans and exemptions are written out as data (``Band``) so that each rule reads like its text. An aim LARS
does not hold is left to the LearnAimRef rules, and so is quiet here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ilrkit.rules import derived
from ilrkit.rules.learning_delivery._lars_terms import (DIGITAL_FUNCTIONAL_SKILLS, ESSENTIAL_DIGITAL_SKILLS,
                                                         LEVEL_2_OR_BELOW, basic_skills_type, in_category,
                                                         is_english_or_maths, level)
from ilrkit.rules.learning_delivery._organisations import known_not_specialist_college
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import as_date, as_int

ENTITLEMENT_CATEGORY = 37  # LARS category: the level 2 legal entitlement
TRADE_UNION_CATEGORY = 19
# PriorLevel codes meaning "level 2 or above"
PRIOR_LEVEL_2_OR_ABOVE = frozenset({4, 6, 7, 8, 9, 10, 97, 98})
LOW_EARNINGS = "391"  # LDM: learner earning below the threshold (Adult Skills Fund)

# the exemptions the agency's texts list, by name
EXEMPTIONS = {
    "apprenticeship": lambda aim: aim.is_apprenticeship,  # DD07
    "traineeship": lambda aim: aim.prog_type == 24 and (in_category(aim, 2) or in_category(aim, 4)),  # DD29
    "olass": lambda aim: aim.has_fam("LDM", "034"),
    "rotl": lambda aim: aim.has_fam("LDM", "328"),
    "active_benefits": derived.dd12_mandated_jsa_esa_uc,
    "other_benefits": derived.dd21_other_state_benefits,
    "benefits": derived.dd38_unemployed_with_benefits,
    "restart": lambda aim: aim.is_restart,
    "english_maths": is_english_or_maths,
    "essential_digital": lambda aim: basic_skills_type(aim) == ESSENTIAL_DIGITAL_SKILLS,
    "digital_functional": lambda aim: basic_skills_type(aim) == DIGITAL_FUNCTIONAL_SKILLS,
    "trade_union": lambda aim: in_category(aim, TRADE_UNION_CATEGORY),
    "steel": lambda aim: aim.has_fam("LDM", "347"),
    "low_wage": lambda aim: aim.has_fam("LDM", "363"),
    "devolved_full_funding": lambda aim: aim.has_fam("DAM", "023"),
    "combined_authority": derived.dd35_devolved_funding,
    # providers of organisation type USDC (specialist designated colleges), from the Organisations set
    "specialist_college": lambda aim: not known_not_specialist_college(aim.ctx),
}


@dataclass(frozen=True)
class Band:
    after: dt.date | None  # starts after this day
    before: dt.date | None  # starts before this day
    min_age: int
    max_age: int | None
    levels: frozenset | None  # the aim's NotionalNVQLevelv2 must be one of these (None: any level)
    exempt: tuple[str, ...]
    entitlement: bool | None = None  # True: must be in category 37; False: must not be; None: either
    prior_level_2: bool = False  # the learner must hold level 2 or above before the start
    low_earnings_exempt: bool = False  # LDM 391 allows full funding


def latest_prior_level(aim) -> int | None:
    """PriorLevel of the learner's latest prior attainment dated on or before the aim's start."""
    start = aim.start
    dated = [(as_date(p.get("DateLevelApp")), p) for p in aim.learner.prior]
    dated = [(d, p) for d, p in dated if d is not None and start is not None and d <= start]
    return as_int(max(dated, key=lambda dp: dp[0])[1].get("PriorLevel")) if dated else None


def _applies(aim, band: Band) -> bool:
    start, age = aim.start, aim.age_at_start
    if start is None or age is None or not aim.has_fam("FFI", "1"):
        return False
    if (band.after and start <= band.after) or (band.before and start >= band.before):
        return False
    if age < band.min_age or (band.max_age is not None and age > band.max_age):
        return False
    if band.levels is not None and level(aim) not in band.levels:
        return False
    if band.entitlement is not None and in_category(aim, ENTITLEMENT_CATEGORY) != band.entitlement:
        return False
    if band.prior_level_2 and latest_prior_level(aim) not in PRIOR_LEVEL_2_OR_ABOVE:
        return False
    if band.low_earnings_exempt and aim.has_fam("LDM", LOW_EARNINGS):
        return False
    return not any(EXEMPTIONS[name](aim) for name in band.exempt)


def full_funding_hits(aim, band: Band):
    if not _applies(aim, band):
        return None
    return fam_hits(aim, "FFI", {"1"}, values={"age": aim.age_at_start, "level": level(aim)})


_FM35_2015 = ("apprenticeship", "olass", "rotl", "active_benefits", "other_benefits", "restart", "english_maths",
              "trade_union", "specialist_college", "steel")
FFI_57 = Band(None, dt.date(2016, 8, 1), 24, None, LEVEL_2_OR_BELOW, _FM35_2015)
FFI_60 = Band(dt.date(2016, 7, 31), dt.date(2017, 8, 1), 24, None, LEVEL_2_OR_BELOW, _FM35_2015)

_FM35_2017 = ("apprenticeship", "traineeship", "olass", "rotl", "other_benefits", "restart", "english_maths",
              "steel", "low_wage", "devolved_full_funding")

FFI_61 = Band(dt.date(2017, 7, 31), dt.date(2020, 8, 1), 19, 23, frozenset({"2"}),
              _FM35_2017 + ("active_benefits",), entitlement=False)
FFI_65 = Band(dt.date(2017, 7, 31), dt.date(2020, 8, 1), 19, 23, LEVEL_2_OR_BELOW, _FM35_2017, prior_level_2=True)
FFI_66 = Band(dt.date(2017, 7, 31), dt.date(2020, 8, 1), 24, None, LEVEL_2_OR_BELOW, _FM35_2017)
FFI_79 = Band(dt.date(2020, 7, 31), dt.date(2024, 8, 1), 19, 23, frozenset({"2"}),
              _FM35_2017 + ("essential_digital",), entitlement=False)
FFI_80 = Band(dt.date(2020, 7, 31), dt.date(2024, 8, 1), 19, 23, LEVEL_2_OR_BELOW,
              _FM35_2017 + ("essential_digital", "digital_functional"), prior_level_2=True)
FFI_81 = Band(dt.date(2020, 7, 31), dt.date(2024, 8, 1), 24, None, LEVEL_2_OR_BELOW,
              ("apprenticeship", "traineeship", "olass", "rotl", "benefits", "restart", "english_maths",
               "low_wage", "devolved_full_funding", "essential_digital", "digital_functional"))
FFI_122 = Band(dt.date(2024, 7, 31), None, 19, 23, frozenset({"2"}),
               ("restart", "english_maths", "devolved_full_funding"), entitlement=False, low_earnings_exempt=True)
FFI_123 = Band(dt.date(2024, 7, 31), None, 19, 23, LEVEL_2_OR_BELOW,
               ("restart", "english_maths", "essential_digital", "digital_functional", "combined_authority"),
               entitlement=False, low_earnings_exempt=True)
FFI_124 = Band(dt.date(2024, 7, 31), None, 24, None, LEVEL_2_OR_BELOW,
               ("restart", "english_maths", "devolved_full_funding", "essential_digital", "digital_functional"),
               low_earnings_exempt=True)
FFI_130 = Band(dt.date(2024, 7, 31), None, 19, 23, None,
               ("restart", "english_maths", "essential_digital", "digital_functional", "combined_authority"),
               entitlement=True, prior_level_2=True, low_earnings_exempt=True)

_FIX = ("Change the funding indicator to co-funded (FFI 2), or add the monitoring record for the exemption that "
        "applies; check the date of birth and the learning aim reference too.")
_FIX_ASF = ("Change the funding indicator to co-funded (FFI 2), or, if the learner earns below the threshold, add "
            "LDM 391; check the date of birth and the learning aim reference too.")


@rule("LearnDelFAMType_57", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS", "Organisations"),
      message="This adult skills aim started before August 2016, is level {level} in LARS, and the learner was "
              "{age} (24 or over) at the start, so it cannot be fully funded (FFI 1). " + _FIX)
def learndelfamtype_57(aim):
    return full_funding_hits(aim, FFI_57)


@rule("LearnDelFAMType_60", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS", "Organisations"),
      message="This adult skills aim started between August 2016 and July 2017, is level {level} in LARS, and the "
              "learner was {age} (24 or over) at the start, so it cannot be fully funded (FFI 1). " + _FIX)
def learndelfamtype_60(aim):
    return full_funding_hits(aim, FFI_60)


@rule("LearnDelFAMType_61", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2017 and July 2020, is a level 2 aim outside the "
              "level 2 entitlement in LARS, and the learner was {age} at the start, so it cannot be fully funded "
              "(FFI 1). " + _FIX)
def learndelfamtype_61(aim):
    return full_funding_hits(aim, FFI_61)


@rule("LearnDelFAMType_65", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2017 and July 2020, is level {level} in LARS, and "
              "the learner was {age} and already held level 2 or above, so it cannot be fully funded (FFI 1). "
              + _FIX)
def learndelfamtype_65(aim):
    return full_funding_hits(aim, FFI_65)


@rule("LearnDelFAMType_66", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2017 and July 2020, is level {level} in LARS, and "
              "the learner was {age} (24 or over) at the start, so it cannot be fully funded (FFI 1). " + _FIX)
def learndelfamtype_66(aim):
    return full_funding_hits(aim, FFI_66)


@rule("LearnDelFAMType_79", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2020 and July 2024, is a level 2 aim outside the "
              "level 2 entitlement in LARS, and the learner was {age} at the start, so it cannot be fully funded "
              "(FFI 1). " + _FIX)
def learndelfamtype_79(aim):
    return full_funding_hits(aim, FFI_79)


@rule("LearnDelFAMType_80", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2020 and July 2024, is level {level} in LARS, and "
              "the learner was {age} and already held level 2 or above, so it cannot be fully funded (FFI 1). "
              + _FIX)
def learndelfamtype_80(aim):
    return full_funding_hits(aim, FFI_80)


@rule("LearnDelFAMType_81", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(35,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This adult skills aim started between August 2020 and July 2024, is level {level} in LARS, and "
              "the learner was {age} (24 or over) at the start, so it cannot be fully funded (FFI 1). " + _FIX)
def learndelfamtype_81(aim):
    return full_funding_hits(aim, FFI_81)


@rule("LearnDelFAMType_122", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(38,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This Adult Skills Fund aim is a level 2 aim outside the level 2 entitlement in LARS and the "
              "learner was {age} at the start, so it cannot be fully funded (FFI 1) unless the learner earns "
              "below the threshold. " + _FIX_ASF)
def learndelfamtype_122(aim):
    return full_funding_hits(aim, FFI_122)


@rule("LearnDelFAMType_123", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(38,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This Adult Skills Fund aim is level {level} in LARS, outside the level 2 entitlement, and the "
              "learner was {age} at the start, so it cannot be fully funded (FFI 1) unless the learner earns "
              "below the threshold. " + _FIX_ASF)
def learndelfamtype_123(aim):
    return full_funding_hits(aim, FFI_123)


@rule("LearnDelFAMType_124", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(38,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This Adult Skills Fund aim is level {level} in LARS and the learner was {age} (24 or over) at "
              "the start, so it cannot be fully funded (FFI 1) unless the learner earns below the threshold. "
              + _FIX_ASF)
def learndelfamtype_124(aim):
    return full_funding_hits(aim, FFI_124)


@rule("LearnDelFAMType_130", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(38,),
      fields=("LearnDelFAMCode",), needs=("LARS",),
      message="This Adult Skills Fund aim is in the level 2 entitlement in LARS, but the learner was {age} at "
              "the start and already held level 2 or above, so it cannot be fully funded (FFI 1) unless the "
              "learner earns below the threshold. " + _FIX_ASF)
def learndelfamtype_130(aim):
    return full_funding_hits(aim, FFI_130)
