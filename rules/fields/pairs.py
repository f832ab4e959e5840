"""Type-and-code rules: a FAM, monitoring or financial code must be valid for the type it is given with.

A type we do not know is pointed at the type cell; a known type with a code not in its list at the code
cell. Types whose code lists the year pack marks as uncertain (partial: LSR, LDM, DAM, EVI, ...) accept
any code, so that a real code missing from our list never costs a learner their funding. For the same
reason an unknown aim FAM type is not reported: our list of those types is gathered from the rule texts
and the agency's own sample uses one that is not on it (NSA).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import FieldCheck, add_check, field_rule
from ilrkit.schemas import DEFAULT_YEAR, Spec, load_spec


@cache
def _lists(year: str, entity: str, type_field: str, numeric: bool):
    """(known types, types whose codes are checked, valid "TYPE|CODE" pairs) for the year."""
    spec = load_spec(year)
    types_list = spec.codelist(f"{entity}.{type_field}")
    types = frozenset(c.code for c in types_list.codes) if types_list else frozenset()
    checked, pairs = set(), set()
    for t in types:
        codes = spec.codelist(f"{entity}.{t}")
        if codes is None or codes.uncertain or not codes.codes:
            continue
        checked.add(t)
        for c in codes.codes:
            pairs.add(f"{t}|{int(c.code) if numeric and c.code.isdigit() else c.code}")
    return types, frozenset(checked), frozenset(pairs)


def _both(df: pd.DataFrame, type_field: str, code_field: str) -> pd.Series:
    return masks.col(df, type_field).notna() & masks.col(df, code_field).notna()


def _pair_in(types: pd.Series, codes: pd.Series, pairs: frozenset[str]) -> pd.Series:
    """Rows whose "TYPE|CODE" (a blank as "") is in ``pairs``, looked up once per distinct pair: FAM tables
    are the longest of the file and hold few distinct pairs."""
    seen: dict = {}

    def known(key) -> bool:
        if key not in seen:
            seen[key] = "|".join(v if isinstance(v, str) else "" for v in key) in pairs
        return seen[key]

    keys = list(zip(types.tolist(), codes.tolist()))
    return pd.Series(np.fromiter(map(known, keys), dtype=bool, count=len(keys)), index=types.index)


def unknown_type(entity: str, type_field: str, code_field: str):
    def fails(df: pd.DataFrame, spec: Spec) -> pd.Series:
        numeric = spec.entity(entity).field(code_field).is_numeric
        types, _, _ = _lists(spec.year, entity, type_field, numeric)
        return _both(df, type_field, code_field) & ~masks.text(masks.col(df, type_field)).isin(types)

    return fails


def code_not_for_type(entity: str, type_field: str, code_field: str):
    def fails(df: pd.DataFrame, spec: Spec) -> pd.Series:
        numeric = spec.entity(entity).field(code_field).is_numeric
        _, checked, pairs = _lists(spec.year, entity, type_field, numeric)
        types = masks.text(masks.col(df, type_field))
        codes = masks.int_text(masks.col(df, code_field)) if numeric else masks.text(masks.col(df, code_field))
        well_formed = masks.is_int(masks.col(df, code_field)) if numeric else pd.Series(True, index=df.index)
        valid = _pair_in(types, codes, pairs)
        return _both(df, type_field, code_field) & types.isin(checked) & well_formed & ~valid

    return fails


def _problem(entity: str, type_field: str, code_field: str, noun: str):
    def values(row: dict, field: str, ctx) -> dict:
        spec = ctx.spec if ctx is not None else load_spec(DEFAULT_YEAR)
        the_type, code = row.get(type_field), row.get(code_field)
        if field == type_field:
            return {"problem": f"{noun} type \"{the_type}\" is not a type the ILR knows."}
        found = spec.codelist(f"{entity}.{the_type}")
        listed = ", ".join(c.code for c in found.codes) if found else ""
        return {"problem": f"{noun} code {code} is not a valid code for type {the_type}"
                           f"{f' (valid codes: {listed})' if listed and len(found.codes) <= 12 else ''}."}

    return values


def pair_rule(code: str, entity: str, type_field: str, code_field: str, noun: str, message: str,
              known_types: bool = True) -> None:
    """``known_types``: our list of the entity's types is complete, so an unknown type is reported."""
    values = _problem(entity, type_field, code_field, noun)
    field_rule(code, entity, code_field, code_not_for_type(entity, type_field, code_field), frame=True,
               message=message, values=values)
    if known_types:
        add_check(FieldCheck(code, entity, type_field, unknown_type(entity, type_field, code_field),
                             frame=True, values=values))


pair_rule("LearnFAMType_01", "LearnerFAM", "LearnFAMType", "LearnFAMCode", "Learner FAM",
          "{problem} Check the learner funding and monitoring type and code against the lists in the template.")
pair_rule("LearnDelFAMType_04", "LearningDeliveryFAM", "LearnDelFAMType", "LearnDelFAMCode", "Aim FAM",
          "{problem} Check the aim funding and monitoring type and code against the lists in the template.",
          known_types=False)
pair_rule("ESMType_01", "EmploymentStatusMonitoring", "ESMType", "ESMCode", "Employment monitoring",
          "{problem} Check the employment monitoring type and code against the lists in the template.")
pair_rule("AFinType_02", "AppFinRecord", "AFinType", "AFinCode", "Financial record",
          "{problem} Use TNP (total negotiated price, codes 1 to 4) or PMR (payment record, codes 1 to 3).")


def _alb_without_adl(df: pd.DataFrame, spec: Spec) -> pd.Series:
    types = masks.text(masks.col(df, "LearnDelFAMType")).str.upper()  # the agency ignores case here
    with_adl = set(df.loc[types == "ADL", "_parent"])
    alb = types == "ALB"
    first = alb.copy()
    first[alb] = ~df.loc[alb, "_parent"].duplicated().to_numpy()
    return first & ~df["_parent"].isin(with_adl)


field_rule("LearnDelFAMType_36", "LearningDeliveryFAM", "LearnDelFAMType", _alb_without_adl, frame=True,
           message="This aim has an Advanced Learner Loans Bursary (ALB) record but no Advanced Learner Loans "
                   "(ADL) record. Add the ADL funding indicator (code 1) to the aim, or remove the ALB record "
                   "if the learner has no loan.")
