"""The faster column tests of the field checks give exactly what the pandas string methods they replace gave."""

from __future__ import annotations

import pandas as pd
import pytest

from ilrkit.rules.fields import masks
from ilrkit.rules.fields.formats import UUID, uuid_fails
from ilrkit.rules.fields.pairs import _pair_in

# text as read, with blanks (None and NaN), spaces, accents and repeats; a number after the 50 rows that
# ``masks.text`` samples, as a table built by hand may hold
ODD = ["abc", "abcdef", None, float("nan"), "", "  padded  ", "\u00e9" * 7, "abc", "12345678", "A1 2BC"]
COLUMNS = {
    "text": pd.Series(ODD * 3, dtype=object),
    "number past the sample": pd.Series(["x"] * 60 + ODD + [12345678], dtype=object),
    "all blank": pd.Series([None, None], dtype=object),
    "empty": pd.Series([], dtype=object),
}


@pytest.mark.parametrize("name", COLUMNS)
@pytest.mark.parametrize("n", [0, 3, 6])
def test_longer_than_is_str_len_greater(name, n):
    s = COLUMNS[name].copy()
    s.index = s.index + 100  # the answer keeps the column's own index
    expected = masks.text(s).str.len() > n
    assert masks.longer_than(s, n).equals(expected)


@pytest.mark.parametrize("patterns", [[r"[a-z]+"], [r"[a-z]+", r"[a-c]*"], [r"[A-Z0-9 ]+", r".{6}"], []])
def test_matches_all_is_every_pattern_and_ed(patterns):
    s = pd.Series(["abc", "abcdef", None, "A1 2BC", "", "abc", "ABCDEF"], dtype=object, index=range(7, 14))
    expected = pd.Series(True, index=s.index)
    for p in patterns:
        expected &= masks.matches(s, p)
    assert masks.matches_all(s, patterns).equals(expected)


def _uuid_reference(s: pd.Series) -> pd.Series:
    """The pandas formula the per-value UUID test replaced."""
    t = masks.text(s).str.strip()
    nil = t.str.replace(r"[-{}()]", "", regex=True).str.fullmatch("0{32}").fillna(False).astype(bool)
    return ~masks.matches(t, UUID) | nil


def test_uuid_test_agrees_with_the_pandas_formula():
    values = ["3fa85f64-5717-4562-b3fc-2c963f66afa6", " 3FA85F6457174562B3FC2C963F66AFA6 ",
              "{3fa85f64-5717-4562-b3fc-2c963f66afa6}", "(3fa85f64-5717-4562-b3fc-2c963f66afa6)",
              "{3fa85f64-5717-4562-b3fc-2c963f66afa6)", "00000000-0000-0000-0000-000000000000",
              "{00000000-0000-0000-0000-000000000000}", "0" * 32, "0" * 31 + "1", "00000000-0000-0000-0000-00000000000",
              "not a uuid", "", None, "3fa85f64-5717-4562-b3fc-2c963f66afa"]
    s = pd.Series(values, dtype=object)
    assert masks.each_value(s, uuid_fails).equals(_uuid_reference(s))
    assert uuid_fails("3fa85f64-5717-4562-b3fc-2c963f66afa6") is False
    assert uuid_fails("{00000000-0000-0000-0000-000000000000}") is True
    assert uuid_fails(None) is True


def test_pair_in_is_joined_text_isin():
    types = pd.Series(["ACT", "LDM", None, "SOF", "ACT", float("nan"), "ACT"] * 3, dtype=object)
    codes = pd.Series(["1", "118", "3", None, "9", "1", None] * 3, dtype=object)
    pairs = frozenset({"ACT|1", "LDM|118", "|3", "SOF|", "ACT|"})
    expected = (types.fillna("") + "|" + codes.fillna("")).isin(pairs)
    assert _pair_in(types, codes, pairs).equals(expected)
    assert expected.any() and not expected.all()
