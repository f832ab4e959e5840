"""What reference data costs a validation: a LARS-sized synthetic download (about 60 MB of CSV), loaded once
with ``ilr refdata add``, then a 1,000-learner validation without and with it.

    python benchmarks/bench_refdata.py                 # 40,000 aims: about 60 MB of CSV, like LARS
    python benchmarks/bench_refdata.py --aims 20000    # quicker

Every row is synthetic (made-up references and titles in the published layout). Prints a small table; the
numbers in docs/refdata.md come from this script.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

from ilrkit.generate import generate
from ilrkit.generate import refdata as synthetic


def lars_zip(path: Path, aims: int) -> int:
    """A synthetic LARS download with the example aims plus ``aims`` made-up ones; its CSV bytes."""
    tables = synthetic.lars_tables()
    base = {row["LearnAimRef"] for row in tables["LARS_LearningDelivery"]}
    template = {name: rows[0] for name, rows in tables.items() if rows}
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables.items():
            columns = synthetic.LEARNING_DELIVERY_COLUMNS if name == "LARS_LearningDelivery" \
                else synthetic.TABLE_COLUMNS[name]
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in columns})
            keyed = "LearnAimRef" in columns and name in template
            copies = {"LARS_Validity": len(synthetic.VALIDITY_CATEGORIES)}.get(name, 1)
            for i in range(aims if keyed else 0):
                ref = f"9{i:07d}"
                if ref in base:
                    continue
                for j in range(copies):
                    row = dict(template[name], LearnAimRef=ref)
                    if name == "LARS_Validity":
                        row["ValidityCategory"] = synthetic.VALIDITY_CATEGORIES[j]
                    if name == "LARS_LearningDelivery":
                        row["LearnAimRefTitle"] = f"Synthetic benchmark qualification number {i} in a long title"
                    writer.writerow({c: row.get(c, "") for c in columns})
            text = buf.getvalue().encode("utf-8")
            size += len(text)
            zf.writestr(f"{name}.csv", text)
    return size


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aims", type=int, default=40_000)
    parser.add_argument("--learners", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ILRKIT_DATA_DIR"] = str(Path(tmp) / "data")
        from ilrkit.refdata import add, default_folder, for_data
        from ilrkit.rules.engine import validate

        zpath = Path(tmp) / "LARS-CSV.zip"
        size = lars_zip(zpath, args.aims)
        _, load_s = timed(lambda: add([zpath]))
        store_mb = (default_folder() / "LARS.sqlite").stat().st_size / 1e6
        data = generate(args.learners, 3).data
        validate(data)  # warm the rules and the year's spec, as a running process is
        _, plain = timed(lambda: validate(data))
        ref, first_ref = timed(lambda: for_data(data))
        _, with_ref = timed(lambda: validate(data, reference=ref))
        _, again = timed(lambda: validate(data, reference=for_data(data)))
        rows = [("LARS CSV (uncompressed)", f"{size / 1e6:.0f} MB"), ("zip", f"{zpath.stat().st_size / 1e6:.0f} MB"),
                ("`ilr refdata add` (once)", f"{load_s:.1f} s"), ("store (SQLite)", f"{store_mb:.0f} MB"),
                (f"validate {args.learners} learners, no reference data", f"{plain:.2f} s"),
                ("reading this file's LARS rows (first time in the process)", f"{first_ref:.3f} s"),
                (f"validate {args.learners} learners with LARS", f"{with_ref:.2f} s"),
                ("again, reading the rows and validating", f"{again:.2f} s"),
                ("added by reference data", f"{again - plain:+.2f} s")]
        print("| step | measured |\n|---|---:|")
        for name, value in rows:
            print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
