"""Skills Bootcamps (programme type 32): programme and component aims under one contract, event aims and
event indicators."""

from __future__ import annotations

import calendar
import datetime as dt

from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

BOOTCAMP = 32
PROGRAMME, COMPONENT = 1, 3
EVENT_AIMS_OLD = frozenset({"Z0059747", "Z0059748", "Z0059749"})
EVENT_AIMS = EVENT_AIMS_OLD | {"Z0060439", "Z0009541", "Z0060440", "Z0060441", "Z0060442", "Z0060443"}
EVENTS_REPLACED = dt.date(2025, 8, 1)  # from this date event indicators (EVI) replace event aims
AUG_2023 = dt.date(2023, 8, 1)
AUG_2024 = dt.date(2024, 8, 1)
JUL_2025 = dt.date(2025, 7, 31)


def _contract_key(aim) -> tuple:
    return aim.fund_model, aim.prog_type, aim["ConRefNumber"]


def _bootcamp_programmes(learner) -> list:
    """The learner's Skills Bootcamp programme aims (kept on the view: a dozen rules ask, some once per aim;
    do not change the list)."""
    try:
        return learner._bootcamp_programmes
    except AttributeError:
        found = learner._bootcamp_programmes = [a for a in learner.aims
                                                if a.aim_type == PROGRAMME and a.prog_type == BOOTCAMP]
        return found


def _latest(aims: list):
    dated = [a for a in aims if a.start is not None]
    return max(dated, key=lambda a: a.start) if dated else None


def _earliest_start_by_contract(learner) -> dict:
    """ConRefNumber -> earliest start of the learner's bootcamp programme aims under that contract."""
    out: dict = {}
    for aim in _bootcamp_programmes(learner):
        if aim.start is not None:
            ref = aim["ConRefNumber"]
            out[ref] = min(out.get(ref, aim.start), aim.start)
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule("R_134", severity=ERROR, scope="learner", entity="EmploymentStatusMonitoring", fields=("ESMCode",),
      message="The employment status from {DateEmpStatApp} records a small or medium employer (OET 2), which is "
              "only for Skills Bootcamps, but the learner has no Skills Bootcamp aim (programme type 32). Remove "
              "OET 2, or check the learner's aims.")
def r_134(learner):
    found = [Hit(record=m, field="ESMCode", entity="EmploymentStatusMonitoring",
                 values={"DateEmpStatApp": s["DateEmpStatApp"]})
             for s in learner.employment for m in s.monitoring
             if m.get("ESMType") == "OET" and m.get("ESMCode") == "2"]
    if not found or any(a.prog_type == BOOTCAMP for a in learner.aims):
        return None
    if any(a.has_fam("DAM", "023") for a in learner.aims):
        return None  # devolved authority delivery exclusion
    return found


@rule("R_135", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This Skills Bootcamp component aim has no Skills Bootcamp programme aim with the same funding "
              "model ({FundModel}) and contract reference ({ConRefNumber}). Add the programme aim or correct "
              "these fields.")
def r_135(learner):
    programmes = {_contract_key(a) for a in _bootcamp_programmes(learner)}
    return [Hit(record=a) for a in learner.aims if a.aim_type == COMPONENT and a.prog_type == BOOTCAMP
            and _contract_key(a) not in programmes]


@rule("R_136", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AimType",),
      message="This Skills Bootcamp programme aim has no component aim with the same funding model ({FundModel}) "
              "and contract reference ({ConRefNumber}). Add the bootcamp's learning aim.")
def r_136(learner):
    components = {_contract_key(a) for a in learner.aims if a.aim_type == COMPONENT and a.prog_type == BOOTCAMP}
    return [Hit(record=a) for a in _bootcamp_programmes(learner) if _contract_key(a) not in components]


@rule("R_138", severity=ERROR, scope="file", entity="LearningDelivery", fields=("AchDate",),
      message="This Skills Bootcamp programme is completed (completion status 2) but has no achievement date "
              "and the learner has no bootcamp event aim. Record the achievement date when the learner achieved, "
              "or the event aim that applies.")
def r_138(ctx):
    prepared = as_date(ctx.data.header.get("FilePreparationDate"))
    found = []
    for learner in ctx.learners:
        programmes = _bootcamp_programmes(learner)
        if not programmes or any(a["LearnAimRef"] in EVENT_AIMS_OLD for a in learner.aims):
            continue
        for aim in programmes:
            if aim.comp_status != 2 or aim.start is None or aim.start > JUL_2025:
                continue
            if prepared and aim.act_end and prepared > add_months(aim.act_end, 6):
                continue  # completed more than six months before the file was prepared
            latest = _latest([p for p in programmes if p["ConRefNumber"] == aim["ConRefNumber"]]) or aim
            if latest.ach is None:
                found.append(Hit(record=aim))
    return found


@rule("R_140", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnActEndDate",),
      message="This Skills Bootcamp component aim is still open, but its programme aim has ended. Record the "
              "actual end date (and outcome) of this aim, or reopen the programme aim if learning continues.")
def r_140(learner):
    found = []
    for aim in learner.aims:
        if aim.aim_type != COMPONENT or aim.prog_type != BOOTCAMP or aim.act_end is not None:
            continue
        latest = _latest([p for p in _bootcamp_programmes(learner) if _contract_key(p) == _contract_key(aim)])
        if latest is not None and latest.act_end is not None:
            found.append(Hit(record=aim))
    return found


@rule("R_143", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnActEndDate",),
      message="This Skills Bootcamp programme aim ends on {LearnActEndDate}, before its last component aim ends "
              "({component_end}). The programme cannot end before the learning within it: correct the dates.")
def r_143(learner):
    found = []
    groups = {_contract_key(p) for p in _bootcamp_programmes(learner)}
    for key in groups:
        latest = _latest([p for p in _bootcamp_programmes(learner) if _contract_key(p) == key])
        if latest is None or latest.act_end is None:
            continue
        ends = [a.act_end for a in learner.aims
                if a.aim_type == COMPONENT and _contract_key(a) == key and a.act_end is not None]
        if ends and latest.act_end < max(ends):
            found.append(Hit(record=latest, values={"component_end": max(ends).isoformat()}))
    return found


@rule("R_144", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("AchDate",),
      message="The achievement date {AchDate} of this Skills Bootcamp is before the programme's earliest start "
              "date ({earliest}) under contract {ConRefNumber}. Correct the achievement date.")
def r_144(learner):
    earliest_by_ref: dict = {}
    for aim in learner.aims:
        if aim.aim_type == PROGRAMME and aim.start is not None:
            ref = aim["ConRefNumber"]
            earliest_by_ref[ref] = min(earliest_by_ref.get(ref, aim.start), aim.start)
    return [Hit(record=a, values={"earliest": earliest_by_ref[a["ConRefNumber"]].isoformat()})
            for a in _bootcamp_programmes(learner)
            if a.start is not None and a.start >= AUG_2023 and a.ach is not None
            and a.ach < earliest_by_ref[a["ConRefNumber"]]]


@rule("R_150", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnStartDate",),
      message="This Skills Bootcamp event aim starts on {LearnStartDate}, before the bootcamp programme under "
              "the same contract starts ({earliest}). Correct the event aim's start date.")
def r_150(learner):
    earliest = _earliest_start_by_contract(learner)
    found = []
    for aim in learner.aims:
        first = earliest.get(aim["ConRefNumber"])
        if (aim["LearnAimRef"] in EVENT_AIMS and first is not None and AUG_2024 <= first <= JUL_2025
                and aim.start is not None and aim.start < first):
            found.append(Hit(record=aim, values={"earliest": first.isoformat()}))
    return found


def _evi_fams(learner, ref) -> list[dict]:
    return [f for a in learner.aims if a.prog_type == BOOTCAMP and a["ConRefNumber"] == ref
            for f in a.fams_of("EVI")]


@rule("R_152", severity=ERROR, scope="learner", entity="LearningDeliveryFAM", fields=("LearnDelFAMType",),
      message="An event indicator (EVI) is recorded for a Skills Bootcamp that started on {earliest}, before "
              "1 August 2025. Bootcamps that started before then record events as event aims: remove the EVI "
              "record.")
def r_152(learner):
    return [Hit(record=f, field="LearnDelFAMType", entity="LearningDeliveryFAM",
                values={"earliest": first.isoformat()})
            for ref, first in _earliest_start_by_contract(learner).items() if first < EVENTS_REPLACED
            for f in _evi_fams(learner, ref)]


@rule("R_153", severity=ERROR, scope="learner", entity="LearningDeliveryFAM", fields=("LearnDelFAMDateFrom",),
      message="The event indicator (EVI) applies from {LearnDelFAMDateFrom}, before 1 August 2025. For a Skills "
              "Bootcamp starting on or after that date, event indicators must apply from 1 August 2025 or "
              "later: correct the date from.")
def r_153(learner):
    found = []
    for ref, first in _earliest_start_by_contract(learner).items():
        if first < EVENTS_REPLACED:
            continue
        for fam in _evi_fams(learner, ref):
            day = as_date(fam.get("LearnDelFAMDateFrom"))
            if day is not None and day < EVENTS_REPLACED:
                found.append(Hit(record=fam, field="LearnDelFAMDateFrom", entity="LearningDeliveryFAM"))
    return found


@rule("R_154", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnAimRef",),
      message="The Skills Bootcamp event aim {LearnAimRef} is recorded for a bootcamp that started on or after "
              "1 August 2025, when event aims were replaced. Remove this aim and record the event with an event "
              "indicator (EVI) on the programme aim instead.")
def r_154(learner):
    earliest = _earliest_start_by_contract(learner)
    return [Hit(record=a) for a in learner.aims
            if a.aim_type == COMPONENT and a["LearnAimRef"] in EVENT_AIMS
            and earliest.get(a["ConRefNumber"], dt.date.min) >= EVENTS_REPLACED]
