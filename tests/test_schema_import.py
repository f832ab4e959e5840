"""``ilr schema import``: a year pack built from the agency's own XSD (and rules list) in the user's data
folder, used from then on by load_spec, template, convert and validate; what changed is printed.

The official 2025-26 XSD is read from ../shared (never copied); the 2026-27 and 2027-28 schemas are made in
the test from it (or from our equivalent generated 2025-26 XSD when the official one is absent)."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import openpyxl
import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.schemas import load_spec
from ilrkit.schemas.importer import diff_specs, import_schema
from ilrkit.schemas.spec import PACKS, forget_loaded_packs, load_pack
from ilrkit.schemas.xsd import generate_xsd

XS = "{http://www.w3.org/2001/XMLSchema}"
OFFICIAL = Path(__file__).resolve().parents[1].parent / "shared/esfa/2025-26/schemafile25.xsd"
RULES_CSV = OFFICIAL.parent / "ILR_Validation_Rules_2025_26_Version_3.csv"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(folder))
    forget_loaded_packs()
    yield folder
    forget_loaded_packs()  # before the variable is restored: the next test reads the shipped packs again


def _source_2025_26() -> Path:
    """The agency's 2025-26 XSD when present, else ours (tests/test_xsd.py proves them equivalent)."""
    return OFFICIAL if OFFICIAL.is_file() else PACKS / "2025-26" / "ILR-2025-26.xsd"


def _xsd_for(dest: Path, year: str, code: str, drop=("PHours", "AddHours", "FUNDCOMP"), epa_length=8) -> Path:
    """A 2025-26 XSD moved to ``year`` with the published 2026-27 field changes applied."""
    text = _source_2025_26().read_text(encoding="utf-8").replace("ESFA/ILR/2025-26", f"ESFA/ILR/{year}")
    root = etree.fromstring(text.encode("utf-8"))
    for enum in root.iter(f"{XS}enumeration"):
        if enum.get("value").strip() == "2526":
            enum.set("value", code)
    elements = list(root.iter(f"{XS}element"))
    for el in elements:
        if el.get("name") in drop:
            el.getparent().remove(el)
        elif el.get("name") == "EPAOrgID":
            el.find(f".//{XS}maxLength").set("value", str(epa_length))
    dest.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return dest


def _fields(spec):
    return {f.qualified: (f.type, f.min_occurs, f.max_occurs, f.min_length, f.max_length, f.length, f.pattern,
                          f.min_inclusive, f.max_inclusive, f.total_digits, f.fraction_digits, f.enumeration)
            for e in spec.entities.values() for f in e.fields}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_official_2025_26_xsd_gives_the_shipped_spec_back(data_dir):
    if not OFFICIAL.is_file():
        pytest.skip("../shared/esfa/2025-26/schemafile25.xsd not present: the official XSD is needed for this check")
    result = import_schema(OFFICIAL, rules=RULES_CSV if RULES_CSV.is_file() else None)
    assert result.diff.empty, result.diff.lines()
    assert "no differences" in result.diff.lines()[1]
    shipped, loaded = load_pack(PACKS / "2025-26"), load_spec("2025-26")
    assert loaded.folder == data_dir / "schemas" / "2025-26"
    assert list(loaded.entities) == list(shipped.entities)
    assert _fields(loaded) == _fields(shipped)
    assert loaded.codelists.keys() == shipped.codelists.keys()
    assert not loaded.provisional
    assert loaded.xsd_path.read_bytes() == generate_xsd(shipped)


def test_a_2026_27_schema_replaces_the_provisional_pack(data_dir, tmp_path, caplog):
    xsd = _xsd_for(tmp_path / "schemafile26.xsd", "2026-27", "2627", drop=("PHours", "AddHours", "FUNDCOMP",
                                                                          "OTJActHours"))
    provisional = load_pack(PACKS / "2026-27")
    run = CliRunner().invoke(app, ["schema", "import", str(xsd)])
    assert run.exit_code == 0, run.output
    out = run.output
    assert "Installed the 2026-27 year pack" in out
    assert "fields removed (1):" in out and "LearningDelivery.OTJActHours" in out
    assert "provisional choices settled" in out and "OTJActHours (was: kept" in out
    assert "namespace:" not in out and "PHours" not in out  # the provisional pack had those changes already

    spec = load_spec("2026-27")
    assert spec.folder == data_dir / "schemas" / "2026-27"
    assert not spec.provisional and spec.notice is None
    expected = {q: v for q, v in _fields(provisional).items() if q != "LearningDelivery.OTJActHours"}
    assert _fields(spec) == expected
    # what the XSD does not hold comes from the pack it replaced; settled choices are gone
    assert "39" in spec.codelist("LearningDelivery.FundModel")
    assert spec.fam_type("AppFinRecord", "RIP") is not None
    assert {p["item"] for p in spec.provisional_choices}.isdisjoint({"OTJActHours", "EPAOrgID form"})
    assert "AFinType RIP codes" in {p["item"] for p in spec.provisional_choices}

    # template uses it: no OTJActHours column, no provisional notice
    caplog.set_level(logging.WARNING, logger="ilrkit.year")
    book = tmp_path / "t.xlsx"
    assert CliRunner().invoke(app, ["template", "--year", "2026-27", "-o", str(book)]).exit_code == 0
    headers = [c.value for c in openpyxl.load_workbook(book, read_only=True)["LearningAims"][1]]
    assert any("[EPAOrgID]" in str(h) for h in headers)
    assert not any("OTJActHours" in str(h) for h in headers)
    assert "provisional" not in caplog.text


def test_diff_from_2025_26_names_every_schema_change(data_dir, tmp_path):
    import_schema(_xsd_for(tmp_path / "schemafile26.xsd", "2026-27", "2627"))
    diff = diff_specs(load_pack(PACKS / "2025-26"), load_spec("2026-27"))
    assert diff.namespace == ("ESFA/ILR/2025-26", "ESFA/ILR/2026-27")
    assert sorted(diff.fields_removed) == ["LearningDelivery.AddHours", "LearningDelivery.PHours",
                                           "LearningDeliveryHE.FUNDCOMP"]
    assert diff.fields_added == []
    assert diff.field_changes == ["LearningDelivery.EPAOrgID: maximum length 7 -> 8"]
    assert "CollectionDetails.Year: added 2627; removed 2526" in diff.code_changes
    assert any(c.startswith("LearningDeliveryFAM.SOF: added 124") for c in diff.code_changes)
    text = "\n".join(diff.lines())
    assert "fields removed (3):" in text and "LearningDelivery.EPAOrgID: maximum length 7 -> 8" in text


def test_a_year_with_no_pack_is_built_from_the_latest_earlier_one(data_dir, tmp_path):
    xsd = _xsd_for(tmp_path / "schemafile27.xsd", "2027-28", "2728")
    result = import_schema(xsd)
    spec = load_spec("2027-28")
    assert spec.year_code == "2728" and spec.namespace == "ESFA/ILR/2027-28"
    assert str(spec.teaching_year_start) == "2027-08-01" and str(spec.teaching_year_end) == "2028-07-31"
    assert spec.facts["previous_year"] == "2026-27"
    assert "2026-27 pack it was built from" in result.diff.lines()[0]
    assert result.diff.namespace == ("ESFA/ILR/2026-27", "ESFA/ILR/2027-28")
    from ilrkit.schemas import year_for_namespace

    assert year_for_namespace("ESFA/ILR/2027-28") == "2027-28"


def _write_rules_csv(path: Path, codes: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "Status", "Category", "Severity"])
        for code in codes:
            w.writerow([code, "Active", "Learner", "Error"])
        w.writerow(["Gone_01", "Deleted", "Learner", "Error"])
    return path


def test_rules_list_replaces_the_agency_rules_and_the_differences_are_printed(data_dir, tmp_path):
    shipped = yaml.safe_load((PACKS / "2026-27" / "agency_rules.yaml").read_text(encoding="utf-8"))["rules"]
    keep = sorted(shipped)[1:]
    rules = _write_rules_csv(tmp_path / "rules.csv", keep + ["RIP_01"])
    xsd = _xsd_for(tmp_path / "schemafile26.xsd", "2026-27", "2627")
    run = CliRunner().invoke(app, ["schema", "import", str(xsd), "--rules", str(rules)])
    assert run.exit_code == 0, run.output
    assert "agency rules added (1):\n    RIP_01" in run.output
    assert f"agency rules removed (1):\n    {sorted(shipped)[0]}" in run.output
    loaded = yaml.safe_load((data_dir / "schemas/2026-27/agency_rules.yaml").read_text(encoding="utf-8"))["rules"]
    assert "Gone_01" not in loaded and loaded["RIP_01"] == {"category": "Learner", "severity": "error"}
    needing = next((c for c in keep if shipped[c].get("needs")), None)
    if needing:  # ilrkit's own analysis of reference data needs is kept
        assert loaded[needing]["needs"] == shipped[needing]["needs"]


def test_rules_list_as_a_workbook(data_dir, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Learning Delivery Rules"
    ws.append(["Version", "Status", "Rule Name", "Rule Description", "Error/ Warning"])
    ws.append(["1", "active", "EPAOrgID_01", "text not kept", "Error"])
    ws.append(["1", "new", "RIP_02", "text not kept", "Warning"])
    ws.append(["1", "delete", "PHours_01", "text not kept", "Error"])
    wb.save(tmp_path / "rules.xlsx")
    import_schema(_xsd_for(tmp_path / "s.xsd", "2026-27", "2627"), rules=tmp_path / "rules.xlsx")
    loaded = yaml.safe_load((data_dir / "schemas/2026-27/agency_rules.yaml").read_text(encoding="utf-8"))["rules"]
    shipped = yaml.safe_load((PACKS / "2026-27" / "agency_rules.yaml").read_text(encoding="utf-8"))["rules"]
    assert loaded == {"EPAOrgID_01": {"category": "Learning Delivery Rules", "severity": "error",
                                      "needs": shipped["EPAOrgID_01"]["needs"]},
                      "RIP_02": {"category": "Learning Delivery Rules", "severity": "warning"}}


def test_a_server_folder_given_with_o(data_dir, tmp_path):
    server = tmp_path / "server-data"
    run = CliRunner().invoke(app, ["schema", "import", str(_xsd_for(tmp_path / "s.xsd", "2026-27", "2627")),
                                   "-o", str(server)])
    assert run.exit_code == 0, run.output
    assert (server / "schemas/2026-27/spec.yaml").is_file()
    assert f"ILRKIT_DATA_DIR={server}" in run.output
    assert not (data_dir / "schemas").exists()  # the user's own folder is left alone
    assert load_spec("2026-27").provisional


BAD_XSD = {
    "not XML": b"this is not a schema",
    "XML, not a schema": b"<?xml version='1.0'?><Message xmlns='ESFA/ILR/2026-27'/>",
    "a schema without the ILR layout": (b"<?xml version='1.0'?><xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'"
                                        b" targetNamespace='ESFA/ILR/2026-27'><xs:element name='Other' "
                                        b"type='xs:string'/></xs:schema>"),
}


@pytest.mark.parametrize("case", sorted(BAD_XSD))
def test_a_malformed_schema_exits_2_and_leaves_the_pack_alone(data_dir, tmp_path, case):
    import_schema(_xsd_for(tmp_path / "good.xsd", "2026-27", "2627"))
    before = _snapshot(data_dir)
    bad = tmp_path / "bad.xsd"
    bad.write_bytes(BAD_XSD[case])
    run = CliRunner().invoke(app, ["schema", "import", str(bad)])
    assert run.exit_code == 2, run.output
    assert "Error:" in run.output and "Traceback" not in run.output
    assert _snapshot(data_dir) == before


def test_a_schema_of_another_namespace_is_refused(data_dir, tmp_path):
    text = _source_2025_26().read_text(encoding="utf-8").replace("ESFA/ILR/2025-26", "urn:example:other")
    (tmp_path / "other.xsd").write_text(text, encoding="utf-8")
    run = CliRunner().invoke(app, ["schema", "import", str(tmp_path / "other.xsd")])
    assert run.exit_code == 2 and "not an ILR year" in run.output
    assert not (data_dir / "schemas" / "2025-26").exists()


def test_a_missing_rules_file_exits_2_before_anything_is_written(data_dir, tmp_path):
    xsd = _xsd_for(tmp_path / "s.xsd", "2026-27", "2627")
    run = CliRunner().invoke(app, ["schema", "import", str(xsd), "--rules", str(tmp_path / "nope.csv")])
    assert run.exit_code == 2 and "does not exist" in run.output
    assert not (data_dir / "schemas").exists()


def test_schema_list_shows_where_each_year_comes_from(data_dir, tmp_path):
    run = CliRunner().invoke(app, ["schema", "list"])
    assert run.exit_code == 0
    lines = {line.split()[0]: line for line in run.output.splitlines() if line[:1].isdigit()}
    assert "provisional" in lines["2026-27"] and "shipped" in lines["2026-27"]
    assert "official" in lines["2025-26"]
    import_schema(_xsd_for(tmp_path / "s.xsd", "2026-27", "2627"))
    run = CliRunner().invoke(app, ["schema", "list"])
    line = next(line for line in run.output.splitlines() if line.startswith("2026-27"))
    assert "official schema" in line and str(data_dir / "schemas" / "2026-27") in line


def test_importing_again_updates_the_pack_and_compares_with_it(data_dir, tmp_path):
    xsd = _xsd_for(tmp_path / "schemafile26.xsd", "2026-27", "2627")
    assert CliRunner().invoke(app, ["schema", "import", str(xsd)]).exit_code == 0
    run = CliRunner().invoke(app, ["schema", "import", str(xsd)])
    assert run.exit_code == 0
    assert "Updated the 2026-27 year pack" in run.output
    assert f"loaded from {data_dir / 'schemas' / '2026-27'}" in run.output and "no differences" in run.output
    assert sorted(p.name for p in (data_dir / "schemas").iterdir()) == ["2026-27"]  # nothing left over


def test_a_schema_with_entities_or_other_files_is_refused(data_dir, tmp_path):
    good = _xsd_for(tmp_path / "good.xsd", "2026-27", "2627").read_text(encoding="utf-8")
    head, body = good.split("?>", 1)
    for name, text in {
        "entity.xsd": f'{head}?><!DOCTYPE xs:schema [<!ENTITY x "{"y" * 10}">]>{body}',
        "include.xsd": good.replace("<xs:element name=\"Message\"",
                                    "<xs:include schemaLocation=\"other.xsd\"/><xs:element name=\"Message\"", 1),
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        run = CliRunner().invoke(app, ["schema", "import", str(tmp_path / name)])
        assert run.exit_code == 2 and "one plain file" in run.output, (name, run.output)
    assert not (data_dir / "schemas").exists()


def test_a_damaged_rules_workbook_is_refused(data_dir, tmp_path):
    (tmp_path / "rules.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    run = CliRunner().invoke(app, ["schema", "import", str(_xsd_for(tmp_path / "s.xsd", "2026-27", "2627")),
                                   "--rules", str(tmp_path / "rules.xlsx")])
    assert run.exit_code == 2 and "Traceback" not in run.output
    assert not (data_dir / "schemas").exists()


@pytest.mark.parametrize("year", ["2025-26", "2026-27"])
def test_our_own_generated_schema_with_named_types_imports_to_the_same_fields(data_dir, year):
    """A schema written with named types (as ilrkit's generated XSDs are; the agency may publish one so) reads
    to the same fields, types, lengths and codes as the pack it was generated from."""
    from ilrkit.schemas.build import spec_from_xsd

    shipped = load_pack(PACKS / year)
    xsd = PACKS / year / f"ILR-{year}.xsd"
    assert etree.parse(str(xsd)).getroot().find(f"{XS}complexType[@name='LearnerType']") is not None  # named
    read = spec_from_xsd(xsd)
    assert read["namespace"] == shipped.namespace
    assert [e["name"] for e in read["entities"]] == list(shipped.entities)
    learner = next(e for e in read["entities"] if e["name"] == "Learner")
    uln = next(f for f in learner["items"] if f.get("field") == "ULN")
    assert uln["type"] == shipped.entity("Learner").field("ULN").type
    code, out = _run_import(xsd)
    assert code == 0, out


def _run_import(xsd: Path):
    result = CliRunner().invoke(app, ["schema", "import", str(xsd)])
    return result.exit_code, result.output


@pytest.mark.skipif(not OFFICIAL.is_file(), reason="the agency's 2025-26 XSD is not in ../shared/esfa")
def test_named_and_nested_schemas_read_alike():
    from ilrkit.schemas.build import spec_from_xsd

    assert spec_from_xsd(PACKS / "2025-26" / "ILR-2025-26.xsd") == spec_from_xsd(OFFICIAL)
