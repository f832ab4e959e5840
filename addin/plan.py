"""The highlight plan: what Validate should show in the workbook, computed once from a validation report.

The plan is pure data (ranges to fill, notes to add, rows for the errors sheet, a summary line). Two
renderers apply it: ``ilrkit.addin.excel`` in a workbook open in Excel (through xlwings) and
``ilrkit.addin.annotate`` to a file (through openpyxl), so both show exactly the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ilrkit.addin.cells import cell, col_index, group_cells, quote_sheet
from ilrkit.rules.findings import ERROR, WARNING, Finding

ERRORS_SHEET = "ILR errors"
MARKS_SHEET = "_ilrkit_marks"  # hidden: what we coloured and noted, so Clear removes only ours
NOTE_MARKER = "ILR check (ilrkit)"  # first line of every note we add
NOTE_LIMIT = 300  # notes beyond this many cells make Excel slow; the rest are on the errors sheet
MESSAGES_PER_NOTE = 5

RED = "#FF9999"  # errors: a red light enough to read black text on
AMBER = "#FFD27F"  # warnings
COLOURS = {ERROR: RED, WARNING: AMBER}

ERRORS_HEADER = ("Severity", "Rule", "Learner", "Aim", "Cell", "Message")


@dataclass(frozen=True)
class Note:
    sheet: str
    cell: str  # "F12"
    text: str


@dataclass(frozen=True)
class ErrorRow:
    severity: str  # "Error" / "Warning"
    rule: str
    learner: str | None  # LearnRefNumber
    aim: str | None  # AimSeqNumber
    sheet: str | None
    cell: str | None  # "F12", where the finding is tied to a cell (or a row: first cell of the row)
    message: str

    @property
    def place(self) -> str:
        """What the link shows: ``Learners!F12``, or the sheet, or blank."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    @property
    def target(self) -> str | None:
        """The in-workbook link target, ``'Learners'!F12`` (None when there is nowhere to go)."""
        if not self.sheet:
            return None
        return f"{quote_sheet(self.sheet)}!{self.cell or 'A1'}"

    def values(self) -> list:
        return [self.severity, self.rule, self.learner or "", self.aim or "", self.place, self.message]


@dataclass
class HighlightPlan:
    fills: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # sheet -> severity -> A1 ranges
    notes: list[Note] = field(default_factory=list)
    rows: list[ErrorRow] = field(default_factory=list)  # errors first
    summary: str = ""
    errors: int = 0
    warnings: int = 0
    learners_with_errors: int = 0
    cells_without_note: int = 0  # flagged cells past NOTE_LIMIT: listed on the errors sheet only

    @property
    def clean(self) -> bool:
        return not self.rows

    def fill_ranges(self) -> Iterable[tuple[str, str, str]]:
        """(sheet, A1 range, colour) for every range to fill."""
        for sheet, by_severity in self.fills.items():
            for severity, ranges in by_severity.items():
                for rng in ranges:
                    yield sheet, rng, COLOURS[severity]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_text(errors: int, warnings: int, learners: int) -> str:
    """``3 errors in 2 learners, 1 warning``; ``No errors or warnings.`` when clean."""
    if not errors and not warnings:
        return "No errors or warnings."
    parts = []
    if errors:
        parts.append(_plural(errors, "error") + (f" in {_plural(learners, 'learner')}" if learners else ""))
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return ", ".join(parts)


def _target(f: Finding, sheets: set[str] | None) -> tuple[str | None, int | None, int | None]:
    """(sheet, row, column number) a finding points at; row-only findings point at column A."""
    if not f.sheet or (sheets is not None and f.sheet not in sheets):
        return None, None, None
    if not f.row:
        return f.sheet, None, None
    return f.sheet, int(f.row), col_index(f.column) if f.column else 1


def _note_text(findings: list[Finding]) -> str:
    lines = [NOTE_MARKER]
    for f in findings[:MESSAGES_PER_NOTE]:
        lines.append(f"{'Error' if f.is_error else 'Warning'} {f.rule}: {f.message}")
    if len(findings) > MESSAGES_PER_NOTE:
        lines.append(f"...and {len(findings) - MESSAGES_PER_NOTE} more on the '{ERRORS_SHEET}' sheet.")
    return "\n".join(lines)


def highlight_plan(report, *, sheets: Iterable[str] | None = None, note_limit: int = NOTE_LIMIT) -> HighlightPlan:
    """The plan for a validation ``Report`` (or any object with ``.findings``).

    ``sheets``: the sheet names the workbook really has; findings on other sheets (a missing sheet) are
    listed on the errors sheet but not coloured or linked.
    """
    present = set(sheets) if sheets is not None else None
    findings: list[Finding] = sorted(report.findings, key=lambda f: not f.is_error)  # stable: errors first
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    rows: list[ErrorRow] = []
    for f in findings:
        sheet, r, c = _target(f, present)
        if sheet and r:
            by_cell[(sheet, r, c)].append(f)
        rows.append(ErrorRow("Error" if f.is_error else "Warning", f.rule, f.learn_ref, f.aim_seq,
                             sheet, cell(r, c) if r else None, f.message))

    plan = HighlightPlan(rows=rows)
    cells_by: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for (sheet, r, c), found in by_cell.items():
        severity = ERROR if any(f.is_error for f in found) else WARNING  # an error outranks a warning
        cells_by[sheet][severity].append((r, c))
    plan.fills = {sheet: {sev: group_cells(cells) for sev, cells in by_sev.items()}
                  for sheet, by_sev in cells_by.items()}

    # notes: error cells first, then in workbook order, so the cap drops the least important
    ordered = sorted(by_cell.items(), key=lambda kv: (not any(f.is_error for f in kv[1]), kv[0]))
    plan.notes = [Note(sheet, cell(r, c), _note_text(found)) for (sheet, r, c), found in ordered[:note_limit]]
    plan.cells_without_note = max(0, len(ordered) - note_limit)

    plan.errors = sum(1 for f in findings if f.is_error)
    plan.warnings = len(findings) - plan.errors
    plan.learners_with_errors = len({f.learn_ref for f in findings if f.is_error and f.learn_ref is not None})
    plan.summary = summary_text(plan.errors, plan.warnings, plan.learners_with_errors)
    return plan
