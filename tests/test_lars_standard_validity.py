"""The LARS_StandardValidity look-up appended to ilrkit.rules.lars for StdCode_02."""

from __future__ import annotations

import datetime as dt

from ilrkit.rules import lars
from ilrkit.rules.engine import Context, build_learners
from ilrkit.rules.reference import ReferenceData
from ilrkit.rules.testing import build


def _ctx(tables: dict):
    data = build([{"LearnRefNumber": "L1", "aims": [{"LearnAimRef": "ZPROG001"}]}])
    ctx = Context(data, None, ReferenceData.from_rows({"LARS": tables}), dt.date(2026, 1, 15))
    ctx.learners = build_learners(data)
    return ctx


def test_standard_validities_are_found_by_code_however_it_is_written():
    ctx = _ctx({"LARS_StandardValidity": [
        {"StandardCode": "101", "ValidityCategory": "apprenticeships", "StartDate": "2019-01-01",
         "LastNewStartDate": "2026-07-31", "EndDate": None},
        {"StandardCode": "102", "ValidityCategory": "APPRENTICESHIPS", "StartDate": "01/08/2020"}]})
    found = lars.standard_validities(ctx, " 0101")
    assert len(found) == 1 and found[0].category == "APPRENTICESHIPS"
    assert found[0].start == dt.date(2019, 1, 1) and found[0].end is None
    assert found[0].last_new_start == dt.date(2026, 7, 31)
    assert lars.standard_validities(ctx, 102)[0].start == dt.date(2020, 8, 1)
    assert lars.standard_validities(ctx, "103") == []


def test_a_set_without_standard_validity_reads_as_empty():
    assert lars.standard_validities(_ctx({"LARS_LearningDelivery": [{"LearnAimRef": "ZPROG001"}]}), "101") == []
