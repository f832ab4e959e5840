"""Our own rules for values the agency's XML schema would reject outright, so it has no FD code for them.

A date that is not a date, a number that is not a number, characters outside the allowed set, a missing
mandatory value or an over-long text in a field no FD rule covers: the XML cannot be produced until they
are put right, so the converter blocks on these codes. The checks are made for every field of the year's
spec; each finding names the cell and says what to type.
"""

from __future__ import annotations

import re

from ilrkit.converter.cells import date_trouble
from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import FieldCheck, register
from ilrkit.rules.fields.catalogue import FD_RULES
from ilrkit.rules.fields.definitions import allowed_pattern, pattern_fails
from ilrkit.rules.fields.words import RESTRICTED_HINT, ROW_NOUN, label
from ilrkit.schemas import Field, Spec

DATE_FORMAT = "ILR_DateFormat"
NUMBER_FORMAT = "ILR_NumberFormat"
CHARACTERS = "ILR_Characters"
MANDATORY = "ILR_Mandatory"
LENGTH = "ILR_Length"
BLOCKING = (DATE_FORMAT, NUMBER_FORMAT, CHARACTERS, MANDATORY, LENGTH)

_COVERED = {kind: {(r.entity, r.field) for r in FD_RULES if r.kind == kind} for kind in ("AP", "MA", "AL")}

register(DATE_FORMAT, "Learner", "DateOfBirth",
         "{label} must be a date, but the cell holds \"{value}\"{why}. {hint}", module=__name__)
register(NUMBER_FORMAT, "Learner", "ULN",
         "{label} must be {kind}, but the cell holds \"{value}\". {hint}", module=__name__)
register(CHARACTERS, "LearningDelivery", "ConRefNumber",
         "{label} \"{value}\" has characters the ILR file cannot hold{bad}. {hint}", module=__name__)
register(MANDATORY, "AppFinRecord", "AFinDate",
         "{label} is blank, but every {row} must have one. Fill it in, or delete the row if it is not needed.",
         module=__name__)
register(LENGTH, "SourceFile", "SourceFileName",
         "{label} can be at most {n} characters long, but \"{value}\" has {len}. Shorten it.", module=__name__)


XML_CLASS = "[^\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"  # characters an XML 1.0 document can hold
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NOT_IN_XML_HINT = ("Such characters usually come from copying text out of another program: delete the value "
                   "and type it again.")


def _not_in_xml(value: str | None) -> bool:
    return value is not None and _NOT_IN_XML.search(value) is not None


def _named(code: str, field: Field, fails, keep_na: bool = False, **extra) -> FieldCheck:
    base = {"label": label(field.entity, field.name), "row": ROW_NOUN.get(field.entity, field.entity), **extra}

    def values(row, name, ctx, base=base):
        out = dict(base)
        if "n" in out:
            out["len"] = len(str(row.get(name) or ""))
        if code == DATE_FORMAT:
            out["why"] = date_trouble(row.get(name)) if out.pop("_date") else ", which is not a date and time"
        if code == CHARACTERS:
            found = masks.bad_characters(row.get(name), out.pop("_class"))
            out["bad"] = f" (not allowed: {found})" if found else ""
        return out

    return FieldCheck(code, field.entity, field.name, fails, keep_na=keep_na, values=values)


def _number_kind(field: Field) -> str:
    if field.type != "decimal":
        return "a whole number"
    places = field.fraction_digits
    return f"a number with at most {places} decimal place{'s' if places != 1 else ''}" if places else "a number"


def type_checks(spec: Spec) -> list[FieldCheck]:
    """The own-code checks for every field of every table entity of ``spec``."""
    from ilrkit.converter.model import data_entities

    out: list[FieldCheck] = []
    for entity in data_entities(spec):
        for field in spec.entity(entity).fields:
            key = (entity, field.name)
            if field.type == "date":
                out.append(_named(DATE_FORMAT, field, lambda s, sp: ~masks.is_date(s), _date=True,
                                  hint="Type it as dd/mm/yyyy, for example 01/09/2025."))
            elif field.type == "dateTime":
                out.append(_named(DATE_FORMAT, field, lambda s, sp: ~masks.is_datetime(s), _date=False,
                                  hint="Give a date and time such as 01/09/2025 10:30."))
            elif field.is_numeric:
                places = field.fraction_digits if field.type == "decimal" else None
                test = (lambda s, sp, p=places: ~masks.is_decimal(s, p)) if field.type == "decimal" \
                    else (lambda s, sp: ~masks.is_int(s))
                out.append(_named(NUMBER_FORMAT, field, test, kind=_number_kind(field),
                                  hint="Type the number only: no spaces, commas, £ signs or words."))
            checked = (field.type == "restricted" or field.pattern) and key not in _COVERED["AP"]
            if checked:
                _, cls = allowed_pattern(field, spec)
                out.append(_named(CHARACTERS, field, lambda s, sp, f=field: pattern_fails(f, sp, s),
                                  hint=RESTRICTED_HINT, _class=cls))
            if field.type in ("string", "restricted") and (not checked or cls.startswith("[^")):
                # a pattern that lists what is NOT allowed (FamilyName) still lets control characters through,
                # and an XML file cannot hold them at all
                out.append(_named(CHARACTERS, field, lambda s, sp: masks.each_value(s, _not_in_xml),
                                  hint=NOT_IN_XML_HINT, _class=XML_CLASS))
            if field.mandatory and key not in _COVERED["MA"]:
                out.append(_named(MANDATORY, field, lambda s, sp: s.isna(), keep_na=True))
            if field.max_length and not field.is_numeric and key not in _COVERED["AL"]:
                n = field.max_length
                out.append(_named(LENGTH, field, lambda s, sp, n=n: masks.longer_than(s, n), n=n))
    return out


def blocking_codes() -> tuple[str, ...]:
    """Codes whose findings mean the XML cannot be written (for the converter)."""
    return BLOCKING

