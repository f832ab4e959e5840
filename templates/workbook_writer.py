"""Write the provider workbook: the empty template, or the template filled with an ILR (``ilr import``).

The sheets and columns come from ``templates/layout.py``, the same description the workbook reader uses,
so whatever this writes reads back to the same ILR. The file is built in memory with xlsxwriter and moved
into place atomically; the same input always gives the same bytes (fixed document date, no timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import xlsxwriter

from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData
from ilrkit.converter.xml_writer import write_atomic
from ilrkit.schemas import CodeList, Field, Spec, normalise_year
from ilrkit.schemas.spec import announce_provisional
from ilrkit.templates.fill import SheetRows, sheet_rows
from ilrkit.templates.layout import KEY_OCCURRENCE, Column, Layout, Sheet, load_layout
from ilrkit.templates.lists import ListRange, Lists
from ilrkit.templates.notes import column_note, describe_entry, occurrence_note
from ilrkit.templates.styles import Formats, column_codes, column_width, value_kind

GENERATOR = "ilrkit"
LAYOUT_VERSION = "1"
TEMPLATE_ROWS = 1000  # empty table rows in a new template, so dropdowns and formats are ready to use
SPARE_ROWS = 200  # empty table rows after imported data
TABLE_STYLE = "Table Style Light 9"
HEADER_ROW_HEIGHT = 60

# Provider sheet rows: header fields an admin fills in, then (filled workbooks only) the ones set on export.
PROVIDER_FIELDS = ("UKPRN", "SoftwareSupplier", "SoftwarePackage", "Release", "SerialNo", "ReferenceData",
                   "ComponentSetVersion")
FILLED_PROVIDER_FIELDS = ("FilePreparationDate", "DateTime")
# kept so XML -> workbook -> XML loses nothing, but never what the next XML file holds: say so where it shows
_STAMPED_HELP = {
    "FilePreparationDate": "The preparation date of the file this workbook was imported from, kept for the "
                           "record. It is not used: ilr convert (and Export ILR XML) writes the day the new XML "
                           "file is made, and the rules are checked against that day.",
    "DateTime": "When the imported file was made, kept for the record. It is not used: the new XML file gets the "
                "date and time it is made, which is also in its name.",
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PLAIN_INT = re.compile(r"^-?(0|[1-9]\d{0,14})$")  # exactly what a number cell reads back as

_DATE_MIN, _DATE_MAX = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
_EXCEL_SAFE_FROM = dt.date(1900, 3, 1)


def write_workbook(path: str | Path, year: str = "2025-26", data: IlrData | None = None, *,
                   force: bool = False) -> Path:
    """Write the provider workbook for ``year`` to ``path``: empty, or filled with ``data`` (whose own year
    then decides the layout).

    Raises ``OutputExists`` when ``path`` exists and ``force`` is false; never leaves a partial file.
    """
    chosen = data.year if data is not None else normalise_year(year)
    announce_provisional(chosen)
    layout = load_layout(chosen)
    return write_atomic(Path(path), build_workbook(layout, data), force=force)


def build_workbook(layout: Layout, data: IlrData | None = None, extra=None) -> bytes:
    """The workbook as .xlsx bytes. ``extra(workbook, formats)``, if given, adds sheets of its own (a report)."""
    buffer = io.BytesIO()
    # never turn text into formulas, links or numbers behind our back: every cell type is chosen here
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False})
    spec = layout.spec
    start = spec.teaching_year_start
    # a fixed date keeps the file byte-identical between runs
    wb.set_properties({"title": f"ILR {spec.year} workbook", "author": GENERATOR, "company": "",
                       "created": dt.datetime(start.year, start.month, start.day)})
    formats = Formats(wb)
    lists = Lists(spec, layout.lists_sheet)

    _write_provider(wb, formats, layout, data)
    filled = sheet_rows(layout, data) if data is not None else {}
    for sheet in layout.data_sheets:
        rows = filled.get(sheet.name)
        if sheet.only_when_used and not (rows and rows.rows):
            continue
        _DataSheet(wb, formats, lists, layout, sheet, rows).write(data is not None)
    _write_contracts(wb, formats, layout, data)
    lists.write(wb, formats)
    if extra is not None:
        extra(wb, formats)
    _write_meta(wb, layout)
    wb.close()
    return buffer.getvalue()


def package_version() -> str:
    try:
        return metadata.version("ilrkit")
    except metadata.PackageNotFoundError:
        return "0"


def _iso_date(text: str) -> dt.date | None:
    """The date to write as an Excel date, or None to write the text as it is: Excel has no dates before
    1900, and its (Lotus) 29 February 1900 makes serial numbers before March 1900 read back a day out."""
    m = _ISO_DATE.match(text)
    if not m:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return day if day >= _EXCEL_SAFE_FROM else None


def _note_options(text: str) -> dict:
    lines = sum(max(1, math.ceil(len(part) / 55)) for part in text.split("\n"))
    return {"author": GENERATOR, "width": 360, "height": min(600, 15 * lines + 12)}


# -- Provider sheet ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _ProviderRow:
    code: str
    field: Field
    value: str | None
    fixed: bool = False
    help: str = ""


def _provider_rows(spec: Spec, data: IlrData | None) -> list[_ProviderRow]:
    source = spec.entity("Source")
    details = spec.entity("CollectionDetails")
    year_field = details.field("Year")
    rows = [_ProviderRow("Year", year_field, spec.year, fixed=True,
                         help=f"The collection year of this workbook. It is fixed: for another year, start from "
                              f"that year's template. ilrkit writes {spec.year_code} in the XML file.")]
    defaults = {"SoftwareSupplier": GENERATOR, "SoftwarePackage": GENERATOR, "Release": package_version(),
                "SerialNo": "01"}
    header = data.header if data is not None else {}
    for name in PROVIDER_FIELDS:
        value = header.get(name) if data is not None else defaults.get(name)
        rows.append(_ProviderRow(name, source.field(name), value))
    if data is not None:
        for name in FILLED_PROVIDER_FIELDS:
            entity = details if name in {f.name for f in details.fields} else source
            rows.append(_ProviderRow(name, entity.field(name), header.get(name), help=_STAMPED_HELP[name]))
        provider_ukprn = header.get(LEARNING_PROVIDER_UKPRN)
        if provider_ukprn and provider_ukprn != header.get("UKPRN"):
            rows.append(_ProviderRow(LEARNING_PROVIDER_UKPRN, spec.entity("LearningProvider").field("UKPRN"),
                                     provider_ukprn,
                                     help="The UKPRN in the file's learning provider section, where it differs "
                                          "from the file header. Normally leave this row out."))
    return rows


def _write_provider(wb, formats: Formats, layout: Layout, data: IlrData | None) -> None:
    ws = wb.add_worksheet(layout.provider_sheet)
    ws.write_row(0, 0, ("Field", "Value", "What to enter"), formats.header)
    ws.set_column(0, 0, 40, formats.provider_label)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 90, formats.provider_help)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(_provider_rows(layout.spec, data), start=1):
        label = row.field.label or row.code
        ws.write_string(r, 0, f"{label} [{row.code}]", formats.provider_label)
        help_text = row.help or " ".join(
            part for part in (" ".join(row.field.help.split()),
                              "Enter: " + describe_entry(row.field, value_kind(row.field, None), None)) if part)
        ws.write_string(r, 2, help_text, formats.provider_help)
        if row.fixed:
            ws.write_string(r, 1, row.value or "", formats.provider_fixed)
            continue
        day = _iso_date(row.value) if row.value and row.field.type == "date" else None
        if day is not None:
            ws.write_datetime(r, 1, dt.datetime(day.year, day.month, day.day), formats.provider_date)
        elif row.value is not None:
            ws.write_string(r, 1, row.value, formats.provider_value)
        else:
            ws.write_blank(r, 1, None, formats.provider_value)
    # the sheet is protected (no password) only so that the fixed Year cell cannot be typed over
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})


def _write_contracts(wb, formats: Formats, layout: Layout, data: IlrData | None) -> None:
    """The Contracts sheet: the provider's funding contracts, for the rules that check aims against them."""
    from ilrkit.converter.reference_sheet import CONTRACT_COLUMNS, DATE_COLUMNS, HELP

    if not layout.contracts_sheet:
        return
    ws = wb.add_worksheet(layout.contracts_sheet)
    ws.write_row(0, 0, CONTRACT_COLUMNS, formats.header)
    ws.write_comment(0, 0, HELP, {"x_scale": 3, "y_scale": 3})
    for c, name in enumerate(CONTRACT_COLUMNS):
        ws.set_column(c, c, 24, formats.provider_date if name in DATE_COLUMNS else formats.provider_value)
    ws.freeze_panes(1, 0)
    rows = ((data.reference_rows or {}).get("Contracts") or {}).get("ContractAllocation", []) if data else []
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(CONTRACT_COLUMNS):
            value = row.get(name)
            day = _iso_date(value) if value and name in DATE_COLUMNS else None
            if day is not None:
                ws.write_datetime(r, c, dt.datetime(day.year, day.month, day.day), formats.provider_date)
            elif value is not None:
                ws.write_string(r, c, value, formats.provider_value)


# -- data sheets -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Col:
    """A column as written: a layout column (or the Occurrence column) with its kind, codes and list."""

    key: str
    header: str
    column: Column | None
    kind: str
    codes: CodeList | None
    list_range: ListRange | None


class _DataSheet:
    def __init__(self, wb, formats: Formats, lists: Lists, layout: Layout, sheet: Sheet, rows: SheetRows | None):
        self.wb, self.formats, self.layout, self.sheet = wb, formats, layout, sheet
        self.rows = rows.rows if rows is not None else []
        self.cols = self._columns(lists, rows is not None and rows.with_occurrence)

    def _columns(self, lists: Lists, with_occurrence: bool) -> list[_Col]:
        cols: list[_Col] = []
        spec = self.layout.spec
        for column in self.sheet.columns:
            if with_occurrence and not column.is_key and not any(c.key == KEY_OCCURRENCE for c in cols):
                cols.append(_Col(KEY_OCCURRENCE, KEY_OCCURRENCE, None, "number", None, None))
            codes = column_codes(spec, column)
            cols.append(_Col(column.key, column.header, column, value_kind(column.field, codes), codes,
                             lists.range_for(codes)))
        return cols

    def write(self, filled: bool) -> None:
        ws = self.wb.add_worksheet(self.sheet.name)
        last_row = len(self.rows) + SPARE_ROWS if filled else TEMPLATE_ROWS
        ws.add_table(0, 0, last_row, len(self.cols) - 1, {
            "name": "tbl" + "".join(ch for ch in self.sheet.name if ch.isalnum()),
            "style": TABLE_STYLE,
            "autofilter": True,
            "columns": [{"header": c.header, "header_format": self.formats.header} for c in self.cols],
        })
        ws.set_row(0, HEADER_ROW_HEIGHT)
        ws.freeze_panes(1, 1)
        for j, col in enumerate(self.cols):
            fmt = self.formats.of(col.kind)
            if col.column is None:
                ws.set_column(j, j, 12, fmt)
                note = occurrence_note(self.sheet.parent_sheet)
            else:
                ws.set_column(j, j, column_width(col.column, col.kind, col.codes), fmt)
                note = column_note(self.layout, self.sheet, col.column, col.kind, col.codes)
            ws.write_comment(0, j, note, _note_options(note))
            validation = self._validation(col)
            if validation:
                ws.data_validation(1, j, last_row, j, validation)
        for i, values in enumerate(self.rows, start=1):
            for j, col in enumerate(self.cols):
                value = values.get(col.key)
                if value is not None:
                    self._write_value(ws, i, j, col, value)

    def _write_value(self, ws, r: int, c: int, col: _Col, value) -> None:
        fmt = self.formats.of(col.kind)
        if isinstance(value, int):  # the Occurrence number
            ws.write_number(r, c, value, fmt)
            return
        text = str(value)
        if col.kind == "code":
            code = col.codes.by_code.get(text) if col.codes is not None else None
            ws.write_string(r, c, code.display if code is not None else text, fmt)
        elif col.kind == "date" and (day := _iso_date(text)) is not None:
            ws.write_datetime(r, c, dt.datetime(day.year, day.month, day.day), fmt)
        elif col.kind == "number" and _PLAIN_INT.match(text):
            ws.write_number(r, c, int(text), fmt)
        else:
            # write_string, never write(): a value starting with = + - @ must stay text, not a formula
            ws.write_string(r, c, text, fmt)

    def _validation(self, col: _Col) -> dict | None:
        """Warning-style checks: Excel explains the problem but lets the value stay (ilrkit checks it)."""
        warn = {"error_type": "warning", "ignore_blank": True}
        if col.column is None:
            return {"validate": "integer", "criteria": ">=", "value": 1, **warn,
                    "error_title": "Not an occurrence number",
                    "error_message": "Type 2 for the second row with the same reference, 3 for the third. "
                                     "Leave blank for the first."}
        field = col.column.field
        if col.list_range is not None:
            return {"validate": "list", "source": "=" + col.list_range.ref, **warn,
                    "error_title": "Not in the list",
                    "error_message": "This is not one of the codes in the list. Choose Yes to keep it anyway "
                                     "(ilrkit will check it) or No to pick from the list."}
        if col.kind == "date":
            return {"validate": "date", "criteria": "between", "minimum": _DATE_MIN, "maximum": _DATE_MAX,
                    **warn, "error_title": "Not a date",
                    "error_message": "Type a date such as 15/09/2025. Choose Yes to keep what you typed "
                                     "(ilrkit will check it) or No to change it."}
        if col.kind == "number" and field.min_inclusive is not None and field.max_inclusive is not None:
            low, high = int(field.min_inclusive), int(field.max_inclusive)
            return {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high, **warn,
                    "error_title": "Not a whole number in range",
                    "error_message": f"Type a whole number from {low} to {high}. Choose Yes to keep what you "
                                     "typed (ilrkit will check it) or No to change it."}
        if col.kind == "text" and field.type not in ("decimal", "dateTime") and field.longest:
            return {"validate": "length", "criteria": "<=", "value": field.longest, **warn,
                    "error_title": "Too long",
                    "error_message": f"At most {field.longest} characters. Choose Yes to keep what you typed "
                                     "(ilrkit will check it) or No to change it."}
        return None


# -- hidden metadata ---------------------------------------------------------------------------------

def _write_meta(wb, layout: Layout) -> None:
    ws = wb.add_worksheet(layout.meta_sheet)
    for r, (key, value) in enumerate((("Year", layout.spec.year), ("Generator", GENERATOR),
                                      ("Layout", LAYOUT_VERSION))):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.very_hidden()  # not even listed under Unhide: only ilrkit needs it
