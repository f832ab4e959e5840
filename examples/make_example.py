"""Rebuild examples/example-provider-2025-26.xlsx from the generator (same bytes every run).

    python examples/make_example.py
"""

from pathlib import Path

from ilrkit.generate.example import write_example

if __name__ == "__main__":
    print(write_example(Path(__file__).resolve().parent))
