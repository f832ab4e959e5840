"""Synthetic learners and findings shared by the add-in tests (a module, not conftest, so that its name
does not clash with the other test folders' conftest modules)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ilrkit.rules.findings import Finding

BAD_ULN = "1234567890"  # fails the check digit (ULN_04)


@dataclass
class FakeReport:
    findings: list = field(default_factory=list)


def learners(n: int = 3, bad: tuple[int, ...] = (0, 2)):
    return [{"LearnRefNumber": f"L{i + 1}", **({"ULN": BAD_ULN} if i in bad else {}), "aims": [{}]}
            for i in range(n)]


def finding(rule="R1", severity="error", sheet="Learners", row=2, column="F", learn_ref="L1", message="Bad value"):
    return Finding(rule, severity, message, learn_ref=learn_ref, sheet=sheet, row=row, column=column)
