"""The xlwings Server router: manifest (well-formed, https only, every button wired) and the scripts."""

import base64
import re
from importlib import resources

import pytest
from addin_helpers import learners
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree

from ilrkit.addin.remote import payload_from_workbook
from ilrkit.addin.webapp import BUTTONS, router
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules.testing import build

NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
      "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
      "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("ILRKIT_PUBLIC_URL", "https://ilr.example.org/tools")
    app = FastAPI()
    app.include_router(router, prefix="/xlwings")
    return TestClient(app, base_url="http://internal:8000")


def _js():
    return resources.files("ilrkit.addin").joinpath("static", "ilrkit.js").read_text()


def test_manifest_is_well_formed_and_all_https(client):
    doc = etree.fromstring(client.get("/xlwings/manifest.xml").content)
    urls = [v for el in doc.iter() for k, v in el.attrib.items() if v.startswith(("http:", "https:"))]
    urls += [el.text for el in doc.iter() if isinstance(el.tag, str) and (el.text or "").startswith("http")]
    assert urls and all(u.startswith("https://") for u in urls)
    assert any(u.startswith("https://ilr.example.org/tools/xlwings/taskpane.html") for u in urls)
    for url in urls:  # every page and icon the manifest names is served by the router
        if "/tools/" in url:
            path = url.split("ilr.example.org/tools", 1)[1].split("?")[0]
            assert client.get(path).status_code == 200, path


def test_every_button_maps_to_a_defined_function(client):
    doc = etree.fromstring(client.get("/xlwings/manifest.xml").content)
    controls = doc.findall(".//ov:Control", NS)
    labels = {s.get("id"): s.get("DefaultValue") for s in doc.findall(".//bt:String", NS)}
    assert {labels[c.find("ov:Label", NS).get("resid")] for c in controls} == {b[1] for b in BUTTONS}
    js = _js()
    functions = dict(re.findall(r"(\w+): \"([\w-]+)\"", js.split("var RIBBON_FUNCTIONS =")[1].split(";")[0]))
    scripts = re.findall(r'"([\w-]+)"', js.split("var SCRIPTS =")[1].split(";")[0])
    urls = {u.get("id"): u.get("DefaultValue") for u in doc.findall(".//bt:Url", NS)}
    routes = {r.path for r in router.routes}
    for control in controls:
        action = control.find("ov:Action", NS)
        kind = action.get(f"{{{NS['xsi']}}}type")
        if kind == "ExecuteFunction":
            name = action.find("ov:FunctionName", NS).text
            assert name in functions and f"/{functions[name]}" in routes
        else:
            url = urls[action.find("ov:SourceLocation", NS).get("resid")]
            wanted = url.split("action=")[1]
            assert wanted in scripts and f"/{wanted}" in routes
    taskpane = client.get("/xlwings/taskpane.html").text
    assert all(f'id="btn-{name}"' in taskpane for name in scripts)


def test_scripts_answer_with_actions(client, remote, workbook):
    payload = payload_from_workbook(workbook)
    answer = client.post("/xlwings/validate", json={"book": payload}).json()
    assert answer["ok"] and "error" in answer["message"]
    assert {"setRangeColor", "addNote", "addSheet", "setValues"} <= {a["func"] for a in answer["actions"]}
    answer = client.post("/xlwings/export", json={"book": payload_from_workbook(workbook)}).json()
    assert "question" in answer and answer["actions"] == []
    answer = client.post("/xlwings/import", json={
        "book": payload_from_workbook(workbook), "confirmed": True,
        "xml_base64": base64.b64encode(render_xml(build(learners(2))).encode()).decode()}).json()
    assert answer["ok"] and "Imported 2 learners" in answer["message"]
    answer = client.post("/xlwings/new-template", json={"book": payload}).json()
    assert base64.b64decode(answer["download"]["content_base64"]).startswith(b"PK")


def test_bad_requests_get_clear_messages(client, remote, workbook, monkeypatch):
    assert client.post("/xlwings/validate", content=b"nonsense").status_code == 400
    answer = client.post("/xlwings/validate", json={"book": {"sheets": "no"}}).json()
    assert not answer["ok"] and "Reload" in answer["message"]
    answer = client.post("/xlwings/import", json={"book": payload_from_workbook(workbook), "xml_base64": "!!"}).json()
    assert not answer["ok"] and "Choose the ILR XML file again" in answer["message"]
    monkeypatch.delenv("XLWINGS_LICENSE_KEY")
    answer = client.post("/xlwings/clear", json={"book": payload_from_workbook(workbook)}).json()
    assert not answer["ok"] and "licence key" in answer["message"]


def test_ribbon_buttons_have_a_dialog_page_for_their_outcome(client):
    """Validate and Clear run from the ribbon without the task pane: ilrkit.js opens message.html to say what
    happened (addin/js-tests check the script's side)."""
    page = client.get("/xlwings/message.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="ilrkit.js"' in page.text and 'id="message"' in page.text and 'id="message-ok"' in page.text
    assert "message.html" in _js() and "displayDialogAsync" in _js()
