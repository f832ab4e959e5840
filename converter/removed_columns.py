"""Columns for fields a collection year no longer collects (PHours from 2026-27): not read, and said so.

A workbook moved on from an earlier year by copying its sheets still has those columns. The reader skips
any column it does not know, which is right for a provider's own notes, but values typed into a column the
ILR used to have would vanish without a word; this names the column and says what to do.
"""

from __future__ import annotations

from functools import cache

from openpyxl.utils import get_column_letter

from ilrkit.rules.findings import WARNING, Finding
from ilrkit.schemas import available_years
from ilrkit.schemas.spec import on_reload
from ilrkit.templates.layout import header_code, load_layout


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


@cache
def removed_columns(year: str, sheet: str) -> dict[str, tuple[str, str]]:
    """The sheet's columns in earlier installed years that ``year`` does not have: heading code or label
    (normalised) -> (column key, the latest year that had it)."""
    ours = load_layout(year).sheets.get(sheet)
    if ours is None:
        return {}
    keys = {c.key for c in ours.columns}
    found: dict[str, tuple[str, str]] = {}
    for other in available_years():
        if other >= year:  # a later year's new column is not one this year "no longer" collects
            continue
        theirs = load_layout(other).sheets.get(sheet)
        for column in theirs.columns if theirs is not None else ():
            if column.key not in keys:
                for name in (column.key, column.label):
                    if name:
                        found[_norm(name)] = (column.key, max(other, found.get(_norm(name), ("", ""))[1]))
    return found


def removed_column_findings(year: str, sheet: str, shown_as: str, grid: list[list]) -> list[Finding]:
    """A warning for each column of ``grid`` headed with a field ``year`` no longer collects that holds values."""
    gone = removed_columns(year, sheet)
    if not gone or not grid:
        return []
    out = []
    for i, heading in enumerate(grid[0]):
        if heading in (None, ""):
            continue
        match = gone.get(_norm(header_code(heading))) or gone.get(_norm(heading))
        if match is None or not any(i < len(row) and row[i] not in (None, "") for row in grid[1:]):
            continue
        key, last = match
        letter = get_column_letter(i + 1)
        out.append(Finding(
            "WB_REMOVED_COLUMN", WARNING,
            f"Column {letter} ({key}) holds values, but the {year} ILR no longer collects {key} (the {last} ILR "
            f"did), so they were not read and will not be sent. If this workbook came from an earlier year that "
            f"is expected: `ilr migrate` moves a workbook to a new year and lists what it leaves out. Otherwise "
            f"delete the column.", sheet=shown_as, row=1, column=letter))
    return out


on_reload(removed_columns.cache_clear)  # a pack imported in this process may add or change a year
