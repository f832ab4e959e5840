"""Rules about planned hours (PHours) and actual off-the-job training hours (OTJActHours)."""

import datetime as dt

from ilrkit.rules.registry import ERROR, rule

# the agency's cut-over dates for each requirement
OTJ_COMPLETED_FROM = dt.date(2019, 8, 1)
OTJ_WITHDRAWN_FROM = dt.date(2022, 8, 1)
APPRENTICESHIP_PHOURS_FROM = dt.date(2019, 8, 1)
T_LEVEL_PHOURS_FROM = dt.date(2020, 8, 1)
MIN_278_FROM, MIN_278_TO = dt.date(2022, 8, 1), dt.date(2025, 7, 31)
MIN_187_FROM = dt.date(2025, 8, 1)

T_LEVEL_PROGRAMME = 31


def _restart(aim) -> bool:
    # the exclusions name any RES record, whatever its code
    return aim.has_fam("RES")


@rule("OTJActHours_01", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours", "AimType"),
      message="Actual off-the-job hours ({value}) are filled in on an aim that is not the programme aim "
              "(AimType {AimType}). Record these hours only on the apprenticeship programme aim (AimType 1) "
              "and clear them here.")
def otjacthours_01(aim):
    return aim["OTJActHours"] is not None and aim.aim_type != 1


@rule("OTJActHours_02", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours",),
      fund_models=(36,),
      message="This apprenticeship programme aim is recorded as completed (CompStatus 2) but the actual "
              "off-the-job training hours are blank. Enter the off-the-job hours the apprentice actually did.")
def otjacthours_02(aim):
    return (aim.aim_type == 1 and aim.comp_status == 2 and aim["OTJActHours"] is None
            and aim.start is not None and aim.start >= OTJ_COMPLETED_FROM and not _restart(aim))


@rule("OTJActHours_03", severity=ERROR, entity="LearningDelivery", fields=("OTJActHours",),
      fund_models=(36,),
      message="This apprenticeship programme aim is recorded as withdrawn (CompStatus 3) but the actual "
              "off-the-job training hours are blank. Enter the off-the-job hours the apprentice did before "
              "leaving (0 if none).")
def otjacthours_03(aim):
    return (aim.aim_type == 1 and aim.comp_status == 3 and aim["OTJActHours"] is None
            and aim.start is not None and aim.start >= OTJ_WITHDRAWN_FROM)


@rule("PHours_01", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this apprenticeship programme aim. Enter the planned off-the-job "
              "training hours for the whole apprenticeship.")
def phours_01(aim):
    return (aim.aim_type == 1 and aim["PHours"] is None
            and aim.start is not None and aim.start >= APPRENTICESHIP_PHOURS_FROM)


@rule("PHours_03", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this T Level programme aim. Enter the planned hours for the "
              "whole T Level programme.")
def phours_03(aim):
    return (aim.aim_type == 1 and aim.prog_type == T_LEVEL_PROGRAMME and aim["PHours"] is None
            and aim.start is not None and aim.start >= T_LEVEL_PHOURS_FROM)


@rule("PHours_04", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours on this T Level programme aim are {value}. Enter the planned hours for the "
              "programme: it must be more than 0.")
def phours_04(aim):
    hours = aim.int("PHours")
    return aim.aim_type == 1 and aim.prog_type == T_LEVEL_PROGRAMME and hours is not None and hours <= 0


@rule("PHours_05", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(25,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours ({value}) are filled in on a 16-19 study programme aim that is not a T Level. "
              "Planned hours are not collected for this provision: clear the field.")
def phours_05(aim):
    return aim["PHours"] is not None and aim.prog_type != T_LEVEL_PROGRAMME


@rule("PHours_06", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are {value}, but an apprenticeship that started between 1 August 2022 and "
              "31 July 2025 needs at least 278 planned off-the-job hours. Check the hours and correct them.")
def phours_06(aim):
    hours = aim.int("PHours")
    return (hours is not None and hours < 278 and aim.start is not None
            and MIN_278_FROM <= aim.start <= MIN_278_TO and not _restart(aim))


@rule("PHours_07", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(11,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are blank on this tailored learning aim (FundModel 11). Enter the number of "
              "hours of learning planned for the aim.")
def phours_07(aim):
    return aim["PHours"] is None


@rule("PHours_08", severity=ERROR, entity="LearningDelivery", fields=("PHours",), fund_models=(36,),
      last_year="2025-26",  # PHours is not collected from 2026-27
      message="Planned hours are {value}, but an apprenticeship that started on or after 1 August 2025 "
              "needs at least 187 planned off-the-job hours. Check the hours and correct them.")
def phours_08(aim):
    hours = aim.int("PHours")
    return (hours is not None and hours < 187 and aim.start is not None and aim.start >= MIN_187_FROM
            and not _restart(aim))
