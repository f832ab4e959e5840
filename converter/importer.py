"""``ilr import``: turn an ILR XML file into a filled provider workbook."""

from __future__ import annotations

from pathlib import Path

from ilrkit.converter.xml_reader import read_xml


def import_xml(xml_path: str | Path, out_path: str | Path, force: bool = False) -> Path:
    """Read ``xml_path`` and write it as a workbook at ``out_path`` (``OutputExists`` unless ``force``)."""
    from ilrkit.templates import write_workbook  # the template writer imports the converter: import late

    data = read_xml(xml_path)
    return write_workbook(out_path, data.year, data, force=force)
