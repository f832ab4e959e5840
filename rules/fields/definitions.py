"""The agency's field-definition (FD) rules, made from ``catalogue.FD_RULES`` and the year's spec.

One registry entry per FD code, each with its own message (the field's name and limit are written in).
The checks read their limits from the spec of the data's year when the pandera schema is built.
"""

from __future__ import annotations

import re

import pandas as pd

from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import FieldCheck, add_check, register
from ilrkit.rules.fields.catalogue import FD_RULES, FdRule
from ilrkit.rules.fields.words import PARENT_NOUN, RESTRICTED_HINT, ROW_NOUN, label
from ilrkit.schemas import DEFAULT_YEAR, Field, Spec, available_years, load_spec

_CLASS_REPEAT = re.compile(r"^(\[.+\])\{(\d+),(\d+)\}$")

# what to type, for fields whose allowed characters are narrower than ordinary ILR text
AP_HINTS = {
    "LearnRefNumber": "Use only letters, digits and spaces.",
    "PrevLearnRefNumber": "Use only letters, digits and spaces.",
    "CampId": "Use only letters and digits, with no spaces.",
    "FamilyName": "A name cannot contain digits, the characters | or \", tabs or line breaks.",
    "GivenNames": "A name cannot contain digits, the characters | or \", tabs or line breaks.",
    "TelNo": "Type digits only, with no spaces, brackets or + sign (for example 01214960000).",
    "Email": "It must be a single email address such as name@example.com, in ordinary characters.",
    "UCASPERID": "It must be exactly 10 digits.",
    "UCASSCHEMECODE": "It must be 2 letters followed by 2 digits (such as AB12), or 9 digits.",
}
for _n in ("AddLine1", "AddLine2", "AddLine3", "AddLine4"):
    AP_HINTS[_n] = "Use only letters, digits, spaces and the characters ~ ! @ & ' \\ ( ) * + , - . / : ;"

# UCASPERID has no numeric range in the schema; the identifier runs from 0000000001 to 9999999999
_TEXT_RANGES = {("LearnerHE", "UCASPERID"): (1, 9999999999)}


def allowed_pattern(field: Field, spec: Spec) -> tuple[list[str], str]:
    """The regexes a value must fully match, and the character class used to name bad characters.

    A ``[class]{m,n}`` pattern is checked as ``[class]+``: the length is the AL rule's business.
    Restricted text must also keep to the schema's restricted character set (XSD patterns add up).
    """
    restricted = spec.restricted_string_pattern
    restricted_class = restricted[:-1] if restricted.endswith("*") else restricted
    regexes: list[str] = []
    bad_class = restricted_class
    if field.pattern:
        m = _CLASS_REPEAT.match(field.pattern)
        if m:
            regexes.append(m[1] + "+")
            bad_class = m[1]
        else:
            regexes.append(field.pattern)
    if field.type == "restricted":
        regexes.append(restricted_class + "*")
    return regexes, bad_class


def pattern_fails(field: Field, spec: Spec, s: pd.Series) -> pd.Series:
    regexes, _ = allowed_pattern(field, spec)
    return ~masks.matches_all(s, regexes)


def value_range(field: Field) -> tuple[float, float] | None:
    if (field.entity, field.name) in _TEXT_RANGES:
        return _TEXT_RANGES[(field.entity, field.name)]
    if field.min_inclusive is None or field.max_inclusive is None:
        return None
    return float(field.min_inclusive), float(field.max_inclusive)


def range_fails(field: Field, s: pd.Series) -> pd.Series:
    bounds = value_range(field)
    if bounds is None:
        return pd.Series(False, index=s.index)
    if (field.entity, field.name) in _TEXT_RANGES:
        values = pd.to_numeric(masks.text(s).where(masks.matches(s, r"[0-9]+")), errors="coerce")
    else:
        values = masks.numbers(s, decimal=field.type == "decimal")
    lo, hi = bounds
    return ((values < lo) | (values > hi)).fillna(False).astype(bool)


def _spec_field(spec: Spec, fd: FdRule) -> Field:
    return spec.entity(fd.entity).field(fd.field)


def longest(fd: FdRule, spec: Spec) -> int:
    """An AL rule's limit in the data's year: the field's length in the year's spec (EPAOrgID: 7 in
    2025-26, 8 in 2026-27), else the catalogue's (decimal fields, whose spec gives no length)."""
    return _spec_field(spec, fd).longest or fd.limit


def _fails(fd: FdRule):
    if fd.kind == "AL":
        return lambda s, spec: masks.longer_than(s, longest(fd, spec))
    if fd.kind == "MA":
        return lambda s, spec: s.isna() | (masks.text(s) == "")
    if fd.kind == "AR":
        return lambda s, spec: range_fails(_spec_field(spec, fd), s)
    if fd.kind == "AP":
        return lambda s, spec: pattern_fails(_spec_field(spec, fd), spec, s)
    if fd.kind == "EO" and fd.entity == "Learner":
        return lambda df, spec: df["_aims"] == 0
    if fd.kind == "EO":
        return lambda df, spec: df.groupby("_parent", sort=False, dropna=True).cumcount() == fd.limit
    raise ValueError(f"{fd.code}: unknown kind {fd.kind}")


def _values(fd: FdRule):
    if fd.kind == "AL":
        return lambda row, field, ctx: {"len": len(str(row.get(field) or "")),
                                        "limit": longest(fd, ctx.spec if ctx is not None else load_spec(DEFAULT_YEAR))}
    if fd.kind == "AP":
        def bad(row, field, ctx, fd=fd):
            spec = ctx.spec if ctx is not None else load_spec(DEFAULT_YEAR)
            _, cls = allowed_pattern(_spec_field(spec, fd), spec)
            found = masks.bad_characters(row.get(field), cls)
            return {"bad": f" (not allowed: {found})" if found else ""}
        return bad
    return None


def message(fd: FdRule, spec: Spec) -> str:
    field = _spec_field(spec, fd)
    name = label(fd.entity, fd.field, spec.year)
    row = ROW_NOUN.get(fd.entity, fd.entity)
    if fd.kind == "AL":
        unit = "digit" if field.is_numeric and field.type != "decimal" else "character"
        unit += "s" if fd.limit != 1 else ""
        return (f"{name} can be at most {{limit}} {unit} long, but \"{{value}}\" has {{len}}. "
                f"Shorten it to {{limit}} {unit}{' or fewer' if fd.limit != 1 else ''}.")
    if fd.kind == "MA":
        remedy = "Fill it in." if fd.entity in ("Learner", "LearningDelivery") else \
            "Fill it in, or delete the row if it is not needed."
        return f"{name} is blank, but every {row} must have one. {remedy}"
    if fd.kind == "AR":
        lo, hi = value_range(field)
        if field.type == "decimal":
            kind, lo_t, hi_t = "a number", field.min_inclusive, field.max_inclusive
        elif (fd.entity, fd.field) in _TEXT_RANGES:
            kind, lo_t, hi_t = "a 10-digit number", "0000000001", "9999999999"
        else:
            kind, lo_t, hi_t = "a whole number", str(int(lo)), str(int(hi))
        remedy = "Correct the value." if field.mandatory else \
            "Correct the value, or leave it blank if it does not apply."
        return f"{name} must be {kind} from {lo_t} to {hi_t}, but it is {{value}}. {remedy}"
    if fd.kind == "AP":
        hint = AP_HINTS.get(fd.field, RESTRICTED_HINT)
        return f"{name} \"{{value}}\" is not in the allowed form{{bad}}. {hint}"
    if fd.entity == "Learner":
        return ("This learner has no aims. Every learner in the ILR needs at least one learning aim: add the "
                "aim on the aims sheet, or remove the learner if they did not start.")
    parent = PARENT_NOUN.get(spec.entity(fd.entity).parent or "", "record")
    if fd.limit == 1:
        return (f"This {parent} has more than one {row}; the ILR allows only one. Merge them into one row "
                "and remove the other.")
    return (f"This {parent} has more than {fd.limit} {row}s; the ILR allows at most {fd.limit}. "
            f"Remove the extra rows (this one is number {fd.limit + 1}).")


def years_with_field(fd: FdRule) -> tuple[str, ...] | None:
    """The installed years whose spec has the rule's field, when some year lacks it (PHours is not collected
    from 2026-27); None when every year has it."""
    years = available_years()
    having = tuple(y for y in years if _has_field(load_spec(y), fd))
    return None if len(having) == len(years) else having


def _has_field(spec: Spec, fd: FdRule) -> bool:
    return fd.entity in spec.entities and any(f.name == fd.field for f in spec.entity(fd.entity).fields)


def _declare(spec: Spec) -> None:
    for fd in FD_RULES:
        add_check(FieldCheck(fd.code, fd.entity, fd.field, _fails(fd), frame=fd.kind == "EO",
                             keep_na=fd.kind == "MA", values=_values(fd)))
        register(fd.code, fd.entity, fd.field, message(fd, spec), module=__name__, years=years_with_field(fd))


_declare(load_spec(DEFAULT_YEAR))
