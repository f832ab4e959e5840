"""Rules about an aim's achievement date (AchDate)."""

import calendar
import datetime as dt

from ilrkit.rules.columns import blank, date, number
from ilrkit.rules.registry import ERROR, rule

ACH_DATE_UNUSED_AFTER = dt.date(2015, 7, 31)
ACH_DATE_REQUIRED_ENDS_FROM = dt.date(2021, 8, 1)


def _is_skills_bootcamp(aim) -> bool:
    return aim.fund_model == 37 and aim.prog_type == 32


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule("AchDate_03", severity=ERROR, entity="LearningDelivery", fields=("AchDate",),
      message="The achievement date {AchDate} is before the learning start date {LearnStartDate}. Check both "
              "dates; a learner cannot achieve before starting.",
      when=date("AchDate").compare("<", "LearnStartDate"))
def ach_date_03(aim):
    return not _is_skills_bootcamp(aim)


@rule("AchDate_04", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate",),
      message="An achievement date ({AchDate}) is recorded but the actual end date is blank. Enter the date "
              "the learner finished the learning activities.",
      when=date("AchDate").known() & blank("LearnActEndDate"))
def ach_date_04(aim):
    return not _is_skills_bootcamp(aim)


@rule("AchDate_05", severity=ERROR, entity="LearningDelivery", fields=("AchDate",),
      message="The achievement date {AchDate} is before the actual end date {LearnActEndDate}. Check both dates; "
              "the achievement date must be on or after the day the learning ended.",
      when=date("AchDate").compare("<", "LearnActEndDate"))
def ach_date_05(aim):
    return not _is_skills_bootcamp(aim)


@rule("AchDate_08", severity=ERROR, entity="LearningDelivery", fields=("AchDate",), fund_models=(81,),
      message="This apprenticeship standard programme aim (funding model 81) has the outcome 'achieved' but no "
              "achievement date. Enter the date the apprenticeship was achieved.",
      when=number("AimType").isin(1) & number("ProgType").isin(25) & number("Outcome").isin(1) & blank("AchDate"))
def ach_date_08(aim):
    return True


@rule("AchDate_09", severity=ERROR, entity="LearningDelivery", fields=("AchDate",),
      message="An achievement date ({AchDate}) is recorded on an aim that must not have one. Only apprenticeship "
              "standard programme aims (funding model 36 or 81) and Skills Bootcamps use it: clear the "
              "achievement date here.",
      when=date("AchDate").known() & date("LearnStartDate").compare(">", ACH_DATE_UNUSED_AFTER))
def ach_date_09(aim):
    if aim.aim_type == 1 and aim.prog_type == 25 and aim.fund_model in (36, 81):
        return False
    return not _is_skills_bootcamp(aim)


@rule("AchDate_12", severity=ERROR, entity="LearningDelivery", fields=("AchDate",), fund_models=(36,),
      message="This apprenticeship standard programme aim is marked completed (completion status 2) with an "
              "actual end date of {LearnActEndDate}, but has no achievement date. Enter the date the "
              "apprenticeship was achieved.",
      when=(number("AimType").isin(1) & number("ProgType").isin(25) & number("CompStatus").isin(2)
      & blank("AchDate") & date("LearnActEndDate").compare(">=", ACH_DATE_REQUIRED_ENDS_FROM)))
def ach_date_12(aim):
    return True


@rule("AchDate_13", severity=ERROR, entity="LearningDelivery", fields=("AchDate",),
      message="The Skills Bootcamp achievement date {AchDate} is more than six months after the actual end date "
              "{LearnActEndDate}. Check both dates; the achievement must be recorded within six months of the "
              "end of the bootcamp.",
      when=(number("AimType").isin(1) & number("ProgType").isin(32) & date("AchDate").known()
      & date("LearnActEndDate").known()))
def ach_date_13(aim):
    return aim.ach > _add_months(aim.act_end, 6)
