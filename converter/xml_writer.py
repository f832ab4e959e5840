"""Write tables (``IlrData``) as ILR XML: elements in schema order, UTF-8, atomically.

The text is produced directly (values are already in their XML lexical form), which is several times
faster than building an element tree for a large return; the result is checked against the year's XSD
before it is moved into place.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from ilrkit.converter.bulk import paused_gc
from ilrkit.converter.errors import CannotWrite, InputError, OutputExists, write_reason
from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData
from ilrkit.schemas import Spec


def agency_filename(spec: Spec, ukprn: str, serial: str, when: dt.datetime) -> str:
    """``ILR-<UKPRN>-<year code>-<yyyymmdd>-<hhmmss>-<NN>.xml``, as the agency requires."""
    return f"ILR-{ukprn}-{spec.year_code}-{when:%Y%m%d}-{when:%H%M%S}-{int(serial):02d}.xml"


class _Table:
    """One entity's rows ready for writing: its columns as lists, and its rows' positions by parent id.

    Reading columns once (not a dict per row) and grouping children in one pass keeps writing a large
    return to about a second.
    """

    def __init__(self, df: pd.DataFrame | None):
        self.columns: dict[str, list] = {}
        self.by_parent: dict = {}
        self.size = 0 if df is None else len(df)
        if not self.size:
            return
        self.columns = {c: df[c].tolist() for c in df.columns}
        by_parent: dict = {}
        for pos, parent in enumerate(self.columns.get("_parent", [None] * self.size)):
            by_parent.setdefault(parent, []).append(pos)
        self.by_parent = by_parent


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    s = str(value)
    return s if s != "" else None


def _header(data: IlrData, prepared: dt.datetime | None, serial: str | None) -> dict:
    spec = data.spec
    header = dict(data.header)
    header["Collection"] = spec.facts.get("collection", "ILR")
    header["Year"] = spec.year_code
    header["ProtectiveMarking"] = spec.facts.get("protective_marking", "OFFICIAL-SENSITIVE-Personal")
    if prepared is not None:
        header["FilePreparationDate"] = prepared.strftime("%Y-%m-%d")
        header["DateTime"] = prepared.strftime("%Y-%m-%dT%H:%M:%S")
    if serial is not None:
        header["SerialNo"] = f"{int(serial):02d}"
    return header


MESSAGE_END = "</Message>\n"


class Document:
    """What writing a document needs, made once: its header text, each table's columns and each entity's
    tags. ``learner(pos)`` is the text of one learner, so learners can be written in any grouping (a large
    return is written in runs on several cores: ``ilrkit.converter.xml_parallel``)."""

    def __init__(self, data: IlrData, prepared: dt.datetime | None = None, serial: str | None = None):
        self.spec = data.spec
        self.tables = {name: _Table(df) for name, df in data.tables.items()}
        self.layouts: dict[str, list] = {}  # entity -> items as (child entity, None) or (field, (open, close))
        self.learners = self.tables.get("Learner", _EMPTY).size
        self.head = self._head(_header(data, prepared, serial))

    def _layout(self, entity: str, depth: int) -> list:
        found = self.layouts.get(entity)
        if found is None:  # an entity always sits at the same depth, so its tags can be made once
            pad = "\t" * (depth + 1)
            found = self.layouts[entity] = [(item, None) if isinstance(item, str)
                                            else (item.name, (f"{pad}<{item.name}>", f"</{item.name}>\n"))
                                            for item in self.spec.entity(entity).items]
        return found

    def _element(self, entity: str, pos: int, depth: int, out: list) -> None:
        tables = self.tables
        columns = tables.get(entity, _EMPTY).columns
        pad = "\t" * depth
        out.append(f"{pad}<{entity}>\n")
        for name, tags in self._layout(entity, depth):
            if tags is None:
                child = tables.get(name)
                if child is not None and child.size:
                    for child_pos in child.by_parent.get(columns["_id"][pos], ()):
                        self._element(name, child_pos, depth + 1, out)
                continue
            values = columns.get(name)
            v = _text(values[pos]) if values is not None else None
            if v is not None:
                out.append(f"{tags[0]}{escape(v)}{tags[1]}")
        out.append(f"{pad}</{entity}>\n")

    def learner(self, pos: int) -> str:
        out: list[str] = []
        self._element("Learner", pos, 1, out)
        return "".join(out)

    def _head(self, header: dict) -> str:
        spec = self.spec
        head = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                f'<Message xmlns="{escape(spec.namespace)}" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n', "\t<Header>\n"]
        for part in spec.entity("Header").children:
            head.append(f"\t\t<{part}>\n")
            for f in spec.entity(part).fields:
                v = _text(header.get(f.name))
                if v is not None:
                    head.append(f"\t\t\t<{f.name}>{escape(v)}</{f.name}>\n")
            head.append(f"\t\t</{part}>\n")
        head.append("\t</Header>\n")
        source_files = self.tables.get("SourceFile", _EMPTY)
        if source_files.size:
            head.append("\t<SourceFiles>\n")
            for pos in range(source_files.size):
                self._element("SourceFile", pos, 2, head)
            head.append("\t</SourceFiles>\n")
        ukprn = _text(header.get(LEARNING_PROVIDER_UKPRN)) or _text(header.get("UKPRN"))
        head.append(f"\t<LearningProvider>\n\t\t<UKPRN>{escape(ukprn or '')}</UKPRN>\n\t</LearningProvider>\n")
        return "".join(head)


_EMPTY = _Table(None)


def render_chunks(data: IlrData, *, prepared: dt.datetime | None = None, serial: str | None = None):
    """The ILR document as text in pieces (the header, then one piece per learner), in schema order."""
    doc = Document(data, prepared, serial)
    yield doc.head
    for pos in range(doc.learners):
        yield doc.learner(pos)
    yield MESSAGE_END


def render_xml(data: IlrData, *, prepared: dt.datetime | None = None, serial: str | None = None) -> str:
    """The whole ILR document as text. ``prepared`` sets the header's preparation date/time."""
    with paused_gc():
        return "".join(render_chunks(data, prepared=prepared, serial=serial))


def render_xml_bytes(data: IlrData, *, prepared: dt.datetime | None = None, serial: str | None = None) -> bytes:
    """The document as UTF-8 bytes, encoded a learner at a time: a large return never holds its text twice."""
    with paused_gc():  # millions of small objects: see ilrkit.converter.bulk
        return b"".join(chunk.encode("utf-8") for chunk in render_chunks(data, prepared=prepared, serial=serial))


def write_atomic(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write ``content`` to ``path`` via a temporary file and rename, so no partial file is ever left.

    Without ``force`` an existing file is never replaced, even one that appears while we write (the
    finished file is hard-linked into place, which fails if the name is taken). Raises ``OutputExists``,
    or ``CannotWrite`` when the folder cannot be written (the temporary file is removed).
    """
    path = Path(path)
    if path.exists() and not force:
        raise OutputExists(f"{path} already exists. Choose another name or folder, or use --force to replace it.")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=path.parent)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; the user expects a normal file
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        _move_into_place(tmp, path, force)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            raise CannotWrite(f"Cannot write {path} ({exc.strerror or exc.__class__.__name__}). Nothing was "
                              "written: check the folder exists, you may write to it and the disk is not full.",
                              path=path, reason=write_reason(exc)) from None
        raise
    return path


PART_PREFIX, PART_SUFFIX = ".ilrkit-", ".part"
# exactly what mkstemp makes from them: nothing else in the folder, however named, is ever removed
_OUR_PART = re.compile(r"^\.ilrkit-[A-Za-z0-9_]{8}\.part$")
STALE_AFTER = 3600  # seconds: older than any write takes, so a part still being written is never touched
_swept: dict[str, float] = {}  # folder -> when it was last looked at


def remove_stale_parts(folder: Path) -> list[str]:
    """Remove our own temporary files (``.ilrkit-XXXXXXXX.part``) left in ``folder`` by a write that was
    killed (SIGKILL, power cut: no chance to clean up) an hour or more ago. At most once an hour per folder;
    only regular files of ours, owned by this user; anything that cannot be removed is left as it is."""
    key, now = str(folder.resolve()), time.time()
    if now - _swept.get(key, 0.0) < STALE_AFTER:
        return []
    _swept[key] = now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _OUR_PART.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_AFTER:
                continue
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                continue
            os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue
    return removed


def refuse_overwriting(output: Path, source: Path) -> None:
    """Raise ``InputError`` when ``output`` is the file ``source`` (by any name): even with --force, a command
    never writes over the file it reads."""
    output, source = Path(output), Path(source)
    try:
        same = output.exists() and os.path.samefile(output, source)
    except OSError:
        same = False
    if same or output.resolve() == source.resolve():
        raise InputError(f"{output} is the file being read; ilrkit never writes over it. Choose another name for "
                         "the output.")


def _move_into_place(tmp: str, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the name was taken meanwhile
    except FileExistsError:
        raise OutputExists(f"{path} already exists. Choose another name or folder, or use --force to replace "
                           "it.") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise OutputExists(f"{path} already exists. Choose another name or folder, or use --force to replace "
                               "it.") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # once, at import: changing the umask while other threads create files is unsafe


def schema_errors(spec: Spec, content: bytes, limit: int = 50) -> list[str]:
    """Messages for every way ``content`` breaks the year's XSD (empty when valid).

    The document is first validated while it is parsed, a learner at a time (a large one in runs of
    learners on several cores: ``ilrkit.converter.xsd_check``). Only when that finds a problem is the whole
    tree built, to list every problem with its line.
    """
    from lxml import etree

    from ilrkit.converter.xml_parallel import PARALLEL_MIN_BYTES, runs_valid, stream_valid, workers_for
    from ilrkit.schemas.xsd import validator

    schema = validator(spec.year)
    learner = f"{{{spec.namespace}}}Learner"
    workers = workers_for(len(content), PARALLEL_MIN_BYTES)
    valid = runs_valid(schema, content, learner, workers) if workers > 1 else None
    if valid is None:
        valid = stream_valid(schema, io.BytesIO(content), learner)
    if valid:
        return []
    try:
        doc = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:  # e.g. a control character copied into a cell: XML cannot hold it
        hint = " (a value holds a character an XML file cannot hold, such as a control character copied from " \
               "another program)" if "Char" in (exc.msg or "") else ""
        return [f"line {exc.lineno}: {exc.msg}{hint}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:limit]]


def ensure_valid(spec: Spec, content: bytes) -> None:
    errors = schema_errors(spec, content)
    if errors:
        raise_invalid(errors)


def render_valid(data: IlrData, *, prepared: dt.datetime | None = None, serial: str | None = None) -> bytes:
    """The document as UTF-8 bytes, checked against the year's XSD (a large one on several cores); raises
    ``InputError`` listing the problems when it would not pass."""
    from ilrkit.converter.xml_parallel import render_checked

    content, valid = render_checked(data, prepared=prepared, serial=serial)
    if not valid:  # the whole document again, in one piece: that lists each problem with its line
        raise_invalid(schema_errors(data.spec, content))
    return content


def raise_invalid(errors: list[str]) -> None:
    if errors:
        raise InputError("The ILR XML would not pass the agency's schema, so it was not written:\n  "
                         + "\n  ".join(errors))
