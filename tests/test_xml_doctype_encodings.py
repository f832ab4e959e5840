"""A document type declaration is refused in any encoding, not only where a byte search can see it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.errors import InputError
from ilrkit.converter.xml_reader import parse_xml_bytes, read_xml
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules.testing import build

ENTITY_DOC = ('<?xml version="1.0" encoding="{enc}"?>'
              '<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY leak SYSTEM "file:///etc/hostname">]>'
              '<Message xmlns="ESFA/ILR/2025-26"><Header><CollectionDetails><Collection>ILR</Collection>'
              '<Year>2526</Year><FilePreparationDate>2025-10-01</FilePreparationDate></CollectionDetails>'
              '<Source><ProtectiveMarking>OFFICIAL-SENSITIVE-Personal</ProtectiveMarking><UKPRN>10000001</UKPRN>'
              '<SoftwareSupplier>&b;</SoftwareSupplier><DateTime>2025-10-01T10:00:00</DateTime></Source>'
              '</Header><LearningProvider><UKPRN>10000001</UKPRN></LearningProvider>'
              '<Learner><LearnRefNumber>&leak;</LearnRefNumber></Learner></Message>')

ENCODINGS = [("UTF-16", "utf-16"), ("UTF-16LE", "utf-16-le"), ("UTF-16BE", "utf-16-be")]


@pytest.mark.parametrize("declared, codec", ENCODINGS)
def test_a_utf16_file_with_a_doctype_and_entities_is_refused(declared, codec, tmp_path):
    data = ENTITY_DOC.format(enc=declared).encode(codec)
    assert b"<!DOCTYPE" not in data  # the byte search cannot see it
    for read in (read_xml, parse_xml_bytes):
        with pytest.raises(InputError, match="document type declaration"):
            read(data, "return.xml")
    path = tmp_path / "return.xml"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "document type declaration" in result.output and "Traceback" not in result.output


def test_a_utf16_ilr_file_without_one_still_reads():
    text = render_xml(build([{"LearnRefNumber": "L1", "aims": [{}]}]))
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).replace("encoding='UTF-8'",
                                                                            "encoding='UTF-16'", 1)
    data = read_xml(text.encode("utf-16"), "return.xml")
    assert data.tables["Learner"]["LearnRefNumber"].tolist() == ["L1"]
