"""Fixtures for the add-in tests: a real template workbook with learners, and synthetic findings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from ilrkit.rules.findings import Finding
from ilrkit.rules.testing import build

# xlwings' remote engine is xlwings PRO; its licence allows this key for noncommercial development. It is set
# before xlwings first looks (xlwings remembers the key it found).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

BAD_ULN = "1234567890"  # fails the check digit (ULN_04)


@dataclass
class FakeReport:
    findings: list = field(default_factory=list)


def learners(n: int = 3, bad: tuple[int, ...] = (0, 2)):
    return [{"LearnRefNumber": f"L{i + 1}", **({"ULN": BAD_ULN} if i in bad else {}), "aims": [{}]}
            for i in range(n)]


@pytest.fixture
def workbook(tmp_path):
    from ilrkit.templates.workbook_writer import write_workbook

    path = tmp_path / "ilr.xlsx"
    write_workbook(path, data=build(learners()))
    return path


@pytest.fixture
def remote(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def finding(rule="R1", severity="error", sheet="Learners", row=2, column="F", learn_ref="L1", message="Bad value"):
    return Finding(rule, severity, message, learn_ref=learn_ref, sheet=sheet, row=row, column=column)
