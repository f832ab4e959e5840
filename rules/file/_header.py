"""Header values as a record that findings can point at (the Provider sheet of a workbook)."""

from __future__ import annotations

from pathlib import PurePath


def header_record(data, *keys: str) -> dict:
    """The header values ``keys`` as a row dict, placed on the workbook sheet that holds the first key."""
    record = {key: data.header.get(key) for key in keys}
    for sheet, columns in (data.columns or {}).items():
        if keys and keys[0] in columns:
            # the Provider sheet lists one header field per row, so its map holds whole cell addresses
            cell = columns[keys[0]]
            record["_sheet"] = sheet
            row = "".join(ch for ch in cell if ch.isdigit())
            if row and row != cell:
                record["_row"] = int(row)
                record["_col"] = f"{keys[0]}@cell"
            break
    return record


def submitted_name(ctx) -> str | None:
    """The XML file's own name, when the ILR was read from an XML file (a workbook has no agency name)."""
    if not ctx.filename or ctx.data.origin != "xml":
        return None
    # names may come with a Windows or POSIX folder in front
    return PurePath(ctx.filename.replace("\\", "/")).name
