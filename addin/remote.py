"""xlwings' remote engine: a workbook sent as JSON by Excel on the web/Mac, answered with JSON actions.

xlwings Server is part of xlwings PRO: it needs ``XLWINGS_LICENSE_KEY``. The key ``noncommercial`` is only for
use under the PolyForm Noncommercial licence (a business, such as a training provider paid by the funding
agency, needs a paid key; see docs/addin.md). The desktop add-in does not use this module and needs no key.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ilrkit.converter.errors import InputError

LICENCE_HELP = ("Excel on the web needs xlwings Server, which is part of xlwings PRO: the server must have an "
                "xlwings licence key in XLWINGS_LICENSE_KEY (the free key 'noncommercial' is only for "
                "noncommercial use; a business needs a paid key). The desktop add-in needs no key.")


def open_book(payload: dict):
    """An xlwings ``Book`` on the remote engine from the client's JSON payload."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise InputError(LICENCE_HELP)
    import xlwings as xw

    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
        raise InputError("The request did not contain a workbook. Reload the add-in and try again.")
    payload.setdefault("version", xw.__version__)
    payload.setdefault("client", "Office.js")
    payload.setdefault("names", [])
    payload.setdefault("book", {"name": "Workbook", "active_sheet_index": 0})
    for sheet in payload["sheets"]:
        for key in ("pictures", "shapes", "charts", "tables", "pivot_tables", "notes"):
            sheet.setdefault(key, [])
        sheet.setdefault("visibility", "Visible")
    try:
        return xw.Book(json=payload)
    except xw.XlwingsError as exc:
        raise InputError(f"The workbook could not be read ({exc}). Reload the add-in and try again.") from None
    except xw.LicenseError:
        raise InputError(LICENCE_HELP) from None


def _json_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):  # Office.js sends a date cell's value as Excel's serial number
        when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        serial = (when - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        return int(serial) if serial == int(serial) else serial
    return value


def payload_from_workbook(path: str | Path, name: str | None = None) -> dict:
    """The JSON an Office.js client would send for the workbook saved at ``path`` (tests, benchmarks)."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    path = Path(path)
    values = CalamineWorkbook.from_path(str(path))
    wb = load_workbook(path)  # for the notes and visibility, which calamine does not report
    sheets = []
    for ws in wb.worksheets:
        grid = values.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        width = max((len(r) for r in grid), default=0)
        grid = [[_json_value(v) for v in row] + [""] * (width - len(row)) for row in grid] or [[]]
        notes = [{"address": f"${c.column_letter}${c.row}"} for row in ws.iter_rows() for c in row if c.comment]
        sheets.append({"name": ws.title, "values": grid, "notes": notes,
                       "visibility": {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden"),
                       "used_range_address": f"A1:{_col(width)}{len(grid)}" if width else None})
    return {"client": "Office.js", "book": {"name": name or path.name, "active_sheet_index": 0},
            "names": [], "sheets": sheets}


def _col(n: int) -> str:
    from ilrkit.addin.cells import col_letters

    return col_letters(n)
