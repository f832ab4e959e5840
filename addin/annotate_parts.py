"""The annotated copy made by changing only the workbook's parts that change.

Same result as ``ilrkit.addin.annotate.apply_plan`` through openpyxl (tests compare the two cell by cell),
without loading every cell of a large return into objects and saving them all again: flagged cells get a
copy of their format with our fill, notes are appended to the sheet's comments and drawing, and the errors
sheet and the hidden record of marks are added as new parts. Anything unusual raises ``Unsupported`` and
the caller uses openpyxl instead.
"""

from __future__ import annotations

import bisect
import re

from lxml import etree

from ilrkit.addin import marks as M
from ilrkit.addin.cells import cell as a1, col_index, parse_cell, quote_sheet, range_cells
from ilrkit.addin.plan import COLOURS, ERRORS_HEADER, ERRORS_SHEET, MARKS_SHEET, HighlightPlan
from ilrkit.addin.xlsx_parts import (
    CT_WORKSHEET, DOC_REL, MAIN, REL_WORKSHEET, Package, Rels, SheetNotes, Styles, Unsupported, max_shape_id,
    parse, q, serialise, text_attr, text_node,
)

AUTHOR = "ilrkit"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_TAB_SELECTED = re.compile(rb'(<sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"')
ERRORS_WIDTHS = (10, 16, 14, 6, 20, 100)
BOLD_FONT = '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
LINK_FONT = '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font>'


_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(/?)>')
_COL = re.compile(rb"<col\b[^>]*>")
_ATTR = re.compile(rb'([\w:.-]+)="([^"]*)"')
_NS_DECL = re.compile(rb'\sxmlns(?::[\w.-]+)?="[^"]*"')
_AFTER_LEGACY_TAGS = tuple(b"<" + t.encode() for t in ("legacyDrawingHF", "drawingHF", "picture", "oleObjects",
                                                         "controls", "webPublishItems", "tableParts", "extLst"))


class SheetCells:
    """A worksheet's cells by (row, column), read and changed row by row in the part's bytes.

    Only the rows that change are parsed; the rest of a large sheet is copied as it is. Rows and cells
    that do not exist yet are created in order.
    """

    def __init__(self, data: bytes):
        i = data.find(b"<sheetData")
        if i < 0:
            raise Unsupported("worksheet without sheetData (or with a namespace prefix)")
        j = data.index(b">", i) + 1
        self.head = data[:i]
        if data[j - 2:j] == b"/>":
            self.open, self.body, self.tail = b"<sheetData>", b"", b"</sheetData>" + data[j:]
        else:
            k = data.rindex(b"</sheetData>")
            self.open, self.body, self.tail = data[i:j], data[j:k], data[k:]
        root_tag = re.search(rb"<worksheet\b[^>]*>", self.head)
        if root_tag is None:
            raise Unsupported("no worksheet element")
        self.ns_decls = b" ".join(m.group(0).strip() for m in _NS_DECL.finditer(root_tag.group(0)))
        self.starts: dict[int, tuple[int, int, bool]] = {}  # row -> (start, end of start tag, self-closing)
        numbers = []
        for m in _ROW.finditer(self.body):
            r = int(m.group(1))
            numbers.append(r)
            self.starts[r] = (m.start(), m.end(), bool(m.group(2)))
        if numbers != sorted(set(numbers)) or len(numbers) != self.body.count(b"<row"):
            raise Unsupported("rows without numbers or out of order")
        self.numbers = numbers
        self.rows: dict[int, etree._Element] = {}  # the rows that change, parsed (or new)
        self._cells: dict[int, dict[int, etree._Element]] = {}
        self.column_styles = []
        for col in _COL.findall(self.head):
            attrs = dict(_ATTR.findall(col))
            if b"style" in attrs:
                self.column_styles.append((int(attrs[b"min"]), int(attrs[b"max"]), attrs[b"style"].decode()))
        self.drawing_rid: str | None = None

    def _row_end(self, r: int) -> int:
        start, tag_end, closed = self.starts[r]
        return tag_end if closed else self.body.index(b"</row>", tag_end) + len(b"</row>")

    def _row(self, r: int) -> etree._Element | None:
        if r not in self.rows and r in self.starts:
            start = self.starts[r][0]
            wrapped = b"<w " + self.ns_decls + b">" + self.body[start:self._row_end(r)] + b"</w>"
            self.rows[r] = parse(wrapped)[0]
        return self.rows.get(r)

    def _row_cells(self, r: int) -> dict[int, etree._Element]:
        if r not in self._cells:
            found = {}
            row = self._row(r)
            for c in row if row is not None else ():
                m = _CELL_REF.match(c.get("r") or "")
                if not m:
                    raise Unsupported("cell without an address")
                found[col_index(m[1])] = c
            self._cells[r] = found
        return self._cells[r]

    def get(self, r: int, c: int) -> etree._Element | None:
        return self._row_cells(r).get(c)

    def make(self, r: int, c: int) -> etree._Element:
        row = self._row(r)
        if row is None:
            row = self.rows[r] = etree.Element(q("row"), nsmap={None: MAIN}, r=str(r))
        row.attrib.pop("spans", None)  # only a hint, and a new cell may fall outside it
        cells = self._row_cells(r)
        element = etree.Element(q("c"), nsmap={None: MAIN}, r=a1(r, c))
        later = [col for col in cells if col > c]
        if later:
            cells[min(later)].addprevious(element)
        else:
            row.append(element)
        cells[c] = element
        return element

    def column_style(self, c: int) -> str | None:
        return next((style for lo, hi, style in self.column_styles if lo <= c <= hi), None)

    def to_bytes(self) -> bytes:
        edits = []
        for r, row in self.rows.items():
            xml = etree.tostring(row)
            tag_end = xml.index(b">")
            xml = _NS_DECL.sub(b"", xml[:tag_end]) + xml[tag_end:]  # the worksheet declares them already
            if r in self.starts:
                edits.append((self.starts[r][0], self._row_end(r), xml))
            else:
                at = bisect.bisect(self.numbers, r)
                offset = self.starts[self.numbers[at]][0] if at < len(self.numbers) else len(self.body)
                edits.append((offset, offset, xml))
        pieces, done = [], 0
        for start, end, xml in sorted(edits, key=lambda e: (e[0], e[1])):
            pieces += [self.body[done:start], xml]
            done = end
        pieces.append(self.body[done:])
        tail = self.tail
        if self.drawing_rid:
            element = f'<legacyDrawing xmlns:r="{DOC_REL}" r:id="{self.drawing_rid}"/>'.encode()
            at = min([i for i in (tail.find(t) for t in _AFTER_LEGACY_TAGS) if i >= 0] + [tail.rindex(b"</worksheet>")])
            tail = tail[:at] + element + tail[at:]
        return _unselect(self.head) + self.open + b"".join(pieces) + tail


def _has_value(element: etree._Element) -> bool:
    return element.find(q("v")) is not None or element.find(q("is")) is not None or element.find(q("f")) is not None


class Workbook:
    """The package's workbook part, its sheets and their parts."""

    def __init__(self, package: Package):
        self.package = package
        root_rels = Rels(package, "")
        self.name = root_rels.target("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                                     "officeDocument")
        if not self.name or self.name not in package:
            raise Unsupported("no workbook part")
        if any(name.lower().endswith("vbaproject.bin") for name in package.parts):
            raise Unsupported("macro-enabled workbook")
        self.root = parse(package.read(self.name))
        self.rels = Rels(package, self.name)
        by_id = {rid: (kind, path) for rid, kind, path in self.rels.items()}
        self.sheets = self.root.find(q("sheets"))
        self.parts: dict[str, str] = {}
        for sheet in self.sheets:
            kind, path = by_id.get(sheet.get(f"{{{DOC_REL}}}id"), (None, None))
            if kind != REL_WORKSHEET or path not in package:
                raise Unsupported("a sheet that is not a worksheet")
            self.parts[sheet.get("name")] = path
        styles = [path for _, kind, path in self.rels.items() if kind.endswith("/styles")]
        if not styles:
            raise Unsupported("no styles part")
        self.styles = Styles(package, styles[0])

    def add_sheet(self, name: str, xml: bytes, *, first: bool = False, hidden: bool = False) -> None:
        part = self.package.free_name("xl/worksheets/sheet%d.xml")
        self.package.write(part, xml)
        self.package.add_override(part, CT_WORKSHEET)
        rid = self.rels.add(REL_WORKSHEET, part)
        sheet_id = max(int(s.get("sheetId", 0)) for s in self.sheets) + 1
        element = etree.Element(q("sheet"), name=name, sheetId=str(sheet_id))
        if hidden:
            element.set("state", "hidden")
        element.set(f"{{{DOC_REL}}}id", rid)
        if first:
            self.sheets.insert(0, element)
            for defined in self.root.iter(q("definedName")):
                if defined.get("localSheetId") is not None:
                    defined.set("localSheetId", str(int(defined.get("localSheetId")) + 1))
        else:
            self.sheets.append(element)
        self.parts[name] = part

    def define_local(self, name: str, sheet_index: int, formula: str) -> None:
        names = self.root.find(q("definedNames"))
        if names is None:
            names = etree.Element(q("definedNames"))
            anchor = self.sheets
            for tag in ("functionGroups", "externalReferences"):
                found = self.root.find(q(tag))
                anchor = found if found is not None else anchor
            anchor.addnext(names)
        element = etree.SubElement(names, q("definedName"), name=name, localSheetId=str(sheet_index), hidden="1")
        element.text = formula

    def activate_first(self) -> None:
        for view in self.root.iterfind(f"{q('bookViews')}/{q('workbookView')}"):
            view.set("activeTab", "0")
            if view.get("firstSheet") is not None:
                view.set("firstSheet", "0")

    def save(self) -> None:
        self.rels.save()
        self.styles.save()
        self.package.write(self.name, serialise(self.root))


def _unselect(data: bytes) -> bytes:
    """The worksheet with no tab selected (only the errors sheet is, as openpyxl's path leaves it)."""
    head_end = data.find(b"<sheetData")
    head_end = len(data) if head_end < 0 else head_end
    return _TAB_SELECTED.sub(rb"\1", data[:head_end], count=1) + data[head_end:]


def _note_size(text: str) -> tuple[int, int]:
    from ilrkit.addin.annotate import _note_size as size

    return size(text)


def _inline(ref: str, value, style: int | None = None) -> str:
    if value is None or value == "":
        return ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text_node(value)}</t></is></c>'


def _rows_xml(grid: list[list], styles: dict[tuple[int, int], int] | None = None) -> str:
    styles = styles or {}
    out = []
    for r, values in enumerate(grid, start=1):
        cells = "".join(_inline(a1(r, c), v, styles.get((r, c))) for c, v in enumerate(values, start=1))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _errors_sheet_xml(plan: HighlightPlan, bold: int, link: int) -> tuple[bytes, int]:
    grid: list[list] = [list(ERRORS_HEADER)]
    styles = {(1, c): bold for c in range(1, len(ERRORS_HEADER) + 1)}
    links = []
    for i, row in enumerate(plan.rows, start=2):
        grid.append(row.values())
        if row.target:
            styles[(i, 5)] = link
            links.append(f'<hyperlink ref="E{i}" location={text_attr(row.target)} display={text_attr(row.place)}/>')
    if not plan.rows:
        grid.append(["", "", "", "", "", plan.summary])
    last = max(2, len(plan.rows) + 1)
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(ERRORS_WIDTHS, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
           f'xmlns:r="{DOC_REL}"><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{_rows_xml(grid, styles)}'
           f'</sheetData><autoFilter ref="A1:F{last}"/>'
           + (f'<hyperlinks>{"".join(links)}</hyperlinks>' if links else "") + "</worksheet>")
    return xml.encode("utf-8"), last


def _marks_sheet_xml(marks: list[M.Mark]) -> bytes:
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
           f'xmlns:r="{DOC_REL}"><sheetData>{_rows_xml(M.to_grid(marks))}</sheetData></worksheet>')
    return xml.encode("utf-8")


def _style_of(element: etree._Element | None) -> int:
    return int(element.get("s", 0)) if element is not None else 0


def _fill_sheet(cells: SheetCells, styles: Styles, sheet: str, by_severity: dict, marks: list[M.Mark]) -> None:
    for severity, ranges in by_severity.items():
        colour = COLOURS[severity]
        for rng in ranges:
            before = {(r, c): styles.fill_text(_style_of(cells.get(r, c))) for r, c in range_cells(rng)}
            if len(set(before.values())) == 1:
                marks.append(M.Mark(M.FILL, sheet, rng, next(iter(before.values()))))
            else:  # the user coloured some of these cells: remember each one
                marks += [M.Mark(M.FILL, sheet, a1(r, c), prev) for (r, c), prev in before.items()]
            for r, c in before:
                element = cells.get(r, c)
                if element is None:
                    element = cells.make(r, c)
                if element.get("s") is None and not _has_value(element):
                    # a blank cell takes its column's format (text, date) before colouring, as in Excel
                    column_style = cells.column_style(c)
                    if column_style is not None:
                        element.set("s", column_style)
                element.set("s", str(styles.with_fill(_style_of(element), colour)))


def patch(data: bytes, plan_for) -> tuple[bytes, list[M.Mark]]:
    """The annotated copy of the workbook ``data`` (bytes of an .xlsx), and the marks recorded in it.

    ``plan_for(sheet_names)`` gives the ``HighlightPlan`` for the workbook's sheets (or pass a plan).
    """
    package = Package(data)
    book = Workbook(package)
    if ERRORS_SHEET in book.parts or MARKS_SHEET in book.parts:
        raise Unsupported("already annotated")
    plan = plan_for(list(book.parts)) if callable(plan_for) else plan_for
    marks: list[M.Mark] = []
    touched = set(plan.fills) | {note.sheet for note in plan.notes}
    if touched - set(book.parts):
        raise Unsupported("the plan names a sheet the workbook does not have")
    cells = {name: SheetCells(package.read(book.parts[name])) for name in book.parts if name in touched}
    for sheet, by_severity in plan.fills.items():
        _fill_sheet(cells[sheet], book.styles, sheet, by_severity, marks)
    next_shape = max_shape_id(package) + 1
    notes: dict[str, SheetNotes] = {}
    for note in plan.notes:
        if note.sheet not in notes:
            notes[note.sheet] = SheetNotes(package, Rels(package, book.parts[note.sheet]), AUTHOR)
        sheet_notes = notes[note.sheet]
        if sheet_notes.has(note.cell):
            continue  # never replace the user's own note; the finding is on the errors sheet
        r, c = parse_cell(note.cell)
        sheet_notes.add(note.cell, r, c, note.text, _note_size(note.text), next_shape)
        next_shape += 1
        marks.append(M.Mark(M.NOTE, note.sheet, note.cell))
    for sheet, sheet_notes in notes.items():
        rid = sheet_notes.save()
        if rid:
            if b"<legacyDrawing" in cells[sheet].tail:
                raise Unsupported("sheet has a note drawing but no comments")
            cells[sheet].drawing_rid = rid
            sheet_notes.rels.save()
    for name, part in book.parts.items():
        package.write(part, cells[name].to_bytes() if name in cells else _unselect(package.read(part)))
    bold = book.styles.font_format(BOLD_FONT)
    link = book.styles.font_format(LINK_FONT)
    errors_xml, last = _errors_sheet_xml(plan, bold, link)
    book.add_sheet(ERRORS_SHEET, errors_xml, first=True)
    book.define_local("_xlnm._FilterDatabase", 0, f"{quote_sheet(ERRORS_SHEET)}!$A$1:$F${last}")
    book.add_sheet(MARKS_SHEET, _marks_sheet_xml(marks), hidden=True)
    book.activate_first()
    book.save()
    return package.to_bytes(), marks


__all__ = ["patch", "Unsupported"]
