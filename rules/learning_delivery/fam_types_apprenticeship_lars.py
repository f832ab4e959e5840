"""Apprenticeship contract type (ACT) and learning support (LSF) records, which belong on apprenticeship
programme aims and on the English and maths aims LARS marks as such."""

from __future__ import annotations

from ilrkit.rules.learning_delivery._lars_terms import is_english_or_maths_component
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, missing
from ilrkit.rules.registry import ERROR, rule


def _carries_contract_type(aim) -> bool:
    """An apprenticeship-funded programme aim, or an apprenticeship-funded English or maths component aim."""
    return aim.fund_model == 36 and (aim.aim_type == 1 or (aim.aim_type == 3 and is_english_or_maths_component(aim)))


@rule("LearnDelFAMType_63", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fields=("LearnDelFAMType",),
      needs=("LARS",),
      message="This aim has an apprenticeship contract type (ACT {LearnDelFAMCode}), but ACT is only recorded on an "
              "apprenticeship-funded programme aim (FundModel 36, AimType 1) and its English and maths aims; this "
              "aim has FundModel {FundModel} and AimType {AimType}. Remove the ACT record, or correct the funding "
              "model or aim type.")
def learndelfamtype_63(aim):
    if not aim.has_fam("ACT") or _carries_contract_type(aim):
        return None
    return fam_hits(aim, "ACT", field="LearnDelFAMType")


@rule("LearnDelFAMType_64", severity=ERROR, entity="LearningDelivery", scope="aim", fund_models=(36,),
      fields=("LearnDelFAMType",), needs=("LARS",),
      message="This apprenticeship-funded aim (AimType {AimType}) needs an apprenticeship contract type (ACT 1 "
              "for a levy-funded contract with the employer's digital account, ACT 2 otherwise) with the date it "
              "applies from. Add the ACT record.")
def learndelfamtype_64(aim):
    return _carries_contract_type(aim) and not aim.has_fam("ACT") and missing(aim, "ACT")


@rule("LearnDelFAMType_67", severity=ERROR, entity="LearningDeliveryFAM", scope="aim", fund_models=(36,),
      fields=("LearnDelFAMType",), needs=("LARS",),
      message="Learning support funding (LSF) is recorded on this apprenticeship component aim, but for "
              "apprenticeships it is only claimed on the programme aim or an English or maths aim, and LARS does "
              "not list {LearnAimRef} as English or maths. Move the LSF record to the programme aim.")
def learndelfamtype_67(aim):
    if aim.aim_type != 3 or not aim.has_fam("LSF") or is_english_or_maths_component(aim):
        return None
    return fam_hits(aim, "LSF", field="LearnDelFAMType")
