"""LDM rules for procured Adult Education Budget contracts and Free Courses for Jobs."""

import datetime as dt

from ilrkit.rules.columns import date, has_fam
from ilrkit.rules.learning_delivery.fam_types_common import codes_by_type, fam_hits, has
from ilrkit.rules.registry import ERROR, rule

FREE_COURSES = "378"  # Level 3 Free Courses for Jobs
LOW_WAGE = "382"  # Free Courses for Jobs for low wage learners
EARNINGS_THRESHOLD = "391"
AEB_2021, AEB_2023 = "379", "388"
FREE_COURSES_FROM = dt.date(2021, 4, 1)
LOW_WAGE_NEEDS_378_TO = dt.date(2024, 7, 31)
THRESHOLD_FROM = dt.date(2024, 8, 1)


def _aeb_problem(aim, fund_models: tuple[int, ...]) -> str | None:
    """What stops an aim carrying a procured AEB code, in words, or None if nothing does."""
    if aim.fund_model not in fund_models:
        return f"its funding model is {aim['FundModel'] or 'blank'}"
    other = sorted((code for code in codes_by_type(aim).get("SOF", ()) if code != "105"), key=str)
    if other:
        return f"its source of funding is {', '.join(str(c) for c in other)}"
    if aim["ProgType"] is not None:
        return f"it has a programme type ({aim['ProgType']})"
    return None


@rule("LearnDelFAMType_100", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The Level 3 Free Courses for Jobs code (LDM 378) only applies to aims started on or after "
              "2021-04-01, but this aim started on {LearnStartDate}. Remove the code or check the start date.",
      when=date("LearnStartDate").compare("<", FREE_COURSES_FROM) & has_fam("LDM", FREE_COURSES))
def learndelfamtype_100(aim):
    return aim.start is not None and aim.start < FREE_COURSES_FROM and fam_hits(aim, "LDM", {FREE_COURSES})


@rule("LearnDelFAMType_108", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim, started on {LearnStartDate}, has the Free Courses for Jobs low wage code (LDM 382) "
              "but not the Level 3 Free Courses for Jobs code (LDM 378), which must go with it for starts up "
              "to 2024-07-31. Add LDM 378, or remove LDM 382.",
      when=(date("LearnStartDate").compare("<=", LOW_WAGE_NEEDS_378_TO) & ~has_fam("LDM", FREE_COURSES)
      & has_fam("LDM", LOW_WAGE)))
def learndelfamtype_108(aim):
    return fam_hits(aim, "LDM", {LOW_WAGE})


@rule("LearnDelFAMType_120", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim, started on {LearnStartDate}, has the Free Courses for Jobs code (LDM 378) but not the "
              "earnings threshold code (LDM 391), which must go with it for starts from 2024-08-01. Add LDM "
              "391, or remove LDM 378 if the aim is not Free Courses for Jobs.",
      when=(date("LearnStartDate").compare(">=", THRESHOLD_FROM) & ~has_fam("LDM", EARNINGS_THRESHOLD)
      & has_fam("LDM", FREE_COURSES)))
def learndelfamtype_120(aim):
    return fam_hits(aim, "LDM", {FREE_COURSES})


@rule("LearnDelFAMType_105", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The procured Adult Education Budget 2021 code (LDM 379) is only used on adult funded (SOF 105) "
              "adult skills or Community Learning aims (FundModel 35 or 10) with no programme type, but "
              "{problem}. Correct the aim or remove the LDM code.",
      when=has_fam("LDM", AEB_2021))
def learndelfamtype_105(aim):
    if not has(aim, "LDM", AEB_2021):
        return None
    problem = _aeb_problem(aim, (35, 10))
    return problem is not None and fam_hits(aim, "LDM", {AEB_2021}, values={"problem": problem})


@rule("LearnDelFAMType_116", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="The procured Adult Education Budget 2023 code (LDM 388) is only used on adult funded (SOF 105) "
              "aims with FundModel 35, 38, 11 or 10 and no programme type, but {problem}. Correct the aim or "
              "remove the LDM code.",
      when=has_fam("LDM", AEB_2023))
def learndelfamtype_116(aim):
    if not has(aim, "LDM", AEB_2023):
        return None
    problem = _aeb_problem(aim, (35, 10, 11, 38))
    return problem is not None and fam_hits(aim, "LDM", {AEB_2023}, values={"problem": problem})


@rule("LearnDelFAMType_115", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",),
      message="This aim has both the procured Adult Education Budget 2021 code (LDM 379) and the 2023 code "
              "(LDM 388); an aim belongs to one procurement only. Remove the one that does not apply.",
      when=has_fam("LDM", AEB_2021) & has_fam("LDM", AEB_2023))
def learndelfamtype_115(aim):
    return has(aim, "LDM", AEB_2021) and fam_hits(aim, "LDM", {AEB_2023})
