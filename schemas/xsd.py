"""Our own XSD for a collection year, generated from the year pack's ``spec.yaml``.

The agency's XSD is Crown copyright, so we never ship it. Instead the spec model (which holds every
element, its order, occurrence and facets) is turned back into a schema that accepts and rejects
exactly the same documents. ``tests/test_xsd.py`` checks that against the official file when it is
available, and checks that the shipped file never drifts from ``spec.yaml``.

Regenerate the shipped file after changing a spec::

    python -m ilrkit.schemas.xsd --year 2025-26
"""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

from lxml import etree

from ilrkit.schemas.spec import (
    DEFAULT_YEAR, Entity, Field, Spec, available_years, load_spec, normalise_year, on_reload,
)

XS_NS = "http://www.w3.org/2001/XMLSchema"
XS = f"{{{XS_NS}}}"

# spec.yaml type names -> XSD base types. "restricted" derives from our RestrictedString so its
# character-set pattern still applies on top of any field pattern (patterns of base and derived
# types are ANDed, exactly as in the official schema).
_BASES = {
    "string": "xs:string",
    "restricted": "RestrictedString",
    "int": "xs:int",
    "long": "xs:long",
    "decimal": "xs:decimal",
    "date": "xs:date",
    "dateTime": "xs:dateTime",
}

# Facets in one fixed order, so the output is deterministic and easy to read.
_FACETS = (
    ("length", "length"),
    ("minLength", "min_length"),
    ("maxLength", "max_length"),
    ("pattern", "pattern"),
    ("minInclusive", "min_inclusive"),
    ("maxInclusive", "max_inclusive"),
    ("totalDigits", "total_digits"),
    ("fractionDigits", "fraction_digits"),
)

# XML comments may not contain "--", so the command line is given without its option.
_HEADER = (" Generated from {year}/spec.yaml by ilrkit.schemas.xsd. Do not edit by hand; "
           "regenerate with: python -m ilrkit.schemas.xsd ")


def _type_name(entity: Entity) -> str:
    # Types live in their own symbol space, but a suffix keeps the file readable.
    return f"{entity.name}Type"


def _occurs(el: etree._Element, lo: int, hi: int | None) -> None:
    # Only write non-default occurrence, like a hand-written schema would.
    if lo != 1:
        el.set("minOccurs", str(lo))
    if hi is None:
        el.set("maxOccurs", "unbounded")
    elif hi != 1:
        el.set("maxOccurs", str(hi))


def _field_element(parent: etree._Element, field: Field) -> None:
    el = etree.SubElement(parent, f"{XS}element", name=field.name)
    base = _BASES[field.type]
    facets = [(tag, getattr(field, attr)) for tag, attr in _FACETS if getattr(field, attr) is not None]
    if not facets and not field.enumeration:
        el.set("type", base)
    _occurs(el, field.min_occurs, field.max_occurs)
    if facets or field.enumeration:
        restriction = etree.SubElement(etree.SubElement(el, f"{XS}simpleType"), f"{XS}restriction", base=base)
        for tag, value in facets:
            etree.SubElement(restriction, f"{XS}{tag}", value=str(value))
        for value in field.enumeration:
            etree.SubElement(restriction, f"{XS}enumeration", value=value)


def _complex_type(schema: etree._Element, spec: Spec, entity: Entity) -> None:
    ctype = etree.SubElement(schema, f"{XS}complexType", name=_type_name(entity))
    seq = etree.SubElement(ctype, f"{XS}sequence")
    for item in entity.items:
        if isinstance(item, Field):
            _field_element(seq, item)
        else:
            child = spec.entity(item)
            el = etree.SubElement(seq, f"{XS}element", name=child.name, type=_type_name(child))
            _occurs(el, child.min_occurs, child.max_occurs)


def generate_xsd(spec: Spec) -> bytes:
    """The XSD for ``spec`` as UTF-8 bytes; the same spec always gives the same bytes."""
    ns = spec.namespace
    schema = etree.Element(f"{XS}schema", nsmap={"xs": XS_NS, None: ns},
                           targetNamespace=ns, elementFormDefault="qualified",
                           attributeFormDefault="unqualified")
    schema.append(etree.Comment(_HEADER.format(year=spec.year)))

    restricted = etree.SubElement(schema, f"{XS}simpleType", name="RestrictedString")
    etree.SubElement(etree.SubElement(restricted, f"{XS}restriction", base="xs:string"),
                     f"{XS}pattern", value=spec.restricted_string_pattern)

    # Only the root is a global element: any other global element could be a document root,
    # and the official schema would reject such a document.
    roots = [e for e in spec.entities.values() if e.parent is None]
    for root in roots:
        etree.SubElement(schema, f"{XS}element", name=root.name, type=_type_name(root))
    # Complex types in schema order (depth first from the root, as spec.yaml lists them).
    for entity in spec.entities.values():
        _complex_type(schema, spec, entity)

    etree.indent(schema, space="  ")
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_xsd(year: str = DEFAULT_YEAR) -> Path:
    """Regenerate the shipped XSD for ``year``; returns its path."""
    spec = load_spec(year)
    spec.xsd_path.write_bytes(generate_xsd(spec))
    return spec.xsd_path


def validator(year: str = DEFAULT_YEAR) -> etree.XMLSchema:
    """A compiled lxml schema for ``year``, built once per process.

    Reads the shipped file (fast); falls back to generating in memory if it is missing, e.g. in a
    checkout where a new year's XSD has not been written yet. lxml keeps the last ``error_log`` on
    the schema object, so read it in the same thread that called ``validate``.
    """
    # Normalise first so "2526" and "2025-26" share one cached schema.
    return _validator(normalise_year(year))


@cache
def _validator(year: str) -> etree.XMLSchema:
    spec = load_spec(year)
    path = spec.xsd_path
    if path.is_file():
        doc = etree.parse(str(path))
    else:
        doc = etree.ElementTree(etree.fromstring(generate_xsd(spec)))
    return etree.XMLSchema(doc)


on_reload(_validator.cache_clear)  # a pack imported in this process replaces the year's schema


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate a year's XSD from its spec.yaml.")
    parser.add_argument("--year", default=DEFAULT_YEAR,
                        help=f"collection year, e.g. 2025-26 (available: {', '.join(available_years())})")
    args = parser.parse_args(argv)
    print(write_xsd(args.year))


if __name__ == "__main__":
    main()
