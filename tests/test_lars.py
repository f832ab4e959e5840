"""The shared LARS look-ups (ilrkit.rules.lars) on small synthetic tables."""

from __future__ import annotations

import datetime as dt

import pytest

from ilrkit.rules import lars
from ilrkit.rules.engine import Context, build_learners
from ilrkit.rules.reference import ReferenceData
from ilrkit.rules.testing import build

D = dt.date

SMALL_LARS = {
    "LARS_LearningDelivery": [
        {"LearnAimRef": "60000001", "NotionalNVQLevelv2": "3", "LearnAimRefType": "0001"},
        {"LearnAimRef": "Z0000002", "NotionalNVQLevelv2": "e"},
    ],
    "LARS_Validity": [
        {"LearnAimRef": "60000001", "ValidityCategory": "ADULT_SKILLS", "StartDate": "2019-08-01",
         "EndDate": "2023-07-31", "LastNewStartDate": "2022-07-31"},
        {"LearnAimRef": "60000001", "ValidityCategory": "ADULT_SKILLS", "StartDate": "01/08/2023",
         "EndDate": None, "LastNewStartDate": None},
        {"LearnAimRef": "60000001", "ValidityCategory": "1619_EFA", "StartDate": "2020-08-01 00:00:00",
         "EndDate": "2024-07-31", "LastNewStartDate": None},
    ],
    "LARS_LearningDeliveryCategory": [
        {"LearnAimRef": "60000001", "CategoryRef": "38", "EffectiveFrom": "2017-08-01", "EffectiveTo": "2020-07-31"},
        {"LearnAimRef": "60000001", "CategoryRef": "22", "EffectiveFrom": "2015-08-01", "EffectiveTo": None},
    ],
    "LARS_Funding": [
        {"LearnAimRef": "60000001", "FundingCategory": "Matrix", "EffectiveFrom": "2020-08-01",
         "EffectiveTo": None, "RateWeighted": "100.00"},
        {"LearnAimRef": "60000001", "FundingCategory": "Adult_Skills", "EffectiveFrom": "2020-08-01",
         "EffectiveTo": None},
    ],
    "LARS_AnnualValue": [
        {"LearnAimRef": "60000001", "EffectiveFrom": "2019-08-01", "EffectiveTo": "2022-07-31", "BasicSkillsType": "19"},
        {"LearnAimRef": "60000001", "EffectiveFrom": "2022-08-01", "EffectiveTo": None, "BasicSkillsType": "36"},
    ],
    "LARS_Standard": [{"StandardCode": "101", "EffectiveFrom": "2020-01-01", "LastDateStarts": "2026-07-31"}],
    "LARS_StandardFunding": [{"StandardCode": "101", "FundingCategory": "Apprenticeship", "EffectiveFrom": "2020-01-01"}],
    "LARS_FrameworkAims": [{"LearnAimRef": "60000001", "FworkCode": "420", "ProgType": "2", "PwayCode": "1",
                            "FrameworkComponentType": "1", "EffectiveFrom": "2015-08-01"}],
}


def aim_with(ref: str, tables: dict | None = None):
    data = build([{"LearnRefNumber": "L1", "aims": [{"LearnAimRef": ref}]}])
    reference = ReferenceData.from_rows({"LARS": SMALL_LARS if tables is None else tables})
    ctx = Context(data, None, reference, D(2026, 1, 15))
    ctx.learners = build_learners(data)
    for learner in ctx.learners:
        learner.ctx = ctx
    return ctx.learners[0].aims[0]


@pytest.mark.parametrize("text, expected", [
    ("2025-08-01", D(2025, 8, 1)),
    ("2025-08-01 00:00:00", D(2025, 8, 1)),
    ("2025-08-01T00:00:00", D(2025, 8, 1)),
    ("01/08/2025", D(2025, 8, 1)),
    ("1/8/2025 00:00", D(2025, 8, 1)),
    ("20250801", D(2025, 8, 1)),
    (" 2025-08-01 ", D(2025, 8, 1)),
    ("2025-02-30", None),
    ("soon", None),
    ("", None),
    (None, None),
])
def test_lars_dates_in_the_forms_the_download_has(text, expected):
    assert lars.parse_date(text) == expected


def test_learning_delivery_record_is_found_without_case_or_spaces():
    assert lars.learning_delivery(aim_with("60000001"))["LearnAimRefType"] == "0001"
    assert lars.aim_exists(aim_with("z0000002 "))
    assert not lars.aim_exists(aim_with("60000009"))
    assert lars.notional_nvq_level_v2(aim_with("Z0000002")) == "E"


def test_validities_by_category_and_the_latest_one():
    aim = aim_with("60000001")
    adult = lars.validities(aim, "adult_skills")
    assert [v.start for v in adult] == [D(2019, 8, 1), D(2023, 8, 1)]
    assert len(lars.validities(aim)) == 3
    latest = lars.latest_validity(aim, lars.ADULT_SKILLS)
    assert latest.start == D(2023, 8, 1) and latest.end is None and latest.last_new_start is None
    assert latest.valid_on(D(2099, 1, 1)) and not latest.valid_on(D(2023, 7, 31))
    assert lars.latest_validity(aim, lars.COMM_LEARN) is None
    assert lars.has_validity(aim, lars.EFA_1619) and not lars.has_validity(aim, lars.ADV_LEARN_LOAN)


def test_categories_in_effect_on_a_day():
    aim = aim_with("60000001")
    assert lars.category_refs(aim) == {"38", "22"}
    assert lars.has_category(aim, 38) and lars.has_category(aim, "038")
    assert lars.has_category(aim, 38, on=D(2018, 1, 1))
    assert not lars.has_category(aim, 38, on=D(2021, 1, 1))
    assert lars.has_category(aim, 22, on=D(2030, 1, 1))
    assert not lars.has_category(aim, 67)


def test_funding_and_annual_values():
    aim = aim_with("60000001")
    assert [f["RateWeighted"] for f in lars.fundings(aim, "matrix")] == ["100.00"]
    assert len(lars.fundings(aim)) == 2
    assert lars.basic_skills_type(aim, D(2020, 1, 1)) == 19
    assert lars.basic_skills_type(aim, D(2025, 9, 1)) == 36
    assert lars.basic_skills_type(aim, D(2018, 1, 1)) is None
    assert lars.annual_value_on(aim, None) is None


def test_standards_and_framework_aims():
    aim = aim_with("60000001")
    assert lars.standard_exists(aim.ctx, "101") and lars.standard_exists(aim.ctx, 101)
    assert not lars.standard_exists(aim.ctx, "102")
    assert lars.standards(aim.ctx, "101")[0]["LastDateStarts"] == "2026-07-31"
    assert len(lars.standard_fundings(aim.ctx, 101, "apprenticeship")) == 1
    assert lars.framework_aims(aim)[0]["FworkCode"] == "420"
    assert lars.standard_common_components(aim.ctx, 101) == []  # a table the set does not have reads as empty


def test_each_table_is_indexed_once_per_validation():
    aim = aim_with("60000001")
    lars.validities(aim)
    index = aim.ctx.cache["lars:LARS_Validity:LearnAimRef:_validity"]
    lars.validities(aim, lars.ADULT_SKILLS)
    assert aim.ctx.cache["lars:LARS_Validity:LearnAimRef:_validity"] is index


def test_a_set_without_the_table_or_column_reads_as_empty():
    aim = aim_with("60000001", {"LARS_LearningDelivery": [{"LearnAimRef": "60000001"}]})
    assert lars.aim_exists(aim)
    assert lars.validities(aim) == [] and lars.categories(aim) == []
    assert lars.notional_nvq_level_v2(aim) is None


def test_an_index_is_shared_by_validations_against_the_same_loaded_tables(monkeypatch):
    reference = ReferenceData.from_rows({"LARS": SMALL_LARS})
    builds = []
    real_build = lars._build
    monkeypatch.setattr(lars, "_build", lambda *args: builds.append(args[1]) or real_build(*args))

    def first_aim():
        data = build([{"LearnRefNumber": "L1", "aims": [{"LearnAimRef": "60000001"}]}])
        ctx = Context(data, None, reference, D(2026, 1, 15))
        ctx.learners = build_learners(data)
        ctx.learners[0].ctx = ctx
        return ctx.learners[0].aims[0]

    assert len(lars.validities(first_aim())) == 3
    assert len(lars.validities(first_aim())) == 3  # a second validation, a new Context, the same tables
    assert builds == ["LearnAimRef"]
    other = ReferenceData.from_rows({"LARS": {"LARS_Validity": SMALL_LARS["LARS_Validity"][:1]}})
    data = build([{"LearnRefNumber": "L1", "aims": [{"LearnAimRef": "60000001"}]}])
    ctx = Context(data, None, other, D(2026, 1, 15))
    ctx.learners = build_learners(data)
    ctx.learners[0].ctx = ctx
    assert len(lars.validities(ctx.learners[0].aims[0])) == 1  # other tables, their own index


def test_small_tables_from_rows_leave_a_missing_value_none_not_nan():
    tables = ReferenceData.from_rows({"Organisations": {"Organisation": [
        {"UKPRN": "10000001", "LegalOrgType": "USDC"}, {"UKPRN": 10000002}]}}).get("Organisations")
    assert tables["Organisation"].to_dict("records") == [
        {"UKPRN": "10000001", "LegalOrgType": "USDC"}, {"UKPRN": "10000002", "LegalOrgType": None}]


def aim_on(start: str, end: str | None = None, fams: dict | None = None, tables: dict | None = None):
    spec = {"LearnAimRef": "60000001", "LearnStartDate": start, "fams": fams or {}}
    if end:
        spec.update(LearnActEndDate=end, CompStatus=2)
    data = build([{"LearnRefNumber": "L1", "aims": [spec]}])
    ctx = Context(data, None, ReferenceData.from_rows({"LARS": tables or SMALL_LARS}), D(2026, 1, 15))
    ctx.learners = build_learners(data)
    ctx.learners[0].ctx = ctx
    return ctx.learners[0].aims[0]


def test_a_start_date_passes_when_any_validity_of_the_category_covers_it():
    # ADULT_SKILLS: 2019-08-01..2023-07-31, then 2023-08-01 onwards
    assert lars.start_outside_validity(aim_on("2021-01-01"), lars.ADULT_SKILLS) is None
    assert lars.start_outside_validity(aim_on("2025-09-01"), lars.ADULT_SKILLS) is None
    outside = lars.start_outside_validity(aim_on("2019-07-31"), lars.ADULT_SKILLS)
    assert outside is not None and outside.start == D(2023, 8, 1)  # the latest one is quoted
    assert lars.start_outside_validity(aim_on("2019-07-31"), lars.COMM_LEARN) is None  # no such validity


def test_new_starts_end_on_the_last_date_for_new_starts_unless_restarting():
    tables = {"LARS_Validity": [{"LearnAimRef": "60000001", "ValidityCategory": "ANY", "StartDate": "2020-08-01",
                                 "EndDate": None, "LastNewStartDate": "2024-07-31"}]}
    assert lars.start_outside_new_starts(aim_on("2024-07-31", tables=tables), lars.ANY) is None
    assert lars.start_outside_new_starts(aim_on("2024-08-01", tables=tables), lars.ANY) is not None
    assert lars.start_outside_new_starts(aim_on("2024-08-01", fams={"RES": "1"}, tables=tables), lars.ANY) is None
    assert lars.start_outside_new_starts(aim_on("2020-07-31", fams={"RES": "1"}, tables=tables), lars.ANY) is not None


def test_an_actual_end_may_fall_on_the_validity_end_date():
    # 1619_EFA ends 2024-07-31
    assert lars.end_after_validity(aim_on("2023-09-01", "2024-07-31"), lars.EFA_1619) is None
    assert lars.end_after_validity(aim_on("2023-09-01", "2024-08-01"), lars.EFA_1619).end == D(2024, 7, 31)
    assert lars.end_after_validity(aim_on("2023-09-01"), lars.EFA_1619) is None  # not ended yet


def test_a_validity_closed_before_the_collection_year_is_found_on_the_latest_record():
    assert lars.previous_year_end(aim_on("2023-09-01").ctx) == D(2025, 7, 31)
    assert lars.validity_closed_before_year(aim_on("2023-09-01"), lars.EFA_1619).end == D(2024, 7, 31)
    assert lars.validity_closed_before_year(aim_on("2023-09-01"), lars.ADULT_SKILLS) is None  # latest is open
    tables = {"LARS_Validity": [{"LearnAimRef": "60000001", "ValidityCategory": "ANY", "StartDate": "2020-08-01",
                                 "EndDate": "2025-08-01", "LastNewStartDate": None}]}
    assert lars.validity_closed_before_year(aim_on("2023-09-01", tables=tables), lars.ANY) is None


def test_lacking_a_category_needs_the_aim_to_be_in_lars():
    assert lars.lacks_validity(aim_on("2025-09-01"), lars.COMM_LEARN)
    assert not lars.lacks_validity(aim_on("2025-09-01"), lars.COMM_LEARN, lars.EFA_1619)
    assert not lars.lacks_validity(aim_on("2025-09-01", tables={"LARS_Validity": []}), lars.COMM_LEARN)
