"""The workbook's Contracts sheet: the provider's own funding contract allocations, read as reference data.

Columns are those of the reference set ``Contracts`` (docs/refdata.md); every value becomes text as a contracts
CSV would give it: dates as ``YYYY-MM-DD``, whole numbers without a decimal point.
"""

from __future__ import annotations

import datetime as dt
import re

CONTRACT_COLUMNS = ("ContractAllocationNumber", "FundingStreamPeriodCode", "DeliveryUKPRN", "StartDate", "EndDate",
                    "StopNewStartsFromDate")
REQUIRED = CONTRACT_COLUMNS[:5]
DATE_COLUMNS = ("StartDate", "EndDate", "StopNewStartsFromDate")
HELP = ("Optional. One row per funding contract allocation your organisation holds this year (from your "
        "contract or the funding agency's contract service): the allocation number, the funding stream period "
        "code (for example ASFC-ASCL2526, APPS2526), your UKPRN, the start and end dates and any date new starts "
        "stop. ilrkit checks your aims against them, as the agency does. Leave the sheet empty to skip those "
        "checks.")


def _norm(text) -> str:
    from ilrkit.templates.layout import header_code

    return re.sub(r"[\s_\-]", "", header_code(str(text))).casefold()


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_contracts_grid(grid: list[list]) -> tuple[list[dict], str | None]:
    """(rows, None), or ([], why the sheet cannot be read)."""
    rows = [r for r in grid if any(_text(c) for c in r)]
    if not rows:
        return [], None
    by_norm = {c.casefold(): c for c in CONTRACT_COLUMNS}
    names = [by_norm.get(_norm(h)) if h is not None else None for h in rows[0]]
    missing = [c for c in REQUIRED if c not in names]
    if len(rows) > 1 and missing:
        return [], f"its first row must hold the column headings; '{missing[0]}' is missing."
    out = []
    for row in rows[1:]:
        record = {c: None for c in CONTRACT_COLUMNS}
        for name, value in zip(names, row):
            if name:
                text = _text(value)
                if name in DATE_COLUMNS and text and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", text):
                    text = text[:10]
                record[name] = text
        out.append(record)
    return out, None
