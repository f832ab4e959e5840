"""The workbook layout of a year: which sheet holds which ILR entity, and which column holds which field.

The template writer, the workbook reader and the XML-to-workbook importer all read this one description,
built from the year pack's ``spec.yaml``, ``codelists.yaml`` and ``layout.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import yaml

from ilrkit.schemas import Field, Spec, load_spec
from ilrkit.schemas.spec import on_reload

KEY_OCCURRENCE = "Occurrence"  # extra key column written only when an ILR file repeats a key


@dataclass(frozen=True)
class Pivot:
    """A repeating child entity spread over columns, one per type and occurrence."""

    entity: str
    type_field: str
    value_field: str
    slots: tuple[tuple[str, int], ...]  # (type, occurrence number)
    overflow: str  # sheet for whatever does not fit the columns
    types_with_many: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Column:
    key: str  # the code shown in square brackets in the header: "ULN", "LSR 2", "ProvSpecDelMon A"
    entity: str  # the entity the value belongs to
    field: Field  # the field whose value the cells hold
    label: str
    is_key: bool = False  # a parent key column on a child sheet (LearnRefNumber, AimSeqNumber)
    pivot: Pivot | None = None
    pivot_type: str | None = None
    slot: int | None = None

    @property
    def header(self) -> str:
        return f"{self.label} [{self.key}]" if self.label and self.label != self.key else self.key

    @property
    def codelist_key(self) -> str:
        if self.pivot_type and self.pivot is not None and self.pivot.entity.endswith(("FAM", "Monitoring")):
            return f"{self.entity}.{self.pivot_type}"
        return self.field.qualified


@dataclass(frozen=True)
class Sheet:
    name: str
    entity: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # fields that identify a row to the child sheets
    parent_sheet: str | None = None
    one_to_one: tuple[str, ...] = ()
    pivots: tuple[Pivot, ...] = ()
    overflow_of: Pivot | None = None
    only_when_used: bool = False

    @property
    def key_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_key)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.name} has no column {key}")


@dataclass(frozen=True)
class Layout:
    spec: Spec
    sheets: dict[str, Sheet]
    provider_sheet: str
    lists_sheet: str
    meta_sheet: str
    entity_sheet: dict[str, str] = field(default_factory=dict)  # entity -> sheet holding its rows

    def sheet_for(self, entity: str) -> Sheet:
        return self.sheets[self.entity_sheet[entity]]

    @property
    def data_sheets(self) -> tuple[Sheet, ...]:
        return tuple(self.sheets.values())


_HEADER_CODE = re.compile(r"\[([^\[\]]+)\]\s*$")


def header_code(text: str) -> str:
    """The column code a header cell names: the text in its trailing brackets, else the whole text."""
    text = " ".join(str(text).split())
    m = _HEADER_CODE.search(text)
    return (m.group(1) if m else text).strip()


def _label(spec: Spec, qualified: str, fallback: str) -> str:
    try:
        return spec.field(qualified).label or fallback
    except KeyError:
        return fallback


@cache
def load_layout(year: str = "2025-26") -> Layout:
    spec = load_spec(year)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C parser: several times faster at start-up
    raw = yaml.load((spec.folder / "layout.yaml").read_text(encoding="utf-8"), Loader=loader)
    texts = yaml.load((spec.folder / "fields.yaml").read_text(encoding="utf-8"), Loader=loader) \
        if (spec.folder / "fields.yaml").is_file() else {}
    texts = texts or {}

    sheets: dict[str, Sheet] = {}
    entity_sheet: dict[str, str] = {}
    keys_of: dict[str, tuple[Column, ...]] = {}  # entity -> key columns its children carry

    def parent_keys(entity: str) -> tuple[Column, ...]:
        parent = spec.entity(entity).parent
        while parent is not None and parent not in keys_of:
            parent = spec.entity(parent).parent
        return keys_of.get(parent, ())

    def own_columns(entity: str) -> list[Column]:
        return [Column(f.name, entity, f, f.label or f.name) for f in spec.entity(entity).fields]

    for s in raw["sheets"]:
        entity = s["entity"]
        cols: list[Column] = [Column(c.key, c.entity, c.field, c.label, is_key=True) for c in parent_keys(entity)]
        cols += own_columns(entity)
        pivots = []
        for p in s.get("pivots", ()):
            pivot_entity = p["entity"]
            value = spec.entity(pivot_entity).field(p["value_field"])
            if "slots" in p:
                slots = tuple((t, 1) for t in p["slots"])
                many = frozenset()
            else:
                fam = {t.type: t for t in spec.fam_types.get(pivot_entity, ())}
                slots = tuple((t, n + 1) for t in p["order"] if t in fam and not fam[t].dated
                              for n in range(fam[t].max_occurs or 1))
                many = frozenset(t for t in p["order"] if t in fam and (fam[t].max_occurs or 1) > 1)
            pivot = Pivot(pivot_entity, p["type_field"], p["value_field"], slots, p["overflow"], many)
            pivots.append(pivot)
            for type_, n in slots:
                text = texts.get(f"{pivot_entity}.{type_}", {}) or {}
                key = f"{type_} {n}" if type_ in many else type_
                if "slots" in p:
                    key = f"{p['value_field']} {type_}"
                label = text.get("label") or (f"{value.label or value.name} {type_}" if "slots" in p else type_)
                if type_ in many:
                    label = f"{label} {n}"
                cols.append(Column(key, pivot_entity, value, label, pivot=pivot, pivot_type=type_, slot=n))
        for child in s.get("one_to_one", ()):  # rarely used (HE), so after the FAM columns
            cols += own_columns(child)
            entity_sheet[child] = s["name"]
        sheet = Sheet(s["name"], entity, tuple(cols), tuple(s.get("key", ())),
                      parent_sheet=None, one_to_one=tuple(s.get("one_to_one", ())), pivots=tuple(pivots),
                      only_when_used=bool(s.get("only_when_used")))
        sheets[s["name"]] = sheet
        entity_sheet.setdefault(entity, s["name"])
        if sheet.key:
            own = {c.key: c for c in cols if not c.is_key}
            keys_of[entity] = tuple(c for c in sheet.key_columns) + tuple(
                own[k] for k in sheet.key if k in own)
            for child in sheet.one_to_one:
                keys_of[child] = keys_of[entity]

    # overflow sheets for pivots that have no sheet of their own (made only when needed)
    for sheet in list(sheets.values()):
        for pivot in sheet.pivots:
            if pivot.overflow in sheets:
                existing = sheets[pivot.overflow]
                sheets[pivot.overflow] = Sheet(existing.name, existing.entity, existing.columns, existing.key,
                                               overflow_of=pivot, only_when_used=existing.only_when_used)
                continue
            cols = [Column(c.key, c.entity, c.field, c.label, is_key=True) for c in parent_keys(pivot.entity)]
            cols += own_columns(pivot.entity)
            sheets[pivot.overflow] = Sheet(pivot.overflow, pivot.entity, tuple(cols), overflow_of=pivot,
                                           only_when_used=True)

    # parent sheet names, for messages ("no learner LR01 on the Learners sheet")
    final = {}
    for name, sheet in sheets.items():
        parent = spec.entity(sheet.entity).parent
        while parent is not None and parent not in entity_sheet:
            parent = spec.entity(parent).parent
        parent_sheet = entity_sheet.get(parent) if parent else None
        final[name] = Sheet(sheet.name, sheet.entity, sheet.columns, sheet.key, parent_sheet, sheet.one_to_one,
                            sheet.pivots, sheet.overflow_of, sheet.only_when_used)
    return Layout(spec, final, raw["provider_sheet"], raw["lists_sheet"], raw["meta_sheet"], entity_sheet)


on_reload(load_layout.cache_clear)  # `ilr schema import` in this process replaces a year's layout
