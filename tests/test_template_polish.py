"""Template dropdowns and the Provider sheet's dates (issue 10, item 14)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.xml_writer import render_xml
from ilrkit.generate import generate
from ilrkit.rules.engine import validate
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

runner = CliRunner()


def _lists(path):
    ws = openpyxl.load_workbook(path)["Lists"]
    columns = {}
    for col in ws.iter_cols(values_only=True):
        if col[0]:
            columns[col[0]] = [v for v in col[1:] if v is not None]
    return columns


def test_dropdowns_never_repeat_a_code_as_its_label(tmp_path):
    lists = _lists(write_workbook(tmp_path / "t.xlsx"))
    shown = [v for values in lists.values() for v in values]
    assert "NONE" in lists["Learner.MathGrade"] and "5" in lists["Learner.MathGrade"]
    pairs = [v.split(" – ", 1) for v in shown if " – " in v]
    repeated = [code for code, label in pairs if code.casefold() == label.casefold()]
    assert repeated == []
    assert "F – Female" in lists["Learner.Sex"]


def test_dropdowns_offer_only_codes_valid_in_the_collection_year(tmp_path):
    lists = _lists(write_workbook(tmp_path / "t.xlsx"))
    eii = [v.split(" – ")[0] for v in lists["EmploymentStatusMonitoring.EII"]]
    assert eii == ["5", "6", "7", "8"]


def test_a_column_note_gives_an_example_code_the_dropdown_offers(tmp_path):
    book = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx"))
    notes = [c.comment.text for ws in book.worksheets for row in ws.iter_rows(max_row=1) for c in row
             if c.comment and "[EII]" in c.comment.text]
    assert notes and all("(e.g. 5)" in n for n in notes), notes


def _imported(tmp_path, prepared: str):
    data = generate(2, seed=3).data
    data.header["FilePreparationDate"] = prepared
    xml = tmp_path / "old.xml"
    xml.write_text(render_xml(data), encoding="utf-8")
    book = tmp_path / "imported.xlsx"
    assert runner.invoke(app, ["import", str(xml), "-o", str(book)]).exit_code == 0
    return book


def test_the_imported_provider_sheet_says_its_old_date_is_not_used(tmp_path):
    book = _imported(tmp_path, "2025-10-01")
    ws = openpyxl.load_workbook(book)["Provider"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] and "[FilePreparationDate]" in r[0])
    assert row[1] is not None and "not used" in row[2] and "day the new XML file is made" in row[2]


def test_convert_says_which_date_it_writes(tmp_path):
    book = _imported(tmp_path, "2025-10-01")
    result = runner.invoke(app, ["convert", str(book), "-o", str(tmp_path / "out")])
    flat = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert f"The file is dated {dt.date.today():%d/%m/%Y}" in flat
    assert "the earlier date 01/10/2025 on the Provider sheet" in flat and "is not used" in flat


def test_a_workbook_is_checked_as_prepared_today():
    """Header_2 (preparation date after today) cannot happen to a workbook: convert dates it the day it is made."""
    data = build([{"LearnRefNumber": "L1", "aims": [{}]}], header={"FilePreparationDate": "2026-03-01"})
    today = dt.date(2026, 1, 15)
    assert [f.rule for f in validate(data, today=today, codes={"Header_2"}).findings] == ["Header_2"]
    workbook = dataclasses.replace(data, origin="workbook")
    assert validate(workbook, today=today, codes={"Header_2"}).findings == []
