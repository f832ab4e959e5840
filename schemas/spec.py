"""The ILR specification of one collection year, loaded from its year pack folder.

A year pack is a folder named after the year (``2025-26``) holding:

- ``spec.yaml``: every entity and field of the XML schema, in schema order, with types and facets;
- ``codelists.yaml``: valid codes with labels and valid-from/to dates, and the FAM/ESM types;
- ``fields.yaml``: readable names and help text for each field (our own words);
- ``year.yaml``: collection facts that are not in the schema (teaching-year dates, file name pattern), and
  for a pack made before the agency published its schema, ``status: provisional`` with the list of choices.

Adding a year means adding a folder; no code changes. Packs ship in this package; a pack the user built
from the agency's own files (``ilr schema import``) lives in ``<user data folder>/schemas/<year>`` and
takes the place of a shipped pack of the same year.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import yaml

log = logging.getLogger("ilrkit.year")
PACKS = Path(__file__).resolve().parent
DEFAULT_YEAR = "2025-26"

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader


class UnknownYear(ValueError):
    """The requested collection year has no year pack."""


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    label: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    @property
    def display(self) -> str:
        """What a dropdown shows: ``31 – English / Welsh / ...``."""
        # a label that only repeats the code ("NONE", "5") is not shown twice ("NONE – NONE")
        same = not self.label or self.label.strip().casefold() == self.code.casefold()
        return self.code if same else f"{self.code} – {self.label}"


@dataclass(frozen=True)  # no slots: cached_property (by_code) needs an instance __dict__
class CodeList:
    key: str
    codes: tuple[Code, ...]
    uncertain: bool = False
    source: str = ""

    @cached_property
    def by_code(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}

    def __contains__(self, code: str) -> bool:
        return code in self.by_code


@dataclass(frozen=True, slots=True)
class FamType:
    entity: str
    type: str
    label: str
    max_occurs: int | None
    dated: bool
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Field:
    name: str
    entity: str
    type: str  # string | restricted | int | long | decimal | date | dateTime
    min_occurs: int = 0
    max_occurs: int = 1
    min_length: int | None = None
    max_length: int | None = None
    length: int | None = None
    pattern: str | None = None
    min_inclusive: str | None = None
    max_inclusive: str | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None
    enumeration: tuple[str, ...] = ()
    label: str = ""
    help: str = ""

    @property
    def mandatory(self) -> bool:
        return self.min_occurs > 0

    @property
    def is_numeric(self) -> bool:
        return self.type in ("int", "long", "decimal")

    @property
    def is_date(self) -> bool:
        return self.type == "date"

    @property
    def longest(self) -> int | None:
        """The most characters the value may have, from whichever facet says so."""
        if self.length is not None:
            return self.length
        if self.max_length is not None:
            return self.max_length
        if self.total_digits is not None:
            return self.total_digits
        if self.max_inclusive is not None and self.type in ("int", "long"):
            return len(self.max_inclusive)
        if self.pattern:
            m = re.search(r"\{(?:\d+,)?(\d+)\}$", self.pattern)
            if m:
                return int(m.group(1))
        return None

    @property
    def qualified(self) -> str:
        return f"{self.entity}.{self.name}"


@dataclass(frozen=True)
class Entity:
    name: str
    parent: str | None
    path: str
    min_occurs: int
    max_occurs: int | None
    items: tuple[Field | str, ...]  # a Field, or the name of a child entity, in schema order

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(i for i in self.items if isinstance(i, Field))

    @property
    def children(self) -> tuple[str, ...]:
        return tuple(i for i in self.items if isinstance(i, str))

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name}")


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Spec:
    year: str
    year_code: str
    namespace: str
    restricted_string_pattern: str
    entities: dict[str, Entity]
    codelists: dict[str, CodeList]
    fam_types: dict[str, tuple[FamType, ...]]
    facts: dict = field(default_factory=dict)
    root: Path | None = None  # the pack's folder; None means the shipped folder for ``year``

    @property
    def provisional(self) -> bool:
        """True until the agency's own XSD for the year has been loaded (see ``ilr schema import``)."""
        return self.facts.get("status") == "provisional"

    @property
    def provisional_choices(self) -> list[dict]:
        """The choices made where the published changes left a fact open: item, choice, reason."""
        return list(self.facts.get("provisional") or ())

    @property
    def notice(self) -> str | None:
        """One line to print before working with a provisional pack, else None."""
        if not self.provisional:
            return None
        return (f"The {self.year} ILR layout is provisional (built from the published changes, not the "
                f"agency's schema). When the agency publishes it, load it with: ilr schema import <file.xsd>")

    @property
    def teaching_year_start(self) -> dt.date:
        return _date(self.facts["teaching_year_start"])

    @property
    def teaching_year_end(self) -> dt.date:
        return _date(self.facts["teaching_year_end"])

    @property
    def folder(self) -> Path:
        return self.root if self.root is not None else PACKS / self.year

    @property
    def xsd_path(self) -> Path:
        """Our own XSD for the year, generated from this spec (see ``ilrkit.schemas.xsd``)."""
        return self.folder / f"ILR-{self.year}.xsd"

    def entity(self, name: str) -> Entity:
        return self.entities[name]

    def field(self, qualified: str) -> Field:
        entity, name = qualified.split(".", 1)
        return self.entities[entity].field(name)

    def codelist(self, key: str) -> CodeList | None:
        """The code list for ``Entity.Field`` (or ``LearnerFAM.LSR`` for a FAM type), if we have one."""
        return self.codelists.get(key)

    def fam_type(self, entity: str, type_: str) -> FamType | None:
        for t in self.fam_types.get(entity, ()):
            if t.type == type_:
                return t
        return None


def user_packs_dir() -> Path:
    """Where packs built from the agency's own files are kept (``ilr schema import``)."""
    from ilrkit.schemas.userdata import user_data_dir

    return user_data_dir() / "schemas"


def pack_folders() -> dict[str, Path]:
    """Each year that has a pack, and the folder it is read from: a user pack wins over a shipped one."""
    found = {p.name: p for p in PACKS.iterdir() if (p / "spec.yaml").is_file()}
    user = user_packs_dir()
    if user.is_dir():
        # names starting with a dot are an import still being built or a pack being replaced
        found.update({p.name: p for p in user.iterdir()
                      if not p.name.startswith(".") and (p / "spec.yaml").is_file()})
    return dict(sorted(found.items()))


def available_years() -> list[str]:
    return list(pack_folders())


def _load_yaml(path: Path):
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader) or {}


def load_spec(year: str = DEFAULT_YEAR) -> Spec:
    """Load a year pack (once per process). ``year`` is ``2025-26`` or the short form ``2526``."""
    return _load_spec(normalise_year(year))


@cache
def _load_spec(year: str) -> Spec:
    folder = pack_folders().get(year)
    if folder is None:
        raise UnknownYear(
            f"There is no ILR year pack for {year!r}. Years available: {', '.join(available_years())}.")
    return load_pack(folder, year)


@cache
def announce_provisional(year: str) -> None:
    """Say once per process, when a command works with a year whose pack is still provisional. (Loading a pack
    says nothing: rules load every installed year to know the codes of each.)"""
    spec = load_spec(year)
    if spec.provisional:
        log.warning(spec.notice)


def load_pack(folder: Path, year: str | None = None) -> Spec:
    """Load the pack in ``folder`` (not cached: ``load_spec`` is the one to use for a year)."""
    folder = Path(folder).resolve()
    year = year or folder.name
    raw = _load_yaml(folder / "spec.yaml")
    facts = _load_yaml(folder / "year.yaml")
    texts = _load_yaml(folder / "fields.yaml")
    lists_raw = _load_yaml(folder / "codelists.yaml")

    entities: dict[str, Entity] = {}
    for e in raw["entities"]:
        items: list[Field | str] = []
        for item in e["items"]:
            if "entity" in item:
                items.append(item["entity"])
                continue
            text = texts.get(f"{e['name']}.{item['field']}", {}) or {}
            items.append(Field(
                name=item["field"], entity=e["name"], type=item["type"],
                min_occurs=item.get("min_occurs", 1), max_occurs=item.get("max_occurs", 1),
                min_length=item.get("min_length"), max_length=item.get("max_length"),
                length=item.get("length"), pattern=item.get("pattern"),
                min_inclusive=item.get("min_inclusive"), max_inclusive=item.get("max_inclusive"),
                total_digits=item.get("total_digits"), fraction_digits=item.get("fraction_digits"),
                enumeration=tuple(item.get("enumeration", ())),
                label=text.get("label", ""), help=text.get("help", ""),
            ))
        entities[e["name"]] = Entity(e["name"], e["parent"], e["path"], e["min_occurs"], e["max_occurs"],
                                     tuple(items))

    codelists = {
        key: CodeList(key, tuple(Code(str(c["code"]), c.get("label", ""), _date(c.get("valid_from")),
                                      _date(c.get("valid_to"))) for c in entry["codes"]),
                      bool(entry.get("uncertain")), entry.get("source", ""))
        for key, entry in lists_raw.get("lists", {}).items()
    }
    fam_types = {
        entity: tuple(FamType(entity, t["type"], t.get("label", ""), t.get("max_occurs"), bool(t.get("dated")),
                              _date(t.get("valid_from")), _date(t.get("valid_to"))) for t in types)
        for entity, types in lists_raw.get("fam_types", {}).items()
    }
    return Spec(year=facts.get("year", year), year_code=str(facts.get("year_code", year[2:4] + year[5:7])),
                namespace=raw["namespace"], restricted_string_pattern=raw["restricted_string_pattern"],
                entities=entities, codelists=codelists, fam_types=fam_types, facts=facts,
                root=None if folder == PACKS / year else folder)


def forget_loaded_packs() -> None:
    """Forget every pack loaded so far, so the next use reads the folders again (after ``ilr schema import``
    in the same process). Modules that cache something built from a pack register with ``on_reload``."""
    _load_spec.cache_clear()
    _namespace_of.cache_clear()
    announce_provisional.cache_clear()
    for clear in _RELOADERS:
        clear()


_RELOADERS: list = []


def on_reload(clear) -> None:
    """Call ``clear`` (e.g. a cached function's ``cache_clear``) whenever packs are forgotten."""
    _RELOADERS.append(clear)


def normalise_year(year: str) -> str:
    """``2526`` -> ``2025-26``; ``2025-26`` and ``25-26`` are accepted too."""
    y = str(year).strip()
    if re.fullmatch(r"\d{4}", y):
        return f"20{y[:2]}-{y[2:]}"
    if re.fullmatch(r"\d{2}-\d{2}", y):
        return f"20{y}"
    return y


def year_for_namespace(namespace: str) -> str | None:
    """The year pack whose namespace is ``namespace`` (``ESFA/ILR/2025-26``), if we have one."""
    for year, folder in pack_folders().items():
        if _namespace_of(folder) == namespace:
            return year
    return None


@cache
def _namespace_of(folder: Path) -> str | None:
    # only the namespace: loading every pack would also announce every provisional one
    return _load_yaml(folder / "spec.yaml").get("namespace")
