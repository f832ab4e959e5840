"""The derived-data helpers (the agency's DD rules) and the age and date arithmetic under them, checked on
worked examples computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ilrkit.rules import derived
from ilrkit.rules.engine import build_learners
from ilrkit.rules.testing import build
from ilrkit.rules.values import add_years, years_between

D = dt.date


def learner(**spec):
    """One learner view from the compact test form (see ilrkit.rules.testing)."""
    return build_learners(build([{"LearnRefNumber": "L1", **spec}]))[0]


def aim(aim_spec: dict, **learner_spec):
    """The only aim of a learner with that aim."""
    return learner(aims=[aim_spec], **learner_spec).aims[0]


# --- DD01: ULN check digit --------------------------------------------------------------------------------

@pytest.mark.parametrize("uln, expected", [
    # 1*10 + 0*9 + 6*8 + 1*7 + 4*6 + 8*5 + 4*4 + 0*3 + 1*2 = 147; 147 mod 11 = 4; 10 - 4 = 6
    ("1061484016", "6"),
    # 1*10 = 10; 10 mod 11 = 10; 10 - 10 = 0
    ("1000000000", "0"),
    # 2*10 + 1*2 = 22; 22 mod 11 = 0: no check digit can work
    ("2000000010", "N"),
    ("9999999999", "Y"),  # the temporary ULN
    ("106148401", "N"),  # nine characters
    ("10614840166", "N"),  # eleven characters
])
def test_dd01_uln_check_digit(uln, expected):
    assert derived.dd01_uln_check(uln) == expected


def test_uln_checksum_pass_and_fail():
    assert derived.uln_passes_checksum("1061484016")
    assert derived.uln_passes_checksum("1000000000")
    assert derived.uln_passes_checksum("9999999999")
    assert not derived.uln_passes_checksum("1061484017")
    assert not derived.uln_passes_checksum("2000000010")
    assert derived.dd01_uln_check(None) is None


# --- DD05 / DD14: employer and work placement employer id check digit ------------------------------------

@pytest.mark.parametrize("emp_id, expected", [
    # 1*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 = 156; 156 mod 11 = 2; 11 - 2 = 9
    ("123456789", "9"),
    # 1*9 + 1*2 = 11; 11 mod 11 = 0; 11 - 0 = 11, which is written 0
    ("100000010", "0"),
    # 5*9 = 45; 45 mod 11 = 1; 11 - 1 = 10: no check digit can work
    ("500000000", "X"),
    ("12345678", "X"),  # eight characters
])
def test_dd05_employer_check_digit(emp_id, expected):
    assert derived.dd05_employer_check(emp_id) == expected


def test_employer_checksum_pass_and_fail():
    assert derived.employer_id_passes_checksum("123456789")
    assert derived.employer_id_passes_checksum("100000010")
    assert not derived.employer_id_passes_checksum("123456788")
    assert not derived.employer_id_passes_checksum("500000000")
    assert derived.dd05_employer_check(None) is None


# --- ages: the agency's YearsBetween ------------------------------------------------------------------------

@pytest.mark.parametrize("born, on, age", [
    (D(2007, 9, 1), D(2025, 8, 31), 17),  # the day before the 18th birthday
    (D(2007, 8, 31), D(2025, 8, 31), 18),  # on the birthday
    (D(2007, 8, 30), D(2025, 8, 31), 18),  # the day after
    # born on 29 February: a year older on 28 February in a year without one, as the agency counts
    (D(2008, 2, 29), D(2026, 2, 27), 17),
    (D(2008, 2, 29), D(2026, 2, 28), 18),
    (D(2008, 2, 29), D(2026, 3, 1), 18),
    # ... and on 29 February itself in a leap year
    (D(2008, 2, 29), D(2028, 2, 28), 19),
    (D(2008, 2, 29), D(2028, 2, 29), 20),
])
def test_years_between(born, on, age):
    assert years_between(born, on) == age


def test_add_years_from_29_february():
    assert add_years(D(2008, 2, 29), 18) == D(2026, 2, 28)
    assert add_years(D(2008, 2, 29), 20) == D(2028, 2, 29)


def test_learner_and_aim_ages():
    lr = learner(DateOfBirth="2006-08-31", aims=[{"LearnStartDate": "2025-08-30"}, {"LearnStartDate": "2026-01-10"}])
    assert lr.age_on_31_august == 19  # 31 August 2025, the start of the 2025-26 teaching year
    assert lr.age_on(D(2025, 8, 30)) == 18
    first, second = lr.aims
    assert first.age_at_start == 18
    assert second.age_at_start == 19
    # a start on 30 August 2025 is in the 2025-26 teaching year, whose 31 August is 31 August 2025
    assert first.age_on_31_august_of_start_year == 19
    assert learner(DateOfBirth=None).age_on_31_august is None


# --- employment status applying on a date ------------------------------------------------------------------

def test_employment_status_on_a_date():
    lr = learner(employment=[{"EmpStat": "10", "DateEmpStatApp": "2025-09-01"},
                             {"EmpStat": "11", "DateEmpStatApp": "2025-06-01"}])
    assert lr.employment_on(D(2025, 5, 31)) is None  # nothing applies before the first status
    assert lr.employment_on(D(2025, 6, 1)).emp_stat == 11  # applies from its own day
    assert lr.employment_on(D(2025, 8, 31)).emp_stat == 11
    assert lr.employment_on(D(2025, 9, 1)).emp_stat == 10  # the later status takes over on its day


# --- DD04, DD06, DD18: programme and earliest start dates ----------------------------------------------------

def test_dd04_programme_start():
    lr = learner(aims=[
        {"AimType": 1, "ProgType": 25, "LearnStartDate": "2025-09-01", "FundModel": 36},
        {"AimType": 1, "ProgType": 25, "LearnStartDate": "2024-09-01", "FundModel": 36},
        {"AimType": 3, "ProgType": 25, "LearnStartDate": "2023-09-01", "FundModel": 36},  # not a programme aim
        {"AimType": 3, "ProgType": 31, "LearnStartDate": "2025-09-01", "FundModel": 25},  # no programme aim
        {"AimType": 4, "LearnStartDate": "2022-09-01"},  # no ProgType
    ])
    prog_a, prog_b, component, t_level, other = lr.aims
    assert derived.dd04_programme_start(prog_a) == D(2024, 9, 1)
    assert derived.dd04_programme_start(component) == D(2024, 9, 1)
    assert derived.dd04_programme_start(t_level) is None
    assert derived.dd04_programme_start(other) is None


def test_dd06_earliest_start():
    lr = learner(aims=[{"LearnStartDate": "2025-09-01"}, {"LearnStartDate": "2024-01-15"},
                       {"LearnStartDate": "2025-01-01"}])
    assert derived.dd06_earliest_start(lr) == D(2024, 1, 15)
    assert lr.earliest_start == D(2024, 1, 15)
    assert derived.dd06_earliest_start(learner()) is None


def test_dd18_standard_programme_start():
    lr = learner(aims=[
        {"AimType": 1, "ProgType": 25, "StdCode": 100, "LearnStartDate": "2025-01-01", "FundModel": 36},
        {"AimType": 1, "ProgType": 25, "StdCode": 200, "LearnStartDate": "2024-01-01", "FundModel": 36},
        {"AimType": 3, "ProgType": 25, "StdCode": 100, "LearnStartDate": "2025-02-01", "FundModel": 36},
        {"AimType": 3, "ProgType": 31, "LearnStartDate": "2025-02-01", "FundModel": 25},
    ])
    std_100, std_200, component, t_level = lr.aims
    assert derived.dd18_standard_programme_start(component) == D(2025, 1, 1)
    assert derived.dd18_standard_programme_start(std_200) == D(2024, 1, 1)
    assert derived.dd18_standard_programme_start(t_level) is None


# --- DD07, DD32-DD36: apprenticeships, programme ends, devolved funding ---------------------------------------

def test_dd07_apprenticeship():
    assert derived.dd07_is_apprenticeship(25)
    assert not derived.dd07_is_apprenticeship(2)  # frameworks no longer count in 2025-26
    assert not derived.dd07_is_apprenticeship(31)
    assert not derived.dd07_is_apprenticeship(None)


def test_dd32_dd33_dd34_open_and_closed_fm36_programmes():
    open_prog = aim({"AimType": 1, "ProgType": 25, "FundModel": 36, "LearnStartDate": "2025-09-01"})
    closed = aim({"AimType": 1, "ProgType": 25, "FundModel": 36, "LearnStartDate": "2025-09-01",
                  "LearnActEndDate": "2026-03-01"})
    component = aim({"AimType": 3, "ProgType": 25, "FundModel": 36})
    fm35 = aim({"AimType": 1, "ProgType": 25, "FundModel": 35})
    assert derived.dd32_open_apprenticeship_programme(open_prog)
    assert not derived.dd32_open_apprenticeship_programme(closed)
    assert not derived.dd32_open_apprenticeship_programme(component)
    assert not derived.dd32_open_apprenticeship_programme(fm35)
    assert derived.dd33_open_programme_start(open_prog) == D(2025, 9, 1)
    assert derived.dd33_open_programme_start(closed) is None
    assert derived.dd34_closed_programme_end(closed) == D(2026, 3, 1)
    assert derived.dd34_closed_programme_end(open_prog) is None


@pytest.mark.parametrize("code, devolved", [("109", False), ("110", True), ("115", True), ("120", True),
                                            ("121", True), ("123", True), ("124", False), ("105", False)])
def test_dd35_devolved_funding(code, devolved):
    # 110-120 in the CSV; 121-123 added by the 2025-26 rules workbook (year.yaml devolved_sof_codes)
    assert derived.dd35_devolved_funding(aim({"FundModel": 35, "fams": {"SOF": code}})) is devolved


def test_dd36_programme_end():
    far = derived.FAR_FUTURE
    std = {"AimType": 1, "ProgType": 25, "FundModel": 36}
    assert derived.dd36_programme_end(aim({**std, "AchDate": "2026-05-01", "LearnActEndDate": "2026-03-01"})) \
        == D(2026, 5, 1)  # a standard: the achievement date first
    assert derived.dd36_programme_end(aim({**std, "LearnActEndDate": "2026-03-01"})) == D(2026, 3, 1)
    assert derived.dd36_programme_end(aim(std)) == far
    boot = {"AimType": 1, "ProgType": 32, "FundModel": 37}
    assert derived.dd36_programme_end(aim({**boot, "LearnActEndDate": "2026-03-01", "AchDate": "2026-04-01"})) \
        == D(2026, 3, 1)  # other ProgTypes: the actual end date first
    assert derived.dd36_programme_end(aim({**boot, "AchDate": "2026-04-01"})) == D(2026, 4, 1)
    assert derived.dd36_programme_end(aim({"AimType": 1, "ProgType": 31, "FundModel": 25})) == far
    assert derived.dd36_programme_end(aim({"AimType": 3, "ProgType": 25, "FundModel": 36})) is None


# --- DD12, DD21, DD28, DD37, DD38: benefits at the start of an adult skills aim -------------------------------

def fm35_aim(emp_stat: str, esm: dict, fams: dict | None = None, fund_model: int = 35):
    """An aim starting 2025-09-01 for a learner whose status from 2025-08-01 is ``emp_stat`` with ``esm``."""
    return aim({"FundModel": fund_model, "LearnStartDate": "2025-09-01", "fams": fams or {}},
               employment=[{"EmpStat": emp_stat, "DateEmpStatApp": "2025-08-01", "esm": esm}])


def test_benefits_use_the_status_that_applies_on_the_start_date():
    lr = learner(aims=[{"FundModel": 35, "LearnStartDate": "2025-09-01"}],
                 employment=[{"EmpStat": "11", "DateEmpStatApp": "2025-09-02", "esm": {"BSI": "1"}}])
    assert not derived.dd12_mandated_jsa_esa_uc(lr.aims[0])  # the status starts the day after the aim
    lr = learner(aims=[{"FundModel": 35, "LearnStartDate": "2025-09-01"}],
                 employment=[{"EmpStat": "11", "DateEmpStatApp": "2025-09-01", "esm": {"BSI": "1"}}])
    assert derived.dd12_mandated_jsa_esa_uc(lr.aims[0])


def test_dd12_mandated_to_training():
    assert derived.dd12_mandated_jsa_esa_uc(fm35_aim("11", {"BSI": "1"}))  # JSA
    assert derived.dd12_mandated_jsa_esa_uc(fm35_aim("12", {"BSI": "2"}))  # ESA (WRAG)
    assert derived.dd12_mandated_jsa_esa_uc(fm35_aim("11", {"BSI": "4"}, {"LDM": "318"}))  # UC, mandated
    assert not derived.dd12_mandated_jsa_esa_uc(fm35_aim("11", {"BSI": "4"}))
    assert not derived.dd12_mandated_jsa_esa_uc(fm35_aim("11", {"BSI": "1"}, fund_model=99))


def test_dd21_other_state_benefits():
    assert derived.dd21_other_state_benefits(fm35_aim("11", {"BSI": "3"}))
    assert derived.dd21_other_state_benefits(fm35_aim("12", {"BSI": "4"}, {"LDM": "034"}))
    assert not derived.dd21_other_state_benefits(fm35_aim("12", {"BSI": "4"}, {"LDM": "318"}))
    assert not derived.dd21_other_state_benefits(fm35_aim("12", {"BSI": "4"}))  # UC but no LDM at all
    assert not derived.dd21_other_state_benefits(fm35_aim("10", {"BSI": "3"}))  # employed


def test_dd28_unemployed_with_benefits():
    assert derived.dd28_unemployed_with_benefits(fm35_aim("10", {"BSI": "1"}))
    assert derived.dd28_unemployed_with_benefits(fm35_aim("98", {"BSI": "2"}))
    assert derived.dd28_unemployed_with_benefits(fm35_aim("11", {"BSI": "3"}))
    assert not derived.dd28_unemployed_with_benefits(fm35_aim("10", {"BSI": "3"}))
    assert derived.dd28_unemployed_with_benefits(fm35_aim("10", {"BSI": "4", "EII": "5"}))  # few hours
    assert not derived.dd28_unemployed_with_benefits(fm35_aim("10", {"BSI": "4", "EII": "4"}))


def test_dd37_other_benefits():
    assert derived.dd37_other_benefits(fm35_aim("11", {"BSI": "6"}))
    assert derived.dd37_other_benefits(fm35_aim("12", {"BSI": "4"}, {"LDM": "034"}))
    assert not derived.dd37_other_benefits(fm35_aim("12", {"BSI": "4"}, {"LDM": "318"}))
    assert not derived.dd37_other_benefits(fm35_aim("11", {"BSI": "3"}))
    assert not derived.dd37_other_benefits(fm35_aim("10", {"BSI": "6"}))


def test_dd38_unemployed_with_benefits():
    assert derived.dd38_unemployed_with_benefits(fm35_aim("10", {"BSI": "1"}))
    assert not derived.dd38_unemployed_with_benefits(fm35_aim("10", {"BSI": "2"}))
    assert derived.dd38_unemployed_with_benefits(fm35_aim("11", {"BSI": "5"}))
    assert derived.dd38_unemployed_with_benefits(fm35_aim("12", {"BSI": "6"}))
    assert not derived.dd38_unemployed_with_benefits(fm35_aim("11", {"BSI": "3"}))
    assert derived.dd38_unemployed_with_benefits(fm35_aim("10", {"BSI": "6", "EII": "2"}))  # few hours
    assert not derived.dd38_unemployed_with_benefits(fm35_aim("10", {"BSI": "6"}))
