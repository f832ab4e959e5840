"""An organisations list with LegalOrgType lets the rules that leave out specialist designated colleges run."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.refdata import for_data
from ilrkit.rules.engine import validate
from ilrkit.rules.reference import ReferenceData
from ilrkit.rules.testing import build

LEARNER = {"LearnRefNumber": "L1", "DateOfBirth": "1980-01-01",
           "aims": [{"LearnAimRef": "ZL300001", "FundModel": 35, "LearnStartDate": "2015-09-01"}]}
LARS = {"LARS_LearningDelivery": [{"LearnAimRef": "ZL300001", "NotionalNVQLevelv2": "3"}]}


@pytest.fixture
def own_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _findings(org_rows):
    reference = ReferenceData.from_rows({"LARS": LARS, "Organisations": {"Organisation": org_rows}})
    report = validate(build([LEARNER]), codes={"DateOfBirth_32"}, reference=reference, strict=True)
    return [f.rule for f in report.findings]


def test_the_provider_type_decides_whether_a_specialist_college_exclusion_applies():
    assert _findings([{"UKPRN": "10000001", "LegalOrgType": "PLTD"}]) == ["DateOfBirth_32"]
    assert _findings([{"UKPRN": "10000001", "LegalOrgType": "usdc"}]) == []
    assert _findings([{"UKPRN": "10000001"}]) == []  # type not known: cannot tell, so quiet
    assert _findings([{"UKPRN": "10000002", "LegalOrgType": "PLTD"}]) == []  # another provider's row


def test_a_loaded_organisations_file_keeps_its_legal_org_type(tmp_path, own_data_folder):
    src = tmp_path / "orgs.csv"
    src.write_text("UKPRN,Name,Legal Org Type,Other\r\n10000001,Synthetic College,USDC,x\r\n")
    result = CliRunner().invoke(app, ["refdata", "add", str(src)])
    assert result.exit_code == 0, result.output
    table = for_data(build([LEARNER])).tables["Organisations"]["Organisation"]
    assert table.to_dict("records") == [{"UKPRN": "10000001", "Name": "Synthetic College", "LegalOrgType": "USDC"}]
