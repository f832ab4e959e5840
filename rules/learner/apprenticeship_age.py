"""Apprenticeship rules kept under the date of birth: minimum durations and the school leaving age.

Durations are the agency's date subtraction in days (end date minus start date).
"""

import datetime as dt

from ilrkit.rules.derived import dd04_programme_start
from ilrkit.rules.learner._common import days_between
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import add_years

# Fixed dates of the agency's rule texts (policy changes), not the collection year's: standards started
# August 2016 to July 2025 keep the 365-day minimum in every later year, and the 242-day minimum holds
# from August 2025 on. The teaching year's own dates come from the year pack (ilrkit.rules.year).
FIRST_STANDARDS = dt.date(2014, 8, 1)
END_2015_16 = dt.date(2016, 7, 31)
FROM_2016_17 = dt.date(2016, 8, 1)
END_2024_25 = dt.date(2025, 7, 31)
FROM_2025_26 = dt.date(2025, 8, 1)


def _standard_programme(aim, fund_models) -> bool:
    """A programme aim (AimType 1) of an apprenticeship standard (ProgType 25), not a restart."""
    return (aim.fund_model in fund_models and aim.prog_type == 25 and aim.aim_type == 1
            and not aim.has_fam("RES") and aim.start is not None)


def _short(aim, end_field, days, **values):
    end = aim.plan_end if end_field == "LearnPlanEndDate" else aim.act_end
    length = days_between(aim.start, end)
    if length is None or length >= days:
        return None
    return Hit(record=aim, field=end_field, values={"days": length, **values})


@rule("DateOfBirth_37", severity=ERROR, entity="LearningDelivery", fields=("LearnPlanEndDate",),
      fund_models=(35, 81),
      message="This apprenticeship standard programme started on {LearnStartDate} (between August 2014 and July "
              "2016) for a learner aged 19 or over, but is planned to last only {days} days to {LearnPlanEndDate}. "
              "It must be planned to last at least 365 days: check both dates.")
def date_of_birth_37(aim):
    if not _standard_programme(aim, (35, 81)) or not FIRST_STANDARDS <= aim.start <= END_2015_16:
        return None
    age = aim.age_at_start
    return age is not None and age >= 19 and _short(aim, "LearnPlanEndDate", 365)


@rule("DateOfBirth_40", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate",),
      fund_models=(35, 81),
      message="This achieved apprenticeship standard programme started on {LearnStartDate} (before August "
              "2016) for a learner aged 19 or over, but lasted only {days} days to {LearnActEndDate}. It must "
              "last at least 365 days: check both dates and the outcome.")
def date_of_birth_40(aim):
    if not _standard_programme(aim, (35, 81)) or aim.start > END_2015_16 or aim.outcome != 1:
        return None
    age = aim.age_at_start
    return age is not None and age >= 19 and _short(aim, "LearnActEndDate", 365)


@rule("DateOfBirth_46", severity=ERROR, entity="LearningDelivery", fields=("LearnPlanEndDate",),
      fund_models=(36, 81),
      message="This apprenticeship standard programme started on {LearnStartDate} but is planned to last only "
              "{days} days to {LearnPlanEndDate}. Standards that started between August 2016 and July 2025 "
              "must be planned to last at least 365 days: check both dates.")
def date_of_birth_46(aim):
    if not _standard_programme(aim, (36, 81)) or not FROM_2016_17 <= aim.start <= END_2024_25:
        return None
    age = aim.age_at_start
    return age is not None and age >= 16 and _short(aim, "LearnPlanEndDate", 365)


@rule("DateOfBirth_47", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate",),
      fund_models=(36, 81),
      message="This apprenticeship standard programme started on {LearnStartDate} and is recorded as completed, "
              "but lasted only {days} days to {LearnActEndDate}. Standards that started between August 2016 "
              "and July 2025 must last at least 365 days: check both dates and the completion status.")
def date_of_birth_47(aim):
    if not _standard_programme(aim, (36, 81)) or not FROM_2016_17 <= aim.start <= END_2024_25:
        return None
    return aim.comp_status == 2 and _short(aim, "LearnActEndDate", 365)


@rule("DateOfBirth_57", severity=ERROR, entity="LearningDelivery", fields=("LearnPlanEndDate",),
      fund_models=(36,),
      message="This apprenticeship standard programme starts on {LearnStartDate} but is planned to last only "
              "{days} days to {LearnPlanEndDate}. From August 2025 a standard must be planned to last at least "
              "242 days (about 8 months): check both dates.")
def date_of_birth_57(aim):
    if not _standard_programme(aim, (36,)) or aim.start < FROM_2025_26:
        return None
    age = aim.age_at_start
    return age is not None and age >= 16 and _short(aim, "LearnPlanEndDate", 242)


@rule("DateOfBirth_58", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate",),
      fund_models=(36,),
      message="This apprenticeship standard programme started on {LearnStartDate} and is recorded as completed, "
              "but lasted only {days} days to {LearnActEndDate}. From August 2025 a standard must last at least "
              "242 days: check both dates and the completion status.")
def date_of_birth_58(aim):
    if not _standard_programme(aim, (36,)) or aim.start < FROM_2025_26:
        return None
    return aim.comp_status == 2 and _short(aim, "LearnActEndDate", 242)


def last_friday_in_june_of_year_turning_16(dob: dt.date) -> dt.date:
    """The last Friday in June of the school year (1 September to 31 August) in which the learner turns 16."""
    sixteenth = add_years(dob, 16)
    year = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    june_30 = dt.date(year, 6, 30)
    return june_30 - dt.timedelta(days=(june_30.weekday() - 4) % 7)


@rule("DateOfBirth_48", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",),
      message="The apprenticeship programme starts on {programme_start}, but the learner (born {DateOfBirth}) "
              "is under school leaving age until after {leaving_day}, the last Friday in June of the school "
              "year they turn 16. Check the start date and the date of birth.")
def date_of_birth_48(aim):
    if not aim.is_apprenticeship or aim.start is None or aim.start < FROM_2016_17:
        return None
    dob = aim.learner.dob
    programme_start = dd04_programme_start(aim)
    if dob is None or programme_start is None:
        return None
    leaving_day = last_friday_in_june_of_year_turning_16(dob)
    if programme_start > leaving_day:
        return None
    return Hit(record=aim, field="LearnStartDate",
               values={"programme_start": programme_start.isoformat(), "leaving_day": leaving_day.isoformat(),
                       "DateOfBirth": aim.learner["DateOfBirth"]})
