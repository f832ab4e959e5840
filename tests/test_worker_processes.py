"""The rules' worker processes start and stop cleanly: no hang, no traceback, whatever happens to a worker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ilrkit.generate import generate
from ilrkit.templates.workbook_writer import write_workbook

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the rules run in forked worker processes on Linux only")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("workers") / "provider.xlsx", data=generate(150, seed=5).data)


def _ilr(*args, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environ = {**os.environ, "ILRKIT_WORKERS": "2", **(env or {})}
    try:
        return subprocess.run([sys.executable, "-m", "ilrkit.cli", *map(str, args)], capture_output=True,
                              text=True, env=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ilr {' '.join(map(str, args))} did not finish in {timeout:.0f} s (a worker hung)")


def test_the_multi_process_path_finishes_every_time_without_a_traceback(workbook, tmp_path):
    """Run after run (ILRKIT_WORKERS forces the worker processes even on a small workbook): each finishes
    and prints nothing but the result. A forked worker used to inherit the CLI's SIGTERM handler, so the
    pool's shutdown printed a worker traceback and at times left the command waiting forever."""
    for i in range(6):
        out = tmp_path / f"out{i}"
        out.mkdir()
        done = _ilr("convert", workbook, "-o", out, timeout=90)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr[-2000:]
        assert len(list(out.glob("ILR-*.xml"))) == 1


SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from ilrkit.cli.main import _stop_cleanly_on_sigterm
    from ilrkit.converter.io import load
    from ilrkit.rules import engine

    _stop_cleanly_on_sigterm()  # as `ilr` does: SIGTERM in this process raises KeyboardInterrupt
    run_chunk = engine._run_chunk

    def chunk(bounds):
        if bounds[0] == 0:  # the first worker is stopped (a service stop, the OOM killer's SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)
        return run_chunk(bounds)

    engine._run_chunk = chunk
    data = load(sys.argv[1])
    parallel = engine.validate(data)
    os.environ["ILRKIT_WORKERS"] = "1"
    single = engine.validate(data)
    assert [f.as_dict() for f in parallel.findings] == [f.as_dict() for f in single.findings]
    print("same findings:", len(single.findings))
""")


def test_a_worker_stopped_by_sigterm_neither_hangs_nor_prints_a_traceback(workbook, tmp_path):
    """Its share of the learners is checked in the main process instead, so the findings are complete."""
    script = tmp_path / "stop_a_worker.py"
    script.write_text(SCRIPT, encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, str(script), str(workbook)], capture_output=True, text=True,
                              env={**os.environ, "ILRKIT_WORKERS": "2"}, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("validation waited forever for a worker that had been stopped")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "same findings:" in done.stdout
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr[-2000:]


def test_workers_are_not_forked_from_a_process_running_several_threads(monkeypatch):
    """Another thread (the server validates in threads) could hold a lock at the moment of the fork."""
    import threading

    from ilrkit.converter import processes
    from ilrkit.rules.engine import _workers

    monkeypatch.setenv("ILRKIT_WORKERS", "2")
    with monkeypatch.context() as alone:  # earlier tests may have left a helper thread in this process
        alone.setattr(processes.threading, "active_count", lambda: 1)
        assert _workers(10_000, False) == 2
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _workers(10_000, False) == 1
    finally:
        release.set()
        other.join()
