"""Pandera schemas of every ILR table, generated from the year's spec and the field checks of this package.

Each entity gets a ``DataFrameSchema`` whose checks are named after the rule they implement
(``FD_ULN_AL@ULN``), so one lazy validation reports every failure of every rule in a single pass and each
failure case maps back to a rule code, a table row and a field. The tables hold ILR text (object columns,
``None`` when absent), so columns are declared without a dtype and every check is vectorised.

Frame checks (type-and-code pairs, occurrences, comparisons with the file preparation date or the
provider's UKPRN) see a prepared copy of the table with context columns: ``_parent``, ``_aims`` (the
learner's number of aims), ``_file_date`` and ``_ukprn``.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData, data_entities
from ilrkit.rules.fields.base import CHECKS, FieldCheck
from ilrkit.rules.values import as_date
from ilrkit.schemas import DEFAULT_YEAR, Spec, load_spec

log = logging.getLogger(__name__)

class Failure(NamedTuple):
    code: str
    entity: str
    index: int  # position of the row in the entity's table
    field: str


def _load_checks() -> None:
    # importing the modules declares their checks (and registers their rules)
    from ilrkit.rules.fields import dates, definitions, formats, lookups, own, pairs  # noqa: F401


def checks_for(spec: Spec) -> dict[str, list[FieldCheck]]:
    """Every field check of the year, by entity: the declared ones plus the type checks of the spec."""
    _load_checks()
    from ilrkit.rules.fields.own import type_checks

    from ilrkit.rules.registry import get_rule

    def in_year(check: FieldCheck) -> bool:  # a check whose rule is not part of the year is not run
        found = get_rule(check.code)
        return found is None or found.applies_to(spec.year)

    out: dict[str, list[FieldCheck]] = {e: [c for c in CHECKS.get(e, ()) if in_year(c)] for e in data_entities(spec)}
    for check in type_checks(spec):
        out[check.entity].append(check)
    return out


def _passes(check: FieldCheck, spec: Spec):
    def test(data):
        return ~check.fails(data, spec).astype(bool)

    return test


@cache
def field_schemas(year: str = DEFAULT_YEAR) -> dict[str, pa.DataFrameSchema]:
    """A pandera schema per table entity of ``year`` (cached): columns for every field of the spec."""
    spec = load_spec(year)
    schemas = {}
    for entity, checks in checks_for(spec).items():
        columns = {}
        for field in spec.entity(entity).fields:
            col_checks = [pa.Check(_passes(c, spec), name=c.key, ignore_na=not c.keep_na)
                          for c in checks if not c.frame and c.field == field.name]
            columns[field.name] = pa.Column(None, checks=col_checks, nullable=True, required=False,
                                            coerce=False, title=field.label or field.name)
        frame_checks = [pa.Check(_passes(c, spec), name=c.key, ignore_na=False) for c in checks if c.frame]
        schemas[entity] = pa.DataFrameSchema(columns, checks=frame_checks, name=entity, strict=False,
                                             coerce=False)
    return schemas


@cache
def _check_index(year: str) -> dict[tuple[str, str], FieldCheck]:
    return {(entity, c.key): c for entity, checks in checks_for(load_spec(year)).items() for c in checks}


@cache
def _blank_checked(year: str, entity: str) -> frozenset[str]:
    return frozenset(c.field for c in checks_for(load_spec(year))[entity] if c.keep_na and not c.frame)


def file_date_of(data: IlrData, today: dt.date | None = None) -> str:
    """The file preparation date (ISO): the header's, or ``today`` while the file is still to be made."""
    given = as_date(data.header.get("FilePreparationDate"))
    return (given or today or dt.date.today()).isoformat()


def file_date(ctx) -> str:
    return file_date_of(ctx.data, ctx.today)


def _provider_ukprn(data: IlrData) -> str | None:
    value = data.header.get(LEARNING_PROVIDER_UKPRN) or data.header.get("UKPRN")
    return str(int(value)) if value is not None and str(value).strip().isdigit() else None


def prepare(entity: str, df: pd.DataFrame, data: IlrData, today: dt.date | None = None) -> pd.DataFrame:
    """The table as the schema checks it: fields, ``_parent`` and context columns, rows numbered 0..n-1."""
    spec = data.spec
    # a column with no value at all is left out: pandera then skips its checks (the schema's columns are
    # not required), unless a check looks for blanks in it
    keep = _blank_checked(spec.year, entity)
    cols = [f.name for f in spec.entity(entity).fields
            if f.name in df.columns and (f.name in keep or df[f.name].notna().any())]
    out = df[cols].reset_index(drop=True)
    out["_parent"] = df["_parent"].to_numpy() if "_parent" in df.columns else None
    if entity == "Learner":
        aims = data.tables.get("LearningDelivery")
        counts = aims["_parent"].value_counts() if aims is not None and len(aims) else pd.Series(dtype=int)
        ids = df["_id"].to_numpy() if "_id" in df.columns else range(len(df))
        out["_aims"] = pd.Series(ids).map(counts).fillna(0).astype(int).to_numpy()
    out["_file_date"] = file_date_of(data, today)
    out["_ukprn"] = _provider_ukprn(data)
    return out


class FieldCheckError(RuntimeError):
    """A field check raised instead of answering: a bug in the check, not in the data."""


def field_failures(data: IlrData, today: dt.date | None = None,
                   entities: list[str] | None = None) -> list[Failure]:
    """Every failure of every field check, as (rule code, entity, row index, field), from one lazy run."""
    failures, crashed = _failures(data, today, entities)
    if crashed:
        raise FieldCheckError("; ".join(f"{code}: {error}" for code, error in crashed.items()))
    return failures


def _failures(data: IlrData, today: dt.date | None, entities: list[str] | None = None):
    spec = data.spec
    schemas = field_schemas(spec.year)
    index = _check_index(spec.year)
    out: list[Failure] = []
    crashed: dict[str, str] = {}
    for entity, schema in schemas.items():
        if entities is not None and entity not in entities:
            continue
        df = data.tables.get(entity)
        if df is None or df.empty:
            continue
        try:
            schema.validate(prepare(entity, df, data, today), lazy=True)
        except SchemaErrors as exc:
            out.extend(_read_failures(exc.failure_cases, entity, index, crashed))
    return out, crashed


def _read_failures(cases: pd.DataFrame, entity: str, index: dict, crashed: dict) -> list[Failure]:
    out, seen = [], set()
    for name, column, row, case in zip(cases["check"], cases["column"], cases["index"], cases["failure_case"]):
        check = index.get((entity, name))
        if check is None:  # not one of ours (pandera's own schema checks): nothing to report
            continue
        if row is None or pd.isna(row):  # the check raised: pandera reports the exception, not a row
            crashed[check.code] = f"{entity}.{check.field}: {case}"
            continue
        field = check.field if check.frame else column
        key = (check.code, int(row), field)
        if key not in seen:
            seen.add(key)
            out.append(Failure(check.code, entity, int(row), field))
    return out


class FieldRun(NamedTuple):
    """One pandera run: findings by rule code, the failing rows (as row dicts), and checks that raised."""

    by_code: dict[str, list[tuple[Failure, FieldCheck]]]
    rows: dict[str, dict[int, dict]]
    crashed: dict[str, str]

    def row(self, ctx, entity: str, index: int) -> dict:
        cached = ctx.cache.get(("records", entity))
        return cached[index] if cached is not None else self.rows[entity][index]


def context_failures(ctx) -> FieldRun:
    """The validation's single pandera run, shared by every field rule."""
    return ctx.once("pandera", _run)


def _run(ctx) -> FieldRun:
    index = _check_index(ctx.data.spec.year)
    failures, crashed = _failures(ctx.data, ctx.today)
    by_code: dict[str, list[tuple[Failure, FieldCheck]]] = {}
    failing: dict[str, set[int]] = {}
    for failure in failures:
        check = index.get((failure.entity, f"{failure.code}@{failure.field}"))
        by_code.setdefault(failure.code, []).append((failure, check))
        failing.setdefault(failure.entity, set()).add(failure.index)
    rows = {}
    for entity, positions in failing.items():
        ordered = sorted(positions)
        # only the failing rows become dicts: converting a whole 60,000-row table costs a second
        records = ctx.data.tables[entity].iloc[ordered].to_dict("records")
        rows[entity] = dict(zip(ordered, records))
    return FieldRun(by_code, rows, crashed)
