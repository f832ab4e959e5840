"""Adult skills aims and the aim's level in LARS (NotionalNVQLevelv2): no level 4 aims, level 3 aims only with
the legal entitlement category (38), and not for learners who already hold a full level 3."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery._organisations import known_not_specialist_college
from ilrkit.rules.learning_delivery.lars_common import AUG_2016, AUG_2017, AUG_2024, JUL_2017, JUL_2024, NEEDS
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import as_date, as_int

FIELDS = ("LearnAimRef",)
LEVEL_3_ENTITLEMENT_CATEGORY = 38
# PriorLevel codes for a full level 3 or above
FULL_LEVEL_3_OR_ABOVE = frozenset({6, 7, 8, 9, 10, 97, 98})


def _level(aim) -> str | None:
    return lars.notional_nvq_level_v2(aim)


def _fully_funded_in_devolved_area(aim) -> bool:
    return aim.has_fam("DAM", "023")


def prior_level_at_start(aim) -> int | None:
    """The learner's PriorLevel from the latest prior attainment record dated on or before the aim's start."""
    if aim.start is None:
        return None
    dated = [(as_date(p.get("DateLevelApp")), p) for p in aim.learner.prior]
    dated = [(day, p) for day, p in dated if day is not None and day <= aim.start]
    if not dated:
        return None
    return as_int(max(dated, key=lambda pair: pair[0])[1].get("PriorLevel"))


def _started_between(aim, first: dt.date, last: dt.date) -> bool:
    return aim.start is not None and first <= aim.start <= last


def _old_adult_skills_excluded(aim) -> bool:
    """Apprenticeships, restarts and full funding in devolved areas are outside the FundModel 35 level rules."""
    return aim.is_apprenticeship or aim.is_restart or _fully_funded_in_devolved_area(aim)


@rule("LearnAimRef_79", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message="The aim {LearnAimRef} is a level 4 aim in LARS, which adult skills (funding model 35) does not fund. "
              "Check the aim reference, or record the aim under another funding model.")
def learn_aim_ref_79(aim):
    return (_started_between(aim, AUG_2016, JUL_2024) and not _old_adult_skills_excluded(aim)
            and not aim.has_fam("LDM", "034") and _level(aim) == "4")


@rule("LearnAimRef_84", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message="The aim {LearnAimRef} is a level 3 aim, but on its start date ({LearnStartDate}) LARS does not list it "
              "in the level 3 legal entitlement category (38), so adult skills cannot fund it. Check the aim "
              "reference and the start date.")
def learn_aim_ref_84(aim):
    if not _started_between(aim, AUG_2017, JUL_2024) or _old_adult_skills_excluded(aim):
        return False
    if aim.has_fam("LDM", "034") or aim.has_fam("LDM", "378") or aim.prog_type == 24:
        return False
    return _level(aim) == "3" and not lars.has_category(aim, LEVEL_3_ENTITLEMENT_CATEGORY, on=aim.start)


@rule("LearnAimRef_85", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(35,),
      message="The aim {LearnAimRef} is a level 3 aim, but the learner's prior attainment at the start of the aim is "
              "already level 3 or above, so adult skills cannot fund it. Check the aim reference and the learner's "
              "prior attainment (and its date).")
def learn_aim_ref_85(aim):
    if not _started_between(aim, AUG_2017, JUL_2024) or _old_adult_skills_excluded(aim) or aim.prog_type == 24:
        return False
    if aim.has_fam("LDM", "378") or aim.has_fam("LDM", "382") or derived.dd38_unemployed_with_benefits(aim):
        return False
    return prior_level_at_start(aim) in FULL_LEVEL_3_OR_ABOVE and _level(aim) == "3"


@rule("LearnAimRef_135", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message="The aim {LearnAimRef} is a level 4 aim in LARS, which the Adult Skills Fund (funding model 38) does "
              "not fund. Check the aim reference, or record the aim under another funding model.")
def learn_aim_ref_135(aim):
    return (aim.start is not None and aim.start >= AUG_2024 and not _fully_funded_in_devolved_area(aim)
            and _level(aim) == "4")


@rule("LearnAimRef_136", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message="The aim {LearnAimRef} is a level 3 aim, but on its start date ({LearnStartDate}) LARS does not list it "
              "in the level 3 legal entitlement category (38), so the Adult Skills Fund cannot fund it. Check the aim "
              "reference and the start date.")
def learn_aim_ref_136(aim):
    if aim.start is None or aim.start < AUG_2024 or aim.is_restart or _fully_funded_in_devolved_area(aim):
        return False
    if aim.has_fam("LDM", "378") or aim.has_fam("LDM", "395"):
        return False
    return _level(aim) == "3" and not lars.has_category(aim, LEVEL_3_ENTITLEMENT_CATEGORY, on=aim.start)


@rule("LearnAimRef_137", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=NEEDS, fund_models=(38,),
      message="The aim {LearnAimRef} is a level 3 aim, but the learner's prior attainment at the start of the aim is "
              "already level 3 or above and the aim has no low-wage record (LDM 391), so the Adult Skills Fund "
              "cannot fund it. Check the aim reference, the learner's prior attainment and its date, or add LDM 391 "
              "if the learner earns below the threshold.")
def learn_aim_ref_137(aim):
    if aim.start is None or aim.start < AUG_2024 or aim.is_restart or _fully_funded_in_devolved_area(aim):
        return False
    if aim.has_fam("LDM", "391"):
        return False
    return prior_level_at_start(aim) in FULL_LEVEL_3_OR_ABOVE and _level(aim) == "3"


@rule("LearnAimRef_78", severity=ERROR, entity="LearningDelivery", fields=FIELDS, needs=("LARS", "Organisations"),
      fund_models=(35,),
      message="The aim {LearnAimRef} is a level 3 aim started in 2016-17, but LARS does not list it in the level 3 "
              "legal entitlement category (38), so adult skills cannot fund it. Check the aim reference and the "
              "start date.")
def learn_aim_ref_78(aim):
    if not _started_between(aim, AUG_2016, JUL_2017) or aim.is_apprenticeship or aim.is_restart:
        return False
    if aim.has_fam("LDM", "034") or aim.has_fam("LDM", "347"):
        return False
    # specialist designated colleges are left out; without the provider's type we cannot tell, so stay quiet
    if not known_not_specialist_college(aim.ctx):
        return False
    return _level(aim) == "3" and not lars.has_category(aim, LEVEL_3_ENTITLEMENT_CATEGORY)
