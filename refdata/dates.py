"""Dates in reference tables are kept as published text; rules parse them with ``ref_date``."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")


@lru_cache(maxsize=65536)
def ref_date(text: str | None) -> dt.date | None:
    """``2025-08-01``, ``2025-08-01 00:00:00`` or ``01/08/2025`` as a date; ``None`` for a blank or junk."""
    if text is None:
        return None
    value = str(text).strip()
    if not value:
        return None
    try:
        m = _ISO.fullmatch(value)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _UK.fullmatch(value)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None
