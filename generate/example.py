"""The example provider shipped in ``examples/``: a small return that shows every kind of provision.

16 learners: 16-19 study programmes, a continuing adult skills learner, apprentices (contract type
periods, prices and an employer co-investment payment, one achieved), a Skills Bootcamp, Adult Skills
Fund learners (one devolved, one with learning support), other adult, non-funded (one with an Advanced
Learner Loan) and HE learners. The seed was chosen so all of those appear; ``tests/test_generate.py``
checks they still do.
"""

from __future__ import annotations

from pathlib import Path

from ilrkit.generate import Generated, generate

EXAMPLE_KINDS = ["25", "25", "25", "35", "36", "36", "36", "37", "38", "38", "38", "81", "99", "99", "HE", "HE"]
EXAMPLE_SEED = 248
EXAMPLE_NAME = "example-provider-2025-26.xlsx"


def example() -> Generated:
    return generate(len(EXAMPLE_KINDS), EXAMPLE_SEED, kinds=EXAMPLE_KINDS)


def write_example(folder: str | Path) -> Path:
    """Write (or rewrite) the example workbook into ``folder``; the same bytes every time."""
    from ilrkit.generate.output import write

    path, _ = write(example(), Path(folder) / EXAMPLE_NAME, force=True)
    return path
