"""Derive a year pack from the previous year's pack plus a list of changes written as data.

Used when a new collection year is announced before the agency publishes its schema (2026-27): the changes
file (``schemas/2026-27/changes.yaml``) says which fields, lengths, codes and FAM types change, which
choices are provisional and why; everything else carries over, with the year's dates moved on one year.
Run by developers after editing a changes file, never at run time::

    python -m ilrkit.schemas.derive schemas/2026-27/changes.yaml

It writes, next to the changes file, ``spec.yaml``, ``codelists.yaml``, ``fields.yaml``, ``layout.yaml``,
``year.yaml``, ``agency_rules.yaml`` and the year's XSD. The same inputs always give the same files
(``tests/test_year_pack.py`` checks the shipped ones have not drifted).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import re
from pathlib import Path

import yaml

from ilrkit.schemas.spec import PACKS, load_pack

DUMP = dict(sort_keys=False, allow_unicode=True, width=110)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def _read(path: Path):
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _next_year(value: str) -> str:
    """Move an ISO date or a ``2025-26`` year on by one year; other text is left alone."""
    if _ISO_DATE.match(value):
        day = dt.date.fromisoformat(value)
        try:
            return day.replace(year=day.year + 1).isoformat()
        except ValueError:  # 29 February
            return day.replace(year=day.year + 1, day=28).isoformat()
    m = _YEAR.match(value)
    if m:
        start = int(m.group(1)) + 1
        return f"{start}-{(start + 1) % 100:02d}"
    return value


def shift_facts(facts: dict) -> dict:
    """Every dated fact of a year moved on one year (teaching-year dates, census dates, the year itself)."""
    out = {}
    for key, value in facts.items():
        if isinstance(value, str):
            out[key] = _next_year(value)
        elif isinstance(value, dt.date):
            out[key] = _next_year(value.isoformat())
        elif isinstance(value, dict):
            out[key] = shift_facts(value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _entity(spec: dict, name: str) -> dict:
    for e in spec["entities"]:
        if e["name"] == name:
            return e
    raise KeyError(f"the previous pack has no entity {name}")


def derive_spec(spec: dict, changes: dict) -> dict:
    spec = copy.deepcopy(spec)
    year = changes["year"]
    spec["namespace"] = year["namespace"]
    for item in _entity(spec, "CollectionDetails")["items"]:
        if item.get("field") == "Year":
            item["enumeration"] = [str(year["year_code"])]
    fields = changes.get("fields") or {}
    for qualified in fields.get("remove") or {}:
        entity_name, name = qualified.split(".", 1)
        entity = _entity(spec, entity_name)
        before = len(entity["items"])
        entity["items"] = [i for i in entity["items"] if i.get("field") != name]
        if len(entity["items"]) == before:
            raise KeyError(f"changes remove {qualified}, which the previous pack does not have")
    for qualified, facets in (fields.get("change") or {}).items():
        entity_name, name = qualified.split(".", 1)
        matches = [i for i in _entity(spec, entity_name)["items"] if i.get("field") == name]
        if not matches:
            raise KeyError(f"changes alter {qualified}, which the previous pack does not have")
        for key, value in facets.items():
            if value is None:
                matches[0].pop(key, None)
            else:
                matches[0][key] = value
    return spec


def _code_entry(raw: dict) -> dict:
    entry = {"code": str(raw["code"]), "label": raw.get("label", "")}
    for key in ("valid_from", "valid_to"):
        if raw.get(key):
            entry[key] = str(raw[key])
    if raw.get("uncertain"):
        entry["uncertain"] = True
    return entry


def derive_codelists(lists_raw: dict, changes: dict) -> dict:
    out = copy.deepcopy(lists_raw)
    lists = out.setdefault("lists", {})
    removed_fields = set((changes.get("fields") or {}).get("remove") or {})
    for key in list(lists):
        if key in removed_fields:
            del lists[key]
    for key in (changes.get("lists") or {}).get("remove") or ():
        lists.pop(key, None)
    for key, entry in ((changes.get("lists") or {}).get("add") or {}).items():
        lists[key] = {"source": entry.get("source", ""), "codes": [_code_entry(c) for c in entry["codes"]]}
        if entry.get("uncertain"):
            lists[key]["uncertain"] = True
    for key, change in (changes.get("codes") or {}).items():
        if key not in lists:
            raise KeyError(f"changes alter the code list {key}, which the previous pack does not have")
        codes = lists[key]["codes"]
        drop = {str(c) for c in change.get("remove") or ()}
        missing = drop - {c["code"] for c in codes}
        if missing:
            raise KeyError(f"changes remove codes {sorted(missing)} from {key}, which does not have them")
        codes[:] = [c for c in codes if c["code"] not in drop]
        for code, facts in (change.get("change") or {}).items():
            found = [c for c in codes if c["code"] == str(code)]
            if not found:
                raise KeyError(f"changes alter code {code} of {key}, which does not have it")
            found[0].update({k: str(v) for k, v in facts.items()})
        known = {c["code"] for c in codes}
        for raw in change.get("add") or ():
            if str(raw["code"]) in known:
                raise KeyError(f"changes add code {raw['code']} to {key}, which already has it")
            _insert(codes, _code_entry(raw))
    fam = out.setdefault("fam_types", {})
    for entity, change in (changes.get("fam_types") or {}).items():
        types = fam.setdefault(entity, [])
        drop = set(change.get("remove") or ())
        types[:] = [t for t in types if t["type"] not in drop]
        for type_, facts in (change.get("change") or {}).items():
            for t in types:
                if t["type"] == type_:
                    t.update(facts)
        for raw in change.get("add") or ():
            entry = dict(raw)
            entry.setdefault("dated", False)
            entry.setdefault("max_occurs", None)
            if entry.get("valid_from"):
                entry["valid_from"] = str(entry["valid_from"])
            types.append(entry)
    return out


def _insert(codes: list[dict], entry: dict) -> None:
    """A new number goes before the first larger number (124 after 123, before 998); anything else at the end,
    so the order of the list as published is kept."""
    new = entry["code"]
    if new.isdigit():
        for i, c in enumerate(codes):
            if c["code"].isdigit() and int(c["code"]) > int(new):
                codes.insert(i, entry)
                return
    codes.append(entry)


def derive_texts(texts: dict, changes: dict) -> dict:
    out = {}
    removed = set((changes.get("fields") or {}).get("remove") or {})
    removed |= set((changes.get("lists") or {}).get("remove") or ())
    for entity, change in (changes.get("fam_types") or {}).items():
        removed |= {f"{entity}.{t}" for t in change.get("remove") or ()}
    for key, entry in texts.items():
        if key not in removed:
            out[key] = copy.deepcopy(entry)
    for key, entry in (changes.get("texts") or {}).items():
        out[key] = {"label": entry["label"], "help": " ".join(str(entry["help"]).split())}
    return out


def derive_layout(layout: dict, changes: dict) -> dict:
    out = copy.deepcopy(layout)
    gone = {entity: set(change.get("remove") or ()) for entity, change in (changes.get("fam_types") or {}).items()}
    for sheet in out["sheets"]:
        for pivot in sheet.get("pivots") or ():
            if "order" in pivot:
                pivot["order"] = [t for t in pivot["order"] if t not in gone.get(pivot["entity"], ())]
    return out


def derive_year(facts: dict, changes: dict) -> dict:
    out = shift_facts(facts)
    out.update(copy.deepcopy(changes["year"]))
    out["provisional"] = copy.deepcopy(changes.get("provisional") or [])
    for item in out["provisional"]:
        item["reason"] = " ".join(str(item["reason"]).split())
    return out


def derive_agency_rules(rules: dict, changes: dict) -> dict:
    fields = (changes.get("agency_rules") or {}).get("remove_for_fields") or ()
    about = re.compile(rf"^(FD_)?({'|'.join(map(re.escape, fields))})_") if fields else None
    kept = {code: entry for code, entry in (rules.get("rules") or {}).items()
            if about is None or not about.match(code)}
    return {"rules": kept}


def _header(lines: list[str]) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)


def derive(changes_path: Path, base: Path | None = None) -> Path:
    """Write the pack next to ``changes_path`` from the pack it names in ``from`` (or ``base``)."""
    changes_path = Path(changes_path)
    changes = _read(changes_path)
    out = changes_path.parent
    prev_year = changes["from"]
    year = changes["year"]["year"]
    base = Path(base) if base is not None else PACKS / prev_year
    note = [f"Derived from the {prev_year} pack and changes.yaml by ilrkit.schemas.derive. Do not edit:",
            "change changes.yaml and run: python -m ilrkit.schemas.derive <this folder>/changes.yaml"]
    files = {
        "spec.yaml": derive_spec(_read(base / "spec.yaml"), changes),
        "codelists.yaml": derive_codelists(_read(base / "codelists.yaml"), changes),
        "fields.yaml": derive_texts(_read(base / "fields.yaml"), changes),
        "layout.yaml": derive_layout(_read(base / "layout.yaml"), changes),
        "year.yaml": derive_year(_read(base / "year.yaml"), changes),
    }
    if (base / "agency_rules.yaml").is_file():
        files["agency_rules.yaml"] = derive_agency_rules(_read(base / "agency_rules.yaml"), changes)
    for name, data in files.items():
        (out / name).write_text(_header(note) + yaml.safe_dump(data, **DUMP), encoding="utf-8")

    from ilrkit.schemas.xsd import generate_xsd

    pack = load_pack(out, year)
    pack.xsd_path.write_bytes(generate_xsd(pack))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Derive a year pack from the previous year plus a changes file.")
    parser.add_argument("changes", type=Path, help="the new year's changes.yaml, e.g. schemas/2026-27/changes.yaml")
    parser.add_argument("--base", type=Path, help="the previous year's pack folder (default: the shipped one)")
    args = parser.parse_args(argv)
    print(derive(args.changes, args.base))


if __name__ == "__main__":
    main()
