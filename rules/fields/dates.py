"""Rules that hold one date to a fixed limit: the teaching year, a floor date, or the file preparation date.

Well-formed ISO dates compare correctly as text, so each test is a vectorised comparison; a value that is
not a date is left to ILR_DateFormat. The file preparation date is the table's ``_file_date`` context
column (see ``schemas.prepare``).
"""

from __future__ import annotations

import pandas as pd

from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import field_rule
from ilrkit.rules.fields.words import uk_date
from ilrkit.rules.values import add_years
from ilrkit.schemas import DEFAULT_YEAR, Spec, load_spec

EMPLOYMENT_FLOOR = "1990-08-01"
MAX_AGE = 115  # DateOfBirth_04: an age of 115 or more at the start of the teaching year is not credible
OLDEST_START_YEARS = 10  # LearnStartDate_02: a start more than 10 years before the teaching year


def year_start(spec: Spec) -> str:
    return spec.teaching_year_start.isoformat()


def year_end(spec: Spec) -> str:
    return spec.teaching_year_end.isoformat()


def oldest_birth(spec: Spec) -> str:
    """The latest date of birth that is already 115 on the first day of the teaching year."""
    return add_years(spec.teaching_year_start, -MAX_AGE).isoformat()


def oldest_start(spec: Spec) -> str:
    return add_years(spec.teaching_year_start, -OLDEST_START_YEARS).isoformat()


def _day(row: dict, field: str, ctx) -> dict:
    """The message's dates: the value, the file preparation date and the teaching year of the data."""
    from ilrkit.rules.fields.schemas import file_date

    spec = ctx.spec if ctx is not None else load_spec(DEFAULT_YEAR)
    return {"date": uk_date(row.get(field)), "file_date": uk_date(file_date(ctx)) if ctx is not None else "",
            "year_start": uk_date(year_start(spec)), "year_end": uk_date(year_end(spec))}


def _after_file_date(field: str):
    def fails(df: pd.DataFrame, spec: Spec) -> pd.Series:
        values = masks.col(df, field)
        return values.notna() & masks.dates_after(values, df["_file_date"])

    return fails


field_rule("DateOfBirth_04", "Learner", "DateOfBirth",
           lambda s, spec: masks.is_date(s) & (masks.text(s) <= oldest_birth(spec)), values=_day,
           message=f"The date of birth {{date}} makes the learner {MAX_AGE} or older on {{year_start}}, the "
                   "start of the teaching year. Check the date, especially the year.")
field_rule("DateOfBirth_27", "Learner", "DateOfBirth",
           lambda s, spec: masks.is_date(s) & (masks.text(s) >= year_start(spec)), values=_day,
           message="The date of birth {date} is on or after {year_start}, the start of the teaching year, so it "
                   "cannot be right. Check the date, especially the year.")
field_rule("DateEmpStatApp_01", "LearnerEmploymentStatus", "DateEmpStatApp",
           lambda s, spec: masks.dates_after(s, year_end(spec)), values=_day,
           message="The employment status applies from {date}, after the teaching year ends on {year_end}. "
                   "Record only statuses that apply by the end of this teaching year.")
field_rule("DateEmpStatApp_02", "LearnerEmploymentStatus", "DateEmpStatApp",
           lambda s, spec: masks.dates_before(s, EMPLOYMENT_FLOOR), values=_day,
           message=f"The employment status applies from {{date}}, before {uk_date(EMPLOYMENT_FLOOR)}, the "
                   "earliest date the ILR accepts. Check the date, especially the year.")
field_rule("LearnStartDate_02", "LearningDelivery", "LearnStartDate",
           lambda s, spec: masks.dates_before(s, oldest_start(spec)), values=_day,
           message=f"The learning start date {{date}} is more than {OLDEST_START_YEARS} years before the "
                   "teaching year began ({year_start}). Check the date, especially the year.")
field_rule("AchDate_02", "LearningDelivery", "AchDate",
           lambda s, spec: masks.dates_after(s, year_end(spec)), values=_day,
           message="The achievement date {date} is after the end of the teaching year ({year_end}). Check the "
                   "date; an achievement can only be recorded once it has happened.")
field_rule("AchDate_07", "LearningDelivery", "AchDate", _after_file_date("AchDate"), frame=True, values=_day,
           message="The achievement date {date} is after the file preparation date ({file_date}). Check the "
                   "date; record the achievement only once it has happened.")
field_rule("LearnActEndDate_04", "LearningDelivery", "LearnActEndDate", _after_file_date("LearnActEndDate"),
           frame=True, values=_day,
           message="The actual end date {date} is after the file preparation date ({file_date}). Check the "
                   "date; enter the actual end date only once learning has ended.")
field_rule("PriorAttain_09", "PriorAttain", "DateLevelApp", _after_file_date("DateLevelApp"), frame=True,
           values=_day,
           message="The prior attainment applies-from date {date} is after the file preparation date "
                   "({file_date}). Check the date; it is the date the learner reached that level.")
