"""Conditions the learner rules share: funding groups, exclusions and dates the agency's texts repeat."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules.derived import TEMPORARY_ULN  # noqa: F401  (re-exported for the learner rules)


def is_olass(aim) -> bool:
    """OLASS, offenders in custody (LDM 034): many rules leave these aims out."""
    return aim.has_fam("LDM", "034")


def is_community_learning(aim) -> bool:
    """Community learning: FundModel 10, or non-funded (99) with source of funding 108 (local authority)."""
    fm = aim.fund_model
    return fm == 10 or (fm == 99 and aim.has_fam("SOF", "108"))


def all_community_learning(learner) -> bool:
    # as in the agency's service, a learner with no aims counts as "all aims community learning"
    return all(is_community_learning(a) for a in learner.aims)


def is_t_level(aim) -> bool:
    """A T Level programme aim: 16-19 funded (FundModel 25) with ProgType 31."""
    return aim.fund_model == 25 and aim.prog_type == 31


def all_aims_closed(learner) -> bool:
    return all(a.act_end is not None for a in learner.aims)


def blank(value: str | None) -> bool:
    """Not returned, or only spaces."""
    return value is None or not value.strip()


def teaching_year_end(learner) -> dt.date:
    """31 July at the end of the current teaching year."""
    return dt.date(learner.teaching_year_start.year + 1, 7, 31)


def first_january(teaching_year_start: dt.date) -> dt.date:
    """1 January within the current teaching year."""
    return dt.date(teaching_year_start.year + 1, 1, 1)


def days_between(start: dt.date | None, end: dt.date | None) -> int | None:
    """``end - start`` in days, as the agency's rules subtract dates; None when either is missing."""
    return (end - start).days if start is not None and end is not None else None


def learner_fams_of(learner, fam_type: str) -> list[dict]:
    return learner.fams_by_type.get(fam_type, [])


def fam_hit_values(aim) -> dict:
    """Names an aim's findings can use in their messages when they point at one of its FAM rows."""
    return {"AimSeqNumber": aim["AimSeqNumber"], "LearnAimRef": aim["LearnAimRef"],
            "LearnStartDate": aim["LearnStartDate"], "FundModel": aim["FundModel"]}
