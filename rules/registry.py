"""One registry of validation rules, keyed by the agency's rule code.

A rule is one small pure function declared with everything about it::

    @rule("ULN_04", severity=ERROR, entity="Learner", fields=("ULN",),
          message="The ULN {ULN} fails the check-digit test, so it is not a real ULN. "
                  "Copy it again from the Learning Records Service.")
    def uln_04(learner):
        return learner["ULN"] is not None and dd01(learner["ULN"]) ...

The function gets one record view for its scope (see ``ilrkit.rules.views``) and returns a falsy value when
the record passes, ``True`` to report the rule's first field of that record, or one or more ``Hit`` values
to point at other records or fields.

A rule belongs to every installed collection year unless it says otherwise: ``years=("2025-26",)`` names the
years it is part of, ``first_year="2026-27"`` / ``last_year="2025-26"`` bound them (a rule the agency added or
withdrew). The engine runs only the rules of the data's year (``Rule.applies_to``).

A rule that tests one record may state the simple part of its test as data with ``when=`` (conditions from
``ilrkit.rules.columns``: field values, code lists, dates within the record, FAMs); the function then holds
only the rest (or just returns ``True``), and the engine tests ``when`` a whole column at a time, calling the
function only for the rows that meet it::

    @rule("WithdrawReason_05", ..., when=number("WithdrawReason").isin(28) & ~has_fam("LDM", "034"))
    def withdrawreason_05(aim):
        return True
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ilrkit.rules.findings import ERROR, WARNING

__all__ = ["ERROR", "WARNING", "Hit", "Rule", "rule", "registry", "rules_for_year", "get_rule", "load_all",
           "DuplicateRule"]

SCOPES = ("file", "learner", "aim", "employment", "table")
# the entity a scope's record is, when a rule does not say otherwise
SCOPE_ENTITY = {"learner": "Learner", "aim": "LearningDelivery", "employment": "LearnerEmploymentStatus"}


class DuplicateRule(ValueError):
    """Two declarations use the same rule code."""


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a rule is broken, when it is not simply the rule's first field of the record it was given.

    ``record`` is a row view or a plain row dict (with ``_sheet``/``_row``/``_id`` bookkeeping);
    ``field`` the field to point at; ``entity`` the record's entity when it differs from the rule's.
    ``values`` adds names for the message template.
    """

    record: object = None
    field: str | None = None
    entity: str | None = None
    values: dict | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    scope: str
    entity: str
    fields: tuple[str, ...]
    message: str
    func: Callable
    needs: tuple[str, ...] = ()  # reference data sets (LARS, Postcodes, ...) the rule cannot run without
    fund_models: tuple[int, ...] | None = None  # aim rules: only aims with one of these FundModels
    family: str = ""  # the module it lives in, for docs and tests
    years: tuple[str, ...] | None = None  # the collection years the rule is part of; None: no list
    first_year: str | None = None  # the first collection year it is part of (a rule added that year)
    last_year: str | None = None  # the last collection year it is part of (withdrawn after it)
    when: object = None  # an ilrkit.rules.columns.Cond the record must meet before ``body`` is asked
    body: Callable | None = None  # the declared function; ``func`` is it behind ``when`` when there is one

    def applies_to(self, year: str) -> bool:
        """Whether the rule is part of collection year ``year`` (``2025-26``)."""
        if self.years is not None and year not in self.years:
            return False
        # "2025-26" < "2026-27": collection years order as text
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year)

    @property
    def field(self) -> str | None:
        return self.fields[0] if self.fields else None


_REGISTRY: dict[str, Rule] = {}
_YEAR = re.compile(r"20[0-9]{2}-[0-9]{2}")


def rule(code: str, *, severity: str = ERROR, scope: str | None = None, entity: str | None = None,
         fields: Iterable[str] = (), message: str, needs: Iterable[str] = (),
         fund_models: Iterable[int] | None = None, years: Iterable[str] | None = None,
         first_year: str | None = None, last_year: str | None = None, when=None) -> Callable[[Callable], Callable]:
    """Declare a validation rule. Raises ``DuplicateRule`` if the code is already declared."""
    if severity not in (ERROR, WARNING):
        raise ValueError(f"{code}: severity must be ERROR or WARNING, not {severity!r}")
    for y in (*(years or ()), first_year, last_year):
        if y is not None and not _YEAR.fullmatch(y):
            raise ValueError(f"{code}: a collection year is written like 2025-26, not {y!r}")

    def register(func: Callable) -> Callable:
        sc = scope or _default_scope(entity)
        if sc not in SCOPES:
            raise ValueError(f"{code}: unknown scope {sc!r}")
        ent = entity or SCOPE_ENTITY.get(sc, "")
        if code in _REGISTRY:
            raise DuplicateRule(f"Rule {code} is declared twice: in {_REGISTRY[code].family} and "
                                f"{func.__module__}")
        _REGISTRY[code] = Rule(code, severity, sc, ent, tuple(fields), " ".join(message.split()),
                               func if when is None else _behind(when, func), tuple(needs),
                               tuple(fund_models) if fund_models is not None else None,
                               func.__module__.removeprefix("ilrkit.rules."),
                               tuple(years) if years is not None else None, first_year, last_year, when, func)
        return func

    return register


def _behind(when, func: Callable) -> Callable:
    """The per-record form of a rule with a ``when``: the condition first, then the function."""
    test = when.test

    def check(record):
        return test(record) and func(record)

    check.__name__, check.__qualname__, check.__module__ = func.__name__, func.__qualname__, func.__module__
    return check


def _default_scope(entity: str | None) -> str:
    return {"Learner": "learner", "LearningDelivery": "aim", "LearnerEmploymentStatus": "employment"}.get(
        entity or "", "learner")


def registry() -> dict[str, Rule]:
    """Every declared rule, keyed by code, once all rule modules are imported."""
    load_all()
    return dict(_REGISTRY)


def rules_for_year(year: str) -> dict[str, Rule]:
    """The rules that are part of collection year ``year``, keyed by code."""
    return {code: r for code, r in registry().items() if r.applies_to(year)}


def get_rule(code: str) -> Rule | None:
    load_all()
    if code in _REGISTRY:
        return _REGISTRY[code]
    folded = {k.casefold(): k for k in _REGISTRY}
    return _REGISTRY.get(folded.get(code.casefold(), ""))


_LOADED = False
_LOAD_LOCK = threading.RLock()  # a server validates in several threads; the first must finish loading first
# modules that hold rule declarations live in these sub-packages (folders mirror the ILR specification)
RULE_PACKAGES = ("file", "fields", "learner", "employment", "learning_delivery", "he", "cross_record")


def load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    with _LOAD_LOCK:
        if _LOADED:
            return
        _import_rule_modules()
        _LOADED = True


def _import_rule_modules() -> None:
    for package in RULE_PACKAGES:
        try:
            pkg = importlib.import_module(f"ilrkit.rules.{package}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ilrkit.rules.{package}":
                continue
            raise
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
            importlib.import_module(info.name)


@dataclass
class RuleSet:
    """The rules to run, split by scope; built once per validation."""

    rules: list[Rule] = field(default_factory=list)

    def by_scope(self, scope: str) -> list[Rule]:
        return [r for r in self.rules if r.scope == scope]
