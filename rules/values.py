"""Read ILR text values as dates and numbers, once, without raising on bad input.

Bad values are the field-definition rules' business; every other rule sees ``None`` for them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^\s*[+-]?\d+\s*$")


@lru_cache(maxsize=65536)
def as_date(value: str | None) -> dt.date | None:
    if not value or not _ISO.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # rules read the same few codes (FundModel 36, AimType 1, ...) millions of times
def as_int(value: str | None) -> int | None:
    """The whole number a value holds, or None (also for one too long to be any ILR number: int() refuses
    thousands of digits, and no field is longer than 12)."""
    if value is None or len(value) > 100 or not _INT.match(value):
        return None
    return int(value)


def years_between(earlier: dt.date, later: dt.date) -> int:
    """Whole years from ``earlier`` to ``later`` (an age).

    As the agency computes it (its YearsBetween: ``later < earlier.AddYears(n)``), someone born on
    29 February is a year older on 28 February in a year without one, the day ``add_years`` gives.
    """
    years = later.year - earlier.year
    if later < add_years(earlier, years):
        years -= 1
    return years


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def teaching_year_start(day: dt.date) -> dt.date:
    """1 August of the teaching year that ``day`` falls in."""
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def august_31_of_teaching_year(day: dt.date) -> dt.date:
    """31 August at the start of the teaching year that ``day`` falls in."""
    return dt.date(teaching_year_start(day).year, 8, 31)
