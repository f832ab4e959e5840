"""Rebuild examples/refdata/: synthetic LARS, contracts, EPA organisations, a postcode extract and an organisations
list in the official layouts, for every aim the generator can use and every aim, postcode and UKPRN in the
example workbook. Same bytes every run.

    python examples/make_refdata.py
"""

from pathlib import Path

from ilrkit.converter.io import load
from ilrkit.generate.example import EXAMPLE_NAME
from ilrkit.generate.refdata import example_keys, write

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    example = load(HERE / EXAMPLE_NAME)
    for path in write(HERE / "refdata", ukprn=example.header["UKPRN"], **example_keys(example)):
        print(path)
