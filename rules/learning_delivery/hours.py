"""Rules about planned hours (PHours) and actual off-the-job training hours (OTJActHours)."""

import datetime as dt

from ilrkit.rules.columns import blank, date, filled, has_fam, number
from ilrkit.rules.registry import ERROR, rule

# the agency's cut-over dates for each requirement
OTJ_COMPLETED_FROM = dt.date(2019, 8, 1)
OTJ_WITHDRAWN_FROM = dt.date(2022, 8, 1)
APPRENTICESHIP_PHOURS_FROM = dt.date(2019, 8, 1)
T_LEVEL_PHOURS_FROM = dt.date(2020, 8, 1)
MIN_278_FROM, MIN_278_TO = dt.date(2022, 8, 1), dt.date(2025, 7, 31)
MIN_187_FROM = dt.date(2025, 8, 1)

T_LEVEL_PROGRAMME = 31
# the restart exclusions below (~has_fam("RES")) name any RES record, whatever its code


@rule("OTJActHours_01", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours", "AimType"),
      message="Actual off-the-job hours ({value}) are filled in on an aim that is not the programme aim "
              "(AimType {AimType}). Record these hours only on the apprenticeship programme aim (AimType 1) "
              "and clear them here.",
      when=filled("OTJActHours") & number("AimType").notin(1))
def otjacthours_01(aim):
    return True


@rule("OTJActHours_02", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours",),
      fund_models=(36,),
      message="This apprenticeship programme aim is recorded as completed (CompStatus 2) but the actual "
              "off-the-job training hours are blank. Enter the off-the-job hours the apprentice actually did.",
      when=(number("AimType").isin(1) & number("CompStatus").isin(2) & blank("OTJActHours")
      & date("LearnStartDate").compare(">=", OTJ_COMPLETED_FROM) & ~has_fam("RES")))
def otjacthours_02(aim):
    return True


@rule("OTJActHours_03", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours",),
      fund_models=(36,),
      message="This apprenticeship programme aim is recorded as withdrawn (CompStatus 3) but the actual "
              "off-the-job training hours are blank. Enter the off-the-job hours the apprentice did before "
              "leaving (0 if none).",
      when=(number("AimType").isin(1) & number("CompStatus").isin(3) & blank("OTJActHours")
      & date("LearnStartDate").compare(">=", OTJ_WITHDRAWN_FROM)))
def otjacthours_03(aim):
    return True


@rule("PHours_01", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this apprenticeship programme aim. Enter the planned off-the-job "
              "training hours for the whole apprenticeship.",
      when=(number("AimType").isin(1) & blank("PHours")
            & date("LearnStartDate").compare(">=", APPRENTICESHIP_PHOURS_FROM)))
def phours_01(aim):
    return True


@rule("PHours_03", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this T Level programme aim. Enter the planned hours for the "
              "whole T Level programme.",
      when=(number("AimType").isin(1) & number("ProgType").isin(T_LEVEL_PROGRAMME) & blank("PHours")
      & date("LearnStartDate").compare(">=", T_LEVEL_PHOURS_FROM)))
def phours_03(aim):
    return True


@rule("PHours_04", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours on this T Level programme aim are {value}. Enter the planned hours for the "
              "programme: it must be more than 0.",
      when=number("AimType").isin(1) & number("ProgType").isin(T_LEVEL_PROGRAMME) & number("PHours").compare("<=", 0))
def phours_04(aim):
    return True


@rule("PHours_05", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours ({value}) are filled in on a 16-19 study programme aim that is not a T Level. "
              "Planned hours are not collected for this provision: clear the field.",
      when=filled("PHours") & number("ProgType").notin(T_LEVEL_PROGRAMME))
def phours_05(aim):
    return True


@rule("PHours_06", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are {value}, but an apprenticeship that started between 1 August 2022 and "
              "31 July 2025 needs at least 278 planned off-the-job hours. Check the hours and correct them.",
      when=(number("PHours").compare("<", 278) & date("LearnStartDate").compare(">=", MIN_278_FROM)
      & date("LearnStartDate").compare("<=", MIN_278_TO) & ~has_fam("RES")))
def phours_06(aim):
    return True


@rule("PHours_07", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(11,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this tailored learning aim (FundModel 11). Enter the number of "
              "hours of learning planned for the aim.",
      when=blank("PHours"))
def phours_07(aim):
    return True


@rule("PHours_08", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are {value}, but an apprenticeship that started on or after 1 August 2025 "
              "needs at least 187 planned off-the-job hours. Check the hours and correct them.",
      when=number("PHours").compare("<", 187) & date("LearnStartDate").compare(">=", MIN_187_FROM) & ~has_fam("RES"))
def phours_08(aim):
    return True
