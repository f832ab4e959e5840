"""One finding per cell: when several rules say a value has the wrong form, the clerk sees the one that helps.

A value such as ``Fem`` in the Sex column breaks the length rule ("shorten it to 1 character") and the code
rule ("enter F or M"); both are true, but only the second says what to type. Among findings of the
field-format kind on one cell the most specific is kept, and the others are folded into it (the converter
still sees them: a folded schema-breaking finding still stops the XML). A formula with no saved result, or
an Excel error value, explains everything else said about its cell, so it is the only finding kept there.
"""

from __future__ import annotations

from collections import defaultdict

from ilrkit.rules.findings import Finding
from ilrkit.rules.registry import registry

# what the cell itself holds, as the reader found it: nothing else about the cell is worth saying
CELL_UNREADABLE = ("WB_FORMULA_NO_VALUE", "WB_EXCEL_ERROR")


def format_rank(code: str) -> int | None:
    """How specific a field-format rule's message is (0 most), or ``None`` for other rules.

    Type and character rules say what to type; format rules (postcode, NI number) say why the value cannot
    be one; code rules list the codes; range and length rules only say the value is too big or too long.
    """
    if code in ("ILR_DateFormat", "ILR_NumberFormat", "ILR_Characters"):
        return 0
    if code.startswith("FD_") and code.endswith("_AP"):
        return 1
    rule = registry().get(code)
    module = getattr(rule.func, "__module__", "") if rule is not None else ""
    if module.endswith("fields.formats"):
        return 1
    if module.endswith("fields.lookups"):
        return 2
    if code.startswith("FD_") and code.endswith("_AR"):
        return 3
    if (code.startswith("FD_") and code.endswith("_AL")) or code == "ILR_Length":
        return 4
    return None


def _place(f: Finding) -> tuple | None:
    """The cell a finding is about: a workbook cell, or a field of a learner or aim in an XML file."""
    if f.sheet and f.row and f.column:
        return ("cell", f.sheet, f.row, f.column)
    if f.field and f.entity == "Learner" and f.learner is not None:
        return ("learner", f.learner, f.field)
    if f.field and f.entity == "LearningDelivery" and f.aim is not None:
        return ("aim", f.aim, f.field)
    return None


def one_per_cell(findings: list[Finding]) -> tuple[list[Finding], dict[Finding, list[Finding]]]:
    """The findings to report, in their order, and for each kept finding the ones folded into it."""
    at: dict[tuple, list[int]] = defaultdict(list)  # place -> findings of the kinds folded here
    everything: dict[tuple, list[int]] = defaultdict(list)  # place -> every finding there
    ranks: dict[str, int | None] = {}
    for i, f in enumerate(findings):
        place = _place(f)
        if place is None:
            continue
        everything[place].append(i)
        if f.rule not in ranks:
            ranks[f.rule] = 0 if f.rule in CELL_UNREADABLE else format_rank(f.rule)
        if f.rule in CELL_UNREADABLE or (f.is_error and ranks[f.rule] is not None):
            at[place].append(i)
    drop: set[int] = set()
    folded: dict[Finding, list[Finding]] = {}
    for place, indexes in at.items():
        unreadable = [i for i in indexes if findings[i].rule in CELL_UNREADABLE]
        if unreadable:
            keep = unreadable[0]
            others = [i for i in everything[place] if i != keep]
        elif len(indexes) > 1:
            keep = min(indexes, key=lambda i: (ranks[findings[i].rule], i))
            others = [i for i in indexes if i != keep]
        else:
            continue
        if not others:
            continue
        drop.update(others)
        folded.setdefault(findings[keep], []).extend(findings[i] for i in others)
    if not drop:
        return findings, folded
    return [f for i, f in enumerate(findings) if i not in drop], folded
