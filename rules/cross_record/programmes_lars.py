"""Programme rules that need LARS: T Level technical qualifications and occupational specialisms, Skills
Bootcamp subject aims, component aims closing with their programme, and English and maths aims started during
an apprenticeship."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery._lars_terms import in_category, is_english_or_maths, table_loaded
from ilrkit.rules.learning_delivery.prog_type_lars import BOOTCAMP, BOOTCAMP_SUBJECT, is_technical_qualification
from ilrkit.rules.registry import ERROR, Hit, rule

PROGRAMME, COMPONENT, CORE = 1, 3, 5
AUG_2024, JUL_2024 = dt.date(2024, 8, 1), dt.date(2024, 7, 31)


@rule("R_129", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("ProgType",), needs=("LARS",),
      message="{LearnAimRef} is a T Level technical qualification, but there is no programme aim (aim type 1) "
              "with the same programme type ({ProgType}). Add the T Level programme aim, or correct the programme "
              "type.")
def r_129(learner):
    programmes = {a.prog_type for a in learner.aims if a.aim_type == PROGRAMME}
    return [Hit(record=a) for a in learner.aims
            if a.aim_type == CORE and a.prog_type not in programmes and is_technical_qualification(a)]


def _pathways(aim) -> set[tuple]:
    return {(lars.key(f["FworkCode"]), lars.key(f["PwayCode"])) for f in lars.framework_aims(aim)}


@rule("R_147", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnAimRef",),
      needs=("LARS",),
      message="The occupational specialism {LearnAimRef} does not belong to the same T Level route and pathway as "
              "the learner's technical qualification in LARS. Check both learning aim references.")
def r_147(learner):
    if not learner.aims or not table_loaded(learner.aims[0], lars.FRAMEWORK_AIMS):
        return None
    open_aims = [a for a in learner.aims if a.act_end is None]
    qualifications = [a for a in open_aims if is_technical_qualification(a)]
    specialisms = [a for a in open_aims if (lars.key(a["LearnAimRef"]) or "").startswith("ZTLOS")]
    if not qualifications or not specialisms:
        return None
    routes = set().union(*(_pathways(q) for q in qualifications))
    if not routes:  # LARS lists no route for the qualifications: nothing to compare with
        return None
    # a specialism LARS lists on no route at all cannot be compared either
    return [Hit(record=s) for s in specialisms if _pathways(s) and not _pathways(s) & routes]


def _subject_aims(learner, programme) -> list:
    """The bootcamp's component aims under the programme's contract that LARS lists as subject aims."""
    return [a for a in learner.aims if a.aim_type == COMPONENT and a["ConRefNumber"] == programme["ConRefNumber"]
            and in_category(a, BOOTCAMP_SUBJECT, on_start=True)]


def _components_unknown(learner, programme) -> bool:
    """A component under the programme's contract that LARS does not hold (the LearnAimRef rules report it)."""
    return any(a.aim_type == COMPONENT and a["ConRefNumber"] == programme["ConRefNumber"] and not lars.aim_exists(a)
               for a in learner.aims)


def _bootcamp_programmes(learner) -> list:
    return [a for a in learner.aims if a.aim_type == PROGRAMME and a.prog_type == BOOTCAMP]


@rule("R_139", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("CompStatus",), needs=("LARS",),
      message="This Skills Bootcamp programme is recorded as completed (CompStatus 2), but none of its subject "
              "aims under contract {ConRefNumber} has an actual end date. Add the actual end date to the subject "
              "aim the learner finished, or correct the completion status.")
def r_139(learner):
    return [Hit(record=p) for p in _bootcamp_programmes(learner) if p.comp_status == 2
            and not any(a.act_end is not None for a in _subject_aims(learner, p))
            and not _components_unknown(learner, p)]


@rule("R_141", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnAimRef",),
      needs=("LARS",),
      message="This open Skills Bootcamp programme (contract {ConRefNumber}) has no subject aim: LARS lists none "
              "of its component aims as a Skills Bootcamp subject aim. Add the subject learning aim under the same "
              "contract reference.")
def r_141(learner):
    return [Hit(record=p) for p in _bootcamp_programmes(learner) if p.act_end is None
            and not _subject_aims(learner, p) and not _components_unknown(learner, p)]


@rule("R_149", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnStartDate",),
      needs=("LARS",),
      message="This Skills Bootcamp subject aim starts on {LearnStartDate}, before the bootcamp programme under the "
              "same contract starts ({earliest}). Correct the start dates.")
def r_149(learner):
    earliest: dict = {}
    for p in _bootcamp_programmes(learner):
        if p.start is not None and p.start >= AUG_2024:
            earliest[p["ConRefNumber"]] = min(earliest.get(p["ConRefNumber"], p.start), p.start)
    if not earliest:
        return None
    found = []
    for aim in learner.aims:
        first = earliest.get(aim["ConRefNumber"])
        if (first is not None and aim.aim_type != PROGRAMME and aim.start is not None and aim.start < first
                and in_category(aim, BOOTCAMP_SUBJECT)):
            found.append(Hit(record=aim, values={"earliest": first.isoformat()}))
    return found


def _latest_programmes(learner) -> dict:
    """(ProgType, StdCode) -> the learner's latest-starting programme aim of that programme."""
    latest: dict = {}
    for a in learner.aims:
        if a.aim_type == PROGRAMME and a.prog_type is not None and a.start is not None:
            key = (a.prog_type, a["StdCode"])
            if key not in latest or a.start > latest[key].start:
                latest[key] = a
    return latest


def _components(learner, programme) -> list:
    """Component aims of the programme other than English and maths."""
    return [a for a in learner.aims if a.aim_type == COMPONENT and a.prog_type == programme.prog_type
            and a["StdCode"] == programme["StdCode"] and not is_english_or_maths(a)]


@rule("R_89", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnActEndDate",),
      needs=("LARS",),
      message="This programme aim ended on {LearnActEndDate}, before its last component aim ended ({latest}). "
              "Correct the actual end dates: the programme ends with, or after, its last component (English and "
              "maths aims aside).")
def r_89(learner):
    found = []
    for programme in _latest_programmes(learner).values():
        ends = [a.act_end for a in _components(learner, programme) if a.act_end is not None]
        if programme.act_end is not None and ends and max(ends) > programme.act_end:
            found.append(Hit(record=programme, values={"latest": max(ends).isoformat()}))
    return found


@rule("R_90", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("LearnActEndDate",),
      needs=("LARS",),
      message="This component aim has no actual end date, but its programme aim has ended. Add the actual end "
              "date to this component aim, or remove the programme aim's end date if the programme continues.")
def r_90(learner):
    return [Hit(record=a) for programme in _latest_programmes(learner).values() if programme.act_end is not None
            for a in _components(learner, programme) if a.act_end is None]


def _english_maths_during_apprenticeship(learner, fund_model: int, latest_start: dt.date | None) -> list:
    opened = [a.start for a in learner.aims if a.aim_type == PROGRAMME and a.fund_model == 36
              and a.act_end is None and a.start is not None]  # DD32/DD33: open apprenticeship programmes
    if not opened:
        return []
    first = min(opened)
    return [Hit(record=a, values={"programme_start": first.isoformat()}) for a in learner.aims
            if a.fund_model == fund_model and a.start is not None and a.start >= first
            and (latest_start is None or a.start <= latest_start) and is_english_or_maths(a)]


@rule("R_114", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("FundModel",), needs=("LARS",),
      message="This adult skills English or maths aim started on {LearnStartDate}, while the learner was on an "
              "apprenticeship that started on {programme_start}. English and maths within an apprenticeship are "
              "funded through the apprenticeship: record the aim under the apprenticeship, or correct the dates.")
def r_114(learner):
    return _english_maths_during_apprenticeship(learner, 35, JUL_2024)


@rule("R_146", severity=ERROR, scope="learner", entity="LearningDelivery", fields=("FundModel",), needs=("LARS",),
      message="This Adult Skills Fund English or maths aim started on {LearnStartDate}, while the learner was on "
              "an apprenticeship that started on {programme_start}. English and maths within an apprenticeship are "
              "funded through the apprenticeship: record the aim under the apprenticeship, or correct the dates.")
def r_146(learner):
    return _english_maths_during_apprenticeship(learner, 38, None)
