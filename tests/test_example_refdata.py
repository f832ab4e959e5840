"""The README's example with the example reference data: the postcode and organisation rules run on it too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.io import load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"
REFDATA = ROOT / "examples" / "refdata"
POSTCODE_RULES = {"Postcode_14", "PostcodePrior_01", "DelLocPostCode_03", "LSDPostcode_01", "LSDPostcode_05"}
ORGANISATION_RULES = {"Filename_3", "PartnerUKPRN_01", "PMUKPRN_01", "PrevUKPRN_01"}


def _validate(folder: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["validate", str(EXAMPLE), "--refdata", str(folder), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_the_example_runs_the_postcode_and_organisation_rules_and_stays_clean():
    code, doc = _validate(REFDATA)
    assert code == 0 and doc["summary"]["errors"] == 0 and doc["summary"]["warnings"] == 0
    assert not (POSTCODE_RULES | ORGANISATION_RULES) & {d["rule"] for d in doc["not_checked"]}


def test_they_really_look_the_example_up(tmp_path):
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder)
    lines = (folder / "postcodes.csv").read_text(encoding="utf-8").splitlines()
    home = load(EXAMPLE).tables["Learner"]["Postcode"].iloc[0]  # the first learner's postcode leaves the list
    (folder / "postcodes.csv").write_text("\r\n".join(x for x in lines if not x.startswith(home + ",")) + "\r\n",
                                          encoding="utf-8")
    (folder / "organisations.csv").write_text("UKPRN,Name\r\n10009999,Another Provider\r\n", encoding="utf-8")
    code, doc = _validate(folder)
    assert code == 1
    rules = {f["rule"] for f in doc["findings"]}
    assert "Filename_3" in rules  # the provider's UKPRN is not on the list
    assert "Postcode_14" in rules
