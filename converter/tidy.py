"""Values typed in a way that can only mean one thing, put in the form the ILR needs (and said so).

``412 3460 819`` is the ULN 4123460819, ``b18 4lf`` is the postcode B18 4LF and ``Female`` in a column whose
list has exactly one code labelled so is F. Reading them that way saves a clerk two contradictory errors
per cell. Only a result that is itself valid is taken (so nothing that could be meant otherwise is changed),
and the reader reports each one as a warning naming the cell, so nothing changes silently. A value that is
already valid is never touched, so XML -> workbook -> XML stays lossless.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ilrkit.schemas import CodeList, Field

POSTCODE_FIELDS = frozenset({"Postcode", "PostcodePrior", "DelLocPostCode", "LSDPostcode", "HEPostCode"})
# the agency's patterns (rules.fields.formats): a tidied value must pass them, or it is left as typed
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UWXYZ]{2}")
_NI_NUMBER = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?")
_SPACES = re.compile(r"\s+")

Tidy = Callable[[str], "tuple[str, str] | None"]  # typed text -> (ILR value, how it was read), or None


def _uln(text: str) -> tuple[str, str] | None:
    digits = _SPACES.sub("", text)
    if digits != text and len(digits) == 10 and digits.isdigit():
        return digits, "spaces removed"
    return None


def _postcode(text: str) -> tuple[str, str] | None:
    compact = _SPACES.sub("", text).upper()
    value = f"{compact[:-3]} {compact[-3:]}"
    if value != text and _POSTCODE.fullmatch(value):
        return value, "in capitals with one space before the last three characters"
    return None


def _ni_number(text: str) -> tuple[str, str] | None:
    value = _SPACES.sub("", text).upper()
    if value != text and _NI_NUMBER.fullmatch(value):
        return value, "in capitals with no spaces"
    return None


def _by_label(codes: CodeList) -> Tidy | None:
    labels: dict[str, list[str]] = {}
    for code in codes.codes:
        if code.label:
            labels.setdefault(code.label.casefold().strip(), []).append(code.code)
    known = {c.code for c in codes.codes}

    def tidy(text: str) -> tuple[str, str] | None:
        if text in known:
            return None
        found = labels.get(" ".join(text.split()).casefold())
        if found and len(found) == 1:  # two codes with the same label: not certain, left as typed
            return found[0], "the code of the list entry with that label"
        return None

    return tidy if labels else None


def tidier(field: Field, codes: CodeList | None) -> Tidy | None:
    """How to tidy what is typed in a column of ``field``, or ``None`` when it is taken as typed."""
    if codes is not None:
        return _by_label(codes)
    if field.name == "ULN":
        return _uln
    if field.name in POSTCODE_FIELDS:
        return _postcode
    if field.name == "NINumber":
        return _ni_number
    return None
