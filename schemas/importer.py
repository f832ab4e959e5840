"""Build a year pack from the agency's own files (``ilr schema import``), without a new ilrkit release.

The agency's XSD gives every entity, field, order, occurrence and facet. What the XSD does not hold (code
labels and dates, help texts, the workbook layout, year facts) is carried over from the pack it replaces:
the pack of the same year if there is one, else the latest earlier year, moved on. The new pack goes to
``<data folder>/schemas/<year>``, where ``load_spec`` finds it before a shipped pack of the same year.

Nothing is written until the whole pack has been built and loads; a pack that was there is replaced in one
step, so a bad file never leaves a half-written pack behind.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree

from ilrkit.converter.errors import InputError
from ilrkit.schemas.build import spec_from_root
from ilrkit.schemas.derive import DUMP, shift_facts
from ilrkit.schemas.spec import (
    PACKS, Spec, forget_loaded_packs, load_pack, pack_folders,
)

_NAMESPACE = re.compile(r"^ESFA/ILR/(\d{4})-(\d{2})$")
_MAX_XSD_BYTES = 5_000_000  # the 2025-26 schema is about 35 kB
# no DTDs or entities (never expanded), no other schema files pulled in
_UNSAFE = re.compile(rb"<!DOCTYPE|<!ENTITY|<(?:\w+:)?(?:include|import|redefine|override)\b", re.IGNORECASE)
# what a change of each facet is called in the printed differences
_FACETS = (("type", "type"), ("min_occurs", "minimum occurrences"), ("max_occurs", "maximum occurrences"),
           ("length", "length"), ("min_length", "minimum length"), ("max_length", "maximum length"),
           ("pattern", "pattern"), ("min_inclusive", "lowest value"), ("max_inclusive", "highest value"),
           ("total_digits", "digits"), ("fraction_digits", "decimal places"))

_SHOWN = 40  # items listed per heading; a whole new rules list is summarised after that


@dataclass
class PackDiff:
    """What differs between the pack a user had for a year and the one that replaces it."""

    old_label: str
    new_label: str
    namespace: tuple[str, str] | None = None
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    field_changes: list[str] = field(default_factory=list)  # "LearningDelivery.EPAOrgID: maximum length 7 -> 8"
    code_changes: list[str] = field(default_factory=list)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    provisional_cleared: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.namespace, self.entities_added, self.entities_removed, self.fields_added,
                        self.fields_removed, self.field_changes, self.code_changes, self.rules_added,
                        self.rules_removed))

    def lines(self) -> list[str]:
        out = [f"Compared with {self.old_label}:"]
        if self.empty:
            out.append("  no differences in entities, fields, lengths, codes or rules.")
        if self.namespace:
            out.append(f"  namespace: {self.namespace[0]} -> {self.namespace[1]}")
        for title, items in (("entities added", self.entities_added), ("entities removed", self.entities_removed),
                             ("fields added", self.fields_added), ("fields removed", self.fields_removed),
                             ("fields changed", self.field_changes), ("codes changed", self.code_changes),
                             ("agency rules added", self.rules_added),
                             ("agency rules removed", self.rules_removed),
                             ("provisional choices settled", self.provisional_cleared)):
            if items:
                out.append(f"  {title} ({len(items)}):")
                out.extend(f"    {item}" for item in items[:_SHOWN])
                if len(items) > _SHOWN:
                    out.append(f"    ... and {len(items) - _SHOWN} more")
        return out


def _show(value) -> str:
    if value is None:
        return "none"
    return str(value)


def diff_specs(old: Spec, new: Spec, old_rules: dict | None = None, new_rules: dict | None = None) -> PackDiff:
    """Entities, fields, facets and schema codes that differ; agency rules when both lists are given."""
    diff = PackDiff(_label(old), _label(new))
    if old.namespace != new.namespace:
        diff.namespace = (old.namespace, new.namespace)
    diff.entities_added = [e for e in new.entities if e not in old.entities]
    diff.entities_removed = [e for e in old.entities if e not in new.entities]
    old_fields = {f.qualified: f for e in old.entities.values() for f in e.fields}
    new_fields = {f.qualified: f for e in new.entities.values() for f in e.fields}
    diff.fields_added = [q for q in new_fields if q not in old_fields]
    diff.fields_removed = [q for q in old_fields if q not in new_fields]
    for q, after in new_fields.items():
        before = old_fields.get(q)
        if before is None:
            continue
        for attr, words in _FACETS:
            a, b = getattr(before, attr), getattr(after, attr)
            if a != b:
                diff.field_changes.append(f"{q}: {words} {_show(a)} -> {_show(b)}")
        if before.enumeration != after.enumeration:
            gone = [c for c in before.enumeration if c not in after.enumeration]
            added = [c for c in after.enumeration if c not in before.enumeration]
            parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(gone)}"] if gone else [])
            diff.code_changes.append(f"{q}: {'; '.join(parts)}")
    for key, after in new.codelists.items():
        before = old.codelists.get(key)
        if before is None:
            continue
        added = [c.code for c in after.codes if c.code not in before.by_code]
        gone = [c.code for c in before.codes if c.code not in after.by_code]
        if added or gone:
            parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(gone)}"] if gone else [])
            diff.code_changes.append(f"{key}: {'; '.join(parts)}")
    if old_rules is not None and new_rules is not None:
        diff.rules_added = sorted(set(new_rules) - set(old_rules), key=str.casefold)
        diff.rules_removed = sorted(set(old_rules) - set(new_rules), key=str.casefold)
    if old.provisional and not new.provisional:
        diff.provisional_cleared = [f"{p['item']} (was: {p['choice']})" for p in old.provisional_choices
                                    if p.get("settled_by") == "xsd"]
    return diff


def _label(spec: Spec) -> str:
    where = "shipped" if spec.root is None else f"loaded from {spec.folder}"
    status = ", provisional" if spec.provisional else ""
    return f"the {spec.year} pack ({where}{status})"


# -- reading the agency's files ---------------------------------------------------------------------------

def read_xsd(path: Path) -> dict:
    """The spec of an agency XSD, or InputError saying why the file is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist. Give the path of the agency's schema file (.xsd).")
    if path.stat().st_size > _MAX_XSD_BYTES:
        raise InputError(f"{path.name} is larger than any ILR schema ({_MAX_XSD_BYTES // 1_000_000} MB at most). "
                         "Check you chose the ILR schema file (schemafileNN.xsd).")
    data = path.read_bytes()
    if _UNSAFE.search(data):
        raise InputError(f"{path.name} contains a document type declaration or refers to other schema files; "
                         "the agency's ILR schema is one plain file. Download it from the agency again.")
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        etree.XMLSchema(root)  # a schema the XML library accepts as a schema
        spec = spec_from_root(root)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise InputError(f"{path.name} is not a readable XML schema ({exc.__class__.__name__}, line "
                         f"{getattr(exc, 'lineno', '?')}). Download the schema file from the agency again.")
    except (AttributeError, KeyError, TypeError, ValueError):
        raise InputError(f"{path.name} is a schema but not an ILR schema: it has no ILR Message element laid out "
                         "as the agency's schema files are. Check you chose the ILR schema file (schemafileNN.xsd).")
    namespace = spec.get("namespace") or ""
    if not _NAMESPACE.match(namespace):
        raise InputError(f"{path.name} has the namespace {namespace!r}, not an ILR year such as ESFA/ILR/2026-27. "
                         "Check you chose the ILR schema file.")
    names = {e["name"] for e in spec["entities"]}
    missing = {"Message", "Header", "CollectionDetails", "Learner", "LearningDelivery"} - names
    if missing:
        raise InputError(f"{path.name} has no {', '.join(sorted(missing))} element, so it is not a complete ILR "
                         "schema. Download the schema file from the agency again.")
    return spec


def _year(spec: dict) -> str:
    m = _NAMESPACE.match(spec["namespace"])
    return f"{m.group(1)}-{m.group(2)}"


def _year_code(spec: dict) -> str | None:
    for e in spec["entities"]:
        if e["name"] == "CollectionDetails":
            for item in e["items"]:
                if item.get("field") == "Year" and item.get("enumeration"):
                    return str(item["enumeration"][0])
    return None


def _norm_severity(text) -> str:
    t = str(text or "").strip().lower()
    return {"e": "error", "w": "warning"}.get(t, t.split()[0] if t else "")


def read_rules(path: Path) -> dict[str, dict]:
    """The agency's validation rules list (the CSV or the Excel workbook): live rule codes with category
    and severity. Facts only; the rule texts are not kept."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist. Give the path of the agency's validation rules file.")
    rows: list[tuple[str, str, str, str]] = []  # code, status, category, severity
    try:
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if not {"Name", "Status"} <= set(reader.fieldnames or ()):
                    raise InputError(f"{path.name} has no Name and Status columns, so it is not the agency's "
                                     "validation rules list.")
                for row in reader:
                    rows.append((row["Name"], row["Status"], row.get("Category") or "", row.get("Severity") or ""))
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = _rules_from_workbook(path)
        else:
            raise InputError(f"{path.name}: the rules file must be the agency's .csv or .xlsx list.")
    except InputError:
        raise
    except Exception as exc:  # a damaged file: say so, never a traceback
        raise InputError(f"{path.name} could not be read as a rules list ({exc.__class__.__name__}).")
    out = {}
    for code, status, category, severity in rows:
        code = str(code or "").strip()
        if not code or str(status).strip().lower() in ("deleted", "delete", "system rule"):
            continue
        out[code] = {"category": str(category).strip(), "severity": _norm_severity(severity)}
    if not out:
        raise InputError(f"{path.name} lists no live rules, so it is not the agency's validation rules list.")
    return dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))


def _rules_from_workbook(path: Path) -> list[tuple[str, str, str, str]]:
    import openpyxl

    from ilrkit.converter.xlsx_guard import check_archive

    check_archive(path, path.name).close()  # a real workbook, not a zip bomb, before openpyxl opens it
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = []
    try:
        for ws in wb.worksheets:
            table = ws.iter_rows(values_only=True)
            header = None
            for _ in range(5):
                first = next(table, None)
                if first is None:
                    break
                cells = [" ".join(str(c or "").split()).lower() for c in first]
                if "rule name" in cells or "rule id" in cells:
                    header = cells
                    break
            if header is None or "status" not in header:
                continue
            name = header.index("rule name") if "rule name" in header else header.index("rule id")
            status = header.index("status")
            severity = next((i for i, c in enumerate(header) if c.startswith("error/")), None)
            for row in table:
                if len(row) > name and row[name]:
                    rows.append((row[name], row[status] if len(row) > status else "", ws.title,
                                 row[severity] if severity is not None and len(row) > severity else ""))
    finally:
        wb.close()
    return rows


# -- building the pack ---------------------------------------------------------------------------------

def _read_yaml(path: Path):
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def base_folder(year: str) -> Path | None:
    """The pack a new one for ``year`` starts from: that year's pack, else the latest earlier one."""
    packs = pack_folders()
    if year in packs:
        return packs[year]
    earlier = [y for y in packs if y < year]
    return packs[max(earlier)] if earlier else (packs[min(packs)] if packs else None)


def build_pack(xsd: Path, out: Path, rules: Path | None = None, base: Path | None = None) -> tuple[Spec, Spec | None]:
    """Write a complete pack for the XSD's year into the (empty) folder ``out``; returns (new, replaced)."""
    spec = read_xsd(xsd)
    year = _year(spec)
    base = base if base is not None else base_folder(year)
    old = load_pack(base) if base is not None else None
    old_facts = _read_yaml(base / "year.yaml") if base is not None else {}
    facts = old_facts
    steps = int(year[:4]) - int(old.year[:4]) if old is not None else 0
    for _ in range(max(steps, 0)):
        facts = shift_facts(facts)
    facts = copy.deepcopy(facts)
    facts.update({"year": year, "year_code": _year_code(spec) or f"{year[2:4]}{year[5:7]}",
                  "namespace": spec["namespace"], "status": "official",
                  "schema_file": {"name": Path(xsd).name, "sha256": hashlib.sha256(Path(xsd).read_bytes()).hexdigest(),
                                  "imported": dt.date.today().isoformat()}})
    if not facts.get("teaching_year_start"):
        facts["teaching_year_start"] = f"{year[:4]}-08-01"
        facts["teaching_year_end"] = f"{int(year[:4]) + 1}-07-31"
    if steps > 0:
        facts["previous_year"] = old.year
    facts["provisional"] = [p for p in facts.get("provisional") or () if p.get("settled_by") != "xsd"]
    if not facts["provisional"]:
        facts.pop("provisional")

    new_fields = {f"{e['name']}.{i['field']}" for e in spec["entities"] for i in e["items"] if "field" in i}
    new_entities = {e["name"] for e in spec["entities"]}
    old_fields = {f.qualified for e in old.entities.values() for f in e.fields} if old else set()

    lists = copy.deepcopy(_read_yaml(base / "codelists.yaml")) if base is not None else {}
    for key in list((lists.get("lists") or {})):
        if key in old_fields and key not in new_fields:
            del lists["lists"][key]  # the list of a field the schema no longer has
    texts = {k: v for k, v in (_read_yaml(base / "fields.yaml") if base is not None else {}).items()
             if not (k in old_fields and k not in new_fields)}
    for q in sorted(new_fields - set(texts)):
        texts[q] = {"label": q.split(".", 1)[1], "help": "New in the agency's schema for this year; see the ILR "
                                                           "specification for what to enter."}
    layout = copy.deepcopy(_read_yaml(base / "layout.yaml") if base is not None else
                           _read_yaml(PACKS / "2025-26" / "layout.yaml"))
    layout["sheets"] = [s for s in layout.get("sheets", []) if s["entity"] in new_entities]
    for s in layout["sheets"]:
        if s.get("one_to_one"):
            s["one_to_one"] = [e for e in s["one_to_one"] if e in new_entities]
        if s.get("pivots"):
            s["pivots"] = [p for p in s["pivots"] if p["entity"] in new_entities]

    old_rules = (_read_yaml(base / "agency_rules.yaml").get("rules") or {}) if base is not None else {}
    if rules is not None:
        new_rules = read_rules(rules)
        for code, entry in new_rules.items():  # what reference data a rule needs is ilrkit's own analysis
            if old_rules.get(code, {}).get("needs"):
                entry["needs"] = old_rules[code]["needs"]
    else:
        new_rules = old_rules

    note = f"# Built by `ilr schema import` from {Path(xsd).name}" + (f" and {Path(rules).name}" if rules else "") + \
        (f", with what the schema does not hold carried over from the {old.year} pack.\n" if old else ".\n")
    files = {"spec.yaml": spec, "codelists.yaml": lists, "fields.yaml": texts, "layout.yaml": layout,
             "year.yaml": facts, "agency_rules.yaml": {"rules": new_rules}}
    for name, data in files.items():
        (out / name).write_text(note + yaml.safe_dump(data, **DUMP), encoding="utf-8")

    from ilrkit.schemas.xsd import generate_xsd

    try:
        new = load_pack(out, year)
        content = generate_xsd(new)
        etree.XMLSchema(etree.fromstring(content))
    except Exception as exc:  # the schema parsed but does not make a pack ilrkit can use
        raise InputError(f"{Path(xsd).name} could not be turned into a year pack ({exc.__class__.__name__}). "
                         "Nothing was changed; please report it with the schema file's name.")
    new.xsd_path.write_bytes(content)
    return new, old


@dataclass
class ImportResult:
    year: str
    folder: Path
    diff: PackDiff
    replaced: bool


def import_schema(xsd: Path, *, rules: Path | None = None, data_dir: Path | None = None) -> ImportResult:
    """Build the pack for ``xsd``'s year into ``<data_dir>/schemas/<year>`` (the user data folder by default)."""
    from ilrkit.schemas.userdata import user_data_dir

    year = _year(read_xsd(xsd))  # refuse a bad file before making any folder
    if rules is not None:
        read_rules(rules)
    root = Path(data_dir) if data_dir is not None else user_data_dir()
    packs = root / "schemas"
    try:
        packs.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".import-", dir=packs))
        # a server's folder (-o) may already hold a pack for the year: that is the one replaced
        base = packs / year if (packs / year / "spec.yaml").is_file() else None
    except OSError as exc:
        raise InputError(f"Cannot write to {packs} ({exc.strerror or exc.__class__.__name__}). Choose a folder "
                         "you can write to with -o.")
    try:
        new, old = build_pack(xsd, work, rules, base)
        old_rules = _read_yaml(old.folder / "agency_rules.yaml").get("rules") if old else None
        new_rules = _read_yaml(work / "agency_rules.yaml").get("rules")
        diff = diff_specs(old, new, old_rules or {}, new_rules or {}) if old else PackDiff("nothing", _label(new))
        if old is not None and old.year != new.year:
            diff.old_label = f"the {old.year} pack it was built from (there was no {new.year} pack)"
        target = packs / new.year
        replaced = target.exists()
        if replaced:
            aside = Path(tempfile.mkdtemp(prefix=".replaced-", dir=packs))
            target.rename(aside / new.year)
            try:
                work.rename(target)
            except OSError:
                (aside / new.year).rename(target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    forget_loaded_packs()
    return ImportResult(new.year, target, diff, replaced)
