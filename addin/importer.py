"""Import: lay an ILR XML file's learners out as rows of the open workbook's sheets.

The rows come from ``templates.fill`` (the same layout the template writer and the workbook reader use),
then are matched to the columns the open workbook really has, by the code in each heading, so a user who
moved columns still gets every value in the right place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ilrkit.converter.model import IlrData
from ilrkit.converter.textcells import quoted
from ilrkit.templates.fill import sheet_rows
from ilrkit.templates.layout import KEY_OCCURRENCE, Column, Layout, Sheet, header_code
from ilrkit.templates.styles import column_codes, value_kind

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PLAIN_INT = re.compile(r"^-?(0|[1-9]\d{0,14})$")


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass
class SheetWrite:
    """What to write on one sheet: the full header row (with any column we had to add) and the data rows."""

    name: str
    header: list
    rows: list[list]
    new_sheet: bool = False
    added_columns: list[str] = field(default_factory=list)


def cell_value(layout: Layout, column: Column | None, text):
    """What to put in a cell for an ILR value: the dropdown text for codes, real dates, whole numbers."""
    if text is None:
        return None
    if column is None:  # the Occurrence number
        return text
    text = str(text)
    codes = column_codes(layout.spec, column)
    kind = value_kind(column.field, codes)
    if kind == "code":
        code = codes.by_code.get(text) if codes is not None else None
        return code.display if code is not None else text
    if kind == "date" and (m := _ISO_DATE.match(text)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return text
    if kind == "number" and _PLAIN_INT.match(text):
        return int(text)
    return quoted(text)  # Excel's text prefix: a value such as "=..." is written as text, not a formula


def _column_positions(sheet: Sheet, header: list) -> dict[str, int]:
    """Column key -> 0-based position in the workbook's heading row (as the reader matches them)."""
    by_key = {_norm(c.key): c.key for c in sheet.columns}
    by_label = {_norm(c.label): c.key for c in sheet.columns}
    positions: dict[str, int] = {}
    for i, text in enumerate(header):
        if text in (None, ""):
            continue
        code = _norm(header_code(text))
        if code == _norm(KEY_OCCURRENCE):
            positions.setdefault(KEY_OCCURRENCE, i)
            continue
        key = by_key.get(code) or by_label.get(_norm(text)) or by_label.get(code)
        if key is not None:
            positions.setdefault(key, i)
    return positions


def plan_import(layout: Layout, data: IlrData, headers: dict[str, list]) -> list[SheetWrite]:
    """The writes for every sheet that gets rows. ``headers``: the workbook's sheet name -> heading row."""
    writes = []
    for name, filled in sheet_rows(layout, data).items():
        if not filled.rows:
            continue
        sheet = filled.sheet
        new_sheet = name not in headers
        header = list(headers.get(name) or [])
        if new_sheet:
            header = [c.header for c in sheet.columns]
        positions = _column_positions(sheet, header)
        added = []
        wanted = [c.key for c in sheet.columns] + ([KEY_OCCURRENCE] if filled.with_occurrence else [])
        for key in wanted:
            needed = any(row.get(key) is not None for row in filled.rows)
            if key not in positions and (needed or new_sheet):
                column = next((c for c in sheet.columns if c.key == key), None)
                positions[key] = len(header)
                header.append(column.header if column is not None else KEY_OCCURRENCE)
                added.append(key)
        columns = {c.key: c for c in sheet.columns}
        width = len(header)
        rows = []
        for values in filled.rows:
            row = [None] * width
            for key, value in values.items():
                if value is not None and key in positions:
                    row[positions[key]] = cell_value(layout, columns.get(key), value)
            rows.append(row)
        writes.append(SheetWrite(name, header, rows, new_sheet, [] if new_sheet else added))
    return writes


def provider_values(layout: Layout, data: IlrData, grid: list[list]) -> tuple[dict[int, object], list[list]]:
    """(row number -> new value for column B, rows to append) for the Provider sheet's header fields."""
    rows_by_code = {}
    for r, row in enumerate(grid or [], start=1):
        if row and row[0] not in (None, ""):
            rows_by_code.setdefault(_norm(header_code(row[0])), r)
    updates: dict[int, object] = {}
    extra: list[list] = []
    for key, value in data.header.items():
        if value is None or key in ("Year",):
            continue
        r = rows_by_code.get(_norm(key))
        text = str(value)
        value = dt.date.fromisoformat(text) if _ISO_DATE.match(text) else quoted(text)
        if r is not None:
            updates[r] = value
        elif key in ("UKPRN", "SoftwareSupplier", "SoftwarePackage", "Release", "SerialNo"):
            extra.append([f"{key} [{key}]", value])
    return updates, extra


def has_data(layout: Layout, grids: dict[str, list[list]]) -> bool:
    """True when any data sheet already has a row below its headings (Import must ask first)."""
    for sheet in layout.data_sheets:
        for row in (grids.get(sheet.name) or [])[1:]:
            if any(v not in (None, "") for v in row):
                return True
    return False
