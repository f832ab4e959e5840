"""The hidden ``Lists`` sheet: one column per code list, the source of every dropdown.

Each list holds ``Code.display`` values ("31 – English / Welsh / ..."), which is what the reader strips back
to the code. Only codes valid during the collection year are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from ilrkit.schemas import Code, CodeList, Spec


@dataclass(frozen=True)
class ListRange:
    key: str  # the code list key, "Learner.Ethnicity"
    column: int  # 0-based column on the Lists sheet
    size: int
    sheet: str

    @property
    def name(self) -> str:
        """The workbook-level name of the range (letters, digits and underscores only)."""
        return "List_" + "".join(ch if ch.isalnum() else "_" for ch in self.key)

    @property
    def ref(self) -> str:
        letter = xl_col_to_name(self.column)
        return f"{self.sheet}!${letter}$2:${letter}${self.size + 1}"


def current_codes(spec: Spec, codes: CodeList) -> list[Code]:
    """The codes valid on some day of the collection year: what a dropdown offers. A code that ended years
    ago is not offered (an old record that has one still reads, and the rules say whether it may stay)."""
    start, end = spec.teaching_year_start, spec.teaching_year_end

    def current(code: Code) -> bool:
        return (code.valid_from is None or code.valid_from <= end) and (code.valid_to is None or code.valid_to >= start)

    return [c for c in codes.codes if current(c)] or list(codes.codes)


class Lists:
    """Collects the code lists the columns need, then writes them in first-use order."""

    def __init__(self, spec: Spec, sheet: str):
        self.spec = spec
        self.sheet = sheet
        self.ranges: dict[str, ListRange] = {}
        self.values: dict[str, list[str]] = {}

    def range_for(self, codes: CodeList | None) -> ListRange | None:
        if codes is None or not codes.codes:
            return None
        if codes.key not in self.ranges:
            values = [c.display for c in current_codes(self.spec, codes)]
            self.ranges[codes.key] = ListRange(codes.key, len(self.ranges), len(values), self.sheet)
            self.values[codes.key] = values
        return self.ranges[codes.key]

    def write(self, workbook, formats) -> None:
        ws = workbook.add_worksheet(self.sheet)
        for key, rng in self.ranges.items():
            ws.write_string(0, rng.column, key, formats.header)
            for i, value in enumerate(self.values[key], start=1):
                ws.write_string(i, rng.column, value)
            width = min(60, max(len(key), *(len(v) for v in self.values[key])) + 2)
            ws.set_column(rng.column, rng.column, width)
            workbook.define_name(rng.name, "=" + rng.ref)
        ws.hide()
