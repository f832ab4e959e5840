"""Source of funding (SOF) rules: which funding body code a learning aim may carry."""

from ilrkit.rules.columns import has_fam, number
from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, has, missing, other_code_hits
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.year import devolved_sof, devolved_sof_in_any_year

DEVOLVED_SOF = devolved_sof_in_any_year()  # pre-filter only: rules re-check the data's year's codes

ADULT, YOUTH, OFS = "105", "107", "1"
ADULT_OR_YOUTH = frozenset({ADULT, YOUTH})
# apprenticeship, traineeship and T Level programme types (LearnDelFAMType_109)
NOT_DEVOLVED_PROGRAMMES = frozenset({2, 3, 20, 21, 22, 23, 24, 25, 30, 31})
NEW_AUTHORITIES = frozenset({"121", "122", "123"})


@rule("LearnDelFAMType_01", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      fund_models=(25, 82, 35, 36, 37, 81, 10, 11, 38),
      message="This aim (FundModel {FundModel}) has no source of funding (SOF) record. Every funded aim needs "
              "one: add the SOF code of the body paying for it, for example 105 (adult) or 107 (16-19).",
      when=~has_fam("SOF"))
def learndelfamtype_01(aim):
    return None if has(aim, "SOF") else missing(aim, "SOF")


@rule("LearnDelFAMType_07", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(25, 82),
      message="The source of funding code {value} does not fit a 16-19 funded aim (FundModel {FundModel}). "
              "Use SOF 107 (16-19) or 105 (adult), or correct the funding model if it is wrong.",
      when=has_fam("SOF") & ~has_fam("SOF", *ADULT_OR_YOUTH))
def learndelfamtype_07(aim):
    return other_code_hits(aim, "SOF", ADULT_OR_YOUTH)


@rule("LearnDelFAMType_08", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(99,),
      message="The source of funding code {value} says the agency pays for this aim, but its funding model is "
              "99 (not funded by the agency). Change the SOF code to the body that really pays, or correct "
              "the funding model.",
      when=has_fam("SOF", *ADULT_OR_YOUTH))
def learndelfamtype_08(aim):
    return fam_hits(aim, "SOF", ADULT_OR_YOUTH)


@rule("LearnDelFAMType_09", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(35, 38, 36, 81, 10, 11),
      message="The source of funding code is {value}, but an aim with FundModel {FundModel} must be adult "
              "funded (SOF 105) unless a combined authority or the GLA funds it. Change the SOF code to 105, "
              "or to the right authority's code.",
      when=has_fam("SOF") & ~has_fam("SOF", ADULT))
def learndelfamtype_09(aim):
    # combined-authority funding (DD35) is allowed instead of adult funding
    if dd35_devolved_funding(aim):
        return None
    return other_code_hits(aim, "SOF", {ADULT})


@rule("LearnDelFAMType_109", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The source of funding code {value} is a combined authority or the GLA, but this aim is an "
              "apprenticeship, traineeship or T Level (ProgType {ProgType}), which they do not fund. Correct "
              "the SOF code or the programme type.",
      when=number("ProgType").isin(*NOT_DEVOLVED_PROGRAMMES) & has_fam("SOF", *DEVOLVED_SOF))
def learndelfamtype_109(aim):
    if aim.prog_type in NOT_DEVOLVED_PROGRAMMES and dd35_devolved_funding(aim):
        return fam_hits(aim, "SOF", devolved_sof(aim))
    return None


@rule("LearnDelFAMType_112", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The source of funding code is {value}, but Skills Bootcamps (ProgType 32) must be adult "
              "funded. Change the SOF code to 105.",
      when=number("ProgType").isin(32))
def learndelfamtype_112(aim):
    return aim.prog_type == 32 and other_code_hits(aim, "SOF", {ADULT})


@rule("LearnDelFAMType_118", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The source of funding code is {value}, but T Level programmes (ProgType 31) must be 16-19 "
              "funded. Change the SOF code to 107.",
      when=number("ProgType").isin(31))
def learndelfamtype_118(aim):
    return aim.prog_type == 31 and other_code_hits(aim, "SOF", {YOUTH})


@rule("LearnDelFamType_134", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(35, 10),
      message="The source of funding code {value} (East Midlands, York and North Yorkshire, or Cornwall) "
              "cannot be used on an Adult Skills or Community Learning aim (FundModel {FundModel}). Correct "
              "the funding model (for example to 38, Adult Skills Fund) or the SOF code.",
      when=has_fam("SOF", *NEW_AUTHORITIES))
def learndelfamtype_134(aim):
    return fam_hits(aim, "SOF", NEW_AUTHORITIES)


@rule("LearnDelFAMType_76", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim has the OLASS offenders in custody code (LDM 034), so its source of funding must be "
              "adult (SOF 105), but it is {value}. Change the SOF code to 105 or remove the LDM 034 code.",
      when=has_fam("LDM", "034"))
def learndelfamtype_76(aim):
    return has(aim, "LDM", "034") and other_code_hits(aim, "SOF", {ADULT})


@rule("LearnDelFAMType_91", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(99,),
      message="This aim is financed by an Advanced Learner Loan (ADL) and not funded by the agency (FundModel "
              "99), so it must not have a source of funding record, but SOF {value} is filled in. Remove the "
              "SOF record.",
      when=has_fam("ADL") & has_fam("SOF"))
def learndelfamtype_91(aim):
    return has(aim, "ADL") and fam_hits(aim, "SOF")
