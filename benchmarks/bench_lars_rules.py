"""Benchmark: the LARS look-up rules on a large synthetic LARS and a large return.

Builds a LARS set of invented aims (by default 60,000 aims, two validity rows and one category row each, as
big as the real download's main tables) and a return whose learners each take one of those aims under one of
the funding models the rules cover, then times ``validate`` running only the LARS rules (indexing the tables
once, then one dict look-up per aim and table). Run it to check the rules stay cheap per aim:

    python benchmarks/bench_lars_rules.py [--aims 60000] [--learners 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time


def synthetic_lars(aims: int) -> dict:
    refs = [f"6{i:07d}" for i in range(aims)]
    categories = ("ADULT_SKILLS", "1619_EFA", "COMM_LEARN", "ANY", "ADV_LEARN_LOAN", "MCA_GLA", "FCFJ_ADULT_SKILLS",
                  "TAILORED_LEARNING")
    return {
        "LARS_LearningDelivery": [{"LearnAimRef": r, "NotionalNVQLevelv2": str(1 + i % 4)} for i, r in enumerate(refs)],
        "LARS_Validity": [row for i, r in enumerate(refs) for row in (
            {"LearnAimRef": r, "ValidityCategory": categories[i % len(categories)], "StartDate": "2019-08-01",
             "EndDate": None, "LastNewStartDate": "2026-07-31"},
            {"LearnAimRef": r, "ValidityCategory": "ANY", "StartDate": "2015-08-01", "EndDate": "2027-07-31",
             "LastNewStartDate": None})],
        "LARS_LearningDeliveryCategory": [{"LearnAimRef": r, "CategoryRef": str(30 + i % 40),
                                           "EffectiveFrom": "2017-08-01", "EffectiveTo": None}
                                          for i, r in enumerate(refs)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aims", type=int, default=60000, help="aims in the synthetic LARS")
    parser.add_argument("--learners", type=int, default=5000, help="learners in the return (one aim each)")
    args = parser.parse_args()
    os.environ.setdefault("ILRKIT_WORKERS", "1")  # time the rules, not the process pool

    from ilrkit.rules.engine import validate
    from ilrkit.rules.reference import ReferenceData
    from ilrkit.rules.registry import registry
    from ilrkit.rules.testing import build

    fund_models = (35, 38, 25, 10, 11, 99, 81, 37)
    learners = [{"LearnRefNumber": f"L{i:05d}", "aims": [{
        "LearnAimRef": f"6{(i * 7919) % args.aims:07d}", "FundModel": fund_models[i % len(fund_models)],
        "LearnStartDate": "2025-09-01", "fams": {"SOF": "110"} if i % 13 == 0 else {}}]}
        for i in range(args.learners)]
    data = build(learners)
    started = time.perf_counter()
    reference = ReferenceData.from_rows({"LARS": synthetic_lars(args.aims)})
    built = time.perf_counter() - started
    codes = {code for code, r in registry().items() if "LARS" in r.needs}
    today = dt.date(2026, 1, 15)
    for label in ("first", "second"):
        started = time.perf_counter()
        report = validate(data, reference=reference, codes=codes, today=today)
        took = time.perf_counter() - started
        print(f"{label} run: {len(codes)} LARS rules on {args.learners} aims against {args.aims} LARS aims: "
              f"{took:.2f} s ({took / args.learners * 1e6:.0f} µs per aim), {len(report.findings)} findings")
    print(f"(building the synthetic DataFrames, not part of validation: {built:.2f} s)")


if __name__ == "__main__":
    main()
