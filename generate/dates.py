"""Dates that make sense for one collection year: who is how old, when courses start and end.

Everything is relative to the year's teaching-year start (1 August) and to the day the return is made
(``as_of``), so an aim never ends after the file was prepared and every age band is right on 31 August.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class Calendar:
    """The collection year (1 August to 31 July) and the day the return is prepared."""

    year_start: dt.date
    as_of: dt.date

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year_start.year + 1, 7, 31)

    @property
    def august_31(self) -> dt.date:
        return dt.date(self.year_start.year, 8, 31)

    def birth_date(self, rng: random.Random, age_low: int, age_high: int, on: dt.date | None = None) -> dt.date:
        """A date of birth giving an age from ``age_low`` to ``age_high`` on ``on`` (a 31 August; by
        default this year's)."""
        year = (on or self.august_31).year
        latest = dt.date(year - age_low, 8, 31)
        earliest = dt.date(year - age_high - 1, 9, 1)
        return between(rng, earliest, latest)

    def start_in_year(self, rng: random.Random, latest: dt.date | None = None) -> dt.date:
        """A start date from 1 August up to ``latest`` (default: a month before the return)."""
        return between(rng, self.year_start, latest or (self.as_of - dt.timedelta(days=30)))

    def ended(self, day: dt.date) -> bool:
        """Whether something planned to end on ``day`` has ended by the time of the return."""
        return day <= self.as_of
