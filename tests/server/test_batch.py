"""`ilr batch`: a folder of workbooks in a process pool or on a Dask cluster; one bad workbook never stops the rest."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from typer.testing import CliRunner

from ilrkit.server import batch
from ilrkit.cli.main import app as cli

from server_helpers import SECRET, XML_NAME


@pytest.fixture()
def in_dir(tmp_path, files):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in (files.clean, files.errors, files.blocked, files.corrupt):
        shutil.copy(f, folder / f.name)
    (folder / "~$clean.xlsx").write_bytes(b"excel lock file")  # Excel's lock files are not workbooks
    (folder / "notes.txt").write_text("not a workbook")
    return folder


def _summary(out_dir) -> dict:
    rows = csv.DictReader(io.StringIO((out_dir / "summary.csv").read_text(encoding="utf-8")))
    return {row["Workbook"]: row for row in rows}


def _check_results(out_dir):
    xmls = sorted(p.name for p in out_dir.glob("*.xml"))
    assert len(xmls) == 2 and all(re.fullmatch(XML_NAME, n) for n in xmls)  # same UKPRN, never the same name
    summary = _summary(out_dir)
    assert set(summary) == {"clean.xlsx", "errors.xlsx", "blocked.xlsx", "corrupt.xlsx"}
    assert summary["clean.xlsx"]["Result"] == "converted" and summary["clean.xlsx"]["XML file"] in xmls
    assert summary["errors.xlsx"]["Result"] == "converted with errors" and int(summary["errors.xlsx"]["Errors"]) > 0
    assert summary["blocked.xlsx"]["XML file"] == "" and summary["blocked.xlsx"]["Result"] in ("not converted",
                                                                                             "unusable")
    assert summary["corrupt.xlsx"]["Result"] == "unusable" and "damaged" in summary["corrupt.xlsx"]["What to do"]
    assert (out_dir / "annotated" / "errors-annotated.xlsx").is_file()
    assert not (out_dir / "annotated" / "clean-annotated.xlsx").exists()  # nothing to mark
    assert SECRET not in (out_dir / "summary.csv").read_text(encoding="utf-8")
    assert not list(out_dir.glob(".ilrkit-*"))


def test_batch_command_with_a_process_pool(in_dir, tmp_path):
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(in_dir), str(out_dir), "--workers", "2"], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output  # one workbook was unusable
    _check_results(out_dir)
    assert "converted with errors" in result.stdout and "unusable" in result.stdout
    assert "2 of 4 workbook(s) converted" in result.stdout.replace("\n", " ")


def test_run_batch_on_a_dask_local_cluster(in_dir, tmp_path):
    from distributed import LocalCluster

    out_dir = tmp_path / "out"
    seen = []
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        outcomes = batch.run_batch(batch.find_workbooks(in_dir), out_dir, scheduler=cluster.scheduler_address,
                                   on_done=seen.append)
    assert [o.workbook for o in outcomes] == ["blocked.xlsx", "clean.xlsx", "corrupt.xlsx", "errors.xlsx"]
    assert len(seen) == 4
    (out_dir / "summary.csv").write_text(batch.summary_csv(outcomes), encoding="utf-8")
    _check_results(out_dir)
    assert batch.exit_code(outcomes) == 2


def test_batch_command_on_a_dask_scheduler(in_dir, tmp_path):
    from distributed import LocalCluster

    for f in ("blocked.xlsx", "corrupt.xlsx"):
        (in_dir / f).unlink()
    out_dir = tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = CliRunner().invoke(cli, ["batch", str(in_dir), str(out_dir), "--scheduler",
                                          cluster.scheduler_address, "--no-annotate"])
    assert result.exit_code == 1, result.output  # converted, but one has errors
    assert len(list(out_dir.glob("*.xml"))) == 2 and not (out_dir / "annotated").exists()


def test_unreachable_scheduler_is_a_clear_error(in_dir, tmp_path):
    with pytest.raises(batch.SchedulerError, match="Cannot reach the Dask scheduler"):
        batch.run_batch(batch.find_workbooks(in_dir), tmp_path / "out", scheduler="tcp://127.0.0.1:9",
                        connect_timeout=1)


def test_batch_command_input_problems(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["batch", str(tmp_path / "missing"), str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a folder" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["batch", str(tmp_path / "empty"), str(tmp_path / "out")])
    assert result.exit_code == 2 and "no workbooks" in result.output
    result = runner.invoke(cli, ["batch", str(tmp_path / "empty"), str(tmp_path / "out"), "--serial", "abc"])
    assert result.exit_code == 2 and "serial" in result.output


def test_process_workbook_never_raises(tmp_path, files, monkeypatch):
    import ilrkit.converter.api as api

    def explode(*a, **k):
        raise RuntimeError(f"boom {SECRET}")

    monkeypatch.setattr(api, "convert", explode)
    outcome = batch.process_workbook(files.clean, tmp_path / "out")
    assert outcome.status == batch.FAILED and "RuntimeError" in outcome.message and SECRET not in outcome.message
    assert not list((tmp_path / "out").glob("*"))
