"""Format messages say what is actually wrong with the value, not the format it already seems to have
(issue 10, item 10)."""

from __future__ import annotations

import pytest

from clerk_helpers import typed_workbook
from ilrkit.converter.io import load
from ilrkit.rules.engine import validate
from ilrkit.rules.fields.reasons import ni_trouble, postcode_trouble


def _at(tmp_path, key, value):
    book = typed_workbook(tmp_path / "f.xlsx", {("Learners", key, 2): value})
    data = load(book)
    letter = data.columns["Learners"][key]
    return [f for f in validate(data).findings if f.cell == f"Learners!{letter}2"]


def test_a_postcode_with_a_letter_never_used_there(tmp_path):
    found = _at(tmp_path, "Postcode", "B18 4LM")
    assert [f.rule for f in found] == ["Postcode_15"]
    message = found[0].message
    assert "letter M cannot be one of the last two letters" in message and "C, I, K, M, O or V" in message
    assert "postcode format" not in message and "one space before" not in message


def test_an_ni_number_with_the_example_prefix(tmp_path):
    found = _at(tmp_path, "NINumber", "QQ123456C")
    assert [f.rule for f in found] == ["NINumber_01"]
    assert "QQ is never issued" in found[0].message and "two letters, six digits" not in found[0].message


@pytest.mark.parametrize("value, reason", [
    ("B184LF", "Type it as B18 4LF."), ("1B8 4LF", "outward code"), ("B18 L4F", "inward code"),
    ("B1", "has 2"), ("B18 4CF", "letter C cannot"),
])
def test_postcode_reasons(value, reason):
    assert reason in postcode_trouble(value)


@pytest.mark.parametrize("value, reason", [
    ("DA123456C", "no NI number starts with D"), ("AO123456C", "O is never the second letter"),
    ("AB123456E", "never E"), ("AB12345", "six digits"), ("ab123456c", "Type it as AB123456C."),
])
def test_ni_reasons(value, reason):
    assert reason in ni_trouble(value)
