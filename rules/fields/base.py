"""One declaration per field check: the pandera schema and the rule registry are both made from it.

A ``FieldCheck`` says which entity and field a check is about and gives a vectorised ``fails`` function
(``True`` where the rule is broken). ``field_rule`` records the check for the pandera schemas
(``ilrkit.rules.fields.schemas``) and registers a table-scope rule that reads its findings from the one
shared pandera run of a validation.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ilrkit.rules.registry import ERROR, Hit, rule

# entity -> checks on it, in declaration order; filled as the modules of this package are imported
CHECKS: dict[str, list[FieldCheck]] = {}


@dataclass(frozen=True)
class FieldCheck:
    """A vectorised check of one field (or, with ``frame=True``, of a table row) named after its rule.

    ``fails(data, spec)`` gets the column (nulls dropped unless ``keep_na``) or, for a frame check, the
    whole prepared table with its context columns (see ``schemas.prepare``), and the year's spec; it
    returns a boolean Series that is ``True`` where the rule is broken. ``values(row, field, ctx)`` adds names for the message from the failing row.
    """

    code: str
    entity: str
    field: str
    fails: Callable[[pd.Series | pd.DataFrame, object], pd.Series]  # (data, spec) -> broken
    frame: bool = False
    keep_na: bool = False
    values: Callable[[dict, str, object], dict] | None = None

    @property
    def key(self) -> str:
        """The name of the pandera check: unique within the entity's schema."""
        return f"{self.code}@{self.field}"


class FieldCheckFailed(RuntimeError):
    """The rule's pandera check raised instead of answering."""


def add_check(check: FieldCheck) -> FieldCheck:
    CHECKS.setdefault(check.entity, []).append(check)
    return check


def hits(ctx, code: str) -> list[Hit]:
    """The findings for ``code`` from the validation's single pandera run."""
    from ilrkit.rules.fields.schemas import context_failures

    run = context_failures(ctx)
    if code in run.crashed:  # the engine reports the rule as not checked (and raises in strict mode)
        raise FieldCheckFailed(f"{code} could not run: {run.crashed[code]}")
    out = []
    for failure, check in run.by_code.get(code, ()):
        row = run.row(ctx, failure.entity, failure.index)
        values = check.values(row, failure.field, ctx) if check.values else None
        out.append(Hit(record=row, field=failure.field, entity=failure.entity, values=values))
    return out


def register(code: str, entity: str, field: str, message: str, severity: str = ERROR,
             module: str | None = None, **years) -> None:
    """Register the table-scope rule for ``code``; its findings come from the shared pandera run."""

    def check(ctx):
        return hits(ctx, code)

    check.__name__ = check.__qualname__ = code.lower()
    check.__module__ = module or sys._getframe(1).f_globals.get("__name__", __name__)
    rule(code, severity=severity, scope="table", entity=entity, fields=(field,), message=message, **years)(check)


def field_rule(code: str, entity: str, field: str, fails, *, message: str, severity: str = ERROR,
               frame: bool = False, keep_na: bool = False, values=None, **years) -> FieldCheck:
    """Declare a one-field agency rule: its pandera check and its registry entry together.
    ``years``: ``years=``/``first_year=``/``last_year=`` as for ``rule``."""
    check = add_check(FieldCheck(code, entity, field, fails, frame, keep_na, values))
    register(code, entity, field, message, severity, module=sys._getframe(1).f_globals.get("__name__"), **years)
    return check
