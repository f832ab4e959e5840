"""The add-in's routes (/xlwings/*) refuse a request body past the limit before parsing it as JSON."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ilrkit.addin import webapp
from ilrkit.server.settings import Settings

LIMIT = 64 * 1024


@pytest.fixture
def client():
    app = FastAPI()
    app.include_router(webapp.router, prefix="/xlwings")
    app.state.settings = SimpleNamespace(max_addin_bytes=LIMIT)
    return TestClient(app)


@pytest.fixture
def no_parsing(monkeypatch):
    """JSON parsing that fails the test: a body over the limit must never reach it."""
    def loads(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(webapp, "json", SimpleNamespace(loads=loads))


def _big_body() -> bytes:
    return json.dumps({"book": {"sheets": [{"values": [["x" * 1000] * 10] * 10}]}}).encode()


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_parsed(client, no_parsing):
    body = _big_body()
    assert len(body) > LIMIT
    for route in ("validate", "clear", "export", "import", "new-template"):
        response = client.post(f"/xlwings/{route}", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 413, route
        answer = response.json()
        assert answer["ok"] is False and "too large" in answer["message"] and "64 KB" in answer["message"]
        assert "ILRKIT_MAX_ADDIN_MB" in answer["message"]


def test_a_streamed_body_without_a_length_is_cut_off_too(client, no_parsing):
    def chunks():
        for _ in range(200):
            yield b" " * 1024

    response = client.post("/xlwings/validate", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.headers.get("connection") == "close"


def test_a_body_under_the_limit_is_still_read(client):
    response = client.post("/xlwings/validate", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "no workbook" in response.json()["message"]


def test_the_limit_comes_from_the_environment():
    assert Settings.from_env({"ILRKIT_MAX_ADDIN_MB": "3"}).max_addin_bytes == 3 * 1024 * 1024
    assert Settings.from_env({}).max_addin_bytes == 100 * 1024 * 1024


def test_the_server_applies_its_limit_to_the_add_in_routes(tmp_path, monkeypatch):
    from ilrkit.server.app import create_app
    from ilrkit.server.settings import hash_token

    token = "a-test-token-0123456789abcdef"
    settings = Settings(token_hashes=frozenset({hash_token(token)}), tmp_dir=str(tmp_path), max_addin_bytes=LIMIT)
    with TestClient(create_app(settings)) as c:
        if not c.app.state.addin_mounted:
            pytest.skip("the add-in's web routes are not installed")
        response = c.post("/xlwings/validate", content=_big_body(),
                          headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        assert response.status_code == 413 and "too large" in response.json()["message"]
