"""Rules about an aim's funding model (FundModel) and what it must agree with."""

import datetime as dt

from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import devolved_sof

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
              "(not funded by the agency), not {FundModel}. Change the funding model to 99.")
def fund_model_03(aim):
    return aim.fund_model is not None and aim.fund_model != 99 and aim.has_fam("ADL")


@rule("FundModel_04", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(25, 82),
      message="This aim is part of an apprenticeship (programme type 25) but has 16-19 funding (funding model "
              "{FundModel}). Change the funding model to the apprenticeship one (normally 36).")
def fund_model_04(aim):
    return aim.is_apprenticeship


@rule("FundModel_05", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(36,),
      message="Funding model 36 is only for apprenticeships started on or after 1 May 2017, but this aim started "
              "on {LearnStartDate}. Check the start date and the funding model.")
def fund_model_05(aim):
    return aim.start is not None and aim.start < APPRENTICESHIP_FUNDING_FROM


@rule("FundModel_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(36,),
      message="The aim has apprenticeship funding (funding model 36) but is not part of an apprenticeship: the "
              "programme type must be 25. Enter programme type 25, or correct the funding model.")
def fund_model_06(aim):
    return not aim.is_apprenticeship


@rule("FundModel_07", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This apprenticeship programme aim started on {LearnStartDate}, on or after 1 May 2017, so its "
              "funding model must be 36, not {FundModel} (or 99 if it is not funded by the agency). Change the "
              "funding model.")
def fund_model_07(aim):
    if aim.fund_model in (36, 99) or aim.fund_model is None or aim.aim_type != 1 or not aim.is_apprenticeship:
        return False
    if aim.start is None or aim.start < APPRENTICESHIP_FUNDING_FROM or aim.has_fam("RES"):
        return False
    # the agency's two texts exempt LDM 353 and 355, and 353-355: all three are exempt here
    return not any(code in APPRENTICESHIP_LDM_EXEMPT for code in aim.fam_codes("LDM"))


@rule("FundModel_09", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This apprenticeship standard programme aim started on {LearnStartDate}, before 1 May 2017, so its "
              "funding model must be 81, not {FundModel} (or 99 if it is not funded by the agency). Change the "
              "funding model.")
def fund_model_09(aim):
    if aim.fund_model in (81, 99) or aim.fund_model is None or aim.aim_type != 1 or aim.prog_type != 25:
        return False
    return aim.start is not None and aim.start < APPRENTICESHIP_FUNDING_FROM


@rule("FundModel_10", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim started on {LearnStartDate}, before 1 August 2024, and is funded by a combined authority "
              "(source of funding {SOF}), so its funding model must be 35 or 10, not {FundModel}. Check the "
              "funding model and the source of funding.")
def fund_model_10(aim):
    if aim.fund_model in (35, 10) or aim.fund_model is None or aim.start is None or aim.start >= SKILLS_FUND_FROM:
        return False
    return _devolved_sof(aim)


@rule("FundModel_11", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="This aim is part of a T Level programme (programme type 31), so its funding model must be 25 "
              "(16-19), not {FundModel}. Change the funding model to 25.")
def fund_model_11(aim):
    return aim.prog_type == 31 and aim.fund_model is not None and aim.fund_model != 25


@rule("FundModel_14", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="Actual off-the-job training hours ({OTJActHours}) are recorded, but they are only used for "
              "apprenticeships (funding model 36) and this aim has funding model {FundModel}. Clear the hours or "
              "correct the funding model.")
def fund_model_14(aim):
    return aim["OTJActHours"] is not None and aim.fund_model is not None and aim.fund_model != 36


@rule("FundModel_15", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim is marked as a Free Courses for Jobs aim (LDM 378), which must be adult skills funded "
              "(funding model 35 or 38), not funding model {FundModel}. Check the funding model and the LDM "
              "code.")
def fund_model_15(aim):
    return aim.fund_model not in (35, 38) and aim.fund_model is not None and aim.has_fam("LDM", "378")


@rule("FundModel_16", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), fund_models=(37,),
      message="The aim has Skills Bootcamp funding (funding model 37), so its programme type must be 32, not "
              "{ProgType}. Enter programme type 32, or correct the funding model.")
def fund_model_16(aim):
    return aim.prog_type != 32


@rule("FundModel_17", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(35,),
      message="Funding model 35 (adult skills) cannot be used for aims started on or after 1 August 2024; this aim "
              "started on {LearnStartDate}. Use funding model 38 (Adult Skills Fund) instead.")
def fund_model_17(aim):
    return aim.start is not None and aim.start >= SKILLS_FUND_FROM and not aim.has_fam("RES")


@rule("FundModel_18", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      message="The aim started on {LearnStartDate}, on or after 1 August 2024, and is funded by a combined "
              "authority (source of funding {SOF}), so its funding model must be 38 or 11, not {FundModel}. "
              "Check the funding model and the source of funding.")
def fund_model_18(aim):
    if aim.fund_model in (38, 11) or aim.fund_model is None or aim.start is None or aim.start < SKILLS_FUND_FROM:
        return False
    return None if aim.has_fam("RES") else _devolved_sof(aim)


@rule("FundModel_19", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(38,),
      message="Funding model 38 (Adult Skills Fund) is only for aims started on or after 1 August 2024, but this "
              "aim started on {LearnStartDate}. Use funding model 35 for earlier starts, or correct the date.")
def fund_model_19(aim):
    return aim.start is not None and aim.start < SKILLS_FUND_FROM


@rule("FundModel_20", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(11,),
      message="Funding model 11 (Tailored Learning) is only for aims started on or after 1 August 2024, but this "
              "aim started on {LearnStartDate}. Use funding model 10 for earlier starts, or correct the date.")
def fund_model_20(aim):
    return aim.start is not None and aim.start < SKILLS_FUND_FROM


@rule("FundModel_21", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), fund_models=(38,),
      message="The original learning start date {OrigLearnStartDate} is before 1 August 2024, so this aim keeps "
              "funding model 35 (adult skills); it cannot use funding model 38. Change the funding model to 35.")
def fund_model_21(aim):
    original = aim.date("OrigLearnStartDate")
    return (aim.start is not None and aim.start >= SKILLS_FUND_FROM and original is not None
            and original < SKILLS_FUND_FROM)
