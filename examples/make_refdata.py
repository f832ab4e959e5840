"""Rebuild examples/refdata/: synthetic LARS, contracts and EPA organisations in the official layouts, for
every aim the generator can use and every aim in the example workbook. Same bytes every run.

    python examples/make_refdata.py
"""

from pathlib import Path

from ilrkit.converter.io import load
from ilrkit.generate.example import EXAMPLE_NAME
from ilrkit.generate.refdata import write

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    example = load(HERE / EXAMPLE_NAME)
    aims = set(example.tables["LearningDelivery"]["LearnAimRef"].dropna())
    for path in write(HERE / "refdata", ukprn=example.header["UKPRN"], extra_aims=aims):
        print(path)
