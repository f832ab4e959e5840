"""Learner funding and monitoring (LearnerFAM) records: how many of each type, which go together, and
whether a code was still valid when the learner started, plus the learning support cost that needs HNS."""

from __future__ import annotations

import datetime as dt
from functools import cache

from ilrkit.rules.columns import children, filled, has_fam
from ilrkit.rules.learner._common import learner_fams_of
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of
from ilrkit.schemas import load_spec

ONCE_ONLY = frozenset({"HNS", "EHC", "DLA", "SEN", "MCF", "ECF", "FME", "MMH", "EMH"})
# codes the agency has withdrawn but still knows, with the last day they could be used; our code lists
# drop withdrawn codes, so those the 2025-26 rules still talk about are kept here
WITHDRAWN = {("NLM", "21"): dt.date(2024, 7, 31)}


@cache
def _valid_to(year: str) -> dict[tuple[str, str], dt.date]:
    spec = load_spec(year)
    dates = dict(WITHDRAWN)
    for fam in spec.fam_types.get("LearnerFAM", ()):
        codes = spec.codelist(f"LearnerFAM.{fam.type}")
        for code in codes.codes if codes else ():
            if code.valid_to is not None:
                dates[(fam.type, code.code)] = code.valid_to
    return dates


def _extra(rows: list[dict], allowed: int, values: dict | None = None) -> list[Hit]:
    """The rows past the first ``allowed`` of a type, each a finding on its type."""
    return [Hit(record=r, field="LearnFAMType", entity="LearnerFAM", values={"count": len(rows), **(values or {})})
            for r in rows[allowed:]]


def _code_rows(learner, fam_type: str, code: str) -> list[dict]:
    return [f for f in learner_fams_of(learner, fam_type) if f.get("LearnFAMCode") == code]


@rule("LearnFAMType_03", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMCode",),
      message="The learner funding and monitoring code {LearnFAMType} {LearnFAMCode} could only be used up to "
              "{valid_to}, but the learner's first aim starts on {first_start}. Remove it or use a current "
              "code.")
def learn_fam_type_03(learner):
    first = learner.earliest_start
    if first is None or not learner.fams:
        return None
    valid_to = _valid_to(spec_of(learner).year)
    hits = []
    for row in learner.fams:
        last = valid_to.get((row.get("LearnFAMType"), row.get("LearnFAMCode")))
        if last is not None and first > last:
            hits.append(Hit(record=row, field="LearnFAMCode", entity="LearnerFAM",
                            values={"valid_to": last.isoformat(), "first_start": first.isoformat()}))
    return hits


@rule("LearnFAMType_09", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMType",),
      message="The learner has {count} learner funding and monitoring records of type {LearnFAMType}; only one "
              "is allowed. Keep the right one and delete the others.",
      when=children("LearnerFAM").at_least(2))
def learn_fam_type_09(learner):
    hits = []
    for fam_type, rows in learner.fams_by_type.items():
        if len(rows) > 1 and fam_type in ONCE_ONLY:
            hits += _extra(rows, 1)
    return hits


@rule("LearnFAMType_10", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMType",),
      message="The learner has {count} learner support reason (LSR) records; at most four are allowed. "
              "Keep the four that matter most and delete the rest.",
      when=has_fam("LSR"))
def learn_fam_type_10(learner):
    return _extra(learner_fams_of(learner, "LSR"), 4)


@rule("LearnFAMType_11", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMType",),
      message="The learner has {count} learner funding and monitoring records of type {LearnFAMType}; at most "
              "two are allowed. Delete the extra ones.",
      when=children("LearnerFAM").at_least(3))
def learn_fam_type_11(learner):
    return _extra(learner_fams_of(learner, "NLM"), 2) + _extra(learner_fams_of(learner, "EDF"), 2)


@rule("LearnFAMType_14", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMType",),
      message="The learner has both special educational needs (SEN 1) and an education, health and care plan "
              "(EHC 1). Record only one: an EHC plan takes the place of SEN support.",
      when=has_fam("SEN", "1") & has_fam("EHC", "1"))
def learn_fam_type_14(learner):
    return [Hit(record=r, field="LearnFAMType", entity="LearnerFAM") for r in _code_rows(learner, "EHC", "1")]


@rule("LearnFAMType_15", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMCode",),
      message="The learner is recorded as exempt from the GCSE maths condition of funding because of a "
              "learning difficulty or disability (MCF 1), but has no education, health and care plan (EHC) "
              "record. Add the EHC record, or check the MCF code.",
      when=~has_fam("EHC") & has_fam("MCF", "1"))
def learn_fam_type_15(learner):
    return [Hit(record=r, field="LearnFAMCode", entity="LearnerFAM") for r in _code_rows(learner, "MCF", "1")]


@rule("LearnFAMType_16", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMCode",),
      message="The learner is recorded as exempt from the GCSE English condition of funding because of a "
              "learning difficulty or disability (ECF 1), but has no education, health and care plan (EHC) "
              "record. Add the EHC record, or check the ECF code.",
      when=~has_fam("EHC") & has_fam("ECF", "1"))
def learn_fam_type_16(learner):
    return [Hit(record=r, field="LearnFAMCode", entity="LearnerFAM") for r in _code_rows(learner, "ECF", "1")]


@rule("LearnFAMType_17", severity=ERROR, entity="LearnerFAM", scope="learner", fields=("LearnFAMCode",),
      message="The learner has both national learner monitoring codes NLM 22 and NLM 21, which cannot be "
              "recorded together. Remove the NLM 21 record.",
      when=has_fam("NLM", "22") & has_fam("NLM", "21"))
def learn_fam_type_17(learner):
    return [Hit(record=r, field="LearnFAMCode", entity="LearnerFAM") for r in _code_rows(learner, "NLM", "21")]


@rule("ALSCost_02", severity=ERROR, entity="Learner", fields=("ALSCost",),
      message="A learning support cost of {ALSCost} is recorded, but the learner is not recorded as a high "
              "needs student (learner funding and monitoring type HNS). Add the HNS record, or remove the "
              "cost.",
      when=filled("ALSCost") & ~has_fam("HNS"))
def als_cost_02(learner):
    return True
