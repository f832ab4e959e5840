"""Unambiguous values are read as meant (and said so); each cell gets one finding, the one that helps
(issue 10, items 8 and 13's formula cascade)."""

from __future__ import annotations

from clerk_helpers import column_of, typed_workbook
from ilrkit.converter import api
from ilrkit.converter.io import load
from ilrkit.converter.tidy import tidier
from ilrkit.converter.xml_reader import read_xml
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules.engine import validate
from ilrkit.schemas import Code, CodeList, load_spec

SPEC = load_spec("2025-26")
ULN = SPEC.entity("Learner").field("ULN")
SEX = SPEC.entity("Learner").field("Sex")


def _cell(findings, cell):
    return [f for f in findings if f.cell == cell]


def test_unambiguous_values_are_read_as_meant_with_a_warning_on_each_cell(tmp_path):
    typed = {("Learners", "ULN", 2): "720 5339 048", ("Learners", "Sex", 2): "Female",
             ("Learners", "Postcode", 3): "b18 4lf", ("Learners", "NINumber", 3): "ab 12 34 56 c"}
    data = load(typed_workbook(tmp_path / "t.xlsx", typed))
    learners = data.tables["Learner"]
    assert learners.loc[0, "ULN"] == "7205339048" and learners.loc[0, "Sex"] == "F"
    assert learners.loc[1, "Postcode"] == "B18 4LF" and learners.loc[1, "NINumber"] == "AB123456C"
    report = validate(data)
    assert not report.has_errors
    notes = {f.cell: f for f in report.findings if f.rule == "WB_READ_AS"}
    cols = data.columns["Learners"]
    assert set(notes) == {f"Learners!{cols['ULN']}2", f"Learners!{cols['Sex']}2", f"Learners!{cols['Postcode']}3",
                          f"Learners!{cols['NINumber']}3"}
    assert all(f.severity == "warning" for f in notes.values())
    assert "read as F" in notes[f"Learners!{cols['Sex']}2"].message
    assert notes[f"Learners!{cols['Sex']}2"].learn_ref == "L0000001"


def test_what_could_be_meant_otherwise_is_left_as_typed():
    assert tidier(ULN, None)("412 3460 81") is None  # 9 digits: not a ULN however it is read
    assert tidier(ULN, None)("4123460819") is None  # already right: untouched
    postcode = tidier(SPEC.entity("Learner").field("Postcode"), None)
    assert postcode("b18 4lm") is None  # M is never in the inward code: no postcode to read it as
    assert postcode("B18 4LF") is None
    twins = CodeList("X.Y", (Code("1", "Other"), Code("2", "other"), Code("3", "Female")))
    tidy = tidier(SEX, twins)
    assert tidy("other") is None and tidy("FEMALE") == ("3", "the code of the list entry with that label")


def test_each_cell_gets_one_finding_the_one_that_helps(tmp_path):
    typed = {("Learners", "Sex", 2): "Fem", ("Learners", "ULN", 3): "412 3460 81x"}
    book = typed_workbook(tmp_path / "t.xlsx", typed)
    data = load(book)
    report = validate(data)
    cols = data.columns["Learners"]
    sex = _cell(report.findings, f"Learners!{cols['Sex']}2")
    uln = _cell(report.findings, f"Learners!{cols['ULN']}3")
    assert [f.rule for f in sex] == ["Sex_01"] and "Enter F or M" in sex[0].message
    assert [f.rule for f in uln] == ["ILR_NumberFormat"]
    assert report.summary["errors"] == 2
    # the length rule it stands for still stops the XML: the file would break the agency's schema
    result = api.convert(book, tmp_path / "out")
    assert not result.written and {f.rule for f in result.blocked} == {"Sex_01", "ILR_NumberFormat"}


def test_xml_to_workbook_to_xml_is_still_lossless(tmp_path):
    from ilrkit.generate import generate
    from ilrkit.templates.workbook_writer import write_workbook

    data = generate(20, seed=11).data
    xml = render_xml(data)
    (tmp_path / "a.xml").write_text(xml, encoding="utf-8")
    book = write_workbook(tmp_path / "a.xlsx", data=read_xml(tmp_path / "a.xml"))
    again = load(book)
    assert not [f for f in again.problems if f.rule == "WB_READ_AS"]
    assert render_xml(again) == xml


def test_a_formula_with_no_saved_result_is_reported_once(tmp_path):
    def formula(wb):
        ws = wb["Learners"]
        ws.cell(row=2, column=column_of(ws, "DateOfBirth")).value = "=DATE(2000,1,1)"

    data = load(typed_workbook(tmp_path / "f.xlsx", edit=formula))
    report = validate(data)
    cell = f"Learners!{data.columns['Learners']['DateOfBirth']}2"
    assert [f.rule for f in _cell(report.findings, cell)] == ["WB_FORMULA_NO_VALUE"]
    assert len(report.folded[_cell(report.findings, cell)[0]]) >= 1  # the blank date's follow-on findings
