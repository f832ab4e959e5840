"""The agency's file name, ILR-<UKPRN>-<year>-<yyyymmdd>-<hhmmss>-<serial>.xml, checked only for a file read
from XML (a workbook has its own name; the name is made when the XML is exported).

Filename_1 checks the whole format; the others look at one part each, so they read the name loosely:
six parts separated by hyphens, whatever each part holds.
"""

from __future__ import annotations

import datetime as dt
import re

from ilrkit.rules.file._header import header_record, submitted_name
from ilrkit.rules.registry import ERROR, Hit, rule

_LOOSE = re.compile(r"^ILR-(?P<ukprn>[^-]*)-(?P<year>[^-]*)-(?P<date>[^-]*)-(?P<time>[^-]*)-(?P<serial>[^-.]*)"
                    r"\.xml$", re.IGNORECASE)


def _name_parts(ctx) -> tuple[str, dict] | None:
    """(file name, its parts) when the ILR came from an XML file whose name has the agency's shape."""
    name = submitted_name(ctx)
    if name is None:
        return None
    match = _LOOSE.match(name)
    return (name, match.groupdict()) if match else None


def _stamp(parts: dict) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(parts["date"] + parts["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _hit(name: str, **values) -> Hit:
    return Hit(record={"Filename": name}, field="Filename", values=values)


@rule("Filename_1", severity=ERROR, scope="file", entity="File", fields=("Filename",),
      message="The file name {Filename} is not in the agency's format ILR-UKPRN-{year_code}-yyyymmdd-hhmmss-NN.xml "
              "(for example ILR-10000001-{year_code}-20260115-093000-01.xml). Rename the file, or export it "
              "again from ilrkit.")
def filename_1(ctx):
    name = submitted_name(ctx)
    if name is None:
        return None
    # the agency's service reads the whole name without regard to case (ilr-...XML is accepted)
    match = re.match(ctx.spec.facts["filename_pattern"], name, re.IGNORECASE)
    if match and _stamp(match.groupdict()) is not None:
        return None
    return _hit(name, year_code=ctx.spec.year_code)


@rule("Filename_4", severity=ERROR, scope="file", entity="File", fields=("Filename",),
      message="The file name {Filename} says the collection year is {year}, but this is the {year_code} "
              "collection. Rename the file with {year_code} as its year, and check it holds this year's data.")
def filename_4(ctx):
    found = _name_parts(ctx)
    if found is None or found[1]["year"] == ctx.spec.year_code:
        return None
    return _hit(found[0], year=found[1]["year"], year_code=ctx.spec.year_code)


@rule("Filename_5", severity=ERROR, scope="file", entity="File", fields=("Filename",),
      message="The serial number {serial} at the end of the file name {Filename} must be two digits, from 01 "
              "upwards (for example 01, 02). Rename the file.")
def filename_5(ctx):
    found = _name_parts(ctx)
    if found is None or re.fullmatch(r"[0-9]{2}", found[1]["serial"]):
        return None
    return _hit(found[0], serial=found[1]["serial"] or "(blank)")


@rule("Filename_6", severity=ERROR, scope="file", entity="File", fields=("Filename",),
      message="The serial number at the end of the file name {Filename} is 00; serial numbers start at 01. "
              "Rename the file.")
def filename_6(ctx):
    found = _name_parts(ctx)
    return _hit(found[0]) if found is not None and found[1]["serial"] == "00" else None


@rule("Filename_7", severity=ERROR, scope="file", entity="File", fields=("Filename",),
      message="The date and time in the file name {Filename} ({stamp}) are in the future. The name must carry "
              "the date and time the file was made: rename it, or export it again.")
def filename_7(ctx):
    found = _name_parts(ctx)
    stamp = _stamp(found[1]) if found is not None else None
    if stamp is None:
        return None
    # the clock only counts when validating as of today; for another day, any time on that day is fine
    if ctx.today == dt.date.today():
        now = dt.datetime.now()
    else:
        now = dt.datetime.combine(ctx.today, dt.time.max)
    return _hit(found[0], stamp=stamp.strftime("%d/%m/%Y %H:%M:%S")) if stamp > now else None


@rule("Header_3", severity=ERROR, scope="file", entity="Header", fields=("UKPRN",),
      message="The UKPRN in the file header ({UKPRN}) is not the UKPRN in the file name {Filename} "
              "({name_ukprn}). Both must be your organisation's UKPRN: correct the header or rename the file.")
def header_3(ctx):
    found = _name_parts(ctx)
    in_header = ctx.data.header.get("UKPRN")
    if found is None or in_header is None or found[1]["ukprn"] == in_header.strip():
        return None
    return Hit(record=header_record(ctx.data, "UKPRN"), field="UKPRN",
               values={"Filename": found[0], "name_ukprn": found[1]["ukprn"]})
