"""`ilr batch --refdata` and the server's /v1/batch check every workbook with the same reference data as
validate and convert, read once for the whole batch."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import ilrkit.refdata as refdata
from ilrkit.cli.main import app as cli
from ilrkit.server.app import create_app

from server_helpers import AUTH, make_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"
REFDATA = ROOT / "examples" / "refdata"
UNKNOWN_AIM = "ZZZ00001"  # no aim of the synthetic LARS


def _with_unknown_aim(target: Path) -> Path:
    """The example workbook with its second aim's reference changed to one the synthetic LARS does not hold."""
    wb = openpyxl.load_workbook(EXAMPLE)
    ws = wb["LearningAims"]
    column = next(c.column for c in ws[1] if c.value and "[LearnAimRef]" in str(c.value))
    ws.cell(row=3, column=column).value = UNKNOWN_AIM
    wb.save(target)
    return target


@pytest.fixture()
def two_workbooks(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "clean.xlsx")
    _with_unknown_aim(folder / "unknown-aim.xlsx")
    return folder


def _error_rules(annotated: Path) -> set[str]:
    """The rule codes on an annotated workbook's "ILR errors" sheet."""
    wb = openpyxl.load_workbook(annotated, read_only=True)
    values = {str(v) for row in wb["ILR errors"].iter_rows(values_only=True) for v in row if v is not None}
    return {v for v in values if v.startswith("LearnAimRef_")}


def _summary(text: str) -> dict[str, dict]:
    return {row["Workbook"]: row for row in csv.DictReader(io.StringIO(text))}


def test_ilr_batch_uses_the_refdata_folder_read_once(two_workbooks, tmp_path, monkeypatch):
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder)  # a folder this process has not opened yet
    reads = []
    real_read = refdata.read
    monkeypatch.setattr(refdata, "read", lambda path: reads.append(Path(path).name) or real_read(path))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(two_workbooks), str(out), "--workers", "1",
                                      "--refdata", str(folder)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output  # one workbook has errors
    summary = _summary((out / "summary.csv").read_text(encoding="utf-8"))
    assert summary["clean.xlsx"]["Result"] == "converted" and summary["clean.xlsx"]["Errors"] == "0"
    assert summary["unknown-aim.xlsx"]["Result"] == "converted with errors"
    assert "LearnAimRef_01" in _error_rules(out / "annotated" / "unknown-aim-annotated.xlsx")
    assert not (out / "annotated" / "clean-annotated.xlsx").exists()
    # each file of the set read once for the batch, not once per workbook
    assert sorted(reads) == sorted(p.name for p in folder.iterdir())


def test_ilr_batch_without_reference_data_does_not_report_the_aim(two_workbooks, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(two_workbooks), str(out), "--workers", "1"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output  # nothing loaded in this test's data folder: LARS rules wait
    assert not (out / "annotated" / "unknown-aim-annotated.xlsx").exists()


def test_ilr_batch_with_a_missing_refdata_folder_stops(two_workbooks, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(two_workbooks), str(out), "--refdata",
                                      str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "--refdata" in said and "no such folder" in said
    assert not out.exists()


def test_server_batch_uses_the_configured_reference_data(two_workbooks, scratch):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(two_workbooks.iterdir()):
            zf.write(p, p.name)
    with TestClient(create_app(make_settings(scratch, refdata_dir=str(REFDATA)))) as client:
        response = client.post("/v1/batch", files={"file": ("wbs.zip", archive.getvalue(), "application/zip")},
                               headers=AUTH)
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        summary = _summary(zf.read("summary.csv").decode("utf-8"))
        annotated = {Path(n).name: zf.read(n) for n in zf.namelist() if n.startswith("annotated/")}
    assert summary["clean.xlsx"]["Result"] == "converted" and summary["clean.xlsx"]["Errors"] == "0"
    assert summary["unknown-aim.xlsx"]["Result"] == "converted with errors"
    assert list(annotated) == ["unknown-aim-annotated.xlsx"]
    target = scratch.parent / "unknown-aim-annotated.xlsx"
    target.write_bytes(annotated["unknown-aim-annotated.xlsx"])
    assert "LearnAimRef_01" in _error_rules(target)
