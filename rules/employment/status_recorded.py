"""An employment status must be recorded before the learner starts (which aims need one, and from when)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.columns import date, number
from ilrkit.rules.derived import dd07_is_apprenticeship
from ilrkit.rules.employment._common import has_status_before
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import as_int

AUG_2012 = dt.date(2012, 8, 1)
JUL_2014 = dt.date(2014, 7, 31)
AUG_2014 = dt.date(2014, 8, 1)
STUDY_HOURS_THRESHOLD = 540


def _community_learning(aim) -> bool:
    return aim.fund_model == 99 and aim.has_fam("SOF", "108")


def _adult_on_31_august(aim) -> bool:
    age = aim.age_on_31_august_of_start_year
    return age is not None and age >= 19


@rule("EmpStat_01", severity=ERROR, scope="aim", fields=("LearnStartDate",), fund_models=(35, 81, 99),
      message="No employment status is recorded on or before the start date {LearnStartDate} of this aim. Add "
              "the learner's employment status as it was just before they started.",
      when=date("LearnStartDate").compare(">=", AUG_2012) & date("LearnStartDate").compare("<=", JUL_2014))
def empstat_01(aim):
    if dd07_is_apprenticeship(aim.prog_type) or _community_learning(aim) or not _adult_on_31_august(aim):
        return False
    return not has_status_before(aim.learner, aim.start, on_day_counts=True)


@rule("EmpStat_02", severity=ERROR, scope="aim", fields=("LearnStartDate",),
      message="No employment status is recorded on or before the start date {LearnStartDate} of this "
              "apprenticeship programme. Add the learner's employment status as it was when they started.",
      when=date("LearnStartDate").compare("<=", JUL_2014) & number("AimType").isin(1))
def empstat_02(aim):
    if not dd07_is_apprenticeship(aim.prog_type):
        return False
    return not has_status_before(aim.learner, aim.start, on_day_counts=True)


@rule("EmpStat_08", severity=ERROR, scope="aim", fields=("LearnStartDate",), fund_models=(35, 37, 81, 99),
      message="No employment status is recorded before the start date {LearnStartDate} of this aim. Add the "
              "learner's employment status dated before they started (for example the day before).")
def empstat_08(aim):
    start = aim.start
    if start is None or start < AUG_2014:
        return False
    if dd07_is_apprenticeship(aim.prog_type) or _community_learning(aim) or not _adult_on_31_august(aim):
        return False
    return not has_status_before(aim.learner, start)


# The agency's detailed text for EmpStat_09 repeats EmpStat_08's; we follow its own summary, error message and
# intent: apprenticeship programmes starting from 1 August 2014 need a status dated before the start.
@rule("EmpStat_09", severity=ERROR, scope="aim", fields=("LearnStartDate",),
      message="No employment status is recorded before the start date {LearnStartDate} of this apprenticeship "
              "programme. Add the apprentice's employment status dated before they started.",
      when=date("LearnStartDate").compare(">=", AUG_2014) & number("AimType").isin(1))
def empstat_09(aim):
    if not dd07_is_apprenticeship(aim.prog_type):
        return False
    return not has_status_before(aim.learner, aim.start)


@rule("EmpStat_11", severity=ERROR, scope="aim", fields=("LearnStartDate",), fund_models=(25, 82),
      message="This 16-19 learner plans fewer than 540 hours in the year (learning plus employability, "
              "enrichment and pastoral hours), so an employment status dated before the start date "
              "{LearnStartDate} is needed. Add the learner's employment status.")
def empstat_11(aim):
    start = aim.start
    if start is None or start < AUG_2014:
        return False
    learner = aim.learner
    hours = (as_int(learner["PlanLearnHours"]) or 0) + (as_int(learner["PlanEEPHours"]) or 0)
    return hours < STUDY_HOURS_THRESHOLD and not has_status_before(learner, start)


@rule("EmpStat_21", severity=ERROR, scope="aim", fields=("LearnStartDate",), fund_models=(38,),
      message="No employment status is recorded before the start date {LearnStartDate} of this Adult Skills "
              "Fund aim. Add the learner's employment status dated before they started.")
def empstat_21(aim):
    start = aim.start
    if start is None or not _adult_on_31_august(aim):
        return False
    return not has_status_before(aim.learner, start)


@rule("EmpStat_22", severity=ERROR, scope="aim", fields=("LearnStartDate",), fund_models=(11,),
      message="No employment status is recorded on or before the start date {LearnStartDate} of this Tailored "
              "Learning aim. Add the learner's employment status as it was when they started.")
def empstat_22(aim):
    start = aim.start
    return start is not None and not has_status_before(aim.learner, start, on_day_counts=True)
