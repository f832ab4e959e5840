"""Tests as data: every YAML file under tests/rules/cases holds passing and failing records per rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from ilrkit.rules.engine import validate
from ilrkit.rules.reference import ReferenceData
from ilrkit.rules.registry import registry
from ilrkit.rules.testing import build

CASES_DIR = Path(__file__).parent / "rules" / "cases"
DEFAULT_TODAY = dt.date(2026, 1, 15)


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


def run_case(case: dict) -> set[tuple]:
    data = build(case.get("learners") or [], header=case.get("header"), defaults=case.get("defaults", True),
                 source_files=case.get("source_files"))
    today = case.get("today", DEFAULT_TODAY)
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    # `reference:` holds small synthetic reference tables: {set: {official table: [rows]}}
    reference = ReferenceData.from_rows(case["reference"]) if "reference" in case else None
    report = validate(data, filename=case.get("filename"), today=today, codes=set(case["rules"]), strict=True,
                      reference=reference)
    return {(f.rule, f.learn_ref, f.field) for f in report.findings}


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
    rules = registry()
    failing = {e[0] for _, c in CASES for e in c.get("expect") or []}
    exercised = {r for _, c in CASES for r in c["rules"]}
    passing = {r for _, c in CASES for r in c["rules"] if _has_passing_record(c, r)}
    missing_fail = sorted(set(rules) - failing)
    missing_pass = sorted(set(rules) - passing)
    assert not missing_fail, f"rules with no failing case: {missing_fail}"
    assert not missing_pass, f"rules with no passing case: {missing_pass}"
    unknown = sorted(exercised - set(rules))
    assert not unknown, f"cases name rules that are not registered: {unknown}"
