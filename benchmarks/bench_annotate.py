"""The annotated copy, two ways, on one synthetic provider in one run: patching the parts vs openpyxl.

    python benchmarks/bench_annotate.py --learners 5000 [--error-rate 0.05]

Prints the time of each path (median of --runs) and their ratio; validation is not timed (both paths
get the same report).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--error-rate", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from ilrkit.addin.annotate import annotate_workbook
    from ilrkit.converter.workbook_reader import read_workbook
    from ilrkit.generate import generate
    from ilrkit.rules.engine import validate
    from ilrkit.templates.workbook_writer import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "provider.xlsx"
        write_workbook(src, data=generate(args.learners, seed=1, error_rate=args.error_rate).data)
        report = validate(read_workbook(src))
        times = {}
        for label, fast in (("parts", True), ("openpyxl", False)):
            runs = []
            for i in range(args.runs):
                started = time.perf_counter()
                annotate_workbook(src, Path(tmp) / f"{label}-{i}.xlsx", report, fast=fast)
                runs.append(time.perf_counter() - started)
            times[label] = statistics.median(runs)
        print(f"{args.learners} learners, {len(report.findings)} findings, workbook {src.stat().st_size >> 10} KiB")
        for label, seconds in times.items():
            print(f"  annotated copy by {label:9} {seconds:7.2f} s")
        print(f"  openpyxl / parts: {times['openpyxl'] / times['parts']:.1f}x")


if __name__ == "__main__":
    main()
