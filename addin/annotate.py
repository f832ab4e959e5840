"""The file renderer: an annotated copy of a workbook (``ilr validate WORKBOOK --annotate OUT.xlsx``).

It applies the same highlight plan as the Excel add-in, with openpyxl, for batch and server users who are
not in Excel: error cells red, warning cells amber, a note on each flagged cell, an "ILR errors" sheet
linking to the cells, and the hidden record of what was added. The input file is never written to.
"""

from __future__ import annotations

import io
import logging
import math
import zipfile
from copy import copy
from pathlib import Path

from ilrkit.addin import marks as M
from ilrkit.addin.cells import range_cells
from ilrkit.addin.plan import ERRORS_HEADER, ERRORS_SHEET, MARKS_SHEET, NOTE_MARKER, HighlightPlan, highlight_plan
from ilrkit.converter.errors import InputError, OutputExists
from ilrkit.converter.xml_writer import write_atomic

log = logging.getLogger(__name__)
AUTHOR = "ilrkit"
OURS = (ERRORS_SHEET, MARKS_SHEET)


def _load(src: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm", keep_links=True, rich_text=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError(f"{src.name} could not be opened as an Excel workbook ({exc.__class__.__name__}). "
                         "Check it is an .xlsx file saved by Excel and not damaged or password-protected.") \
            from None


def _fill_text(fill) -> str:
    """The colour a cell had, in the marks' notation ("" when it had no fill)."""
    if fill is None or fill.fill_type is None:
        return ""
    colour = fill.fgColor
    if colour is None:
        return ""
    if colour.type == "theme":
        return f"theme:{colour.theme}:{colour.tint or 0}"
    if colour.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = colour.indexed
        return f"#{COLOR_INDEX[index][-6:]}" if isinstance(index, int) and index < len(COLOR_INDEX) else ""
    rgb = colour.rgb if isinstance(colour.rgb, str) else ""
    return f"#{rgb[-6:]}" if rgb else ""


def _fill(text: str):
    from openpyxl.styles import Color, PatternFill

    if not text or text == M.UNKNOWN:
        return PatternFill(fill_type=None)
    if text.startswith("theme:"):
        _, theme, tint = (text.split(":") + ["0"])[:3]
        return PatternFill("solid", fgColor=Color(theme=int(theme), tint=float(tint)))
    rgb = "FF" + text.lstrip("#").upper()
    return PatternFill("solid", fgColor=rgb, bgColor=rgb)


def clear_workbook(wb) -> int:
    """Remove what an earlier Validate added (ours only). Returns how many marks were undone."""
    marks: list[M.Mark] = []
    if MARKS_SHEET in wb.sheetnames:
        ws = wb[MARKS_SHEET]
        marks = M.from_grid([list(r) for r in ws.iter_rows(values_only=True)])
    for mark in marks:
        if mark.sheet not in wb.sheetnames or mark.sheet in OURS:
            continue
        ws = wb[mark.sheet]
        try:
            cells = list(range_cells(mark.address))
        except ValueError:
            continue
        for r, c in cells:
            target = ws.cell(r, c)
            if mark.kind == M.FILL:
                target.fill = _fill(mark.previous)
            elif target.comment is not None and target.comment.text.startswith(NOTE_MARKER):
                target.comment = None  # the user's own note (no marker) is left alone
    for name in OURS:
        if name in wb.sheetnames:
            del wb[name]
    return len(marks)


def _note_size(text: str) -> tuple[int, int]:
    lines = sum(max(1, math.ceil(len(part) / 50)) for part in text.split("\n"))
    return 320, min(400, 16 * lines + 10)


def _column_style(ws, column: int):
    """The style Excel gives blank cells of a column (its <col style>), if the column has one."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.max is not None and dim.min <= column <= dim.max and dim.has_style:
            return dim._style
    return None


def apply_plan(wb, plan: HighlightPlan) -> list[M.Mark]:
    """Colour, note and list the findings; returns the marks written to the record sheet."""
    from openpyxl.comments import Comment

    from ilrkit.addin.plan import COLOURS

    marks: list[M.Mark] = []
    for sheet, by_severity in plan.fills.items():
        ws = wb[sheet]
        for severity, ranges in by_severity.items():
            new_fill = _fill(COLOURS[severity])
            for rng in ranges:
                before = {(r, c): _fill_text(ws.cell(r, c).fill) for r, c in range_cells(rng)}
                if len(set(before.values())) == 1:
                    marks.append(M.Mark(M.FILL, sheet, rng, next(iter(before.values()))))
                else:  # the user coloured some of these cells: remember each one
                    marks += [M.Mark(M.FILL, sheet, ws.cell(r, c).coordinate, prev) for (r, c), prev in before.items()]
                for r, c in before:
                    cell = ws.cell(r, c)
                    if cell.value is None and not cell.has_style:
                        # a blank cell openpyxl has just made: give it its column's format (text, date)
                        # before colouring it, as Excel would, so what the user types next keeps its zeros
                        column_style = _column_style(ws, c)
                        if column_style is not None:
                            cell._style = copy(column_style)
                    cell.fill = new_fill
    for note in plan.notes:
        target = wb[note.sheet][note.cell]
        if target.comment is not None:
            continue  # never replace the user's own note; the finding is on the errors sheet
        width, height = _note_size(note.text)
        target.comment = Comment(note.text, AUTHOR, height=height, width=width)
        marks.append(M.Mark(M.NOTE, note.sheet, note.cell))
    _errors_sheet(wb, plan)
    record = wb.create_sheet(MARKS_SHEET)
    for row in M.to_grid(marks):
        record.append(row)
    record.sheet_state = "hidden"
    return marks


def _errors_sheet(wb, plan: HighlightPlan) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(ERRORS_SHEET, 0)  # first, so it is what the user sees on opening the copy
    ws.append(list(ERRORS_HEADER))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    for i, row in enumerate(plan.rows, start=2):
        ws.append(row.values())
        if row.target:
            link = ws.cell(i, 5)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=row.target, display=row.place)
            link.font = link_font
    if not plan.rows:
        ws.append(["", "", "", "", "", plan.summary])
    for letter, width in zip("ABCDEF", (10, 16, 14, 6, 20, 100)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(2, len(plan.rows) + 1)}"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    wb.active = 0
    ws.sheet_view.tabSelected = True


def annotate_workbook(src: Path, dst: Path, report, *, force: bool = False, fast: bool = True) -> Path:
    """Write to ``dst`` a copy of ``src`` showing ``report``'s findings; ``src`` is never modified.

    Raises ``OutputExists`` when ``dst`` exists and ``force`` is false, ``InputError`` for unusable input.
    An .xlsx is patched part by part (``ilrkit.addin.annotate_parts``); ``fast=False``, an .xlsm or anything
    unusual goes through openpyxl.
    """
    src, dst = Path(src), Path(dst)
    if not src.is_file():
        raise InputError(f"Cannot find the workbook {src}.")
    if dst.exists() and src.resolve() == dst.resolve():
        raise InputError(f"The annotated copy must be a new file, not {src.name} itself. Choose another name.")
    if dst.exists() and not force:
        raise OutputExists(f"{dst} already exists. Choose another name or folder, or use --force to replace it.")
    if dst.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"The annotated copy must be an Excel workbook (.xlsx), not {dst.name}.")
    data = _patched(src, report) if fast and src.suffix.lower() == ".xlsx" else None
    if data is None:
        wb = _load(src)
        clear_workbook(wb)
        plan = highlight_plan(report, sheets=[n for n in wb.sheetnames if n not in OURS])
        apply_plan(wb, plan)
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    return write_atomic(dst, data, force=force)


def _patched(src: Path, report) -> bytes | None:
    """The annotated copy made by patching the workbook's parts, or None where openpyxl must do it."""
    from ilrkit.addin.annotate_parts import Unsupported, patch

    try:
        return patch(src.read_bytes(), lambda sheets: highlight_plan(report, sheets=sheets))[0]
    except (Unsupported, OSError, KeyError, ValueError, etree_error()) as exc:
        log.info("annotated copy through openpyxl (%s)", exc.__class__.__name__)
        return None


def etree_error():
    from lxml import etree

    return etree.LxmlError


def clear_file(src: Path, dst: Path, *, force: bool = False) -> Path:
    """A copy of ``src`` with everything Validate added removed (the file twin of Clear highlights)."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and not force:
        raise OutputExists(f"{dst} already exists. Choose another name or folder, or use --force to replace it.")
    wb = _load(src)
    clear_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(dst, buffer.getvalue(), force=force)


__all__ = ["annotate_workbook", "clear_file", "clear_workbook", "apply_plan", "OutputExists"]
