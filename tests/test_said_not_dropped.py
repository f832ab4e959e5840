"""What cannot be used is said, not dropped in silence: a column for a field the year no longer collects
(PHours from 2026-27) that holds values, a workbook that does not say its collection year, and a character
no XML file can hold."""

from __future__ import annotations

import openpyxl
import pytest

from ilrkit.converter.io import load
from ilrkit.generate import generate
from ilrkit.generate.output import write
from ilrkit.schemas import DEFAULT_YEAR, available_years

pytestmark = pytest.mark.skipif("2026-27" not in available_years(), reason="the 2026-27 year pack is not installed")


@pytest.fixture(scope="module")
def book_2627(tmp_path_factory):
    path, _ = write(generate(6, seed=4, year="2026-27"), tmp_path_factory.mktemp("removed") / "p.xlsx")
    return path


def _with_column(source, dest, heading, values):
    wb = openpyxl.load_workbook(source)
    ws = wb["LearningAims"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col, value=heading)
    for row, value in enumerate(values, start=2):
        ws.cell(row=row, column=col, value=value)
    wb.save(dest)
    return openpyxl.utils.get_column_letter(col)


@pytest.mark.parametrize("heading", ["Planned hours [PHours]", "PHours", "planned hours"])
def test_a_removed_field_column_with_values_is_named(book_2627, tmp_path, heading):
    letter = _with_column(book_2627, tmp_path / "b.xlsx", heading, [450, None, 300])
    data = load(tmp_path / "b.xlsx")
    [warning] = [p for p in data.problems if p.rule == "WB_REMOVED_COLUMN"]
    assert (warning.sheet, warning.row, warning.column, warning.severity) == ("LearningAims", 1, letter, "warning")
    assert "PHours" in warning.message and "2026-27" in warning.message and "ilr migrate" in warning.message
    assert "PHours" not in data.tables["LearningDelivery"].columns  # still not read: the year has no such field


def test_an_empty_removed_column_or_a_providers_own_column_says_nothing(book_2627, tmp_path):
    _with_column(book_2627, tmp_path / "empty.xlsx", "Planned hours [PHours]", [None, None])
    assert not [p for p in load(tmp_path / "empty.xlsx").problems if p.rule == "WB_REMOVED_COLUMN"]
    _with_column(book_2627, tmp_path / "own.xlsx", "Tutor notes", ["good", "late"])
    assert not [p for p in load(tmp_path / "own.xlsx").problems if p.rule == "WB_REMOVED_COLUMN"]


def test_a_workbook_that_does_not_say_its_year_is_read_as_the_default_and_says_so(book_2627, tmp_path):
    wb = openpyxl.load_workbook(book_2627)
    for name in ("_ilrkit", "Provider"):
        for row in wb[name].iter_rows():
            if str(row[0].value or "").strip().casefold().split(" [")[0] in ("year", "collection year",
                                                                              "template year"):
                row[1].value = None
    wb.save(tmp_path / "no-year.xlsx")
    data = load(tmp_path / "no-year.xlsx")
    assert data.year == DEFAULT_YEAR
    [warning] = [p for p in data.problems if p.rule == "WB_NO_YEAR"]
    assert warning.sheet == "Provider" and DEFAULT_YEAR in warning.message and "Year" in warning.message
    assert not [p for p in load(book_2627).problems if p.rule == "WB_NO_YEAR"]


@pytest.mark.parametrize(("field", "value"), [("FamilyName", "Smith\x1b"), ("AddLine1", "1 High St\x07"),
                                              ("Email", "a\x00b@example.com")])
def test_a_character_no_xml_file_can_hold_is_reported_at_its_cell(field, value):
    """Control characters copied from another program: a finding on the cell, naming the character, instead
    of an XML file that cannot be written with no cell to look at."""
    from ilrkit.rules.engine import validate

    data = generate(2, seed=1).data
    learners = data.tables["Learner"]
    learners.loc[learners.index[0], field] = value
    found = [f for f in validate(data).findings if f.field == field]
    assert [f.rule for f in found] == ["ILR_Characters"]
    assert found[0].learn_ref == learners.iloc[0]["LearnRefNumber"] and "control character U+00" in found[0].message
