"""The empty provider template: sheets, headers, notes, dropdowns, formats, determinism, and that it reads back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ilrkit.converter.errors import OutputExists
from ilrkit.converter.workbook_reader import read_workbook
from ilrkit.schemas import load_spec
from ilrkit.templates import write_workbook
from ilrkit.templates.layout import load_layout
from ilrkit.templates.workbook_writer import TEMPLATE_ROWS, build_workbook

YEAR = "2025-26"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("template") / "ILR template.xlsx", YEAR)


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def _col_index(ws, key: str) -> int:
    """1-based index of the column whose header ends in ``[key]`` (or is exactly ``key``)."""
    for cell in ws[1]:
        if cell.value and (cell.value == key or str(cell.value).endswith(f"[{key}]")):
            return cell.column
    raise AssertionError(f"{ws.title} has no column {key}")


def _column_format(ws, index: int) -> str:
    """The number format set for a whole column (xlsxwriter merges equal neighbours into one <col>)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim.number_format
    return "General"


def test_sheets_in_layout_order(book):
    layout = load_layout(YEAR)
    expected = [layout.provider_sheet] + [s.name for s in layout.data_sheets if not s.only_when_used] + [
        layout.contracts_sheet, layout.lists_sheet, layout.meta_sheet]
    assert book.sheetnames == expected
    assert book[layout.lists_sheet].sheet_state == "hidden"
    assert book[layout.meta_sheet].sheet_state == "veryHidden"
    meta = [tuple(c.value for c in row) for row in book[layout.meta_sheet].iter_rows()]
    assert meta == [("Year", YEAR), ("Generator", "ilrkit"), ("Layout", "1")]


def test_provider_sheet(book):
    ws = book["Provider"]
    assert [c.value for c in ws[1]] == ["Field", "Value", "What to enter"]
    rows = {str(r[0].value).rsplit("[", 1)[-1].rstrip("]"): r for r in ws.iter_rows(min_row=2)}
    assert list(rows) == ["Year", "UKPRN", "SoftwareSupplier", "SoftwarePackage", "Release", "SerialNo",
                          "ReferenceData", "ComponentSetVersion"]
    year = rows["Year"]
    assert year[1].value == YEAR and year[1].protection.locked and ws.protection.sheet
    assert year[1].fill.fgColor.rgb.endswith("D9D9D9")
    assert not rows["UKPRN"][1].protection.locked and rows["UKPRN"][1].value is None
    assert rows["SoftwareSupplier"][1].value == "ilrkit" and rows["SoftwarePackage"][1].value == "ilrkit"
    assert rows["SerialNo"][1].value == "01" and rows["Release"][1].value
    assert all(r[2].value for r in rows.values()), "every Provider row explains what to enter"


def test_headers_and_notes_for_every_column(book):
    layout = load_layout(YEAR)
    for sheet in layout.data_sheets:
        if sheet.only_when_used:
            continue
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns], sheet.name
        for cell, column in zip(ws[1], sheet.columns):
            assert cell.font.b and cell.alignment.wrap_text
            assert cell.comment is not None and cell.comment.text.startswith(column.label or column.key)
            assert f"[{column.key}]" in cell.comment.text
        assert ws.freeze_panes == "B2"


def test_notes_say_what_to_enter(book):
    ws = book["Learners"]
    note = lambda key: ws.cell(1, _col_index(ws, key)).comment.text  # noqa: E731
    assert "Pick from the list" in note("Ethnicity") and "Required." in note("Ethnicity")
    assert "15/09/2025" in note("DateOfBirth")
    assert "Whole number 0–9999" in note("PlanLearnHours")
    assert "Up to 12 letters, numbers or spaces" in note("LearnRefNumber")
    assert "10 digits" in note("ULN")
    child = book["LearningAims"]
    assert "'Learners' sheet" in child.cell(1, _col_index(child, "LearnRefNumber")).comment.text


def test_ethnicity_dropdown_uses_lists_sheet(book):
    ws = book["Learners"]
    col = _col_index(ws, "Ethnicity")
    letter = openpyxl.utils.get_column_letter(col)
    found = [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert len(found) == 1
    dv = found[0]
    assert dv.type == "list" and dv.formula1.startswith("Lists!") and dv.errorStyle == "warning"
    assert f"{letter}{TEMPLATE_ROWS + 1}" in dv.sqref
    # the referenced range holds Code.display values, current codes first
    ref = dv.formula1.split("!", 1)[1].replace("$", "")
    values = [c.value for row in book["Lists"][ref] for c in row]
    ethnicity = load_spec(YEAR).codelist("Learner.Ethnicity")
    assert sorted(values) == sorted(c.display for c in ethnicity.codes)
    assert ethnicity.by_code["31"].display in values
    assert "List_Learner_Ethnicity" in book.defined_names


def test_every_coded_column_has_a_dropdown(book):
    layout = load_layout(YEAR)
    for sheet in layout.data_sheets:
        if sheet.only_when_used:
            continue
        ws = book[sheet.name]
        lists = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation if dv.type == "list"}
        for i, column in enumerate(sheet.columns, start=1):
            codes = layout.spec.codelist(column.codelist_key)
            has_list = f"{openpyxl.utils.get_column_letter(i)}2" in lists
            assert has_list == bool(codes and codes.codes), (sheet.name, column.key)


def test_cell_formats(book):
    ws = book["Learners"]
    assert _column_format(ws, _col_index(ws, "DateOfBirth")) == "dd/mm/yyyy"
    for key in ("ULN", "LearnRefNumber", "Postcode", "PMUKPRN", "Ethnicity", "LSR 1"):
        assert _column_format(ws, _col_index(ws, key)) == "@", key
    assert _column_format(ws, _col_index(ws, "PlanLearnHours")) == "0"
    aims = book["LearningAims"]
    assert _column_format(aims, _col_index(aims, "StdCode")) == "@"
    assert _column_format(aims, _col_index(aims, "STULOAD")) == "@"
    dates = [dv for dv in aims.data_validations.dataValidation if dv.type == "date"]
    assert dates and all(dv.errorStyle == "warning" for dv in dates)


def test_every_data_sheet_is_a_table(book):
    layout = load_layout(YEAR)
    for sheet in layout.data_sheets:
        if sheet.only_when_used:
            continue
        tables = dict(book[sheet.name].tables.items())
        assert len(tables) == 1, sheet.name
        ref = next(iter(tables.values()))
        last_row = int("".join(ch for ch in ref.split(":")[1] if ch.isdigit()))
        assert last_row >= TEMPLATE_ROWS + 1


def test_writing_twice_gives_identical_bytes(tmp_path):
    first = write_workbook(tmp_path / "a.xlsx", YEAR)
    second = write_workbook(tmp_path / "b.xlsx", YEAR)
    with zipfile.ZipFile(first) as za, zipfile.ZipFile(second) as zb:
        assert za.namelist() == zb.namelist()
        for member in za.namelist():
            assert za.read(member) == zb.read(member), member
    assert build_workbook(load_layout(YEAR)) == first.read_bytes()


def test_empty_template_reads_back_empty(template):
    data = read_workbook(template)
    assert data.year == YEAR
    assert data.learners.empty
    assert data.problems == []
    assert data.header["SoftwareSupplier"] == "ilrkit" and data.header["SerialNo"] == "01"


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "template.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputExists):
        write_workbook(target, YEAR)
    assert target.read_bytes() == b"keep me"
    write_workbook(target, YEAR, force=True)
    assert zipfile.is_zipfile(io.BytesIO(target.read_bytes()))
    assert [p.name for p in tmp_path.iterdir()] == ["template.xlsx"], "no temporary file left behind"
