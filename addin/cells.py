"""A1 addresses: column letters, cell keys, and grouping flagged cells into as few rectangles as possible.

Excel is slow when it is asked to colour thousands of single cells one at a time, so adjacent cells are
merged into ranges before any renderer touches the workbook.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=4096)
def col_index(letters: str) -> int:
    """``A`` -> 1, ``AA`` -> 27 (1-based, as Excel counts)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@lru_cache(maxsize=4096)
def col_letters(index: int) -> str:
    """1 -> ``A``, 27 -> ``AA``."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


def parse_cell(address: str) -> tuple[int, int]:
    """``$F$12`` or ``F12`` -> (12, 6). Raises ValueError for anything else."""
    m = _A1.match(address.strip())
    if not m:
        raise ValueError(f"not a cell address: {address!r}")
    return int(m[2]), col_index(m[1])


def parse_range(address: str) -> tuple[int, int, int, int]:
    """``B2:C5`` -> (first row, first col, last row, last col); a single cell is a 1x1 range."""
    first, _, last = address.partition(":")
    r1, c1 = parse_cell(first)
    r2, c2 = parse_cell(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_cells(address: str) -> Iterable[tuple[int, int]]:
    r1, c1, r2, c2 = parse_range(address)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield r, c


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a formula or link: ``'ILR errors'`` (quotes doubled inside)."""
    return "'" + name.replace("'", "''") + "'"


def group_cells(cells: Iterable[tuple[int, int]]) -> list[str]:
    """Merge (row, col) cells into rectangles: runs down each column, then equal runs side by side.

    Findings usually hit one column over many rows (a column typed wrongly) or several columns of one
    row, and both shapes collapse to a single range this way. Ranges come back sorted by row, column.
    """
    by_col: dict[int, list[int]] = defaultdict(list)
    for r, c in set(cells):
        by_col[c].append(r)
    runs: dict[tuple[int, int], list[int]] = defaultdict(list)  # (first row, last row) -> columns
    for c, rows in by_col.items():
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                runs[(start, prev)].append(c)
                start = r
            prev = r
        runs[(start, prev)].append(c)
    rects: list[tuple[int, int, int, int]] = []
    for (r1, r2), cols in runs.items():
        cols.sort()
        start = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                rects.append((r1, start, r2, prev))
                start = c
            prev = c
        rects.append((r1, start, r2, prev))
    rects.sort()
    return [cell(r1, c1) if (r1, c1) == (r2, c2) else f"{cell(r1, c1)}:{cell(r2, c2)}"
            for r1, c1, r2, c2 in rects]
