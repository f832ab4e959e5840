"""Identifiers with valid check digits: ULNs, employer ids, and the other reference numbers of a return.

The check-digit sums are written out here from the agency's definitions (DD01 for ULNs, DD05 for employer
ids) rather than imported from the rules, so a mistake in one is caught by the other.
"""

from __future__ import annotations

import random
import uuid


def uln_check_digit(first9: str) -> int | None:
    """DD01: weights 10..2 over the first nine digits; the check digit is 10 - (sum mod 11).

    ``None`` when the remainder is 0, which no valid ULN can have.
    """
    remainder = sum(int(d) * w for d, w in zip(first9, range(10, 1, -1))) % 11
    return None if remainder == 0 else 10 - remainder


def uln(rng: random.Random) -> str:
    """A 10-digit ULN that passes the check-digit test (never the temporary 9999999999)."""
    while True:
        first9 = str(rng.randint(100_000_000, 999_999_998))
        check = uln_check_digit(first9)
        if check is not None:
            return first9 + str(check)


def bad_uln(good: str) -> str:
    """The same ULN with a wrong check digit (for fault injection)."""
    first9 = good[:9]
    right = uln_check_digit(first9)
    return first9 + str(((right or 0) + 1) % 10)


def emp_check_digit(first8: str) -> int | None:
    """DD05: weights 9..2 over the first eight digits; 11 - (sum mod 11), 11 -> 0, 10 -> invalid."""
    check = 11 - sum(int(d) * w for d, w in zip(first8, range(9, 1, -1))) % 11
    if check == 10:
        return None
    return 0 if check == 11 else check


def emp_id(rng: random.Random) -> str:
    """A 9-digit employer id (ERN) that passes the check-digit test."""
    while True:
        first8 = str(rng.randint(10_000_000, 99_999_999))
        check = emp_check_digit(first8)
        if check is not None:
            return first8 + str(check)


def learn_ref(index: int) -> str:
    """``L0000001``: the provider's own learner reference (letters and digits, at most 12)."""
    return f"L{index + 1:07d}"


def sw_sup_aim_id(rng: random.Random) -> str:
    """A GUID as supplier systems use for SWSupAimId, reproducible from the random stream."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def ucas_personal_id(rng: random.Random) -> str:
    return f"{rng.randint(1, 9_999_999_999):010d}"


def ni_number(rng: random.Random) -> str:
    """A National Insurance number in the right format with the prefix TN, which HMRC uses only for
    temporary numbers and never issues to a person."""
    return f"TN{rng.randint(0, 999_999):06d}{rng.choice('ABCD')}"


_SSN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"  # I, O, Q and Z are not used in the first four characters
_SSN_CHECK = "ABCDEFGHJKLMNPRSTUVWXYZ"


def student_support_number(rng: random.Random) -> str:
    """A Student Loans Company support number: 4 letters, 8 digits and HESA's mod-23 check letter."""
    letters = "".join(rng.choice(_SSN_LETTERS) for _ in range(4))
    digits = f"{rng.randint(0, 99_999_999):08d}"
    total = sum(_SSN_LETTERS.index(ch) * w for ch, w in zip(letters, range(13, 9, -1)))
    total += sum(int(ch) * w for ch, w in zip(digits, range(9, 1, -1)))
    return letters + digits + _SSN_CHECK[22 - total % 23]
