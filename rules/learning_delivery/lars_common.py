"""What the LARS validity rules share: the cut-off dates in their text, the aim tests they start with, and
message wording (so the five checks read the same for every funding stream)."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import lars
from ilrkit.rules.registry import Hit

NEEDS = ("LARS",)
FIELDS = ("LearnAimRef", "LearnStartDate")

# fixed dates named in the agency's rule text
AUG_2015 = dt.date(2015, 8, 1)
AUG_2016 = dt.date(2016, 8, 1)
AUG_2017 = dt.date(2017, 8, 1)
AUG_2020 = dt.date(2020, 8, 1)
AUG_2021 = dt.date(2021, 8, 1)
AUG_2023 = dt.date(2023, 8, 1)
AUG_2024 = dt.date(2024, 8, 1)
JUL_2017 = dt.date(2017, 7, 31)
JUL_2024 = dt.date(2024, 7, 31)

# LearningDeliveryFAM LDM codes that mark 14-16 direct funded provision
LDM_1416 = ("320", "321", "381")


def ends_on_or_after(aim, day: dt.date) -> bool:
    """The aim ends on or after ``day``: its actual end date is, or it has not ended yet."""
    return aim.act_end is None or aim.act_end >= day


def ended_between(aim, first: dt.date, last: dt.date) -> bool:
    """The aim has an actual end date from ``first`` to ``last``."""
    return aim.act_end is not None and first <= aim.act_end <= last


def starts_on_or_after(aim, day: dt.date) -> bool:
    return aim.start is not None and aim.start >= day


def has_any_ldm(aim, codes) -> bool:
    return any(code in codes for code in aim.fam_codes("LDM"))


def hit(validity: lars.Validity | None) -> Hit | None:
    """A finding quoting the validity's dates, or nothing when the check passed."""
    return Hit(values=lars.validity_values(validity)) if validity is not None else None


def start_message(stream: str) -> str:
    return (f"The aim {{LearnAimRef}} starts on {{LearnStartDate}}, but LARS lists it as valid for {stream} "
            "({ValidityCategory}) only from {ValidFrom} to {ValidTo}. Check the aim reference and the start "
            "date; if both are right, the aim cannot be funded this way.")


def end_message(stream: str) -> str:
    return (f"The aim {{LearnAimRef}} ended on {{LearnActEndDate}}, after its LARS validity for {stream} "
            "({ValidityCategory}) closed on {ValidTo}. Check the actual end date and the aim reference.")


def new_start_message(stream: str) -> str:
    return (f"The aim {{LearnAimRef}} starts on {{LearnStartDate}}, outside the dates LARS allows new starts "
            f"for {stream} ({{ValidityCategory}}: from {{ValidFrom}}, last new start {{LastNewStart}}). Check "
            "the start date and the aim reference; a learner returning to the aim after a break needs a "
            "restart (RES) learning delivery FAM.")


def closed_message(stream: str) -> str:
    return (f"LARS closed the aim {{LearnAimRef}} for {stream} ({{ValidityCategory}}) on {{ValidTo}}, before "
            "this teaching year, so it cannot be funded this way now. Check the aim reference and the funding "
            "model, and choose an aim that is still open.")


def missing_message(stream: str, categories: str) -> str:
    return (f"LARS does not list the aim {{LearnAimRef}} as valid for {stream} (it has no {categories} "
            "validity). Check the aim reference in Find a learning aim, or the funding model.")
