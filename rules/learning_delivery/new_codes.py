"""Codes that are new in, or closed before, the collection year: our own rules (``ILR_*``) from 2026-27.

The agency had published no 2026-27 rule codes when these were written, so they carry our own codes; when
its rules appear, map each to the agency's code (see docs). Everything they know comes from the year pack:
a code's valid-from and valid-to dates in the year's code list, the teaching year's start. A code counts
as new when it becomes valid on or after the first day of the teaching year (FundModel 39, SOF 124-130 and
DAM 114 from 1 August 2026), so older codes keep to the agency's own rules.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from ilrkit.rules.learning_delivery.fam_types_common import CODE, TYPE, fam_hit
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of
from ilrkit.schemas import available_years, load_spec

FIRST_YEAR = "2026-27"
# LDM codes have the agency's own valid-from rule (LearnDelFAMType_104); dated FAM types (EVI, ACT, LSF,
# ...) are valid by their own dates, not the aim's start
OWN_RULE_TYPES = frozenset({"LDM"})


@cache
def new_codes(year: str, key: str) -> dict[str, dt.date]:
    """Code -> the day it became valid, for the codes of ``key`` that became valid in ``year``."""
    spec = load_spec(year)
    found = spec.codelist(key)
    first_day = spec.teaching_year_start
    return {c.code: c.valid_from for c in (found.codes if found else ())
            if c.valid_from is not None and c.valid_from >= first_day}


@cache
def closed_codes(year: str, key: str) -> dict[str, dt.date]:
    """Code -> its last valid day, for the codes of ``key`` that closed before ``year`` began."""
    spec = load_spec(year)
    found = spec.codelist(key)
    first_day = spec.teaching_year_start
    return {c.code: c.valid_to for c in (found.codes if found else ())
            if c.valid_to is not None and c.valid_to < first_day}


@cache
def _undated_fam_types(year: str) -> frozenset[str]:
    return frozenset(t.type for t in load_spec(year).fam_types.get("LearningDeliveryFAM", ()) if not t.dated)


@rule("ILR_FundModel_NewCode", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      first_year=FIRST_YEAR,
      message="Funding model {value} can only be used for aims starting on or after {valid_from}, but this "
              "aim started on {LearnStartDate}. Use the funding model the aim started under, or check the "
              "start date.")
def ilr_fundmodel_newcode(aim):
    start = aim.start
    valid_from = new_codes(spec_of(aim).year, "LearningDelivery.FundModel").get(str(aim.fund_model))
    if start is None or valid_from is None or start >= valid_from:
        return None
    return Hit(record=aim, field="FundModel", values={"valid_from": valid_from.isoformat()})


@rule("ILR_FundModel_Closed", severity=ERROR, entity="LearningDelivery", fields=("FundModel",),
      first_year=FIRST_YEAR,
      message="Funding model {value} closed on {valid_to} and is not collected in the {year} return. Record "
              "the aim under the funding model that pays for it now, or leave it out if it ended before this "
              "teaching year.")
def ilr_fundmodel_closed(aim):
    spec = spec_of(aim)
    valid_to = closed_codes(spec.year, "LearningDelivery.FundModel").get(str(aim.fund_model))
    if valid_to is None:
        return None
    return Hit(record=aim, field="FundModel", values={"valid_to": valid_to.isoformat(), "year": spec.year})


@rule("ILR_LearnDelFAMCode_NewCode", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMCode",), first_year=FIRST_YEAR,
      message="{LearnDelFAMType} code {value} can only be used on aims starting on or after {valid_from}, but "
              "this aim started on {LearnStartDate}. Use the code that applied when the aim started, or check "
              "the start date.")
def ilr_learndelfamcode_newcode(aim):
    start = aim.start
    if start is None or not aim.fams:
        return None
    year = spec_of(aim).year
    undated = _undated_fam_types(year)
    hits = []
    for f in aim.fams:
        fam_type = f.get(TYPE)
        if fam_type in OWN_RULE_TYPES or fam_type not in undated:
            continue
        valid_from = new_codes(year, f"LearningDeliveryFAM.{fam_type}").get(f.get(CODE))
        if valid_from is not None and start < valid_from:
            hits.append(fam_hit(aim, f, values={"valid_from": valid_from.isoformat()}))
    return hits


@cache
def removed_fam_types(year: str) -> frozenset[str]:
    """Aim FAM types of the year before ``year`` that ``year`` no longer has (ASL from 2026-27)."""
    years = sorted(available_years())
    at = years.index(year) if year in years else 0
    if at == 0:
        return frozenset()

    def types(y):
        return {t.type for t in load_spec(y).fam_types.get("LearningDeliveryFAM", ())}

    return frozenset(types(years[at - 1]) - types(year))


@rule("ILR_LearnDelFAMType_Removed", severity=ERROR, entity="LearningDeliveryFAM", scope="aim",
      fields=("LearnDelFAMType",), first_year=FIRST_YEAR,
      message="The aim funding and monitoring type {value} is not part of the {year} ILR, so it cannot be "
              "returned. Delete this row (it was needed only in earlier years' returns).")
def ilr_learndelfamtype_removed(aim):
    # the type-and-code rules leave unknown aim FAM types alone (rules.fields.pairs); one the year removed is
    # certainly not wanted, and `ilr migrate` drops it, so a row typed or pasted in is said
    year = spec_of(aim).year
    removed = removed_fam_types(year)
    if not removed or not aim.fams:
        return None
    return [fam_hit(aim, f, TYPE, {"year": year}) for f in aim.fams if f.get(TYPE) in removed] or None
