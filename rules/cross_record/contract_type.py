"""Apprenticeship contract type (ACT) periods: they must start with the aim, follow on day by day, agree
across the learner's aims, and close when the aim ends."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.columns import children, date, has_fam, number, text_in
from ilrkit.rules.cross_record._common import fam_from, fam_to, latest_fam
from ilrkit.rules.registry import ERROR, Hit, rule

FAM = "LearningDeliveryFAM"
ONE_DAY = dt.timedelta(days=1)


def _acts(aim) -> list[dict]:
    return aim.fams_of("ACT")


def _in_order(fams: list[dict]) -> list[dict]:
    return sorted((f for f in fams if fam_from(f) is not None), key=fam_from)


def _fam_hit(fam: dict, field: str, **values) -> Hit:
    return Hit(record=fam, field=field, entity=FAM, values=values or None)


@rule("R_101", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateTo",),
      message="This aim has more than one apprenticeship contract type (ACT) period and they overlap: the "
              "period from {LearnDelFAMDateFrom} must end (date to) before the next one starts. Give the earlier "
              "ACT period an end date before the later one's start.",
      when=children("LearningDeliveryFAM").at_least(2, text_in("LearnDelFAMType", "ACT")))
def r_101(aim):
    acts = _acts(aim)
    if len(acts) < 2:
        return None
    acts = _in_order(acts)
    found = []
    for earlier, later in zip(acts, acts[1:]):
        if fam_to(earlier) is None or fam_from(later) < fam_to(earlier):
            found.append(_fam_hit(earlier, "LearnDelFAMDateTo"))
    return found


@rule("R_102", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateFrom",),
      message="None of this aim's apprenticeship contract type (ACT) records applies from the aim's start date "
              "{LearnStartDate}. The first ACT period must have 'date from' equal to the learning start date.",
      when=has_fam("ACT") & date("LearnStartDate").known())
def r_102(aim):
    acts = _acts(aim)
    if not acts or aim.start is None or any(fam_from(f) == aim.start for f in acts):
        return None
    first = min(acts, key=lambda f: fam_from(f) or dt.date.max)
    return _fam_hit(first, "LearnDelFAMDateFrom", LearnStartDate=aim["LearnStartDate"])


@rule("R_104", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateFrom",),
      message="This apprenticeship contract type (ACT) period starts on {LearnDelFAMDateFrom}, which is not the "
              "day after the previous ACT period ends ({previous_to}). ACT periods must follow on with no gap "
              "or overlap.",
      when=children("LearningDeliveryFAM").at_least(2, text_in("LearnDelFAMType", "ACT")))
def r_104(aim):
    acts = _acts(aim)
    if len(acts) < 2:
        return None
    acts = _in_order(acts)
    found = []
    for earlier, later in zip(acts, acts[1:]):
        end = fam_to(earlier)
        if end is None or fam_from(later) != end + ONE_DAY:
            found.append(_fam_hit(later, "LearnDelFAMDateFrom",
                                  previous_to=earlier.get("LearnDelFAMDateTo") or "no end date given"))
    return found


@rule("R_105", severity=ERROR, scope="learner", entity=FAM, fields=("LearnDelFAMCode",),
      message="The apprenticeship contract type {LearnDelFAMCode} from {LearnDelFAMDateFrom} overlaps a period "
              "with a different contract type on another record. A learner can only be on one contract type at "
              "a time: check the ACT codes and dates across the learner's aims.")
def r_105(learner):
    acts = [f for aim in learner.aims for f in _acts(aim) if fam_from(f) is not None]
    if len(acts) < 2:
        return None
    acts.sort(key=fam_from)
    found = []
    for i, later in enumerate(acts):
        start = fam_from(later)
        for earlier in acts[:i]:
            end = fam_to(earlier)
            if earlier.get("LearnDelFAMCode") != later.get("LearnDelFAMCode") and (end is None or start <= end):
                found.append(_fam_hit(later, "LearnDelFAMCode"))
                break
    return found


@rule("R_110", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateFrom",), fund_models=(36,),
      message="This apprenticeship is funded through a contract with the employer (ACT 1) from "
              "{LearnDelFAMDateFrom}, but the learner's employment status on that date is {EmpStat}, not "
              "employed (10). Record the employment status that applied, or correct the ACT dates.")
def r_110(aim):
    if aim.is_restart:
        return None
    learner = aim.learner
    if learner.employment_by_date:
        latest = learner.employment_by_date[-1]
        if "1" in [m.get("ESMCode") for m in latest.monitoring if m.get("ESMType") == "OET"]:
            return None  # made redundant: the agency allows the apprenticeship to continue
    found = []
    for fam in aim.fams_of("ACT"):
        day = fam_from(fam)
        if fam.get("LearnDelFAMCode") != "1" or day is None:
            continue
        status = learner.employment_on(day)
        if status is None or status.emp_stat != 10:
            found.append(_fam_hit(fam, "LearnDelFAMDateFrom",
                                  EmpStat=status["EmpStat"] if status is not None else "none"))
    return found


def _standard_latest_act(aim) -> dict | None:
    if aim.prog_type != 25:
        return None
    return latest_fam(_acts(aim))


@rule("R_121", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateTo",), fund_models=(36,),
      message="The latest apprenticeship contract type (ACT) period has end date {LearnDelFAMDateTo}, but the "
              "achievement date is {AchDate}. When the apprenticeship is achieved, the last ACT period must end "
              "on the achievement date.",
      when=number("ProgType").isin(25) & has_fam("ACT") & date("AchDate").known())
def r_121(aim):
    act = _standard_latest_act(aim)
    if act is None or aim.ach is None or fam_to(act) == aim.ach:
        return None
    return _fam_hit(act, "LearnDelFAMDateTo", AchDate=aim["AchDate"],
                    LearnDelFAMDateTo=act.get("LearnDelFAMDateTo") or "no date (left open)")


@rule("R_122", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateTo",), fund_models=(36,),
      message="The latest apprenticeship contract type (ACT) period has end date {LearnDelFAMDateTo}, but the aim's "
              "actual end date is {LearnActEndDate}. When learning has stopped and there is no achievement date, "
              "the last ACT period must end on the actual end date.",
      when=number("ProgType").isin(25) & has_fam("ACT") & number("CompStatus").notin(None, 1)
           & ~date("AchDate").known())
def r_122(aim):
    act = _standard_latest_act(aim)
    if act is None or aim.comp_status in (None, 1) or aim.ach is not None or fam_to(act) == aim.act_end:
        return None
    return _fam_hit(act, "LearnDelFAMDateTo", LearnActEndDate=aim["LearnActEndDate"] or "not given",
                    LearnDelFAMDateTo=act.get("LearnDelFAMDateTo") or "no date (left open)")


@rule("R_123", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateTo",), fund_models=(36,),
      message="The learner is still on this apprenticeship (completion status 1), but the latest apprenticeship "
              "contract type (ACT) period has an end date {LearnDelFAMDateTo}. Remove the 'date to' from the "
              "current ACT period.",
      when=number("ProgType").isin(25) & has_fam("ACT") & number("CompStatus").isin(1))
def r_123(aim):
    act = _standard_latest_act(aim)
    if act is None or aim.comp_status != 1 or act.get("LearnDelFAMDateTo") is None:
        return None
    return _fam_hit(act, "LearnDelFAMDateTo")
