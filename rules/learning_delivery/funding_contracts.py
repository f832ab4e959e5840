"""Rules that check an aim against the provider's own funding contracts (reference set ``Contracts``)."""

from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.refsets import CONTRACTS, contracts, latest_contract
from ilrkit.rules.registry import ERROR, Hit, rule

ADULT_SKILLS_STREAMS = frozenset({"ASFC-ASCL2526", "STFIG2526", "ASFC-FCFJ2526"})
LOANS_BURSARY_STREAMS = frozenset({"ALLBC2526"})
# procured adult education budget and traineeship codes (LDM) funded through other contracts
UKPRN_06_EXCLUDED_LDM = ("357", "034", "377", "379", "388")


def _ended_last_year(aim) -> bool:
    """The aim ended before this teaching year (such aims need no contract this year)."""
    return aim.act_end is not None and aim.act_end < aim.learner.teaching_year_start


@rule("UKPRN_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This aim is adult skills funded (funding model 35) but your contracts hold no adult skills "
              "allocation for this year. Check the funding model, or load your current contracts (ilr refdata "
              "add contracts.csv).")
def ukprn_06(aim):
    if aim.is_apprenticeship or _ended_last_year(aim) or dd35_devolved_funding(aim):
        return False
    if any(aim.has_fam("LDM", code) for code in UKPRN_06_EXCLUDED_LDM):
        return False
    return not contracts(aim.ctx, ADULT_SKILLS_STREAMS)


@rule("UKPRN_29", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(38,),
      message="This aim is Adult Skills Fund funded (funding model 38) but your contracts hold no Adult Skills "
              "Fund allocation for this year. Check the funding model, or load your current contracts (ilr "
              "refdata add contracts.csv).")
def ukprn_29(aim):
    if _ended_last_year(aim) or dd35_devolved_funding(aim) or aim.has_fam("LDM", "388"):
        return False
    return not contracts(aim.ctx, ADULT_SKILLS_STREAMS)


@rule("UKPRN_30", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(38,),
      message="This Adult Skills Fund aim starts on {LearnStartDate}, on or after the date your latest Adult "
              "Skills Fund contract stops new starts. Check the start date; new learners cannot start under "
              "that contract.")
def ukprn_30(aim):
    if not aim.has_fam("SOF", "105") or aim.is_restart or aim.has_fam("LDM", "388") or aim.start is None:
        return False
    latest = latest_contract(aim.ctx, ADULT_SKILLS_STREAMS)
    return latest is not None and latest.stop_new_starts is not None and aim.start >= latest.stop_new_starts


@rule("LearnDelFAMType_53", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",),
      needs=(CONTRACTS,),
      message="This aim records an Advanced Learner Loans Bursary (ALB code {LearnDelFAMCode}), but your "
              "contracts hold no loans bursary allocation for this year. Only providers with a bursary "
              "contract can record it: remove the ALB record or load your current contracts.")
def learndelfamtype_53(aim):
    fams = [f for f in aim.fams_of("ALB") if f.get("LearnDelFAMCode") in ("1", "3")]
    if not fams or contracts(aim.ctx, LOANS_BURSARY_STREAMS):
        return False
    return [Hit(record=f, field="LearnDelFAMType", entity="LearningDeliveryFAM") for f in fams[:1]]
