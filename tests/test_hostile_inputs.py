"""Hostile and broken input: each gives a clear message and the right exit code, never a traceback."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.errors import InputError
from ilrkit.converter.io import load
from ilrkit.rules.testing import build
from ilrkit.templates.layout import header_code
from ilrkit.templates.workbook_writer import write_workbook

runner = CliRunner()
NS = "ESFA/ILR/2025-26"


def run(*args) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def good_workbook(tmp_path_factory) -> Path:
    data = build([{"LearnRefNumber": "L1", "aims": [{}]}, {"LearnRefNumber": "L2", "aims": [{}, {}]}])
    return write_workbook(tmp_path_factory.mktemp("wb") / "good.xlsx", data=data)


def _copy(src: Path, tmp_path: Path, name: str = "copy.xlsx") -> Path:
    dst = tmp_path / name
    shutil.copy(src, dst)
    return dst


# --- XML ------------------------------------------------------------------------------------------------

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<Message xmlns="ESFA/ILR/2025-26">&lol3;</Message>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<Message xmlns="ESFA/ILR/2025-26"><Header>&xxe;</Header></Message>')


@pytest.mark.parametrize("content, words", [
    (BILLION_LAUGHS, "document type declaration"),
    (EXTERNAL_ENTITY, "document type declaration"),
    (b'<Message xmlns="ESFA/ILR/2019-20"><Header/></Message>', "not an ILR year we support"),
    (b'<Message xmlns="something/else"/>', "not an ILR year we support"),
    (b'<Invoice xmlns="ESFA/ILR/2025-26"/>', "root element is <Invoice>"),
    (b'<Message xmlns="ESFA/ILR/2025-26"><Header>', "not well-formed"),
], ids=["billion-laughs", "external-entity", "old-year", "wrong-namespace", "wrong-root", "truncated"])
def test_bad_xml_is_refused_with_a_reason(tmp_path, content, words):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    code, out = run("validate", path)
    assert code == 2
    assert words in out


def test_oversized_xml_is_refused(tmp_path, monkeypatch):
    from ilrkit.converter import xml_reader

    monkeypatch.setattr(xml_reader, "MAX_XML_BYTES", 100)
    path = tmp_path / "big.xml"
    path.write_bytes(b'<Message xmlns="ESFA/ILR/2025-26">' + b" " * 200 + b"</Message>")
    code, out = run("validate", path)
    assert code == 2 and "too large" in out


# --- workbooks ------------------------------------------------------------------------------------------

def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"this is a text file pretending to be a workbook")
    code, out = run("validate", path)
    assert code == 2 and "neither an Excel workbook" in out


def test_truncated_workbook(good_workbook, tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good_workbook.read_bytes()[:3000])
    code, out = run("validate", path)
    assert code == 2 and "damaged or was cut short" in out


def test_zip_bomb_is_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    code, out = run("validate", path)
    assert code == 2 and "zip bomb" in out


def test_password_protected_or_old_xls(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    code, out = run("validate", path)
    assert code == 2 and "password" in out and ".xls" in out


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    code, out = run("validate", path)
    assert code == 2 and "not an Excel workbook" in out


def test_xlsm_is_read_and_macros_are_not_run(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path, "macro.xlsm")
    data = load(path)
    assert len(data.learners) == 2


def test_workbook_from_another_year(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    for sheet in ("_ilrkit", "Provider"):
        for row in wb[sheet].iter_rows():
            if row[0].value and "Year" in str(row[0].value):
                row[1].value = "2019-20"
    wb.save(path)
    code, out = run("validate", path)
    assert code == 2 and "2019-20" in out


def test_missing_learners_sheet(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["Learners"]
    wb.save(path)
    code, out = run("validate", path)
    assert code == 2 and "no 'Learners' sheet" in out


def test_renamed_sheet_is_found_by_its_headings(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["LearningAims"].title = "Our aims"
    wb.save(path)
    data = load(path)
    assert len(data.tables["LearningDelivery"]) == 3
    assert any(p.rule == "WB_RENAMED_SHEET" and p.sheet == "Our aims" for p in data.problems)


def test_missing_child_sheet_is_a_warning(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["WorkPlacements"]
    wb.save(path)
    data = load(path)
    assert any(p.rule == "WB_MISSING_SHEET" and p.sheet == "WorkPlacements" and not p.is_error
               for p in data.problems)


def test_formula_merged_and_hidden(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Learners"]
    headers = {str(c.value): c.column_letter for c in ws[1] if c.value}
    uln_col = next(v for k, v in headers.items() if k.endswith("[ULN]"))
    ws[f"{uln_col}2"] = "=1061484016"  # openpyxl saves no cached result
    ws.merge_cells("AA3:AC3")
    ws.row_dimensions[3].hidden = True
    wb.save(path)
    data = load(path)
    rules = {(p.rule, p.sheet, p.row) for p in data.problems}
    assert ("WB_FORMULA_NO_VALUE", "Learners", 2) in rules
    assert ("WB_MERGED_CELLS", "Learners", 3) in rules
    assert ("WB_HIDDEN_ROW", "Learners", 3) in rules
    formula = next(p for p in data.problems if p.rule == "WB_FORMULA_NO_VALUE")
    assert formula.column == uln_col and formula.is_error


def test_header_row_destroyed(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["EmploymentStatus"]
    for cell in ws[1]:
        cell.value = f"col {cell.column}"
    wb.save(path)
    data = load(path)
    assert any(p.rule == "WB_NO_HEADER" and p.sheet == "EmploymentStatus" for p in data.problems)


def test_date1904_workbook_dates(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.save(path)
    data = load(path)
    assert data.learners.iloc[0]["DateOfBirth"] == "2000-05-01"


def test_nothing_is_written_when_input_is_bad(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"junk")
    out = tmp_path / "out"
    out.mkdir()
    code, _ = run("convert", path, "-o", out)
    assert code == 2
    assert list(out.iterdir()) == []


def test_load_raises_input_error_not_other_errors(tmp_path):
    path = tmp_path / "x.xml"
    path.write_bytes(io.BytesIO(b"\xff\xfe\x00garbage").getvalue())
    with pytest.raises(InputError):
        load(path)


# --- more XML: bounded time and memory, names that clash with our bookkeeping ---------------------------

def test_deeply_nested_xml_is_refused_quickly(tmp_path):
    import time

    depth = 200_000  # libxml2 stops at 256 levels; without that limit this would exhaust the stack
    path = tmp_path / "deep.xml"
    path.write_bytes(b'<Message xmlns="ESFA/ILR/2025-26">' + b"<a>" * depth + b"</a>" * depth + b"</Message>")
    started = time.monotonic()
    code, out = run("validate", path)
    assert code == 2 and "nested more than 256 deep" in out
    assert time.monotonic() - started < 10


def test_xml_with_a_huge_value_is_refused_quickly(tmp_path):
    import time

    from ilrkit.converter.xml_writer import render_xml

    xml = render_xml(build([{"LearnRefNumber": "L1", "aims": [{}]}]))
    path = tmp_path / "long.xml"
    path.write_text(xml.replace("<FamilyName>Testcase", "<FamilyName>" + "x" * (11 * 1024 * 1024)), "utf-8")
    started = time.monotonic()
    code, out = run("validate", path)
    assert code == 2 and "a single value of more than 10 MB" in out
    assert time.monotonic() - started < 10


def test_xml_elements_named_like_our_columns_are_ignored(tmp_path):
    """``<_id>`` or ``<_parent>`` inside a learner must not rewire the tables (the aims would be lost)."""
    from ilrkit.converter.xml_reader import read_xml
    from ilrkit.converter.xml_writer import render_xml

    xml = render_xml(build([{"LearnRefNumber": "L1", "aims": [{}, {}]}]))
    hostile = xml.replace("<LearnRefNumber>L1</LearnRefNumber>",
                          "<LearnRefNumber>L1</LearnRefNumber><_id>x</_id><_parent>7</_parent><Nonsense>1</Nonsense>",
                          1)
    data = read_xml(hostile.encode("utf-8"))
    assert data.learners.iloc[0]["_id"] == 0 and data.learners.iloc[0]["_parent"] is None
    assert render_xml(data) == xml


# --- more workbooks: hidden and extra sheets, changed headings, Excel errors, real macros -----------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_read_with_a_warning(good_workbook, tmp_path, state):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["LearningAims"].sheet_state = state
    wb.save(path)
    data = load(path)
    assert len(data.tables["LearningDelivery"]) == 3, "a hidden sheet is still read"
    hidden = [p for p in data.problems if p.rule == "WB_HIDDEN_SHEET"]
    assert [(p.sheet, p.is_error) for p in hidden] == [("LearningAims", False)]
    assert "Unhide" in hidden[0].message
    code, out = run("validate", path)
    assert code in (0, 1) and "LearningAims" in out and "hidden" in out


def test_our_own_hidden_sheets_and_empty_hidden_sheets_give_no_warning(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb["Lists"].sheet_state == "hidden" and wb["_ilrkit"].sheet_state == "veryHidden"
    wb["WorkPlacements"].sheet_state = "hidden"  # holds no rows
    wb.save(path)
    assert not [p for p in load(path).problems if p.rule == "WB_HIDDEN_SHEET"]


def test_extra_sheet_with_data_is_named(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    copied = wb.copy_worksheet(wb["Learners"])  # "Learners Copy": learners typed there are not in the return
    copied.title = "More learners"
    wb.create_sheet("Empty notes")
    wb.create_sheet("ILR errors")["A1"] = "what `ilr validate --annotate` adds"
    wb.save(path)
    data = load(path)
    extra = [p for p in data.problems if p.rule == "WB_EXTRA_SHEET"]
    assert [(p.sheet, p.is_error) for p in extra] == [("More learners", False)]
    assert "nothing on it was read" in extra[0].message
    assert len(data.learners) == 2


def test_addin_sheet_names_are_known_to_the_reader():
    from ilrkit.converter.workbook_reader import _ADDIN_SHEETS

    plan = pytest.importorskip("ilrkit.addin.plan")
    assert set(_ADDIN_SHEETS) == {plan.ERRORS_SHEET, plan.MARKS_SHEET}


def test_changed_heading_names_the_column_that_was_not_read(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Learners"]
    cell = next(c for c in ws[1] if str(c.value).endswith("[ULN]"))
    cell.value = "Learner number"
    wb.save(path)
    data = load(path)
    missing = [p for p in data.problems if p.rule == "WB_MISSING_COLUMN"]
    assert [(p.sheet, p.row) for p in missing] == [("Learners", 1)]
    assert "[ULN]" in missing[0].message and "template" in missing[0].message
    assert data.learners["ULN"].isna().all()


def test_child_row_with_unknown_parent_points_at_the_cell_that_is_wrong(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["AimFAMs"]
    col = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in ws[1] if c.value}
    for r, (ref, seq) in ((2, ("L1", 9)), (3, ("L9", 1))):  # L1 has no aim 9; there is no learner L9
        for key, value in (("LearnRefNumber", ref), ("AimSeqNumber", seq), ("LearnDelFAMType", "SOF"),
                           ("LearnDelFAMCode", "105")):
            ws.cell(r, col[key], value)
    wb.save(path)
    orphans = {(p.row, p.column) for p in load(path).problems if p.rule == "WB_NO_PARENT"}
    letter = openpyxl.utils.get_column_letter
    assert orphans == {(2, letter(col["AimSeqNumber"])), (3, letter(col["LearnRefNumber"]))}


def test_excel_error_values_are_findings_at_their_cells(good_workbook, tmp_path):
    path = _copy(good_workbook, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Learners"]
    col = next(c.column_letter for c in ws[1] if header_code(c.value) == "Ethnicity")
    ws[f"{col}2"] = "#N/A"  # what a failed VLOOKUP leaves, also after Paste Values
    ws[f"{col}2"].data_type = "e"
    ws["ZZ2"] = "#REF!"  # a column of the provider's own: not read, so not reported
    ws["ZZ2"].data_type = "e"
    wb.save(path)
    errors = [p for p in load(path).problems if p.rule == "WB_EXCEL_ERROR"]
    assert [(p.sheet, p.row, p.column, p.is_error) for p in errors] == [("Learners", 2, col, True)]
    assert "#N/A" in errors[0].message


def test_xlsm_with_a_macro_project_is_read_and_the_macro_never_runs(good_workbook, tmp_path):
    path = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(good_workbook) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        marker = tmp_path / "macro-ran"
        # not a real VBA project: nothing in ilrkit opens, parses or executes it
        dst.writestr("xl/vbaProject.bin", b"Sub Workbook_Open(): CreateObject(\"x\").Run \"touch " +
                     str(marker).encode() + b"\": End Sub")
    code, out = run("validate", path)
    assert code in (0, 1) and "Traceback" not in out
    assert len(load(path).learners) == 2 and not marker.exists()
