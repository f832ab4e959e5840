"""Load an ILR from whatever the user gives us: a workbook or an ILR XML file."""

from __future__ import annotations

from pathlib import Path

from ilrkit.converter.errors import InputError
from ilrkit.converter.model import IlrData

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
XML_SUFFIXES = (".xml",)


def load(path: str | Path, name: str | None = None) -> IlrData:
    """Read ``path`` as an ILR workbook or ILR XML file, choosing by content, not only by name."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"Cannot find {path}. Check the name and folder.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a workbook (.xlsx) or an ILR XML file.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        from ilrkit.converter.workbook_reader import read_workbook

        return _announced(read_workbook(path, name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path.name} is an old-style .xls workbook or a password-protected file. Open it in "
                         "Excel, remove any password and save it as .xlsx, then try again.")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") or path.suffix.lower() in XML_SUFFIXES:
        from ilrkit.converter.xml_reader import read_xml

        return _announced(read_xml(path, name))
    raise InputError(f"{path.name} is neither an Excel workbook (.xlsx) nor an ILR XML file.")


def _announced(data: IlrData) -> IlrData:
    from ilrkit.schemas.spec import announce_provisional

    announce_provisional(data.year)
    return data
