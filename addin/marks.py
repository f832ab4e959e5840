"""The record of what Validate added to a workbook, kept in a hidden sheet of the workbook itself.

Clear (and the next Validate) must remove our colours and notes and nothing of the user's. Excel cannot
tell our fill from theirs, so every range we colour is written down here with the colour it had before,
and every note we add is written down too (our notes also start with ``NOTE_MARKER``). The record lives
in the workbook so it travels with the file: between Excel sessions, between the desktop add-in, Excel
on the web and ``ilr validate --annotate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ilrkit.addin.plan import MARKS_SHEET

HEADER = ["kind", "sheet", "address", "previous fill"]
EXPLAIN = ("ilrkit lists here the cells it coloured and noted, so that 'Clear highlights' removes only its own. "
           "Please do not edit.")
FILL, NOTE = "fill", "note"
UNKNOWN = "?"  # the previous colour could not be read (Excel on the web): Clear leaves no fill


@dataclass(frozen=True)
class Mark:
    kind: str  # FILL or NOTE
    sheet: str
    address: str  # "F2:F9" for fills, "F2" for notes
    previous: str = ""  # fills: "" (none), "#RRGGBB", "theme:<n>:<tint>" or UNKNOWN


def to_grid(marks: list[Mark]) -> list[list[str]]:
    """The sheet's values from A1: a header row, then one row per mark; column F explains the sheet."""
    grid = [HEADER + ["", EXPLAIN]]
    grid += [[m.kind, m.sheet, m.address, m.previous, "", ""] for m in marks]
    return grid


def from_grid(grid: list[list] | None) -> list[Mark]:
    """Marks read back from the sheet's values (blank or foreign rows are skipped, never fatal)."""
    marks = []
    for row in (grid or [])[1:]:
        if not row or len(row) < 3:
            continue
        kind, sheet, address = (str(v).strip() if v is not None else "" for v in row[:3])
        previous = str(row[3]).strip() if len(row) > 3 and row[3] is not None else ""
        if kind in (FILL, NOTE) and sheet and address:
            marks.append(Mark(kind, sheet, address, previous))
    return marks


__all__ = ["Mark", "FILL", "NOTE", "UNKNOWN", "MARKS_SHEET", "to_grid", "from_grid"]
