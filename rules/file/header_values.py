"""Our own check that every header value (the Provider sheet) is one the agency's schema accepts.

The agency has no field-definition rules for the header, because a file whose header breaks the schema is
rejected whole. We check each value against the schema type itself (via xmlschema), so the user is told
which Provider cell to fix before the XML is made.
"""

from __future__ import annotations

from functools import cache

from ilrkit.converter.model import HEADER_ENTITIES, LEARNING_PROVIDER_UKPRN
from ilrkit.rules.file._header import header_record
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.schemas import Field, load_spec

# set by the XML writer whatever the sheet says, so never the user's to fix
WRITER_SETS = frozenset({"Collection", "Year", "ProtectiveMarking"})
# stamped by the writer when the XML is made: may be blank, but a value given must be a real date
STAMPED = frozenset({"FilePreparationDate", "DateTime"})


@cache
def _types(year: str) -> dict[str, tuple[Field, object]]:
    """Header key -> (spec field, xmlschema simple type) for the year."""
    import xmlschema

    spec = load_spec(year)
    schema = xmlschema.XMLSchema(str(spec.xsd_path))
    ns = {"i": spec.namespace}
    out = {}
    for part in HEADER_ENTITIES:
        for f in spec.entity(part).fields:
            out[f.name] = (f, schema.find(f"i:Message/i:Header/i:{part}/i:{f.name}", ns).type)
    ukprn = spec.entity("LearningProvider").field("UKPRN")
    out[LEARNING_PROVIDER_UKPRN] = (ukprn, schema.find("i:Message/i:LearningProvider/i:UKPRN", ns).type)
    return out


def expected(field: Field) -> str:
    """What a valid value looks like, in words."""
    if field.type in ("int", "long"):
        if field.min_inclusive and field.max_inclusive:
            return f"a whole number from {field.min_inclusive} to {field.max_inclusive}"
        return "a whole number"
    if field.type == "date":
        return "a date"
    if field.type == "dateTime":
        return "a date and time"
    if field.pattern == "[0-9]{1,2}":
        return "one or two digits, e.g. 01"
    if field.max_length:
        return f"text of at most {field.max_length} characters (letters, digits, spaces and common punctuation)"
    return "text"


@rule("ILR_Header", severity=ERROR, scope="file", entity="Header", fields=("UKPRN",),
      message="{label} on the Provider sheet is {found}; it must be {expected}. Correct it before making the XML: "
              "the agency rejects a file whose header is wrong.")
def header_values(ctx):
    hits = []
    for key, (field, xsd_type) in _types(ctx.data.year).items():
        if key in WRITER_SETS:
            continue
        value = ctx.data.header.get(key)
        if value is None and (key == LEARNING_PROVIDER_UKPRN or key in STAMPED):
            continue  # the writer fills these in
        if value is None:
            if not field.mandatory:
                continue
            found = "blank"
        elif xsd_type.is_valid(value):
            continue
        else:
            found = f"{value!r}"
        record = header_record(ctx.data, key)
        record.setdefault(field.name, value)
        hits.append(Hit(record=record, field=field.name,
                        values={"label": field.label or field.name, "found": found, "expected": expected(field)}))
    return hits
