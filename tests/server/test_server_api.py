"""The HTTP API under FastAPI's TestClient: answers, authentication, bad uploads, limits, logs, clean-up."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ilrkit.converter.io import load
from ilrkit.server.app import create_app
from ilrkit.rules.engine import validate
from ilrkit.rules.report import as_json

from server_helpers import AUTH, SECRET, TOKEN, XML_NAME, make_settings


def post(client, path, file, name=None, **kw):
    with open(file, "rb") as fh:
        return client.post(path, files={"file": (name or file.name, fh)}, headers=kw.pop("headers", AUTH), **kw)


def assert_error(response, status, *words):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("error"), str) and len(body["error"]) > 20
    for word in words:
        assert word.lower() in body["error"].lower(), body["error"]
    assert "Traceback" not in response.text
    return body


def assert_empty(folder):
    left = sorted(p.name for p in folder.rglob("*"))
    assert left == [], f"left behind in the server's temporary folder: {left}"


# ----------------------------------------------------------------------------------------- the answers

def test_healthz_and_docs_need_no_token(client):
    assert client.get("/healthz").json() == {"status": "ok", "version": client.get("/healthz").json()["version"],
                                             "auth": True}
    spec = client.get("/openapi.json").json()
    for path in ("/v1/validate", "/v1/convert", "/v1/annotate", "/v1/batch", "/v1/rules", "/healthz"):
        assert path in spec["paths"]
    body = spec["paths"]["/v1/validate"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["properties"]["file"]["format"] == "binary"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text
    assert client.get("/static/docs.js").status_code == 200


def test_validate_gives_the_json_of_ilr_validate(client, files, scratch):
    response = post(client, "/v1/validate", files.errors)
    assert response.status_code == 200
    expected = json.loads(as_json(validate(load(files.errors))))
    assert response.json() == expected
    assert response.json()["summary"]["errors"] > 0
    assert response.headers["X-ILR-Errors"] == str(expected["summary"]["errors"])
    assert any(f["sheet"] and f["row"] and f["column"] for f in response.json()["findings"])
    assert_empty(scratch)


def test_validate_csv_and_xml_input(client, files):
    response = post(client, "/v1/validate", files.errors, params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "Error/Warning" and len(rows) > 1
    response = post(client, "/v1/validate", files.xml)
    assert response.status_code == 200
    assert response.json()["summary"]["learners"] == 2


def test_convert_returns_the_xml_named_as_the_agency_requires(client, files, scratch):
    response = post(client, "/v1/convert", files.clean)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    name = re.search(r'filename="([^"]+)"', response.headers["content-disposition"]).group(1)
    assert re.fullmatch(XML_NAME, name)
    assert response.content.startswith(b"<?xml") and b"<Learner>" in response.content
    assert response.headers["X-ILR-Errors"] == "0" and response.headers["X-ILR-Written"] == "true"
    assert json.loads(response.headers["X-ILR-Summary"])["learners"] == 2
    assert_empty(scratch)


def test_convert_serial_and_multipart_report(client, files):
    with open(files.errors, "rb") as fh:
        response = client.post("/v1/convert", files={"file": ("errors.xlsx", fh)}, data={"serial": "7"},
                               headers={**AUTH, "Accept": "multipart/form-data"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert re.fullmatch(XML_NAME.replace(r"-01\.xml", r"-07\.xml"), response.headers["X-ILR-Filename"])
    parts = _multipart(response)
    report = json.loads(parts["report"])
    assert report["summary"]["errors"] > 0 and report["file"] == "errors.xlsx"
    assert parts["xml"].startswith(b"<?xml")
    bad = post(client, "/v1/convert", files.clean, params={"serial": "x1"})
    assert_error(bad, 400, "serial")


def _multipart(response) -> dict:
    import email.parser
    import email.policy

    raw = b"Content-Type: " + response.headers["content-type"].encode() + b"\r\n\r\n" + response.content
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()}


def test_convert_blocked_gives_422_with_the_findings(client, files, scratch):
    body = assert_error(post(client, "/v1/convert", files.blocked), 422, "schema")
    if "report" in body:  # stopped by the rules (FD_/ILR_), with every finding to show
        assert any(f["rule"].startswith(("FD_", "ILR_")) for f in body["report"]["findings"])
    assert_empty(scratch)


def test_annotate_returns_a_marked_copy(client, files, scratch):
    response = post(client, "/v1/annotate", files.errors)
    assert response.status_code == 200, response.text
    assert 'filename="errors-annotated.xlsx"' in response.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Learners" in wb.sheetnames and len(wb.sheetnames) > len(openpyxl.load_workbook(files.errors).sheetnames)
    assert int(response.headers["X-ILR-Errors"]) > 0
    assert_error(post(client, "/v1/annotate", files.xml), 422, "workbook")
    assert_empty(scratch)


def test_rules(client):
    rules = client.get("/v1/rules", headers=AUTH).json()
    assert len(rules) > 100 and {"code", "severity", "message"} <= set(rules[0])
    one = client.get("/v1/rules", params={"code": "uln_04"}, headers=AUTH).json()
    assert [r["code"] for r in one] == ["ULN_04"]
    assert_error(client.get("/v1/rules", params={"code": "NOPE_99"}, headers=AUTH), 404, "no rule")


# ----------------------------------------------------------------------------------------- batch

def _zip(entries: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_batch_converts_a_zip_and_one_bad_workbook_does_not_stop_the_others(client, files, scratch):
    archive = _zip({"a/clean.xlsx": files.clean.read_bytes(), "b/errors.xlsx": files.errors.read_bytes(),
                    "broken.xlsx": files.corrupt.read_bytes(), "blocked.xlsx": files.blocked.read_bytes(),
                    "readme.txt": b"hello", "__MACOSX/._clean.xlsx": b"junk"})
    response = client.post("/v1/batch", files={"file": ("wbs.zip", archive, "application/zip")}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = zf.namelist()
        summary = list(csv.DictReader(io.StringIO(zf.read("summary.csv").decode("utf-8"))))
    xmls = [n for n in names if n.startswith("xml/")]
    assert len(xmls) == 2 and all(re.fullmatch("xml/" + XML_NAME, n) for n in xmls)
    assert "annotated/errors-annotated.xlsx" in names
    by_name = {row["Workbook"]: row for row in summary}
    assert by_name["clean.xlsx"]["Result"] == "converted"
    assert by_name["errors.xlsx"]["Result"] == "converted with errors"
    assert by_name["broken.xlsx"]["Result"] == "unusable" and "damaged" in by_name["broken.xlsx"]["What to do"]
    assert by_name["blocked.xlsx"]["XML file"] == ""
    assert by_name["readme.txt"]["Result"] == "skipped"
    assert response.headers["X-ILR-Workbooks"] == "4"
    assert_empty(scratch)


@pytest.mark.parametrize("entries, status, word", [
    ({"../evil.xlsx": b"PK"}, 400, "outside"),
    ({"/etc/evil.xlsx": b"PK"}, 400, "absolute"),
    ({f"w{i}.xlsx": b"x" for i in range(6)}, 413, "at most"),
])
def test_batch_refuses_unsafe_zips(scratch, entries, status, word):
    with TestClient(create_app(make_settings(scratch, max_zip_members=5))) as c:
        response = c.post("/v1/batch", files={"file": ("w.zip", _zip(entries), "application/zip")}, headers=AUTH)
    assert_error(response, status, word)
    assert_empty(scratch)


def test_batch_refuses_zip_bombs_and_oversized_expansion(scratch):
    bomb = _zip({"bomb.xlsx": b"\0" * (20 * 1024 * 1024)})  # 20 MB of zeros packs ~1000 times over
    with TestClient(create_app(make_settings(scratch))) as c:
        assert_error(c.post("/v1/batch", files={"file": ("b.zip", bomb)}, headers=AUTH), 400, "compressed")
    with TestClient(create_app(make_settings(scratch, max_zip_total_bytes=1024 * 1024))) as c:
        big = _zip({"big.xlsx": b"\0" * (2 * 1024 * 1024)}, compression=zipfile.ZIP_STORED)
        assert_error(c.post("/v1/batch", files={"file": ("b.zip", big)}, headers=AUTH), 413, "expand")
    assert_empty(scratch)


def test_batch_needs_a_zip_of_workbooks(client, files, scratch):
    assert_error(post(client, "/v1/batch", files.text), 415, "zip")
    response = client.post("/v1/batch", files={"file": ("n.zip", _zip({"a.txt": b"x"}))}, headers=AUTH)
    assert_error(response, 422, "no workbooks")
    assert_error(client.post("/v1/batch", files={"file": ("c.zip", b"PK\x03\x04broken")}, headers=AUTH), 422,
                 "zip")
    assert_empty(scratch)


# ----------------------------------------------------------------------------------------- authentication

@pytest.mark.parametrize("headers, word", [
    ({}, "needs an API token"),
    ({"Authorization": "Bearer not-the-right-token-at-all"}, "not one this server knows"),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, "needs an API token"),
])
def test_every_v1_call_needs_a_known_token(client, files, headers, word):
    for method, path in (("post", "/v1/validate"), ("post", "/v1/convert"), ("post", "/v1/annotate"),
                         ("post", "/v1/batch"), ("get", "/v1/rules")):
        if method == "post":
            response = post(client, path, files.clean, headers=headers)
        else:
            response = client.get(path, headers=headers)
        body = assert_error(response, 401, word)
        assert "WWW-Authenticate" in response.headers and "report" not in body


def test_bare_token_header_is_accepted_for_xlwings(client, files):
    assert post(client, "/v1/validate", files.clean, headers={"Authorization": TOKEN}).status_code == 200


def test_dev_mode_needs_no_token(scratch, files):
    with TestClient(create_app(make_settings(scratch, dev=True, token_hashes=frozenset()))) as c:
        assert c.get("/healthz").json()["auth"] is False
        assert post(c, "/v1/validate", files.clean, headers={}).status_code == 200


def test_no_tokens_and_not_dev_refuses_to_start(scratch):
    from ilrkit.server.settings import SettingsError

    with pytest.raises(SettingsError, match="ilr token"):
        create_app(make_settings(scratch, token_hashes=frozenset()))


# ----------------------------------------------------------------------------------------- bad uploads

def test_bad_uploads_get_a_4xx_json_error_that_says_what_is_wrong(client, files, scratch):
    assert_error(post(client, "/v1/validate", files.text), 415, "neither an Excel workbook")
    assert_error(post(client, "/v1/validate", files.corrupt), 422, "damaged")
    assert_error(post(client, "/v1/validate", files.wrong_year), 422, "2019-20")
    assert_error(post(client, "/v1/validate", files.old_xls), 422, ".xls")
    assert_error(client.post("/v1/validate", headers=AUTH, data={"serial": "01"}), 400, "no file")
    assert_error(client.post("/v1/validate", headers=AUTH, files={"file": ("e.xlsx", b"")}), 400, "empty")
    assert_error(client.post("/v1/validate", headers={**AUTH, "Content-Type": "text/plain"}, content=b"hi"), 415,
                 "form upload")
    two = [("file", ("a.xlsx", b"PK")), ("file", ("b.xlsx", b"PK"))]
    assert_error(client.post("/v1/validate", headers=AUTH, files=two), 400, "exactly one file")
    assert_error(client.post("/v1/validate", headers={**AUTH, "Content-Type": "multipart/form-data; boundary=x"},
                             content=b"--x\r\nnonsense"), 400, "")
    assert_empty(scratch)


def test_raw_body_upload(client, files):
    response = client.post("/v1/validate", content=files.errors.read_bytes(),
                           headers={**AUTH, "Content-Type": "application/octet-stream", "X-Filename": "mine.xlsx"})
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "mine.xlsx"
    # an XML file sent without a name: its stand-in name is not checked against the agency's naming rules
    response = client.post("/v1/validate", content=files.xml.read_bytes(),
                           headers={**AUTH, "Content-Type": "application/xml"})
    assert response.status_code == 200, response.text
    assert response.json()["file"] is None
    assert not [f for f in response.json()["findings"] if f["rule"].startswith("Filename")]


def test_upload_size_limit(scratch, files):
    settings = make_settings(scratch, max_upload_bytes=10 * 1024)
    with TestClient(create_app(settings)) as c:
        assert_error(post(c, "/v1/validate", files.clean), 413, "larger than")

        def chunks():  # no Content-Length: the limit is enforced while streaming
            for _ in range(40):
                yield b"\0" * 1024

        response = c.post("/v1/validate", content=chunks(), headers={**AUTH, "Content-Type":
                                                                     "application/octet-stream"})
        assert_error(response, 413, "larger than")
    assert_empty(scratch)


def test_upload_limit_comes_from_the_environment():
    from ilrkit.server.settings import Settings, SettingsError

    s = Settings.from_env({"ILRKIT_TOKENS": TOKEN, "ILRKIT_MAX_UPLOAD_MB": "3", "ILRKIT_MAX_ZIP_MEMBERS": "7"})
    assert s.max_upload_bytes == 3 * 1024 * 1024 and s.max_zip_members == 7 and s.check_token(TOKEN)
    assert Settings.from_env({}).max_upload_bytes == 50 * 1024 * 1024
    with pytest.raises(SettingsError, match="whole number"):
        Settings.from_env({"ILRKIT_MAX_UPLOAD_MB": "lots"})
    with pytest.raises(SettingsError, match="too short"):
        Settings.from_env({"ILRKIT_TOKENS": "abc"})
    with pytest.raises(SettingsError, match="exact origins"):
        Settings.from_env({"ILRKIT_CORS_ORIGINS": "*"})


def test_path_traversal_in_the_file_name_stays_inside(client, files, scratch):
    response = post(client, "/v1/validate", files.clean, name="../../../../tmp/evil.xlsx")
    assert response.status_code == 200 and response.json()["file"] == "evil.xlsx"
    assert_empty(scratch)


# ----------------------------------------------------------------------------------------- no data kept or logged

def test_internal_errors_are_500_json_logged_by_type_only(scratch, files, log_records, monkeypatch):
    import ilrkit.server.app as server_app

    def explode(upload, ws, fmt):
        raise RuntimeError(f"boom with learner {SECRET}")

    monkeypatch.setattr(server_app, "_do_validate", explode)
    with TestClient(create_app(make_settings(scratch))) as c:
        response = post(c, "/v1/validate", files.errors)
    body = assert_error(response, 500, "internal problem")
    assert SECRET not in body["error"]
    text = "\n".join(r.getMessage() + (str(r.exc_info) if r.exc_info else "") for r in log_records.records)
    assert "RuntimeError" in text and SECRET not in text
    assert_empty(scratch)


def test_learner_data_never_reaches_the_log(client, files, log_records):
    for path in ("/v1/validate", "/v1/convert", "/v1/annotate"):
        post(client, path, files.errors)
    post(client, "/v1/convert", files.blocked)
    messages = [r.getMessage() for r in log_records.records]
    assert any(m.startswith("POST /v1/validate 200") for m in messages)
    assert not [m for m in messages if SECRET in m or "L2" in m.split()]


def test_security_headers_and_no_cors_by_default(client):
    page = client.get("/")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"
    preflight = client.options("/v1/validate", headers={"Origin": "https://evil.example",
                                                        "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_when_configured(scratch):
    settings = make_settings(scratch, cors_origins=("https://mis.example.org",))
    with TestClient(create_app(settings)) as c:
        ok = c.options("/v1/validate", headers={"Origin": "https://mis.example.org",
                                                "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "authorization"})
        assert ok.headers.get("access-control-allow-origin") == "https://mis.example.org"
        other = c.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_unknown_addresses_and_methods(client):
    assert_error(client.get("/v1/nothing", headers=AUTH), 404, "nothing at this address")
    assert_error(client.get("/v1/validate", headers=AUTH), 405, "not allowed")


# ----------------------------------------------------------------------------------------- the add-in's routes

def test_addin_routes_are_mounted_when_installed(client):
    try:
        import ilrkit.addin.webapp  # noqa: F401
    except ImportError:
        pytest.skip("ilrkit.addin.webapp is not installed yet")
    assert client.app.state.addin_mounted
    assert "/xlwings/manifest.xml" in client.get("/openapi.json").json()["paths"]
    assert client.get("/xlwings/manifest.xml").status_code == 200  # Office loads these without a token
    assert client.get("/xlwings/taskpane.html").status_code == 200
    assert_error(client.post("/xlwings/validate", json={}), 401, "token")  # sending a workbook needs one
    assert client.post("/xlwings/validate", json={}, headers=AUTH).status_code != 401
