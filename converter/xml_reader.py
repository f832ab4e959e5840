"""Read an ILR XML file into tables (``IlrData``), refusing anything unsafe or not ILR.

The parser never loads a DTD, never resolves entities and never touches the network; a document type
declaration is refused outright, so entity-expansion attacks cannot start. It is refused twice: a quick
look at the bytes (UTF-8 and ASCII files), and the parser's own record of the document type, which sees it
in any encoding the parser reads (UTF-16, UTF-32, ...) before a single element is used.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

from ilrkit.converter.bulk import paused_gc
from ilrkit.converter.errors import InputError
from ilrkit.converter.model import HEADER_ENTITIES, LEARNING_PROVIDER_UKPRN, IlrData, frame
from ilrkit.schemas import Spec, load_spec, year_for_namespace
from ilrkit.schemas.spec import available_years

MAX_XML_BYTES = 512 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
# libxml2's own limits while huge_tree is off, which keep time and memory bounded
MAX_DEPTH = 256
MAX_TEXT_MB = 10


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           remove_comments=True, remove_pis=True, huge_tree=False, collect_ids=False)


def _doctype_refused(name: str) -> InputError:
    return InputError(f"{name} contains a document type declaration (<!DOCTYPE>). ILR files never "
                      "have one, and it is refused for safety. Export the file again from your system.")


def _check_bytes(data: bytes, name: str) -> None:
    if len(data) > MAX_XML_BYTES:
        raise InputError(f"{name} is {len(data) // (1024 * 1024)} MB; ILR files over "
                         f"{MAX_XML_BYTES // (1024 * 1024)} MB are not accepted. Check it is the right file.")
    if _DOCTYPE.search(data[:65536]) or _DOCTYPE.search(data):
        raise _doctype_refused(name)


def _check_doctype(tree: etree._ElementTree, name: str) -> None:
    """Refuse a document type the parser saw (whatever the file's encoding): its name, an internal subset
    (entity declarations) or an external one."""
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None or info.system_url:
        raise _doctype_refused(name)


def _syntax_error(exc: etree.XMLSyntaxError, name: str) -> InputError:
    if "Excessive depth" in (exc.msg or ""):
        return InputError(f"{name} has elements nested more than {MAX_DEPTH} deep (line {exc.lineno}); an ILR "
                          "file has a handful of levels. It is refused for safety; check it is the right file.")
    if "Resource limit" in (exc.msg or "") or "too long" in (exc.msg or ""):
        return InputError(f"{name} holds a single value of more than {MAX_TEXT_MB} MB (line {exc.lineno}); no "
                          "ILR value is that long. It is refused for safety; check it is the right file.")
    return InputError(f"{name} is not well-formed XML ({exc.msg}, line {exc.lineno}). "
                      "It may be damaged or not an ILR file; export it again.")


def parse_xml_bytes(data: bytes, name: str = "the file") -> etree._ElementTree:
    """The whole document as a tree (small files and tests); ``read_xml`` streams instead."""
    _check_bytes(data, name)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, name) from None
    _check_doctype(tree, name)
    return tree


def _top_level(data: bytes, name: str):
    """Yield the root element first, then each child of the root once it is complete, freeing it after use,
    so a large file is never held in memory whole."""
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
                             collect_ids=False)
    depth = 0
    try:
        for event, el in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    # the prolog (any document type) has been parsed, and nothing of the file used yet
                    _check_doctype(el.getroottree(), name)
                    yield el
                continue
            depth -= 1
            if depth == 1:
                yield el
                el.clear(keep_tail=False)
                parent = el.getparent()
                while parent is not None and len(parent) and parent[0] is not el:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, name) from None


def read_xml(source: str | Path | bytes, name: str | None = None) -> IlrData:
    """Read an ILR XML file (path or bytes). Raises ``InputError`` when it cannot be used."""
    path = None
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(f"Cannot open {path}: {exc.strerror}.") from None
        if size > MAX_XML_BYTES:
            raise InputError(f"{name} is too large ({size // (1024 * 1024)} MB) to be an ILR file.")
        data = path.read_bytes()
    else:
        data = source
    name = name or "the XML file"
    _check_bytes(data, name)
    elements = _top_level(data, name)
    try:
        root = next(elements)
    except StopIteration:
        raise InputError(f"{name} is empty; it is not an ILR file.") from None
    qname = etree.QName(root)
    if qname.localname != "Message":
        raise InputError(f"{name} is XML but not an ILR file: its root element is <{qname.localname}>, "
                         "not <Message>.")
    year = year_for_namespace(qname.namespace or "")
    if year is None:
        raise InputError(f"{name} uses the namespace {qname.namespace!r}, which is not an ILR year we support "
                         f"({', '.join(available_years())}). Check the collection year of the file.")
    with paused_gc():  # millions of small objects: see ilrkit.converter.bulk
        data_ = _Reader(load_spec(year), name).read(elements)
    data_.path = path
    return data_


class _Reader:
    def __init__(self, spec: Spec, name: str):
        self.spec = spec
        self.name = name
        self.ns = "{" + spec.namespace + "}"
        self.rows: dict[str, list[dict]] = {}
        self.problems: list[str] = []
        self._field_names: dict[str, frozenset[str]] = {}
        self._child_names: dict[str, frozenset[str]] = {}

    def read(self, top_level) -> IlrData:
        """``top_level``: the root's child elements in document order (the streaming iterator)."""
        header: dict[str, str | None] = {}
        for el in top_level:
            tag = etree.QName(el).localname
            if tag == "Header":
                for part in el:
                    if etree.QName(part).localname in HEADER_ENTITIES:
                        for f in part:
                            header[etree.QName(f).localname] = (f.text or "").strip() or None
            elif tag == "SourceFiles":
                for sf in el:
                    self._entity(sf, "SourceFile", None, None, {})
            elif tag == "LearningProvider":
                uk = el.find(self.ns + "UKPRN")
                header[LEARNING_PROVIDER_UKPRN] = (uk.text or "").strip() if uk is not None else None
            elif tag == "Learner":
                self._entity(el, "Learner", None, None, {})
        tables = {entity: frame(self.spec, entity, rows) for entity, rows in self.rows.items()}
        return IlrData(self.spec.year, header, tables, origin="xml")

    def _children(self, entity: str) -> frozenset[str]:
        if entity not in self._child_names:
            self._child_names[entity] = frozenset(self.spec.entity(entity).children)
        return self._child_names[entity]

    def _fields(self, entity: str) -> frozenset[str]:
        if entity not in self._field_names:
            self._field_names[entity] = frozenset(f.name for f in self.spec.entity(entity).fields)
        return self._field_names[entity]

    def _entity(self, el, entity: str, parent_id, learner_id, inherited: dict) -> None:
        rows = self.rows.setdefault(entity, [])
        row_id = len(rows)
        row = {"_id": row_id, "_parent": parent_id, "_learner": learner_id if entity != "Learner" else row_id}
        row.update(inherited)
        rows.append(row)
        children = []
        child_names = self._children(entity)
        field_names = self._fields(entity)
        for child in el:
            tag = child.tag
            # the local name; slicing the "{namespace}name" text is many times faster than etree.QName
            tag = tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(child).localname
            if tag in child_names:
                children.append((child, tag))
            elif tag in field_names:  # anything else (unknown, or named like our _id columns) is not read
                row[tag] = child.text if child.text is None else child.text.strip()
        inherit = dict(inherited)
        if entity == "Learner":
            inherit["LearnRefNumber"] = row.get("LearnRefNumber")
        elif entity == "LearningDelivery":
            inherit["AimSeqNumber"] = row.get("AimSeqNumber")
        for child, tag in children:
            self._entity(child, tag, row_id, row["_learner"], inherit)
