"""What the `ilr` command tells a clerk: the README's exit codes for every command, one summary shared by
convert and validate, and the small things that confused a new user (issue 10, items 6, 12 and 14)."""

from __future__ import annotations

import csv
import io
import re
import socket

import pytest
from typer.testing import CliRunner

from clerk_helpers import typed_workbook
from ilrkit.cli.main import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    clean = typed_workbook(folder / "clean.xlsx")
    # a code that is not on the list: an error, but the XML can still be written
    errors = typed_workbook(folder / "errors.xlsx", {("Learners", "Ethnicity", 2): "30"})
    # plus a date that is no date: the XML cannot be written
    blocked = typed_workbook(folder / "blocked.xlsx", {("Learners", "Ethnicity", 2): "30",
                                                       ("Learners", "DateOfBirth", 3): "soon"})
    return clean, errors, blocked


# -- item 6: convert exits 1 when the data has errors, still writing the file --------------------------------

def test_convert_of_a_workbook_with_errors_writes_the_xml_and_exits_1(books, tmp_path):
    _, errors, _ = books
    code, out = run("convert", errors, "-o", tmp_path)
    written = list(tmp_path.glob("ILR-*.xml"))
    assert code == 1 and len(written) == 1
    assert "Written, but the data has 1 error" in out and "Exit code 1" in out


def test_convert_of_clean_data_exits_0(books, tmp_path):
    clean, _, _ = books
    code, out = run("convert", clean, "-o", tmp_path)
    assert code == 0 and len(list(tmp_path.glob("ILR-*.xml"))) == 1


def test_convert_that_cannot_write_exits_1_and_writes_nothing(books, tmp_path):
    _, _, blocked = books
    code, out = run("convert", blocked, "-o", tmp_path)
    assert code == 1 and not list(tmp_path.iterdir())


# -- the README's exit codes hold for every command ----------------------------------------------------------

def test_exit_codes_of_every_command(books, tmp_path):
    clean, errors, _ = books
    assert run("convert", clean, "-o", tmp_path)[0] == 0
    xml = next(tmp_path.glob("ILR-*.xml"))
    cases = [
        (0, ["template", "-o", tmp_path / "t.xlsx"]),
        (2, ["template", "-o", tmp_path / "t.xlsx"]),  # exists, no --force
        (2, ["template", "--year", "1999-00", "-o", tmp_path / "t2.xlsx"]),
        (0, ["import", xml, "-o", tmp_path / "i.xlsx"]),
        (2, ["import", tmp_path / "missing.xml", "-o", tmp_path / "j.xlsx"]),
        (0, ["validate", clean]),
        (1, ["validate", errors]),
        (2, ["validate", tmp_path / "missing.xlsx"]),
        (2, ["convert", tmp_path / "missing.xlsx"]),
        (0, ["rules"]),
        (0, ["rules", "ULN_04"]),
        (2, ["rules", "NO_SUCH_RULE"]),
        (0, ["generate", "-n", "1", "-o", tmp_path / "g.xlsx"]),
        (2, ["generate", "-n", "1", "-o", tmp_path / "g.xlsx"]),  # exists
        (0, ["token"]),
        (2, ["addin", "build", "-o", tmp_path / "t.xlsx"]),  # a file, not a folder
    ]
    for expected, args in cases:
        code, out = run(*args)
        assert code == expected, (args, code, out)


def test_a_folder_given_as_the_file_exits_2_with_a_message_for_every_command(tmp_path):
    folder = tmp_path / "my-ilr"
    folder.mkdir()
    for args in (["validate", folder], ["convert", folder, "-o", tmp_path / "out"],
                 ["import", folder, "-o", tmp_path / "i.xlsx"], ["migrate", folder, "--to", "2026-27", "-o",
                                                                   tmp_path / "m.xlsx"]):
        code, out = run(*args)
        assert (code, "is a folder" in out) == (2, True), (args, code, out)


def test_batch_exit_codes(books, tmp_path):
    clean, errors, _ = books
    for name, book, expected in (("ok", clean, 0), ("bad", errors, 1)):
        inbox = tmp_path / name
        inbox.mkdir()
        (inbox / "p.xlsx").write_bytes(book.read_bytes())
        assert run("batch", inbox, tmp_path / f"{name}-out", "--workers", "1")[0] == expected
    assert run("batch", tmp_path / "nothing-here", tmp_path / "x")[0] == 2


# -- item 12: one summary, one count ---------------------------------------------------------------------------

def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return re.search(r"(\d+ errors? in .*?\(ilr rules --not-checked says why\))", flat)[1]


def test_convert_and_validate_give_the_same_summary(books, tmp_path):
    _, errors, blocked = books
    for book in (errors, blocked):
        _, validated = run("validate", book)
        _, converted = run("convert", book, "-o", tmp_path / book.stem)
        assert _summary(converted) == _summary(validated)
        assert "need reference data (not loaded: LARS" in _summary(converted)
        assert "`ilr refdata add FILE`" in _summary(converted)
    _, validated = run("validate", blocked)
    assert _summary(validated).startswith("2 errors in 2 learners")


# -- item 14: polish -------------------------------------------------------------------------------------------

def test_rules_as_csv_is_csv():
    code, out = run("rules", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) > 500
    uln = next(r for r in rows if r["code"] == "ULN_04")
    assert uln["severity"] == "error" and uln["fields"] == "ULN" and "check-digit" in uln["message"]


@pytest.mark.parametrize("name", ["t.csv", "t.xls", "t"])
def test_template_refuses_a_name_that_is_not_xlsx(tmp_path, name):
    code, out = run("template", "-o", tmp_path / name)
    assert code == 2 and "t.xlsx" in out and not list(tmp_path.iterdir())


def test_import_of_a_workbook_says_it_is_a_workbook(books, tmp_path):
    clean, _, _ = books
    code, out = run("import", clean, "-o", tmp_path / "x.xlsx")
    flat = " ".join(out.split())
    assert code == 2 and "is an Excel workbook" in flat and "ilr validate" in flat and "ilr convert" in flat
    assert "well-formed" not in flat


def test_serve_on_a_port_in_use_says_so_and_exits_2(monkeypatch):
    import ilrkit.server.serve as serve

    monkeypatch.setattr(serve, "run", lambda **kw: pytest.fail("uvicorn must not be started"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, out = run("serve", "--dev", "--port", port)
    assert code == 2 and f"Port {port}" in out and "already in use" in out and "--port" in out


@pytest.mark.parametrize("command", [["convert"], ["validate"], ["batch"], ["template"], ["addin", "build"]])
def test_help_shows_plain_flags(command):
    code, out = run(*command, "--help")
    assert code == 0 and "--force" in out or "--annotate" in out
    assert "<bool>" not in out


def test_serve_says_so_and_exits_2_when_uvicorn_cannot_start(monkeypatch):
    """The port can be taken between the check and uvicorn's own bind: uvicorn then exits 3 (its start-up
    failure), which the README does not know; ilr turns it into 2 with a plain message."""
    import ilrkit.cli.port as port_check
    import ilrkit.server.serve as serve

    def startup_failure(**kw):
        raise SystemExit(3)

    monkeypatch.setattr(serve, "run", startup_failure)
    monkeypatch.setattr(port_check, "ensure_free", lambda host, port: None)
    code, out = run("serve", "--dev", "--port", 8123)
    assert code == 2 and "could not start" in out


def test_validate_refuses_an_output_it_cannot_write_before_printing_any_report(books, tmp_path):
    # the whole report, then "Error ... exit 2" at the end, reads as if the data were unusable
    clean, _, _ = books
    taken = tmp_path / "checked.xlsx"
    taken.write_bytes(b"mine")
    xml = tmp_path / "x"
    assert run("convert", clean, "-o", xml)[0] == 0
    xml = next(xml.glob("ILR-*.xml"))
    for args in (["validate", clean, "--annotate", taken], ["validate", xml, "--annotate", tmp_path / "new.xlsx"]):
        code, out = run(*args)
        assert code == 2 and "learners checked" not in out, (args, out)
    assert taken.read_bytes() == b"mine"


def test_convert_o_naming_an_xml_file_is_refused_saying_o_is_the_folder(books, tmp_path):
    clean, _, _ = books
    code, out = run("convert", clean, "-o", tmp_path / "march.xml")
    assert code == 2 and "folder" in out and not (tmp_path / "march.xml").exists(), out


def test_notices_read_as_plain_warnings_not_log_lines(tmp_path):
    import subprocess
    import sys

    book = tmp_path / "next-year.xlsx"
    made = subprocess.run([sys.executable, "-m", "ilrkit.cli", "template", "--year", "2026-27", "-o", str(book)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    notice = next(line for line in made.stderr.splitlines() if "provisional" in line)
    assert notice.startswith("Warning: The 2026-27 ILR layout is provisional")
    assert "ilrkit." not in notice and "WARNING" not in notice


@pytest.mark.parametrize(("name", "content", "words"), [
    ("notes.xlsx", b"These are my notes, not a workbook.\n", ["not an ILR XML file", "not an Excel workbook either"]),
    ("notes.txt", b"plain text", ["not an ILR XML file", "Export the ILR XML file again"]),
    ("empty.xml", b"", ["empty.xml is empty"]),
])
def test_import_of_something_that_is_not_xml_says_what_it_is(tmp_path, name, content, words):
    source = tmp_path / name
    source.write_bytes(content)
    code, out = run("import", source, "-o", tmp_path / "x.xlsx")
    flat = " ".join(out.split())
    assert code == 2 and all(w in flat for w in words), flat
    assert "well-formed" not in flat and not (tmp_path / "x.xlsx").exists()


def test_import_still_reads_xml_that_starts_with_a_byte_order_mark(tmp_path):
    from ilrkit.converter.xml_writer import render_xml
    from ilrkit.generate import generate

    source = tmp_path / "bom.xml"
    source.write_bytes(b"\xef\xbb\xbf" + render_xml(generate(2, seed=3).data).encode("utf-8"))
    code, out = run("import", source, "-o", tmp_path / "x.xlsx")
    assert code == 0 and (tmp_path / "x.xlsx").exists(), out
