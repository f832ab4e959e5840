"""The Office for Students register, and the organisation and contract columns the newer rules read."""

from __future__ import annotations

from pathlib import Path

from ilrkit.converter.io import load
from ilrkit.refdata import add, for_data
from ilrkit.refdata.readers import detect
from ilrkit.refdata.sets import SETS
from ilrkit.rules.engine import validate
from ilrkit.rules.reference import ReferenceData

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"


def _csv(path: Path, text: str) -> Path:
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    return path


def test_the_ofs_register_is_told_apart_from_an_organisations_list(tmp_path):
    ofs = _csv(tmp_path / "ofs.csv", "Provider legal name,UKPRN,Registration category\nExample College,10000001,"
                                     "Approved (fee cap)\n")
    orgs = _csv(tmp_path / "orgs.csv", "UKPRN,Name,LegalOrgType,LongTermResid\n10000001,Example College,UGFE,0\n")
    assert detect(ofs).name == "OfSProviders"
    assert detect(orgs).name == "Organisations"
    folder = tmp_path / "store"
    add([ofs, orgs], folder)
    ref = for_data(load(EXAMPLE), folder)
    assert list(ref.tables["OfSProviders"]["OfSProvider"]["UKPRN"]) == ["10000001"]
    org = ref.tables["Organisations"]["Organisation"]
    assert list(org["LongTermResid"]) == ["0"] and list(org["LegalOrgType"]) == ["UGFE"]


def test_contract_deliverable_codes_are_kept(tmp_path):
    contracts = _csv(tmp_path / "contracts.csv",
                     "Contract allocation number,Funding stream period code,Delivery UKPRN,Start date,End date,"
                     "Deliverable code,ILR contract ref number\nSB23-0001,SB2023,10000001,2025-08-01,2026-07-31,01,\n")
    folder = tmp_path / "store"
    add([contracts], folder)
    table = for_data(load(EXAMPLE), folder).tables["Contracts"]["ContractAllocation"]
    assert list(table["DeliverableCode"]) == ["01"] and "ILRContractRefNumber" in table.columns


def test_with_every_loadable_set_at_most_25_agency_rules_are_not_checked():
    data = load(EXAMPLE)
    every = ReferenceData.from_rows({name: {t.name: [] for t in s.tables} for name, s in SETS.items()})
    report = validate(data, reference=every)
    assert len(report.rules_not_checked) <= 25, report.rules_not_checked
    waiting_for_a_set = [code for code, why in report.not_checked_reasons.items()
                         if why.startswith("needs reference data:")]
    assert not waiting_for_a_set
    assert all(report.not_checked_reasons.get(code) for code in report.rules_not_checked)
