"""Write tables (``IlrData``) as ILR XML: elements in schema order, UTF-8, atomically.

The text is produced directly (values are already in their XML lexical form), which is several times
faster than building an element tree for a large return; the result is checked against the year's XSD
before it is moved into place.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from ilrkit.converter.errors import InputError, OutputExists
from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData
from ilrkit.schemas import Spec


def agency_filename(spec: Spec, ukprn: str, serial: str, when: dt.datetime) -> str:
    """``ILR-<UKPRN>-<year code>-<yyyymmdd>-<hhmmss>-<NN>.xml``, as the agency requires."""
    return f"ILR-{ukprn}-{spec.year_code}-{when:%Y%m%d}-{when:%H%M%S}-{int(serial):02d}.xml"


class _Children:
    """Row positions of each table grouped by parent id, computed once."""

    def __init__(self, data: IlrData):
        self.tables = data.tables
        self.groups: dict[str, dict] = {}

    def of(self, entity: str, parent_id) -> list[int]:
        if entity not in self.groups:
            df = self.tables.get(entity)
            if df is None or df.empty:
                self.groups[entity] = {}
            else:
                self.groups[entity] = {k: list(v) for k, v in df.groupby("_parent", sort=False).indices.items()}
        return self.groups[entity].get(parent_id, [])


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    s = str(value)
    return s if s != "" else None


def render_xml(data: IlrData, *, prepared: dt.datetime | None = None, serial: str | None = None) -> str:
    """The whole ILR document as text. ``prepared`` sets the header's preparation date/time."""
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

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                      f'<Message xmlns="{escape(spec.namespace)}" '
                      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n']
    records = {name: df.to_dict("records") for name, df in data.tables.items()}
    children = _Children(data)

    def fields(entity: str, values, depth: int) -> None:
        pad = "\t" * depth
        for f in spec.entity(entity).fields:
            v = _text(values.get(f.name))
            if v is not None:
                out.append(f"{pad}<{f.name}>{escape(v)}</{f.name}>\n")

    def element(entity: str, row: dict, depth: int) -> None:
        pad = "\t" * depth
        out.append(f"{pad}<{entity}>\n")
        for item in spec.entity(entity).items:
            if isinstance(item, str):
                for pos in children.of(item, row["_id"]):
                    element(item, records[item][pos], depth + 1)
            else:
                v = _text(row.get(item.name))
                if v is not None:
                    out.append(f"{pad}\t<{item.name}>{escape(v)}</{item.name}>\n")
        out.append(f"{pad}</{entity}>\n")

    out.append("\t<Header>\n")
    for part in spec.entity("Header").children:
        out.append(f"\t\t<{part}>\n")
        fields(part, header, 3)
        out.append(f"\t\t</{part}>\n")
    out.append("\t</Header>\n")
    if records.get("SourceFile"):
        out.append("\t<SourceFiles>\n")
        for row in records["SourceFile"]:
            element("SourceFile", row, 2)
        out.append("\t</SourceFiles>\n")
    ukprn = _text(header.get(LEARNING_PROVIDER_UKPRN)) or _text(header.get("UKPRN"))
    out.append(f"\t<LearningProvider>\n\t\t<UKPRN>{escape(ukprn or '')}</UKPRN>\n\t</LearningProvider>\n")
    for row in records.get("Learner", ()):
        element("Learner", row, 1)
    out.append("</Message>\n")
    return "".join(out)


def write_atomic(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write ``content`` to ``path`` via a temporary file and rename, so no partial file is ever left."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExists(f"{path} already exists. Choose another name or folder, or use --force to replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ilrkit-", suffix=".part", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the user expects a normal file
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def schema_errors(spec: Spec, content: bytes, limit: int = 50) -> list[str]:
    """Messages for every way ``content`` breaks the year's XSD (empty when valid)."""
    from lxml import etree

    from ilrkit.schemas.xsd import validator

    schema = validator(spec.year)
    doc = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:limit]]


def ensure_valid(spec: Spec, content: bytes) -> None:
    errors = schema_errors(spec, content)
    if errors:
        raise InputError("The ILR XML would not pass the agency's schema, so it was not written:\n  "
                         + "\n  ".join(errors))
