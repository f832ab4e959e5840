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


def test_numbers_too_long_to_print_are_kept_as_typed():
    from ilrkit.converter.cells import read_cell, read_integer

    huge = "9" * 5000
    assert read_integer(huge) == huge
    assert read_integer("1e5000") == "1e5000"
    field = SPEC.entity("LearningDelivery").field("ProgType")
    assert read_cell(huge, field, SPEC.codelist("LearningDelivery.ProgType")) == huge


def test_a_number_too_long_for_any_field_is_not_a_number_to_the_rules():
    from ilrkit.rules.values import as_int

    assert as_int("0" * 5000) is None and as_int("12") == 12


def test_integers_are_made_canonical_whatever_their_length():
    import pandas as pd

    from ilrkit.rules.fields.masks import int_text

    got = int_text(pd.Series(["031", "+5", "-007", "-0", "0" * 5000, "7"], dtype=object)).tolist()
    assert got == ["31", "5", "-7", "0", "0", "7"]
