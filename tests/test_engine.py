"""The engine: registry rules, rule failures contained, parallel and sequential runs agree."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from ilrkit.rules.engine import Engine, validate
from ilrkit.rules.registry import DuplicateRule, Rule, registry, rule
from ilrkit.rules.testing import build


def _learners(n: int) -> list[dict]:
    out = []
    for i in range(n):
        uln = "1061484016" if i % 3 else "1061484017"  # every third fails ULN_04
        out.append({"LearnRefNumber": f"L{i}", "ULN": uln,
                    "aims": [{"FundModel": 35 if i % 2 else 99, "fams": {"SOF": "105"}}, {}]})
    return out


def test_duplicate_codes_are_rejected():
    registry()
    with pytest.raises(DuplicateRule):
        rule("ULN_04", entity="Learner", message="x")(lambda learner: False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parallel validation uses fork (Linux only)")
def test_parallel_and_sequential_runs_give_the_same_findings(monkeypatch):
    data = build(_learners(300))
    monkeypatch.setenv("ILRKIT_WORKERS", "1")
    one = validate(data, filename="x.xlsx")
    monkeypatch.setenv("ILRKIT_WORKERS", "2")
    two = validate(data, filename="x.xlsx")
    assert [f.as_dict() for f in one.findings] == [f.as_dict() for f in two.findings]
    assert one.rules_run == two.rules_run and one.summary == two.summary
    assert any(f.rule == "ULN_04" and f.learn_ref == "L0" for f in two.findings)


def test_a_rule_that_raises_is_not_checked_and_others_still_run():
    def broken(learner):
        raise ZeroDivisionError

    bad = Rule("TEST_BROKEN", "error", "learner", "Learner", ("ULN",), "never", broken)
    good = registry()["ULN_04"]
    data = build(_learners(3))
    engine = Engine([bad, good])
    from ilrkit.rules.engine import Context, build_learners
    import datetime as dt

    from ilrkit.rules.reference import EMPTY

    ctx = Context(data, None, EMPTY, dt.date(2026, 1, 15))
    ctx.learners = build_learners(data)
    findings = engine.run(ctx)
    assert engine.failed == {"TEST_BROKEN"}
    assert [f.learn_ref for f in findings if f.rule == "ULN_04"] == ["L0"]


def test_agency_rules_we_do_not_run_are_reported_as_not_checked_with_a_reason():
    report = validate(build(_learners(2)))
    reasons = report.not_checked_reasons
    assert report.summary["rules_not_checked"] == len(reasons) > 0
    lars = [code for code, why in reasons.items() if "LARS" in why]
    assert lars, "rules that need LARS must be listed as not checked"
    assert not set(reasons) & set(report.rules_run)
    assert "ULN_04" in report.rules_run


def test_text_report_explains_rules_not_checked():
    from ilrkit.rules.report import as_text

    text = " ".join(as_text(validate(build(_learners(2)))).split())
    assert "were not checked here" in text and "left out on purpose" in text


def test_reference_tables_from_rows_are_text_frames():
    from ilrkit.rules.reference import ReferenceData

    ref = ReferenceData.from_rows({"LARS": {"LARS_LearningDelivery": [{"LearnAimRef": "ZPROG001", "NotionalNVQLevelv2": 2}]}})
    frame = ref.get("LARS")["LARS_LearningDelivery"]
    assert ref.has("LARS") and not ref.has("Postcodes")
    assert frame.loc[0, "NotionalNVQLevelv2"] == "2" and list(frame.columns) == ["LearnAimRef", "NotionalNVQLevelv2"]


def test_rules_reach_the_validation_context_through_their_learner():
    from ilrkit.rules.engine import Context, build_learners
    from ilrkit.rules.reference import EMPTY
    from ilrkit.rules.testing import build

    data = build([{"LearnRefNumber": "L1", "aims": [{}]}])
    learners = build_learners(data)
    ctx = Context(data, None, EMPTY, dt.date(2026, 1, 15), learners)
    for learner in learners:
        learner.ctx = ctx
    aim = learners[0].aims[0]
    assert aim.ctx is ctx and aim.reference is EMPTY
