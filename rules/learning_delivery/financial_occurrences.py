"""How many apprenticeship financial records of one type an aim may have: from the year's record types.

Our own rule (``ILR_*``): the agency had published no 2026-27 rule code for it. The limit is the type's
``max_occurs`` in the year pack's code lists (RIP, the price reduction for recognised prior learning, at
most one per aim from 2026-27); types without a limit (TNP, PMR) are never counted. Which aims may have
financial records at all is AFinType_04's business.
"""

from __future__ import annotations

from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of

FIN = "AppFinRecord"


def _limits(aim) -> dict[str, int]:
    return {t.type: t.max_occurs for t in spec_of(aim).fam_types.get(FIN, ()) if t.max_occurs is not None}


@rule("ILR_AFinType_Occurs", severity=ERROR, entity="AppFinRecord", scope="aim", fields=("AFinType",),
      first_year="2026-27",
      message="This aim has {count} financial records of type {AFinType}, but only {most} is allowed per aim. "
              "Keep the one that matches the funding document and remove the others.")
def ilr_afintype_occurs(aim):
    if len(aim.financial) < 2:
        return None
    limits = _limits(aim)
    by_type: dict[str, list[dict]] = {}
    for r in aim.financial:
        if r.get("AFinType") in limits:
            by_type.setdefault(r.get("AFinType"), []).append(r)
    return [Hit(record=r, field="AFinType", entity=FIN, values={"count": len(rows), "most": limits[t]})
            for t, rows in by_type.items() for r in rows[limits[t]:]]
