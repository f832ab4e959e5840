"""How each column looks and what kind of value it holds: cell formats, widths and value kinds.

The kind decides the cell format, the validation, the note and how a value is written:

- ``code``: a coded value (dropdown), written as ``Code.display`` text;
- ``date``: a real Excel date shown as dd/mm/yyyy;
- ``number``: a whole number that is a quantity (hours, amounts, sequence numbers);
- ``text``: everything else, including identifiers that are numbers in the schema (ULN, UKPRN, employer
  id), so that Excel never drops leading zeros or shows them as 1.06E+09, and decimals, kept exactly.
"""

from __future__ import annotations

import math

from ilrkit.schemas import CodeList, Field, Spec
from ilrkit.templates.layout import Column

DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
NUMBER_FORMAT = "0"

# Integer fields that identify something rather than count it: kept as text.
IDENTIFIER_FIELDS = frozenset({"ULN", "UKPRN", "PrevUKPRN", "PMUKPRN", "PartnerUKPRN", "EmpId",
                               "WorkPlaceEmpId", "StdCode"})

MIN_WIDTH, MAX_WIDTH = 10, 45


def column_codes(spec: Spec, column: Column) -> CodeList | None:
    return spec.codelist(column.codelist_key)


def value_kind(field: Field, codes: CodeList | None) -> str:
    if codes is not None:
        return "code"
    if field.type == "date":
        return "date"
    if field.type in ("int", "long") and field.name not in IDENTIFIER_FIELDS:
        return "number"
    return "text"  # strings, identifiers, decimals (exactly as given) and date-times (ISO text)


class Formats:
    """The workbook's cell formats, made once per workbook (xlsxwriter formats belong to one workbook)."""

    def __init__(self, workbook):
        add = workbook.add_format
        self.header = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.by_kind = {
            "code": add({"num_format": TEXT_FORMAT}),
            "text": add({"num_format": TEXT_FORMAT}),
            "date": add({"num_format": DATE_FORMAT}),
            "number": add({"num_format": NUMBER_FORMAT}),
        }
        self.provider_label = add({"text_wrap": True, "valign": "top"})
        self.provider_value = add({"num_format": TEXT_FORMAT, "locked": False, "valign": "top"})
        self.provider_date = add({"num_format": DATE_FORMAT, "locked": False, "valign": "top"})
        self.provider_fixed = add({"num_format": TEXT_FORMAT, "locked": True, "bg_color": "#D9D9D9",
                                   "valign": "top"})
        self.provider_help = add({"text_wrap": True, "valign": "top", "font_color": "#404040"})

    def of(self, kind: str):
        return self.by_kind[kind]


def column_width(column: Column, kind: str, codes: CodeList | None) -> float:
    """Wide enough for a typical value and for the header wrapped over about three lines."""
    if kind == "code" and codes is not None and codes.codes:
        content = min(max(len(c.display) for c in codes.codes), 40)
    elif kind == "date":
        content = 11
    else:
        content = column.field.longest or 12
    header = column.header
    longest_word = max((len(w) for w in header.split()), default=0)
    width = max(content + 2, longest_word + 2, math.ceil(len(header) / 3) + 2)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, width)))
