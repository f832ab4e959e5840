"""Small helpers the employment-status rules share (no rules are declared here)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.registry import Hit

EMPLOYED = 10
NOT_EMPLOYED = frozenset({11, 12})
UNKNOWN = 98


def esm_rows(status, esm_type: str) -> list[dict]:
    """The monitoring rows of one type on an employment status record."""
    return [m for m in status.monitoring if m.get("ESMType") == esm_type]


def has_esm(status, esm_type: str, code: int | None = None) -> bool:
    codes = status.esm_codes(esm_type)
    return bool(codes) if code is None else code in codes


def esm_hits(status, rows: list[dict], field: str = "ESMType") -> list[Hit]:
    """Point at monitoring rows, carrying the status's own values for the message."""
    values = {"EmpStat": status["EmpStat"], "DateEmpStatApp": status["DateEmpStatApp"]}
    return [Hit(record=m, field=field, entity="EmploymentStatusMonitoring", values=values) for m in rows]


def has_status_before(learner, day: dt.date, *, on_day_counts: bool = False) -> bool:
    """Whether an employment status applies before ``day`` (or on it, when ``on_day_counts``)."""
    for status in learner.employment_by_date:
        if status.applies_from < day or (on_day_counts and status.applies_from == day):
            return True
    return False
