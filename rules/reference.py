"""Reference data the agency's rules look things up in (LARS, postcodes, organisations, ...).

We ship none of it: it is large, licensed separately and changes monthly. A provider or a server can plug
some in by giving ``validate`` a ``ReferenceData`` with the sets it has; rules that need a set that is not
there are reported as "not checked" rather than passed.

The shape every loader produces and every rule reads: ``tables[set_name]`` is a ``dict`` of the set's
official table names (for LARS the CSV file stems of the published download, e.g. ``LARS_LearningDelivery``,
``LARS_Validity``) to ``pandas.DataFrame`` with the official column names, every value text (or ``None``),
exactly as the published file has it. Rules reach it as ``aim.reference`` (or ``learner.ctx.reference``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

KNOWN_SETS = ("LARS", "Postcodes", "Organisations", "Contracts", "Employers", "ULNs", "EPAOrganisations",
              "DevolvedPostcodes", "FCS", "ONS", "Previous year")


@dataclass
class ReferenceData:
    """Named reference sets, each a dict of official table name to DataFrame (see the module docstring)."""

    tables: dict[str, object] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.tables

    def get(self, name: str):
        return self.tables.get(name)

    @classmethod
    def from_rows(cls, sets: dict[str, dict[str, list[dict]]]) -> "ReferenceData":
        """Small sets given as rows (tests as data): ``{"LARS": {"LARS_LearningDelivery": [{...}, ...]}}``."""
        import pandas as pd

        def text(v):
            return None if v is None or v == "" else str(v)

        def frame(rows):
            # a column some rows leave out is None in those rows (never NaN), as the contract says
            columns = list(dict.fromkeys(k for row in rows for k in row))
            return pd.DataFrame([[text(row.get(c)) for c in columns] for row in rows], columns=columns, dtype=object)

        return cls({name: {table: frame(rows or []) for table, rows in (tables or {}).items()}
                    for name, tables in (sets or {}).items()})


EMPTY = ReferenceData()
