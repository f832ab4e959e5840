"""Dated funding and monitoring periods (learning support, loans bursary) that must not overlap."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.columns import children, text_in
from ilrkit.rules.cross_record._common import fam_from, fam_to
from ilrkit.rules.registry import ERROR, Hit, rule

FAM = "LearningDeliveryFAM"
LSF_CHECKED_FROM = dt.date(2016, 8, 1)


def _overlapping_later(fams: list[dict]) -> list[dict]:
    """Periods that start before an earlier period has ended (an open earlier period never ends)."""
    dated = sorted((f for f in fams if fam_from(f) is not None), key=fam_from)
    found = []
    for i, later in enumerate(dated):
        start = fam_from(later)
        if any(fam_to(e) is None or fam_to(e) > start for e in dated[:i]):
            found.append(later)
    return found


@rule("R_61", severity=ERROR, scope="aim", entity=FAM, fields=("LearnDelFAMDateFrom",),
      message="This {LearnDelFAMType} period from {LearnDelFAMDateFrom} overlaps an earlier {LearnDelFAMType} "
              "period on the same aim. End the earlier period (date to) before this one starts, or correct "
              "the dates.",
      when=children("LearningDeliveryFAM").at_least(2, text_in("LearnDelFAMType", "LSF", "ALB")))
def r_61(aim):
    found = []
    for fam_type in ("LSF", "ALB"):
        found += _overlapping_later(aim.fams_of(fam_type))
    return [Hit(record=f, field="LearnDelFAMDateFrom", entity=FAM) for f in found]


@rule("R_106", severity=ERROR, scope="learner", entity=FAM, fields=("LearnDelFAMDateFrom",),
      message="This learning support funding (LSF) period from {LearnDelFAMDateFrom} overlaps another LSF "
              "period of the learner (on this or another aim). Only one LSF period may apply at a time: end "
              "the earlier period before this one starts.")
def r_106(learner):
    periods = [f for aim in learner.aims for f in aim.fams_of("LSF")
               if fam_from(f) is not None and fam_from(f) >= LSF_CHECKED_FROM]
    if len(periods) < 2:
        return None
    return [Hit(record=f, field="LearnDelFAMDateFrom", entity=FAM) for f in _overlapping_later(periods)]
