"""Learning delivery monitoring (LDM) rules for programme, contract and 14-16 codes."""

import datetime as dt

from ilrkit.rules.columns import date, filled, has_fam, number
from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.learning_delivery.fam_types_common import fam_hits, fund_models_except, has, has_any, missing
from ilrkit.rules.registry import ERROR, rule

PROXY = "118"
OWN_EMPLOYEES = "356"
NON_LEVY = "358"
FOURTEEN_TO_SIXTEEN = frozenset({"320", "321"})
SIXTEEN_NINETEEN_ONLY = frozenset({"320", "321", "381"})
# OLASS, procured AEB (2017, 2021, 2023) and low wage codes: not for combined-authority funding
NOT_DEVOLVED_LDM = frozenset({"034", "357", "363", "379", "388"})
LDM_NEEDED_FROM = dt.date(2013, 8, 1)
AEB_2017_FROM = dt.date(2017, 11, 1)
NON_LEVY_FROM = dt.date(2018, 1, 1)


@rule("LearnDelFAMType_15", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim has ended ({LearnActEndDate}) but still has the proxy learning aim code (LDM 118). A "
              "proxy aim may only stand in while the real aim is not yet known: replace it with the real "
              "learning aim, or remove the LDM 118 code.",
      when=has_fam("LDM", PROXY) & filled("LearnActEndDate"))
def learndelfamtype_15(aim):
    return fam_hits(aim, "LDM", {PROXY})


@rule("LearnDelFAMType_39", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      fund_models=(81, 82),
      message="This aim (FundModel {FundModel}) has no learning delivery monitoring (LDM) code. Other adult "
              "and other 16-19 funded aims need one to show which programme funds them: add the LDM code.",
      when=number("ProgType").notin(25) & date("LearnStartDate").compare(">=", LDM_NEEDED_FROM) & ~has_fam("LDM"))
def learndelfamtype_39(aim):
    # not triggered by apprenticeship standards
    return missing(aim, "LDM")


@rule("LearnDelFAMType_68", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The code for an apprenticeship delivered to the provider's own employees (LDM 356) is only "
              "used on the programme aim of an apprenticeship (AimType 1, FundModel 36), but this aim has "
              "AimType {AimType} and FundModel {FundModel}. Move the code to the programme aim or remove it.",
      when=has_fam("LDM", OWN_EMPLOYEES))
def learndelfamtype_68(aim):
    # the agency reads this as "must be an FM36 programme aim": either part being wrong is an error
    if aim.fund_model == 36 and aim.aim_type == 1:
        return None
    return fam_hits(aim, "LDM", {OWN_EMPLOYEES})


@rule("LearnDelFAMType_69", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The procured Adult Education Budget code (LDM 357) is only used on adult skills or Community "
              "Learning aims (FundModel 35 or 10) started on or after 2017-11-01; this aim has FundModel "
              "{FundModel} and started on {LearnStartDate}. Remove the code or correct the aim.",
      when=has_fam("LDM", "357"))
def learndelfamtype_69(aim):
    if not has(aim, "LDM", "357"):
        return None
    if aim.fund_model in (35, 10) and aim.start is not None and aim.start >= AEB_2017_FROM:
        return None
    return fam_hits(aim, "LDM", {"357"})


@rule("LearnDelFAMType_70", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The non-procured non-levy contract code (LDM 358) only applies to aims started on or after "
              "2018-01-01, but this aim started on {LearnStartDate}. Remove the code or check the start date.",
      when=date("LearnStartDate").compare("<", NON_LEVY_FROM) & has_fam("LDM", NON_LEVY))
def learndelfamtype_70(aim):
    return fam_hits(aim, "LDM", {NON_LEVY})


@rule("LearnDelFAMType_71", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The non-procured non-levy contract code (LDM 358) is filled in, but the aim has no contract "
              "type record for a contract with the agency (ACT 2). Add the ACT 2 record or remove the LDM 358 "
              "code.",
      when=~has_fam("ACT", "2") & has_fam("LDM", NON_LEVY))
def learndelfamtype_71(aim):
    return fam_hits(aim, "LDM", {NON_LEVY})


@rule("LearnDelFAMType_75", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="LDM {value} (offenders in custody, procured Adult Education Budget or low wage) cannot be used "
              "on an aim funded by a combined authority or the GLA. Remove the LDM code, or correct the "
              "source of funding.",
      when=has_fam("LDM", *NOT_DEVOLVED_LDM))
def learndelfamtype_75(aim):
    return has_any(aim, "LDM", NOT_DEVOLVED_LDM) and dd35_devolved_funding(aim) and fam_hits(
        aim, "LDM", NOT_DEVOLVED_LDM)


@rule("LearnDelFAMType_106", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="LDM {value} (14-16 direct funded or home educated) needs a learner aged at least 14 on 31 "
              "August, but this learner was {age}. Check the date of birth, or remove the LDM code.",
      when=has_fam("LDM", *FOURTEEN_TO_SIXTEEN))
def learndelfamtype_106(aim):
    if not has_any(aim, "LDM", FOURTEEN_TO_SIXTEEN):
        return None
    age = aim.learner.age_on_31_august
    return age is not None and age < 14 and fam_hits(aim, "LDM", FOURTEEN_TO_SIXTEEN, values={"age": age})


@rule("LearnDelFAMType_107", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=fund_models_except(25, 82),
      message="LDM {value} is only used on 16-19 funded aims (FundModel 25 or 82), but this aim has FundModel "
              "{FundModel}. Remove the LDM code or correct the funding model.",
      when=has_fam("LDM", *SIXTEEN_NINETEEN_ONLY))
def learndelfamtype_107(aim):
    return fam_hits(aim, "LDM", SIXTEEN_NINETEEN_ONLY)


@rule("LearnDelFAMType_113", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=fund_models_except(81),
      message="LDM 384 is only used on other adult funded aims (FundModel 81), but this aim has FundModel "
              "{FundModel}. Remove the LDM code or correct the funding model.",
      when=has_fam("LDM", "384"))
def learndelfamtype_113(aim):
    return fam_hits(aim, "LDM", {"384"})


@rule("LearnDelFAMType_127", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=fund_models_except(38),
      message="The Project S pilot code for Adult Skills Fund providers (LDM 395) is only used on Adult Skills "
              "Fund aims (FundModel 38), but this aim has FundModel {FundModel}. Remove the LDM code or "
              "correct the funding model.",
      when=has_fam("LDM", "395"))
def learndelfamtype_127(aim):
    return fam_hits(aim, "LDM", {"395"})


@rule("LearnDelFAMType_128", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), fund_models=fund_models_except(81),
      message="The Project S pilot code for Skills Bootcamps (LDM 396) is only used on other adult funded "
              "aims (FundModel 81), but this aim has FundModel {FundModel}. Remove the LDM code or correct the "
              "funding model.",
      when=has_fam("LDM", "396"))
def learndelfamtype_128(aim):
    return fam_hits(aim, "LDM", {"396"})
