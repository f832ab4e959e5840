"""Shared helpers for the learning delivery FAM rules (no rules are declared here).

FAM rows are the aim's ``LearningDeliveryFAM`` row dicts. A finding about a FAM that is there points at
that row's code cell; a finding about a FAM that is missing points at the aim row, in the column where the
workbook keeps that FAM type, so the user lands on the empty cell to fill in.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import yaml

from ilrkit.rules.registry import Hit
from ilrkit.rules.year import codes_in_any_year
from ilrkit.schemas import DEFAULT_YEAR, load_spec

FAM = "LearningDeliveryFAM"
TYPE = "LearnDelFAMType"
CODE = "LearnDelFAMCode"

# every FundModel of any installed year (10 ... 99, and 39 from 2026-27): rules that apply to all but a few
# name the rest, so the engine can skip the others; a model the data's year does not have is FundModel_01's
ALL_FUND_MODELS = tuple(sorted(int(c) for c in codes_in_any_year("LearningDelivery.FundModel")))


def fund_models_except(*models: int) -> tuple[int, ...]:
    return tuple(fm for fm in ALL_FUND_MODELS if fm not in models)


# where the workbook's LearningAims sheet keeps each FAM type (types with several columns: the first one)
_COLUMN = {"LDM": "LDM 1", "DAM": "DAM 1"}
_NONE: tuple = ()


def codes_by_type(aim) -> dict[str | None, frozenset]:
    """The aim's FAM codes by type, worked out once per aim from the view's own index (kept on the view,
    as its cached properties are): most FAM rules only ask "is X there?"."""
    try:
        return aim._fam_codes
    except AttributeError:
        aim._fam_codes = codes = {t: frozenset(f.get(CODE) for f in found)
                                  for t, found in aim.fams_by_type.items()}
        return codes


def fam_index(aim) -> dict[str | None, list[dict]]:
    """The aim's FAM rows by type (the view's cached index; do not change the lists)."""
    return aim.fams_by_type


def has(aim, fam_type: str, code: str | None = None) -> bool:
    found = codes_by_type(aim).get(fam_type)
    return found is not None and (code is None or code in found)


def has_any(aim, fam_type: str, codes: frozenset) -> bool:
    found = codes_by_type(aim).get(fam_type)
    return found is not None and not found.isdisjoint(codes)


def rows(aim, fam_type: str, codes=None) -> list[dict] | tuple:
    """The aim's FAM rows of a type (and, if given, with one of ``codes``); do not change the list."""
    found = codes_by_type(aim).get(fam_type)
    if found is None or (codes is not None and found.isdisjoint(codes)):
        return _NONE
    index = fam_index(aim)
    return index[fam_type] if codes is None else [f for f in index[fam_type] if f.get(CODE) in codes]


# aim fields a message about one of its FAM rows may name
_AIM_FIELDS = ("LearnAimRef", "FundModel", "ProgType", "AimType", "LearnStartDate", "LearnActEndDate")


def aim_values(aim, values: dict | None = None) -> dict:
    return {**{f: aim.row.get(f) for f in _AIM_FIELDS}, **(values or {})}


def fam_hit(aim, fam: dict, field: str = CODE, values: dict | None = None) -> Hit:
    return Hit(record=fam, field=field, entity=FAM, values=aim_values(aim, values))


def fam_hits(aim, fam_type: str, codes=None, field: str = CODE, values: dict | None = None) -> list[Hit]:
    """A hit on each FAM row of a type (optionally only those with one of ``codes``)."""
    found = rows(aim, fam_type, codes)
    return [fam_hit(aim, f, field, values) for f in found] if found else _NONE


def other_code_hits(aim, fam_type: str, allowed, values: dict | None = None) -> list[Hit]:
    """A hit on each FAM row of a type whose code is not one of ``allowed``."""
    return [fam_hit(aim, f, CODE, values) for f in rows(aim, fam_type) if f.get(CODE) not in allowed]


def extra_hits(aim, fam_type: str, most: int) -> list[Hit]:
    """A hit on each FAM row of a type beyond the first ``most`` of them."""
    found = rows(aim, fam_type)
    return [fam_hit(aim, f, TYPE, {"count": len(found)}) for f in found[most:]]


def missing(aim, fam_type: str, values: dict | None = None) -> Hit:
    """A hit on the aim where a FAM of ``fam_type`` should be."""
    row = {**aim.row, "_col": _COLUMN.get(fam_type, fam_type)}
    return Hit(record=row, field=TYPE, entity="LearningDelivery", values={"missing_type": fam_type, **(values or {})})


@cache
def code_dates(year: str = DEFAULT_YEAR) -> dict[tuple[str, str], tuple[dt.date | None, dt.date | None]]:
    """(type, code) -> (valid from, valid to) for the learning delivery FAM codes whose dates we trust.

    The year pack marks some codes' dates as unverified; those are left out so that a doubtful date never
    turns into an error the agency would not raise.
    """
    spec = load_spec(year)
    with (spec.folder / "codelists.yaml").open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out = {}
    for key, entry in (raw.get("lists") or {}).items():
        entity, _, fam_type = key.partition(".")
        if entity != FAM or fam_type in (TYPE, CODE):
            continue
        for c in entry.get("codes") or ():
            if c.get("uncertain") or not (c.get("valid_from") or c.get("valid_to")):
                continue
            out[(fam_type, str(c["code"]))] = (_date(c.get("valid_from")), _date(c.get("valid_to")))
    return out


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
