"""Apprenticeship standard programmes against the standard's dates in LARS (LARS_Standard)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import derived, lars
from ilrkit.rules.learning_delivery._lars_terms import table_loaded
from ilrkit.rules.registry import ERROR, Hit, rule

AUG_2020 = dt.date(2020, 8, 1)


def _standard_rows(aim) -> list:
    return lars.standards(aim.ctx, aim["StdCode"]) if aim["StdCode"] is not None else []


def _latest(days):
    """The latest of ``days``, or None when any is open-ended (None) or there are none."""
    days = list(days)
    return None if not days or any(d is None for d in days) else max(days)


def _new_standard_programme(aim) -> bool:
    return aim.prog_type == 25 and aim.aim_type == 1 and aim.start is not None and not aim.is_restart


@rule("StdCode_02", severity=ERROR, entity="LearningDelivery", fields=("StdCode",), needs=("LARS",),
      message="The apprenticeship standard code {value} is not in LARS. Check the code against the standard the "
              "apprentice is on (the apprenticeship funding rules or LARS list them).")
def stdcode_02(aim):
    # the standard validity table, as the rule names it; a set loaded without it falls back on LARS_Standard
    if aim["StdCode"] is None:
        return None
    if table_loaded(aim, lars.STANDARD_VALIDITY):
        return not lars.standard_validities(aim.ctx, aim["StdCode"])
    return table_loaded(aim, lars.STANDARD) and not lars.standard_exists(aim.ctx, aim["StdCode"])


@rule("LearnStartDate_13", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=("LARS",),
      message="This apprenticeship standard programme started on {LearnStartDate}, after standard {StdCode} closed "
              "in LARS on {closed}. Check the start date and the standard code; a new start needs a standard "
              "that is still open.")
def learnstartdate_13(aim):
    if not _new_standard_programme(aim):
        return None
    closed = _latest(s.effective_to for s in _standard_rows(aim))
    return closed is not None and aim.start > closed and Hit(values={"closed": closed.isoformat()})


@rule("LearnStartDate_14", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=("LARS",),
      message="The apprenticeship standard programme this component aim belongs to started on {programme_start}, "
              "after standard {StdCode} closed in LARS on {closed}. Check the programme's start date and the "
              "standard code on its aims.")
def learnstartdate_14(aim):
    if aim.prog_type != 25 or aim.aim_type != 3 or aim.is_restart:
        return None
    programme_start = derived.dd18_standard_programme_start(aim)
    closed = _latest(s.effective_to for s in _standard_rows(aim))
    if programme_start is None or closed is None or programme_start <= closed:
        return None
    return Hit(values={"closed": closed.isoformat(), "programme_start": programme_start.isoformat()})


@rule("LearnStartDate_17", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=("LARS",),
      message="This apprenticeship standard programme started on {LearnStartDate}, before standard {StdCode} "
              "opened in LARS on {opened}. Check the start date and the standard code.")
def learnstartdate_17(aim):
    if not _new_standard_programme(aim):
        return None
    opened = [s.effective_from for s in _standard_rows(aim) if s.effective_from is not None]
    return bool(opened) and aim.start < min(opened) and Hit(values={"opened": min(opened).isoformat()})


@rule("LearnStartDate_18", severity=ERROR, entity="LearningDelivery", fields=("LearnStartDate",), needs=("LARS",),
      message="This apprenticeship standard programme started on {LearnStartDate}, after the last date for new "
              "starts on standard {StdCode} in LARS ({last}). Check the start date and the standard code; a new "
              "start needs a standard still open to new starts.")
def learnstartdate_18(aim):
    if not _new_standard_programme(aim) or aim.start < AUG_2020:
        return None
    last = _latest(lars.parse_date(s["LastDateStarts"]) for s in _standard_rows(aim))
    return last is not None and aim.start > last and Hit(values={"last": last.isoformat()})
