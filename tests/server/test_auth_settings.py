"""Authentication is off only by an explicit `--dev` on a loopback bind with no tokens; tokens files are read
again when they change; `ilr token` keeps the tokens file private."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app as cli
from ilrkit.server import settings as settings_module
from ilrkit.server.settings import Settings, append_token, is_loopback, new_token

from server_helpers import free_port


@pytest.fixture()
def no_tokens(monkeypatch):
    for name in ("ILRKIT_TOKENS", "ILRKIT_TOKENS_FILE", "ILRKIT_SERVE_DEV", "ILRKIT_SERVE_HOST"):
        monkeypatch.delenv(name, raising=False)


def _token_file(tmp_path) -> tuple:
    tokens = tmp_path / "tokens.txt"
    result = CliRunner().invoke(cli, ["token", "--tokens-file", str(tokens)])
    assert result.exit_code == 0, result.output
    return tokens, result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_environment_cannot_switch_authentication_off(tmp_path, no_tokens, workers):
    """`ILRKIT_SERVE_DEV=1 ILRKIT_SERVE_HOST=127.0.0.1 ilr serve --host 0.0.0.0 --tokens-file t`: auth stays on."""
    tokens, token = _token_file(tmp_path)
    port = free_port()
    env = {**os.environ, "ILRKIT_SERVE_DEV": "1", "ILRKIT_SERVE_HOST": "127.0.0.1", "ILRKIT_TMPDIR": str(tmp_path),
           "COLUMNS": "200"}
    env.pop("ILRKIT_DEBUG", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "ilrkit.cli", "serve", "--host", "0.0.0.0", "--port",
                                    str(port), "--tokens-file", str(tokens), "--workers", workers],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start:\n" + log.read_text()
            try:
                health = httpx.get(url + "/healthz", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        for _ in range(6):  # with several workers, each answers in turn: every one must want the token
            assert httpx.get(url + "/healthz", timeout=5).json()["auth"] is True
            anonymous = httpx.post(url + "/v1/validate", files={"file": ("x.xlsx", b"PK\x03\x04")}, timeout=10)
            assert anonymous.status_code == 401, anonymous.text
        assert httpx.get(url + "/v1/rules?code=ULN_04", headers={"Authorization": f"Bearer {token}"},
                         timeout=10).status_code == 200
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)


def test_create_app_from_the_environment_never_runs_without_authentication(monkeypatch, no_tokens):
    from fastapi.testclient import TestClient

    from ilrkit.server.app import create_app

    monkeypatch.setenv("ILRKIT_SERVE_DEV", "1")
    monkeypatch.setenv("ILRKIT_SERVE_HOST", "127.0.0.1")
    monkeypatch.setenv("ILRKIT_TOKENS", new_token())
    with TestClient(create_app()) as client:
        assert client.get("/healthz").json()["auth"] is True
        assert client.post("/v1/validate", files={"file": ("x.xlsx", b"PK")}).status_code == 401


@pytest.mark.parametrize("how", ["file", "env"])
def test_dev_is_refused_while_tokens_are_configured(tmp_path, monkeypatch, no_tokens, how):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(a))
    args = ["serve", "--dev"]
    if how == "file":
        args += ["--tokens-file", str(_token_file(tmp_path)[0])]
    else:
        monkeypatch.setenv("ILRKIT_TOKENS", new_token())
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "--dev turns authentication off, but API tokens are configured" in result.output
    assert not started


def test_dev_with_several_workers_is_refused(monkeypatch, no_tokens):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(a))
    result = CliRunner().invoke(cli, ["serve", "--dev", "--workers", "2"])
    assert result.exit_code == 2 and "one server process" in result.output and not started


def test_loopback_means_every_address_of_the_name_is_loopback(monkeypatch):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("") and not is_loopback("example.org")
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port: [(2, 1, 6, "", ("10.1.2.3", 0))])
    assert not is_loopback("localhost")  # a hosts file that points localhost at the network
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port: [(2, 1, 6, "", ("127.0.0.1", 0))])
    assert is_loopback("localhost")


# --------------------------------------------------------------------------------- the tokens file

def test_a_changed_tokens_file_is_read_again(tmp_path, no_tokens):
    from fastapi.testclient import TestClient

    from ilrkit.server.app import create_app

    tokens, first = _token_file(tmp_path)
    settings = Settings.from_env({"ILRKIT_TMPDIR": str(tmp_path)}, tokens_file=tokens)
    with TestClient(create_app(settings)) as client:
        def status(token: str) -> int:
            return client.get("/v1/rules?code=ULN_04", headers={"Authorization": f"Bearer {token}"}).status_code

        second = new_token()
        assert status(first) == 200 and status(second) == 401
        append_token(tokens, second, "added while running")
        assert status(second) == 200
        kept = [line for line in tokens.read_text().splitlines() if "added while running" in line]
        tokens.write_text("\n".join(kept) + "\n")  # the first token's line deleted: it stops working
        assert status(first) == 401 and status(second) == 200
        tokens.write_text("far-too-short\n")  # a broken file grants nothing (and says why in the log)
        assert status(second) == 401
        tokens.unlink()
        assert status(second) == 401


def test_token_makes_an_existing_tokens_file_private(tmp_path, no_tokens):
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("# our tokens\n")
    tokens.chmod(0o644)
    result = CliRunner().invoke(cli, ["token", "--tokens-file", str(tokens)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    assert tokens.read_text().startswith("# our tokens\nsha256:")
    assert settings_module.tokens_file_is_private(tokens)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://127.0.0.1:18080", "http://[::1]:65535",
                                 "http://localhost:8000"])
def test_the_dev_warning_wraps_as_whole_sentences_at_any_port(url):
    """Each paragraph of the --dev warning is wrapped by the terminal, never broken by a fixed line end: no
    row stops early while the next row's first word would still have fitted."""
    import io

    from rich.console import Console

    from ilrkit.server.serve import _banner, dev_banner

    out = io.StringIO()
    _banner(dev_banner(url), "bold", Console(file=out, width=80, color_system=None, highlight=False))
    rows = [line[1:-1].strip() for line in out.getvalue().splitlines()[1:-1]]  # inside the box
    inner = len(out.getvalue().splitlines()[1]) - 4
    assert all(len(line) <= 80 for line in out.getvalue().splitlines())
    assert " ".join(rows) == " ".join(dev_banner(url))
    ends = {sum(len(p.split()) for p in dev_banner(url)[:i + 1]) for i in range(len(dev_banner(url)))}
    words = 0
    for row, following in zip(rows, rows[1:]):
        words += len(row.split())
        if words not in ends:  # the paragraph goes on: the next word did not fit on this row
            assert len(row) + 1 + len(following.split()[0]) > inner, (row, following)
    assert url in " ".join(rows)
