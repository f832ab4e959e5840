from addin_helpers import FakeReport, finding

from ilrkit.addin.cells import group_cells, parse_range
from ilrkit.addin.plan import AMBER, NOTE_MARKER, RED, highlight_plan, summary_text


def test_adjacent_cells_are_grouped_into_ranges():
    cells = [(2, 6), (3, 6), (4, 6), (2, 7), (3, 7), (4, 7), (10, 1), (12, 1)]
    assert group_cells(cells) == ["F2:G4", "A10", "A12"]
    assert parse_range("F2:G4") == (2, 6, 4, 7)


def test_fills_by_severity_and_error_wins_over_warning():
    report = FakeReport([finding(row=2), finding(row=3, learn_ref="L2"), finding(rule="W", severity="warning", row=3),
                         finding(rule="W", severity="warning", column="G", row=3)])
    plan = highlight_plan(report)
    assert plan.fills == {"Learners": {"error": ["F2:F3"], "warning": ["G3"]}}
    assert {c for _, _, c in plan.fill_ranges()} == {RED, AMBER}
    assert plan.summary == "2 errors in 2 learners, 2 warnings"


def test_summary_text():
    assert summary_text(3, 1, 2) == "3 errors in 2 learners, 1 warning"
    assert summary_text(1, 0, 1) == "1 error in 1 learner"
    assert summary_text(0, 2, 0) == "2 warnings"
    assert summary_text(0, 0, 0) == "No errors or warnings."


def test_errors_sheet_rows_errors_first_with_link_targets():
    report = FakeReport([finding(rule="W", severity="warning", row=5), finding(sheet="My sheet", row=7, column=None),
                         finding(sheet=None, row=None, column=None, learn_ref=None)])
    plan = highlight_plan(report, sheets=["My sheet", "Learners"])
    assert [r.severity for r in plan.rows] == ["Error", "Error", "Warning"]
    assert plan.rows[0].target == "'My sheet'!A7"  # a row-only finding points at column A
    assert plan.rows[1].target is None and plan.rows[1].place == ""
    assert plan.rows[2].values()[:5] == ["Warning", "W", "L1", "", "Learners!F5"]


def test_missing_sheet_is_listed_not_linked():
    plan = highlight_plan(FakeReport([finding(sheet="Gone")]), sheets=["Learners"])
    assert plan.fills == {} and plan.notes == [] and plan.rows[0].target is None


def test_notes_are_capped_errors_first_and_marked():
    report = FakeReport([finding(rule="W", severity="warning", row=2)] +
                        [finding(row=r, learn_ref=f"L{r}") for r in range(3, 13)])
    plan = highlight_plan(report, note_limit=4)
    assert len(plan.notes) == 4 and plan.cells_without_note == 7
    assert all(n.text.startswith(NOTE_MARKER) for n in plan.notes)
    assert all("Error" in n.text for n in plan.notes)  # the warning cell lost its note first
    assert len(plan.rows) == 11  # but every finding is on the errors sheet


def test_several_findings_on_one_cell_share_a_note():
    plan = highlight_plan(FakeReport([finding(rule="A"), finding(rule="B")]))
    assert len(plan.notes) == 1 and "A:" in plan.notes[0].text and "B:" in plan.notes[0].text
