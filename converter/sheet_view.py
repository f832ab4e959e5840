"""How a sheet is shown in Excel, where it hides data from the clerk: filters and hidden columns.

A row hidden by a filter is unhidden by clearing the filter, not by right-click > Unhide, so the reader
needs to know whether the sheet is filtered. Excel marks a filtered sheet ``<sheetPr filterMode="1">`` at
the top of its part, and a filtered table has ``<filterColumn>`` in its table part; hidden columns are
``<col ... hidden="1">`` entries, also before the cells. Only the head of the sheet part is read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

_HEAD_LIMIT = 1024 * 1024  # <sheetPr> and <cols> come before <sheetData>; a megabyte is far more than enough
_SHEET_PR = re.compile(rb"<(?:\w+:)?sheetPr\b[^>]*\bfilterMode=\"(?:1|true)\"")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_TABLE_REL = re.compile(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?/?>')


@dataclass
class SheetView:
    filtered: bool = False
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based (first, last) ranges

    def column_hidden(self, letter: str) -> bool:
        n = column_number(letter)
        return any(first <= n <= last for first, last in self.hidden_columns)


def column_number(letter: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n


def _head(zf: zipfile.ZipFile, part: str) -> bytes:
    with zf.open(part) as fh:
        data = b""
        while len(data) < _HEAD_LIMIT:
            chunk = fh.read(65536)
            if not chunk:
                break
            data += chunk
            if b"<sheetData" in data or b":sheetData" in data:
                break
    return data.split(b"sheetData", 1)[0]


def _tables_filtered(zf: zipfile.ZipFile, part: str) -> bool:
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    try:
        text = zf.read(rels)
    except KeyError:
        return False
    for m in _TABLE_REL.finditer(text):
        target = m.group(1).decode("utf-8", "replace")
        if "table" not in target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target))
        try:
            if b"filterColumn" in zf.read(path):
                return True
        except KeyError:
            continue
    return False


def sheet_view(zf: zipfile.ZipFile, part: str) -> SheetView:
    """Whether the sheet is filtered, and which columns are hidden."""
    try:
        head = _head(zf, part)
    except KeyError:
        return SheetView()
    view = SheetView(filtered=bool(_SHEET_PR.search(head)))
    for m in _COL.finditer(head):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
            first = int(attrs[b"min"])
            last = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else first
            view.hidden_columns.append((first, last))
    if not view.filtered:
        view.filtered = _tables_filtered(zf, part)
    return view
