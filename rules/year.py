"""The facts of the data's collection year that rules use, read from the year pack (``schemas/<year>/``).

Rules never name a year: the engine validates against the spec of the data's year, and a rule reaches it
through its record (``aim.ctx.spec``, ``learner.ctx.spec``, ``ctx.spec``). The helpers here add the
named facts of ``year.yaml`` (teaching-year dates, the devolved-authority funding codes, the fee ceiling,
...) and the year's code lists, cached per year. A record built outside a validation (no context) is read
against the default year.

Dates that are fixed in the agency's rule text ("starts on or after 1 August 2019") stay named constants
in the rule modules: they do not move with the collection year.
"""

from __future__ import annotations

from functools import cache

from ilrkit.schemas import DEFAULT_YEAR, Spec, available_years, load_spec


class MissingYearFact(KeyError):
    """The year pack's year.yaml lacks a fact a rule needs."""


def spec_of(record=None) -> Spec:
    """The spec of the year being validated, from a record view, a learner or the validation context."""
    ctx = getattr(record, "ctx", None)
    if ctx is not None:
        return ctx.spec
    spec = getattr(record, "spec", None)
    if isinstance(spec, Spec):
        return spec
    return load_spec(DEFAULT_YEAR)


def fact(spec: Spec, name: str):
    """A named fact of the year's ``year.yaml``."""
    if name not in spec.facts:
        raise MissingYearFact(f"The {spec.year} year pack has no {name!r} in year.yaml.")
    return spec.facts[name]


@cache
def _code_set(year: str, name: str) -> frozenset[str]:
    return frozenset(str(c) for c in fact(load_spec(year), name))


def devolved_sof(record=None) -> frozenset[str]:
    """DD35: the source-of-funding codes of mayoral combined authorities and the GLA in the data's year."""
    return _code_set(spec_of(record).year, "devolved_sof_codes")


@cache
def devolved_sof_in_any_year() -> frozenset[str]:
    """DD35's codes in any installed year: a column pre-filter (``when=``) that each year's own list narrows."""
    return frozenset().union(*(_code_set(y, "devolved_sof_codes") for y in available_years()))


@cache
def codes(year: str, key: str) -> frozenset[str]:
    """The codes of one of the year's code lists (``LearningDelivery.ProgType``); empty if it has none."""
    found = load_spec(year).codelist(key)
    return frozenset(c.code for c in found.codes) if found else frozenset()


@cache
def codes_in_any_year(key: str) -> frozenset[str]:
    """The codes a list has in any installed year: for sets fixed when rules are declared (the funding
    models the engine buckets aim rules by), which each year's own code list then narrows."""
    return frozenset().union(*(codes(y, key) for y in available_years()))
