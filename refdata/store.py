"""Reference sets stored as SQLite (one file per set), and the rows a file needs read back from them.

Why SQLite: it is in Python's standard library (no new dependency for the add-in's users), one file per set
replaces atomically, and an index per key column lets a validation read only the rows for the aim
references, standards and postcodes its file uses, in milliseconds, instead of holding a 60 MB LARS in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

import pandas as pd

from ilrkit.refdata.readers import RefDataError, Source
from ilrkit.refdata.sets import SETS, RefSet

SUFFIX = ".sqlite"
META = "_meta"
COUNTS = "_tables"
BATCH = 5000

# how a key column's values are compared: aim references in upper case, postcodes also without spaces
_KEY_SQL = {"LearnAimRef": "upper({c})", "pcds": "replace(upper({c}),' ','')",
            "Postcode": "replace(upper({c}),' ','')"}


def key_value(column: str, value: str) -> str:
    """A file's value normalised the way the key column's index is (see ``_KEY_SQL``)."""
    value = str(value).strip()
    if column == "LearnAimRef":
        return value.upper()
    if column in ("pcds", "Postcode"):
        return value.upper().replace(" ", "")
    return value


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write(conn: sqlite3.Connection, source: Source, tables) -> dict[str, int]:
    """Fill an empty database with a source's tables, indexes and metadata; the row count per table."""
    counts: dict[str, int] = {}
    refset = source.refset
    for name, columns, rows in tables:
        conn.execute(f"CREATE TABLE {_q(name)} ({', '.join(_q(c) + ' TEXT' for c in columns)})")
        insert = f"INSERT INTO {_q(name)} VALUES ({', '.join('?' * len(columns))})"
        n = 0
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                conn.executemany(insert, batch)
                n += len(batch)
                batch.clear()
        if batch:
            conn.executemany(insert, batch)
            n += len(batch)
        counts[name] = n
        spec = refset.table(name)
        for key in spec.keys if spec else ():
            if key in columns:
                conn.execute(f"CREATE INDEX {_q('ix_' + name + '_' + key)} ON {_q(name)} "
                             f"({_KEY_SQL.get(key, '{c}').format(c=_q(key))})")
    for table in refset.tables:  # a table the file lacks is still there (empty), so rules can index it
        if table.name not in counts:
            cols = list(table.required) + list(refset.optional.get(table.name, ()))
            conn.execute(f"CREATE TABLE {_q(table.name)} ({', '.join(_q(c) + ' TEXT' for c in cols)})")
            counts[table.name] = 0
    if refset.tables[0].name in counts and counts[refset.tables[0].name] == 0 and refset.name == "LARS":
        raise RefDataError(f"{source.path}: LARS_LearningDelivery.csv has no rows. Download LARS again.")
    meta = {"set": refset.name, "source": source.path.name, "version": source.version, "date": source.date,
            "loaded": dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")}
    conn.execute(f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT)")
    conn.executemany(f"INSERT INTO {META} VALUES (?, ?)", meta.items())
    conn.execute(f"CREATE TABLE {COUNTS} (name TEXT PRIMARY KEY, rows INTEGER)")
    conn.executemany(f"INSERT INTO {COUNTS} VALUES (?, ?)", counts.items())
    conn.commit()
    return counts


def save(folder: Path, source: Source, tables) -> Path:
    """Store a set under ``folder`` as ``<SET>.sqlite``: written to a temporary file, then moved over the old
    one in one step, so a damaged file never replaces what was loaded before."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (source.refset.name + SUFFIX)
    fd, tmp = tempfile.mkstemp(prefix=f".{source.refset.name}-", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            write(conn, source, tables)
        finally:
            conn.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise RefDataError(f"{source.path}: could not be stored in {folder} ({exc}). What was loaded before is "
                           "unchanged.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def remove(folder: Path, name: str) -> Path | None:
    match = next((s for s in SETS if s.casefold() == name.casefold()), None)
    path = folder / f"{match or name}{SUFFIX}"
    if not path.is_file():
        return None
    path.unlink()
    return path


class Store:
    """One stored set (a SQLite file, or a database in memory built from a folder of source files)."""

    def __init__(self, conn_factory, label: str, shared: bool = False):
        self._factory = conn_factory
        self.label = label
        self._shared = shared  # one connection kept open (a database in memory); else one per read
        self._lock = threading.Lock()

    @classmethod
    def file(cls, path: Path) -> "Store":
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        return cls(lambda: sqlite3.connect(uri, uri=True), str(path))

    @classmethod
    def memory(cls, conn: sqlite3.Connection, label: str) -> "Store":
        return cls(lambda: conn, label, shared=True)

    @contextlib.contextmanager
    def _conn(self):
        with self._lock:
            try:
                conn = self._factory()
            except sqlite3.Error:
                raise RefDataError(f"{self.label}: cannot be opened as reference data. Load the file again "
                                   "with `ilr refdata add`.") from None
            try:
                yield conn
            finally:
                if not self._shared:
                    conn.close()

    def meta(self) -> dict:
        with self._conn() as conn:
            try:
                meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
                meta["tables"] = dict(conn.execute(f"SELECT name, rows FROM {COUNTS}").fetchall())
            except sqlite3.DatabaseError:
                raise RefDataError(f"{self.label}: not an ilrkit reference data store (or damaged). Remove it "
                                   "with `ilr refdata remove` and load the file again.") from None
        return meta

    def tables(self, keys: dict[str, set[str]]) -> dict[str, pd.DataFrame]:
        """Each table's rows for the key values given (tables without a key: every row), as text."""
        out = {}
        with self._conn() as conn:
            try:
                refset = SETS.get(dict(conn.execute(f"SELECT key, value FROM {META}").fetchall()).get("set", ""))
                names = [r[0] for r in conn.execute(f"SELECT name FROM {COUNTS}").fetchall()]
                for name in names:
                    out[name] = self._table(conn, refset, name, keys)
            except sqlite3.DatabaseError:
                raise RefDataError(f"{self.label}: the stored reference data is damaged. Load the file again "
                                   "with `ilr refdata add`.") from None
        return out

    @staticmethod
    def _table(conn: sqlite3.Connection, refset: RefSet | None, name: str, keys: dict[str, set[str]]):
        cur = conn.execute(f"SELECT * FROM {_q(name)} LIMIT 0")
        columns = [d[0] for d in cur.description]
        spec = refset.table(name) if refset else None
        use = [k for k in (spec.keys if spec else ()) if k in columns]
        if not use:
            rows = conn.execute(f"SELECT * FROM {_q(name)}").fetchall()
        else:
            rows = []
            seen: set = set()
            for key in use:
                values = sorted(keys.get(key, ()))
                expr = _KEY_SQL.get(key, "{c}").format(c=_q(key))
                for i in range(0, len(values), 500):  # SQLite's limit on bound values
                    chunk = values[i:i + 500]
                    sql = (f"SELECT rowid, * FROM {_q(name)} WHERE {expr} IN ({', '.join('?' * len(chunk))})")
                    for row in conn.execute(sql, chunk):
                        if row[0] not in seen:
                            seen.add(row[0])
                            rows.append(row[1:])
        return pd.DataFrame.from_records(rows, columns=columns).astype(object) if rows else \
            pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
