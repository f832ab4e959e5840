"""Fixtures for the server and batch tests: synthetic workbooks, an app under TestClient, a real uvicorn process.

All learner data here is made up. SECRET is a family name that must never appear in any log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from server_helpers import (blocked_learners, clean_learners, errors_learners, make_settings, make_workbook,
                            start_server, stop_server)


@dataclass
class Files:
    folder: Path
    clean: Path
    errors: Path
    blocked: Path
    wrong_year: Path
    corrupt: Path
    text: Path
    old_xls: Path
    xml: Path


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> Files:
    import openpyxl

    from ilrkit.converter.xml_writer import render_xml
    from ilrkit.rules.testing import build

    folder = tmp_path_factory.mktemp("server-inputs")
    clean = make_workbook(folder / "clean.xlsx", clean_learners(2))
    errors = make_workbook(folder / "errors.xlsx", errors_learners())
    blocked = make_workbook(folder / "blocked.xlsx", blocked_learners())
    wrong_year = folder / "wrong-year.xlsx"
    wb = openpyxl.load_workbook(clean)
    wb["_ilrkit"]["B1"] = "2019-20"
    wb["Provider"]["B2"] = "2019-20"
    wb.save(wrong_year)
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(clean.read_bytes()[:3000])
    text = folder / "notes.xlsx"
    text.write_bytes(b"These are my notes, not a workbook.\n" * 20)
    old_xls = folder / "old.xls"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    xml = folder / "return.xml"
    xml.write_text(render_xml(build(clean_learners(2))), encoding="utf-8")
    return Files(folder, clean, errors, blocked, wrong_year, corrupt, text, old_xls, xml)


@pytest.fixture()
def scratch(tmp_path) -> Path:
    """The server's temporary folder (ILRKIT_TMPDIR) for one test: it must be empty after every request."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    return folder


@pytest.fixture()
def client(scratch):
    from fastapi.testclient import TestClient

    from ilrkit.server.app import create_app

    with TestClient(create_app(make_settings(scratch))) as c:
        yield c


@pytest.fixture()
def log_records(caplog):
    """Every log record (any logger, any level) emitted during the test."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One real `ilr serve` for the session (uploads limited to 2 MB); always stopped at the end."""
    server = start_server(tmp_path_factory.mktemp("live"), env={"ILRKIT_MAX_UPLOAD_MB": "2"})
    try:
        yield server
    finally:
        stop_server(server)
