"""Lay out ILR tables (``IlrData``) as workbook rows, so that reading the workbook back gives the same tables.

Each sheet row is a dict of column key -> ILR text (``None`` for blank), plus ``KEY_OCCURRENCE`` where the
parent's key is repeated. What goes where follows ``templates/layout.py``, the same description the
workbook reader uses:

- a sheet's own rows come from its entity's table, in table (XML) order;
- a one-to-one child (LearnerHE) fills the columns on its parent's row;
- a pivot child (LearnerFAM, ESM, ...) fills a typed column on its parent's row when it can, and otherwise
  becomes a row of the pivot's overflow sheet.

The reader rebuilds a parent's pivot children as "column values in column order, then overflow rows", so a
child only goes into a column when that keeps its XML position: once one child of a parent goes to the
overflow sheet, or a child would land left of an earlier one, the rest go to the overflow sheet too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ilrkit.converter.cells import read_cell
from ilrkit.converter.model import IlrData
from ilrkit.templates.layout import KEY_OCCURRENCE, Column, Layout, Pivot, Sheet


@dataclass
class SheetRows:
    """The rows to write on one sheet, and whether they need an ``Occurrence`` column."""

    sheet: Sheet
    rows: list[dict] = field(default_factory=list)
    with_occurrence: bool = False


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


class _Tables:
    """Rows of every table as dicts, looked up by id and by parent id."""

    def __init__(self, layout: Layout, data: IlrData):
        self.spec = layout.spec
        self.records: dict[str, list[dict]] = {
            entity: [{k: _clean(v) if not k.startswith("_") else v for k, v in r.items()}
                     for r in df.to_dict("records")]
            for entity, df in data.tables.items()}
        self.by_id = {e: {r["_id"]: r for r in rows} for e, rows in self.records.items()}
        self._children: dict[str, dict] = {}

    def rows(self, entity: str) -> list[dict]:
        return self.records.get(entity, [])

    def children(self, entity: str, parent_id) -> list[dict]:
        if entity not in self._children:
            groups = defaultdict(list)
            for r in self.rows(entity):
                groups[r.get("_parent")].append(r)
            self._children[entity] = groups
        return self._children[entity].get(parent_id, [])

    def ancestor(self, entity: str, row: dict, wanted: str) -> dict | None:
        """The row of entity ``wanted`` that ``row`` (of ``entity``) belongs to (``row`` itself included)."""
        while row is not None:
            if entity == wanted:
                return row
            entity = self.spec.entity(entity).parent
            if entity is None or entity not in self.by_id:
                return None
            row = self.by_id[entity].get(row.get("_parent"))
        return None


def _lookup_entity(layout: Layout, entity: str) -> str | None:
    """The entity whose sheet rows the reader matches ``entity`` rows to (LearnerHE children -> Learner)."""
    parent = layout.spec.entity(entity).parent
    while parent is not None:
        sheet_name = layout.entity_sheet.get(parent)
        if sheet_name and layout.sheets[sheet_name].entity == parent:
            return parent
        parent = layout.spec.entity(parent).parent
    return None


class _Filler:
    def __init__(self, layout: Layout, data: IlrData):
        self.layout = layout
        self.spec = layout.spec
        self.t = _Tables(layout, data)
        self.out = {name: SheetRows(sheet) for name, sheet in layout.sheets.items()}
        self.occurrence: dict[str, dict] = {}  # entity -> row id -> 1-based occurrence of its key
        self.duplicated: set[str] = set()  # entities with a repeated key
        self._parents: dict[str, str | None] = {}
        self._pivot_columns: dict[tuple[str, str], list[Column]] = {}

    def parent_entity(self, entity: str) -> str | None:
        if entity not in self._parents:
            self._parents[entity] = _lookup_entity(self.layout, entity)
        return self._parents[entity]

    def pivot_columns(self, sheet: Sheet, pivot: Pivot) -> list[Column]:
        key = (sheet.name, pivot.entity)
        if key not in self._pivot_columns:
            self._pivot_columns[key] = [c for c in sheet.columns if c.pivot == pivot]
        return self._pivot_columns[key]

    # -- occurrences -----------------------------------------------------------------------------------
    def number_occurrences(self) -> None:
        """Count repeated keys as the reader will see them (values normalised as it reads them)."""
        for sheet in self.layout.sheets.values():
            if not sheet.key or sheet.overflow_of is not None:
                continue
            key_cols = list(sheet.key_columns) + [sheet.column(k) for k in sheet.key
                                                  if k not in {c.key for c in sheet.key_columns}]
            seen: dict[tuple, int] = defaultdict(int)
            numbers = self.occurrence.setdefault(sheet.entity, {})
            for row in self.t.rows(sheet.entity):
                key = tuple(self.reader_value(c, self.key_value(sheet.entity, row, c)) for c in key_cols)
                seen[key] += 1
                numbers[row["_id"]] = seen[key]
                if seen[key] > 1:
                    self.duplicated.add(sheet.entity)

    def reader_value(self, column: Column, text: str | None) -> str | None:
        if text is None:
            return None
        return read_cell(text, column.field, self.spec.codelist(column.codelist_key))

    def key_value(self, entity: str, row: dict, column: Column) -> str | None:
        owner = self.t.ancestor(entity, row, column.entity)
        source = owner if owner is not None else row  # descendants carry LearnRefNumber/AimSeqNumber too
        return source.get(column.field.name)

    # -- rows ------------------------------------------------------------------------------------------
    def base_row(self, sheet: Sheet, entity: str, row: dict) -> dict:
        """Key columns, occurrence and the entity's own fields."""
        values: dict = {}
        for c in sheet.columns:
            if c.is_key:
                values[c.key] = self.key_value(entity, row, c)
            elif c.entity == entity and c.pivot is None:
                values[c.key] = row.get(c.field.name)
        parent = self.parent_entity(entity)
        if parent in self.duplicated:
            owner = self.t.ancestor(entity, row, parent)
            n = self.occurrence.get(parent, {}).get(owner["_id"]) if owner is not None else None
            values[KEY_OCCURRENCE] = n if n and n > 1 else None
        return values

    def fill(self) -> dict[str, SheetRows]:
        self.number_occurrences()
        for sheet in self.layout.sheets.values():
            if sheet.overflow_of is not None:
                continue  # filled while placing the pivot children of the parent sheet
            for row in self.t.rows(sheet.entity):
                values = self.base_row(sheet, sheet.entity, row)
                for child in sheet.one_to_one:
                    found = self.t.children(child, row["_id"])
                    if found:
                        for c in sheet.columns:
                            if c.entity == child:
                                values[c.key] = found[0].get(c.field.name)
                for pivot in sheet.pivots:
                    self.place(sheet, pivot, row, values)
                self.out[sheet.name].rows.append(values)
        for rows in self.out.values():
            rows.with_occurrence = self.parent_entity(rows.sheet.entity) in self.duplicated
        return self.out

    def place(self, sheet: Sheet, pivot: Pivot, row: dict, values: dict) -> None:
        columns = self.pivot_columns(sheet, pivot)
        position = {c.key: i for i, c in enumerate(columns)}
        used: set[str] = set()
        last = -1
        overflowing = False
        extra_fields = [f.name for f in self.spec.entity(pivot.entity).fields
                        if f.name not in (pivot.type_field, pivot.value_field)]
        for child in self.t.children(pivot.entity, row["_id"]):
            type_, value = child.get(pivot.type_field), child.get(pivot.value_field)
            slot = None
            if not overflowing and value is not None and not any(child.get(f) for f in extra_fields):
                slot = next((c for c in columns if c.pivot_type == type_ and c.key not in used), None)
                if slot is not None and position[slot.key] < last:
                    slot = None
            if slot is None:
                overflowing = True
                target = self.layout.sheets[pivot.overflow]
                self.out[target.name].rows.append(self.base_row(target, pivot.entity, child))
                continue
            used.add(slot.key)
            last = position[slot.key]
            values[slot.key] = value


def sheet_rows(layout: Layout, data: IlrData) -> dict[str, SheetRows]:
    """Rows for every sheet of the layout (empty lists for sheets with nothing to show)."""
    return _Filler(layout, data).fill()
