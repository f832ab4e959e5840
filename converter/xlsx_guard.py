"""Checks on a workbook file before and beside reading its values.

An .xlsx file is a zip archive of XML parts. Before any reader opens it we make sure it is a real,
complete archive whose parts do not expand to more than we can safely hold (a "zip bomb"): the whole
archive, and each part on its own (one highly compressed part hides easily among ordinary ones). Then we
look in the sheet parts, streamed a piece at a time, for things a value reader silently flattens: formulas
without a saved result, Excel error values (#N/A), merged cells, hidden rows and hidden sheets.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ilrkit.converter.errors import InputError

MB = 1024 * 1024
MAX_UNCOMPRESSED = 1024 * MB  # 1 GiB of XML is far beyond any provider's return
MAX_RATIO = 200  # real workbooks compress 5-20 times; bombs thousands of times
MAX_MEMBERS = 10_000
# one part: a 5,000-learner return's largest sheet is about 8 MB of XML (compressed 9 times), so 256 MB
# is room for more than 100,000 learners; a part compressed 100 times over is not Excel's
MAX_PART = 256 * MB
MAX_PART_RATIO = 100
PART_RATIO_FROM = 1 * MB  # tiny parts (styles, a blank sheet) may compress far better, harmlessly
SCAN_CHUNK = 1 * MB  # sheet parts are scanned this much at a time
MAX_SMALL_PART = 32 * MB  # workbook.xml and its relationships, read whole


@dataclass
class SheetQuirks:
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs, e.g. "F12"
    merged: list[str] = field(default_factory=list)  # ranges, e.g. "B4:D4"
    hidden_rows: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell ref, Excel error such as "#N/A")


def check_archive(path: Path, name: str) -> zipfile.ZipFile:
    """Open the workbook's zip archive after checking it is complete and not a zip bomb."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a complete Excel workbook (the file is damaged or was cut short, "
                         "for example by an email size limit). Save it again from Excel and retry.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}.") from None
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{name} has {len(infos)} parts inside; a workbook has a few dozen. It is refused "
                         "for safety.")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED:
        raise InputError(f"{name} would expand to {total // (1024 * 1024)} MB, more than the "
                         f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB we accept. It is refused for safety; check it is "
                         "the right file.")
    big = [i for i in infos if i.file_size > 10 * 1024 * 1024]
    if big and total / packed > MAX_RATIO:
        raise InputError(f"{name} is compressed {total // packed} times over, which real workbooks never are. "
                         "It is refused for safety (it may be a 'zip bomb').")
    for info in infos:
        _check_part(info, name)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        if "EncryptedPackage" in names or any(n.endswith("EncryptionInfo") for n in names):
            raise InputError(f"{name} is password-protected. Remove the password in Excel (File > Info > "
                             "Protect Workbook) and save a copy, then try again.")
        raise InputError(f"{name} is a zip file but not an Excel workbook. Give the .xlsx file itself.")
    return zf


def _check_part(info: zipfile.ZipInfo, name: str) -> None:
    part = info.filename[:120]
    if info.file_size > MAX_PART:
        raise InputError(f"{name} is refused for safety: its part {part} would expand to "
                         f"{info.file_size // MB} MB, more than the {MAX_PART // MB} MB any real workbook's "
                         "part holds (it may be a 'zip bomb'). Check it is the right file; if it is, save it "
                         "again from Excel.")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > PART_RATIO_FROM and ratio > MAX_PART_RATIO:
        raise InputError(f"{name} is refused for safety: its part {part} is compressed {ratio:.0f} times over "
                         f"(to {info.file_size // MB} MB), which Excel's files never are (it may be a 'zip "
                         "bomb'). Check it is the right file; if it is, save it again from Excel.")


def _read_small(zf: zipfile.ZipFile, member: str) -> bytes:
    """A part read whole, no more than ``MAX_SMALL_PART`` of it (check_archive has refused bigger ones, but
    these helpers may be given any archive)."""
    with zf.open(member) as fh:
        return fh.read(MAX_SMALL_PART)


def _scan(zf: zipfile.ZipFile, member: str):
    """A part's XML in pieces that each end just after a cell (``</c>``) or, failing that, a tag: no cell or
    tag is cut in two, so a pattern for one cell or tag finds what it would in the whole part, while at most
    a few MB are held at once."""
    with zf.open(member) as fh:
        carry = b""
        while True:
            block = fh.read(SCAN_CHUNK)
            if not block:
                if carry:
                    yield carry
                return
            data = carry + block
            cut = data.rfind(b"</c>")
            cut = cut + 4 if cut >= 0 else data.rfind(b">") + 1
            if cut <= 0 and len(data) < 4 * SCAN_CHUNK:
                carry = data  # no tag end yet: read on
                continue
            if cut <= 0:  # megabytes without a tag: not a sheet Excel wrote; scanned as it is
                cut = len(data)
            yield data[:cut]
            carry = data[cut:]


_SHEET_TARGETS = re.compile(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(rb'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"|'
                  rb'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding it."""
    try:
        book = _read_small(zf, "xl/workbook.xml")
        rels = _read_small(zf, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        t = target.decode()
        targets[rid.decode()] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for m in _SHEET_TARGETS.finditer(book):
        name = _unescape(m.group(1).decode("utf-8"))
        part = targets.get(m.group(2).decode())
        if part:
            out[name] = part
    return out


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def sheet_states(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> ``hidden`` or ``veryHidden`` for each sheet that is not visible."""
    try:
        book = _read_small(zf, "xl/workbook.xml")
    except KeyError:
        return {}
    states = {}
    for m in _SHEET_TAG.finditer(book):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(1))}
        state = attrs.get(b"state", b"visible").decode("utf-8", "replace")
        if b"name" in attrs and state in ("hidden", "veryHidden"):
            states[_unescape(attrs[b"name"].decode("utf-8", "replace"))] = state
    return states


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'") \
        .replace("&amp;", "&")  # &amp; last, so "&amp;lt;" stays "&lt;"


_CELL_F = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v(?: [^>]*)?>[^<]+</v>|<is>")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z0-9:]+)"')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?\st="e"[^>]*>(.*?)</c>', re.S)
_ERROR_VALUE = re.compile(rb"<v>(#[^<]{1,20})</v>")
_HIDDEN_ROW = re.compile(rb'<row [^>]*?r="(\d+)"[^>]*?hidden="(?:1|true)"|<row [^>]*?hidden="(?:1|true)"[^>]*?r="(\d+)"')


def sheet_quirks(zf: zipfile.ZipFile, part: str) -> SheetQuirks:
    """Formulas with no saved value, merged ranges and hidden rows in one sheet part (cheap when none),
    scanned a piece at a time."""
    quirks = SheetQuirks()
    try:
        for xml in _scan(zf, part):
            _scan_piece(xml, quirks)
    except KeyError:  # no such part
        pass
    return quirks


def _scan_piece(xml: bytes, quirks: SheetQuirks) -> None:
    # a cell formula is <f> or <f ...>; data validations' <formula1> must not send every file through the
    # cell-by-cell scan, which takes seconds on a large sheet
    if b"<f>" in xml or b"<f " in xml:
        for m in _CELL_F.finditer(xml):
            body = m.group(2)
            if b"<f" in body and not _VALUE.search(body):
                quirks.formulas_without_value.append(m.group(1).decode())
    if b't="e"' in xml:  # error values (#N/A, #REF!, ...): read as blank cells, so say so
        for m in _ERROR_CELL.finditer(xml):
            value = _ERROR_VALUE.search(m.group(2))
            quirks.errors.append((m.group(1).decode(), value.group(1).decode("utf-8", "replace") if value else "#N/A"))
    if b"<mergeCell " in xml:
        quirks.merged += [m.group(1).decode() for m in _MERGE.finditer(xml)]
    if b"hidden=" in xml:
        for m in _HIDDEN_ROW.finditer(xml):
            quirks.hidden_rows.append(int(m.group(1) or m.group(2)))
