"""Turn what admin staff type into Excel cells into ILR values, without guessing.

A value that cannot be read for certain is kept as the text that was typed, so that validation reports
it against its cell ("not a valid date") instead of the reader silently changing it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ilrkit.schemas import CodeList, Field

EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
# "31 – English / Welsh ..." or "31 - ..." as picked from a dropdown: the code is before the dash
_CODE_LABEL = re.compile(r"^\s*([^\s–—-]+)\s+[–—-]\s+.*$", re.DOTALL)


def _integral(value: float | Decimal) -> str | None:
    try:
        d = Decimal(str(value)) if isinstance(value, float) else value
    except InvalidOperation:
        return None
    if d == d.to_integral_value():
        return str(int(d))
    return None


def _from_serial(serial: float, date1904: bool) -> dt.datetime | None:
    if not 0 < serial < 2958466:  # Excel's largest date is 9999-12-31
        return None
    return (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH_1900) + dt.timedelta(days=serial)


def read_date(value, date1904: bool = False) -> str | None:
    """ISO date text, or the original text when it is not certainly a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        when = _from_serial(float(value), date1904)
        return when.date().isoformat() if when and float(value).is_integer() else _plain(value)
    text = str(value).strip()
    m = _ISO_DATE.match(text)
    if m:
        return _valid_date(int(m[1]), int(m[2]), int(m[3])) or text
    m = _UK_DATE.match(text)
    if m:
        return _valid_date(int(m[3]), int(m[2]), int(m[1])) or text
    return text


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def read_datetime(value, date1904: bool = False) -> str | None:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        when = _from_serial(float(value), date1904)
        return when.replace(microsecond=0).isoformat() if when else _plain(value)
    text = str(value).strip()
    m = _ISO_DATETIME.match(text)
    return f"{m[1]}T{m[2]}" if m else text


def _plain(value) -> str:
    if isinstance(value, float):
        integral = _integral(value)
        return integral if integral is not None else repr(value)
    return str(value).strip()


def read_integer(value) -> str:
    """Digits for an integer field: ``1061484016.0`` and ``1.061484016E+09`` become ``1061484016``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _integral(value) or repr(value)
    text = str(value).strip().replace(",", "") if re.fullmatch(r"[\d,]+", str(value).strip()) else str(value).strip()
    if _INTEGER.match(text):
        return str(int(text))
    if _NUMBER.match(text):
        try:
            return _integral(Decimal(text)) or text
        except InvalidOperation:
            return text
    return text


def read_decimal(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    return str(value).strip()


def read_code(value, codes: CodeList | None, width: int | None = None) -> str:
    """A code from ``"31 – English / Welsh ..."``, ``"31"``, ``31`` or ``31.0``; zero-padded only when the list
    has exactly that padded code (DAM ``21`` -> ``021``)."""
    if isinstance(value, float):
        text = _integral(value) or repr(value)
    else:
        text = str(value).strip()
        m = _CODE_LABEL.match(text)
        if m and (codes is None or m[1] in codes or m[1].upper() in codes):
            text = m[1]
    if codes is not None and text not in codes:
        if text.upper() in codes:
            return text.upper()
        if text.isdigit():
            for code in codes.codes:
                if code.code.isdigit() and int(code.code) == int(text) and code.code != text:
                    return code.code
    return text


def read_text(value) -> str:
    if isinstance(value, float):
        return _integral(value) or repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return read_date(value)
    return str(value).strip()


def read_cell(value, field: Field, codes: CodeList | None = None, date1904: bool = False) -> str | None:
    """The ILR text for a cell holding ``value`` in a column of ``field`` (``None`` for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if codes is not None:
        code = read_code(value, codes)
        if field.type in ("int", "long") and _INTEGER.match(code):
            return str(int(code))
        return code
    if field.type == "date":
        return read_date(value, date1904)
    if field.type == "dateTime":
        return read_datetime(value, date1904)
    if field.type in ("int", "long"):
        return read_integer(value)
    if field.type == "decimal":
        return read_decimal(value)
    return read_text(value)
