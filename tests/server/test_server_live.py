"""`ilr serve` as a real uvicorn process on loopback, plus the `serve` and `token` commands' checks."""

from __future__ import annotations

import re
import socket
import stat
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app as cli
from ilrkit.server.settings import Settings

from server_helpers import AUTH, SECRET, TOKEN, XML_NAME


def _post(server, path, file, headers=AUTH, **kw):
    with open(file, "rb") as fh:
        return httpx.post(server.url + path, files={"file": (file.name, fh)}, headers=headers, timeout=60, **kw)


def _wait_empty(folder, timeout=10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        left = sorted(p.name for p in folder.rglob("*"))
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def test_live_server_validates_and_converts(live_server, files):
    assert httpx.get(live_server.url + "/healthz", timeout=5).json()["auth"] is True
    assert _post(live_server, "/v1/validate", files.errors, headers={}).status_code == 401
    response = _post(live_server, "/v1/validate", files.errors, params={"format": "json"})
    assert response.status_code == 200 and response.json()["summary"]["errors"] > 0
    response = _post(live_server, "/v1/convert", files.clean)
    assert response.status_code == 200
    assert re.search(XML_NAME, response.headers["content-disposition"])
    response = _post(live_server, "/v1/convert", files.blocked)
    assert response.status_code == 422 and "error" in response.json()
    assert _wait_empty(live_server.tmp) == []


def test_live_server_serves_concurrent_requests_correctly(live_server, files):
    expected = httpx.post(live_server.url + "/v1/validate", headers=AUTH, timeout=60,
                          files={"file": ("errors.xlsx", files.errors.read_bytes())}).json()

    def one(i):
        path = files.errors if i % 2 else files.clean
        r = _post(live_server, "/v1/validate", path)
        return i, r.status_code, r.json()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(one, range(12)))
    for i, status, body in results:
        assert status == 200
        if i % 2:
            assert body == expected
        else:
            assert body["summary"]["errors"] == 0


def test_live_log_has_method_path_status_only(live_server, files):
    _post(live_server, "/v1/validate", files.errors, params={"format": "csv", "filename": SECRET})
    _post(live_server, "/v1/annotate", files.errors)
    httpx.get(live_server.url + f"/v1/rules?code={SECRET}", headers=AUTH, timeout=10)
    time.sleep(0.3)
    log = live_server.log_text()
    assert re.search(r"POST /v1/validate 200 \d+ms", log)
    assert re.search(r"POST /v1/annotate 200 \d+ms", log)
    assert SECRET not in log and "format=csv" not in log
    assert "Traceback" not in log
    assert _wait_empty(live_server.tmp) == []


def test_an_upload_cut_short_leaves_nothing_behind(live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(f"POST /v1/validate HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
                  f"Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n".encode())
        s.sendall(b"PK\x03\x04" + b"\0" * 50_000)
        time.sleep(0.5)
    assert _wait_empty(live_server.tmp) == []
    assert httpx.get(live_server.url + "/healthz", timeout=5).status_code == 200


def test_live_upload_limit_answers_413_before_reading_it_all(live_server):
    big = b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024)  # the live server accepts 2 MB (ILRKIT_MAX_UPLOAD_MB)
    response = httpx.post(live_server.url + "/v1/validate", headers=AUTH, files={"file": ("big.xlsx", big)},
                          timeout=30)
    assert response.status_code == 413 and "2 MB" in response.json()["error"]
    assert _wait_empty(live_server.tmp) == []


def test_dev_serve_needs_no_token_and_says_so_loudly(monkeypatch):
    import uvicorn
    from fastapi.testclient import TestClient

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.delenv("ILRKIT_TOKENS", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--dev", "--port", "8123"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "NO AUTHENTICATION" in result.output
    assert started["host"] == "127.0.0.1" and started["port"] == 8123 and started["access_log"] is False
    assert TestClient(started["app"]).get("/healthz").json()["auth"] is False


# ---------------------------------------------------------------------------------------- the commands

@pytest.fixture()
def no_tokens(monkeypatch):
    for name in ("ILRKIT_TOKENS", "ILRKIT_TOKENS_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_dev_refuses_a_non_loopback_host(no_tokens):
    result = CliRunner().invoke(cli, ["serve", "--dev", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "only listens on this computer" in result.output


def test_serve_without_tokens_says_how_to_make_one(no_tokens):
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2 and "ilr token" in result.output


def test_token_command_and_tokens_file(no_tokens, tmp_path):
    tokens = tmp_path / "tokens.txt"
    result = CliRunner().invoke(cli, ["token", "--tokens-file", str(tokens), "--label", "MIS team"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert len(token) >= 32 and token not in tokens.read_text()
    assert tokens.read_text().startswith("sha256:") and "MIS team" in tokens.read_text()
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    settings = Settings.from_env({}, tokens_file=tokens)
    assert settings.check_token(token) and not settings.check_token(token[:-1] + "x")
    plain = CliRunner().invoke(cli, ["token"])
    assert plain.exit_code == 0 and len(plain.stdout.strip()) >= 32
    assert Settings.from_env({"ILRKIT_TOKENS": plain.stdout.strip()}).check_token(plain.stdout.strip())
