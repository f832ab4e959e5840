"""The Excel renderer: read a workbook open in Excel and apply a highlight plan to it, through xlwings.

The same code runs on desktop Excel (xlwings' COM/AppleScript engines) and on Excel on the web or Mac
through xlwings Server (the "remote" engine, where every change becomes a JSON action the browser
applies). Everything is read and written in bulk: one read per sheet, one write per sheet of values.
"""

from __future__ import annotations

from ilrkit.addin import marks as M
from ilrkit.addin.cells import group_cells, range_cells
from ilrkit.addin.plan import (
    COLOURS,
    ERRORS_HEADER,
    ERRORS_SHEET,
    MARKS_SHEET,
    NOTE_MARKER,
    HighlightPlan,
)
from ilrkit.converter.textcells import quoted
from ilrkit.converter.workbook_reader import Grids
from ilrkit.templates.layout import load_layout

OURS = (ERRORS_SHEET, MARKS_SHEET)
UNION_LIMIT = 240  # Excel's Range("A1,B2,...") takes at most 255 characters


def is_remote(book) -> bool:
    """True for xlwings Server's remote engine (Excel on the web/Mac), where changes are queued actions."""
    return book.app.engine.name == "remote"


def sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def sheet_values(sheet) -> list[list]:
    """All of a sheet's values from A1 to the end of its used range, in one read."""
    last = sheet.used_range.last_cell
    rng = sheet.range((1, 1), (last.row, last.column))
    if is_remote(sheet.book):
        # the payload's values as sent: xlwings' conversion would misread text such as "2026-01-15T10:00:00"
        # as a date (and cut its last digit); the reader turns serial numbers and "" into ILR values itself
        return [list(row) for row in rng.raw_value]
    if last.row == 1 and last.column == 1:
        value = rng.value
        return [[value]] if value not in (None, "") else []
    return rng.options(ndim=2).value


def wanted_sheets(names: list[str]) -> list[str]:
    """The sheets the workbook reader looks at (data sheets, Provider, the year record), none of ours."""
    layout = load_layout()
    wanted = set(layout.sheets) | {layout.provider_sheet, layout.meta_sheet}
    return [n for n in names if n in wanted]


def read_grids(book) -> Grids:
    """The workbook's values as ``Grids`` for ``read_grids``: one bulk read per sheet the reader needs."""
    return Grids({name: sheet_values(book.sheets[name]) for name in wanted_sheets(sheet_names(book))})


def date1904(book) -> bool:
    try:
        return bool(book.api.Date1904)  # Windows COM; other engines do not say, and 1904 books are rare
    except Exception:  # noqa: BLE001 - any engine without the property
        return False


# -- colours ---------------------------------------------------------------------------------------------

def _hex(colour) -> str:
    if colour is None:
        return ""
    if isinstance(colour, tuple):
        return "#{:02X}{:02X}{:02X}".format(*colour[:3])
    return str(colour)


def _rgb(text: str):
    text = text.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _batches(ranges: list[str]):
    """Comma-joined A1 ranges under Excel's length limit, so one call colours many areas (desktop)."""
    batch: list[str] = []
    length = 0
    for rng in ranges:
        if batch and length + len(rng) + 1 > UNION_LIMIT:
            yield ",".join(batch)
            batch, length = [], 0
        batch.append(rng)
        length += len(rng) + 1
    if batch:
        yield ",".join(batch)


def _set_colour(sheet, ranges: list[str], colour: str | None, remote: bool) -> None:
    value = None if not colour else (colour if remote else _rgb(colour))
    if remote:
        for rng in ranges:
            sheet.range(rng).color = value
        return
    for joined in _batches(ranges):
        try:
            sheet.range(joined).color = value
        except Exception:  # noqa: BLE001 - an engine that refuses unions: one range at a time
            for rng in joined.split(","):
                sheet.range(rng).color = value


def _previous_colour(sheet, rng: str, remote: bool) -> str:
    if remote:
        return M.UNKNOWN  # Excel on the web cannot report fills synchronously
    try:
        return _hex(sheet.range(rng).color)
    except Exception:  # noqa: BLE001 - mixed colours or an engine without it
        return M.UNKNOWN


# -- clear -------------------------------------------------------------------------------------------------

def clear_book(book) -> int:
    """Undo what an earlier Validate added: our fills (back to their old colour), our notes, our sheets."""
    names = sheet_names(book)
    remote = is_remote(book)
    marks = M.from_grid(sheet_values(book.sheets[MARKS_SHEET])) if MARKS_SHEET in names else []
    restore: dict[tuple[str, str], list[str]] = {}
    for mark in marks:
        if mark.sheet not in names or mark.sheet in OURS:
            continue
        sheet = book.sheets[mark.sheet]
        if mark.kind == M.FILL:
            previous = "" if mark.previous in ("", M.UNKNOWN) or mark.previous.startswith("theme:") else mark.previous
            restore.setdefault((mark.sheet, previous), []).append(mark.address)
        else:
            _delete_note(sheet, mark.address, remote)
    for (name, previous), ranges in restore.items():
        cells = [cell for rng in ranges for cell in range_cells(rng)]
        _set_colour(book.sheets[name], group_cells(cells), previous or None, remote)
    for name in OURS:
        if name in names:
            book.sheets[name].delete()
    return len(marks)


def _delete_note(sheet, address: str, remote: bool) -> None:
    note = sheet.range(address).note
    if note is None:
        return
    if not remote:
        try:
            if not str(note.text).startswith(NOTE_MARKER):
                return  # the user replaced our note with their own: keep it
        except Exception:  # noqa: BLE001 - cannot read it: trust the record
            pass
    note.delete()


# -- apply -------------------------------------------------------------------------------------------------

def _as_text(value):
    """A value to write as text: a leading = + - @ would otherwise make Excel read a formula."""
    return quoted(value)


def _link_formula(target: str, label: str) -> str:
    return f'=HYPERLINK("#{target.replace(chr(34), chr(34) * 2)}","{label.replace(chr(34), chr(34) * 2)}")'


def errors_grid(plan: HighlightPlan) -> list[list]:
    grid = [list(ERRORS_HEADER)]
    for row in plan.rows:
        values = [_as_text(v) for v in row.values()]
        if row.target:
            values[4] = _link_formula(row.target, row.place)
        grid.append(values)
    if not plan.rows:
        grid.append(["", "", "", "", "", plan.summary])
    return grid


def apply_plan(book, plan: HighlightPlan) -> list[M.Mark]:
    """Colour, note and list the findings in the open workbook; records what was added."""
    remote = is_remote(book)
    marks: list[M.Mark] = []
    for name, by_severity in plan.fills.items():
        sheet = book.sheets[name]
        for severity, ranges in by_severity.items():
            marks += [M.Mark(M.FILL, name, rng, _previous_colour(sheet, rng, remote)) for rng in ranges]
            _set_colour(sheet, ranges, COLOURS[severity], remote)
    for note in plan.notes:
        target = book.sheets[note.sheet].range(note.cell)
        try:
            if target.note is not None:
                continue  # the user's own note stays; the finding is listed on the errors sheet
            target.add_note(note.text)
        except NotImplementedError:
            break  # an Excel too old for notes (web): the errors sheet still lists every finding
        marks.append(M.Mark(M.NOTE, note.sheet, note.cell))

    errors = book.sheets.add(ERRORS_SHEET, before=book.sheets[0])
    grid = errors_grid(plan)
    errors.range("A1").value = grid
    _format_errors_sheet(errors, len(grid))
    record = book.sheets.add(MARKS_SHEET, after=book.sheets[len(book.sheets) - 1])
    record.range("A1").value = [[_as_text(v) for v in row] for row in M.to_grid(marks)]
    record.visible = False
    errors.activate()
    return marks


def _format_errors_sheet(sheet, rows: int) -> None:
    """Bold header and readable widths; cosmetic, so an engine that lacks a feature is not an error."""
    for action in (lambda: setattr(sheet.range("A1:F1").font, "bold", True),
                   lambda: [setattr(sheet.range(f"{c}1"), "column_width", w)
                            for c, w in zip("ABCDEF", (10, 16, 14, 6, 20, 100))]):
        try:
            action()
        except Exception:  # noqa: BLE001
            pass
