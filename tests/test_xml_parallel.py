"""Writing and XSD-checking a return in runs of learners on several processes gives the document one
process writes, byte for byte, and the same verdict."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from ilrkit.converter.errors import InputError
from ilrkit.converter.xml_parallel import render_checked, runs_valid, workers_for
from ilrkit.converter.xml_writer import render_valid, render_xml_bytes, schema_errors
from ilrkit.generate import generate
from ilrkit.schemas.xsd import validator

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the runs are forked: Linux only")

WHEN = dt.datetime(2026, 12, 5, 9, 30)


@pytest.fixture(scope="module")
def data():
    return generate(40, seed=7).data


def _learner_tag(data) -> str:
    return f"{{{data.spec.namespace}}}Learner"


@pytest.mark.parametrize("workers", ["1", "2", "3", "7"])
def test_runs_join_into_the_one_process_document(data, monkeypatch, workers):
    monkeypatch.setenv("ILRKIT_WORKERS", workers)
    content, valid = render_checked(data, prepared=WHEN, serial="02")
    assert content == render_xml_bytes(data, prepared=WHEN, serial="02")
    assert valid is True


def test_a_bad_value_in_a_late_run_is_caught_and_located(data, monkeypatch):
    monkeypatch.setenv("ILRKIT_WORKERS", "3")
    bad = data.tables["Learner"].copy()
    bad.loc[bad.index[-1], "LearnRefNumber"] = "X" * 20  # longer than the schema's 12 characters
    broken = type(data)(**{**data.__dict__, "tables": {**data.tables, "Learner": bad}})
    content, valid = render_checked(broken, prepared=WHEN, serial="02")
    assert valid is False
    with pytest.raises(InputError) as caught:
        render_valid(broken, prepared=WHEN, serial="02")
    line = next(i for i, text in enumerate(content.decode().splitlines(), start=1) if "X" * 20 in text)
    assert f"line {line}:" in str(caught.value)
    assert "LearnRefNumber" in str(caught.value)


def test_checking_a_written_document_in_runs(data, monkeypatch):
    content = render_xml_bytes(data, prepared=WHEN, serial="02")
    schema, tag = validator(data.spec.year), _learner_tag(data)
    assert runs_valid(schema, content, tag, 3) is True
    last = content.rfind(b"<Sex>")
    broken = content[:last] + b"<Sexx>" + content[last + 5:].replace(b"</Sex>", b"</Sexx>", 1)
    assert runs_valid(schema, broken, tag, 3) is False
    monkeypatch.setenv("ILRKIT_WORKERS", "3")  # schema_errors splits it too, then lists the problem whole
    assert any("Sexx" in e for e in schema_errors(data.spec, broken))
    assert schema_errors(data.spec, content) == []


def test_a_document_not_laid_out_by_our_writer_is_checked_whole(data):
    one_line = render_xml_bytes(data).replace(b"\n", b"").replace(b"\t", b"")
    assert runs_valid(validator(data.spec.year), one_line, _learner_tag(data), 2) is None
    assert schema_errors(data.spec, one_line) == []


def test_small_returns_and_threads_stay_in_one_process(monkeypatch):
    monkeypatch.delenv("ILRKIT_WORKERS", raising=False)
    assert workers_for(100, 2500) == 1
    monkeypatch.setattr("ilrkit.converter.xml_parallel.can_fork", lambda: False)
    assert workers_for(10**6, 2500) == 1
