"""The server's real answers for the add-in's JavaScript tests (addin/js-tests/server-answers.json).

Each scenario names a workbook payload as Office.js sends it ("payloads"), the script it is posted to, and the
JSON the /xlwings router answers with (a download's file content left out). The node tests build a mock workbook from the payload, apply the answer's actions
with ilrkit.js and check the workbook; test_js_fixture.py checks this file still matches what the server sends.
Refresh it after changing the Python side:

    python tests/addin/js_fixture.py
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import sys
import tempfile
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "addin" / "js-tests" / "server-answers.json"
# The dropdown lists sheet is large and plays no part in what the scripts change.
LEFT_OUT = ("Lists",)


def _client():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ilrkit.addin.webapp import router

    app = FastAPI()
    app.include_router(router, prefix="/xlwings")
    return TestClient(app)


def _payload(path: Path) -> dict:
    from ilrkit.addin.remote import payload_from_workbook

    payload = payload_from_workbook(path)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] not in LEFT_OUT]
    return payload


def _answer(client, script: str, payload: dict, **extra) -> dict:
    answer = client.post(f"/xlwings/{script}", json={"book": copy.deepcopy(payload), **extra}).json()
    answer.pop("download", None)  # a file for the browser to save: no workbook change
    return answer


def _shown(value):
    """A cell's value as Excel reports it once written: a link shows its label, a leading ' is not part of text."""
    if isinstance(value, str):
        link = re.fullmatch(r'=HYPERLINK\(".*","(.*)"\)', value)
        if link:
            return link.group(1).replace('""', '"')
        if value.startswith("'"):
            return value[1:]
    return value


def _after_validate(payload: dict, answer: dict) -> dict:
    """The payload Office.js sends once the first Validate's answer has been applied (our sheets and notes)."""
    from ilrkit.addin.plan import ERRORS_SHEET, MARKS_SHEET

    values = [[[_shown(v) for v in row] for row in a["values"]] for a in answer["actions"] if a["func"] == "setValues"]
    notes = {}
    for a in answer["actions"]:
        if a["func"] == "addNote":
            notes.setdefault(a["sheet_position"], []).append({"address": a["args"][0]})
    state = copy.deepcopy(payload)
    for position, added in notes.items():
        state["sheets"][position]["notes"] += added
    state["sheets"].insert(0, {"name": ERRORS_SHEET, "values": values[0], "visibility": "Visible", "notes": []})
    state["sheets"].append({"name": MARKS_SHEET, "values": values[1], "visibility": "Hidden", "notes": []})
    return state


def scenarios() -> dict:
    """Every script with the workbook states that make it send each kind of action."""
    sys.path.insert(0, str(Path(__file__).parent))
    from addin_helpers import learners

    from ilrkit.converter.xml_writer import render_xml
    from ilrkit.rules.testing import build
    from ilrkit.templates.workbook_writer import write_workbook

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    client = _client()
    with tempfile.TemporaryDirectory(prefix="ilrkit-js-") as tmp:
        path = Path(tmp) / "ilr.xlsx"
        write_workbook(path, data=build(learners()))
        fresh = _payload(path)
    first = _answer(client, "validate", fresh)
    validated = _after_validate(fresh, first)
    xml = base64.b64encode(render_xml(build(learners(4, bad=()))).encode()).decode()
    payloads = {"fresh": fresh, "validated": validated}
    wanted = [  # name, script, workbook state, extra body fields
        ("validate", "validate", "fresh", {}),
        ("validate again", "validate", "validated", {}),
        ("clear", "clear", "validated", {}),
        ("clear, nothing to clear", "clear", "fresh", {}),
        ("export asks", "export", "fresh", {}),
        ("import asks", "import", "fresh", {"xml_base64": xml, "xml_name": "ILR.xml"}),
        ("import", "import", "validated", {"xml_base64": xml, "xml_name": "ILR.xml", "confirmed": True}),
        ("new template", "new-template", "fresh", {}),
    ]
    return {"payloads": payloads,
            "scenarios": [{"name": name, "script": script, "payload": state,
                           "answer": first if name == "validate" else _answer(client, script, payloads[state], **extra)}
                          for name, script, state, extra in wanted]}


def signature(fixture: dict) -> list:
    """What must not drift between the fixture and the server: each answer's action kinds and argument shapes
    (not the values, which depend on the rules and on today's date)."""
    def shape(value):
        if isinstance(value, list):
            return "list"
        return type(value).__name__

    return [(s["name"], s["answer"].get("ok"), "question" in s["answer"],
             sorted({(a["func"], tuple(shape(v) for v in a["args"]), a["values"] is not None)
                     for a in s["answer"].get("actions", [])}))
            for s in fixture["scenarios"]]


def write(path: Path = FIXTURE) -> Path:
    path.write_text(json.dumps(scenarios(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write()}")
