"""Atomic, non-destructive outputs: an interrupted or failed write never leaves a partial file, no command
replaces a file without --force, and no command changes the workbook (or XML file) it reads."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from ilrkit.converter import api, xml_writer
from ilrkit.cli.main import app
from ilrkit.converter.errors import CannotWrite, OutputExists
from ilrkit.converter.xml_writer import render_xml, schema_errors, write_atomic
from ilrkit.rules.testing import build
from ilrkit.schemas import load_spec
from ilrkit.templates.workbook_writer import write_workbook

runner = CliRunner()
SPEC = load_spec("2025-26")


def run(*args) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _data(n: int = 3):
    try:
        from ilrkit.generate import generate
    except ImportError:
        return build([{"LearnRefNumber": f"L{i}", "aims": [{}]} for i in range(n)])
    return generate(n, seed=3).data


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A workbook and an XML file of the same return, in a folder of their own."""
    folder = tmp_path_factory.mktemp("inputs")
    data = _data()
    xml = folder / "return.xml"
    xml.write_text(render_xml(data), encoding="utf-8")
    return write_workbook(folder / "provider.xlsx", data=data), xml


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- a write that fails or is interrupted leaves nothing ---------------------------------------------------

def _fail_fsync(exc: BaseException):
    def fsync(fd):
        raise exc
    return fsync


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_convert_interrupted_while_writing_leaves_no_file(files, tmp_path, monkeypatch, exc):
    workbook, _ = files
    out = tmp_path / "out"
    monkeypatch.setattr(xml_writer.os, "fsync", _fail_fsync(exc))
    with pytest.raises(CannotWrite if isinstance(exc, OSError) else KeyboardInterrupt):
        api.convert(workbook, out)
    assert _listing(out) == []  # neither the XML nor the temporary file


def test_cli_says_clearly_when_the_disk_is_full(files, tmp_path, monkeypatch):
    workbook, _ = files
    monkeypatch.setattr(xml_writer.os, "fsync", _fail_fsync(OSError(errno.ENOSPC, "No space left on device")))
    code, out = run("convert", workbook, "-o", tmp_path)
    assert code == 2 and "No space left on device" in out and "Nothing was written" in out
    assert _listing(tmp_path) == []


def test_cli_ctrl_c_while_writing_exits_130_and_leaves_nothing(files, tmp_path, monkeypatch):
    workbook, _ = files
    monkeypatch.setattr(xml_writer.os, "fsync", _fail_fsync(KeyboardInterrupt()))
    result = runner.invoke(app, ["convert", str(workbook), "-o", str(tmp_path)])
    assert result.exit_code == 130 and _listing(tmp_path) == []


def test_a_failed_forced_replace_keeps_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "report.csv"
    target.write_bytes(b"the old report")
    monkeypatch.setattr(xml_writer.os, "fsync", _fail_fsync(OSError(errno.EIO, "I/O error")))
    with pytest.raises(CannotWrite):
        write_atomic(target, b"x" * 100_000, force=True)
    assert target.read_bytes() == b"the old report" and _listing(tmp_path) == ["report.csv"]


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path, monkeypatch):
    """The existence check and the move are one step (a hard link), so a file made meanwhile wins."""
    target = tmp_path / "out.xml"
    real_fsync = os.fsync

    def fsync(fd):
        target.write_bytes(b"written by someone else meanwhile")
        real_fsync(fd)

    monkeypatch.setattr(xml_writer.os, "fsync", fsync)
    with pytest.raises(OutputExists):
        write_atomic(target, b"ours")
    assert target.read_bytes() == b"written by someone else meanwhile" and _listing(tmp_path) == ["out.xml"]


def test_unwritable_folder_is_a_clear_error(files, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    code, out = run("template", "-o", blocker / "template.xlsx")
    assert code == 2 and "Cannot write" in out


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("big") / "big.xlsx", data=_data(300))


def _complete_outputs(folder: Path, allow_temporary: bool) -> None:
    for p in folder.iterdir():
        if p.name.startswith(".ilrkit-") and p.suffix == ".part":
            assert allow_temporary, f"{p.name} left behind"
            continue
        assert p.suffix == ".xml", p.name
        assert schema_errors(SPEC, p.read_bytes()) == [], f"{p.name} is not a whole ILR file"
        root = etree.fromstring(p.read_bytes())
        assert len(root.findall("{ESFA/ILR/2025-26}Learner")) == 300


def test_killed_convert_never_leaves_a_partial_xml(big_workbook, tmp_path):
    """``ilr convert`` on a 300-learner workbook, killed at random moments (in parallel, so the test stays
    short): the output folder holds nothing, or a whole XML file. SIGTERM is cleaned up after; SIGKILL cannot
    be, and may leave a hidden ``.ilrkit-*.part`` file, never a partial ``.xml``."""
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    plans = [(signal.SIGKILL, rng.uniform(0.5, 7.0)), (signal.SIGKILL, rng.uniform(3.0, 7.0)),
             (signal.SIGTERM, rng.uniform(0.5, 7.0))]
    started = []
    for i, (sig, at) in enumerate(plans):
        out = tmp_path / f"out{i}"
        out.mkdir()
        proc = subprocess.Popen([sys.executable, "-m", "ilrkit.cli", "convert", str(big_workbook), "-o",
                                 str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append((proc, sig, at, out, time.monotonic()))
    for proc, sig, at, out, t0 in sorted(started, key=lambda s: s[2]):
        time.sleep(max(0.0, t0 + at - time.monotonic()))
        if proc.poll() is None:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err, f"seed {seed}"
        _complete_outputs(out, allow_temporary=sig == signal.SIGKILL)
        if sig == signal.SIGTERM:  # -15: stopped while Python was still starting, before any file was made
            assert proc.returncode in (0, 130, -signal.SIGTERM), f"seed {seed}: exit {proc.returncode} {err[-300:]!r}"
            if proc.returncode == 130:  # the clerk is told it stopped, and that nothing is half-written
                assert b"Stopped. Nothing was left half-written." in err, f"seed {seed}: {err[-300:]!r}"


def test_a_stopped_command_says_so(tmp_path):
    """SIGTERM (as from a service stop or `kill`) while a command runs: exit 130 and one plain line saying so."""
    script = ("import os, signal, sys\n"
              "from ilrkit.cli import main as cli\n"
              "def slow(*args, **kwargs):\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    signal.pause()\n"
              "cli._want_xlsx = slow  # the command checks its output name first: stop it there\n"
              "sys.argv = ['ilr', 'template', '-o', sys.argv[1]]\n"
              "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.xlsx")], capture_output=True, timeout=120)
    assert done.returncode == 130, done.stderr
    assert done.stderr.decode().strip().splitlines()[-1] == "Stopped. Nothing was left half-written."
    assert b"Traceback" not in done.stderr and not (tmp_path / "t.xlsx").exists()


# -- never replaced without --force ------------------------------------------------------------------------

SENTINEL = b"the user's own file"


def _freeze(monkeypatch, when: dt.datetime) -> None:
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return when

    class FakeDt:
        datetime = Frozen
        date = dt.date

    monkeypatch.setattr(api, "dt", FakeDt)


def _commands(files, tmp_path, monkeypatch):
    """(name, command without --force, the file it writes) for every command that writes a file."""
    workbook, xml = files
    when = dt.datetime(2026, 6, 30, 9, 15, 0)
    _freeze(monkeypatch, when)
    agency_name = f"ILR-10000001-2526-{when:%Y%m%d-%H%M%S}-01.xml"
    out = tmp_path / "out"
    out.mkdir()
    return [
        ("template", ["template", "-o", out / "t.xlsx"], out / "t.xlsx"),
        ("import", ["import", xml, "-o", out / "i.xlsx"], out / "i.xlsx"),
        ("convert", ["convert", workbook, "-o", out], out / agency_name),
        ("validate -o", ["validate", workbook, "--format", "csv", "-o", out / "r.csv"], out / "r.csv"),
        ("validate --annotate", ["validate", workbook, "--annotate", out / "a.xlsx"], out / "a.xlsx"),
        ("generate", ["generate", "-n", "2", "-o", out / "g.xlsx"], out / "g.xlsx"),
    ]


@pytest.mark.parametrize("name", ["template", "import", "convert", "validate -o", "validate --annotate",
                                  "generate"])
def test_no_command_replaces_a_file_without_force(files, tmp_path, monkeypatch, name):
    commands = {n: (args, target) for n, args, target in _commands(files, tmp_path, monkeypatch)}
    if name == "generate" and "generate" not in [c.name or c.callback.__name__ for c in app.registered_commands]:
        pytest.skip("no `ilr generate` in this build")
    args, target = commands[name]
    target.write_bytes(SENTINEL)
    code, out = run(*args)
    assert code == 2 and "already exists" in out and "--force" in out
    assert target.read_bytes() == SENTINEL
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".ilrkit-")]
    code, out = run(*args, "--force")
    assert code in (0, 1), out
    assert target.read_bytes() != SENTINEL


def test_batch_replaces_nothing_without_force(files, tmp_path):
    workbook, _ = files
    inbox, out = tmp_path / "in", tmp_path / "results"
    inbox.mkdir()
    (inbox / "provider.xlsx").write_bytes(workbook.read_bytes())
    (out / "annotated").mkdir(parents=True)
    mine = [out / "summary.csv", out / "annotated" / "provider-annotated.xlsx"]
    for p in mine:
        p.write_bytes(SENTINEL)
    code, output = run("batch", inbox, out, "--workers", "1")
    assert code in (0, 1, 2) and "Traceback" not in output
    assert all(p.read_bytes() == SENTINEL for p in mine)
    assert (out / "summary-2.csv").is_file(), "this run's summary goes beside the old one"


# -- the file read is never changed --------------------------------------------------------------------------

def test_no_command_changes_the_workbook_or_xml_it_reads(files, tmp_path, monkeypatch):
    workbook, xml = files
    before = {p: _fingerprint(p) for p in (workbook, xml)}
    inbox = tmp_path / "in"
    inbox.mkdir()
    linked = inbox / workbook.name
    os.link(workbook, linked)  # batch reads the very same file, by another name
    commands = [
        ["validate", workbook], ["validate", workbook, "--format", "json"],
        ["validate", workbook, "--format", "csv"], ["validate", workbook, "-o", tmp_path / "r.txt"],
        ["validate", workbook, "--annotate", tmp_path / "a.xlsx"], ["validate", xml, "--format", "json"],
        ["convert", workbook, "-o", tmp_path / "x"], ["convert", xml, "-o", tmp_path / "y"],
        ["import", xml, "-o", tmp_path / "i.xlsx"], ["batch", inbox, tmp_path / "b", "--workers", "1"],
        # pointed at the input itself, even with --force: refused
        ["validate", workbook, "-o", workbook, "--force"], ["validate", workbook, "--annotate", workbook, "--force"],
        ["validate", workbook, "-o", linked, "--force"], ["import", xml, "-o", xml, "--force"],
    ]
    for args in commands:
        code, out = run(*args)
        assert code in (0, 1, 2), (args, out)
        if "--force" in args:
            assert code == 2, (args, out)
    assert {p: _fingerprint(p) for p in (workbook, xml)} == before
