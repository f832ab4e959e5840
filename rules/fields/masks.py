"""Vectorised tests of ILR text columns (object Series of ``str``), shared by the field checks.

Every function takes the column as read (text exactly as in XML) and returns a boolean Series on the
same index; none of them raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_INT = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"


def text(s: pd.Series) -> pd.Series:
    """The column as text: a table built by hand may hold numbers."""
    if s.dtype == object and all(isinstance(v, str) for v in s.head(50) if v is not None):
        return s
    values = [v if isinstance(v, str) else None if v is None or pd.isna(v) else str(v) for v in s.tolist()]
    return pd.Series(values, index=s.index, dtype=object)


def col(df: pd.DataFrame, name: str) -> pd.Series:
    """A column of a prepared table; columns with no value at all are left out of it (see ``prepare``)."""
    if name in df.columns:
        return df[name]
    return pd.Series(None, index=df.index, dtype=object)


def each_value(s: pd.Series, test) -> pd.Series:
    """``test`` of each value's text (``None`` when blank), for columns whose values rarely repeat (where
    ``matches``' one test per distinct value costs more than it saves)."""
    values = text(s).tolist()
    return pd.Series(np.fromiter((bool(test(v)) for v in values), dtype=bool, count=len(values)), index=s.index)


def longer_than(s: pd.Series, n: int) -> pd.Series:
    """Values of more than ``n`` characters (never a blank): as ``text(s).str.len() > n``, about three times
    faster (no per-value missing-value test; the length checks run on every text column of the file)."""
    values = text(s).tolist()
    return pd.Series(np.fromiter(((len(v) > n) if type(v) is str else _sized_over(v, n) for v in values),
                                 dtype=bool, count=len(values)), index=s.index)


def _sized_over(value, n: int) -> bool:
    """As pandas' ``.str.len() > n`` for a value that is not text (a blank, or a number past the rows
    ``text`` samples): its length if it has one, else no."""
    try:
        return value is not None and value == value and len(value) > n
    except TypeError:
        return False


def matches(s: pd.Series, pattern: str) -> pd.Series:
    # codes, dates and numbers repeat down a column: each distinct value is matched once
    codes, uniques = pd.factorize(text(s), use_na_sentinel=True)
    regex = re.compile(pattern)
    found = np.array([regex.fullmatch(u) is not None for u in uniques] + [False], dtype=bool)
    return pd.Series(found[codes], index=s.index)


def matches_all(s: pd.Series, patterns: list[str]) -> pd.Series:
    """Values that fully match every one of ``patterns`` (a blank matches none; with no patterns, all do):
    ``matches`` of each pattern and-ed together, with the column factorized once."""
    codes, uniques = pd.factorize(text(s), use_na_sentinel=True)
    regexes = [re.compile(p) for p in patterns]
    found = np.array([all(r.fullmatch(u) is not None for r in regexes) for u in uniques] + [not regexes],
                     dtype=bool)
    return pd.Series(found[codes], index=s.index)


def is_int(s: pd.Series) -> pd.Series:
    return matches(s, _INT)


def is_decimal(s: pd.Series, fraction_digits: int | None = None) -> pd.Series:
    ok = matches(s, _DECIMAL)
    if fraction_digits is not None:
        fraction = text(s).str.extract(r"\.([0-9]*)$", expand=False).fillna("").str.rstrip("0")
        ok &= fraction.str.len() <= fraction_digits
    return ok


def numbers(s: pd.Series, decimal: bool = False) -> pd.Series:
    """The numeric value of each well-formed number (NaN elsewhere)."""
    ok = is_decimal(s) if decimal else is_int(s)
    return pd.to_numeric(text(s).where(ok), errors="coerce")


def int_text(s: pd.Series) -> pd.Series:
    """Integers written the canonical way (``"031"`` -> ``"31"``, ``"+5"`` -> ``"5"``); other values unchanged."""
    t = text(s)
    odd = matches(t, r"[+-][0-9]+|0[0-9]+")
    if not odd.any():
        return t
    return t.where(~odd, t[odd].map(_canonical_int))


def _canonical_int(value: str) -> str:
    """``str(int(value))`` done on the text, so that a number thousands of digits long (which int() refuses)
    is no different."""
    digits = value.lstrip("+-").lstrip("0") or "0"
    return "-" + digits if value.startswith("-") and digits != "0" else digits


def _calendar_ok(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date(s: pd.Series) -> pd.Series:
    """Well-formed ISO dates (``2025-09-01``) that exist in the calendar."""
    t = text(s)
    ok = matches(t, _DATE)
    if ok.any():
        parsed = pd.to_datetime(t[ok], format="%Y-%m-%d", errors="coerce")
        odd = parsed.isna()
        good = parsed.notna()
        if odd.any():  # years outside pandas' range, or not a real day
            good[odd] = t[ok][odd].map(_calendar_ok).to_numpy(dtype=bool)
        ok[ok] = good.to_numpy(dtype=bool)
    return ok


def is_datetime(s: pd.Series) -> pd.Series:
    t = text(s)
    ok = matches(t, _DATETIME)
    if ok.any():
        ok[ok] = t[ok].str[:10].map(_calendar_ok).to_numpy(dtype=bool)
    return ok


def dates_after(s: pd.Series, limit: str | pd.Series) -> pd.Series:
    """Valid dates later than ``limit`` (ISO text, or a column of it): ISO dates compare as text."""
    return is_date(s) & (text(s) > limit)


def dates_before(s: pd.Series, limit: str) -> pd.Series:
    return is_date(s) & (text(s) < limit)


def bad_characters(value: str | None, allowed: str) -> str:
    """The distinct characters of ``value`` outside the character class ``allowed``, in order."""
    if not value:
        return ""
    single = re.compile(allowed)
    seen: list[str] = []
    for ch in value:
        if not single.fullmatch(ch) and ch not in seen:
            seen.append(ch)
    return " ".join(_show(c) for c in seen)


def _show(ch: str) -> str:
    names = {" ": "space", "\t": "tab", "\n": "line break", "\r": "line break", "\u00a0": "non-breaking space"}
    if ch not in names and (ord(ch) < 32 or ch in "\ufffe\uffff"):  # invisible: name it by its code
        return f"control character U+{ord(ch):04X}"
    return names.get(ch, ch)
