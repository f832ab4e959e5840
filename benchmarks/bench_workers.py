"""Does running the per-learner rules in worker processes still pay off? Validation of one synthetic return,
in one process (ILRKIT_WORKERS=1) and with worker processes (the default for 4,000 learners or more),
alternated so both meet the same machine load.

    python benchmarks/bench_workers.py                      # 5,000 learners, 3 rounds
    python benchmarks/bench_workers.py --learners 20000 --rounds 2

Wall time is what a user waits; CPU time (this process and its workers) shows what the workers cost. On a
machine whose cores are busy with other work, wall times say little: read the load average printed with them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--error-rate", type=float, default=0.1)
    args = parser.parse_args()

    from ilrkit.converter.io import load
    from ilrkit.generate import generate
    from ilrkit.rules import engine
    from ilrkit.templates.workbook_writer import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        made = generate(args.learners, 1, error_rate=args.error_rate)
        data = load(write_workbook(Path(tmp) / "provider.xlsx", data=made.data))
    default = engine._workers(args.learners, False) if "ILRKIT_WORKERS" not in os.environ else None
    print(f"{args.learners} learners; {os.cpu_count()} CPUs; default workers: {default}")
    walls: dict[str, list[float]] = {"1": [], "default": []}
    for round_ in range(args.rounds):
        for setting in walls:
            if setting == "1":
                os.environ["ILRKIT_WORKERS"] = "1"
            else:
                os.environ.pop("ILRKIT_WORKERS", None)
            cpu, start = _cpu(), time.perf_counter()
            report = engine.validate(data)
            wall = time.perf_counter() - start
            walls[setting].append(wall)
            print(f"round {round_ + 1}, workers={setting}: {wall:.2f} s wall, {_cpu() - cpu:.2f} s CPU, "
                  f"{len(report.findings)} findings, load {os.getloadavg()[0]:.1f}", flush=True)
    print("median wall: " + ", ".join(f"workers={k} {statistics.median(v):.2f} s" for k, v in walls.items()))


if __name__ == "__main__":
    main()
