"""Build a year pack's ``spec.yaml`` and ``codelists.yaml`` from the agency's published material.

Run by developers when a new year is published, never at run time::

    python -m ilrkit.schemas.build --xsd ../shared/esfa/2025-26/schemafile25.xsd \
        --codelists ../shared/esfa/2025-26/codelists.json --out schemas/2025-26

The output is our own description of the facts (element order, types, facets, codes); the agency's
files themselves are never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
_FACETS = {
    "minLength": ("min_length", int),
    "maxLength": ("max_length", int),
    "length": ("length", int),
    "pattern": ("pattern", str),
    "minInclusive": ("min_inclusive", str),
    "maxInclusive": ("max_inclusive", str),
    "totalDigits": ("total_digits", int),
    "fractionDigits": ("fraction_digits", int),
}
_BASES = {
    "xs:string": "string",
    "RestrictedString": "restricted",
    "xs:int": "int",
    "xs:long": "long",
    "xs:date": "date",
    "xs:dateTime": "dateTime",
    "xs:decimal": "decimal",
}


def _occurs(el) -> tuple[int, int | None]:
    lo = int(el.get("minOccurs", "1"))
    hi = el.get("maxOccurs", "1")
    return lo, (None if hi == "unbounded" else int(hi))


def _simple(el, named: dict | None = None) -> dict:
    named = named or {}
    type_name = el.get("type")
    if type_name in _BASES:
        return {"type": _BASES[type_name]}
    if type_name:  # a named simple type (schemas written with named types, such as the ones ilrkit generates)
        restriction = named[("simpleType", _local(type_name))].find(f"{XS}restriction")
    else:
        restriction = el.find(f"{XS}simpleType/{XS}restriction")
    out: dict = {"type": _BASES[restriction.get("base")]}
    enums = []
    for facet in restriction:
        tag = etree.QName(facet).localname
        if tag == "enumeration":
            enums.append(facet.get("value").strip())
        elif tag in _FACETS:
            key, conv = _FACETS[tag]
            out[key] = conv(facet.get("value").strip())
    if enums:
        out["enumeration"] = enums
    return out


def _local(qname: str) -> str:
    return qname.rsplit(":", 1)[-1]


def _complex_type(el, named: dict):
    """An element's complex type: written inside it (the agency's style), or named and declared at the top."""
    inline = el.find(f"{XS}complexType")
    if inline is not None:
        return inline
    type_name = el.get("type")
    return named.get(("complexType", _local(type_name))) if type_name else None


def _walk(el, parent: str | None, path: str, entities: list[dict], named: dict | None = None) -> None:
    named = named or {}
    name = el.get("name")
    lo, hi = _occurs(el)
    entity = {"name": name, "parent": parent, "path": f"{path}/{name}".lstrip("/"),
              "min_occurs": lo, "max_occurs": hi, "items": []}
    entities.append(entity)
    for child in _complex_type(el, named).find(f"{XS}sequence").findall(f"{XS}element"):
        if _complex_type(child, named) is not None:
            entity["items"].append({"entity": child.get("name")})
            _walk(child, name, entity["path"], entities, named)
        else:
            c_lo, c_hi = _occurs(child)
            field = {"field": child.get("name"), "min_occurs": c_lo}
            if c_hi != 1:
                field["max_occurs"] = c_hi
            field.update(_simple(child, named))
            entity["items"].append(field)


def spec_from_xsd(xsd_path: Path) -> dict:
    return spec_from_root(etree.parse(str(xsd_path)).getroot())


def spec_from_root(root) -> dict:
    """The spec of an already parsed XSD (``ilr schema import`` parses the user's file safely first)."""
    restricted = root.find(f"{XS}simpleType[@name='RestrictedString']/{XS}restriction/{XS}pattern")
    entities: list[dict] = []
    named = {(etree.QName(t).localname, t.get("name")): t for t in root
             if isinstance(t.tag, str) and t.get("name") and etree.QName(t).localname in ("complexType", "simpleType")}
    _walk(root.find(f"{XS}element[@name='Message']"), None, "", entities, named)
    return {
        "namespace": root.get("targetNamespace"),
        "restricted_string_pattern": restricted.get("value"),
        "entities": entities,
    }


def codelists_from_compiled(path: Path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    lists = {}
    for key, entry in data["lists"].items():
        codes = []
        for c in entry["codes"]:
            code = {"code": str(c["code"]), "label": c.get("label") or ""}
            if c.get("valid_from"):
                code["valid_from"] = c["valid_from"]
            if c.get("valid_to"):
                code["valid_to"] = c["valid_to"]
            if c.get("uncertain"):
                code["uncertain"] = True
            codes.append(code)
        item = {"source": entry.get("source", ""), "codes": codes}
        if entry.get("uncertain"):
            item["uncertain"] = True
        lists[key] = item
    fam_types = {}
    for entity, types in data["fam_types"].items():
        if entity.startswith("_"):
            continue
        fam_types[entity] = [
            {k: t[k] for k in ("type", "label", "max_occurs", "dated", "valid_from", "valid_to") if t.get(k) is not None}
            | {"max_occurs": t.get("max_occurs")}
            for t in types
        ]
    return {"lists": lists, "fam_types": fam_types}


def agency_rules(rules_csv: Path, classes_csv: Path | None) -> dict:
    """Each live agency rule's code, category, severity and the reference data it needs (facts only: no
    rule text), so a report can say which of the agency's rules were not checked and why."""
    import csv

    needs: dict[str, list[str]] = {}
    if classes_csv is not None and Path(classes_csv).is_file():
        with open(classes_csv, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                sets = [s.strip() for s in (row.get("refdata") or "").replace(";", ",").split(",") if s.strip()]
                needs[row["Name"].strip()] = sets
    out = {}
    with open(rules_csv, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Status"].strip() == "Deleted":
                continue
            code = row["Name"].strip()
            entry = {"category": row["Category"].strip(), "severity": row["Severity"].strip().lower()}
            if needs.get(code):
                entry["needs"] = needs[code]
            out[code] = entry
    return {"rules": dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xsd", type=Path, required=True)
    parser.add_argument("--codelists", type=Path, required=True)
    parser.add_argument("--replace-codelists", action="store_true",
                        help="rebuild codelists.yaml from the compiled lists, losing edits made since")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rules", type=Path, help="the agency's validation rules list (CSV)")
    parser.add_argument("--rule-classes", type=Path, help="rule classification with reference data needs (CSV)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    dump = dict(sort_keys=False, allow_unicode=True, width=110)
    (args.out / "spec.yaml").write_text(yaml.safe_dump(spec_from_xsd(args.xsd), **dump), encoding="utf-8")
    lists = args.out / "codelists.yaml"
    # after bootstrapping a year, codelists.yaml is maintained by hand (see CODELISTS.md): keep those edits
    if lists.exists() and not args.replace_codelists:
        print(f"kept {lists} (maintained by hand; --replace-codelists to rebuild it)")
    else:
        lists.write_text(yaml.safe_dump(codelists_from_compiled(args.codelists), **dump), encoding="utf-8")
    if args.rules:
        (args.out / "agency_rules.yaml").write_text(
            yaml.safe_dump(agency_rules(args.rules, args.rule_classes), **dump), encoding="utf-8")


if __name__ == "__main__":
    main()
