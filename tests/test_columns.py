"""Rules with a ``when`` run a column at a time: both paths give the same findings, and each condition's
column form agrees with its per-record form on awkward values."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from ilrkit.generate import generate
from ilrkit.rules import columns
from ilrkit.rules.columns import Table, blank, children, date, fam_where, filled, has_fam, number, text_in, where
from ilrkit.rules.engine import Engine, build_learners, validate
from ilrkit.rules.registry import registry
from ilrkit.rules.testing import build

TODAY = dt.date(2026, 1, 15)
KEYS = ("rule", "severity", "learn_ref", "aim_seq", "entity", "field", "value", "sheet", "row", "column",
        "message", "learner", "aim")


def _findings(data, monkeypatch, on: bool, strict: bool = True) -> tuple[Counter, list[str]]:
    monkeypatch.setenv("ILRKIT_COLUMNS", "1" if on else "0")
    monkeypatch.setenv("ILRKIT_WORKERS", "1")
    report = validate(data, today=TODAY, strict=strict)
    return Counter(tuple(getattr(f, k) for k in KEYS) for f in report.findings), report.rules_run


def test_the_engine_runs_rules_with_a_when_over_the_tables(monkeypatch):
    with_when = [r for r in registry().values() if r.when is not None]
    assert len(with_when) >= 20  # the frequent simple rules use the column form
    monkeypatch.setenv("ILRKIT_COLUMNS", "1")
    on = Engine(with_when)
    assert on.columnar == with_when and not any(on.by_scope.values())
    monkeypatch.setenv("ILRKIT_COLUMNS", "0")
    off = Engine(with_when)
    assert off.columnar == [] and sum(map(len, off.by_scope.values())) == len(with_when)


@pytest.mark.parametrize("seed,rate", [(1, 0.3), (2, 0.3), (3, 0.6), (4, 0.15)])
def test_both_paths_find_the_same_on_faulty_providers(monkeypatch, seed, rate):
    data = generate(300, seed=seed, error_rate=rate).data
    on, off = _findings(data, monkeypatch, True), _findings(data, monkeypatch, False)
    assert on == off
    assert sum(on[0].values()) > 50


def _scramble(data, rng: random.Random, share: float) -> None:
    """Overwrite a share of the cells of the record tables with values from elsewhere in the column, blanks,
    junk and near-miss dates, so every branch of the conditions meets odd input."""
    odd = [None, "", "x", " 3", "03", "+1", "2025-02-30", "2024-02-29", "20250801", "1.0", "-1", "99"]
    for entity in ("Learner", "LearningDelivery", "LearnerEmploymentStatus", "LearningDeliveryFAM",
                   "LearnerFAM", "EmploymentStatusMonitoring"):
        df = data.tables.get(entity)
        if df is None or df.empty:
            continue
        for col in [c for c in df.columns if not c.startswith("_") and c not in ("LearnRefNumber", "AimSeqNumber")]:
            values = df[col].tolist()
            pool = [v for v in values if v is not None] or [None]
            for i in range(len(values)):
                if rng.random() < share:
                    values[i] = rng.choice(odd) if rng.random() < 0.3 else rng.choice(pool)
            df[col] = pd.Series(values, index=df.index, dtype=object)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_both_paths_find_the_same_on_scrambled_records(monkeypatch, seed):
    made = generate(200, seed=seed, error_rate=0.3)
    _scramble(made.data, random.Random(seed), 0.08)
    # not strict: a rule that trips over the junk is "not checked" on both paths alike
    on = _findings(made.data, monkeypatch, True, strict=False)
    off = _findings(made.data, monkeypatch, False, strict=False)
    assert on == off


def _odd_table():
    learners = [
        {"LearnRefNumber": f"L{i}", "DateOfBirth": dob, "PlanLearnHours": hours,
         "fams": fams, "aims": [{"LearnStartDate": start, "LearnActEndDate": end, "CompStatus": comp,
                                 "fams": afams}]}
        for i, (dob, hours, fams, start, end, comp, afams) in enumerate([
            ("2000-01-01", "12", {"EHC": "1"}, "2025-09-01", "2025-08-01", "3", {"LDM": ["034", "376"]}),
            ("2000-02-29", " 12 ", {"EHC": "2"}, "2025-09-01", "2025-09-01", "1", {"SOF": "105"}),
            ("2000-02-30", "x", {}, "2025-13-01", None, None, {}),
            (None, None, {"HNS": "1"}, None, "2025-09-02", "03", {"LDM": "034"}),
            ("1999-12-31", "-4", {"EHC": ["1", "2"]}, "2025-09-01", "2026-01-01", "+1", {"LDM": "376"}),
        ])]
    learners[0]["aims"][0]["he"] = {"NUMHUS": "1"}
    return build(learners)


@pytest.mark.parametrize("scope,cond", [
    ("aim", blank("LearnActEndDate")),
    ("aim", filled("LearnActEndDate")),
    ("aim", number("CompStatus").isin(1, 3)),
    ("aim", number("CompStatus").notin(1)),
    ("aim", number("CompStatus").notin(1, None)),
    ("aim", number("CompStatus").compare(">", 1)),
    ("aim", date("LearnActEndDate").compare("<", "LearnStartDate")),
    ("aim", date("LearnActEndDate").compare(">=", dt.date(2025, 9, 2))),
    ("aim", has_fam("LDM")),
    ("aim", has_fam("LDM", "376") & ~has_fam("SOF")),
    ("aim", has_fam("LDM", "999") | text_in("CompStatus", "03", "1")),
    ("learner", date("DateOfBirth").compare("<=", dt.date(2000, 1, 1))),
    ("learner", number("PlanLearnHours").compare("<", 13)),
    ("learner", has_fam("EHC", "2")),
    ("learner", ~has_fam("EHC")),
    ("learner", children("LearnerFAM").at_least(2)),
    ("aim", children("LearningDeliveryFAM").at_least(2)),
    ("aim", children("LearningDeliveryHE").at_least(1)),
    ("aim", fam_where(lambda t, c: c is not None and c.startswith("03"), "a code starting 03")),
    ("aim", where("CompStatus", lambda v: v is not None and v.startswith("+"), "signed")),
    ("aim", children("LearningDeliveryFAM").any(text_in("LearnDelFAMType", "LDM") & text_in("LearnDelFAMCode", "376"))),
    ("learner", children("LearningDelivery").any(number("CompStatus").isin(3))),
    ("learner", children("LearnerFAM").any(text_in("LearnFAMCode", "2"))),
    ("learner", children("LearnerFAM").at_least(2, text_in("LearnFAMType", "EHC"))),
    ("aim", date("LearnActEndDate").compare(">=", "LearnStartDate", years=-1)),
    ("learner", date("DateOfBirth").compare("<", "DateOfBirth", years=1)),
])
def test_a_conditions_column_form_agrees_with_its_record_form(scope, cond):
    data = _odd_table()
    learners = build_learners(data)
    views = learners if scope == "learner" else [a for v in learners for a in v.aims]
    table = Table(data, columns.SCOPE_TABLE[scope])
    expected = [cond.test(v) for v in views]
    assert cond.mask(table).tolist() == expected
    assert any(expected) and not all(expected)  # the records tell the two answers apart


def test_a_condition_on_a_field_the_table_lacks_reads_it_as_blank():
    data = _odd_table()
    table = Table(data, "LearningDelivery")
    assert blank("NoSuchField").mask(table).tolist() == [True] * table.size
    assert not np.any(number("NoSuchField").isin(1).mask(table))


def test_a_pattern_is_matched_once_per_distinct_value_with_the_same_answers():
    from ilrkit.rules.fields.masks import matches

    values = pd.Series(["12", None, "12", " 12", "1a", "", "12\n", "+5", None, "0012"], dtype=object)
    expected = [isinstance(v, str) and re.fullmatch(r"[+-]?[0-9]+", v) is not None for v in values]
    assert matches(values, r"[+-]?[0-9]+").tolist() == expected
    assert matches(values.iloc[:0], r"[0-9]+").tolist() == []
