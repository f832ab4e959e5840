"""Write a generated return as a workbook or ILR XML, with its list of planted faults beside it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ilrkit.converter.errors import InputError, OutputExists
from ilrkit.generate import Generated
from ilrkit.converter.xml_writer import agency_filename, render_valid, write_atomic

FAULT_COLUMNS = ("LearnRefNumber", "AimSeqNumber", "Fault", "ExpectedRule", "Description")


def target_path(generated: Generated, output: Path) -> Path:
    """``output`` itself, or for an existing folder an XML file in it named as the agency requires."""
    if output.is_dir():
        data = generated.data
        prepared = dt.datetime.fromisoformat(data.header["DateTime"])
        return output / agency_filename(data.spec, data.header["UKPRN"], data.header.get("SerialNo") or "01",
                                        prepared)
    return output


def faults_path(path: Path) -> Path:
    """``provider.xlsx`` -> ``provider.faults.csv``."""
    return path.with_suffix(".faults.csv")


def faults_csv(generated: Generated) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FAULT_COLUMNS)
    for f in generated.faults:
        writer.writerow((f.learn_ref, f.aim_seq or "", f.fault, f.rule, f.description))
    return buffer.getvalue()


def write(generated: Generated, output: str | Path, *, force: bool = False) -> tuple[Path, Path | None]:
    """Write the return (``.xlsx`` workbook or ``.xml``) and, when faults were planted, the fault list.

    Returns (file written, fault list or ``None``).
    """
    path = target_path(generated, Path(output))
    suffix = path.suffix.lower()
    if generated.faults and not force and faults_path(path).exists():
        # checked first, so that a refusal leaves nothing half-made (a return without its fault list)
        raise OutputExists(f"{faults_path(path)} already exists. Choose another name, or use --force to replace "
                           "both files.")
    if suffix in (".xlsx", ".xlsm"):
        from ilrkit.templates.workbook_writer import write_workbook

        written = write_workbook(path, generated.data.year, generated.data, force=force)
    elif suffix == ".xml":
        content = render_valid(generated.data)  # faults are planted so that the schema still holds
        written = write_atomic(path, content, force=force)
    else:
        raise InputError(f"Cannot tell what to write from the name {path.name}: end it in .xlsx for a "
                         "workbook or .xml for an ILR file (or give a folder for an agency-named XML file).")
    side = None
    if generated.faults:
        side = write_atomic(faults_path(written), faults_csv(generated).encode("utf-8"), force=force)
    return written, side
