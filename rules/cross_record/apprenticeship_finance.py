"""Apprenticeship financial records (prices and payments) read across a learner's programme aims."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.columns import number
from ilrkit.rules.cross_record._common import hits, repeated
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.values import as_date

FIN = "AppFinRecord"
TNP_CHECK_FROM = dt.date(2019, 2, 1)
R142_FROM = dt.date(2022, 8, 1)
ASSESSMENT_PRICES = frozenset({"2", "4"})  # TNP 2 and 4: the end-point assessment price


def _tnp(aim) -> list[dict]:
    return [f for f in aim.financial if f.get("AFinType") == "TNP"]


def _standard_programme(aim) -> bool:
    return aim.aim_type == 1 and aim.prog_type == 25


@rule("R_100", severity=ERROR, scope="aim", fields=("CompStatus",),
      message="This apprenticeship programme is completed (completion status 2) but has no assessment price "
              "(TNP 2 or TNP 4) recorded. Add the end-point assessment price to the financial records.",
      when=(number("AimType").isin(1) & number("ProgType").isin(25) & number("CompStatus").isin(2)
            & number("FundModel").notin(None, 99)))
def r_100(aim):
    return not any(f.get("AFinCode") in ASSESSMENT_PRICES for f in _tnp(aim))


@rule("R_119", severity=ERROR, scope="aim", entity=FIN, fields=("AFinDate",),
      message="The price record TNP {AFinCode} is dated {AFinDate}, before the aim's start date "
              "{LearnStartDate}. A total negotiated price cannot apply before learning starts: correct the date.")
def r_119(aim):
    start = aim.start
    if start is None or start < TNP_CHECK_FROM:
        return None
    return [Hit(record=f, field="AFinDate", entity=FIN, values={"LearnStartDate": aim["LearnStartDate"]})
            for f in _tnp(aim) if f.get("AFinCode") is not None
            and as_date(f.get("AFinDate")) is not None and as_date(f.get("AFinDate")) < start]


@rule("R_68", severity=ERROR, scope="learner", entity=FIN, fields=("AFinType",),
      message="The financial record {AFinType} {AFinCode} dated {AFinDate} is recorded more than once for this "
              "apprenticeship standard. Record each price or payment once.")
def r_68(learner):
    by_standard: dict = {}
    for aim in learner.aims:
        if aim.fund_model == 36 and _standard_programme(aim):
            by_standard.setdefault(aim["StdCode"], []).extend(aim.financial)
    found = []
    for records in by_standard.values():
        found += repeated(records, lambda f: (f.get("AFinType"), f.get("AFinCode"), f.get("AFinDate")))
    return hits(found, "AFinType", FIN)


@rule("R_142", severity=ERROR, scope="learner", entity=FIN, fields=("AFinDate",),
      message="This price record (TNP {AFinCode}, dated {AFinDate}) belongs to an apprenticeship the learner "
              "withdrew from or paused, but it is dated on or after the start {open_start} of their current "
              "apprenticeship. Record prices from the restart on the new programme aim instead.")
def r_142(learner):
    programmes = [a for a in learner.aims if _standard_programme(a)]
    open_aims = [a for a in programmes if a.act_end is None and a.start is not None and a.start >= R142_FROM]
    if not open_aims:
        return None
    found = []
    for aim in programmes:
        if aim.comp_status not in (3, 6) or aim in open_aims:
            continue
        for fin in _tnp(aim):
            day = as_date(fin.get("AFinDate"))
            later = [o.start for o in open_aims if day is not None and day >= o.start]
            if later:
                found.append(Hit(record=fin, field="AFinDate", entity=FIN,
                                 values={"open_start": min(later).isoformat()}))
    return found
