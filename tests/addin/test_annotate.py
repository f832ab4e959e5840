import openpyxl
import pytest
from addin_helpers import FakeReport, finding
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ilrkit.addin.annotate import annotate_workbook, clear_file
from ilrkit.addin.plan import ERRORS_HEADER, ERRORS_SHEET, MARKS_SHEET, NOTE_MARKER
from ilrkit.converter.errors import InputError, OutputExists
from ilrkit.converter.workbook_reader import read_workbook
from ilrkit.rules.engine import validate


def _rgb(cell):
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


@pytest.fixture
def decorated(workbook, tmp_path):
    """The workbook with the user's own fills and notes, on cells we flag and cells we do not."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Learners"]
    ws["G2"].fill = PatternFill("solid", fgColor="FF00FF00")  # not flagged
    ws["F3"].fill = PatternFill("solid", fgColor="FF0000FF")  # flagged below
    ws["G3"].comment = Comment("my own note", "me")  # not flagged
    ws["F4"].comment = Comment("keep me", "me")  # flagged below
    path = tmp_path / "decorated.xlsx"
    wb.save(path)
    return path


REPORT = FakeReport([finding(row=2), finding(row=3, learn_ref="L2"), finding(row=4, learn_ref="L3"),
                     finding(rule="W1", severity="warning", column="H", row=2)])


def test_real_validation_is_drawn(workbook, tmp_path):
    report = validate(read_workbook(workbook))
    out = annotate_workbook(workbook, tmp_path / "out.xlsx", report)
    wb = openpyxl.load_workbook(out)
    uln = wb["Learners"]["F2"]
    assert _rgb(uln) == "FF9999" and uln.comment.text.startswith(NOTE_MARKER) and "ULN_04" in uln.comment.text
    assert _rgb(wb["Learners"]["F3"]) is None  # L2 has a good ULN
    assert wb.sheetnames[0] == ERRORS_SHEET and wb[MARKS_SHEET].sheet_state == "hidden"


def test_fills_notes_and_user_formatting_kept(decorated, tmp_path):
    before = decorated.read_bytes()
    out = annotate_workbook(decorated, tmp_path / "out.xlsx", REPORT)
    assert decorated.read_bytes() == before  # the input is never touched
    ws = openpyxl.load_workbook(out)["Learners"]
    assert [_rgb(ws[c]) for c in ("F2", "F3", "F4", "H2")] == ["FF9999"] * 3 + ["FFD27F"]
    assert _rgb(ws["G2"]) == "00FF00" and ws["G3"].comment.text.startswith("my own note")
    assert ws["F4"].comment.text.startswith("keep me")  # never replaced by ours
    assert ws["F2"].comment.text.startswith(NOTE_MARKER) and ws["A1"].comment is not None  # template notes stay


def test_errors_sheet_links(decorated, tmp_path):
    wb = openpyxl.load_workbook(annotate_workbook(decorated, tmp_path / "out.xlsx", REPORT))
    ws = wb[ERRORS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ERRORS_HEADER and [r[0] for r in rows[1:]] == ["Error"] * 3 + ["Warning"]
    assert rows[1][:5] == ("Error", "R1", "L1", None, "Learners!F2")
    assert ws["E2"].hyperlink.location == "'Learners'!F2" and ws["E5"].hyperlink.location == "'Learners'!H2"


def test_clear_restores_only_ours_and_reannotate_is_idempotent(decorated, tmp_path):
    first = annotate_workbook(decorated, tmp_path / "a.xlsx", REPORT)
    second = annotate_workbook(first, tmp_path / "b.xlsx", FakeReport([finding(row=4, learn_ref="L3")]))
    wb = openpyxl.load_workbook(second)
    ws = wb["Learners"]
    assert _rgb(ws["F3"]) == "0000FF"  # the user's fill came back when our red went
    assert _rgb(ws["F2"]) is None and ws["F2"].comment is None
    assert wb.sheetnames.count(ERRORS_SHEET) == 1 and len(list(wb[ERRORS_SHEET].iter_rows())) == 2
    cleared = openpyxl.load_workbook(clear_file(second, tmp_path / "c.xlsx"))
    ws = cleared["Learners"]
    assert ERRORS_SHEET not in cleared.sheetnames and MARKS_SHEET not in cleared.sheetnames
    assert _rgb(ws["F4"]) is None and ws["F4"].comment.text.startswith("keep me")
    assert _rgb(ws["G2"]) == "00FF00" and ws["G3"].comment.text.startswith("my own note")


def test_output_rules(workbook, tmp_path):
    out = annotate_workbook(workbook, tmp_path / "out.xlsx", FakeReport())
    with pytest.raises(OutputExists):
        annotate_workbook(workbook, out, FakeReport())
    annotate_workbook(workbook, out, FakeReport(), force=True)
    with pytest.raises(InputError):
        annotate_workbook(workbook, workbook, FakeReport(), force=True)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(InputError, match="could not be opened"):
        annotate_workbook(bad, tmp_path / "x.xlsx", FakeReport())
    assert not list(tmp_path.glob(".ilrkit-*"))  # no partial files left


def test_a_flagged_blank_cell_keeps_its_column_format(workbook, tmp_path):
    """A red blank cell in a text column stays text, so a code typed into it later keeps its zeros."""
    ws = openpyxl.load_workbook(workbook)["Learners"]
    headers = {str(c.value): c.column_letter for c in ws[1] if c.value}
    column = next(v for k, v in headers.items() if k.endswith("[AddLine1]"))
    assert ws[f"{column}2"].value is None
    out = annotate_workbook(workbook, tmp_path / "out.xlsx", FakeReport([finding(column=column, row=2)]))
    cell = openpyxl.load_workbook(out)["Learners"][f"{column}2"]
    assert _rgb(cell) == "FF9999"
    assert cell.number_format == "@"
