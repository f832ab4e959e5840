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
_MIDNIGHT = r"(?:[T ]00:00(?::00(?:\.0+)?)?)?"  # a date exported from another system with its time of day
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _MIDNIGHT + "$")
# a four-digit year first cannot be misread: 2025-09-01, 2025-9-1, 2025/09/01
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _MIDNIGHT + "$|^(\d{4})/(\d{1,2})/(\d{1,2})" + _MIDNIGHT + "$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
# "31 – English / Welsh ..." or "31 - ..." as picked from a dropdown: the code is before the dash
_CODE_LABEL = re.compile(r"^\s*([^\s–—-]+)\s+[–—-]\s+.*$", re.DOTALL)
_LOOKS_LIKE_A_CODE = re.compile(r"^[A-Za-z0-9]{1,5}$")  # every ILR list code is short: 1, 105, ASL, RIP


def _integral(value: float | Decimal) -> str | None:
    try:
        d = Decimal(str(value)) if isinstance(value, float) else value
    except InvalidOperation:
        return None
    if d == d.to_integral_value():
        return _int_text(d)
    return None


def _int_text(value) -> str | None:
    """``str(int(value))``, or None for a number too long for Python to print (thousands of digits): such a
    cell is kept as typed and the field's length check reports it."""
    try:
        return str(int(value))
    except ValueError:
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
        year, month, day = (int(g) for g in m.groups() if g is not None)
        return _valid_date(year, month, day) or text
    m = _UK_DATE.match(text)
    if m:
        return _valid_date(int(m[3]), int(m[2]), int(m[1])) or text
    named = _named_month_date(text)
    return named or text


# British dates with the month in words: "1-Sep-25", "1 Sept 2025", "1st September 2025", "Sep 1, 2025"
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s./-]*([A-Za-z]{3,9})\.?,?[\s./-]*(\d{4}|\d{2})$",
                             re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?[\s./-]*(\d{1,2})(?:st|nd|rd|th)?,?[\s./-]+(\d{4})$", re.IGNORECASE)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def month_number(word: str) -> int | None:
    """1-12 for a month's name or its usual short forms (``Sep``, ``Sept``), else ``None``."""
    w = word.casefold()
    if w == "sept":
        return 9
    for n, name in enumerate(MONTHS, start=1):
        if len(w) >= 3 and name.startswith(w):
            return n
    return None


def _century(yy: int) -> int:
    """A two-digit year as Excel reads one typed with a month name: 00-29 are 2000s, 30-99 are 1900s."""
    return 2000 + yy if yy < 30 else 1900 + yy


def _named_month_date(text: str) -> str | None:
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        day, month, year = int(m[1]), month_number(m[2]), m[3]
    else:
        m = _MONTH_DAY_YEAR.match(text)
        if not m:
            return None
        month, day, year = month_number(m[1]), int(m[2]), m[3]
    if month is None:
        return None
    return _valid_date(_century(int(year)) if len(year) == 2 else int(year), month, day)


_NUMERIC_SHORT_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")


def date_trouble(text) -> str:
    """Why a typed value is not read as a date, said so the clerk can act: ``, which ...``."""
    t = str(text).strip()
    m = _NUMERIC_SHORT_YEAR.match(t)
    if m:
        return ", which has a two-digit year, so the century (even whether the year is first) is not certain"
    m = _UK_DATE.match(t)
    if m:
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if second > 12 and 1 <= first <= 12 and _valid_date(year, first, second):
            return (f", which has the month first (American order); in the UK the day comes first. If you meant "
                    f"{second} {MONTHS[first - 1].title()} {year}, type {second:02d}/{first:02d}/{year}")
        if 1 <= second <= 12 and first > 28:
            return f", which is not a date: {MONTHS[second - 1].title()} {year} has no day {first}"
        return ", which is not a real date (the day comes first, then the month from 1 to 12)"
    if re.match(r"^\d{4}([-/])\d{1,2}\1\d{1,2}$", t):
        return ", which is not a real date (read as year-month-day, there is no such month or day)"
    for pattern, word in ((_DAY_MONTH_YEAR, 2), (_MONTH_DAY_YEAR, 1)):
        m = pattern.match(t)
        if m:
            if month_number(m[word]) is None:
                return f", which has a month name, \"{m[word]}\", that is not a month"
            return ", which is not a real date (that month has no such day)"
    return ", which is not a date ilrkit can read"


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
    if m:
        return f"{m[1]}T{m[2]}"
    m = _UK_DATETIME.match(text)
    if m:
        day = _valid_date(int(m[3]), int(m[2]), int(m[1]))
        if day and int(m[4]) < 24 and int(m[5]) < 60 and int(m[6] or 0) < 60:
            return f"{day}T{int(m[4]):02d}:{m[5]}:{m[6] or '00'}"
    return text


_UK_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


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
        return _int_text(text) or text
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
        # a code-list column holding "CODE – label" was picked from a dropdown, even when the code is not on
        # this list (last year's dropdown, a withdrawn code): judged by its code, the rules say what is wrong
        if m and (codes is None or m[1] in codes or m[1].upper() in codes or _LOOKS_LIKE_A_CODE.match(m[1])):
            text = m[1]
    if codes is not None and text not in codes:
        if text.upper() in codes:
            return text.upper()
        if text.isascii() and text.isdigit():  # compared as digits: int() of a huge or non-ASCII "digit" fails
            for code in codes.codes:
                if code.code.isdigit() and code.code.lstrip("0") == text.lstrip("0") and code.code != text:
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
            return _int_text(code) or code
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


_STR_OR_NONE = frozenset({str, type(None)})


def read_cells(values, field: Field, codes: CodeList | None = None, date1904: bool = False) -> list[str | None]:
    """``read_cell`` of each of ``values`` (a column's distinct cells, so most are read once in a workbook)."""
    if codes is None and field.type in ("string", "restricted") and set(map(type, values)) <= _STR_OR_NONE:
        # what read_cell makes of text typed in a free-text column, without its type tests for each of
        # thousands of names and addresses
        return [None if value is None else value.strip() or None for value in values]
    return [read_cell(value, field, codes, date1904) for value in values]
