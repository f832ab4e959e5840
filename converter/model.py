"""The ILR held as tables: one pandas DataFrame per entity, whatever it was read from.

Every value is kept as text exactly as it will be written to XML (``None`` when absent), so nothing is
lost between a workbook, these tables and the XML. Rules convert to numbers and dates as they need.

Bookkeeping columns (all start with ``_``):

- ``_id``: the row's id within its table; ``_parent``: the id of the parent entity's row;
- ``_learner``: the id of the learner the row belongs to (learner descendants only);
- ``_sheet``, ``_row``: where the row came from in a workbook (``None`` for XML);
- ``_col``: for a value that came from a spread-out column (``LSR 2``), that column's key.

Learner descendants also carry ``LearnRefNumber`` and aim descendants ``AimSeqNumber`` so that findings
can name the learner and aim without a join.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ilrkit.schemas import Spec, load_spec

BOOKKEEPING = ("_id", "_parent", "_learner", "_sheet", "_row", "_col")
HEADER_ENTITIES = ("CollectionDetails", "Source")
LEARNING_PROVIDER_UKPRN = "LearningProvider.UKPRN"


def data_entities(spec: Spec) -> list[str]:
    """Entities held as tables: SourceFile and everything from Learner down, in schema order."""
    order: list[str] = []

    def walk(name: str) -> None:
        order.append(name)
        for child in spec.entity(name).children:
            walk(child)

    walk("SourceFile")
    walk("Learner")
    return order


def empty_table(spec: Spec, entity: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in table_columns(spec, entity)})


def table_columns(spec: Spec, entity: str) -> list[str]:
    cols = ["_id", "_parent", "_learner", "_sheet", "_row", "_col"]
    fields = [f.name for f in spec.entity(entity).fields]
    path = spec.entity(entity).path
    if "/Learner/" in path + "/" and entity != "Learner":
        cols.append("LearnRefNumber")
    if "/LearningDelivery/" in path and entity != "LearningDelivery":
        cols.append("AimSeqNumber")
    return cols + [f for f in fields if f not in cols]


@dataclass
class IlrData:
    """One ILR return: header values plus a table per entity."""

    year: str
    header: dict[str, str | None]
    tables: dict[str, pd.DataFrame]
    origin: str = "xml"  # "xml" or "workbook"
    path: Path | None = None
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> column key -> letter
    problems: list = field(default_factory=list)  # Findings about the file's structure, found while reading
    # reference data the workbook itself holds (its Contracts sheet): {set: {table: [rows of text]}}
    reference_rows: dict = field(default_factory=dict)

    @property
    def spec(self) -> Spec:
        return load_spec(self.year)

    def table(self, entity: str) -> pd.DataFrame:
        if entity not in self.tables:
            self.tables[entity] = empty_table(self.spec, entity)
        return self.tables[entity]

    @property
    def learners(self) -> pd.DataFrame:
        return self.table("Learner")

    @property
    def ukprn(self) -> str | None:
        return self.header.get("UKPRN")

    def location(self, row, field_name: str | None = None) -> tuple[str | None, int | None, str | None]:
        """(sheet, row, column letter) of a field of a table row (a Series or mapping), where known."""
        sheet = row.get("_sheet") if hasattr(row, "get") else None
        if not sheet or (isinstance(sheet, float) and pd.isna(sheet)):
            return None, None, None
        excel_row = row.get("_row")
        excel_row = int(excel_row) if excel_row is not None and not pd.isna(excel_row) else None
        key = row.get("_col") or field_name
        if isinstance(key, float):
            key = field_name
        if isinstance(key, str) and key.endswith("@cell"):  # a key/value sheet: the map holds "B7"
            cell = self.columns.get(sheet, {}).get(key[:-5], "")
            return sheet, excel_row, "".join(ch for ch in cell if ch.isalpha()) or None
        letter = self.columns.get(sheet, {}).get(key) if key else None
        return sheet, excel_row, letter


def frame(spec: Spec, entity: str, rows: list[dict]) -> pd.DataFrame:
    """A table from row dicts, with every column of the entity present, in a stable order."""
    cols = table_columns(spec, entity)
    if not rows:
        return empty_table(spec, entity)
    df = pd.DataFrame.from_records(rows, columns=cols)
    return df.astype(object).where(df.notna(), None)


def text_frame(spec: Spec, entity: str, rows: list[dict]) -> pd.DataFrame:
    """``frame`` for rows whose fields are all text or None (as the workbook reader makes them): the same
    table, without pandas first inferring every column's type only for it to be turned back into objects."""
    cols = table_columns(spec, entity)
    if not rows:
        return empty_table(spec, entity)
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    df = df.where(df.notna(), None)
    for col in ("_id", "_parent", "_learner", "_row"):
        blank = df[col].isna()
        if blank.any() and not blank.all():  # numbers and blanks in one column: frame makes them floats
            return frame(spec, entity, rows)
    return df
