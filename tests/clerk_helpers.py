"""Workbooks as a clerk leaves them: made from synthetic data, then cells typed over (tests only)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ilrkit.generate import generate
from ilrkit.templates.layout import header_code
from ilrkit.templates.workbook_writer import write_workbook


def column_of(ws, key: str) -> int:
    """The 1-based column whose heading has the code ``key``."""
    for cell in ws[1]:
        if cell.value is not None and header_code(cell.value) == key:
            return cell.column
    raise KeyError(key)


def typed_workbook(path: Path, cells: dict[tuple[str, str, int], object] | None = None, *, learners: int = 3,
                   seed: int = 3, edit=None) -> Path:
    """A workbook of ``learners`` error-free synthetic learners with ``cells`` typed over:
    ``{("Learners", "ULN", 2): "412 3460 819"}`` sets the ULN on sheet row 2. ``edit(wb)`` may change more."""
    write_workbook(path, data=generate(learners, seed=seed).data, force=True)
    if not cells and edit is None:
        return path
    wb = openpyxl.load_workbook(path)
    for (sheet, key, row), value in (cells or {}).items():
        ws = wb[sheet]
        ws.cell(row=row, column=column_of(ws, key)).value = value
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path
