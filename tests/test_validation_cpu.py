"""Work the validation no longer repeats: the record views freed without the cyclic collector, the spec and
numbers read once."""

from __future__ import annotations

import gc

from ilrkit.rules import engine
from ilrkit.rules.engine import Context, build_learners, release, validate
from ilrkit.rules.reference import EMPTY
from ilrkit.rules.testing import build, default_today

LEARNERS = [{"aims": [{}, {}], "employment": [{}]} for _ in range(100)]


def _garbage_after_validating(monkeypatch) -> int:
    monkeypatch.setenv("ILRKIT_WORKERS", "1")
    data = build(LEARNERS)
    validate(data, today=default_today())  # the first validation in a process loads the year's rules and packs
    gc.collect()
    gc.disable()
    try:
        validate(data, today=default_today())
        return gc.collect()  # what only the cyclic collector could free
    finally:
        gc.enable()


def test_validating_leaves_no_cyclic_garbage(monkeypatch):
    # a few closures of the rules' own may be left (a handful per validation), never an object per learner
    assert _garbage_after_validating(monkeypatch) < len(LEARNERS)


def test_without_release_the_views_would_be_cyclic_garbage(monkeypatch):
    # the check above can fail: the views hold each other (learner <-> aim, learner <-> context)
    monkeypatch.setattr(engine, "release", lambda ctx: None)
    assert _garbage_after_validating(monkeypatch) > 3 * len(LEARNERS)


def test_release_drops_the_back_references():
    data = build(LEARNERS[:2])
    ctx = Context(data, None, EMPTY, default_today())
    ctx.learners = build_learners(data)
    learner = ctx.learners[0]
    aim, status = learner.aims[0], learner.employment[0]
    ctx.cache["x"] = 1
    release(ctx)
    assert not hasattr(aim, "learner") and not hasattr(status, "learner") and not hasattr(learner, "aims")
    assert ctx.learners == [] and ctx.cache == {}


def test_context_spec_is_the_data_years_and_follows_the_data(monkeypatch):
    data = build(LEARNERS[:1])
    ctx = Context(data, None, EMPTY, default_today())
    assert ctx.spec is data.spec
    calls = []
    looked_up = type(data).spec.fget
    monkeypatch.setattr(type(data), "spec", property(lambda self: calls.append(1) or looked_up(self)))
    ctx.cache.clear()
    for _ in range(5):
        ctx.spec
    assert len(calls) == 1  # looked up once, however often rules ask
    later = build(LEARNERS[:1], year="2026-27")
    ctx.data = later
    assert ctx.spec.year == "2026-27"


def test_as_int_reads_each_text_once_and_answers_as_before():
    from ilrkit.rules.values import as_int

    cases = {"36": 36, " 12 ": 12, "+5": 5, "-3": -3, "007": 7, "1.5": None, "x": None, "": None, None: None,
             "9" * 101: None}
    for text, number in cases.items():
        assert as_int(text) == number, text
    as_int.cache_clear()
    for _ in range(3):
        as_int("25")
    assert as_int.cache_info().hits == 2 and as_int.cache_info().misses == 1


def _render_every_value(template: str, values: dict, field=None) -> str:
    """The message as render_message made it before it wrote out only the values the template names."""
    from ilrkit.rules.engine import _FORMATTER, _SafeValues, _shown, uk_dates

    safe = _SafeValues({k: ("(blank)" if v is None else _shown(k, v, field)) for k, v in values.items()
                        if not k.startswith("_")})
    template = uk_dates(template)
    try:
        return _FORMATTER.vformat(template, (), safe)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def test_messages_are_rendered_as_when_every_value_was_written_out():
    import datetime as dt

    from ilrkit.rules.engine import render_message
    from ilrkit.rules.registry import load_all, registry

    load_all()
    row = {"LearnStartDate": "2024-09-01", "DateOfBirth": "2001-02-03", "value": "2025-13-01", "AimSeqNumber": "3",
           "FundModel": "36", "ULN": "1234567890", "LearnAimRef": "ZPROG001", "age": 15, "when": dt.date(2025, 1, 2),
           "stamp": dt.datetime(2025, 1, 2, 10, 30), "count": 2, "_id": 7, "Other": "2020-01-01", "empty": None}
    templates = [r.message for r in registry().values()] + [
        "Started {LearnStartDate} before 2023-08-01 {value!r} {Other[0]} {{literal}} {missing}", "{count:{width}}",
        "bad {", "{} {0}", "{value:>12}", "{LearnAimRef.lower}", "{when} {stamp} {empty} {_id}"]
    assert len(templates) > 600
    for template in templates:
        for field in (None, "LearnStartDate", "ULN"):
            assert render_message(template, row, field) == _render_every_value(template, row, field), template


def test_template_names_the_values_a_message_reads():
    from ilrkit.rules.engine import _template

    text, names = _template("Aim {AimSeqNumber} started {LearnStartDate:>10} (after 2023-08-01) {row.x} {y[0]} {{z}}")
    assert text == "Aim {AimSeqNumber} started {LearnStartDate:>10} (after 01/08/2023) {row.x} {y[0]} {{z}}"
    assert names == {"AimSeqNumber", "LearnStartDate", "row", "y"}
    assert _template("{a:{width}}")[1] is None and _template("broken {")[1] is None
