"""`ilr batch` stopped part-way still writes a summary.csv of what was done and what is left; a full disk is
reported as "could not write <output>", never as an unusable workbook with our temporary paths."""

from __future__ import annotations

import csv
import errno
import io
import multiprocessing
import shutil

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app as cli
from ilrkit.converter import xml_writer
from ilrkit.server import batch


@pytest.fixture()
def in_dir(tmp_path, files):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        shutil.copy(files.errors if i % 2 else files.clean, folder / f"provider{i}.xlsx")
    return folder


def _summary(out_dir) -> dict:
    rows = csv.DictReader(io.StringIO((out_dir / "summary.csv").read_text(encoding="utf-8")))
    return {row["Workbook"]: row for row in rows}


def _no_leftovers(out_dir) -> None:
    assert not [p for p in out_dir.rglob("*") if p.name.startswith(".ilrkit-") or p.suffix == ".part"]


def test_ctrl_c_in_a_single_process_batch_writes_a_partial_summary(in_dir, tmp_path, monkeypatch):
    real = batch.process_workbook
    calls = []

    def interrupted_second(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "process_workbook", interrupted_second)
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(in_dir), str(out_dir), "--workers", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 130, result.output
    summary = _summary(out_dir)
    assert list(summary) == [f"provider{i}.xlsx" for i in range(4)]
    assert summary["provider0.xlsx"]["Result"] == "converted" and summary["provider0.xlsx"]["XML file"]
    assert [summary[f"provider{i}.xlsx"]["Result"] for i in (1, 2, 3)] == ["stopped"] * 3
    assert "Run the batch again" in summary["provider1.xlsx"]["What to do"]
    assert "3 workbook(s) were not done" in result.output and "Traceback" not in result.output
    _no_leftovers(out_dir)


def test_ctrl_c_in_a_process_pool_batch_stops_the_workers_and_writes_a_partial_summary(in_dir, tmp_path,
                                                                                      monkeypatch):
    from rich.progress import Progress

    real_advance = Progress.advance

    def interrupted_after_the_first(self, *args, **kwargs):
        real_advance(self, *args, **kwargs)
        raise KeyboardInterrupt  # as if Ctrl+C came just after the first workbook finished

    monkeypatch.setattr(Progress, "advance", interrupted_after_the_first)
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(in_dir), str(out_dir), "--workers", "2"], env={"COLUMNS": "200"})
    assert result.exit_code == 130, result.output
    summary = _summary(out_dir)
    assert len(summary) == 4
    results = [row["Result"] for row in summary.values()]
    assert "stopped" in results and sum(r != "stopped" for r in results) >= 1
    done = [row for row in summary.values() if row["Result"] != "stopped"]
    assert all(row["XML file"] and (out_dir / row["XML file"]).is_file() for row in done)
    assert len(list(out_dir.glob("ILR-*.xml"))) == len(done)  # no XML without its summary line
    assert not multiprocessing.active_children()  # every worker stopped and joined
    _no_leftovers(out_dir)


def _disk_full(fd):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_reported_as_could_not_write_with_the_output_name(files, tmp_path, monkeypatch):
    monkeypatch.setattr(xml_writer.os, "fsync", _disk_full)
    outcome = batch.process_workbook(files.clean, tmp_path / "out")
    assert outcome.status == batch.NOT_WRITTEN
    assert outcome.message.startswith("Could not write ILR-10000001-2526-")
    assert ".xml: the disk is full." in outcome.message
    assert "ilrkit-" not in outcome.message and "try0" not in outcome.message and "unusable" not in outcome.message
    assert batch.exit_code([outcome]) == 2
    _no_leftovers(tmp_path / "out")


def test_a_full_disk_while_making_the_staging_folder_says_so_too(files, tmp_path, monkeypatch):
    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(batch.tempfile, "TemporaryDirectory", no_room)
    outcome = batch.process_workbook(files.clean, tmp_path / "out")
    assert outcome.status == batch.NOT_WRITTEN and outcome.message.startswith("Could not write into out: the disk "
                                                                              "is full.")
