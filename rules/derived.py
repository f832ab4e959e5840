"""Derived data (the agency's DD rules) as named, tested helpers.

Each takes plain values or record views and returns what the agency's definition computes; the record
views (``ilrkit.rules.views``) cache the per-learner ones so they are computed once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING


from ilrkit.rules.year import devolved_sof

if TYPE_CHECKING:  # pragma: no cover
    from ilrkit.rules.views import Aim, Learner

TEMPORARY_ULN = "9999999999"
# DD35's source-of-funding codes come from the year pack (year.yaml devolved_sof_codes): 110-123 in 2025-26,
# where the rules workbook amends DD35 to add 121-123 (the CSV export still shows the old 110-120 text).
FAR_FUTURE = dt.date(2099, 12, 31)


def dd01_uln_check(uln: str | None) -> str | None:
    """DD01: 'Y' for the temporary ULN; 'N' when it cannot pass; else the expected 10th digit as text.

    The first nine digits are weighted 10 down to 2; the remainder mod 11 gives the check digit 10 - r.
    """
    if uln is None:
        return None
    if uln == TEMPORARY_ULN:
        return "Y"
    if len(uln) != 10 or not uln.isdigit():
        return "N"
    remainder = sum(int(d) * w for d, w in zip(uln[:9], range(10, 1, -1))) % 11
    if remainder == 0:
        return "N"
    return str(10 - remainder)


def uln_passes_checksum(uln: str | None) -> bool:
    check = dd01_uln_check(uln)
    return check is None or check == "Y" or (check != "N" and check == uln[9])


def dd05_employer_check(emp_id: str | None) -> str | None:
    """DD05/DD14: the check character of a 9-digit employer id: 'X' when it cannot pass, else a digit.

    The first eight digits are weighted 9 down to 2; 11 - (sum mod 11) is the check digit (11 gives 0).
    """
    if emp_id is None:
        return None
    if len(emp_id) != 9 or not emp_id.isdigit():
        return "X"
    check = 11 - sum(int(d) * w for d, w in zip(emp_id[:8], range(9, 1, -1))) % 11
    if check == 11:
        return "0"
    if check == 10:
        return "X"
    return str(check)


def employer_id_passes_checksum(emp_id: str | None) -> bool:
    check = dd05_employer_check(emp_id)
    return check is None or (check != "X" and check == emp_id[8])


def dd07_is_apprenticeship(prog_type: int | None) -> bool:
    """DD07: the aim is part of an apprenticeship (ProgType 25 in 2025-26)."""
    return prog_type == 25


def dd04_programme_start(aim: Aim) -> dt.date | None:
    """DD04: earliest start of the learner's programme aims (AimType 1) with the same ProgType.

    None when the aim has no ProgType (the agency's definition needs one) or there is no such programme aim.
    """
    if aim.prog_type is None:
        return None
    starts = [a.start for a in aim.learner.aims
              if a.aim_type == 1 and a.prog_type == aim.prog_type and a.start is not None]
    return min(starts) if starts else None


def dd06_earliest_start(learner: Learner) -> dt.date | None:
    """DD06: the earliest LearnStartDate across all the learner's aims."""
    starts = [a.start for a in learner.aims if a.start is not None]
    return min(starts) if starts else None


def dd18_standard_programme_start(aim: Aim) -> dt.date | None:
    """DD18: earliest start of the learner's ProgType 25 programme aims with the same StdCode.

    None for an aim that is not itself ProgType 25 (DD18 is only defined for apprenticeship standards).
    """
    if aim.prog_type != 25:
        return None
    starts = [a.start for a in aim.learner.aims if a.aim_type == 1 and a.prog_type == 25
              and a["StdCode"] == aim["StdCode"] and a.start is not None]
    return min(starts) if starts else None


def _esm(aim: Aim, esm_type: str) -> set[int]:
    status = aim.employment_at_start
    return set() if status is None else set(status.esm_codes(esm_type))


def _ldm_without_mandation(aim: Aim) -> bool:
    # DD21/DD37 ask for "LDM and LearnDelFAMCode <> 318": the aim is LDM-monitored, and (as the agency's
    # DD21 reads it) not mandated to skills training (LDM 318) on any of its LDM records.
    codes = aim.fam_codes("LDM")
    return bool(codes) and "318" not in codes


def dd12_mandated_jsa_esa_uc(aim: Aim) -> bool:
    """DD12: FM35 learner mandated to training on JSA, ESA (WRAG) or UC at the start of the aim."""
    if aim.fund_model != 35:
        return False
    bsi = _esm(aim, "BSI")
    return bool(bsi & {1, 2}) or (4 in bsi and aim.has_fam("LDM", "318"))


def dd21_other_state_benefits(aim: Aim) -> bool:
    """DD21: FM35 unemployed learner (EmpStat 11/12) on other state benefits at the start of the aim."""
    status = aim.employment_at_start
    if aim.fund_model != 35 or status is None or status.emp_stat not in (11, 12):
        return False
    bsi = _esm(aim, "BSI")
    return 3 in bsi or (4 in bsi and _ldm_without_mandation(aim))


def dd28_unemployed_with_benefits(aim: Aim) -> bool:
    """DD28: FM35 learner unemployed and on benefits at the start of the aim (any of the agency's cases)."""
    status = aim.employment_at_start
    if aim.fund_model != 35 or status is None:
        return False
    bsi = _esm(aim, "BSI")
    if status.emp_stat in (10, 11, 12, 98) and bsi & {1, 2}:
        return True
    if status.emp_stat in (11, 12) and bsi & {3, 4}:
        return True
    eii = _esm(aim, "EII")
    return status.emp_stat == 10 and bool(eii & {2, 5, 6}) and bool(bsi & {3, 4})


def dd32_open_apprenticeship_programme(aim: Aim) -> bool:
    """DD32: an apprenticeship programme aim (AimType 1, FM36) with no actual end date yet."""
    return aim.aim_type == 1 and aim.fund_model == 36 and aim.act_end is None


def dd33_open_programme_start(aim: Aim) -> dt.date | None:
    """DD33: the start date of such an open FM36 programme aim."""
    return aim.start if dd32_open_apprenticeship_programme(aim) else None


def dd34_closed_programme_end(aim: Aim) -> dt.date | None:
    """DD34: the actual end date of a closed FM36 programme aim."""
    if aim.aim_type == 1 and aim.fund_model == 36:
        return aim.act_end
    return None


def dd35_devolved_funding(aim: Aim) -> bool:
    """DD35: the aim is funded by a mayoral combined authority or the GLA (the year's devolved SOF codes)."""
    devolved = devolved_sof(aim)
    return any(code in devolved for code in aim.fam_codes("SOF"))


def dd36_programme_end(aim: Aim) -> dt.date | None:
    """DD36: effective end of a programme aim (AimType 1; None for other aims), taking the agency's
    clauses in their order: ProgType 25 uses the achievement date when known, else the actual end date;
    other ProgTypes use the actual end date when known, and ProgType 32 then the achievement date;
    otherwise the programme is open (31 December 2099)."""
    if aim.aim_type != 1:
        return None
    if aim.prog_type == 25:
        return aim.ach or aim.act_end or FAR_FUTURE
    if aim.act_end is not None:
        return aim.act_end
    if aim.prog_type == 32 and aim.ach is not None:
        return aim.ach
    return FAR_FUTURE


def dd37_other_benefits(aim: Aim) -> bool:
    """DD37: FM35 unemployed learner on other state benefits (BSI 6, or BSI 4 without LDM 318)."""
    status = aim.employment_at_start
    if aim.fund_model != 35 or status is None or status.emp_stat not in (11, 12):
        return False
    bsi = _esm(aim, "BSI")
    return 6 in bsi or (4 in bsi and _ldm_without_mandation(aim))


def dd38_unemployed_with_benefits(aim: Aim) -> bool:
    """DD38: as DD28 but for the benefit codes 1, 4, 5 and 6."""
    status = aim.employment_at_start
    if aim.fund_model != 35 or status is None:
        return False
    bsi = _esm(aim, "BSI")
    if status.emp_stat in (10, 11, 12, 98) and 1 in bsi:
        return True
    if status.emp_stat in (11, 12) and bsi & {4, 5, 6}:
        return True
    # employed for few hours a week and on benefits
    eii = _esm(aim, "EII")
    return status.emp_stat == 10 and bool(eii & {2, 5, 6}) and bool(bsi & {4, 5, 6})
