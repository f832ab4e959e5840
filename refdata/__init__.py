"""Reference data a provider loads (LARS, its contracts, postcodes, ...) and what a validation reads from it.

``ilr refdata add FILE`` stores each set in the user's data folder (``store``); ``for_data(data, folder)``
gives the ``ReferenceData`` for one ILR: only the rows its aims, standards and postcodes can use. The tables
and columns rules see are listed in docs/refdata.md.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ilrkit.refdata.dates import ref_date
from ilrkit.refdata.readers import RefDataError, detect, read
from ilrkit.refdata.sets import NOT_LOADABLE, SETS, RefSet, by_agency_name
from ilrkit.refdata.store import SUFFIX, Store, key_value, remove, save, write
from ilrkit.rules.reference import EMPTY, ReferenceData

__all__ = ["RefDataError", "SETS", "RefSet", "NOT_LOADABLE", "by_agency_name", "ref_date", "default_folder", "detect",
           "add", "listing", "remove_set", "stores", "for_data", "file_keys", "postcode_key"]


def default_folder() -> Path:
    """``<user data folder>/refdata``: where ``ilr refdata add`` stores what it loads."""
    from ilrkit.schemas.userdata import user_data_dir

    return user_data_dir() / "refdata"


def postcode_key(value: str) -> str:
    """A postcode as the postcode tables are matched: upper case, no spaces."""
    return key_value("pcds", value)


def add(paths: list[Path], folder: Path | None = None) -> list[tuple[RefSet, Path, dict[str, int]]]:
    """Load each file into the store; each replaces the same set loaded before. Stops at the first bad file
    (the sets stored before it stay loaded; the bad one leaves the old data as it was)."""
    folder = Path(folder) if folder is not None else default_folder()
    done = []
    for path in paths:
        source, tables = read(Path(path))
        target = save(folder, source, tables)
        done.append((source.refset, target, Store.file(target).meta()["tables"]))
    _forget(folder)
    return done


def listing(folder: Path | None = None) -> list[dict]:
    """What each loaded set is: name, source file, version, date, when loaded, rows per table."""
    folder = Path(folder) if folder is not None else default_folder()
    out = []
    for name, store in stores(folder).items():
        meta = store.meta()
        meta["name"] = name
        out.append(meta)
    return out


def remove_set(name: str, folder: Path | None = None) -> Path | None:
    folder = Path(folder) if folder is not None else default_folder()
    path = remove(folder, name)
    _forget(folder)
    return path


# --------------------------------------------------------------------------------------- opening a folder

_CACHE: dict[tuple, dict[str, Store]] = {}
_CACHE_LOCK = threading.Lock()


def _entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir() and (p / "LARS_LearningDelivery.csv").is_file():
            out.append(p)
        elif p.is_file() and p.suffix.lower() in (SUFFIX, ".csv", ".zip"):
            out.append(p)
    return out


def _signature(entries: list[Path]) -> tuple:
    sig = []
    for p in entries:
        files = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        for f in files:
            st = f.stat()
            sig.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(sig)


def _forget(folder: Path) -> None:
    with _CACHE_LOCK:
        for key in [k for k in _CACHE if k[0] == str(Path(folder).resolve())]:
            del _CACHE[key]


def stores(folder: Path) -> dict[str, Store]:
    """The sets in a folder: stored sets (``<SET>.sqlite``) and source files (a LARS zip or folder of LARS
    CSVs, contracts CSV, ...) read into memory. Opened once per process while the files are unchanged."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise RefDataError(f"{folder}: --refdata needs a folder of reference data files, not a file. "
                           "Load single files with `ilr refdata add`.")
    entries = _entries(folder)
    if not entries and (folder / "refdata").is_dir():  # the data folder itself was given
        folder = folder / "refdata"
        entries = _entries(folder)
    key = (str(folder.resolve()), _signature(entries))
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    found: dict[str, Store] = {}
    for entry in entries:
        if entry.suffix.lower() == SUFFIX:
            store = Store.file(entry)
            name = store.meta().get("set") or entry.stem
        else:
            source, tables = read(entry)
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            write(conn, source, tables)
            store, name = Store.memory(conn, str(entry)), source.refset.name
        if name in found:
            raise RefDataError(f"{folder}: two files hold {name} ({found[name].label} and {entry.name}); "
                               "keep one.")
        found[name] = store
    with _CACHE_LOCK:
        _CACHE[key] = found
    return found


# --------------------------------------------------------------------------------------- per validation

def _values(df, column: str) -> set[str]:
    if df is None or column not in df.columns:
        return set()
    return {str(v) for v in df[column].tolist() if v is not None and str(v).strip()}


def file_keys(data) -> dict[str, set[str]]:
    """The key values an ILR can look up: aim references, standard codes, postcodes, UKPRNs (normalised as
    the stores' indexes are)."""
    tables = data.tables
    aims = tables.get("LearningDelivery")
    postcodes: set[str] = set()
    ukprns: set[str] = set()
    for df in tables.values():
        for col in df.columns:
            if col.startswith("_"):
                continue
            if "postcode" in col.casefold():
                postcodes |= _values(df, col)
            elif col.upper().endswith("UKPRN"):
                ukprns |= _values(df, col)
    header_ukprn = (getattr(data, "header", {}) or {}).get("UKPRN")
    if header_ukprn:
        ukprns.add(str(header_ukprn).strip())
    pc = {key_value("pcds", v) for v in postcodes}
    return {"LearnAimRef": {key_value("LearnAimRef", v) for v in _values(aims, "LearnAimRef")},
            "StandardCode": _values(aims, "StdCode"), "pcds": pc, "Postcode": pc, "UKPRN": ukprns}


def for_data(data, folder: Path | None = None) -> ReferenceData:
    """The reference data one ILR can use, from the sets in ``folder`` (default: the user's store), and the
    workbook's own Contracts sheet when it has rows."""
    folder = Path(folder) if folder is not None else default_folder()
    found = stores(folder)
    own = ReferenceData.from_rows(getattr(data, "reference_rows", None) or {}).tables
    if not found and not own:
        return EMPTY
    keys = file_keys(data)
    tables = {name: store.tables(keys) for name, store in found.items() if name not in own}
    # a workbook's own Contracts sheet is the provider's word on its contracts: it replaces a stored set
    tables.update(own)
    return ReferenceData(tables)
