"""The parts of an .xlsx package, read and written directly: the zip, its relationships and content types,
the style sheet's fills and cell formats, and comments with their VML shapes.

The annotated copy of a large workbook only colours a few hundred cells and adds two sheets; loading the
whole workbook into openpyxl's object model and saving it again costs tens of seconds on a big return.
These helpers let ``ilrkit.addin.annotate_parts`` change just the parts that change.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = DOC_REL + "/worksheet"
REL_COMMENTS = DOC_REL + "/comments"
REL_VML = DOC_REL + "/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
# characters XML 1.0 cannot hold; learner text is stripped of them as openpyxl would refuse them
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Unsupported(Exception):
    """The workbook has something these helpers do not handle; the caller falls back to openpyxl."""


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_text(value) -> str:
    return _ILLEGAL.sub("", "" if value is None else str(value))


def text_attr(value) -> str:
    return quoteattr(clean_text(value))


def text_node(value) -> str:
    return escape(clean_text(value))


class Package:
    """The zip's parts by name, in their original order; new parts are appended."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.parts: dict[str, bytes] = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise Unsupported(f"not a readable zip ({exc.__class__.__name__})") from None
        self.content_types = parse(self.parts["[Content_Types].xml"])

    def __contains__(self, name: str) -> bool:
        return name in self.parts

    def read(self, name: str) -> bytes:
        return self.parts[name]

    def write(self, name: str, data: bytes) -> None:
        self.parts[name] = data

    def free_name(self, pattern: str) -> str:
        """The first ``pattern % n`` (n = 1, 2, ...) no part has yet."""
        n = 1
        while pattern % n in self.parts:
            n += 1
        return pattern % n

    def add_override(self, name: str, content_type: str) -> None:
        etree.SubElement(self.content_types, q("Override", CT), PartName="/" + name, ContentType=content_type)

    def ensure_default(self, extension: str, content_type: str) -> None:
        if not any(d.get("Extension", "").lower() == extension for d in self.content_types.iter(q("Default", CT))):
            element = etree.Element(q("Default", CT), Extension=extension, ContentType=content_type)
            self.content_types.insert(0, element)

    def to_bytes(self) -> bytes:
        self.parts["[Content_Types].xml"] = serialise(self.content_types)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, data in self.parts.items():
                zf.writestr(name, data)
        return out.getvalue()


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


class Rels:
    """A part's relationships file (created when the part has none)."""

    def __init__(self, package: Package, part: str):
        self.package, self.part, self.name = package, part, rels_name(part)
        data = package.parts.get(self.name)
        self.root = parse(data) if data else etree.Element(q("Relationships", PKG_REL), nsmap={None: PKG_REL})

    def items(self) -> list[tuple[str, str, str]]:
        """(Id, Type, resolved part name) of each internal relationship."""
        base = posixpath.dirname(self.part)
        out = []
        for rel in self.root.iter(q("Relationship", PKG_REL)):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out.append((rel.get("Id"), rel.get("Type"), path))
        return out

    def target(self, rel_type: str) -> str | None:
        return next((path for _, t, path in self.items() if t == rel_type), None)

    def add(self, rel_type: str, part: str) -> str:
        ids = {rel.get("Id") for rel in self.root.iter(q("Relationship", PKG_REL))}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        target = posixpath.relpath(part, posixpath.dirname(self.part))
        etree.SubElement(self.root, q("Relationship", PKG_REL), Id=rid, Type=rel_type, Target=target)
        return rid

    def save(self) -> None:
        self.package.write(self.name, serialise(self.root))


class Styles:
    """The style sheet's fills and cell formats: what fill a cell has, and a format like it with another."""

    def __init__(self, package: Package, name: str):
        self.package, self.name = package, name
        self.root = parse(package.read(name))
        self.fills = self._section("fills")
        self.fonts = self._section("fonts")
        self.xfs = self._section("cellXfs")
        self.fill_list = list(self.fills)
        self.xf_list = list(self.xfs)
        self._fill_ids: dict[str, int] = {}
        self._with_fill: dict[tuple[int, str], int] = {}

    def _section(self, tag: str) -> etree._Element:
        element = self.root.find(q(tag))
        if element is None:
            raise Unsupported(f"styles without {tag}")
        return element

    def _xf(self, index: int) -> etree._Element:
        return self.xf_list[index] if 0 <= index < len(self.xf_list) else self.xf_list[0]

    def fill_text(self, index: int) -> str:
        """The fill of cell format ``index`` in the marks' notation (as ``annotate._fill_text`` gives it)."""
        fill_id = int(self._xf(index).get("fillId", 0))
        if not 0 <= fill_id < len(self.fill_list):
            return ""
        pattern = self.fill_list[fill_id].find(q("patternFill"))
        if pattern is None:
            raise Unsupported("gradient fill")
        if pattern.get("patternType") in (None, "none"):
            return ""
        colour = pattern.find(q("fgColor"))
        if colour is None:
            return "#000000"  # openpyxl's default colour
        if colour.get("theme") is not None:
            tint = float(colour.get("tint", 0))
            return f"theme:{int(colour.get('theme'))}:{tint or 0}"
        if colour.get("indexed") is not None:
            from openpyxl.styles.colors import COLOR_INDEX

            index = int(colour.get("indexed"))
            return f"#{COLOR_INDEX[index][-6:]}" if index < len(COLOR_INDEX) else ""
        rgb = colour.get("rgb")
        return f"#{rgb[-6:]}" if rgb else ""

    def _fill_id(self, colour: str) -> int:
        if colour not in self._fill_ids:
            rgb = "FF" + colour.lstrip("#").upper()
            fill = etree.SubElement(self.fills, q("fill"))
            pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb=rgb)
            etree.SubElement(pattern, q("bgColor"), rgb=rgb)
            self.fill_list.append(fill)
            self._fill_ids[colour] = len(self.fill_list) - 1
        return self._fill_ids[colour]

    def _add_xf(self, xf: etree._Element) -> int:
        self.xfs.append(xf)
        self.xf_list.append(xf)
        return len(self.xf_list) - 1

    def with_fill(self, index: int, colour: str) -> int:
        """A cell format like ``index`` but filled solid with ``colour`` ("#RRGGBB"), made once."""
        key = (index, colour)
        if key not in self._with_fill:
            from copy import deepcopy

            xf = deepcopy(self._xf(index))
            xf.set("fillId", str(self._fill_id(colour)))
            xf.set("applyFill", "1")
            self._with_fill[key] = self._add_xf(xf)
        return self._with_fill[key]

    def font_format(self, font_xml: str) -> int:
        """A new cell format with the font ``font_xml`` (a ``<font>`` element in the main namespace)."""
        font = etree.fromstring(font_xml.replace("<font>", f'<font xmlns="{MAIN}">', 1))
        self.fonts.append(font)
        font_id = len(self.fonts) - 1
        xf = etree.Element(q("xf"), numFmtId="0", fontId=str(font_id), fillId="0", borderId="0", xfId="0",
                           applyFont="1")
        return self._add_xf(xf)

    def save(self) -> None:
        for section in (self.fills, self.fonts, self.xfs):
            section.set("count", str(len(section)))
        self.package.write(self.name, serialise(self.root))


SHAPE_TYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            '<o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>' + SHAPE_TYPE)
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb'(<o:idmap\b[^>]*\bdata=")([^"]*)(")')


def max_shape_id(package: Package) -> int:
    """The highest VML shape number in the workbook (shape ids must not repeat across sheets)."""
    found = [int(m) for name, data in package.parts.items() if name.endswith(".vml")
             for m in _SHAPE_ID.findall(data)]
    return max(found, default=1024)


def note_shape(shape_id: int, row: int, col: int, width: int, height: int) -> str:
    """A hidden note box anchored at (row, col), 1-based, as Excel draws one."""
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
            f'margin-top:2pt;width:{width}px;height:{height}px;z-index:{shape_id % 1024};visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{col}, 15, {row - 1}, 2, {col + 4}, 15, {row + 5}, 16</x:Anchor>'
            f'<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column>'
            '</x:ClientData></v:shape>')


class SheetNotes:
    """One worksheet's comments part and its VML drawing: which cells have a note, and adding ours."""

    def __init__(self, package: Package, rels: Rels, author: str):
        self.package, self.rels, self.author = package, rels, author
        self.comments_name = rels.target(REL_COMMENTS)
        self.vml_name = rels.target(REL_VML)
        if bool(self.comments_name) != bool(self.vml_name):
            raise Unsupported("comments without their drawing (or the reverse)")
        if self.comments_name:
            self.root = parse(package.read(self.comments_name))
        else:
            self.root = etree.Element(q("comments"), nsmap={None: MAIN})
            etree.SubElement(self.root, q("authors"))
            etree.SubElement(self.root, q("commentList"))
        self.list = self.root.find(q("commentList"))
        authors = self.root.find(q("authors"))
        if self.list is None or authors is None:
            raise Unsupported("comments part without authors or list")
        names = [a.text for a in authors]
        if author not in names:
            etree.SubElement(authors, q("author")).text = author
            names.append(author)
        self.author_id = names.index(author)
        self.refs = {c.get("ref", "").replace("$", "").upper() for c in self.list}
        self.shapes: list[str] = []
        self.blocks: set[int] = set()

    def has(self, ref: str) -> bool:
        return ref.upper() in self.refs

    def add(self, ref: str, row: int, col: int, text: str, size: tuple[int, int], shape_id: int) -> None:
        comment = etree.SubElement(self.list, q("comment"), ref=ref, authorId=str(self.author_id))
        body = etree.SubElement(etree.SubElement(comment, q("text")), q("t"))
        body.text = clean_text(text)
        body.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self.refs.add(ref.upper())
        self.shapes.append(note_shape(shape_id, row, col, *size))
        self.blocks.add(shape_id // 1024)

    def save(self) -> str | None:
        """Write the parts back; returns the new drawing's relationship id when the sheet had none."""
        if not self.shapes:
            return None
        new_rid = None
        if not self.comments_name:
            self.comments_name = self.package.free_name("xl/comments%d.xml")
            self.vml_name = self.package.free_name("xl/drawings/vmlDrawing%d.vml")
            self.package.add_override(self.comments_name, CT_COMMENTS)
            self.package.ensure_default("vml", CT_VML)
            self.rels.add(REL_COMMENTS, self.comments_name)
            new_rid = self.rels.add(REL_VML, self.vml_name)
            vml = (VML_HEAD.format(blocks=",".join(map(str, sorted(self.blocks)))) + "".join(self.shapes)
                   + "</xml>").encode("utf-8")
        else:
            vml = self._extend(self.package.read(self.vml_name))
        self.package.write(self.comments_name, serialise(self.root))
        self.package.write(self.vml_name, vml)
        return new_rid

    def _extend(self, vml: bytes) -> bytes:
        end = vml.rfind(b"</xml>")
        if end < 0:
            raise Unsupported("unexpected note drawing")
        shapes = "".join(self.shapes).encode("utf-8")
        if b"_x0000_t202" not in vml[:end]:
            shapes = SHAPE_TYPE.encode("utf-8") + shapes
        vml = vml[:end] + shapes + vml[end:]

        def blocks(m: re.Match) -> bytes:
            have = {int(b) for b in m.group(2).split(b",") if b.strip().isdigit()}
            return m.group(1) + ",".join(map(str, sorted(have | self.blocks))).encode() + m.group(3)

        return _IDMAP.sub(blocks, vml, count=1)
