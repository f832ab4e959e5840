"""Conditions a rule can state as data, so the engine can test them a whole column at a time.

A rule's ``when=`` (see ``ilrkit.rules.registry.rule``) is a condition on the one record the rule is given:
the record is broken when the condition holds and the rule's function (if it has one) then returns a truthy
value. Each condition has two evaluations, both made from the same declaration:

- ``test(record)``: on one record view (the per-record path, and the reference the other must match);
- ``mask(table)``: on the entity's whole table at once, ``True`` for the rows where it holds.

Single-field conditions are a Python predicate of the field's text; the column form applies that same
predicate to each distinct value of the column (``pandas.factorize``) and spreads the answers back, so
the two cannot disagree. The engine runs rules with a ``when`` over the tables first and calls the rule's
function only for the few rows the condition leaves (``run``); rules without one run as before.

Set ``ILRKIT_COLUMNS=0`` to run every rule record by record (tests compare the two paths).
"""

from __future__ import annotations

import datetime as dt
import operator
import os
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from ilrkit.rules.values import add_years, as_date, as_int

# the record views' scopes that a condition can be tested over as a table
SCOPE_TABLE = {"learner": "Learner", "aim": "LearningDelivery", "employment": "LearnerEmploymentStatus"}
# entity -> (its FAM table, type field, code field)
FAM_TABLES = {"LearningDelivery": ("LearningDeliveryFAM", "LearnDelFAMType", "LearnDelFAMCode"),
              "Learner": ("LearnerFAM", "LearnFAMType", "LearnFAMCode")}


def enabled() -> bool:
    return os.environ.get("ILRKIT_COLUMNS", "1") not in ("0", "off", "false", "no")


class Table:
    """One entity's table as the conditions read it, with the work several conditions share cached."""

    def __init__(self, data, entity: str):
        self.data = data
        self.entity = entity
        self.df = data.tables.get(entity)
        self.size = 0 if self.df is None else len(self.df)
        self._factors: dict[str, tuple[np.ndarray, list]] = {}
        self._luts: dict[tuple, np.ndarray] = {}
        self._pairs: tuple | None = None
        self._rows: dict | None = None
        self._children: dict[str, Table] = {}

    def factors(self, field: str) -> tuple[np.ndarray, list]:
        """(codes, distinct values) of a column; code -1 is a blank (``None``)."""
        if field not in self._factors:
            if self.df is None or field not in self.df.columns:
                self._factors[field] = (np.full(self.size, -1, dtype=np.intp), [])
            else:
                codes, uniques = pd.factorize(self.df[field], use_na_sentinel=True)
                self._factors[field] = (codes, list(uniques))
        return self._factors[field]

    def lookup(self, field: str, convert: Callable, key, dtype=bool) -> np.ndarray:
        """``convert`` of each row's value, computed once per distinct value (``convert(None)`` for blanks)."""
        cache_key = (field, key)
        if cache_key not in self._luts:
            codes, uniques = self.factors(field)
            lut = np.array([convert(u) for u in uniques] + [convert(None)], dtype=dtype)
            self._luts[cache_key] = lut[codes]  # code -1 takes the last entry: the blank's answer
        return self._luts[cache_key]

    def fam_mask(self, predicate: Callable[[str | None, str | None], bool], key) -> np.ndarray:
        """``True`` for the rows with at least one FAM record whose (type, code) meets ``predicate``."""
        cache_key = ("fam", key)
        if cache_key not in self._luts:
            pair_codes, pairs, parent_rows = self._fam_pairs()
            out = np.zeros(self.size, dtype=bool)
            if len(pairs):
                lut = np.array([bool(predicate(t, c)) for t, c in pairs], dtype=bool)
                hit = lut[pair_codes] & (parent_rows >= 0)
                out[parent_rows[hit]] = True
            self._luts[cache_key] = out
        return self._luts[cache_key]

    def child_counts(self, child: str) -> np.ndarray:
        """How many rows of the ``child`` table each row here has."""
        cache_key = ("children", child)
        if cache_key not in self._luts:
            parents = self.child_parents(child)
            self._luts[cache_key] = np.bincount(parents[parents >= 0], minlength=self.size)
        return self._luts[cache_key]

    def child_parents(self, child: str) -> np.ndarray:
        """For each row of the ``child`` table, its parent's row here (-1 for none)."""
        cache_key = ("parents", child)
        if cache_key not in self._luts:
            rows = self.data.tables.get(child)
            if rows is None or rows.empty or not self.size:
                parents = np.zeros(0 if rows is None else len(rows), dtype=np.intp) - 1
            else:
                rows_of = self._row_of()
                parents = np.fromiter((rows_of.get(p, -1) for p in rows["_parent"].tolist()), dtype=np.intp,
                                      count=len(rows))
            self._luts[cache_key] = parents
        return self._luts[cache_key]

    def child_table(self, child: str) -> Table:
        if child not in self._children:
            self._children[child] = Table(self.data, child)
        return self._children[child]

    def _row_of(self) -> dict:
        """Row id -> position in this table."""
        if self._rows is None:
            self._rows = {row_id: i for i, row_id in enumerate(self.df["_id"].tolist())}
        return self._rows

    def _fam_pairs(self) -> tuple[np.ndarray, list, np.ndarray]:
        """Each FAM record's distinct (type, code) number, the distinct pairs, and its parent's row here."""
        if self._pairs is None:
            fam_entity, type_field, code_field = FAM_TABLES[self.entity]
            fams = self.data.tables.get(fam_entity)
            if fams is None or fams.empty or self.size == 0:
                self._pairs = (np.zeros(0, dtype=np.intp), [], np.zeros(0, dtype=np.intp))
            else:
                index: dict = {}
                pairs = zip(fams[type_field].tolist(), fams[code_field].tolist())
                codes = np.fromiter((index.setdefault(p, len(index)) for p in pairs), dtype=np.intp, count=len(fams))
                row_of = self._row_of()
                parents = np.fromiter((row_of.get(p, -1) for p in fams["_parent"].tolist()), dtype=np.intp,
                                      count=len(fams))
                self._pairs = (codes, list(index), parents)
        return self._pairs


class Cond:
    """A condition on one record. Combine with ``&``, ``|`` and ``~``."""

    def test(self, record) -> bool:
        raise NotImplementedError

    def mask(self, table: Table) -> np.ndarray:
        raise NotImplementedError

    def __and__(self, other: Cond) -> Cond:
        return All((self, other))

    def __or__(self, other: Cond) -> Cond:
        return Any((self, other))

    def __invert__(self) -> Cond:
        return Not(self)


class All(Cond):
    def __init__(self, parts: Iterable[Cond]):
        self.parts = tuple(p for c in parts for p in (c.parts if isinstance(c, All) else (c,)))

    def test(self, record) -> bool:
        return all(p.test(record) for p in self.parts)

    def mask(self, table: Table) -> np.ndarray:
        out = self.parts[0].mask(table).copy()
        for p in self.parts[1:]:
            if not out.any():
                break
            out &= p.mask(table)
        return out

    def __repr__(self) -> str:
        return " & ".join(map(repr, self.parts))


class Any(Cond):
    def __init__(self, parts: Iterable[Cond]):
        self.parts = tuple(p for c in parts for p in (c.parts if isinstance(c, Any) else (c,)))

    def test(self, record) -> bool:
        return any(p.test(record) for p in self.parts)

    def mask(self, table: Table) -> np.ndarray:
        out = self.parts[0].mask(table).copy()
        for p in self.parts[1:]:
            out |= p.mask(table)
        return out

    def __repr__(self) -> str:
        return "(" + " | ".join(map(repr, self.parts)) + ")"


class Not(Cond):
    def __init__(self, part: Cond):
        self.part = part

    def test(self, record) -> bool:
        return not self.part.test(record)

    def mask(self, table: Table) -> np.ndarray:
        return ~self.part.mask(table)

    def __repr__(self) -> str:
        return f"~{self.part!r}"


class Value(Cond):
    """A predicate of one field's text (``None`` when blank)."""

    def __init__(self, field: str, predicate: Callable[[str | None], bool], label: str, key=None):
        self.field, self.predicate, self.label = field, predicate, label
        self.key = label if key is None else key  # conditions with equal keys share their column answer

    def test(self, record) -> bool:
        return bool(self.predicate(record.row.get(self.field)))

    def mask(self, table: Table) -> np.ndarray:
        return table.lookup(self.field, lambda v: bool(self.predicate(v)), self.key)

    def __repr__(self) -> str:
        return f"{self.field} {self.label}"


_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
        "!=": operator.ne}


def _ordinal(value: str | None) -> int:
    day = as_date(value)
    return -1 if day is None else day.toordinal()


def _shifted(value: str | None, years: int) -> dt.date | None:
    day = as_date(value)
    return None if day is None else add_years(day, years)


class DatePair(Cond):
    """Two date fields of the record compared (the right one moved by whole ``years``, as ``add_years``
    does); never true when either is blank or not a date."""

    def __init__(self, left: str, op: str, right: str, years: int = 0):
        self.left, self.op, self.right, self.years = left, op, right, years
        self._op = _OPS[op]

    def _right(self, value: str | None) -> dt.date | None:
        return _shifted(value, self.years) if self.years else as_date(value)

    def test(self, record) -> bool:
        a, b = as_date(record.row.get(self.left)), self._right(record.row.get(self.right))
        return a is not None and b is not None and self._op(a, b)

    def mask(self, table: Table) -> np.ndarray:
        a = table.lookup(self.left, _ordinal, "ordinal", dtype=np.int64)
        b = table.lookup(self.right, lambda v: -1 if (d := self._right(v)) is None else d.toordinal(),
                         ("ordinal", self.years), dtype=np.int64)
        return (a >= 0) & (b >= 0) & self._op(a, b)

    def __repr__(self) -> str:
        return f"date {self.left} {self.op} {self.right}" + (f" {self.years:+d} years" if self.years else "")


class HasFam(Cond):
    """The learner or aim has a FAM record whose (type, code) meets a predicate."""

    def __init__(self, predicate: Callable[[str | None, str | None], bool], label: str, key=None):
        self.predicate, self.label = predicate, label
        self.key = label if key is None else key

    def test(self, record) -> bool:
        _, type_field, code_field = FAM_TABLES[record.entity]
        return any(self.predicate(f.get(type_field), f.get(code_field)) for f in record.fams)

    def mask(self, table: Table) -> np.ndarray:
        return table.fam_mask(self.predicate, self.key)

    def __repr__(self) -> str:
        return f"has {self.label}"


# (entity, child entity) -> the attribute of the entity's view that lists those child rows
CHILD_LISTS = {
    ("LearningDelivery", "LearningDeliveryFAM"): "fams", ("LearningDelivery", "AppFinRecord"): "financial",
    ("LearningDelivery", "LearningDeliveryWorkPlacement"): "work_placements",
    ("LearningDelivery", "ProviderSpecDeliveryMonitoring"): "monitoring",
    ("Learner", "LearnerFAM"): "fams", ("Learner", "PriorAttain"): "prior", ("Learner", "LLDDandHealthProblem"): "lldd",
    ("Learner", "ProviderSpecLearnerMonitoring"): "monitoring", ("Learner", "LearningDelivery"): "aims",
    ("Learner", "LearnerEmploymentStatus"): "employment",
    ("LearnerEmploymentStatus", "EmploymentStatusMonitoring"): "monitoring",
    # one-to-one children: the view holds the first row or None
    ("LearningDelivery", "LearningDeliveryHE"): "he", ("Learner", "LearnerHE"): "he",
}


class ChildCount(Cond):
    """The record has at least ``least`` child records of an entity (its FAMs, financial records, ...), or
    of those that meet ``cond`` (a condition on the child's own fields)."""

    def __init__(self, child: str, least: int, cond: Cond | None = None):
        self.child, self.least, self.cond = child, least, cond

    def test(self, record) -> bool:
        found = getattr(record, CHILD_LISTS[(record.entity, self.child)])
        if not isinstance(found, list):  # a one-to-one child: its view only says whether there is one
            if self.least != 1 or self.cond is not None:
                raise ValueError(f"{self.child} is one-to-one: ask children(...).at_least(1) or .any(...)")
            return found is not None
        if self.cond is None:
            return len(found) >= self.least
        return sum(1 for r in found if self.cond.test(r if hasattr(r, "row") else _Row(r))) >= self.least

    def mask(self, table: Table) -> np.ndarray:
        if self.cond is None:
            return table.child_counts(self.child) >= self.least
        parents = table.child_parents(self.child)
        if not len(parents):
            return np.zeros(table.size, dtype=bool) if self.least > 0 else np.ones(table.size, dtype=bool)
        keep = self.cond.mask(table.child_table(self.child)) & (parents >= 0)
        return np.bincount(parents[keep], minlength=table.size) >= self.least

    def __repr__(self) -> str:
        return f"at least {self.least} {self.child}" + (f" with {self.cond!r}" if self.cond is not None else "")


class _Row:
    """A child row dict as the conditions read a record."""

    __slots__ = ("row",)

    def __init__(self, row: dict):
        self.row = row


class AnyChild(Cond):
    """At least one child record of an entity meets a condition on its own fields."""

    def __init__(self, child: str, cond: Cond):
        self.child, self.cond = child, cond

    def test(self, record) -> bool:
        found = getattr(record, CHILD_LISTS[(record.entity, self.child)])
        rows = found if isinstance(found, list) else [] if found is None else [found]
        return any(self.cond.test(r if hasattr(r, "row") else _Row(r)) for r in rows)

    def mask(self, table: Table) -> np.ndarray:
        parents = table.child_parents(self.child)
        out = np.zeros(table.size, dtype=bool)
        if len(parents):
            hit = self.cond.mask(table.child_table(self.child)) & (parents >= 0)
            out[parents[hit]] = True
        return out

    def __repr__(self) -> str:
        return f"any {self.child} with {self.cond!r}"


class children:  # noqa: N801 - reads as a word: children("AppFinRecord").at_least(1)
    def __init__(self, child: str):
        self.child = child

    def at_least(self, n: int, cond: Cond | None = None) -> Cond:
        """At least ``n`` of them (of those that meet ``cond``, if given)."""
        return ChildCount(self.child, n, cond)

    def any(self, cond: Cond) -> Cond:
        """One of them meets ``cond`` (a condition on the child's own fields)."""
        return AnyChild(self.child, cond)


# -- the words rules use ----------------------------------------------------------------------------------

def blank(field: str) -> Cond:
    return Value(field, lambda v: v is None, "is blank")


def filled(field: str) -> Cond:
    return Value(field, lambda v: v is not None, "is filled")


def text_in(field: str, *values: str) -> Cond:
    """The field's text is one of ``values`` (never true when blank)."""
    allowed = frozenset(values)
    return Value(field, lambda v: v in allowed, f"in {sorted(allowed)}")


def where(field: str, predicate: Callable[[str | None], bool], label: str) -> Cond:
    """Any test of one field's text (``None`` when blank), e.g. ``where("LearnAimRef", is_t_level, ...)``."""
    return Value(field, predicate, label, key=("where", id(predicate), label))


class number:  # noqa: N801 - reads as a word in a declaration: number("CompStatus").isin(3, 6)
    """The field read as a whole number (``as_int``: ``None`` when blank or not a number)."""

    def __init__(self, field: str):
        self.field = field

    def known(self) -> Cond:
        """The field holds a whole number."""
        return Value(self.field, lambda v: as_int(v) is not None, "is a number")

    def isin(self, *values: int | None) -> Cond:
        allowed = frozenset(values)
        return Value(self.field, lambda v: as_int(v) in allowed, f"as number in {sorted(allowed, key=str)}")

    def notin(self, *values: int | None) -> Cond:
        """Not one of ``values``: true for a blank unless ``None`` is among them (as Python's ``not in``)."""
        allowed = frozenset(values)
        return Value(self.field, lambda v: as_int(v) not in allowed,
                     f"as number not in {sorted(allowed, key=str)}")

    def compare(self, op: str, value: int) -> Cond:
        """An ordering against a constant; never true when blank or not a number."""
        fn = _OPS[op]
        return Value(self.field, lambda v: (n := as_int(v)) is not None and fn(n, value),
                     f"as number {op} {value}")


class date:  # noqa: N801 - as ``number``
    """The field read as a date (``as_date``: ``None`` when blank or not a date)."""

    def __init__(self, field: str):
        self.field = field

    def known(self) -> Cond:
        """The field holds a date."""
        return Value(self.field, lambda v: as_date(v) is not None, "is a date")

    def compare(self, op: str, other, years: int = 0) -> Cond:
        """Against a fixed ``datetime.date``, or another date field of the record (named by a string; moved
        by whole ``years`` if given); never true when either side is blank or not a date."""
        if isinstance(other, str):
            return DatePair(self.field, op, other, years)
        fn = _OPS[op]
        return Value(self.field, lambda v: (d := as_date(v)) is not None and fn(d, other),
                     f"as date {op} {other.isoformat()}")


def has_fam(fam_type: str, *codes: str) -> Cond:
    """A FAM record of ``fam_type`` (with one of ``codes``, if any are given)."""
    allowed = frozenset(codes)
    if not allowed:
        return HasFam(lambda t, c: t == fam_type, fam_type)
    return HasFam(lambda t, c: t == fam_type and c in allowed, f"{fam_type} {sorted(allowed)}")


def fam_where(predicate: Callable[[str | None, str | None], bool], label: str) -> Cond:
    """A FAM record whose (type, code) meets ``predicate``, e.g. a code with a last date of use."""
    return HasFam(predicate, label, key=("where", id(predicate), label))


# -- the engine's side ------------------------------------------------------------------------------------

def split(rules: list) -> tuple[list, list]:
    """(rules the engine runs over whole tables, rules it runs record by record)."""
    if not enabled():
        return [], list(rules)
    columnar = [r for r in rules if r.when is not None and r.scope in SCOPE_TABLE]
    ids = {id(r) for r in columnar}
    return columnar, [r for r in rules if id(r) not in ids]


def _views(ctx, scope: str) -> dict:
    """Row id -> the record view the per-record path would give a rule of ``scope``."""
    key = ("column-views", scope)
    if key not in ctx.cache:
        if scope == "learner":
            views = {v.row["_id"]: v for v in ctx.learners}
        elif scope == "aim":
            views = {a.row["_id"]: a for v in ctx.learners for a in v.aims}
        else:
            views = {e.row["_id"]: e for v in ctx.learners for e in v.employment}
        ctx.cache[key] = views
    return ctx.cache[key]


def _fund_model_mask(table: Table, fund_models: tuple[int, ...]) -> np.ndarray:
    allowed = frozenset(fund_models)
    return table.lookup("FundModel", lambda v: as_int(v) in allowed, ("fund models", allowed))


def run(engine, rules: list, ctx, out: list) -> None:
    """Run ``rules`` (each with a ``when``) over the tables: the condition on whole columns, then the rule's
    function on the rows it leaves, each finding made exactly as the per-record path makes it."""
    tables: dict[str, Table] = {}
    for rule in rules:
        entity = SCOPE_TABLE[rule.scope]
        table = tables.get(entity) or tables.setdefault(entity, Table(ctx.data, entity))
        if table.size == 0:
            continue
        try:
            mask = rule.when.mask(table)
            if rule.fund_models is not None:
                mask = mask & _fund_model_mask(table, rule.fund_models)
            ids = table.df["_id"].to_numpy()[mask].tolist() if mask.any() else ()
        except Exception as exc:  # noqa: BLE001 - as a raising rule in the per-record path
            engine._failed(rule, exc)
            continue
        views = _views(ctx, rule.scope) if ids else {}
        body = rule.body
        for row_id in ids:
            view = views.get(row_id)
            if view is None:  # a row no learner holds: the per-record path never sees it either
                continue
            try:
                result = True if body is None else body(view)
                if result:
                    engine._record(rule, result, view, ctx.data, out)
            except Exception as exc:  # noqa: BLE001
                if type(exc).__name__ == "StrictError":
                    raise
                engine._failed(rule, exc)
