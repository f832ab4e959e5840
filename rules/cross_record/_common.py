"""Small helpers the cross-record rules share (no rules are declared here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ilrkit.rules.registry import Hit
from ilrkit.rules.values import as_date


def repeated(records: Iterable, key: Callable) -> list:
    """Every record whose key (ignoring keys that are None) is shared with another record, in input order."""
    keyed = [(key(r), r) for r in records]
    keys = [k for k, _ in keyed if k is not None]
    if len(set(keys)) == len(keys):  # the usual case: nothing repeated
        return []
    counts: dict = defaultdict(int)
    for k in keys:
        counts[k] += 1
    return [r for k, r in keyed if k is not None and counts[k] > 1]


def hits(records: Iterable, field: str, entity: str | None = None, **values) -> list[Hit]:
    return [Hit(record=r, field=field, entity=entity, values=values or None) for r in records]


def fam_from(fam: dict):
    return as_date(fam.get("LearnDelFAMDateFrom"))


def fam_to(fam: dict):
    return as_date(fam.get("LearnDelFAMDateTo"))


def latest_fam(fams: list[dict]) -> dict | None:
    """The FAM that applies last: the one with the latest 'date from' (undated ones count as earliest)."""
    dated = [f for f in fams if fam_from(f) is not None]
    return max(dated, key=fam_from) if dated else (fams[-1] if fams else None)
