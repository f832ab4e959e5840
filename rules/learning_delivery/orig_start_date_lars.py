"""The original learning start date of a restarted aim must fall within the aim's LARS validity for its
funding (LARS_Validity StartDate to EndDate, an open EndDate never closing)."""

from __future__ import annotations

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery._lars_terms import table_loaded
from ilrkit.rules.registry import ERROR, Hit, rule

_FIX = ("Check the original learning start date and the learning aim reference: the aim must have been valid in "
        "LARS for {funding} on that date.")


def _not_valid_on_original_start(aim, categories: tuple[str, ...], funding: str):
    original = aim.date("OrigLearnStartDate")
    if original is None or not table_loaded(aim, lars.VALIDITY) or not lars.aim_exists(aim):
        return None
    if any(v.valid_on(original) for c in categories for v in lars.validities(aim, c)):
        return None
    return Hit(values={"funding": funding})


@rule("OrigLearnStartDate_06", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(35,), needs=("LARS",),
      message="{LearnAimRef} was not valid in LARS for adult skills funding on the original learning start date "
              "{OrigLearnStartDate}. " + _FIX)
def origlearnstartdate_06(aim):
    if aim.is_apprenticeship or aim.has_fam("LDM", "378"):
        return None
    return _not_valid_on_original_start(aim, (lars.ADULT_SKILLS, "UNEMPLOYED", lars.OLASS_ADULT), "adult skills")


@rule("OrigLearnStartDate_07", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(36, 81), needs=("LARS",),
      message="{LearnAimRef} was not valid in LARS on the original learning start date {OrigLearnStartDate}. "
              + _FIX)
def origlearnstartdate_07(aim):
    if aim.fund_model == 36 and aim.prog_type != 25:
        return None
    return _not_valid_on_original_start(aim, (lars.ANY,), "any funding")


@rule("OrigLearnStartDate_08", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(99,), needs=("LARS",),
      message="{LearnAimRef} was not valid in LARS for Advanced Learner Loans on the original learning start date "
              "{OrigLearnStartDate}. " + _FIX)
def origlearnstartdate_08(aim):
    if not aim.has_fam("ADL"):
        return None
    return _not_valid_on_original_start(aim, (lars.ADV_LEARN_LOAN,), "Advanced Learner Loans")


@rule("OrigLearnStartDate_10", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(37,), needs=("LARS",),
      message="{LearnAimRef} was not valid in LARS on the original learning start date {OrigLearnStartDate}. "
              + _FIX)
def origlearnstartdate_10(aim):
    return _not_valid_on_original_start(aim, (lars.ANY,), "any funding")


@rule("OrigLearnStartDate_11", severity=ERROR, entity="LearningDelivery", fields=("OrigLearnStartDate",),
      fund_models=(38,), needs=("LARS",),
      message="{LearnAimRef} was not valid in LARS for the Adult Skills Fund on the original learning start date "
              "{OrigLearnStartDate}. " + _FIX)
def origlearnstartdate_11(aim):
    if aim.has_fam("LDM", "378"):
        return None
    return _not_valid_on_original_start(aim, (lars.ADULT_SKILLS,), "the Adult Skills Fund")
