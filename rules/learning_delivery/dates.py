"""Rules about an aim's start, planned end and actual end dates."""

import datetime as dt

from ilrkit.rules.columns import date, number
from ilrkit.rules.registry import ERROR, rule
from ilrkit.rules.values import add_years

SKILLS_BOOTCAMPS_FROM = dt.date(2022, 8, 1)


def _teaching_year_end(aim) -> dt.date:
    start = aim.learner.teaching_year_start
    return dt.date(start.year + 1, 7, 31)


@rule("LearnStartDate_03", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",),
      message="The learning start date {LearnStartDate} is after the end of this teaching year. Only aims that "
              "start by 31 July can go in this year's return: check the date, or leave the aim out until next "
              "year.",
      when=number("FundModel").notin(36, 37) & number("ProgType").notin(25, 31) & date("LearnStartDate").known())
def learn_start_date_03(aim):
    # apprenticeships, T Level programmes and Skills Bootcamps may be recorded ahead of their start; the
    # agency's two published versions of the exclusions differ slightly, so both are applied
    return aim.start > _teaching_year_end(aim)


@rule("LearnStartDate_05", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",),
      message="The learning start date {LearnStartDate} is not after the learner's date of birth. One of the "
              "two dates is wrong: check them against the enrolment form.")
def learn_start_date_05(aim):
    dob = aim.learner.dob
    return dob is not None and aim.start is not None and dob >= aim.start


@rule("LearnStartDate_12", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",),
      message="The apprenticeship learning start date {LearnStartDate} is more than a year after the end of this "
              "teaching year. Check the date; an apprenticeship cannot be recorded that far ahead.",
      when=number("ProgType").isin(25) & date("LearnStartDate").known())
def learn_start_date_12(aim):
    return aim.start > add_years(_teaching_year_end(aim), 1)


@rule("LearnStartDate_21", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",),
      fund_models=(37,),
      message="The learning start date {LearnStartDate} is before 1 August 2022, but Skills Bootcamp funding "
              "(funding model 37) only applies to starts from that date. Check the start date or the funding "
              "model.",
      when=date("LearnStartDate").compare("<", SKILLS_BOOTCAMPS_FROM))
def learn_start_date_21(aim):
    return True


@rule("LearnPlanEndDate_02", severity=ERROR, entity="LearningDelivery", fields=("LearnPlanEndDate",),
      message="The planned end date {LearnPlanEndDate} is before the learning start date {LearnStartDate}. "
              "Check both dates; the planned end date must be on or after the start.",
      when=date("LearnPlanEndDate").compare("<", "LearnStartDate"))
def learn_plan_end_date_02(aim):
    return True


@rule("LearnPlanEndDate_03", severity=ERROR, entity="LearningDelivery", fields=("LearnPlanEndDate",),
      message="The planned end date {LearnPlanEndDate} is a decade or further on from the start date "
              "{LearnStartDate}, which is too long for any aim. Check the year in both dates (a typing slip is "
              "the usual cause).",
      when=date("LearnPlanEndDate").compare(">=", "LearnStartDate", years=10))
def learn_plan_end_date_03(aim):
    return True


@rule("LearnActEndDate_01", severity=ERROR, entity="LearningDelivery", fields=("LearnActEndDate",),
      message="The actual end date {LearnActEndDate} is before the learning start date {LearnStartDate}. "
              "Check both dates; an aim cannot end before it starts.",
      when=date("LearnActEndDate").compare("<", "LearnStartDate"))
def learn_act_end_date_01(aim):
    return True
