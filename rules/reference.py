"""Reference data the agency's rules look things up in (LARS, postcodes, organisations, ...).

We ship none of it: it is large, licensed separately and changes monthly. A provider or a server can plug
some in by giving ``validate`` a ``ReferenceData`` with the sets it has; rules that need a set that is not
there are reported as "not checked" rather than passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KNOWN_SETS = ("LARS", "Postcodes", "Organisations", "Contracts", "Employers", "ULNs", "EPAOrganisations",
              "DevolvedPostcodes", "FCS", "ONS", "Previous year")


@dataclass
class ReferenceData:
    """Named lookup tables; ``tables["LARS"]`` can be any object the rules that need it understand."""

    tables: dict[str, object] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.tables

    def get(self, name: str):
        return self.tables.get(name)


EMPTY = ReferenceData()
