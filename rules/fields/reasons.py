"""Why a postcode or National Insurance number fails its format rule, said about the value itself.

The format rules (``formats.py``) decide; these only explain, so a clerk whose ``B18 4LM`` "looks like a
postcode" learns that M is never one of a postcode's last two letters, not that it "is not in postcode format".
"""

from __future__ import annotations

import re

_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")
_INWARD_LETTERS_NOT_USED = "CIKMOV"
_FINDER = "Check it on the learner's letters or with the Royal Mail postcode finder."


def postcode_trouble(value) -> str:
    """The reason and what to do, for a value that fails the postcode format (the agency's pattern)."""
    text = str(value or "").strip()
    compact = text.replace(" ", "").upper()
    if len(compact) < 5 or len(compact) > 7:
        return (f"a postcode has 5 to 7 letters and digits, and this has {len(compact)}. Type it in capitals with "
                "one space before the last three characters, for example B1 1AA or SW1A 2AA (ZZ99 9ZZ if it is "
                "not known).")
    outward, inward = compact[:-3], compact[-3:]
    if not (inward[0].isdigit() and inward[1:].isalpha()):
        return (f"the last three characters (the inward code, after the space) must be a digit and two letters, "
                f"and \"{inward}\" is not. {_FINDER}")
    unused = [ch for ch in inward[1:] if ch in _INWARD_LETTERS_NOT_USED]
    if unused:
        return (f"the letter {unused[0]} cannot be one of the last two letters: postcodes never use C, I, K, M, O or "
                f"V there, so a character has been mistyped. {_FINDER}")
    if not _OUTWARD.fullmatch(outward):
        return (f"the part before the space (the outward code) must be one or two letters, a digit, then perhaps a "
                f"digit or letter, like B1, B18, M60 or SW1A, and \"{outward}\" is not. {_FINDER}")
    if text != text.upper():
        return f"it has small letters. Type it in capitals: {outward} {inward}."
    return f"it needs exactly one space, before the last three characters. Type it as {outward} {inward}."


_FIRST_NOT_USED = "DFIQUV"
_SECOND_NOT_USED = "DFIOQUV"
_NI_COPY = "Copy the number again from the learner's National Insurance letter, payslip or P60."


def ni_trouble(value) -> str:
    """The reason and what to do, for a value that fails the NI number format."""
    text = str(value or "").strip()
    compact = re.sub(r"\s+", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{6}[A-Z]?", compact):
        return ("an NI number is two letters, six digits and a final letter A, B, C or D, in capitals with no "
                f"spaces. {_NI_COPY}")
    first, second, last = compact[0], compact[1], compact[8:]
    if compact[:2] == "QQ":
        return ("QQ is never issued: it is the prefix of the example numbers on forms and leaflets, so this is "
                f"not the learner's number. {_NI_COPY}")
    if first in _FIRST_NOT_USED:
        return f"no NI number starts with {first} (D, F, I, Q, U and V are never the first letter). {_NI_COPY}"
    if second in _SECOND_NOT_USED:
        return (f"{second} is never the second letter of an NI number (D, F, I, O, Q, U and V are not used "
                f"there). {_NI_COPY}")
    if last and last not in "ABCD":
        return f"the last letter is always A, B, C or D, never {last}. {_NI_COPY}"
    if compact != text:
        return f"it must be in capitals with no spaces. Type it as {compact}."
    return f"it is not in the form of an NI number. {_NI_COPY}"
