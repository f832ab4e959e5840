"""The agency's sample file: its known errors are found, and every rule that fires has been reviewed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ilrkit.converter.xml_reader import read_xml
from ilrkit.rules.engine import validate

SAMPLE = "ILR-99999999-2526-20250108-094401.xml"
REVIEW = Path(__file__).resolve().parents[1] / "docs" / "agency-sample.md"


@pytest.fixture(scope="module")
def report(esfa_dir):
    return validate(read_xml(esfa_dir / SAMPLE), filename=SAMPLE, today=dt.date(2026, 1, 15), strict=True)


def _reviewed_rules() -> set[str]:
    rules = set()
    for line in REVIEW.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| rule", "|---")):
            rules.update(re.findall(r"[A-Za-z0-9]+_[A-Za-z0-9_]+", line.split("|")[1]))
    return rules


def _found(report, rule: str) -> set[str]:
    return {f.learn_ref for f in report.findings if f.rule == rule}


def test_the_agency_s_known_errors_are_found(report):
    assert _found(report, "R_59") == {"ASLearner", "MCALearner"}  # duplicate ULN
    assert _found(report, "R_07") == {"ASLearner"}  # duplicate AimSeqNumber
    assert "TLevelT" in _found(report, "LearnPlanEndDate_02")  # planned end before start
    assert any(f.rule == "Filename_1" for f in report.findings)  # no -NN serial in the name


def test_every_rule_that_fires_on_the_sample_has_been_reviewed(report):
    fired = {f.rule for f in report.findings}
    unreviewed = sorted(fired - _reviewed_rules())
    assert not unreviewed, f"review these findings on the agency sample and add them to {REVIEW.name}: {unreviewed}"


def test_the_schema_valid_sample_breaks_no_field_definition(report):
    assert not [f for f in report.findings if f.rule.startswith(("FD_", "ILR_"))]
    assert report.summary["learners"] == 19 and report.summary["rules_run"] > 600
