"""The server uses the reference data folder it is configured with (ILRKIT_REFDATA_DIR)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ilrkit.server.app import create_app
from ilrkit.server.settings import Settings, SettingsError

from server_helpers import AUTH, make_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"
CONTRACTS = ROOT / "examples" / "refdata" / "contracts.csv"


def _validate(client) -> dict:
    with EXAMPLE.open("rb") as fh:
        response = client.post("/v1/validate", headers=AUTH, files={"file": (EXAMPLE.name, fh)})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_configured_reference_data_is_used(scratch, tmp_path):
    folder = tmp_path / "refdata"
    folder.mkdir()
    # contracts without any adult skills allocation: the example's adult aims must be reported
    lines = CONTRACTS.read_text(encoding="utf-8").splitlines()
    (folder / "contracts.csv").write_text("\r\n".join([lines[0]] + [x for x in lines[1:] if "ASFC" not in x]),
                                          encoding="utf-8")
    with TestClient(create_app(make_settings(scratch, refdata_dir=str(folder)))) as client:
        doc = _validate(client)
    rules = {f["rule"] for f in doc["findings"]}
    assert {"UKPRN_06", "UKPRN_29"} <= rules
    assert "UKPRN_06" not in {d["rule"] for d in doc["not_checked"]}


def test_without_reference_data_the_rules_are_not_checked(scratch):
    with TestClient(create_app(make_settings(scratch))) as client:
        doc = _validate(client)
    assert not {"UKPRN_06", "UKPRN_29"} & {f["rule"] for f in doc["findings"]}
    reasons = {d["rule"]: d["reason"] for d in doc["not_checked"]}
    assert reasons["UKPRN_06"] == "needs reference data: Contracts"


def test_a_missing_reference_data_folder_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="ILRKIT_REFDATA_DIR"):
        Settings(dev=True, refdata_dir=str(tmp_path / "nowhere")).validate()
    assert Settings.from_env({"ILRKIT_REFDATA_DIR": str(tmp_path)}, dev=True).refdata_dir == str(tmp_path)
