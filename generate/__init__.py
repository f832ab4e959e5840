"""Synthetic ILR returns for tests, examples and benchmarks: ``ilr generate``.

``generate(n, seed=..., error_rate=...)`` makes ``n`` made-up learners across the funding models a
mixed provider has (16-19, adult skills, apprenticeships with contract types and prices, Skills Bootcamps,
other adult, non-funded, HE). With ``error_rate`` 0 the return is clean under our rules; with ``R > 0``
about that share of learners carry one known fault each, listed with the rule that must catch it.
The same seed always gives the same return.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ilrkit.generate.aims import MIX, Site
from ilrkit.generate.dates import Calendar
from ilrkit.generate.faults import Fault, inject
from ilrkit.generate.learners import make_learner
from ilrkit.generate.identifiers import ni_number
from ilrkit.generate.people import postcode
from ilrkit.converter.model import IlrData
from ilrkit.rules.testing import build
from ilrkit.schemas import DEFAULT_YEAR, load_spec

DEFAULT_UKPRN = "10000001"
SOFTWARE = "ilrkit generate"


@dataclass
class Generated:
    data: IlrData
    faults: list[Fault] = field(default_factory=list)


def calendar(year: str = DEFAULT_YEAR, as_of: dt.date | None = None) -> Calendar:
    """The year's calendar; by default the return is made on 30 June (period R11), a typical mid-year day."""
    start = load_spec(year).teaching_year_start
    return Calendar(start, as_of or dt.date(start.year + 1, 6, 30))


def preparation_day(year: str, today: dt.date) -> dt.date:
    """The day a return of ``year`` is made: 30 June (R11), or today while the year is still running, so
    that nothing in it is dated after the day it is validated. A year that has not begun keeps 30 June."""
    usual = calendar(year).as_of
    start = calendar(year).year_start
    return today if start + dt.timedelta(days=MIN_DAYS_INTO_YEAR) <= today < usual else usual


MIN_DAYS_INTO_YEAR = 45  # enough of the year for starts a month before the return


def learner_specs(n: int, seed: int = 1, *, year: str = DEFAULT_YEAR, as_of: dt.date | None = None,
                  kinds: list[str] | None = None) -> list[dict]:
    """``n`` clean learners in the compact form of ``ilrkit.rules.testing.build``.

    Learner ``i`` depends only on the seed and ``i``, so a smaller return is the start of a larger one.
    ``kinds`` fixes the provision of each learner in turn (``"25"``, ``"36"``, ..., ``"HE"``) instead of
    drawing it from the usual mix.
    """
    unknown = set(kinds or ()) - {k for k, _ in MIX}
    if unknown:
        raise ValueError(f"Unknown kind(s) of learner: {', '.join(sorted(unknown))}; use "
                         f"{', '.join(k for k, _ in MIX)}.")
    cal = calendar(year, as_of)
    site_rng = random.Random(f"{seed}:site")
    site = Site(tuple(postcode(site_rng) for _ in range(3)))
    mix, weights = zip(*MIX)
    learners = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        kind = rng.choices(mix, weights)[0]
        if kinds:
            kind = kinds[i % len(kinds)]
        learner = make_learner(rng, i, kind, cal, site)
        _year_requirements(learner, kind, load_spec(year), random.Random(f"{seed}:{i}:year"))
        learners.append(learner)
    return learners


SHORT_COURSE_SHARE = 0.3  # of adult skills learners, in a year with a short course offer


def _year_requirements(learner: dict, kind: str, spec, rng: random.Random) -> None:
    """What the year's collection has beyond the usual, from its year pack (on its own random stream, so
    earlier years' returns stay as they were): some adult skills learners on the year's short course offer
    (year.yaml short_course_fund_model: FundModel 39 from 2026-27), and the NI number for the funding models
    year.yaml names (FundModel 37 from 2026-27)."""
    short_course = spec.facts.get("short_course_fund_model")
    if short_course and kind == "38" and rng.random() < SHORT_COURSE_SHARE:
        _short_courses(learner, str(short_course), spec)
    wanted = {str(fm) for fm in spec.facts.get("ni_number_fund_models") or ()}
    if "NINumber" not in learner and any(a.get("FundModel") in wanted for a in learner["aims"]):
        learner["NINumber"] = ni_number(rng)


def _short_courses(learner: dict, fund_model: str, spec) -> None:
    """The learner's adult courses as short courses of ``fund_model``, funded by the DfE (SOF 105), when
    every one starts on or after the day that funding model opens."""
    code = spec.codelist("LearningDelivery.FundModel").by_code.get(fund_model)
    opens = code.valid_from if code is not None else None
    if opens is None or any(dt.date.fromisoformat(a["LearnStartDate"]) < opens for a in learner["aims"]):
        return
    for aim in learner["aims"]:
        aim["FundModel"] = fund_model
        aim["fams"] = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}]


def header(cal: Calendar, ukprn: str = DEFAULT_UKPRN) -> dict:
    prepared = cal.as_of
    at = "09:00:00"
    now = dt.datetime.now()
    if prepared == now.date() and now.time() < dt.time(9):  # a return made today cannot carry a later time
        at = now.strftime("%H:%M:%S")
    return {"UKPRN": ukprn, "FilePreparationDate": prepared.isoformat(), "SoftwareSupplier": "ilrkit",
            "SoftwarePackage": SOFTWARE, "Release": "1", "SerialNo": "01",
            "DateTime": f"{prepared.isoformat()}T{at}"}


def generate(n: int, seed: int = 1, *, error_rate: float = 0.0, year: str = DEFAULT_YEAR,
             as_of: dt.date | None = None, ukprn: str = DEFAULT_UKPRN, kinds: list[str] | None = None) -> Generated:
    """A synthetic return of ``n`` learners; with ``error_rate`` > 0, the faults injected."""
    if n < 1:
        raise ValueError("A return needs at least one learner.")
    if not 0.0 <= error_rate <= 1.0:
        raise ValueError("The error rate is a share of learners, from 0 to 1.")
    cal = calendar(year, as_of)
    specs = learner_specs(n, seed, year=year, as_of=cal.as_of, kinds=kinds)
    faults = inject(specs, error_rate, random.Random(f"{seed}:faults"), cal) if error_rate else []
    data = build(specs, header=header(cal, ukprn), year=year, defaults=False)
    return Generated(data, faults)
