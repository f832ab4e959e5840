"""Tests as data: every YAML file under tests/rules/cases holds passing and failing records per rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from ilrkit.rules.engine import validate
from ilrkit.rules.reference import ReferenceData
from ilrkit.rules.registry import registry
from ilrkit.rules.testing import build, default_today
from ilrkit.schemas import DEFAULT_YEAR, available_years

CASES_DIR = Path(__file__).parent / "rules" / "cases"


def _load_cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in doc.get("cases", []):
            out.append((f"{path.relative_to(CASES_DIR).with_suffix('')}::{case['name']}", case))
    return out


CASES = _load_cases()


def _expected(case: dict) -> set[tuple]:
    return {tuple(None if v in ("", None) else str(v) for v in e) for e in case.get("expect") or []}


def case_year(case: dict) -> str:
    """The collection year a case is validated in: its ``year:`` key, by default 2025-26."""
    return str(case.get("year", DEFAULT_YEAR))


def run_case(case: dict) -> set[tuple]:
    return {(f.rule, f.learn_ref, f.field) for f in validate_case(case).findings}


def validate_case(case: dict, strict: bool = True):
    """The validation report of one case, in its year, with its reference tables."""
    year = case_year(case)
    data = build(case.get("learners") or [], header=case.get("header"), defaults=case.get("defaults", True),
                 source_files=case.get("source_files"), year=year)
    today = case.get("today", default_today(year))
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    # `reference:` holds small synthetic reference tables: {set: {official table: [rows]}}
    reference = ReferenceData.from_rows(case["reference"]) if "reference" in case else None
    return validate(data, filename=case.get("filename"), today=today, codes=set(case["rules"]), strict=strict,
                    reference=reference)


@pytest.fixture(params=["columns", "per-record"])
def engine_path(request, monkeypatch):
    """Every case runs on both of the engine's paths: rules with a ``when`` over whole tables, and all rules
    record by record (ilrkit.rules.columns)."""
    monkeypatch.setenv("ILRKIT_COLUMNS", "1" if request.param == "columns" else "0")
    return request.param


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_rule_case(case, engine_path):
    assert run_case(case) == _expected(case)


def _has_passing_record(case: dict, code: str) -> bool:
    """A case passes a rule when it expects no finding of it, or holds a learner it expects none for."""
    flagged = {str(e[1]) for e in case.get("expect") or [] if e[0] == code}
    if not any(e[0] == code for e in case.get("expect") or []):
        return True
    return any(str(learner.get("LearnRefNumber")) not in flagged for learner in case.get("learners") or [])


def test_every_rule_has_passing_and_failing_cases():
    """Every rule has a passing and a failing case in a year it is part of (a case in another year would
    not run it, so it proves nothing)."""
    rules = registry()
    exercised = {r for _, c in CASES for r in c["rules"]}
    unknown = sorted(exercised - set(rules))
    assert not unknown, f"cases name rules that are not registered: {unknown}"
    in_year = [(c, r) for _, c in CASES for r in c["rules"] if rules[r].applies_to(case_year(c))]
    failing = {r for c, r in in_year if any(e[0] == r for e in c.get("expect") or [])}
    passing = {r for c, r in in_year if _has_passing_record(c, r)}
    missing_fail = sorted(set(rules) - failing)
    missing_pass = sorted(set(rules) - passing)
    assert not missing_fail, f"rules with no failing case in a year they are part of: {missing_fail}"
    assert not missing_pass, f"rules with no passing case in a year they are part of: {missing_pass}"


def test_every_installed_year_has_cases_for_its_own_rules():
    """A year's year-limited rules (added or withdrawn that year) each have a case in that year."""
    rules = registry()
    for year in available_years():
        cased = {r for _, c in CASES if case_year(c) == year for r in c["rules"]}
        limited = {code for code, r in rules.items() if r.applies_to(year)
                   and (r.years is not None or r.first_year is not None or r.last_year is not None)}
        missing = sorted(limited - cased)
        assert not missing, f"{year}: rules limited to some years with no case in {year}: {missing}"


def test_cases_name_rules_of_their_year():
    """A case that names a rule its year does not have would pass without running it."""
    rules = registry()
    wrong = [f"{name}: {r} ({case_year(c)})" for name, c in CASES for r in c["rules"]
             if r in rules and not rules[r].applies_to(case_year(c))]
    assert not wrong, f"cases name rules that are not part of the case's year: {wrong}"


def _moved_on(value, years: int):
    """A case's dates (ISO text or dates) moved on ``years`` years; 29 February becomes the 28th."""
    if isinstance(value, list):
        return [_moved_on(v, years) for v in value]
    if isinstance(value, dict):
        return {k: _moved_on(v, years) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.replace(year=value.year + years, day=min(value.day, 28 if value.month == 2 else 31))
    if isinstance(value, str) and len(value) >= 10 and value[:4].isdigit() and value[4] == "-" and value[7] == "-":
        day = value[8:10] if value[5:10] != "02-29" else "28"
        return f"{int(value[:4]) + years}{value[4:8]}{day}{value[10:]}"
    return value


def test_carried_over_rules_run_in_every_later_year():
    """Each default-year case, its dates moved into every later installed year, runs there without any of
    its rules raising (strict mode). The answers may differ (fixed cut-off dates do not move, code lists
    change), so the later year's own cases check those; this proves each carried-over rule runs there."""
    rules = registry()
    later = [y for y in available_years() if y > DEFAULT_YEAR]
    ran: dict[str, set[str]] = {y: set() for y in later}
    for year in later:
        years = int(year[:4]) - int(DEFAULT_YEAR[:4])
        for _, case in CASES:
            if case_year(case) != DEFAULT_YEAR or not all(rules[r].applies_to(year) for r in case["rules"]):
                continue
            moved = {**_moved_on(case, years), "year": year}
            moved.setdefault("today", default_today(year))
            run_case(moved)  # strict: a rule that raises fails the test
            ran[year] |= set(case["rules"])
        carried = {code for code, r in rules.items() if r.applies_to(year) and r.applies_to(DEFAULT_YEAR)}
        assert not carried - ran[year], f"{year}: carried-over rules never run there: {sorted(carried - ran[year])}"
