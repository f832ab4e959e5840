"""Rules that check an aim against the provider's own funding contracts (reference set ``Contracts``)."""

import datetime as dt

from ilrkit.rules.derived import dd35_devolved_funding
from ilrkit.rules.refsets import CONTRACTS, bootcamp_contracts, contract_numbered, contracts, latest_contract
from ilrkit.rules.registry import ERROR, Hit, rule

ADULT_SKILLS_STREAMS = frozenset({"ASFC-ASCL2526", "STFIG2526", "ASFC-FCFJ2526"})
LOANS_BURSARY_STREAMS = frozenset({"ALLBC2526"})
ANY_LOANS_BURSARY_STREAMS = frozenset({"ALLB2526", "ALLBC2526"})
AEB_2017_ALL_STREAMS = frozenset({"AEB-19TRN2021", "AEB-AS2021", "STFI2021"})
PROCURED_AEB_FROM = dt.date(2017, 11, 1)
AEB_2021_FROM = dt.date(2021, 8, 1)
# LDM codes of aims that need no apprenticeship contract: OLASS, sporting excellence, sea fishing
UKPRN_09_EXCLUDED_LDM = ("034", "353", "355")
LEVY_STREAMS = frozenset({"LEVY1799", "NONLEVY2019"})
NON_LEVY_STREAMS = frozenset({"APPS2526", "16-18NLAP2018", "ANLAP2018"})
PROCURED_NON_LEVY_STREAMS = frozenset({"16-18NLAP2018", "ANLAP2018"})
APPS_STREAMS = frozenset({"APPS2526"})
AEB_2017_STREAMS = frozenset({"AEB-19TRN2021", "AEB-AS2021"})
AEB_2021_STREAMS = frozenset({"AEB-AS2324", "AEB-NSF2324"})
AEB_2023_STREAMS = frozenset({"ASF2023-AS2526", "ASF2023-FCFJ2526", "ASF2023-STFI2526"})
LEVY_FROM = dt.date(2017, 5, 1)
PROCURED_NON_LEVY_FROM = dt.date(2018, 1, 1)
AEB_2023_FROM = dt.date(2023, 8, 1)
# procured adult education budget and traineeship codes (LDM) funded through other contracts
UKPRN_06_EXCLUDED_LDM = ("357", "034", "377", "379", "388")


def _ended_last_year(aim) -> bool:
    """The aim ended before this teaching year (such aims need no contract this year)."""
    return aim.act_end is not None and aim.act_end < aim.learner.teaching_year_start


def _no_contract(aim, streams: frozenset[str]) -> bool:
    """The aim (not ended before this year) has no contract in ``streams``."""
    return not _ended_last_year(aim) and not contracts(aim.ctx, streams)


def _after_stop(aim, streams: frozenset[str]) -> bool:
    """The aim (not a restart) starts on or after the stop-new-starts date of the latest contract in ``streams``."""
    if aim.is_restart or aim.start is None:
        return False
    latest = latest_contract(aim.ctx, streams)
    return latest is not None and latest.stop_new_starts is not None and aim.start >= latest.stop_new_starts


def _starts_from(aim, day: dt.date) -> bool:
    return aim.start is not None and aim.start >= day


@rule("UKPRN_06", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This aim is adult skills funded (funding model 35) but your contracts hold no adult skills "
              "allocation for this year. Check the funding model, or load your current contracts (ilr refdata "
              "add contracts.csv).")
def ukprn_06(aim):
    if aim.is_apprenticeship or dd35_devolved_funding(aim):
        return False
    if any(aim.has_fam("LDM", code) for code in UKPRN_06_EXCLUDED_LDM):
        return False
    return _no_contract(aim, ADULT_SKILLS_STREAMS)


@rule("UKPRN_29", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(38,),
      message="This aim is Adult Skills Fund funded (funding model 38) but your contracts hold no Adult Skills "
              "Fund allocation for this year. Check the funding model, or load your current contracts (ilr "
              "refdata add contracts.csv).")
def ukprn_29(aim):
    if dd35_devolved_funding(aim) or aim.has_fam("LDM", "388"):
        return False
    return _no_contract(aim, ADULT_SKILLS_STREAMS)


@rule("UKPRN_30", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(38,),
      message="This Adult Skills Fund aim starts on {LearnStartDate}, on or after the date your latest Adult "
              "Skills Fund contract stops new starts. Check the start date; new learners cannot start under "
              "that contract.")
def ukprn_30(aim):
    return aim.has_fam("SOF", "105") and not aim.has_fam("LDM", "388") and _after_stop(aim, ADULT_SKILLS_STREAMS)


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


# -- apprenticeship and procured adult contracts -------------------------------------------------------

@rule("UKPRN_10", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(36,),
      message="This is a levy-funded apprenticeship (contract type 1) but your contracts hold no apprenticeship "
              "service allocation (LEVY1799 or NONLEVY2019). Check the contract type, or load your contracts.")
def ukprn_10(aim):
    return aim.has_fam("ACT", "1") and _starts_from(aim, LEVY_FROM) and _no_contract(aim, LEVY_STREAMS)


@rule("UKPRN_11", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(36,),
      message="This is a non-levy apprenticeship (contract type 2) but your contracts hold no non-levy "
              "apprenticeship allocation. Check the contract type, or load your contracts.")
def ukprn_11(aim):
    return aim.has_fam("ACT", "2") and _starts_from(aim, LEVY_FROM) and _no_contract(aim, NON_LEVY_STREAMS)


@rule("UKPRN_13", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(36,),
      message="This procured non-levy apprenticeship programme (contract type 2) has no procured non-levy "
              "allocation (16-18NLAP2018 or ANLAP2018) in your contracts. Check the contract type and the LDM "
              "codes, or load your contracts.")
def ukprn_13(aim):
    if aim.aim_type != 1 or not aim.has_fam("ACT", "2") or aim.has_fam("LDM", "358") or aim.is_restart:
        return False
    return _starts_from(aim, PROCURED_NON_LEVY_FROM) and _no_contract(aim, PROCURED_NON_LEVY_STREAMS)


@rule("UKPRN_14", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      message="This non-procured non-levy apprenticeship (LDM 358, contract type 2) has no apprenticeship "
              "allocation (APPS2526) in your contracts. Check the LDM code, or load your contracts.")
def ukprn_14(aim):
    return aim.has_fam("LDM", "358") and aim.has_fam("ACT", "2") and _no_contract(aim, APPS_STREAMS)


@rule("UKPRN_15", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      message="This non-procured non-levy apprenticeship (LDM 358, contract type 2) has no non-levy allocation "
              "(16-18NLAP2018 or ANLAP2018) in your contracts. Check the LDM code, or load your contracts.")
def ukprn_15(aim):
    return aim.has_fam("LDM", "358") and aim.has_fam("ACT", "2") and _no_contract(aim, PROCURED_NON_LEVY_STREAMS)


@rule("UKPRN_16", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(36,),
      message="This non-levy apprenticeship starts on {LearnStartDate}, on or after the date your latest "
              "procured non-levy contract stops new starts. Check the start date and contract type.")
def ukprn_16(aim):
    return aim.aim_type == 1 and aim.has_fam("ACT", "2") and _after_stop(aim, PROCURED_NON_LEVY_STREAMS)


@rule("UKPRN_18", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This adult skills aim starts on {LearnStartDate}, on or after the date your latest adult skills "
              "contract stops new starts. Check the start date; new learners cannot start under that contract.")
def ukprn_18(aim):
    return aim.has_fam("SOF", "105") and not aim.has_fam("LDM", "357") and _after_stop(aim, ADULT_SKILLS_STREAMS)


@rule("UKPRN_19", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This procured adult education aim (LDM 357) starts on {LearnStartDate}, on or after the date "
              "your latest procured contract stops new starts. Check the start date and the LDM code.")
def ukprn_19(aim):
    return aim.has_fam("SOF", "105") and aim.has_fam("LDM", "357") and _after_stop(aim, AEB_2017_STREAMS)


@rule("UKPRN_21", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(36,),
      message="This levy-funded apprenticeship starts on {LearnStartDate}, on or after the date your latest "
              "apprenticeship service contract stops new starts. Check the start date and contract type.")
def ukprn_21(aim):
    return aim.aim_type == 1 and aim.has_fam("ACT", "1") and _after_stop(aim, LEVY_STREAMS)


@rule("UKPRN_24", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This procured adult education aim (LDM 379) starts on {LearnStartDate}, on or after the date "
              "your latest procured contract stops new starts. Check the start date and the LDM code.")
def ukprn_24(aim):
    return aim.has_fam("SOF", "105") and aim.has_fam("LDM", "379") and _after_stop(aim, AEB_2021_STREAMS)


@rule("UKPRN_27", severity=ERROR, entity="LearningDelivery", fields=("FundModel",), needs=(CONTRACTS,),
      fund_models=(35, 38),
      message="This procured adult skills aim (LDM 388) has no matching procured allocation (ASF2023-AS2526, "
              "ASF2023-FCFJ2526 or ASF2023-STFI2526) in your contracts. Check the LDM code, or load your "
              "contracts.")
def ukprn_27(aim):
    return (aim.has_fam("LDM", "388") and aim.has_fam("SOF", "105") and _starts_from(aim, AEB_2023_FROM)
            and _no_contract(aim, AEB_2023_STREAMS))


@rule("UKPRN_28", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=(CONTRACTS,),
      fund_models=(35, 38),
      message="This procured adult skills aim (LDM 388) starts on {LearnStartDate}, on or after the date your "
              "latest procured contract stops new starts. Check the start date and the LDM code.")
def ukprn_28(aim):
    return aim.has_fam("LDM", "388") and aim.has_fam("SOF", "105") and _after_stop(aim, AEB_2023_STREAMS)


@rule("LearnStartDate_20", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate", "ConRefNumber"),
      needs=(CONTRACTS,), fund_models=(37,),
      message="This Skills Bootcamp starts on {LearnStartDate}, before its contract {ConRefNumber} starts. Check "
              "the start date and the contract reference.")
def learnstartdate_20(aim):
    if aim.prog_type != 32 or aim.aim_type != 1 or aim.start is None or aim["ConRefNumber"] is None:
        return False
    found = contract_numbered(aim.ctx, aim["ConRefNumber"])
    return found is not None and found.start is not None and aim.start < found.start


@rule("UKPRN_08", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",), needs=(CONTRACTS,),
      message="This aim records an Advanced Learner Loans Bursary (ALB), but your contracts hold no loans bursary "
              "allocation for this year. Remove the ALB record, or load your current contracts.")
def ukprn_08(aim):
    fams = aim.fams_of("ALB")
    if not fams or not _no_contract(aim, ANY_LOANS_BURSARY_STREAMS):
        return False
    return Hit(record=fams[0], field="LearnDelFAMType", entity="LearningDeliveryFAM")


@rule("UKPRN_09", severity=ERROR, entity="LearningDelivery", fields=("ProgType",), needs=(CONTRACTS,),
      message="This apprenticeship aim is not funded through the apprenticeship service (funding model "
              "{FundModel}), and your contracts hold no apprenticeship allocation (APPS2526) for this year. Check "
              "the funding model and programme type, or load your contracts.")
def ukprn_09(aim):
    if not aim.is_apprenticeship or aim.fund_model in (36, 99):
        return False
    if any(aim.has_fam("LDM", code) for code in UKPRN_09_EXCLUDED_LDM):
        return False
    return _no_contract(aim, APPS_STREAMS)


@rule("UKPRN_12", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",), needs=(CONTRACTS,),
      message="This aim is marked as procured adult education (LDM 357), but your contracts hold no procured "
              "allocation for it (AEB-19TRN2021, AEB-AS2021 or STFI2021). Check the LDM code, or load your "
              "contracts.")
def ukprn_12(aim):
    return aim.has_fam("LDM", "357") and _starts_from(aim, PROCURED_AEB_FROM) and _no_contract(aim,
                                                                                                AEB_2017_ALL_STREAMS)


@rule("UKPRN_23", severity=ERROR, entity="LearningDelivery", fields=("LearnDelFAMType",), needs=(CONTRACTS,),
      fund_models=(35,),
      message="This aim is marked as procured adult education 2021 (LDM 379), but your contracts hold no "
              "procured allocation for it (AEB-AS2324 or AEB-NSF2324). Check the LDM code, or load your "
              "contracts.")
def ukprn_23(aim):
    return (aim.has_fam("LDM", "379") and aim.has_fam("SOF", "105") and _starts_from(aim, AEB_2021_FROM)
            and _no_contract(aim, AEB_2021_STREAMS))


SKILLS_BOOTCAMP_STREAMS = frozenset({"SB2022", "SB-PAA2022", "SB2023"})


def _bootcamp_contract_known(aim) -> bool:
    """The aim's contract reference is a Skills Bootcamp contract of the provider: its part up to the second
    hyphen is an allocation number and the rest one of that allocation's deliverable codes (any, when the
    contracts list gives none), or it is a Skills Bootcamps contract reference (ILRContractRefNumber)."""
    found = bootcamp_contracts(aim.ctx, SKILLS_BOOTCAMP_STREAMS)
    reference = aim["ConRefNumber"].strip().upper()
    if reference in found.ilr_refs:
        return True
    parts = reference.split("-")
    allocation, deliverable = "-".join(parts[:2]), "-".join(parts[2:])
    codes = found.deliverables.get(allocation)
    return codes is not None and (not codes or deliverable in codes)


@rule("UKPRN_26", severity=ERROR, entity="LearningDelivery", fields=("ConRefNumber",), needs=(CONTRACTS,),
      message="This Skills Bootcamp aim's contract reference ({ConRefNumber}) is not one of your Skills Bootcamp "
              "contracts: no allocation (SB2022, SB-PAA2022 or SB2023) with that number and deliverable code, and "
              "no Skills Bootcamps contract with that reference. Check the contract reference, or load your "
              "current contracts.")
def ukprn_26(aim):
    # a blank contract reference is reported by the ConRefNumber rules
    return aim.prog_type == 32 and aim["ConRefNumber"] is not None and not _bootcamp_contract_known(aim)
