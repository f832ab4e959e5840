"""The pandera field schemas: generated from the spec, one lazy pass, named after the agency's rules."""

from __future__ import annotations


import pandera.pandas as pa
import pytest

from ilrkit.converter.model import data_entities
from ilrkit.converter.xml_reader import read_xml
from ilrkit.rules.fields.schemas import Failure, field_failures, field_schemas, prepare
from ilrkit.rules.registry import registry
from ilrkit.rules.testing import build
from ilrkit.schemas import DEFAULT_YEAR, load_spec

SAMPLE = "ILR-99999999-2526-20250108-094401.xml"


def test_schemas_cover_every_field_of_every_entity():
    spec = load_spec(DEFAULT_YEAR)
    schemas = field_schemas(DEFAULT_YEAR)
    assert set(schemas) == set(data_entities(spec))
    for entity, schema in schemas.items():
        assert list(schema.columns) == [f.name for f in spec.entity(entity).fields], entity


def test_every_check_is_named_after_a_registered_rule():
    rules = registry()
    for entity, schema in field_schemas(DEFAULT_YEAR).items():
        names = [c.name for col in schema.columns.values() for c in col.checks] + [c.name for c in schema.checks]
        assert names, entity
        for name in names:
            code, _, field = name.partition("@")
            assert code in rules, name
            assert rules[code].severity in ("error", "warning")
            assert field in {f.name for f in load_spec(DEFAULT_YEAR).entity(entity).fields}, name


def test_every_field_rule_has_a_check():
    named = {c.name.partition("@")[0] for s in field_schemas(DEFAULT_YEAR).values()
             for c in [*s.checks, *(c for col in s.columns.values() for c in col.checks)]}
    mine = {code for code, r in registry().items() if r.family.startswith("fields.")}
    assert mine and mine <= named


def _messy():
    return build([
        {"LearnRefNumber": "L1", "ULN": "12345", "Ethnicity": "77", "Sex": "X", "DateOfBirth": "31/13/2000",
         "Postcode": "b1 1aa", "aims": [{"FundModel": "123", "LearnStartDate": "2025-13-01"}]},
        {"LearnRefNumber": "L2", "PostcodePrior": None, "fams": {"EDF": ["3"]},
         "aims": [{"AimSeqNumber": "99", "LearnAimRef": "TOOLONGREF"}]},
    ])


def test_lazy_validation_reports_every_failure_in_one_pass():
    data = _messy()
    found = {(f.code, f.entity, f.index, f.field) for f in field_failures(data)}
    assert {
        ("FD_ULN_AR", "Learner", 0, "ULN"),
        ("Ethnicity_01", "Learner", 0, "Ethnicity"),
        ("Sex_01", "Learner", 0, "Sex"),
        ("ILR_DateFormat", "Learner", 0, "DateOfBirth"),
        ("Postcode_15", "Learner", 0, "Postcode"),
        ("FD_PostcodePrior_MA", "Learner", 1, "PostcodePrior"),
        ("FD_FundModel_AL", "LearningDelivery", 0, "FundModel"),
        ("FundModel_01", "LearningDelivery", 0, "FundModel"),
        ("ILR_DateFormat", "LearningDelivery", 0, "LearnStartDate"),
        ("FD_AimSeqNumber_AR", "LearningDelivery", 1, "AimSeqNumber"),
        ("FD_LearnAimRef_AL", "LearningDelivery", 1, "LearnAimRef"),
        ("LearnFAMType_01", "LearnerFAM", 0, "LearnFAMCode"),
    } <= found
    assert all(isinstance(f, Failure) for f in field_failures(data))


def test_a_schema_raises_once_with_all_its_failure_cases():
    data = _messy()
    schema = field_schemas(DEFAULT_YEAR)["Learner"]
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema.validate(prepare("Learner", data.tables["Learner"], data), lazy=True)
    checks = set(caught.value.failure_cases["check"])
    assert {"FD_ULN_AR@ULN", "Ethnicity_01@Ethnicity", "Sex_01@Sex", "ILR_DateFormat@DateOfBirth",
            "FD_PostcodePrior_MA@PostcodePrior"} <= checks


def test_a_clean_learner_has_no_failures():
    assert field_failures(build([{"LearnRefNumber": "L1", "aims": [{}]}])) == []


def test_findings_point_at_the_failing_row_and_field():
    from ilrkit.rules import validate

    report = validate(_messy(), codes={"LearnFAMType_01", "FD_LearnAimRef_AL"}, strict=True)
    got = {(f.rule, f.learn_ref, f.entity, f.field, f.value) for f in report.findings}
    assert got == {("LearnFAMType_01", "L2", "LearnerFAM", "LearnFAMCode", "3"),
                   ("FD_LearnAimRef_AL", "L2", "LearningDelivery", "LearnAimRef", "TOOLONGREF")}
    assert all("{" not in f.message for f in report.findings)


def test_the_agency_sample_passes_every_field_definition_and_format_rule(esfa_dir):
    data = read_xml(esfa_dir / SAMPLE)
    failures = [f for f in field_failures(data) if f.code.startswith(("FD_", "ILR_"))]
    assert failures == []


def test_a_check_that_raises_leaves_its_rule_not_checked(monkeypatch):
    from ilrkit.rules import validate
    from ilrkit.rules.engine import StrictError
    from ilrkit.rules.fields import formats

    def broken(value):
        raise ValueError("boom")

    monkeypatch.setattr(formats, "ssn_valid", broken)
    data = build([{"LearnRefNumber": "L1", "Sex": "X", "aims": [
        {"he": {"TYPEYR": 1, "MODESTUD": 1, "YEARSTU": 1, "MSTUFEE": 1, "SPECFEE": 0, "SSN": "ABCD12345678K"}}]}])
    report = validate(data, codes={"SSN_02", "Sex_01"})
    assert "SSN_02" in report.rules_not_checked
    assert [f.rule for f in report.findings] == ["Sex_01"]
    with pytest.raises(StrictError):
        validate(data, codes={"SSN_02"}, strict=True)
