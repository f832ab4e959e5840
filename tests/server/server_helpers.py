"""Helpers for the server and batch tests (used by conftest.py and the tests): synthetic workbooks, settings, and
a real `ilr serve` process on loopback. All learner data here is made up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ilrkit.server.settings import Settings, hash_token
from ilrkit.rules.derived import uln_passes_checksum
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

TOKEN = "test-token-0123456789abcdefghijklmnop"
SECRET = "Zyxwquorvant"  # a family name in the test data: must never reach a log
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XML_NAME = r"ILR-10000001-2526-\d{8}-\d{6}-01\.xml"


def valid_ulns(n: int) -> list[str]:
    out, candidate = [], 1000000000
    while len(out) < n:
        candidate += 1
        if uln_passes_checksum(str(candidate)):
            out.append(str(candidate))
    return out


def clean_learners(n: int, *, family: str = "Testcase", start: int = 0) -> list[dict]:
    """Learners with no findings at all."""
    ulns = valid_ulns(start + n)[start:]
    return [{"LearnRefNumber": f"L{start + i + 1}", "ULN": ulns[i], "FamilyName": family, "AddLine1": "1 High Street",
             "PlanLearnHours": 100, "prior": [{"PriorLevel": "2", "DateLevelApp": "2024-07-01"}],
             "employment": [{"EmpStat": "10", "DateEmpStatApp": "2025-08-01", "esm": {"EII": "8"}}],
             "aims": [{}]} for i in range(n)]


def errors_learners() -> list[dict]:
    """Two learners, one with rule errors that do not stop the XML (address and hours missing)."""
    learners = clean_learners(2, family=SECRET)
    del learners[1]["AddLine1"]
    del learners[1]["PlanLearnHours"]
    return learners


def blocked_learners() -> list[dict]:
    """A ULN the agency's schema refuses, so the XML cannot be written."""
    learners = clean_learners(2, family=SECRET)
    learners[0]["ULN"] = "123"
    return learners


def make_workbook(path: Path, learners: list[dict], **header) -> Path:
    return write_workbook(path, data=build(learners, header=header or None), force=True)


def make_settings(scratch: Path, **overrides) -> Settings:
    values = {"token_hashes": frozenset({hash_token(TOKEN)}), "tmp_dir": str(scratch), **overrides}
    return Settings(**values)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path
    tmp: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(folder: Path, *args: str, env: dict | None = None, wait: float = 45.0) -> LiveServer:
    """`python -m ilrkit.cli serve` on 127.0.0.1 and a free port; waits (bounded) until /healthz answers."""
    port = free_port()
    tmp = folder / "server-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    log = folder / f"server-{port}.log"
    environment = {**os.environ, "ILRKIT_TOKENS": TOKEN, "ILRKIT_TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1",
                   "COLUMNS": "200", **(env or {})}
    environment.pop("ILRKIT_DEBUG", None)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "ilrkit.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port), *args], stdout=out, stderr=subprocess.STDOUT,
                                   env=environment, start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log, tmp)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped at start:\n{server.log_text()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise AssertionError(f"the server did not answer within {wait:.0f} s:\n{server.log_text()}")


def stop_server(server: LiveServer) -> None:
    """SIGTERM, then SIGKILL after a bounded wait: the process never outlives the test."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)
