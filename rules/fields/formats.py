"""Rules on the form of one value: postcodes, National Insurance and student support numbers, UUIDs,
employer check digits, fee ceilings, and a partner UKPRN that is the provider's own."""

from __future__ import annotations

import re

import pandas as pd

from ilrkit.rules.derived import employer_id_passes_checksum
from ilrkit.rules.fields import masks
from ilrkit.rules.fields.base import field_rule
from ilrkit.rules.fields.reasons import ni_trouble, postcode_trouble
from ilrkit.rules.registry import WARNING
from ilrkit.rules.year import fact, spec_of

# outward code: 1-2 letters, a digit, then an optional digit or letter; one space; inward code: a digit and
# two letters other than C, I, K, M, O and V. Capitals only, as the agency checks.
POSTCODE = r"[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UWXYZ]{2}"


def _postcode_fails(s: pd.Series, spec) -> pd.Series:
    return ~masks.matches(s, POSTCODE)


def _postcode_why(row, field, ctx) -> dict:
    return {"why": postcode_trouble(row.get(field))}


_WHY = " \"{value}\" cannot be a postcode: {why}"
field_rule("Postcode_15", "Learner", "Postcode", _postcode_fails, values=_postcode_why,
           message="The current postcode" + _WHY)
field_rule("PostcodePrior_02", "Learner", "PostcodePrior", _postcode_fails, values=_postcode_why,
           message="The postcode before enrolment" + _WHY)
field_rule("LSDPostcode_03", "LearningDelivery", "LSDPostcode", _postcode_fails, values=_postcode_why,
           message="The home postcode at aim start" + _WHY)
field_rule("HEPostCode_02", "LearningDeliveryHE", "HEPostCode", _postcode_fails, values=_postcode_why,
           message="The HE centre postcode" + _WHY)

# two prefix letters (not D, F, I, Q, U or V first; not D, F, I, O, Q, U or V second), six digits, then
# A-D or nothing; surrounding spaces are ignored, as the agency does
NI_NUMBER = r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?"


def _ni_fails(s: pd.Series, spec) -> pd.Series:
    return ~masks.text(s).str.strip().str.fullmatch(NI_NUMBER).fillna(False).astype(bool)


field_rule("NINumber_01", "Learner", "NINumber", _ni_fails,
           values=lambda row, field, ctx: {"why": ni_trouble(row.get(field))},
           message="The National Insurance number \"{value}\" cannot be an NI number: {why}")

# student support number: 4 letters, 8 digits, check letter (HESA's algorithm)
_SSN = re.compile(r"[A-HJ-NPR-Y]{4}[0-9]{8}[A-HJ-NPR-Z]")
_SSN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"  # values 0..21 for characters 1-4
_SSN_CHECK = "ABCDEFGHJKLMNPRSTUVWXYZ"  # check letter for 23 - (sum mod 23) = 1..23


def ssn_valid(ssn: str) -> bool:
    ssn = ssn.upper()
    if not _SSN.fullmatch(ssn):
        return False
    total = sum(_SSN_LETTERS.index(ch) * w for ch, w in zip(ssn[:4], range(13, 9, -1)))
    total += sum(int(ch) * w for ch, w in zip(ssn[4:12], range(9, 1, -1)))
    return _SSN_CHECK[23 - total % 23 - 1] == ssn[12]


field_rule("SSN_02", "LearningDeliveryHE", "SSN", lambda s, spec: ~masks.text(s).map(ssn_valid).astype(bool),
           message="The student support number \"{value}\" fails its check (4 letters, 8 digits and a check "
                   "letter). Copy it again from the Student Loans Company record.")

# a UUID as the agency reads it: 32 hex digits, optionally grouped 8-4-4-4-12 with hyphens and in braces
# or brackets; the all-zero UUID is not an identifier
_HEX = "[0-9A-Fa-f]"
UUID = (rf"(?:{_HEX}{{32}}|{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
        rf"|\{{{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\}}"
        rf"|\({_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\))")


_UUID = re.compile(UUID)


def uuid_fails(value: str | None) -> bool:
    """Not a UUID, or the all-zero one (its 32 hex digits all 0, whatever separators surround them)."""
    if not isinstance(value, str):  # blank, or not text at all
        return True
    value = value.strip()
    return _UUID.fullmatch(value) is None or value.count("0") == 32


def _uuid_fails(s: pd.Series, spec) -> pd.Series:
    # the IDs are all different: one Python test per value beats five column passes of pandas string methods
    return masks.each_value(s, uuid_fails)


field_rule("SWSupAimId_01", "LearningDelivery", "SWSupAimId", _uuid_fails, severity=WARNING,
           message="Software supplier aim ID \"{value}\" is not a UUID (32 hexadecimal digits such as "
                   "3fa85f64-5717-4562-b3fc-2c963f66afa6). Leave it blank unless your software sets it.")

_UNKNOWN_EMPLOYER = "999999999"


def _emp_id_fails(s: pd.Series, spec) -> pd.Series:
    t = masks.text(s)
    return (t != _UNKNOWN_EMPLOYER) & ~t.map(employer_id_passes_checksum).astype(bool)


field_rule("WorkPlaceEmpId_02", "LearningDeliveryWorkPlacement", "WorkPlaceEmpId", _emp_id_fails,
           message="Placement employer ID {value} fails the check-digit test, so it is not a real employer "
                   "reference number (ERN). Copy the 9-digit number again, or use 999999999 until it is known.")

def _fee_ceiling(spec) -> int:
    """The highest tuition fee the agency expects in the year (year.yaml he_fee_ceiling)."""
    return int(fact(spec, "he_fee_ceiling"))


def _fee_over(s: pd.Series, spec) -> pd.Series:
    return (masks.numbers(s) > _fee_ceiling(spec)).fillna(False).astype(bool)


def _fee_values(row: dict, field: str, ctx) -> dict:
    return {"ceiling": f"{_fee_ceiling(spec_of(ctx)):,}"}


field_rule("GROSSFEE_03", "LearningDeliveryHE", "GROSSFEE", _fee_over, severity=WARNING, values=_fee_values,
           message="Gross tuition fee £{value} is more than £{ceiling}, the highest fee expected. "
                   "Check the amount is the fee for this year only, in whole pounds.")
field_rule("NETFEE_02", "LearningDeliveryHE", "NETFEE", _fee_over, severity=WARNING, values=_fee_values,
           message="Net tuition fee £{value} is more than £{ceiling}, the highest fee expected. "
                   "Check the amount is the fee for this year only, in whole pounds.")


def _partner_is_provider(df: pd.DataFrame, spec) -> pd.Series:
    given = masks.col(df, "PartnerUKPRN")
    return given.notna() & df["_ukprn"].notna() & (masks.int_text(given) == df["_ukprn"])


field_rule("PartnerUKPRN_03", "LearningDelivery", "PartnerUKPRN", _partner_is_provider, frame=True,
           message="The subcontractor UKPRN {value} is your own UKPRN. Give the UKPRN of the partner or "
                   "subcontractor that delivers the aim, or leave it blank if you deliver it yourselves.")
