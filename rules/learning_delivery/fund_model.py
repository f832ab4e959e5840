"""Rules about an aim's funding model (FundModel) and what it must agree with."""

import datetime as dt

from ilrkit.rules.columns import date, filled, has_fam, number
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.learning_delivery.new_codes import closed_codes
from ilrkit.rules.year import devolved_sof, devolved_sof_in_any_year, spec_of

DEVOLVED_SOF = devolved_sof_in_any_year()  # pre-filter only: rules re-check the data's year's codes

APPRENTICESHIP_FUNDING_FROM = dt.date(2017, 5, 1)
SKILLS_FUND_FROM = dt.date(2024, 8, 1)  # Adult Skills Fund and Tailored Learning replace 35 and 10
APPRENTICESHIP_LDM_EXEMPT = frozenset({"353", "354", "355"})


def _devolved_sof(aim) -> Hit | None:
    """DD35: the aim is funded by a combined authority; the hit names the source of funding code."""
    devolved = devolved_sof(aim)
    for code in aim.fam_codes("SOF"):
        if code in devolved:
            return Hit(values={"SOF": code})
    return None


@rule("FundModel_03", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This aim is paid for with an Advanced Learner Loan (ADL), so its funding model must be 99 "
              "(not funded by the agency), not {FundModel}. Change the funding model to 99.",
      when=number("FundModel").notin(None, 99) & has_fam("ADL"))
def fund_model_03(aim):
    return True


@rule("FundModel_04", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(25, 82),
      message="This aim is part of an apprenticeship (programme type 25) but has 16-19 funding (funding model "
              "{FundModel}). Change the funding model to the apprenticeship one (normally 36).")
def fund_model_04(aim):
    return aim.is_apprenticeship


@rule("FundModel_05", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(36,),
      message="Funding model 36 is only for apprenticeships started on or after 1 May 2017, but this aim started "
              "on {LearnStartDate}. Check the start date and the funding model.",
      when=date("LearnStartDate").compare("<", APPRENTICESHIP_FUNDING_FROM))
def fund_model_05(aim):
    return True


@rule("FundModel_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(36,),
      message="The aim has apprenticeship funding (funding model 36) but is not part of an apprenticeship: the "
              "programme type must be 25. Enter programme type 25, or correct the funding model.")
def fund_model_06(aim):
    return not aim.is_apprenticeship


@rule("FundModel_07", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This apprenticeship programme aim started on {LearnStartDate}, on or after 1 May 2017, so its "
              "funding model must be 36, not {FundModel} (or 99 if it is not funded by the agency). Change the "
              "funding model.",
      when=number("FundModel").notin(None, 36, 99) & number("AimType").isin(1))
def fund_model_07(aim):
    if not aim.is_apprenticeship:
        return False
    if aim.start is None or aim.start < APPRENTICESHIP_FUNDING_FROM or aim.has_fam("RES"):
        return False
    # the agency's two texts exempt LDM 353 and 355, and 353-355: all three are exempt here
    return not any(code in APPRENTICESHIP_LDM_EXEMPT for code in aim.fam_codes("LDM"))


@rule("FundModel_09", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This apprenticeship standard programme aim started on {LearnStartDate}, before 1 May 2017, so its "
              "funding model must be 81, not {FundModel} (or 99 if it is not funded by the agency). Change the "
              "funding model.",
      when=(number("FundModel").notin(None, 81, 99) & number("AimType").isin(1) & number("ProgType").isin(25)
      & date("LearnStartDate").compare("<", APPRENTICESHIP_FUNDING_FROM)))
def fund_model_09(aim):
    return True


@rule("FundModel_10", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim started on {LearnStartDate}, before 1 August 2024, and is funded by a combined authority "
              "(source of funding {SOF}), so its funding model must be {allowed}, not {FundModel}. Check the "
              "funding model and the source of funding.",
      when=(number("FundModel").notin(None, 35, 10) & date("LearnStartDate").compare("<", SKILLS_FUND_FROM)
            & has_fam("SOF", *DEVOLVED_SOF)))
def fund_model_10(aim):
    hit = _devolved_sof(aim)
    if hit is not None:  # never suggest funding model 10 in a year that no longer collects it
        closed = closed_codes(spec_of(aim).year, "LearningDelivery.FundModel")
        hit.values["allowed"] = "35" if "10" in closed else "35 or 10"
    return hit


@rule("FundModel_11", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This aim is part of a T Level programme (programme type 31), so its funding model must be 25 "
              "(16-19), not {FundModel}. Change the funding model to 25.",
      when=number("ProgType").isin(31) & number("FundModel").notin(None, 25))
def fund_model_11(aim):
    return True


@rule("FundModel_14", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="Actual off-the-job training hours ({OTJActHours}) are recorded, but they are only used for "
              "apprenticeships (funding model 36) and this aim has funding model {FundModel}. Clear the hours or "
              "correct the funding model.",
      when=filled("OTJActHours") & number("FundModel").notin(None, 36))
def fund_model_14(aim):
    return True


@rule("FundModel_15", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim is marked as a Free Courses for Jobs aim (LDM 378), which must be adult skills funded "
              "(funding model 35 or 38), not funding model {FundModel}. Check the funding model and the LDM "
              "code.",
      when=number("FundModel").notin(None, 35, 38) & has_fam("LDM", "378"))
def fund_model_15(aim):
    return True


@rule("FundModel_16", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), fund_models=(37,),
      message="The aim has Skills Bootcamp funding (funding model 37), so its programme type must be 32, not "
              "{ProgType}. Enter programme type 32, or correct the funding model.",
      when=number("ProgType").notin(32))
def fund_model_16(aim):
    return True


@rule("FundModel_17", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(35,),
      message="Funding model 35 (adult skills) cannot be used for aims started on or after 1 August 2024; this aim "
              "started on {LearnStartDate}. Use funding model 38 (Adult Skills Fund) instead.",
      when=date("LearnStartDate").compare(">=", SKILLS_FUND_FROM) & ~has_fam("RES"))
def fund_model_17(aim):
    return True


@rule("FundModel_18", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim started on {LearnStartDate}, on or after 1 August 2024, and is funded by a combined "
              "authority (source of funding {SOF}), so its funding model must be 38 or 11, not {FundModel}. "
              "Check the funding model and the source of funding.",
      when=(number("FundModel").notin(None, 38, 11) & date("LearnStartDate").compare(">=", SKILLS_FUND_FROM)
      & ~has_fam("RES") & has_fam("SOF", *DEVOLVED_SOF)))
def fund_model_18(aim):
    return _devolved_sof(aim)


@rule("FundModel_19", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(38,),
      message="Funding model 38 (Adult Skills Fund) is only for aims started on or after 1 August 2024, but this "
              "aim started on {LearnStartDate}. Use funding model 35 for earlier starts, or correct the date.",
      when=date("LearnStartDate").compare("<", SKILLS_FUND_FROM))
def fund_model_19(aim):
    return True


@rule("FundModel_20", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(11,),
      message="Funding model 11 (Tailored Learning) is only for aims started on or after 1 August 2024, but this "
              "aim started on {LearnStartDate}. Use funding model 10 for earlier starts, or correct the date.",
      when=date("LearnStartDate").compare("<", SKILLS_FUND_FROM))
def fund_model_20(aim):
    return True


@rule("FundModel_21", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(38,),
      message="The original learning start date {OrigLearnStartDate} is before 1 August 2024, so this aim keeps "
              "funding model 35 (adult skills); it cannot use funding model 38. Change the funding model to 35.",
      when=(date("LearnStartDate").compare(">=", SKILLS_FUND_FROM)
            & date("OrigLearnStartDate").compare("<", SKILLS_FUND_FROM)))
def fund_model_21(aim):
    return True
