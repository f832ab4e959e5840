"""Codes typed without their zero padding are read as the list's code; digits that are not a code stay as typed."""

from ilrkit.converter.cells import read_code
from ilrkit.schemas import load_spec

SPEC = load_spec("2025-26")


def _dam_codes():
    return SPEC.codelist("LearningDeliveryFAM.DAM")


def test_a_code_without_its_padding_is_the_padded_code():
    assert read_code("1", _dam_codes()) == "001"
    assert read_code("0021", _dam_codes()) == "021"


def test_huge_or_non_ascii_digits_are_kept_as_typed():
    codes = _dam_codes()
    huge = "9" * 5000
    assert read_code(huge, codes) == huge  # int() of this many digits raises ValueError
    assert read_code("²", codes) == "²"  # a digit to str.isdigit, not to int()
