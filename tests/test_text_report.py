"""The text report fits an 80-column terminal: cell and learner first, the message wrapped, nothing cut."""

from __future__ import annotations

from ilrkit.rules.engine import Report
from ilrkit.rules.findings import ERROR, WARNING, Finding
from ilrkit.rules.report import as_text, summary_line


def _report(findings):
    return Report("provider.xlsx", "2025-26", findings, 3, ["A"], [])


LONG = ("The learning aim reference is not one the agency knows for this funding model and start date, so the "
        "aim cannot be funded. Check the reference against the learning aim search and retype it.")


def test_at_80_columns_nothing_is_cut():
    findings = [
        Finding("LearnAimRef_01", ERROR, LONG, "LearningDelivery", "LearnAimRef", "ZPROG001", "LRN-0000000012",
                "1", "LearningAims", 1234, "AB"),
        Finding("LearnAimRef_01", ERROR, LONG, "LearningDelivery", "LearnAimRef", "ZPROG001", "L2", "1",
                "LearningAims", 7, "AB"),
        Finding("Postcode_15", WARNING, "Short message.", "Learner", "Postcode", "x", "L3", None, "Learners", 4,
                "W"),
    ]
    text = as_text(_report(findings), width=80)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "…" not in text
    flat = " ".join(text.split())
    assert LONG in flat
    for f in findings:  # the full cell and the learner, on the line that leads the finding
        lead = next(line for line in lines if f.cell in line.split())
        assert lead.split()[:2] == [f.cell, f.learn_ref]


def test_the_summary_and_a_learner_level_finding_without_a_cell():
    findings = [Finding("Learner_X", ERROR, "No cell for this one.", "Learner", None, None, "L9")]
    text = as_text(_report(findings), width=80)
    assert "1 error in 1 learner" in text and "L9" in text and "No cell for this one." in text


def test_the_summary_says_which_errors_belong_to_no_learner():
    header = Finding("Header_X", ERROR, "The UKPRN is missing.", "Header", "UKPRN", None, None, None, "Provider", 3, "B")
    learner = Finding("Learner_X", ERROR, "Fix this.", "Learner", "ULN", "1", "L9", None, "Learners", 2, "C")
    only_file = summary_line(_report([header, header]))
    assert only_file.startswith("2 errors in the file as a whole (not in any learner)")
    assert "0 learners" not in only_file
    assert summary_line(_report([header, learner, learner])).startswith(
        "3 errors: 2 in 1 learner, 1 in the file as a whole")
    assert summary_line(_report([learner])).startswith("1 error in 1 learner,")
    assert summary_line(_report([])).startswith("0 errors,")


def test_control_characters_from_a_cell_are_shown_never_sent_to_the_terminal():
    f = Finding("ILR_Characters", ERROR, 'Family name "Smith\x1b[2J" has characters the ILR file cannot hold.',
                "Learner", "FamilyName", "Smith\x1b[2J", "L1", None, "Learners", 2, "D")
    text = as_text(_report([f]), width=80)
    assert "\x1b" not in text and "Smith\\x1b[2J" in text
