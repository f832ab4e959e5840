"""The 2026-27 year pack: derived from 2025-26 plus schemas/2026-27/changes.yaml, provisional until the
agency's XSD is loaded, and its generated XSD judges 2026-27 files by the published changes."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from ilrkit.converter.xml_writer import render_xml_bytes, schema_errors
from ilrkit.rules.testing import build
from ilrkit.schemas import load_spec, year_for_namespace
from ilrkit.schemas.derive import derive, shift_facts
from ilrkit.schemas.spec import PACKS
from ilrkit.schemas.xsd import generate_xsd

YEAR = "2026-27"

PACK_FILES = ("spec.yaml", "codelists.yaml", "fields.yaml", "layout.yaml", "year.yaml", "agency_rules.yaml",
              "ILR-2026-27.xsd")


def test_pack_loads_with_the_new_year_facts():
    spec = load_spec(YEAR)
    assert spec.year == YEAR and spec.year_code == "2627"
    assert spec.namespace == "ESFA/ILR/2026-27"
    assert str(spec.teaching_year_start) == "2026-08-01" and str(spec.teaching_year_end) == "2027-07-31"
    assert load_spec("2627") is spec
    assert year_for_namespace("ESFA/ILR/2026-27") == YEAR
    assert year_for_namespace("ESFA/ILR/2025-26") == "2025-26"


def test_fields_follow_the_published_changes():
    spec, before = load_spec(YEAR), load_spec("2025-26")
    aim = spec.entity("LearningDelivery")
    names = {f.name for f in aim.fields}
    assert "PHours" not in names and "AddHours" not in names
    assert "FUNDCOMP" not in {f.name for f in spec.entity("LearningDeliveryHE").fields}
    assert aim.field("EPAOrgID").max_length == 8
    assert before.entity("LearningDelivery").field("EPAOrgID").max_length == 7
    # the unconfirmed removal is a recorded provisional choice, not a silent one
    assert "OTJActHours" in names
    assert any(p["item"] == "OTJActHours" for p in spec.provisional_choices)
    # everything else carries over in the same order
    kept = [f.name for f in before.entity("LearningDelivery").fields if f.name not in ("PHours", "AddHours")]
    assert [f.name for f in aim.fields] == kept


def test_code_lists_follow_the_published_changes():
    spec = load_spec(YEAR)
    fm = spec.codelist("LearningDelivery.FundModel")
    assert str(fm.by_code["39"].valid_from) == "2026-08-01"
    assert str(fm.by_code["10"].valid_to) == "2026-07-31"
    assert "34" in spec.codelist("LearningDelivery.ProgType")
    assert {"1", "2", "3"}.isdisjoint(c.code for c in spec.codelist("LLDDandHealthProblem.LLDDCat").codes)
    assert "4" in spec.codelist("LLDDandHealthProblem.LLDDCat")
    assert {"1", "2", "3", "4"}.isdisjoint(c.code for c in spec.codelist("EmploymentStatusMonitoring.EII").codes)
    sof = spec.codelist("LearningDeliveryFAM.SOF")
    assert {str(n) for n in range(124, 131)} <= set(sof.by_code)
    assert "114" in spec.codelist("LearningDeliveryFAM.DAM")
    assert spec.codelist("LearningDeliveryFAM.ASL") is None and spec.fam_type("LearningDeliveryFAM", "ASL") is None
    assert "ASL" not in spec.codelist("LearningDeliveryFAM.LearnDelFAMType")
    assert spec.fam_type("LearningDeliveryFAM", "AFL").label.startswith("Tailored Learning")
    rip = spec.fam_type("AppFinRecord", "RIP")
    assert rip is not None and rip.max_occurs == 1
    assert "RIP" in spec.codelist("AppFinRecord.AFinType")
    ldm = spec.codelist("LearningDeliveryFAM.LDM")
    assert ldm.by_code["374"].valid_to is not None and ldm.by_code["396"].valid_to is not None
    # the 2025-26 pack is untouched
    assert "1" in load_spec("2025-26").codelist("LLDDandHealthProblem.LLDDCat")


def test_pack_is_provisional_with_reasons():
    spec = load_spec(YEAR)
    assert spec.provisional and spec.notice and "ilr schema import" in spec.notice
    assert not load_spec("2025-26").provisional and load_spec("2025-26").notice is None
    for choice in spec.provisional_choices:
        assert choice["item"] and choice["choice"] and len(choice["reason"]) > 20
        assert choice["settled_by"] in ("xsd", "codelists", "rules")


def test_layout_and_help_follow_the_year():
    from ilrkit.templates.layout import load_layout

    layout = load_layout(YEAR)
    aims = layout.sheets["LearningAims"]
    keys = {c.key for c in aims.columns}
    assert "PHours" not in keys and "ASL" not in keys and "SOF" in keys
    assert "2627" in load_spec(YEAR).field("CollectionDetails.Year").help
    assert "39" in load_spec(YEAR).field("LearningDelivery.FundModel").help


def _file_2627(**aim):
    learner = {"aims": [{"LearnAimRef": "60000001", "AimType": "4", "LearnStartDate": "2026-09-01",
                         "LearnPlanEndDate": "2027-03-31", "FundModel": "39", "fams": {"SOF": "125"}, **aim}]}
    return build([learner], year=YEAR, header={"FilePreparationDate": "2026-10-01",
                                               "DateTime": "2026-10-01T10:00:00"})


def test_xsd_accepts_a_2026_27_file_with_the_new_codes():
    spec = load_spec(YEAR)
    content = render_xml_bytes(_file_2627(EPAOrgID="12345678"))
    assert b"ESFA/ILR/2026-27" in content and b"<Year>2627</Year>" in content
    assert schema_errors(spec, content) == []


def test_xsd_rejects_removed_fields_and_longer_epa_ids():
    spec = load_spec(YEAR)
    content = render_xml_bytes(_file_2627(EPAOrgID="12345678"))
    root = etree.fromstring(content)
    ns = {"i": spec.namespace}
    delivery = root.find(".//i:LearningDelivery", ns)
    phours = etree.Element(f"{{{spec.namespace}}}PHours")
    phours.text = "100"
    delivery.find("i:LearnPlanEndDate", ns).addnext(phours)
    assert schema_errors(spec, etree.tostring(root))
    too_long = content.replace(b"12345678", b"123456789")
    assert schema_errors(spec, too_long)
    # and the 2025-26 schema still holds EPAOrgID to 7 characters
    assert load_spec("2025-26").entity("LearningDelivery").field("EPAOrgID").max_length == 7


def test_shipped_pack_is_what_the_derivation_gives(tmp_path):
    folder = tmp_path / YEAR
    folder.mkdir()
    shutil.copy(PACKS / YEAR / "changes.yaml", folder / "changes.yaml")
    derive(folder / "changes.yaml")
    for name in PACK_FILES:
        assert (folder / name).read_bytes() == (PACKS / YEAR / name).read_bytes(), (
            f"schemas/{YEAR}/{name} is stale: run `python -m ilrkit.schemas.derive schemas/{YEAR}/changes.yaml`")
    assert (PACKS / YEAR / f"ILR-{YEAR}.xsd").read_bytes() == generate_xsd(load_spec(YEAR))


def test_derivation_refuses_a_change_to_something_missing(tmp_path):
    folder = tmp_path / YEAR
    folder.mkdir()
    text = (PACKS / YEAR / "changes.yaml").read_text(encoding="utf-8")
    (folder / "changes.yaml").write_text(text.replace("LearningDelivery.PHours:", "LearningDelivery.NoSuch:"),
                                         encoding="utf-8")
    with pytest.raises(KeyError, match="NoSuch"):
        derive(folder / "changes.yaml")


def test_year_facts_move_on_one_year():
    facts = {"teaching_year_start": "2025-08-01", "census": {"R04": "2025-12-04"}, "leap": "2024-02-29",
             "year": "2025-26", "pattern": "^ILR-[0-9]{8}$", "count": 3}
    assert shift_facts(facts) == {"teaching_year_start": "2026-08-01", "census": {"R04": "2026-12-04"},
                                  "leap": "2025-02-28", "year": "2026-27", "pattern": "^ILR-[0-9]{8}$",
                                  "count": 3}


def test_docs_list_every_provisional_choice():
    text = (PACKS.parent / "docs" / "years.md").read_text(encoding="utf-8")
    for choice in load_spec(YEAR).provisional_choices:
        assert f"| {choice['item']}" in text, f"docs/years.md does not list the provisional choice {choice['item']}"
    assert "ilr schema import" in text and "ilr migrate" in text


@pytest.mark.parametrize("year, notice", [("2026-27", True), ("2025-26", False)])
def test_template_says_once_when_the_year_is_provisional(tmp_path, year, notice):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "ilrkit.cli", "template", "--year", year, "-o",
                          str(tmp_path / "t.xlsx")], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "ILRKIT_DATA_DIR": str(tmp_path / "data")})
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if "provisional" in line]
    assert len(lines) == (1 if notice else 0), run.stderr
    if notice:
        assert "ilr schema import" in lines[0]


def _sample_moved_on(esfa_dir) -> bytes:
    """The agency's 2025-26 sample moved one year on: namespace and year code, every date a year later, the
    removed fields dropped, and the Community Learning (FundModel 10) learner left out because that provision
    has closed (made here from the file in ../shared, never stored)."""
    import datetime as dt
    import re

    text = (esfa_dir / "ILR-99999999-2526-20250108-094401.xml").read_text(encoding="utf-8")
    text = text.replace("ESFA/ILR/2025-26", "ESFA/ILR/2026-27").replace("<Year>2526</Year>", "<Year>2627</Year>")

    def later(m):
        day = dt.date.fromisoformat(m.group(1))
        day = day.replace(year=day.year + 1, day=28) if (day.month, day.day) == (2, 29) else \
            day.replace(year=day.year + 1)
        return f">{day.isoformat()}{m.group(2)}<"

    text = re.sub(r">(\d{4}-\d{2}-\d{2})((?:T[0-9:]+)?)<", later, text)
    root = etree.fromstring(text.encode("utf-8"))
    ns = "{ESFA/ILR/2026-27}"
    for name in ("PHours", "AddHours", "FUNDCOMP"):
        for el in list(root.iter(f"{ns}{name}")):
            el.getparent().remove(el)
    for learner in list(root.iter(f"{ns}Learner")):
        if any(fm.text == "10" for fm in learner.iter(f"{ns}FundModel")):
            learner.getparent().remove(learner)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_agency_sample_moved_on_a_year_is_a_valid_2026_27_file_end_to_end(esfa_dir, tmp_path):
    from ilrkit.converter.api import convert, import_xml
    from ilrkit.converter.io import load

    content = _sample_moved_on(esfa_dir)
    spec = load_spec(YEAR)
    assert schema_errors(spec, content) == []
    assert schema_errors(load_spec("2025-26"), content)  # and it is not a 2025-26 file
    xml = tmp_path / "ILR-99999999-2627-20260108-094401.xml"
    xml.write_bytes(content)
    book = import_xml(xml, tmp_path / "sample-2026-27.xlsx")
    data = load(book)
    assert data.year == YEAR and len(data.table("Learner")) == len(load(xml).table("Learner"))
    result = convert(book, tmp_path / "out")
    assert result.written and result.path.name.startswith("ILR-99999999-2627-")
    assert schema_errors(spec, result.path.read_bytes()) == []


def test_a_2025_26_file_gets_no_provisional_notice_though_the_rules_load_every_year(tmp_path):
    import os
    import subprocess
    import sys

    example = PACKS.parent / "examples" / "example-provider-2025-26.xlsx"
    run = subprocess.run([sys.executable, "-m", "ilrkit.cli", "validate", str(example)], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "ILRKIT_DATA_DIR": str(tmp_path / "data")})
    assert run.returncode == 0, run.stderr
    assert "provisional" not in run.stderr
