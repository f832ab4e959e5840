"""Fixtures for the add-in tests: a real template workbook with learners, and synthetic findings."""

from __future__ import annotations

import os

import pytest
from addin_helpers import learners

from ilrkit.rules.testing import build

# xlwings' remote engine is xlwings PRO; its licence allows this key for noncommercial development. It is set
# before xlwings first looks (xlwings remembers the key it found).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture
def workbook(tmp_path):
    from ilrkit.templates.workbook_writer import write_workbook

    path = tmp_path / "ilr.xlsx"
    write_workbook(path, data=build(learners()))
    return path


@pytest.fixture
def remote(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
