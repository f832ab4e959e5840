"""A finding: one rule broken by one value, with references to where it is (never a copy of the row)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str  # ERROR or WARNING
    message: str
    entity: str | None = None
    field: str | None = None
    value: str | None = None
    learn_ref: str | None = None
    aim_seq: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    learner: int | None = None  # the learner's row id in the tables, for reports that need more of it
    aim: int | None = None  # the learning delivery's row id

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def cell(self) -> str | None:
        """``Learners!F12`` where the finding points at a cell."""
        if self.sheet and self.row and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.sheet and self.row:
            return f"{self.sheet} row {self.row}"
        return self.sheet

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("learner")
        d.pop("aim")
        return d
