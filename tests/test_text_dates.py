"""Dates typed as text: the unambiguous British forms are read, the ambiguous refused saying why (item 9)."""

from __future__ import annotations

import pytest

from clerk_helpers import typed_workbook
from ilrkit.converter.cells import read_date, read_datetime
from ilrkit.converter.io import load
from ilrkit.rules.engine import validate


@pytest.mark.parametrize("typed", ["01/09/2025", "1/9/2025", "1-Sep-25", "01-Sep-2025", "1 Sept 2025",
                                   "1 Sep 2025", "1 September 2025", "1st September 2025", "2025-09-01",
                                   "01.09.2025", "1-9-2025", "Sep 1, 2025", "1 SEPT 2025",
                                   # year first with four digits cannot be misread; an export's midnight time
                                   "2025-9-1", "2025/09/01", "2025/9/1", "01/09/2025 00:00",
                                   "1/9/2025 00:00:00"])
def test_unambiguous_british_dates_are_read(typed):
    assert read_date(typed) == "2025-09-01"


def test_a_two_digit_year_with_a_month_name_is_read_as_excel_reads_it():
    assert read_date("1-Sep-65") == "1965-09-01" and read_date("1-Sep-29") == "2029-09-01"


@pytest.mark.parametrize("typed, why", [
    ("09/13/2025", "If you meant 13 September 2025, type 13/09/2025"),
    ("01/09/25", "two-digit year"),
    ("31/02/2025", "February 2025 has no day 31"),
    ("1 Smarch 2025", "\"Smarch\", that is not a month"),
    ("2025-13-01", "no such month or day"),
])
def test_ambiguous_or_impossible_dates_are_refused_saying_why(tmp_path, typed, why):
    assert read_date(typed) == typed
    book = typed_workbook(tmp_path / "d.xlsx", {("Learners", "DateOfBirth", 2): typed})
    found = [f for f in validate(load(book)).findings if f.cell == "Learners!I2"]
    assert [f.rule for f in found] == ["ILR_DateFormat"], found
    assert why in found[0].message and "dd/mm/yyyy" in found[0].message


def test_text_dates_in_a_workbook_become_the_same_dates(tmp_path):
    typed = {("Learners", "DateOfBirth", 2): "1-Sep-05", ("Learners", "DateOfBirth", 3): "1 Sept 2005",
             ("Learners", "DateOfBirth", 4): "2005-09-01"}
    data = load(typed_workbook(tmp_path / "d.xlsx", typed))
    assert data.tables["Learner"]["DateOfBirth"].tolist() == ["2005-09-01"] * 3
    assert not [f for f in validate(data).findings if f.rule == "ILR_DateFormat"]


def test_date_and_time_typed_the_british_way():
    assert read_datetime("01/09/2025 10:30") == "2025-09-01T10:30:00"
    assert read_datetime("01/09/2025 25:30") == "01/09/2025 25:30"


def test_a_day_the_month_does_not_have_is_said_in_one_plain_sentence(tmp_path):
    book = typed_workbook(tmp_path / "d.xlsx", {("Learners", "DateOfBirth", 2): "31/9/2005"})
    found = [f for f in validate(load(book)).findings if f.cell == "Learners!I2"]
    assert len(found) == 1 and "September 2005 has no day 31" in found[0].message
    assert found[0].message.count(", but") == 1, found[0].message  # not "..., but ..., but September ..."
