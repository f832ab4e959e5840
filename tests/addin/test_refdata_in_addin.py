"""The add-in's Validate uses the reference data loaded into the user's data folder (ilr refdata add)."""

from __future__ import annotations

from pathlib import Path

from ilrkit.addin.actions import check
from ilrkit.converter.io import load
from ilrkit.refdata import add

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"
CONTRACTS = ROOT / "examples" / "refdata" / "contracts.csv"


def test_validate_uses_the_loaded_contracts(tmp_path, monkeypatch):
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(tmp_path / "data"))
    report = check(load(EXAMPLE), EXAMPLE.name)
    assert "UKPRN_06" in report.rules_not_checked
    lines = CONTRACTS.read_text(encoding="utf-8").splitlines()
    mine = tmp_path / "contracts.csv"
    mine.write_text("\r\n".join([lines[0]] + [x for x in lines[1:] if "ASFC" not in x]), encoding="utf-8")
    add([mine])
    report = check(load(EXAMPLE), EXAMPLE.name)
    assert "UKPRN_06" in report.rules_run
    assert any(f.rule == "UKPRN_06" for f in report.findings)


def test_a_damaged_store_does_not_stop_validation(tmp_path, monkeypatch):
    store = tmp_path / "data" / "refdata"
    store.mkdir(parents=True)
    (store / "Contracts.sqlite").write_bytes(b"not a database" * 100)
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(tmp_path / "data"))
    report = check(load(EXAMPLE), EXAMPLE.name)
    assert "UKPRN_06" in report.rules_not_checked and not report.has_errors
