"""Look-ups in the Learning Aim Reference Service (LARS) data set, shared by the rules that need it.

The loaders hand LARS over as ``aim.reference.get("LARS")``: a dict of the published download's table names
(the CSV file stems, as the "LARS table and field definitions" document names them) to DataFrames with the
official column names, every value text or ``None``. Rules run per aim on up to ~60,000 aims, so a DataFrame
filter per aim is far too slow: each loaded table is turned once into a dict keyed by its look-up field, with
the dates parsed (kept while the table is loaded, so a server validating many files pays once, and reached
through ``Context.once`` within a validation), and every helper here is a dict get on that index.

Keys are compared without case or surrounding spaces (``Z0001234`` and ``z0001234 `` are the same aim), as the
agency's own look-ups are; a table or column the loaded set does not have reads as empty rather than raising,
so a partial set leaves the rules that need the missing part quiet instead of broken.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from dataclasses import dataclass
from functools import lru_cache

LARS = "LARS"

# table names: the CSV file stems of the published "learning aims data set" download
LEARNING_DELIVERY = "LARS_LearningDelivery"
VALIDITY = "LARS_Validity"
CATEGORY = "LARS_LearningDeliveryCategory"
FUNDING = "LARS_Funding"
ANNUAL_VALUE = "LARS_AnnualValue"
STANDARD = "LARS_Standard"
STANDARD_FUNDING = "LARS_StandardFunding"
STANDARD_COMMON_COMPONENT = "LARS_StandardCommonComponent"
FRAMEWORK_AIMS = "LARS_FrameworkAims"
FRAMEWORK_COMMON_COMPONENT = "LARS_FrameworkCmnComp"

# ValidityCategory values the rules name
ADULT_SKILLS = "ADULT_SKILLS"
ADV_LEARN_LOAN = "ADV_LEARN_LOAN"
ANY = "ANY"
APPRENTICESHIPS = "APPRENTICESHIPS"
COMM_LEARN = "COMM_LEARN"
EFA_1416 = "1416_EFA"
EFA_1619 = "1619_EFA"
FCFJ_ADULT_SKILLS = "FCFJ_ADULT_SKILLS"
MCA_GLA = "MCA_GLA"
OLASS_ADULT = "OLASS_ADULT"
TAILORED_LEARNING = "TAILORED_LEARNING"

# LARS publishes ISO dates; older downloads and hand-saved CSVs have day/month/year, some with a time
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: .*)?$"), (3, 2, 1)),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), (1, 2, 3)),
)


@lru_cache(maxsize=65536)
def parse_date(value: str | None) -> dt.date | None:
    """A LARS date (``2025-08-01``, ``2025-08-01 00:00:00``, ``01/08/2025``, ``20250801``), else ``None``."""
    if value is None:
        return None
    text = str(value).strip()
    for pattern, (y, m, d) in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                return None
    return None


@lru_cache(maxsize=262144)
def key(value) -> str | None:
    """A look-up key as LARS and the ILR are matched: trimmed, upper case; blank is ``None``."""
    if value is None:
        return None
    text = str(value).strip().upper()
    return text or None


@lru_cache(maxsize=65536)
def _int_key(value) -> str | None:
    """A numeric code as a key: ``"025"``, ``"25"`` and ``"25.0"`` are the same code."""
    text = key(value)
    if text is None:
        return None
    try:
        return str(int(float(text)))
    except ValueError:
        return text


def _between(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass(frozen=True, slots=True)
class Validity:
    """One LARS_Validity row: when an aim may be funded under a validity category."""

    category: str | None
    start: dt.date | None
    end: dt.date | None
    last_new_start: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        """``day`` lies between the validity's StartDate and EndDate (an open end never closes)."""
        return _between(day, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Category:
    """One LARS_LearningDeliveryCategory row: the aim belongs to CategoryRef while it is in effect."""

    ref: str | None
    effective_from: dt.date | None
    effective_to: dt.date | None

    def in_effect_on(self, day: dt.date) -> bool:
        return _between(day, self.effective_from, self.effective_to)


@dataclass(frozen=True, slots=True)
class Dated:
    """A LARS row with an EffectiveFrom/EffectiveTo span (funding, annual values, standards, framework aims);
    ``row`` holds all its columns as text."""

    row: dict
    effective_from: dt.date | None
    effective_to: dt.date | None

    def __getitem__(self, name: str) -> str | None:
        return self.row.get(name)

    def in_effect_on(self, day: dt.date) -> bool:
        return _between(day, self.effective_from, self.effective_to)


# --- building the indexes ----------------------------------------------------------------------------------
# An index is built once per loaded table (a server or the add-in validating many files against one loaded LARS
# pays for it once) and reached through Context.once, so within a validation it is one dict get. Reference
# tables are read-only by contract; an index lives as long as its DataFrame.

_SHARED: dict[int, dict] = {}  # id(DataFrame) -> {(field, maker, keyer): index}
_SHARED_LOCK = threading.Lock()


def tables(ctx) -> dict:
    """The loaded LARS tables (an empty dict when LARS is not loaded)."""
    return (ctx.reference.get(LARS) if ctx is not None and ctx.reference is not None else None) or {}


def _build(df, field: str, make, keyer) -> dict[str, list]:
    cols = list(df.columns)
    if field not in cols or len(df) == 0:
        return {}
    n = len(df)
    if make.columns is None:  # the whole row, as a dict of text
        lists = [df[c].tolist() for c in cols]
        values = (dict(zip(cols, row)) for row in zip(*lists))
    else:
        values = zip(*(df[c].tolist() if c in cols else [None] * n for c in make.columns))
    out: dict[str, list] = {}
    for raw, value in zip(df[field].tolist(), values):
        k = keyer(raw)
        if k is not None:
            out.setdefault(k, []).append(make(value) if make.columns is None else make(*value))
    return out


def _shared_index(df, field: str, make, keyer) -> dict[str, list]:
    if df is None:
        return {}
    slot = (field, make, keyer)
    with _SHARED_LOCK:
        per_table = _SHARED.get(id(df))
        if per_table is not None and slot in per_table:
            return per_table[slot]
    index = _build(df, field, make, keyer)
    with _SHARED_LOCK:
        if id(df) not in _SHARED:
            _SHARED[id(df)] = {}
            weakref.finalize(df, _SHARED.pop, id(df), None)
        _SHARED[id(df)][slot] = index
    return index


def _index(ctx, table: str, field: str, make, keyer=None) -> dict[str, list]:
    if ctx is None:
        return {}
    keyer = keyer or key
    return ctx.once(f"lars:{table}:{field}:{make.__name__}",
                    lambda c: _shared_index(tables(c).get(table), field, make, keyer))


def _columns(*names):
    """Mark an index maker with the columns it takes (None: the whole row as a dict)."""
    def mark(func):
        func.columns = names or None
        return func
    return mark


@_columns()
def _row(row: dict) -> dict:
    return row


@_columns()
def _dated(row: dict) -> Dated:
    return Dated(row, parse_date(row.get("EffectiveFrom")), parse_date(row.get("EffectiveTo")))


@_columns("ValidityCategory", "StartDate", "EndDate", "LastNewStartDate")
def _validity(category, start, end, last_new_start) -> Validity:
    return Validity(key(category), parse_date(start), parse_date(end), parse_date(last_new_start))


@_columns("CategoryRef", "EffectiveFrom", "EffectiveTo")
def _category(ref, effective_from, effective_to) -> Category:
    return Category(_int_key(ref), parse_date(effective_from), parse_date(effective_to))


def _ctx_of(record):
    return getattr(record, "ctx", None)


def _aim_key(aim) -> str | None:
    return key(aim["LearnAimRef"])


# --- learning aims -------------------------------------------------------------------------------------------

def learning_delivery(aim) -> dict | None:
    """The aim's LARS_LearningDelivery row (all columns as text), or ``None`` when LARS does not hold it."""
    found = _index(_ctx_of(aim), LEARNING_DELIVERY, "LearnAimRef", _row).get(_aim_key(aim))
    return found[0] if found else None


def aim_exists(aim) -> bool:
    return learning_delivery(aim) is not None


def notional_nvq_level_v2(aim) -> str | None:
    """The aim's NotionalNVQLevelv2 (``"E"``, ``"1"``, ``"2"``, ``"3"``, ``"4"``, ..., ``"H"``, ``"X"``)."""
    row = learning_delivery(aim)
    return key(row.get("NotionalNVQLevelv2")) if row else None


def learning_delivery_field(aim, field: str) -> str | None:
    row = learning_delivery(aim)
    return row.get(field) if row else None


# --- validity -------------------------------------------------------------------------------------------------

def validities(aim, category: str | None = None) -> list[Validity]:
    """The aim's LARS_Validity rows, only those of ``category`` when given (compared without case)."""
    found = _index(_ctx_of(aim), VALIDITY, "LearnAimRef", _validity).get(_aim_key(aim), [])
    if category is None:
        return list(found)
    wanted = key(category)
    return [v for v in found if v.category == wanted]


def has_validity(aim, category: str) -> bool:
    return bool(validities(aim, category))


def latest_validity(aim, category: str) -> Validity | None:
    """The validity of ``category`` with the latest StartDate (the one the 'end of previous year' rules read)."""
    found = [v for v in validities(aim, category) if v.start is not None]
    return max(found, key=lambda v: v.start) if found else None


# --- categories -----------------------------------------------------------------------------------------------

def categories(aim, ref: int | str | None = None) -> list[Category]:
    """The aim's LARS_LearningDeliveryCategory rows, only those of CategoryRef ``ref`` when given."""
    found = _index(_ctx_of(aim), CATEGORY, "LearnAimRef", _category).get(_aim_key(aim), [])
    if ref is None:
        return list(found)
    wanted = _int_key(ref)
    return [c for c in found if c.ref == wanted]


def category_refs(aim) -> set[str]:
    return {c.ref for c in categories(aim) if c.ref is not None}


def has_category(aim, ref: int | str, on: dt.date | None = None) -> bool:
    """The aim has CategoryRef ``ref`` (in effect on ``on`` when a day is given)."""
    return any(on is None or c.in_effect_on(on) for c in categories(aim, ref))


# --- funding and annual values ---------------------------------------------------------------------------------

def fundings(aim, funding_category: str | None = None) -> list[Dated]:
    """The aim's LARS_Funding rows, only those of FundingCategory ``funding_category`` when given."""
    found = _index(_ctx_of(aim), FUNDING, "LearnAimRef", _dated).get(_aim_key(aim), [])
    if funding_category is None:
        return list(found)
    wanted = key(funding_category)
    return [f for f in found if key(f["FundingCategory"]) == wanted]


def annual_values(aim) -> list[Dated]:
    return list(_index(_ctx_of(aim), ANNUAL_VALUE, "LearnAimRef", _dated).get(_aim_key(aim), []))


def annual_value_on(aim, day: dt.date | None) -> Dated | None:
    """The aim's LARS_AnnualValue row in effect on ``day`` (the latest starting one if several are)."""
    if day is None:
        return None
    found = [a for a in annual_values(aim) if a.in_effect_on(day)]
    return max(found, key=lambda a: a.effective_from or dt.date.min) if found else None


def basic_skills_type(aim, day: dt.date | None) -> int | None:
    """BasicSkillsType of the aim's annual value in effect on ``day``."""
    value = annual_value_on(aim, day)
    code = _int_key(value["BasicSkillsType"]) if value is not None else None
    return int(code) if code is not None and code.isdigit() else None


# --- standards and frameworks -----------------------------------------------------------------------------------

def standards(ctx, std_code) -> list[Dated]:
    """LARS_Standard rows of StandardCode ``std_code`` (several when LARS holds several versions)."""
    return list(_index(ctx, STANDARD, "StandardCode", _dated, _int_key).get(_int_key(std_code), []))


def standard_exists(ctx, std_code) -> bool:
    return bool(standards(ctx, std_code))


def standard_fundings(ctx, std_code, funding_category: str | None = None) -> list[Dated]:
    found = _index(ctx, STANDARD_FUNDING, "StandardCode", _dated, _int_key).get(_int_key(std_code), [])
    if funding_category is None:
        return list(found)
    wanted = key(funding_category)
    return [f for f in found if key(f["FundingCategory"]) == wanted]


def standard_common_components(ctx, std_code) -> list[Dated]:
    return list(_index(ctx, STANDARD_COMMON_COMPONENT, "StandardCode", _dated, _int_key)
                .get(_int_key(std_code), []))


def framework_aims(aim) -> list[Dated]:
    """LARS_FrameworkAims rows for the aim's LearnAimRef (FworkCode, ProgType, PwayCode, component type)."""
    return list(_index(_ctx_of(aim), FRAMEWORK_AIMS, "LearnAimRef", _dated).get(_aim_key(aim), []))




# --- validity checks the LearnAimRef rules share ------------------------------------------------------------
# Each takes the aim and a ValidityCategory and returns None when the aim passes, or the validity to quote
# in the message when it does not. An aim with no validity of the category passes them all: the
# "must have the category" rules (lacks_validity) report that once.

def _latest(found: list[Validity]) -> Validity:
    return max(found, key=lambda v: v.start or dt.date.min)


def start_outside_validity(aim, category: str) -> Validity | None:
    """The aim's start date is outside every validity of ``category`` (before StartDate or after EndDate)."""
    found = validities(aim, category)
    if not found or aim.start is None or any(v.valid_on(aim.start) for v in found):
        return None
    return _latest(found)


def end_after_validity(aim, category: str) -> Validity | None:
    """The aim's actual end date is after the EndDate of every validity of ``category``."""
    found = validities(aim, category)
    end = aim.act_end
    if not found or end is None or any(v.end is None or end <= v.end for v in found):
        return None
    return _latest(found)


def start_outside_new_starts(aim, category: str) -> Validity | None:
    """The aim starts before a validity of ``category`` begins or after its last date for new starts; a restart
    (RES) may start after the last date for new starts."""
    found = validities(aim, category)
    start = aim.start
    if not found or start is None:
        return None
    restart = aim.is_restart
    for v in found:
        if (v.start is None or v.start <= start) and (
                restart or v.last_new_start is None or start <= v.last_new_start):
            return None
    return _latest(found)


def previous_year_end(ctx) -> dt.date:
    """31 July before the collection year (the agency's "end of previous teaching year")."""
    return ctx.spec.teaching_year_start - dt.timedelta(days=1)


def validity_closed_before_year(aim, category: str) -> Validity | None:
    """The validity of ``category`` with the latest StartDate has an EndDate on or before the end of the
    previous teaching year: the aim can no longer be funded that way this year."""
    latest = latest_validity(aim, category)
    if latest is None or latest.end is None or latest.end > previous_year_end(aim.ctx):
        return None
    return latest


def lacks_validity(aim, *categories: str) -> bool:
    """LARS holds the aim but with no validity of any of ``categories``."""
    return aim_exists(aim) and not any(has_validity(aim, c) for c in categories)


def validity_values(validity: Validity | None) -> dict:
    """Names for a message: the validity's dates as the clerk would type them ("open" when not set)."""
    if validity is None:
        return {}

    def show(day):
        return day.isoformat() if day is not None else "open"

    return {"ValidFrom": show(validity.start), "ValidTo": show(validity.end),
            "LastNewStart": show(validity.last_new_start), "ValidityCategory": validity.category}

__all__ = [
    "LARS", "Validity", "Category", "Dated", "parse_date", "key", "tables", "learning_delivery", "aim_exists",
    "notional_nvq_level_v2", "learning_delivery_field", "validities", "has_validity", "latest_validity",
    "categories", "category_refs", "has_category", "fundings", "annual_values", "annual_value_on",
    "basic_skills_type", "standards", "standard_exists", "standard_fundings", "standard_common_components",
    "framework_aims", "start_outside_validity", "end_after_validity", "start_outside_new_starts",
    "previous_year_end", "validity_closed_before_year", "lacks_validity", "validity_values",
]


# --- standard validity (added for StdCode_02) -------------------------------------------------------------------
STANDARD_VALIDITY = "LARS_StandardValidity"


def standard_validities(ctx, std_code) -> list[Validity]:
    """LARS_StandardValidity rows of StandardCode ``std_code`` (ValidityCategory, StartDate, EndDate, ...)."""
    return list(_index(ctx, STANDARD_VALIDITY, "StandardCode", _validity, _int_key).get(_int_key(std_code), []))
