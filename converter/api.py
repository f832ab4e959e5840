"""The converter's actions as plain functions: what the CLI, the add-in and the server call."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ilrkit.converter import early_xml
from ilrkit.converter.errors import InputError
from ilrkit.converter.io import load
from ilrkit.converter.model import IlrData
from ilrkit.converter.xml_writer import agency_filename, refuse_overwriting, render_valid, write_atomic
from ilrkit.rules.engine import Report, validate

# findings that mean the XML itself would break the agency's schema, so it cannot be written:
# field definitions, our own format rules, and workbook cells we could not read at all
BLOCKING_PREFIXES = ("FD_", "ILR_", "WB_FORMULA_NO_VALUE")


@dataclass
class Conversion:
    path: Path | None
    report: Report
    blocked: list  # findings that stopped the XML being written
    prepared: dt.datetime | None = None  # the preparation date and time written in the file (and its name)
    replaced: str | None = None  # an older preparation date the source gave (ISO), not used

    @property
    def written(self) -> bool:
        return self.path is not None


def _serial(data: IlrData, serial: str | int | None) -> str:
    value = serial if serial is not None else (data.header.get("SerialNo") or "01")
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,2}", text) or int(text) == 0:
        raise InputError(f"The serial number {text!r} is not valid: use a number from 01 to 99 "
                         "(the Provider sheet's SerialNo, or --serial).")
    return f"{int(text):02d}"


def _ukprn(data: IlrData) -> str:
    ukprn = (data.header.get("UKPRN") or "").strip()
    if not re.fullmatch(r"[1-9]\d{7}", ukprn):
        where = "the Provider sheet" if data.origin == "workbook" else "the file header"
        raise InputError(f"The UKPRN {ukprn or '(blank)'} on {where} is not an 8-digit UK provider reference "
                         "number. Enter your organisation's UKPRN (from the UK Register of Learning Providers).")
    return ukprn


def blocking(report: Report) -> list:
    """Findings that stop the XML being written: their own, or one folded into them on the same cell."""
    return [f for f in report.findings if f.is_error and (f.rule.startswith(BLOCKING_PREFIXES) or any(
        d.is_error and d.rule.startswith(BLOCKING_PREFIXES) for d in report.folded.get(f, ())))]


def convert(source: str | Path, out_dir: str | Path | None = None, *, serial: str | int | None = None,
            force: bool = False, now: dt.datetime | None = None, data: IlrData | None = None,
            reference=None) -> Conversion:
    """Validate a workbook (or XML) and write the ILR XML named as the agency requires.

    The XML is written only when it will pass the agency's schema; learners with rule errors are still
    written (the agency excludes them from funding), and the report says so. ``reference`` is the
    ``ReferenceData`` the rules may use (``ilrkit.refdata.for_data``); none by default.
    """
    source = Path(source)
    data = data or load(source)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    serial_no = _serial(data, serial)
    ukprn = _ukprn(data)
    name = agency_filename(data.spec, ukprn, serial_no, now)
    target = Path(out_dir) if out_dir is not None else source.parent
    early = early_xml.start(data, target, prepared=now, serial=serial_no)  # written meanwhile, on a large return
    try:
        report = validate(data, filename=None, today=now.date(), reference=reference)
        stop = blocking(report)
        if stop:
            return Conversion(None, report, stop)
        refuse_overwriting(target / name, source)
        path = early.finish(target / name, force, data.spec) if early is not None else None
        if path is None:
            content = render_valid(data, prepared=now, serial=serial_no)
            path = write_atomic(target / name, content, force=force)
    finally:
        if early is not None:
            early.discard()
    given = data.header.get("FilePreparationDate")
    return Conversion(path, report, [], now, given if given and given != now.date().isoformat() else None)


def import_xml(xml_path: str | Path, out_path: str | Path, *, force: bool = False) -> Path:
    """Read an ILR XML file into a new workbook laid out like our template."""
    from ilrkit.converter.xml_reader import read_xml
    from ilrkit.templates.workbook_writer import write_workbook

    refuse_overwriting(Path(out_path), Path(xml_path))
    if Path(xml_path).is_dir():
        raise InputError(f"{xml_path} is a folder; give the ILR XML file to import.")
    _not_a_workbook(Path(xml_path))
    data = read_xml(xml_path)
    return write_workbook(out_path, data.year, data, force=force)


def _not_a_workbook(path: Path) -> None:
    """An .xlsx (a zip archive) given where an ILR XML file belongs: say so, and what to run instead."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return  # the XML reader says what is wrong with the file
    if not head:
        raise InputError(f"{path.name} is empty. Export the ILR XML file again from the system it came from.")
    if head[:4] != b"PK\x03\x04" and not head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
        named = (f" It is named {path.suffix}, but it is not an Excel workbook either."
                 if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") else "")
        raise InputError(f"{path.name} is not an ILR XML file: it does not start with an XML tag (it looks like "
                         f"plain text or another kind of file).{named} Export the ILR XML file again from the "
                         "system it came from and import that.")
    if head[:4] == b"PK\x03\x04":
        raise InputError(f"{path.name} is an Excel workbook, not an ILR XML file, so there is nothing to import. "
                         f"To check it, run `ilr validate {path.name}`; to make the ILR XML file from it, run "
                         f"`ilr convert {path.name}`.")
