"""No personal data in logs: every CLI command, at debug log level, on a workbook of distinctive (made-up)
names, dates of birth, addresses, NI numbers, ULNs, phone numbers and e-mail addresses, never logs them.

What is checked: every log record of every logger (ilrkit's and third parties', at DEBUG), warnings, and
everything written to stderr. The reports a user asks for (``validate`` output on stdout or in ``-o`` files,
the annotated copy) are the user's own and may show their data; stdout of the other commands may not.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

runner = CliRunner()


def _uln(first9: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(first9, range(10, 1, -1))) % 11
    assert remainder, "choose other digits"
    return first9 + str(10 - remainder)


_WRONG_ULN = _uln("816402957")[:-1] + str((int(_uln("816402957")[-1]) + 1) % 10)  # a wrong check digit

# made up, and unlike anything in ilrkit's own messages, so any appearance is a leak
PEOPLE = [
    {"FamilyName": "Quillfeather", "GivenNames": "Zenobia", "DateOfBirth": "1987-02-13", "NINumber": "QQ123456C",
     "ULN": _uln("739184625"), "AddLine1": "17 Wobblestone Mews", "AddLine2": "Little Snorington",
     "Postcode": "ZX9 8QW", "PostcodePrior": "ZX9 8QW", "TelNo": "07700900461",
     "Email": "zenobia.quillfeather@example.org"},
    {"FamilyName": "Brackenthwaite", "GivenNames": "Ptolemy", "DateOfBirth": "2004-11-29", "NINumber": "QQ654321A",
     "ULN": _uln("582047193"), "AddLine1": "3 Gloaming Terrace", "AddLine2": "Upper Fidget",
     "Postcode": "ZX1 7PL", "PostcodePrior": "ZX1 7PL", "TelNo": "07700900873",
     "Email": "p.brackenthwaite@example.net"},
    # values that break the rules and the schema, so that messages about them are made (and must not leak)
    {"FamilyName": "Vexborough1", "GivenNames": "Ignatius|Q", "DateOfBirth": "2031-04-31", "NINumber": "QZ9999",
     "ULN": _WRONG_ULN, "AddLine1": "Flat 9, Mordant House {Top}", "Postcode": "NOTAPOSTCODE",
     "PostcodePrior": "ZX4 4ZZ", "TelNo": "0770090abc", "Email": "ignatius.vexborough-at-example.com"},
]


def secrets() -> set[str]:
    values = set()
    for person in PEOPLE:
        values |= {v for v in person.values() if len(v) >= 6}
        day = person["DateOfBirth"]
        if day[:4].isdigit():
            values.add(f"{day[8:10]}/{day[5:7]}/{day[:4]}")  # as shown in a workbook
    return values


def _learners() -> list[dict]:
    try:
        from ilrkit.generate import learner_specs
    except ImportError:
        base = [{"LearnRefNumber": f"PD{i}", "aims": [{}]} for i in range(len(PEOPLE))]
    else:
        base = learner_specs(len(PEOPLE), seed=5)
    return [{**learner, **person} for learner, person in zip(base, PEOPLE)]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("personal")
    data = build(_learners(), defaults=True)
    xml = folder / "people.xml"
    xml.write_text(render_xml(build(_learners()[:2], defaults=True)), encoding="utf-8")  # a valid file
    workbook = write_workbook(folder / "people.xlsx", data=data)
    inbox = folder / "inbox"
    inbox.mkdir()
    (inbox / "people.xlsx").write_bytes(workbook.read_bytes())
    clean = write_workbook(inbox / "clean.xlsx", data=build(_learners()[:2], defaults=True))
    return workbook, xml, inbox, clean


def _commands(workbook: Path, xml: Path, inbox: Path, clean: Path, out: Path) -> list[tuple[list, bool]]:
    """(arguments, whether stdout is the user's own report) for every command."""
    return [
        (["template", "-o", out / "t.xlsx"], False),
        (["import", xml, "-o", out / "imported.xlsx"], False),
        # schema-breaking values: not written, and the cells to fix listed on stdout (a report)
        (["convert", workbook, "-o", out / "blocked"], True),
        (["convert", clean, "-o", out / "converted"], False),
        (["convert", xml, "-o", out / "from-xml"], False),
        (["validate", workbook], True),
        (["validate", workbook, "--format", "json"], True),
        (["validate", workbook, "--format", "csv"], True),
        (["validate", xml, "--format", "csv"], True),
        (["validate", workbook, "-o", out / "report.json", "--format", "json", "--annotate", out / "ann.xlsx"],
         False),
        (["rules"], False),
        (["rules", "ULN_04"], False),
        (["generate", "-n", "3", "-o", out / "generated.xlsx"], False),
        (["batch", inbox, out / "batch", "--workers", "1"], False),
        (["token"], False),
        (["migrate", workbook, "--to", "2026-27", "-o", out / "migrated.xlsx"], False),
    ]


def _leaks(text: str) -> list[str]:
    return sorted(s for s in secrets() if s in text)


def test_no_command_logs_personal_data(files, tmp_path, caplog):
    workbook, xml, inbox, clean = files
    registered = {c.name or c.callback.__name__ for c in app.registered_commands}
    commands = [(args, own) for args, own in _commands(workbook, xml, inbox, clean, tmp_path)
                if args[0] in registered]
    assert {args[0] for args, _ in commands} | {"serve"} >= registered - {"serve"}, \
        "a command was added: run it here too"
    caplog.set_level(logging.DEBUG)  # every logger, third parties' too
    for args, own_report in commands:
        caplog.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = runner.invoke(app, ["--log-level", "DEBUG", *[str(a) for a in args]])
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
        logged += "\n".join(str(w.message) for w in caught)
        where = f"ilr {' '.join(map(str, args))}"
        assert _leaks(logged) == [], f"{where} logged personal data"
        assert _leaks(result.stderr) == [], f"{where} wrote personal data to stderr"
        if not own_report:
            assert _leaks(result.stdout) == [], f"{where} printed personal data"
    report = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert _leaks(report), "the test data must reach the reports, or it proves nothing"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, path: Path) -> int:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + \
        f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def test_serve_logs_no_personal_data(files):
    """``ilr serve`` at debug level, sent the workbook and the XML, then stopped."""
    workbook, xml, _, clean = files
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ILRKIT_LOG_LEVEL": "DEBUG"}
    proc = subprocess.Popen([sys.executable, "-m", "ilrkit.cli", "--log-level", "DEBUG", "serve", "--dev",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        statuses = [_post(base + "/v1/validate", workbook), _post(base + "/v1/validate?format=csv", xml),
                    _post(base + "/v1/convert", workbook), _post(base + "/v1/convert", clean),
                    _post(base + "/v1/annotate", workbook)]
        assert all(s < 500 for s in statuses), statuses
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    text = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    assert "/v1/validate" in text, "the server's own log must have been on"
    assert _leaks(text) == []
