"""Load test for `ilr serve`: start the server on loopback, send a bounded number of concurrent uploads, report.

    python benchmarks/load_server.py                      # 200 requests, 8 at a time, to /v1/validate
    python benchmarks/load_server.py --endpoint convert --requests 100 --concurrency 4 --learners 50
    python benchmarks/load_server.py --server-workers 2   # uvicorn with two worker processes

It makes a synthetic workbook (no real learner data), works out locally what every answer must be, starts the
server with a fresh token on 127.0.0.1 (a free port), fires the requests from a thread pool, and prints the
throughput, latency percentiles (p50/p95/p99/max) and how many answers were correct. It also checks that the
server's temporary folder is empty afterwards and that no learner name reached the server's log. The server
is always stopped. Exit code 0 when every request finished in time with a correct answer, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import httpx

FAMILY = "Loadtestfamily"  # the synthetic learners' family name: must never appear in the server's log


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_workbook(folder: Path, learners: int) -> Path:
    """A workbook of made-up learners; every fifth has a missing address line, so there are findings to check."""
    from ilrkit.rules.derived import uln_passes_checksum
    from ilrkit.rules.testing import build
    from ilrkit.templates.workbook_writer import write_workbook

    ulns, candidate = [], 1000000000
    while len(ulns) < learners:
        candidate += 1
        if uln_passes_checksum(str(candidate)):
            ulns.append(str(candidate))
    rows = []
    for i, uln in enumerate(ulns):
        row = {"LearnRefNumber": f"LOAD{i + 1}", "ULN": uln, "FamilyName": FAMILY, "AddLine1": "1 High Street",
               "PlanLearnHours": 100, "prior": [{"PriorLevel": "2", "DateLevelApp": "2024-07-01"}],
               "employment": [{"EmpStat": "10", "DateEmpStatApp": "2025-08-01", "esm": {"EII": "8"}}],
               "aims": [{}]}
        if i % 5 == 4:
            del row["AddLine1"]
        rows.append(row)
    return write_workbook(folder / "load-test.xlsx", data=build(rows), force=True)


def expected_answer(workbook: Path) -> dict:
    from ilrkit.converter.io import load
    from ilrkit.rules.engine import validate
    from ilrkit.rules.report import as_json

    return json.loads(as_json(validate(load(workbook))))


def start_server(folder: Path, token: str, workers: int, wait_s: float) -> tuple[subprocess.Popen, str, Path, Path]:
    port = free_port()
    tmp = folder / "server-tmp"
    tmp.mkdir()
    log = folder / "server.log"
    env = {**os.environ, "ILRKIT_TOKENS": token, "ILRKIT_TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "ilrkit.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port), "--workers", str(workers)],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped while starting:\n" + log.read_text(errors="replace"))
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url, tmp, log
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"the server did not answer within {wait_s:.0f} s:\n" + log.read_text(errors="replace"))


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the whole group: uvicorn's worker processes too
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def check(endpoint: str, response: httpx.Response, expected: dict) -> str | None:
    """None when the answer is right, else what is wrong with it."""
    if response.status_code != 200:
        return f"status {response.status_code}"
    if endpoint == "validate":
        body = response.json()
        if body["summary"] != expected["summary"] or body["findings"] != expected["findings"]:
            return "findings differ from a local run"
        return None
    name = re.search(r'filename="([^"]+)"', response.headers.get("content-disposition", ""))
    if not name or not re.fullmatch(r"ILR-\d{8}-\d{4}-\d{8}-\d{6}-\d{2}\.xml", name.group(1)):
        return "XML file name not as the agency requires"
    if response.headers.get("X-ILR-Errors") != str(expected["summary"]["errors"]):
        return "error count differs from a local run"
    if not response.content.startswith(b"<?xml") or \
            response.content.count(b"<Learner>") != expected["summary"]["learners"]:
        return "XML does not hold every learner"
    return None


def run(args) -> int:
    from ilrkit.server.settings import new_token

    with tempfile.TemporaryDirectory(prefix="ilrkit-load-") as folder:
        folder = Path(folder)
        workbook = make_workbook(folder, args.learners)
        content = workbook.read_bytes()
        expected = expected_answer(workbook)
        token = new_token()
        print(f"workbook: {args.learners} learners, {len(content) // 1024} KB, "
              f"{expected['summary']['errors']} errors expected", file=sys.stderr)
        process, url, tmp, log = start_server(folder, token, args.server_workers, args.start_timeout)
        latencies: list[float] = []
        wrong: list[str] = []
        lock = threading.Lock()
        local = threading.local()

        def one(i: int) -> None:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(timeout=args.request_timeout,
                                                     headers={"Authorization": f"Bearer {token}"})
            started = time.perf_counter()
            try:
                response = client.post(f"{url}/v1/{args.endpoint}", files={"file": ("load-test.xlsx", content)})
                problem = check(args.endpoint, response, expected)
            except httpx.HTTPError as exc:
                problem = f"{exc.__class__.__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    wrong.append(f"request {i}: {problem}")

        try:
            started = time.perf_counter()
            deadline = started + args.timeout
            with ThreadPoolExecutor(args.concurrency) as pool:
                pending, submitted = set(), 0
                while submitted < args.requests or pending:
                    while submitted < args.requests and len(pending) < args.concurrency * 2:
                        pending.add(pool.submit(one, submitted))
                        submitted += 1
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        break
                    _, pending = wait(pending, timeout=left, return_when=FIRST_COMPLETED)
                for f in pending:
                    f.cancel()
            wall = time.perf_counter() - started
            timed_out = len(latencies) < args.requests
        finally:
            stop_server(process)
        leftovers = sorted(p.name for p in tmp.rglob("*"))
        log_text = log.read_text(errors="replace")
        leaked = FAMILY in log_text

    done = sorted(latencies)
    result = {
        "endpoint": f"/v1/{args.endpoint}", "requests": args.requests, "completed": len(done),
        "concurrency": args.concurrency, "server_workers": args.server_workers, "learners": args.learners,
        "correct": len(done) - len(wrong), "wrong": len(wrong), "wall_s": round(wall, 2),
        "throughput_rps": round(len(done) / wall, 2) if wall else None,
        "latency_ms": {name: round(percentile(done, p) * 1000, 1) for name, p in
                       (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))},
        "timed_out": timed_out, "temporary_files_left": leftovers, "learner_data_in_log": leaked,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        lat = result["latency_ms"]
        print(f"{result['endpoint']}: {result['completed']}/{args.requests} requests, concurrency "
              f"{args.concurrency}, {args.server_workers} server worker(s), {args.learners} learners per workbook")
        print(f"  throughput  {result['throughput_rps']} requests/s over {result['wall_s']} s")
        print(f"  latency     p50 {lat['p50']} ms   p95 {lat['p95']} ms   p99 {lat['p99']} ms   max {lat['max']} ms")
        print(f"  correct     {result['correct']} of {result['completed']}"
              + (" (every answer matched a local run)" if not wrong else ""))
        print(f"  clean-up    {'nothing left in the server temporary folder' if not leftovers else leftovers}")
        print(f"  log         {'no learner data' if not leaked else 'LEARNER DATA FOUND IN THE LOG'}")
        for line in wrong[:10]:
            print("  wrong:", line)
        if timed_out:
            print(f"  stopped after {args.timeout} s with {args.requests - len(done)} request(s) not done")
    ok = not wrong and not timed_out and not leftovers and not leaked
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="total requests (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (default 8)")
    parser.add_argument("--endpoint", choices=("validate", "convert"), default="validate")
    parser.add_argument("--learners", type=int, default=20, help="learners in the test workbook (default 20)")
    parser.add_argument("--server-workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--timeout", type=float, default=300, help="stop sending after this many seconds")
    parser.add_argument("--request-timeout", type=float, default=120, help="seconds one request may take")
    parser.add_argument("--start-timeout", type=float, default=60, help="seconds the server may take to start")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.learners < 1:
        parser.error("--requests, --concurrency and --learners must be at least 1")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
