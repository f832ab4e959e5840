"""Benchmark: the Validate action on a 5,000-learner workbook, through xlwings' real Book API.

Builds a template workbook with 5,000 learners (one aim each, some with a bad ULN), turns it into the JSON
payload Excel on the web sends, then times Validate end to end: reading every sheet in bulk, validating,
planning and producing the actions (fills, notes, the errors sheet). The same code runs on desktop Excel.

    python benchmarks/bench_addin.py [--learners 5000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings PRO remote engine, noncommercial use


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--bad-every", type=int, default=10, help="every Nth learner gets a bad ULN")
    args = parser.parse_args()

    import logging

    logging.disable(logging.WARNING)  # rules still being written may warn; not part of the timing
    from ilrkit.addin import actions
    from ilrkit.addin.annotate import annotate_workbook
    from ilrkit.addin.plan import highlight_plan
    from ilrkit.addin.remote import open_book, payload_from_workbook
    from ilrkit.rules.testing import build
    from ilrkit.templates.workbook_writer import write_workbook

    learners = [{"LearnRefNumber": f"L{i:05d}", "aims": [{}],
                 **({"ULN": "1234567890"} if i % args.bad_every == 0 else {})} for i in range(args.learners)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        t = time.perf_counter()
        write_workbook(path, data=build(learners))
        payload = payload_from_workbook(path)
        print(f"setup: workbook and payload for {args.learners} learners in {time.perf_counter() - t:.1f}s")

        t = time.perf_counter()
        book = open_book(payload)
        outcome = actions.validate_action(book)
        validate_s = time.perf_counter() - t
        counts = Counter(a["func"] for a in book.json()["actions"])
        print(f"Validate (remote engine): {validate_s:.2f}s -> {outcome.message}")
        print(f"  actions: {dict(counts)}")

        t = time.perf_counter()
        report = actions.check(actions.read_book(open_book(payload_from_workbook(path))), "bench.xlsx")
        plan = highlight_plan(report)
        print(f"  of which plan alone: {len(plan.rows)} rows, {len(plan.notes)} notes "
              f"(rebuilt with read+validate in {time.perf_counter() - t:.2f}s)")

        t = time.perf_counter()
        annotate_workbook(path, Path(tmp) / "annotated.xlsx", report)
        print(f"annotate (openpyxl copy): {time.perf_counter() - t:.2f}s")


if __name__ == "__main__":
    main()
