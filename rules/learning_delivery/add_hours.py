"""Rules about additional delivery hours (AddHours) and how they spread over the planned learning days."""

import datetime as dt

from ilrkit.rules.columns import date, filled, number
from ilrkit.rules.registry import ERROR, WARNING, rule

ADD_HOURS_FROM = dt.date(2015, 8, 1)


def _hours_and_days(aim) -> tuple[int, int] | None:
    """The additional hours and the planned learning days (start and planned end days both count)."""
    hours = aim.int("AddHours")
    if hours is None or aim.start is None or aim.plan_end is None:
        return None
    days = (aim.plan_end - aim.start).days + 1
    return (hours, days) if days > 0 else None


@rule("AddHours_01", severity=ERROR, entity="LearningDelivery", fields=("AddHours",), fund_models=(35, 36, 38, 81),
      last_year="2025-26",  # AddHours is not collected from 2026-27
      message="Additional delivery hours ({AddHours}) are recorded on an aim that started on {LearnStartDate}, "
              "before 1 August 2015, when they were not yet collected. Clear the additional delivery hours.",
      when=filled("AddHours") & date("LearnStartDate").compare("<", ADD_HOURS_FROM))
def add_hours_01(aim):
    return True


@rule("AddHours_02", severity=ERROR, entity="LearningDelivery", fields=("AddHours",),
      last_year="2025-26",  # AddHours is not collected from 2026-27
      fund_models=(10, 25, 37, 82, 99),
      message="Additional delivery hours ({AddHours}) are not collected for funding model {FundModel}. Clear "
              "the additional delivery hours.",
      when=filled("AddHours"))
def add_hours_02(aim):
    return True


@rule("AddHours_04", severity=ERROR, entity="LearningDelivery", fields=("AddHours",),
      last_year="2025-26",  # AddHours is not collected from 2026-27
      message="The additional delivery hours ({AddHours}) average more than 24 hours a day between the start "
              "date {LearnStartDate} and the planned end date {LearnPlanEndDate}. Check the hours and the dates.",
      when=number("AddHours").known())
def add_hours_04(aim):
    spread = _hours_and_days(aim)
    # compared in whole numbers: hours / days > 24 without rounding
    return spread is not None and spread[0] > 60 and spread[0] > 24 * spread[1]


@rule("AddHours_05", severity=WARNING, entity="LearningDelivery", fields=("AddHours",),
      last_year="2025-26",  # AddHours is not collected from 2026-27
      message="The additional delivery hours ({AddHours}) average more than 35 hours a week between the start "
              "date {LearnStartDate} and the planned end date {LearnPlanEndDate}. Check that the hours are right.",
      when=number("AddHours").known())
def add_hours_05(aim):
    spread = _hours_and_days(aim)
    # hours / (days / 7) > 35
    return spread is not None and spread[0] > 60 and spread[0] * 7 > 35 * spread[1]


@rule("AddHours_06", severity=WARNING, entity="LearningDelivery", fields=("AddHours",),
      last_year="2025-26",  # AddHours is not collected from 2026-27
      message="The additional delivery hours ({AddHours}) average more than 9 hours a day between the start "
              "date {LearnStartDate} and the planned end date {LearnPlanEndDate}. Check that the hours are right.",
      when=number("AddHours").known())
def add_hours_06(aim):
    spread = _hours_and_days(aim)
    return spread is not None and 9 * spread[1] < spread[0] < 24 * spread[1]
