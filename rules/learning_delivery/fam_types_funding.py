"""Funding indicator FAM rules: full or co-funding (FFI), enhanced apprenticeship funding (EEF), loans (ADL,
ALB), learning support (LSF) and family English, maths and language (FLN)."""

from ilrkit.rules.columns import has_fam, number
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, has, missing
from ilrkit.rules.learning_delivery.fam_types_common import fund_models_except as _except
from ilrkit.rules.registry import ERROR, rule


@rule("LearnDelFAMType_02", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      fund_models=(35, 38),
      message="This adult skills aim (FundModel {FundModel}) has no full or co-funding indicator (FFI). Add "
              "FFI 1 if the aim is fully funded or FFI 2 if it is co-funded.",
      when=~has_fam("FFI"))
def learndelfamtype_02(aim):
    return None if has(aim, "FFI") else missing(aim, "FFI")


@rule("LearnDelFAMType_111", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      message="This Skills Bootcamp aim (ProgType 32) has no full or co-funding indicator (FFI). Add FFI 1 "
              "if it is fully funded or FFI 2 if it is co-funded.",
      when=number("ProgType").isin(32) & ~has_fam("FFI"))
def learndelfamtype_111(aim):
    return aim.prog_type == 32 and not has(aim, "FFI") and missing(aim, "FFI")


@rule("LearnDelFAMType_22", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=_except(35, 37, 38, 81, 11, 10),
      message="A full or co-funding indicator (FFI {value}) is filled in, but it is only used on adult "
              "skills, Adult Skills Fund, Skills Bootcamps, Tailored Learning, Community Learning and other "
              "adult aims; this aim has FundModel {FundModel}. Remove the FFI record or correct the funding "
              "model.",
      when=has_fam("FFI"))
def learndelfamtype_22(aim):
    return fam_hits(aim, "FFI")


@rule("LearnDelFAMType_14", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="An enhanced apprenticeship funding indicator (EEF {value}) is filled in, but this aim is not "
              "part of a funded apprenticeship (that needs FundModel 35, 36 or 81 and ProgType 25; this aim "
              "has FundModel {FundModel} and {programme}). Remove the EEF record, or correct the funding model "
              "or programme type.",
      when=has_fam("EEF"))
def learndelfamtype_14(aim):
    # funded apprenticeships (FM35/36/81 with DD07 = Y) may carry it
    if not has(aim, "EEF") or (aim.fund_model in (35, 36, 81) and aim.is_apprenticeship):
        return None
    programme = "no programme type" if aim["ProgType"] is None else f"ProgType {aim['ProgType']}"
    return fam_hits(aim, "EEF", values={"programme": programme})


@rule("LearnDelFAMType_54", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim claims 16-18 apprenticeship funding for a learner aged 19 or over (EEF 2), so it must "
              "be fully funded, but it is recorded as co-funded (FFI {value}). Change the FFI code to 1, or "
              "remove the EEF record if it does not apply.",
      when=has_fam("EEF", "2") & has_fam("FFI", "2"))
def learndelfamtype_54(aim):
    # not triggered by apprenticeship standards or FM36
    if aim.prog_type == 25 or aim.fund_model == 36 or not has(aim, "EEF", "2"):
        return None
    return fam_hits(aim, "FFI", {"2"})


@rule("LearnDelFAMType_35", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=_except(99),
      message="The Advanced Learner Loan indicator (ADL {value}) is only used on aims not funded by the "
              "agency (FundModel 99), but this aim has FundModel {FundModel}. Remove the ADL record or "
              "correct the funding model.",
      when=has_fam("ADL"))
def learndelfamtype_35(aim):
    return fam_hits(aim, "ADL")


@rule("LearnDelFAMType_38", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=_except(99),
      message="The Advanced Learner Loans Bursary indicator (ALB {value}) is only used on aims not funded by "
              "the agency (FundModel 99), but this aim has FundModel {FundModel}. Remove the ALB record or "
              "correct the funding model.",
      when=has_fam("ALB"))
def learndelfamtype_38(aim):
    return fam_hits(aim, "ALB")


@rule("LearnDelFAMType_40", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(99,),
      message="This aim is part of an apprenticeship (ProgType {ProgType}), which cannot be financed by an "
              "Advanced Learner Loan, but the ADL indicator ({value}) is filled in. Remove the ADL record.",
      when=has_fam("ADL"))
def learndelfamtype_40(aim):
    return aim.is_apprenticeship and fam_hits(aim, "ADL")


@rule("LearnDelFAMType_46", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=_except(35, 38),
      message="The family English, maths and language indicator (FLN {value}) is only used on adult skills "
              "or Adult Skills Fund aims (FundModel 35 or 38), but this aim has FundModel {FundModel}. Remove "
              "the FLN record or correct the funding model.",
      when=has_fam("FLN"))
def learndelfamtype_46(aim):
    return fam_hits(aim, "FLN")


@rule("LearnDelFAMType_50", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(25, 82, 10, 99),
      message="Learning support funding (LSF) is not claimed on 16-19, Community Learning or non-funded aims, "
              "but this aim (FundModel {FundModel}) has an LSF record. Remove the LSF record.",
      when=has_fam("LSF"))
def learndelfamtype_50(aim):
    return fam_hits(aim, "LSF")
