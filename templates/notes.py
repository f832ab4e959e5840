"""The words admin staff see: header notes and the Provider sheet's "What to enter" column.

Entry descriptions are built from the schema facets (lengths, patterns, ranges), so they always match
what the converter checks; help text comes from the year pack's ``fields.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from ilrkit.schemas import CodeList, Field, Spec
from ilrkit.schemas.spec import on_reload
from ilrkit.templates.layout import KEY_OCCURRENCE, Column, Layout, Sheet

EXAMPLE_DATE = "15/09/2025"


@cache
def _texts(year: str) -> dict:
    """fields.yaml entries, including the ones for FAM/ESM types that are not schema fields."""
    from ilrkit.schemas import load_spec

    path = load_spec(year).folder / "fields.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


on_reload(_texts.cache_clear)  # `ilr schema import` in this process replaces a year's texts


def column_help(spec: Spec, column: Column) -> str:
    texts = _texts(spec.year)
    if column.pivot_type and column.pivot is not None:
        entry = texts.get(f"{column.pivot.entity}.{column.pivot_type}") or {}
        if entry.get("help"):
            return " ".join(str(entry["help"]).split())
    return " ".join(column.field.help.split())


# -- what may be typed -------------------------------------------------------------------------------

_PIECE = re.compile(r"\[(\^?)((?:\\.|[^\]\\])+)\]\{(\d+)(?:,(\d+))?\}")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _class_words(cls: str) -> str:
    """``A-Za-z0-9 `` -> ``letters, numbers or spaces``."""
    if cls == "0-9":
        return "digits"
    words = []
    rest = cls
    for token, word in (("A-Za-z", "letters"), ("a-zA-Z", "letters"), ("A-Z", "capital letters"),
                        ("0-9", "numbers")):
        if token in rest:
            rest = rest.replace(token, "", 1)
            if word not in words:
                words.append(word)
    if " " in rest:
        rest = rest.replace(" ", "")
        words.append("spaces")
    symbols = re.sub(r"\\(.)", r"\1", rest)
    if symbols:
        words.append(f"the symbols {symbols}")
    return _join(words)


def _negated_words(cls: str) -> str:
    """``0-9\\r\\n\\t|"`` -> ``digits, line breaks, tabs, | or "``."""
    words = []
    rest = cls
    for token, word in (("0-9", "digits"), ("\\r", ""), ("\\n", "line breaks"), ("\\t", "tabs")):
        if token in rest:
            rest = rest.replace(token, "")
            if word:
                words.append(word)
    words += list(re.sub(r"\\(.)", r"\1", rest))
    return _join(words)


def _alternatives(pattern: str) -> list[str]:
    """Split on ``|`` outside ``[...]`` (a ``|`` inside a class is a literal character)."""
    parts, current, depth, escaped = [], "", 0, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    return parts + [current]


def _describe_pattern(pattern: str) -> str | None:
    """Plain words for the simple patterns the ILR uses; None when it is anything more complex."""
    if pattern == ".+@.+":
        return "An email address (it must contain @)"
    parts = []
    for alternative in _alternatives(pattern):
        pieces = list(_PIECE.finditer(alternative))
        if not pieces or "".join(p.group(0) for p in pieces) != alternative:
            return None
        described = []
        for p in pieces:
            negated, cls, low, high = p.group(1), p.group(2), int(p.group(3)), p.group(4)
            if negated:
                what = f"characters (no {_negated_words(cls)})"
            else:
                what = _class_words(cls)
            if high is None:
                described.append(f"exactly {low} {what}")
            elif low <= 1:
                described.append(f"up to {high} {what}")
            else:
                described.append(f"{low} to {high} {what}")
        parts.append(" then ".join(described))
    text = ", or ".join(parts)
    return text[0].upper() + text[1:]


def _number_range(field: Field) -> str | None:
    low, high = field.min_inclusive, field.max_inclusive
    if low is None or high is None:
        return None
    if field.type in ("int", "long") and len(low) == len(high) and low == "1" + "0" * (len(low) - 1) \
            and high == "9" * len(high):
        return f"{len(high)} digits"
    return f"{low}–{high}"


def describe_entry(field: Field, kind: str, codes: CodeList | None, spec: Spec | None = None) -> str:
    """One sentence saying what may be typed in a cell of this field (for ``spec``'s year, when given: the
    example is then a code the dropdown offers, never one that ended years ago)."""
    if kind == "code":
        if codes is None or not codes.codes:
            return "Type the code."
        from ilrkit.templates.lists import current_codes

        example = (current_codes(spec, codes) if spec is not None else codes.codes)[0].code
        text = f"Pick from the list, or type just the code (e.g. {example})."
        if codes.uncertain:
            text += " The list may not be complete: another code can be typed and is checked against the rules."
        return text
    if field.type == "date":
        return f"A date, e.g. {EXAMPLE_DATE}."
    if field.type == "dateTime":
        return "A date and time written as 2025-09-15T09:30:00."
    if field.type == "decimal":
        span = _number_range(field)
        text = f"A number {span.replace('–', ' to ')}" if span else "A number"
        if field.fraction_digits:
            text += f", at most {field.fraction_digits} decimal place{'s' if field.fraction_digits > 1 else ''}"
        return text + "."
    if field.type in ("int", "long"):
        span = _number_range(field)
        if span and span.endswith("digits"):
            return f"A number of {span}."
        if span:
            return f"Whole number {span}."
        if field.longest:
            return f"Whole number, up to {field.longest} digits."
        return "Whole number."
    if field.pattern:
        described = _describe_pattern(field.pattern)
        if described:
            if field.pattern == ".+@.+" and field.longest:
                described += f", up to {field.longest} characters"
            return described + "."
    if field.length:
        return f"Exactly {field.length} characters."
    if field.longest:
        return f"Up to {field.longest} characters."
    return "Text."


# -- notes -------------------------------------------------------------------------------------------

def _required(layout: Layout, sheet: Sheet, column: Column) -> str | None:
    if column.is_key:
        parent = layout.entity_sheet.get(column.entity, "parent")
        return f"Required. Must match the {column.label.lower()} of a row on the '{parent}' sheet."
    if column.pivot is not None or not column.field.mandatory:
        return None
    if column.entity == sheet.entity:
        return "Required."
    return f"Required if you fill in any other {column.entity} column on the row."


def column_note(layout: Layout, sheet: Sheet, column: Column, kind: str, codes: CodeList | None) -> str:
    lines = [column.label or column.key]
    help_text = column_help(layout.spec, column)
    if help_text:
        lines.append(help_text)
    lines.append("Enter: " + describe_entry(column.field, kind, codes, layout.spec))
    required = _required(layout, sheet, column)
    if required:
        lines.append(required)
    lines.append(f"Keep [{column.key}] in the heading: ilrkit finds the column by it.")
    return "\n\n".join(lines)


def occurrence_note(parent_sheet: str | None) -> str:
    where = f"the '{parent_sheet}' sheet" if parent_sheet else "the parent sheet"
    return (f"{KEY_OCCURRENCE}\n\nOnly needed because some reference numbers appear more than once on {where}. "
            "Blank means the first such row; 2 means the second, and so on.")
