"""The add-in's JavaScript tests (addin/js-tests, `npm test`) apply the server's recorded answers
(server-answers.json): they must still be what the server sends, and ilrkit.js must handle every action in them."""

import json
import re
from importlib import resources

import js_fixture
import pytest


@pytest.fixture(scope="module")
def recorded():
    return json.loads(js_fixture.FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def current():
    """What the server sends now, for the same scenarios."""
    return js_fixture.scenarios()


def _handlers() -> set[str]:
    js = resources.files("ilrkit.addin").joinpath("static", "ilrkit.js").read_text()
    block = js.split("var HANDLERS = {", 1)[1].split("\n};", 1)[0]
    return set(re.findall(r"^  (\w+): async function", block, re.M))


def test_recorded_answers_match_what_the_server_sends(recorded, current):
    fresh = current
    assert js_fixture.signature(recorded) == js_fixture.signature(fresh), (
        "The server's answers changed: run 'python tests/addin/js_fixture.py' and then 'npm test' in addin/.")
    assert recorded["payloads"]["fresh"] == fresh["payloads"]["fresh"]
    names = {key: [s["name"] for s in p["sheets"]] for key, p in recorded["payloads"].items()}
    assert names == {key: [s["name"] for s in p["sheets"]] for key, p in fresh["payloads"].items()}


def test_every_action_the_server_sends_has_a_handler(current):
    sent = {a["func"] for s in current["scenarios"] for a in s["answer"].get("actions", [])}
    assert sent and sent <= _handlers(), sorted(sent - _handlers())
    assert _handlers() <= sent, "a handler no server answer uses: record an answer that does, or remove it"


def test_handlers_are_read_from_the_script():
    assert {"setValues", "deleteNote", "sheetDelete", "activateSheet"} <= _handlers()
