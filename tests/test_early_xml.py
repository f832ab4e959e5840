"""`ilr convert` writes a large return's XML in a forked process while the rules run: the same file as writing
it afterwards, moved into place only when the rules allow, and no temporary file left in any outcome."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from ilrkit.converter import api, early_xml
from ilrkit.converter.errors import InputError, OutputExists
from ilrkit.generate import generate
from ilrkit.generate.output import write

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the writer is forked: Linux only")

WHEN = dt.datetime(2026, 6, 30, 9, 15)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path, _ = write(generate(30, seed=5), tmp_path_factory.mktemp("early") / "p.xlsx")
    return path


def _convert(workbook, out, monkeypatch, workers: str, **kw):
    """Convert with the XML written meanwhile ("2") or afterwards ("1"). Whether forking is safe depends on the
    threads other tests left running, so the choice is made here, not left to the process's state."""
    monkeypatch.setattr(early_xml, "workers_for", lambda size, minimum: int(workers))
    monkeypatch.setenv("ILRKIT_WORKERS", "1")  # the rules in this process
    out.mkdir(exist_ok=True)
    return api.convert(workbook, out, now=WHEN, **kw)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".ilrkit-"))


def test_the_file_written_meanwhile_is_the_file_written_afterwards(workbook, tmp_path, monkeypatch):
    started = []
    real_start = early_xml.start
    monkeypatch.setattr(early_xml, "start", lambda *a, **k: started.append(real_start(*a, **k)) or started[-1])
    early = _convert(workbook, tmp_path / "early", monkeypatch, "2")
    assert started and started[0] is not None and started[0].process.exitcode == early_xml.VALID
    late = _convert(workbook, tmp_path / "late", monkeypatch, "1")
    assert early.path.name == late.path.name
    assert early.path.read_bytes() == late.path.read_bytes()
    assert _leftovers(tmp_path / "early") == []


def test_blocked_by_the_rules_nothing_is_written_or_left(tmp_path, monkeypatch):
    data = generate(30, seed=5).data
    learners = data.tables["Learner"]
    learners.loc[learners.index[0], "DateOfBirth"] = "soon"  # not a date: the XML cannot be written
    path, _ = write(generate(30, seed=5), tmp_path / "p.xlsx")
    result = _convert(path, tmp_path / "out", monkeypatch, "2", data=data)
    assert result.path is None and result.blocked
    assert list((tmp_path / "out").iterdir()) == []


def test_an_existing_file_is_kept_and_nothing_is_left(workbook, tmp_path, monkeypatch):
    first = _convert(workbook, tmp_path / "out", monkeypatch, "2")
    first.path.write_bytes(b"the user's own file")
    with pytest.raises(OutputExists):
        _convert(workbook, tmp_path / "out", monkeypatch, "2")
    assert first.path.read_bytes() == b"the user's own file"
    assert _leftovers(tmp_path / "out") == []
    again = _convert(workbook, tmp_path / "out", monkeypatch, "2", force=True)
    assert again.path.read_bytes().startswith(b"<?xml") and _leftovers(tmp_path / "out") == []


def test_stopped_while_the_rules_run_leaves_nothing(workbook, tmp_path, monkeypatch):
    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "validate", stop)
    with pytest.raises(KeyboardInterrupt):
        _convert(workbook, tmp_path / "out", monkeypatch, "2")
    assert list((tmp_path / "out").iterdir()) == []


def test_when_the_forked_writer_fails_the_file_is_written_afterwards(workbook, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError  # e.g. the forked process ran out of memory

    monkeypatch.setattr(early_xml, "write_checked", broken)
    result = _convert(workbook, tmp_path / "out", monkeypatch, "2")
    assert result.path.read_bytes().startswith(b"<?xml") and _leftovers(tmp_path / "out") == []


def test_the_streamed_file_is_the_document_and_its_verdict_the_schemas(tmp_path):
    from ilrkit.converter.xml_writer import render_xml_bytes

    data = generate(30, seed=5).data
    assert early_xml.write_checked(data, tmp_path / "a.xml", WHEN, "01") is True
    assert (tmp_path / "a.xml").read_bytes() == render_xml_bytes(data, prepared=WHEN, serial="01")
    learners = data.tables["Learner"]
    learners.loc[learners.index[3], "Sex"] = "MF"  # longer than the schema allows
    assert early_xml.write_checked(data, tmp_path / "b.xml", WHEN, "01") is False


def test_a_file_the_schema_refuses_is_reported_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(early_xml, "workers_for", lambda size, minimum: 2)
    data = generate(30, seed=5).data
    learners = data.tables["Learner"]
    learners.loc[learners.index[-1], "LearnRefNumber"] = "X" * 20  # longer than the schema allows
    early = early_xml.start(data, tmp_path, prepared=WHEN, serial="01")
    try:
        with pytest.raises(InputError) as caught:
            early.finish(tmp_path / "ILR.xml", False, data.spec)
        assert "line " in str(caught.value) and "LearnRefNumber" in str(caught.value)
    finally:
        early.discard()
    assert list(tmp_path.iterdir()) == []


def test_small_returns_and_missing_folders_are_written_afterwards(tmp_path, monkeypatch):
    monkeypatch.delenv("ILRKIT_WORKERS", raising=False)
    monkeypatch.setattr("ilrkit.converter.xml_parallel.can_fork", lambda: True)
    data = generate(5, seed=5).data
    assert early_xml.start(data, tmp_path, prepared=WHEN, serial="01") is None  # too small to pay
    monkeypatch.setattr(early_xml, "workers_for", lambda size, minimum: 2)
    assert early_xml.start(data, tmp_path / "not-yet", prepared=WHEN, serial="01") is None
    assert not (tmp_path / "not-yet").exists()
