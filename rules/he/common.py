"""Shared helpers for the HE rules (no rules are declared here).

HE data hangs off the learner (``learner.he``, ``learner.he_financial``) and off each aim (``aim.he``), as
plain row dicts. In the workbook they are columns of the learner's and the aim's rows, so a hit on the HE
record lands on the right cell of that row.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from ilrkit.rules.registry import Hit
from ilrkit.rules.values import as_int
from ilrkit.schemas import DEFAULT_YEAR, load_spec

# country of permanent address codes within the British Isles (SEC_02, SOC_02)
BRITISH_ISLES = frozenset({"XF", "XG", "XH", "XI", "XK"})

AUG_2009 = dt.date(2009, 8, 1)
AUG_2010 = dt.date(2010, 8, 1)
AUG_2012 = dt.date(2012, 8, 1)
AUG_2013 = dt.date(2013, 8, 1)
AUG_2021 = dt.date(2021, 8, 1)
AUG_2025 = dt.date(2025, 8, 1)

_AIM_FIELDS = ("LearnAimRef", "LearnStartDate", "LearnActEndDate", "FundModel", "AimType", "PartnerUKPRN")


def he_hit(aim, field: str | None, values: dict | None = None) -> Hit:
    """A hit on a field of the aim's LearningDeliveryHE record, with the aim's main fields for the message."""
    return Hit(record=aim.he, field=field, entity="LearningDeliveryHE",
               values={**{f: aim.row.get(f) for f in _AIM_FIELDS}, **(values or {})})


def he_int(aim, field: str) -> int | None:
    return as_int(aim.he.get(field))


def started_on_or_after(aim, day: dt.date) -> bool:
    return aim.start is not None and aim.start >= day


@cache
def lookup_codes(spec_key: str, year: str = DEFAULT_YEAR) -> frozenset[int]:
    """The integer codes of an HE code list in the year pack."""
    codelist = load_spec(year).codelist(spec_key)
    return frozenset(as_int(c.code) for c in codelist.codes) if codelist else frozenset()


@cache
def valid_to_dates(spec_key: str, year: str = DEFAULT_YEAR) -> dict[int, dt.date]:
    """Integer code -> last valid date, for the codes of an HE code list that have one."""
    codelist = load_spec(year).codelist(spec_key)
    return {as_int(c.code): c.valid_to for c in codelist.codes if c.valid_to} if codelist else {}


def invalid_code(value: str | None, codes: frozenset[int]) -> bool:
    """A value is filled in but is not one of the code list's codes (non-numbers are not codes either)."""
    return value is not None and as_int(value) not in codes
