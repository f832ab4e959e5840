"""Read a published reference file (a LARS CSV zip, a contracts CSV, a postcode file, ...) table by table.

Each reader yields ``(table, columns, rows)`` with the official table and column names; rows are lists of
text (``None`` for an empty cell). Files are parsed with the csv module, zips with zipfile, streaming, so a
large file is never held in memory whole. Anything wrong with a file raises ``RefDataError`` naming the file
(and the table, line or column) and saying what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ilrkit.converter.errors import InputError
from ilrkit.refdata.sets import LARS, SETS, RefSet

csv.field_size_limit(1 << 24)  # LARS titles and notes are long; the default 128 KB limit is not enough


class RefDataError(InputError):
    """A reference data file cannot be used; the message says which file and why."""


def norm(name: str) -> str:
    """A heading compared ignoring case, spaces, underscores and hyphens (``Source of funding``)."""
    return re.sub(r"[\s_\-]", "", str(name)).casefold()


@dataclass
class Source:
    """One file (or folder) to load as one set."""

    path: Path
    refset: RefSet
    version: str = ""
    date: str = ""
    meta: dict = field(default_factory=dict)


def _text_stream(raw, where: str):
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


def _rows(stream, where: str, refset: RefSet, table: str, keep_all: bool) -> tuple[list[str], Iterator[list]]:
    """The header mapped to official names and an iterator of rows (only the kept columns)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise RefDataError(f"{where}: the first line cannot be read as CSV ({_why(exc)}).") from None
    if not header or not any(h.strip() for h in header):
        raise RefDataError(f"{where}: the file is empty; it should start with a line of column headings.")
    spec = refset.table(table)
    known = list(spec.required) + list(refset.optional.get(table, ())) if spec else []
    by_norm = {norm(k): k for k in known}
    names = [by_norm.get(norm(h), h.strip()) for h in header]
    seen = set()
    for n in names:
        if n and n in seen:
            raise RefDataError(f"{where}: the column {n!r} appears twice; remove one and load it again.")
        seen.add(n)
    if spec:
        missing = [c for c in spec.required if c not in seen]
        if missing:
            raise RefDataError(f"{where}: the column {missing[0]!r} is missing (expected the columns "
                               f"{', '.join(spec.required)}). Is this {refset.source}?")
    # a blank heading (a trailing comma) names no column: its cells are dropped
    keep = [i for i, n in enumerate(names) if n and (keep_all or n in by_norm.values())]
    width = len(names)

    def rows() -> Iterator[list]:
        try:
            for row in reader:
                if len(row) != width:
                    if not any(c.strip() for c in row):
                        continue
                    raise RefDataError(f"{where}, line {reader.line_num}: {len(row)} values where the heading "
                                       f"has {width}. The file looks damaged or cut short: download it again.")
                yield [(row[i].strip() or None) for i in keep]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise RefDataError(f"{where}, line {reader.line_num}: cannot be read as CSV ({_why(exc)}). "
                               "The file looks damaged: download it again.") from None

    return [names[i] for i in keep], rows()


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return exc.__class__.__name__ if not str(exc) else str(exc).split("\n")[0][:120]


# ---------------------------------------------------------------------------------------------- detection

def _csv_header(path: Path) -> list[str]:
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise RefDataError(f"{path}: cannot be opened ({exc.strerror or exc.__class__.__name__}).") from None
    text = codecs.decode(head, "utf-8", errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    try:
        return next(csv.reader([first]), [])
    except csv.Error:
        return []


def _set_from_header(header: list[str]) -> RefSet | None:
    cols = {norm(h) for h in header}
    if "fundingstreamperiodcode" in cols:
        return SETS["Contracts"]
    if "epaorgid" in cols:
        return SETS["EPAOrganisations"]
    if "sourceoffunding" in cols and "postcode" in cols:
        return SETS["DevolvedPostcodes"]
    if "pcds" in cols:
        return SETS["Postcodes"]
    if "learnaimref" in cols and "learnaimreftitle" in cols:
        return LARS
    if "ukprn" in cols and any(c.startswith("registration") or c.startswith("ofsregist") for c in cols):
        return SETS["OfSProviders"]  # the Office for Students register: UKPRNs with their registration
    if "ukprn" in cols:
        return SETS["Organisations"]
    return None


def _stem(member: str) -> str:
    return Path(member.replace("\\", "/")).stem


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise RefDataError(f"{path}: not a readable zip file (it may be cut short or damaged). Download it "
                           "again; what was loaded before is unchanged.") from None
    except OSError as exc:
        raise RefDataError(f"{path}: cannot be opened ({exc.strerror or exc.__class__.__name__}).") from None


MAX_UNPACKED = 8 * 1024 ** 3  # the ONS Postcode Directory unpacks to about 1.5 GB; LARS to about 0.5 GB


def _zip_csvs(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".csv")]
    # zipfile never reads past a member's declared size, so the declared sizes bound what a zip can unpack to
    if sum(i.file_size for i in members) > MAX_UNPACKED:
        raise RefDataError(f"{zf.filename}: its CSV files would unpack to more than {MAX_UNPACKED // 1024 ** 3} GB, "
                           "far more than any published reference file. Check it is the right file.")
    return members


def detect(path: Path) -> RefSet:
    """Which set a file is, from its name, its zip members or its column headings."""
    path = Path(path)
    if path.is_dir():
        if (path / "LARS_LearningDelivery.csv").is_file():
            return LARS
        raise RefDataError(f"{path}: a folder is loaded only when it holds the LARS CSV files "
                           "(LARS_LearningDelivery.csv, ...). Give the files inside it instead.")
    if not path.is_file():
        raise RefDataError(f"{path}: no such file.")
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        with _open_zip(path) as zf:
            members = _zip_csvs(zf)
            if any(_stem(i.filename) == "LARS_LearningDelivery" for i in members):
                return LARS
            if _onspd_member(members) is not None:
                return SETS["Postcodes"]
        raise RefDataError(f"{path}: this zip holds neither the LARS CSV files (LARS_LearningDelivery.csv) nor "
                           "the ONS Postcode Directory. Give the LARS \"download the learning aims data set\" CSV "
                           "zip, or one of the files listed by `ilr refdata add --help`.")
    if path.suffix.lower() not in (".csv", ".txt"):
        raise RefDataError(f"{path}: ilrkit loads reference data from CSV files and zips of CSV files; save "
                           "a spreadsheet as CSV first.")
    found = _set_from_header(_csv_header(path))
    if found is None or found is LARS:
        raise RefDataError(f"{path}: the column headings do not match any reference set ilrkit knows (see "
                           "docs/refdata.md). For LARS give the whole zip or folder of LARS CSV files.")
    return found


def _onspd_member(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """The ONS Postcode Directory's one all-UK CSV (Data/ONSPD_<MONTH>_<YEAR>_UK.csv)."""
    for info in members:
        if re.fullmatch(r"ONSPD_.*_UK", _stem(info.filename), flags=re.I):
            return info
    return None


# ------------------------------------------------------------------------------------------------ reading

def read(path: Path, refset: RefSet | None = None) -> tuple[Source, Iterator[tuple[str, list[str], Iterator]]]:
    """The source's description and its tables, read lazily (consume each table's rows before the next)."""
    path = Path(path)
    refset = refset or detect(path)
    if refset is LARS:
        return _read_lars(path)
    source = Source(path, refset, version="", date=_mtime_date(path))  # a CSV says no version; its date
    table = refset.tables[0].name
    if zipfile.is_zipfile(path):
        with _open_zip(path) as zf:
            member = _onspd_member(_zip_csvs(zf))
        if member is not None:  # Data/ONSPD_MAY_2025_UK.csv: the directory's edition
            source.version = _stem(member.filename).removeprefix("ONSPD_").removesuffix("_UK").replace("_", " ")
            source.date = dt.date(*member.date_time[:3]).isoformat()
        return source, _zip_table(path, refset, table)
    return source, _csv_table(path, refset, table)


def _mtime_date(path: Path) -> str:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return ""


def _csv_table(path: Path, refset: RefSet, table: str):
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise RefDataError(f"{path}: cannot be opened ({exc.strerror or exc.__class__.__name__}).") from None
    with fh:
        cols, rows = _rows(_text_stream(fh, str(path)), str(path), refset, table, keep_all=False)
        yield table, cols, rows


def _zip_table(path: Path, refset: RefSet, table: str):
    with _open_zip(path) as zf:
        info = _onspd_member(_zip_csvs(zf))
        where = f"{path} ({info.filename})"
        with _guard_zip(where), zf.open(info) as raw:
            cols, rows = _rows(_text_stream(raw, where), where, refset, table, keep_all=False)
            yield table, cols, _guarded(rows, where)


class _guard_zip:
    """Turn a damaged member (bad CRC, cut short) into a RefDataError naming it."""

    def __init__(self, where: str):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is not None and isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
            raise RefDataError(f"{self.where}: the zip is damaged or cut short ({_why(exc)}). Download it "
                               "again; what was loaded before is unchanged.") from None
        return False


def _guarded(rows: Iterator, where: str) -> Iterator:
    with _guard_zip(where):
        yield from rows


def _read_lars(path: Path):
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if p.stem.startswith("LARS_"))
        source = Source(path, LARS, version=path.name, date=_mtime_date(path / "LARS_LearningDelivery.csv"))
        _lars_version(source, {p.stem: p for p in files}, lambda p: p.open("rb"))

        def tables():
            for p in files:
                with p.open("rb") as fh:
                    cols, rows = _rows(_text_stream(fh, str(p)), str(p), LARS, p.stem, keep_all=True)
                    yield p.stem, cols, rows
        return source, tables()

    zf = _open_zip(path)
    members = {_stem(i.filename): i for i in _zip_csvs(zf) if _stem(i.filename).startswith("LARS_")}
    if "LARS_LearningDelivery" not in members:
        zf.close()
        raise RefDataError(f"{path}: LARS_LearningDelivery.csv is not in this zip. Give the LARS \"download the "
                           "learning aims data set\" CSV zip.")
    newest = max(members.values(), key=lambda i: i.date_time).date_time
    source = Source(path, LARS, version=path.name, date=dt.date(*newest[:3]).isoformat())
    with _guard_zip(str(path)):
        _lars_version(source, members, zf.open)

    def tables():
        with zf:
            for stem, info in sorted(members.items()):
                where = f"{path} ({info.filename})"
                with _guard_zip(where), zf.open(info) as raw:
                    cols, rows = _rows(_text_stream(raw, where), where, LARS, stem, keep_all=True)
                    yield stem, cols, _guarded(rows, where)
    return source, tables()


def _lars_version(source: Source, members: dict, opener) -> None:
    """LARS_Version.csv, when the download has it, says which LARS version and since when."""
    if "LARS_Version" not in members:
        return
    try:
        with opener(members["LARS_Version"]) as raw:
            rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))
    except (csv.Error, UnicodeDecodeError, OSError):
        return
    if not rows:
        return
    last = rows[-1]
    parts = [last.get(k) for k in ("MajorNumber", "MinorNumber", "MaintenanceNumber") if last.get(k)]
    if parts:
        source.version = ".".join(p.strip() for p in parts)
    when = (last.get("ActivationDate") or last.get("Modified_On") or "").strip()
    if when:
        source.date = when.split(" ")[0].split("T")[0]
