"""Awkward cells read exactly as before the reader went column by column (issue 15): values that are equal to
Python but read differently (1, 1.0, True, "01"), dates typed every way, blank and ragged rows, tidied values,
repeated keys and rows with no parent, through both the file reader and the grids the Excel add-in passes."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from ilrkit.converter.model import table_columns
from ilrkit.converter.workbook_reader import CalamineGrids, Grids, _open, read_grids, read_workbook
from ilrkit.templates.layout import header_code
from ilrkit.templates.workbook_writer import write_workbook

CELLS = {  # (sheet, row): {column code: value}; Learners row 4 is left blank
    ("Learners", 2): {"LearnRefNumber": "A1", "ULN": "412 3460 819", "Sex": "Female", "DateOfBirth": "09/08/1981",
                      "Ethnicity": 31, "PlanLearnHours": True, "LSR 1": 55},
    ("Learners", 3): {"LearnRefNumber": "A2", "DateOfBirth": dt.datetime(1990, 1, 2, 13, 5), "Ethnicity": 31.0,
                      "PlanLearnHours": 1, "Postcode": "b18 4lf"},
    ("Learners", 5): {"LearnRefNumber": "A3", "DateOfBirth": 30000, "Ethnicity": "31", "PlanLearnHours": 1.0},
    ("Learners", 6): {"LearnRefNumber": "A4", "PlanLearnHours": "01", "Sex": "F – Female"},
    ("Learners", 7): {"LearnRefNumber": "A1", "PlanLearnHours": "1"},  # the same reference again
    ("Learners", 8): {"LearnRefNumber": "   ", "FamilyName": " "},  # only spaces: a blank row
    ("HEFinancialSupport", 2): {"LearnRefNumber": "A2", "FINTYPE": 1, "FINAMOUNT": 250},  # makes A2's LearnerHE
    ("LearningAims", 2): {"LearnRefNumber": "A1", "AimSeqNumber": 1.0, "LearnAimRef": "ZPROG001",
                          "LearnStartDate": "2025-09-01", "CompStatus": "Completed the learning activities",
                          "SOF": 105},
    ("LearningAims", 3): {"LearnRefNumber": "A2", "AimSeqNumber": "1", "DelLocPostCode": " ne6  6sn ",
                          "LearnStartDate": dt.date(2025, 9, 1), "SOF": "105"},
    ("LearningAims", 4): {"LearnRefNumber": "ZZ9", "AimSeqNumber": 1},
    ("LearningAims", 5): {"LearnRefNumber": "A3", "AimSeqNumber": 2, "LearnStartDate": "1/9/2025"},
    ("AimFAMs", 2): {"LearnRefNumber": "A1", "AimSeqNumber": 1, "LearnDelFAMType": "ACT", "LearnDelFAMCode": 1},
    ("AimFAMs", 3): {"LearnRefNumber": "A1", "AimSeqNumber": 7, "LearnDelFAMType": "ACT", "LearnDelFAMCode": 1},
    ("LearnerFAMs", 2): {"LearnRefNumber": "A1", "LearnFAMType": "EHC", "LearnFAMCode": 1, "Occurrence": 2},
    ("LearnerFAMs", 3): {"LearnRefNumber": "A1", "LearnFAMType": "HNS", "LearnFAMCode": 1, "Occurrence": 3},
}


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    path = tmp_path_factory.mktemp("cells") / "awkward.xlsx"
    write_workbook(path, force=True)
    wb = openpyxl.load_workbook(path)
    # the sheet for learner FAMs that do not fit the Learners sheet, with the column that picks the second of
    # two learners with the same reference
    wb.create_sheet("LearnerFAMs").append(["[LearnRefNumber]", "[LearnFAMType]", "[LearnFAMCode]", "Occurrence"])
    for (sheet, row), cells in CELLS.items():
        ws = wb[sheet]
        columns = {header_code(c.value): c.column for c in ws[1] if c.value is not None}
        for key, value in cells.items():
            ws.cell(row=row, column=columns[key]).value = value
    wb.save(path)
    return path


def _filled(data, entity):
    """The table's rows, with only the columns that hold something (in the table's order)."""
    df = data.tables[entity]
    assert list(df.columns) == table_columns(data.spec, entity)
    assert set(map(str, df.dtypes)) == {"object"}
    cols = [c for c in df.columns if df[c].notna().any()]
    return cols, df[cols].values.tolist()


def _check(data):
    # in the order their first rows were read
    assert list(data.tables) == ["Learner", "LearnerFAM", "LearnerHE", "LearnerHEFinancialSupport",
                                 "LearningDelivery", "LearningDeliveryFAM"]
    assert _filled(data, "Learner") == (
        ["_id", "_learner", "_sheet", "_row", "LearnRefNumber", "ULN", "DateOfBirth", "Ethnicity", "Sex",
         "PlanLearnHours", "Postcode"],
        [[0, 0, "Learners", 2, "A1", "4123460819", "1981-08-09", "31", "F", "True", None],
         [1, 1, "Learners", 3, "A2", None, "1990-01-02", "31", None, "1", "B18 4LF"],
         [2, 2, "Learners", 5, "A3", None, "1982-02-18", "31", None, "1", None],
         [3, 3, "Learners", 6, "A4", None, None, None, "F", "1", None],
         [4, 4, "Learners", 7, "A1", None, None, None, None, "1", None]])
    assert _filled(data, "LearnerFAM") == (
        ["_id", "_parent", "_learner", "_sheet", "_row", "_col", "LearnRefNumber", "LearnFAMType", "LearnFAMCode"],
        [[0, 0, 0, "Learners", 2, "LSR 1", "A1", "LSR", "55"],
         [1, 4, 4, "LearnerFAMs", 2, None, "A1", "EHC", "1"]])  # Occurrence 2: the second learner A1
    assert _filled(data, "LearnerHE") == (["_id", "_parent", "_learner", "_sheet", "_row", "LearnRefNumber"],
                                          [[0, 1, 1, "Learners", 3, "A2"]])
    assert _filled(data, "LearnerHEFinancialSupport") == (
        ["_id", "_parent", "_learner", "_sheet", "_row", "LearnRefNumber", "FINTYPE", "FINAMOUNT"],
        [[0, 0, 1, "HEFinancialSupport", 2, "A2", "1", "250"]])
    assert _filled(data, "LearningDelivery") == (
        ["_id", "_parent", "_learner", "_sheet", "_row", "LearnRefNumber", "LearnAimRef", "AimSeqNumber",
         "LearnStartDate", "DelLocPostCode", "CompStatus"],
        [[0, 0, 0, "LearningAims", 2, "A1", "ZPROG001", "1", "2025-09-01", None, "2"],
         [1, 1, 1, "LearningAims", 3, "A2", None, "1", "2025-09-01", "NE6 6SN", None],
         [2, 2, 2, "LearningAims", 5, "A3", None, "2", "2025-09-01", None, None]])
    assert _filled(data, "LearningDeliveryFAM") == (
        ["_id", "_parent", "_learner", "_sheet", "_row", "_col", "LearnRefNumber", "AimSeqNumber", "LearnDelFAMType",
         "LearnDelFAMCode"],
        [[0, 0, 0, "LearningAims", 2, "SOF", "A1", "1", "SOF", "105"],
         [1, 1, 1, "LearningAims", 3, "SOF", "A2", "1", "SOF", "105"],
         [2, 0, 0, "AimFAMs", 2, None, "A1", "1", "ACT", "1"]])
    assert [(p.rule, p.severity, p.sheet, p.row, p.column, p.learn_ref, p.aim_seq) for p in data.problems] == [
        ("WB_READ_AS", "warning", "Learners", 2, "F", "A1", None),
        ("WB_READ_AS", "warning", "Learners", 2, "K", "A1", None),
        ("WB_READ_AS", "warning", "Learners", 3, "U", "A2", None),
        ("WB_READ_AS", "warning", "LearningAims", 2, "U", "A1", "1"),
        ("WB_READ_AS", "warning", "LearningAims", 3, "N", "A2", "1"),
        ("WB_NO_PARENT", "error", "LearningAims", 4, "A", "ZZ9", "1"),
        ("WB_NO_PARENT", "error", "AimFAMs", 3, "B", "A1", "7"),
        ("WB_NO_PARENT", "error", "LearnerFAMs", 3, "A", "A1", None)]  # a third learner A1: there are two
    messages = [p.message for p in data.problems]
    assert messages[3] == ('Cell U2 holds "Completed the learning activities", which was read as 2 (the code of the '
                           'list entry with that label). If that is what you meant, type 2 in the cell to make it '
                           'certain; if not, correct the cell.')
    assert messages[6] == ("Row 3 of 'AimFAMs' is for LearnRefNumber 'A1', AimSeqNumber '7', but there is no such row "
                           "on the 'LearningAims' sheet, so it was not included. Check the reference numbers match "
                           "exactly.")


def test_awkward_cells_from_the_file(awkward):
    _check(read_workbook(awkward))


def test_awkward_cells_from_ragged_grids(awkward):
    """Excel (through xlwings) may give rows of different lengths: short rows end in blanks, and a cell past
    the last heading is not read."""
    calamine = CalamineGrids(_open(awkward))
    sheets = {}
    for name in calamine.sheet_names:
        rows = [list(row) for row in calamine.grid(name)]
        sheets[name] = [row[:max((i + 1 for i, c in enumerate(row) if c not in (None, "")), default=0)]
                        for row in rows]
    sheets["Learners"][2] = sheets["Learners"][2] + [None] * 80 + ["not a column"]
    assert len({len(row) for row in sheets["Learners"]}) > 3
    _check(read_grids(Grids(sheets), awkward.name))
