"""The xlwings code path, run on xlwings' real Book API (remote engine) built from a JSON payload."""

import base64
import copy
from collections import Counter

import pytest
from addin_helpers import BAD_ULN, learners

from ilrkit.addin import actions
from ilrkit.addin.plan import ERRORS_SHEET, MARKS_SHEET, NOTE_MARKER, RED
from ilrkit.addin.remote import open_book, payload_from_workbook
from ilrkit.converter.errors import InputError
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules.testing import build

pytestmark = pytest.mark.usefixtures("remote")


def _actions(book, func=None):
    found = book.json()["actions"]
    return [a for a in found if func is None or a["func"] == func]


def test_validate_returns_fill_note_and_sheet_actions(workbook):
    book = open_book(payload_from_workbook(workbook))
    learners_sheet = [s.name for s in book.sheets].index("Learners")  # colours come before our new sheets
    outcome = actions.validate_action(book)
    assert "error" in outcome.message and "ILR errors" in outcome.message
    colours = _actions(book, "setRangeColor")
    red = {(a["start_row"] + 1, a["start_column"] + 1) for a in colours
           if a["args"] == [RED] and a["sheet_position"] == learners_sheet}
    assert {(2, 6), (4, 6)} <= red  # F2 and F4 hold the bad ULNs
    notes = {a["args"][0]: a["args"][1] for a in _actions(book, "addNote")}
    assert notes["$F$2"].startswith(NOTE_MARKER) and BAD_ULN in notes["$F$2"]
    added = [a["args"][1] for a in _actions(book, "addSheet")]
    assert added == [ERRORS_SHEET, MARKS_SHEET]
    errors_values = _actions(book, "setValues")[0]["values"]
    assert errors_values[0] == ["Severity", "Rule", "Learner", "Aim", "Cell", "Message"]
    uln_rows = [r for r in errors_values[1:] if r[1] == "ULN_04"]
    assert [r[2] for r in uln_rows] == ["L1", "L3"]
    assert uln_rows[0][4] == '=HYPERLINK("#\'Learners\'!F2","Learners!F2")'
    assert _actions(book, "setSheetVisibility")[0]["args"] == ["Hidden"]


def test_validate_again_clears_ours_and_keeps_user_notes(workbook):
    payload = payload_from_workbook(workbook)
    first = open_book(copy.deepcopy(payload))  # the engine edits the payload it is given
    actions.validate_action(first)
    marks = _actions(first, "setValues")[1]["values"]
    # the client applied the first run: our sheets and notes are now in the payload, plus a user's note
    payload["sheets"].append({"name": MARKS_SHEET, "values": marks, "visibility": "Hidden"})
    payload["sheets"].insert(0, {"name": ERRORS_SHEET, "values": [["Severity"]]})
    learners_sheet = next(s for s in payload["sheets"] if s["name"] == "Learners")
    learners_sheet["notes"] += [{"address": "$F$2"}, {"address": "$F$4"}, {"address": "$G$2"}]
    book = open_book(payload)
    actions.validate_action(book)
    deleted_notes = [a["args"][0] for a in _actions(book, "deleteNote")]
    assert sorted(deleted_notes) == ["$F$2", "$F$4"]  # ours only; the user's G2 note stays
    assert Counter(a["func"] for a in _actions(book, "sheetDelete"))["sheetDelete"] == 2
    cleared = [a for a in _actions(book, "setRangeColor") if a["args"] == [None]]
    assert cleared  # our old fills were removed before the new ones


def test_clear_action(workbook):
    book = open_book(payload_from_workbook(workbook))
    assert "no ilrkit highlights" in actions.clear_action(book).message
    assert _actions(book) == []


def test_export_asks_when_errors_then_makes_file(workbook):
    book = open_book(payload_from_workbook(workbook))
    outcome = actions.export_action(book, None, write=False)
    assert outcome.question and "Export anyway" in outcome.question and outcome.content is None
    outcome = actions.export_action(book, None, confirmed=True, write=False)
    assert outcome.filename.startswith("ILR-10000001-2526-") and outcome.content.startswith(b"<?xml")


def test_export_writes_next_to_workbook(tmp_path):
    from ilrkit.templates.workbook_writer import write_workbook

    path = tmp_path / "good.xlsx"
    write_workbook(path, data=build(learners(2, bad=())))
    book = open_book(payload_from_workbook(path))
    report = actions.check(actions.read_book(book), "good.xlsx")
    outcome = actions.export_action(book, tmp_path, confirmed=report.has_errors)
    assert outcome.path.parent == tmp_path and outcome.path.read_bytes().startswith(b"<?xml")


def test_import_asks_then_writes_rows(workbook):
    xml = render_xml(build(learners(4, bad=())))
    from ilrkit.converter.xml_reader import read_xml

    data = read_xml(xml.encode())
    book = open_book(payload_from_workbook(workbook))
    assert actions.import_action(book, data).question
    assert _actions(book) == []  # nothing changed before the user said yes
    outcome = actions.import_action(book, data, confirmed=True)
    assert "Imported 4 learners" in outcome.message
    writes = _actions(book, "setValues")
    learner_rows = next(a["values"] for a in writes if a["values"] and a["values"][0][0] == "L1")
    assert [r[0] for r in learner_rows] == ["L1", "L2", "L3", "L4"]
    assert _actions(book, "rangeClearContents")  # old rows emptied first


def test_import_refuses_other_year(workbook):
    data = build(learners(1))
    data.year = "2024-25"
    book = open_book(payload_from_workbook(workbook))
    with pytest.raises(Exception):
        actions.import_action(book, data, confirmed=True)


def test_without_licence_key_a_clear_message(workbook, monkeypatch):
    monkeypatch.delenv("XLWINGS_LICENSE_KEY")
    with pytest.raises(InputError, match="licence key"):
        open_book(payload_from_workbook(workbook))


def test_every_emitted_action_has_a_browser_handler(workbook):
    """ilrkit.js must apply every xlwings action our scripts produce."""
    from importlib import resources

    js = resources.files("ilrkit.addin").joinpath("static", "ilrkit.js").read_text()
    payload = payload_from_workbook(workbook)
    book = open_book(payload)
    actions.validate_action(book)
    actions.import_action(book, build(learners(2)), confirmed=True)
    actions.clear_action(book)
    for func in {a["func"] for a in _actions(book)}:
        assert f"  {func}: async function" in js, func
    assert base64  # imported for symmetry with the web tests
