"""Learning difficulty, disability and health problem: the learner's answer (LLDDHealthProb), the
category records that go with it, and which record is primary."""

from __future__ import annotations

import datetime as dt
from functools import cache

from ilrkit.rules.learner._common import all_community_learning
from ilrkit.rules.registry import ERROR, Hit, rule
from ilrkit.rules.year import spec_of
from ilrkit.schemas import load_spec

PRIMARY_FROM = dt.date(2015, 8, 1)


@cache
def _category_valid_to(year: str) -> dict[str, dt.date]:
    codes = load_spec(year).codelist("LLDDandHealthProblem.LLDDCat")
    return {c.code: c.valid_to for c in (codes.codes if codes else ()) if c.valid_to is not None}


def _primary(learner) -> list[dict]:
    return [r for r in learner.lldd if r.get("PrimaryLLDD") == "1"]


def _aged_25_at_first_start(learner) -> bool:
    age = learner.age_on(learner.earliest_start)
    return age is not None and age >= 25


@rule("LLDDCat_02", severity=ERROR, entity="LLDDandHealthProblem", scope="learner", fields=("LLDDCat",),
      message="The LLDD and health problem category {LLDDCat} could only be used up to {valid_to}, but the "
              "learner's first aim starts on {first_start}. Choose one of the current categories.")
def lldd_cat_02(learner):
    first = learner.earliest_start
    if first is None or not learner.lldd:
        return None
    valid_to = _category_valid_to(spec_of(learner).year)
    hits = []
    for row in learner.lldd:
        last = valid_to.get(row.get("LLDDCat"))
        if last is not None and first > last:
            hits.append(Hit(record=row, field="LLDDCat", entity="LLDDandHealthProblem",
                            values={"valid_to": last.isoformat(), "first_start": first.isoformat()}))
    return hits


@rule("LLDDHealthProb_04", severity=ERROR, entity="Learner", fields=("LLDDHealthProb",),
      message="The learner is recorded as having no learning difficulty, disability or health problem "
              "(LLDDHealthProb 2), but LLDD and health problem records are given. Change LLDDHealthProb to 1 "
              "if the records are right, or delete the records.")
def lldd_health_prob_04(learner):
    return learner["LLDDHealthProb"] == "2" and bool(learner.lldd)


@rule("LLDDHealthProb_06", severity=ERROR, entity="Learner", fields=("LLDDHealthProb",),
      message="The learner is recorded as having a learning difficulty, disability or health problem "
              "(LLDDHealthProb 1), but no LLDD and health problem record says which. Add at least one record "
              "with its category, or check LLDDHealthProb.")
def lldd_health_prob_06(learner):
    if learner["LLDDHealthProb"] != "1" or learner.lldd:
        return False
    # community learning and non-funded aims, and learners aged 25 or over at their first start, are let off
    return not (any(a.fund_model in (10, 99) for a in learner.aims) or _aged_25_at_first_start(learner))


@rule("LLDDHealthProb_07", severity=ERROR, entity="Learner", fields=("LLDDHealthProb",),
      message="The learner is recorded as having a learning difficulty, disability or health problem "
              "(LLDDHealthProb 1), but no LLDD and health problem record says which. Community learning "
              "learners with more than 10 planned hours need one: add a record with its category.")
def lldd_health_prob_07(learner):
    if learner["LLDDHealthProb"] != "1" or learner.lldd or not learner.aims:
        return False
    hours = learner.int("PlanLearnHours")
    if hours is None or hours <= 10 or not all_community_learning(learner):
        return False
    return not _aged_25_at_first_start(learner)


@rule("PrimaryLLDD_01", severity=ERROR, entity="LLDDandHealthProblem", scope="learner", fields=("PrimaryLLDD",),
      message="None of the learner's LLDD and health problem records is marked as the primary one. Set "
              "PrimaryLLDD to 1 on the record that affects the learner most.")
def primary_lldd_01(learner):
    first = learner.earliest_start
    if not learner.lldd or first is None or first < PRIMARY_FROM or _primary(learner):
        return None
    return Hit(record=learner.lldd[0], field="PrimaryLLDD", entity="LLDDandHealthProblem")


@rule("PrimaryLLDD_03", severity=ERROR, entity="LLDDandHealthProblem", scope="learner", fields=("PrimaryLLDD",),
      message="{count} of the learner's LLDD and health problem records are marked as primary; only one may "
              "be. Keep PrimaryLLDD 1 on the record that affects the learner most and clear it on the others.")
def primary_lldd_03(learner):
    primary = _primary(learner)
    if len(primary) < 2:
        return None
    return [Hit(record=r, field="PrimaryLLDD", entity="LLDDandHealthProblem", values={"count": len(primary)})
            for r in primary[1:]]


@rule("PrimaryLLDD_04", severity=ERROR, entity="LLDDandHealthProblem", scope="learner", fields=("PrimaryLLDD",),
      message="The learner has one LLDD and health problem record (category {LLDDCat}), so it must be marked "
              "as the primary one: set PrimaryLLDD to 1.")
def primary_lldd_04(learner):
    if len(learner.lldd) != 1 or learner.lldd[0].get("PrimaryLLDD") is not None:
        return None
    return Hit(record=learner.lldd[0], field="PrimaryLLDD", entity="LLDDandHealthProblem")
