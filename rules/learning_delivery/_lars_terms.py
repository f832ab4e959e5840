"""Conditions on an aim's LARS record that many agency rule texts repeat (no rules are declared here).

The look-ups themselves are ``ilrkit.rules.lars``; this module only names the agency's recurring groups of
codes ("English and maths basic skills", "level 2 or below", ...) so each rule reads as its text does.
"""

from __future__ import annotations

from ilrkit.rules import lars

# LARS_BasicSkillsType codes the agency's texts call "English and maths basic skills"
ENGLISH_AND_MATHS = frozenset({1, 11, 13, 20, 23, 24, 29, 31, 2, 12, 14, 19, 21, 25, 30, 32, 33, 34, 35})
ESSENTIAL_DIGITAL_SKILLS = 43
DIGITAL_FUNCTIONAL_SKILLS = 44
ESOL = frozenset({36, 37, 38, 39, 40, 41, 42})
# LARS_FrameworkCommonComponent 20: the aim is an English or maths component of an apprenticeship
ENGLISH_OR_MATHS_COMPONENT = "20"

# LARS NotionalNVQLevelv2 groups
LEVEL_2_OR_BELOW = frozenset({"E", "1", "2"})
LEVEL_3_OR_ABOVE = frozenset({"3", "4", "5", "6", "7", "8", "H"})
LEVEL_4_OR_ABOVE = frozenset({"4", "5", "6", "7", "8", "H"})


def level(aim) -> str | None:
    """The aim's NotionalNVQLevelv2 in LARS (upper case), or None when LARS does not hold the aim."""
    return lars.notional_nvq_level_v2(aim)


def aim_ref_type(aim) -> str | None:
    """The aim's LARS_LearnAimRefType (``"0002"``, ``"1468"``, ...), or None."""
    return lars.key(lars.learning_delivery_field(aim, "LearnAimRefType"))


def basic_skills_type(aim) -> int | None:
    """The aim's LARS_BasicSkillsType in effect on its start date."""
    return lars.basic_skills_type(aim, aim.start)


def is_english_or_maths(aim) -> bool:
    """The aim is an English or maths basic skills aim on its start date."""
    return basic_skills_type(aim) in ENGLISH_AND_MATHS


def is_digital_skills(aim) -> bool:
    """Essential digital skills (43) or digital functional skills (44) on the aim's start date."""
    return basic_skills_type(aim) in (ESSENTIAL_DIGITAL_SKILLS, DIGITAL_FUNCTIONAL_SKILLS)


def is_english_or_maths_component(aim) -> bool:
    """An English or maths aim as the apprenticeship rules mean it: an English or maths basic skills type on
    the start date, or LARS_FrameworkCommonComponent 20."""
    component = lars.key(lars.learning_delivery_field(aim, "FrameworkCommonComponent"))
    return is_english_or_maths(aim) or (component is not None and component.lstrip("0") == ENGLISH_OR_MATHS_COMPONENT)


def in_category(aim, ref: int, on_start: bool = False) -> bool:
    """The aim has LARS category ``ref`` (in effect on its start date when ``on_start``)."""
    if on_start:
        return aim.start is not None and lars.has_category(aim, ref, aim.start)
    return lars.has_category(aim, ref)


def ldm(aim, code: str) -> bool:
    return aim.has_fam("LDM", code)


def devolved_full_funding(aim) -> bool:
    """DAM 023: full funding for a learner in a devolved area."""
    return aim.has_fam("DAM", "023")


def table_loaded(record, table: str) -> bool:
    """The loaded LARS set has rows in ``table``: an existence check against a table that was not loaded
    would call every code missing, so those rules stay quiet instead."""
    df = lars.tables(record.ctx).get(table)
    return df is not None and len(df) > 0
