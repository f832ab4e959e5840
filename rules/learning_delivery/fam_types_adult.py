"""FAM rules for community and tailored learning (ACL, LDM), devolved area monitoring (DAM), the
apprenticeship contract type (ACT) and the Skills Bootcamps event indicator (EVI)."""

import datetime as dt

from ilrkit.rules.columns import date, has_fam, number
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, fund_models_except, has, missing
from ilrkit.rules.registry import ERROR, rule

TAILORED_LEARNING_LDM = frozenset({"399", "400", "401"})
ACL_FM10_FROM = dt.date(2023, 8, 1)
ACL_FM11_FROM = dt.date(2024, 8, 1)
TAILORED_LDM_FROM = dt.date(2025, 8, 1)
NO_ACT2_FROM = dt.date(2021, 4, 1)


@rule("LearnDelFAMType_119", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      last_year="2025-26",  # FundModel 10 closes in 2026-27
      fund_models=(10,),
      message="This Community Learning aim started on {LearnStartDate} but has no Tailored Learning purpose "
              "(ACL) code, which aims started from 2023-08-01 need. Add the ACL code for the aim's main "
              "purpose.",
      when=date("LearnStartDate").compare(">=", ACL_FM10_FROM) & ~has_fam("ACL"))
def learndelfamtype_119(aim):
    return missing(aim, "ACL")


@rule("LearnDelFAMType_126", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      fund_models=(11,),
      message="This Tailored Learning aim started on {LearnStartDate} but has no Tailored Learning purpose "
              "(ACL) code, which aims started from 2024-08-01 need. Add the ACL code for the aim's main "
              "purpose.",
      when=date("LearnStartDate").compare(">=", ACL_FM11_FROM) & ~has_fam("ACL"))
def learndelfamtype_126(aim):
    return missing(aim, "ACL")


@rule("LearnDelFAMType_131", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      fund_models=(11,),
      message="This Tailored Learning aim started on {LearnStartDate} but has no LDM code saying how the "
              "learner is funded (LDM 399, 400 or 401), which aims started from 2025-08-01 need. Add the "
              "right one of those LDM codes.",
      when=date("LearnStartDate").compare(">=", TAILORED_LDM_FROM) & ~has_fam("LDM", *TAILORED_LEARNING_LDM))
def learndelfamtype_131(aim):
    return missing(aim, "LDM")


@rule("LearnDelFAMType_78", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=fund_models_except(35, 38, 11, 10),
      message="A devolved area monitoring code (DAM {value}) is filled in, but DAM codes are only used on "
              "adult skills, Adult Skills Fund, Tailored Learning or Community Learning aims; this aim has "
              "FundModel {FundModel}. Remove the DAM code or correct the funding model.",
      when=has_fam("DAM"))
def learndelfamtype_78(aim):
    return fam_hits(aim, "DAM")


@rule("LearnDelFAMType_97", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=(35,),
      message="The procured devolved adult education code (DAM 002) cannot be used on an adult skills aim "
              "(FundModel 35) funded as adult (SOF 105). Correct the funding model or source of funding, or "
              "remove the DAM code.",
      when=has_fam("SOF", "105") & has_fam("DAM", "002"))
def learndelfamtype_97(aim):
    return has(aim, "SOF", "105") and fam_hits(aim, "DAM", {"002"})


@rule("LearnDelFAMType_92", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This programme aim started on {LearnStartDate} has contract type ACT 2 (contract with the "
              "agency), which programme aims started from 2021-04-01 cannot have. Use ACT 1 if the apprentice "
              "is funded through the apprenticeship service, or check the start date.",
      when=(number("AimType").isin(1) & date("LearnStartDate").compare(">=", NO_ACT2_FROM)
      & ~has_fam("RES", "1") & has_fam("ACT", "2")))
def learndelfamtype_92(aim):
    # not triggered by restarts
    return fam_hits(aim, "ACT", {"2"})


@rule("LearnDelFAMType_132", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="An event indicator (EVI {value}) is filled in, but event indicators are only used on Skills "
              "Bootcamps (ProgType 32); this aim's programme type is {ProgType}. Remove the EVI record or "
              "correct the programme type.",
      when=number("ProgType").notin(32) & has_fam("EVI"))
def learndelfamtype_132(aim):
    return aim.prog_type != 32 and fam_hits(aim, "EVI")


@rule("LearnDelFAMType_133", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="An event indicator (EVI {value}) is filled in on an aim with AimType {AimType}, but event "
              "indicators belong on the programme aim (AimType 1). Move the EVI record to the Skills Bootcamp "
              "programme aim.",
      when=number("AimType").notin(1) & has_fam("EVI"))
def learndelfamtype_133(aim):
    return aim.aim_type != 1 and fam_hits(aim, "EVI")
