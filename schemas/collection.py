"""Which collection year a command works in when the user does not say: the one providers return now."""

from __future__ import annotations

import datetime as dt

from ilrkit.schemas.spec import available_years


def collection_year_on(day: dt.date) -> str:
    """The collection year that ``day`` falls in: 1 August 2026 to 31 July 2027 is ``2026-27``."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def default_year(today: dt.date | None = None) -> tuple[str, str | None]:
    """The current collection year if it is installed, else the newest installed year with a note saying so."""
    current = collection_year_on(today or dt.date.today())
    installed = available_years()
    if current in installed:
        return current, None
    newest = installed[-1]
    return newest, (f"Note: this version of ilrkit has no {current} year pack, so the {newest} year is used. "
                    f"Years installed: {', '.join(installed)}. Give --year to choose one.")
