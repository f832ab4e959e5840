"""Reference data: loaders, the store, `ilr refdata`, `--refdata`, and the synthetic example set."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.io import load
from ilrkit.generate import generate
from ilrkit.generate import refdata as synthetic
from ilrkit.refdata import RefDataError, add, for_data, listing, ref_date, remove_set, stores
from ilrkit.refdata.readers import detect
from ilrkit.rules.engine import validate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "refdata"
EXAMPLE = ROOT / "examples" / "example-provider-2025-26.xlsx"
runner = CliRunner()


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    """Each test stores into its own data folder, never the developer's."""
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "refdata"


def run(*args) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def lars_zip(path: Path, drop_column: str | None = None, table: str = "LARS_LearningDelivery") -> Path:
    """A LARS download-style zip of the example LARS CSVs (optionally with one column removed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for csv_path in sorted((EXAMPLES / "LARS").glob("*.csv")):
            text = csv_path.read_text(encoding="utf-8")
            if drop_column and csv_path.stem == table:
                lines = [line.split(",") for line in text.splitlines()]
                i = lines[0].index(drop_column)
                text = "\r\n".join(",".join(c for j, c in enumerate(line) if j != i) for line in lines) + "\r\n"
            zf.writestr(f"CSV/{csv_path.name}", text)
    return path


# -- the example set and the in-memory contract --------------------------------------------------------

def test_example_set_loads_with_official_tables_and_only_the_files_rows():
    data = load(EXAMPLE)
    ref = for_data(data, EXAMPLES)
    assert set(ref.tables) == {"LARS", "Contracts", "EPAOrganisations", "Postcodes", "Organisations"}
    lars = ref.tables["LARS"]
    assert {"LARS_LearningDelivery", "LARS_Validity", "LARS_Funding", "LARS_Standard"} <= set(lars)
    used = set(data.tables["LearningDelivery"]["LearnAimRef"])
    held = set(lars["LARS_LearningDelivery"]["LearnAimRef"])
    assert held == used  # only the file's aims, and every one of them
    total = (EXAMPLES / "LARS" / "LARS_LearningDelivery.csv").read_text().count("\n") - 1
    assert len(held) < total
    validity = lars["LARS_Validity"]
    assert {"LearnAimRef", "ValidityCategory", "StartDate", "EndDate", "LastNewStartDate"} <= set(validity.columns)
    values = [v for col in validity.columns for v in validity[col]]
    assert all(v is None or isinstance(v, str) for v in values)
    assert None in values  # a blank EndDate is None, not ""
    stds = set(data.tables["LearningDelivery"]["StdCode"].dropna())
    assert set(lars["LARS_Standard"]["StandardCode"]) == stds
    assert set(ref.tables["Contracts"]["ContractAllocation"]["DeliveryUKPRN"]) == {data.header["UKPRN"]}


def test_examples_are_what_make_refdata_writes(tmp_path):
    data = load(EXAMPLE)
    for rel, text in synthetic.files(ukprn=data.header["UKPRN"], **synthetic.example_keys(data)).items():
        assert (EXAMPLES / rel).read_bytes() == text.encode("utf-8"), f"run python examples/make_refdata.py ({rel})"


def test_generated_returns_use_only_aims_and_standards_in_the_example_lars():
    made = generate(300, 5)
    aims = made.data.tables["LearningDelivery"]
    ref = for_data(made.data, EXAMPLES)
    held = set(ref.tables["LARS"]["LARS_LearningDelivery"]["LearnAimRef"])
    assert set(aims["LearnAimRef"]) <= held
    assert set(aims["StdCode"].dropna()) <= set(ref.tables["LARS"]["LARS_Standard"]["StandardCode"])
    assert set(aims["EPAOrgID"].dropna()) <= set(ref.tables["EPAOrganisations"]["EPAOrganisation"]["EPAOrgID"])
    # and no rule that looks things up in reference data finds fault with a clean generated return
    from ilrkit.rules.registry import registry

    needing = {code for code, r in registry().items() if r.needs}
    report = validate(made.data, reference=ref)
    assert not [f for f in report.findings if f.rule in needing]
    assert needing & set(report.rules_run)


def test_rules_needing_a_loaded_set_run_and_others_stay_not_checked():
    data = load(EXAMPLE)
    without = validate(data)
    with_ref = validate(data, reference=for_data(data, EXAMPLES))
    assert not with_ref.has_errors
    from ilrkit.rules.registry import registry

    needing = {r.code for r in registry().values() if r.needs and set(r.needs) <= {"LARS", "Contracts",
                                                                                     "EPAOrganisations"}}
    if not needing:
        pytest.skip("no rule needing the example's sets is implemented on this branch yet")
    assert needing <= set(with_ref.rules_run) and not needing & set(without.rules_run)
    assert all(without.not_checked_reasons[c].startswith("needs reference data: ") for c in needing)


def test_ref_date_reads_the_published_forms():
    assert ref_date("2025-08-01") == dt.date(2025, 8, 1)
    assert ref_date("2025-08-01 00:00:00") == dt.date(2025, 8, 1)
    assert ref_date("01/08/2025") == dt.date(2025, 8, 1)
    assert ref_date(None) is None and ref_date("") is None and ref_date("31/02/2025") is None


# -- ilr refdata add / list / remove -------------------------------------------------------------------

def test_add_list_remove_a_lars_zip(tmp_path, own_data_folder):
    code, out = run("refdata", "add", lars_zip(tmp_path / "LARS-CSV.zip"), EXAMPLES / "contracts.csv")
    assert code == 0, out
    assert "LARS:" in out and "Contracts:" in out
    assert (own_data_folder / "LARS.sqlite").is_file()
    code, out = run("refdata", "list")
    assert code == 0
    assert "LARS" in out and "version 7.0.1" in out and "dated 01/08/2025" in out and "LARS-CSV.zip" in out
    assert not re.search(r"\d{4}-\d{2}-\d{2}", out), out  # one date style for the clerk: dd/mm/yyyy
    assert "Not loaded: Postcodes" in out
    assert "UKPRN_06" in out  # the rules each loaded set lets run
    # validate and convert use the stored data by default
    data = load(EXAMPLE)
    assert set(for_data(data).tables) == {"LARS", "Contracts"}
    code, out = run("refdata", "remove", "lars")
    assert code == 0 and not (own_data_folder / "LARS.sqlite").exists()
    code, out = run("refdata", "remove", "LARS")
    assert code == 2 and "no reference data set" in out


def test_a_truncated_lars_zip_is_refused_and_the_loaded_lars_kept(tmp_path, own_data_folder):
    assert run("refdata", "add", lars_zip(tmp_path / "good.zip"))[0] == 0
    before = (own_data_folder / "LARS.sqlite").read_bytes()
    good = (tmp_path / "good.zip").read_bytes()
    cut = tmp_path / "LARS-cut.zip"
    cut.write_bytes(good[: len(good) * 2 // 3])
    code, out = run("refdata", "add", cut)
    assert code == 2
    assert "LARS-cut.zip" in out and "damaged" in out and "Traceback" not in out
    assert (own_data_folder / "LARS.sqlite").read_bytes() == before
    assert [p.name for p in own_data_folder.iterdir()] == ["LARS.sqlite"]  # no temporary file left behind
    assert listing()[0]["source"] == "good.zip"


def test_a_zip_with_a_damaged_member_is_refused_and_the_loaded_lars_kept(tmp_path, own_data_folder):
    assert run("refdata", "add", lars_zip(tmp_path / "good.zip"))[0] == 0
    before = (own_data_folder / "LARS.sqlite").read_bytes()
    raw = bytearray((tmp_path / "good.zip").read_bytes())
    with zipfile.ZipFile(tmp_path / "good.zip") as zf:
        info = zf.getinfo("CSV/LARS_Validity.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 60):  # scramble the compressed bytes of one table
        raw[i] ^= 0x5A
    bad = tmp_path / "LARS-bad.zip"
    bad.write_bytes(bytes(raw))
    code, out = run("refdata", "add", bad)
    assert code == 2 and "LARS-bad.zip" in out and "Traceback" not in out
    assert (own_data_folder / "LARS.sqlite").read_bytes() == before


def test_a_lars_zip_missing_a_column_names_the_file_and_column(tmp_path, own_data_folder):
    code, out = run("refdata", "add", lars_zip(tmp_path / "old.zip", drop_column="ValidityCategory",
                                                table="LARS_Validity"))
    assert code == 2
    assert "LARS_Validity.csv" in out and "'ValidityCategory' is missing" in out
    assert not own_data_folder.exists() or not list(own_data_folder.iterdir())


def test_a_cut_short_csv_row_is_refused(tmp_path):
    bad = tmp_path / "contracts.csv"
    text = (EXAMPLES / "contracts.csv").read_text()
    bad.write_text(text.rsplit(",", 3)[0])
    code, out = run("refdata", "add", bad)
    assert code == 2 and "cut short" in out and "line" in out


def test_files_are_recognised_by_their_headings(tmp_path):
    assert detect(EXAMPLES / "contracts.csv").name == "Contracts"
    assert detect(EXAMPLES / "epa-organisations.csv").name == "EPAOrganisations"
    assert detect(EXAMPLES / "LARS").name == "LARS"
    for name, head, expected in (("pc.csv", "pcd,pcds,dointr,doterm\n", "Postcodes"),
                                 ("dev.csv", "Postcode,Area,Source of funding,Effective From,Effective To\n",
                                  "DevolvedPostcodes"),
                                 ("orgs.csv", "UKPRN,Name\n", "Organisations")):
        (tmp_path / name).write_text(head)
        assert detect(tmp_path / name).name == expected
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(RefDataError, match="do not match any reference set"):
        detect(tmp_path / "other.csv")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04junk")
    code, out = run("refdata", "add", tmp_path / "book.xlsx")
    assert code == 2 and "Traceback" not in out


def test_headings_are_matched_loosely_and_stored_under_official_names(tmp_path, own_data_folder):
    src = tmp_path / "devolved.csv"
    src.write_text("Postcode,Area,Source of funding,Effective From,Effective To\r\nb1 1aa,WMCA,110,2024-08-01,\r\n")
    assert run("refdata", "add", src)[0] == 0
    data = load(EXAMPLE)
    data.tables["LearningDelivery"].loc[0, "LSDPostcode"] = "B1 1AA"
    table = for_data(data).tables["DevolvedPostcodes"]["DevolvedPostcode"]
    assert list(table.columns) == ["Postcode", "Area", "SourceOfFunding", "EffectiveFrom", "EffectiveTo"]
    assert table.to_dict("records") == [{"Postcode": "b1 1aa", "Area": "WMCA", "SourceOfFunding": "110",
                                         "EffectiveFrom": "2024-08-01", "EffectiveTo": None}]


# -- ilr validate / convert --refdata ------------------------------------------------------------------

def test_validate_with_the_example_refdata_folder_as_json():
    code, out = run("validate", EXAMPLE, "--refdata", EXAMPLES, "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["summary"]["errors"] == 0
    waiting = [d["reason"].split(": ", 1)[1].split(", ") for d in doc["not_checked"]
               if d["reason"].startswith("needs reference data: ")]
    # a rule waits only for a set the example does not have (postcodes, organisations)
    assert all(set(sets) - {"LARS", "Contracts", "EPAOrganisations"} for sets in waiting)


def test_validate_refdata_must_be_a_folder(tmp_path):
    code, out = run("validate", EXAMPLE, "--refdata", tmp_path / "nowhere")
    assert code == 2 and "no such folder" in out
    code, out = run("convert", EXAMPLE, "-o", tmp_path, "--refdata", tmp_path / "nowhere")
    assert code == 2 and not list(tmp_path.glob("*.xml"))


def test_convert_uses_the_refdata_folder(tmp_path):
    code, out = run("convert", EXAMPLE, "-o", tmp_path, "--refdata", EXAMPLES)
    assert code == 0, out
    assert list(tmp_path.glob("ILR-10000001-2526-*.xml"))


def test_a_folder_is_read_once_per_process_while_unchanged(tmp_path):
    folder = tmp_path / "ref"
    shutil.copytree(EXAMPLES, folder)
    first = stores(folder)
    assert stores(folder) is first
    (folder / "contracts.csv").write_text((EXAMPLES / "contracts.csv").read_text() + "\r\n")
    assert stores(folder) is not first


def test_remove_set_of_nothing_is_none():
    assert remove_set("LARS") is None


# -- the report's not-checked line ---------------------------------------------------------------------

def test_not_checked_line_names_missing_sets_and_the_command_that_loads_them():
    from ilrkit.rules.engine import Report
    from ilrkit.rules.report import not_checked_line

    reasons = {"R1": "needs reference data: LARS", "R2": "needs reference data: LARS, Contracts",
               "R3": "needs reference data we do not have: EDRS_employers (the employer register (EDRS) is not "
                     "published)",
               "R4": "not implemented yet (it needs reference data: LARS)", "R5": "left out: reasons"}
    report = Report("f.xml", "2025-26", [], 1, [], sorted(reasons), reasons)
    line = " ".join(not_checked_line(report).split())
    assert line.startswith("5 of the agency's rules were not checked here")
    assert "LARS (learning aims) 2" in line and "your funding contracts 1" in line
    assert "`ilr refdata add FILE`" in line
    assert "no file to load: EDRS employers 1" in line
    assert "1 not built yet" in line and "1 left out on purpose" in line


def test_a_rule_waiting_for_one_of_its_sets_names_only_the_set_not_loaded():
    # DateOfBirth_32 needs LARS and Organisations: with LARS loaded, the line must not tell the clerk that
    # LARS is "not loaded" (they just loaded it) but name only the organisations file
    from ilrkit.rules.registry import registry
    from ilrkit.rules.report import not_checked_line

    both = {"LARS", "Organisations"}
    if not any(set(r.needs) == both for r in registry().values()):
        pytest.skip("no rule needing LARS and Organisations on this branch")
    from ilrkit.rules.reference import ReferenceData

    data = load(EXAMPLE)
    loaded = for_data(data, EXAMPLES)  # the example set has an organisations list too: leave it out here
    only_lars = ReferenceData({k: v for k, v in loaded.tables.items() if k != "Organisations"})
    assert only_lars.has("LARS")
    report = validate(data, reference=only_lars)
    waiting = [c for c in report.rules_not_checked if c in registry() and set(registry()[c].needs) == both]
    assert waiting and all(report.not_checked_reasons[c] == "needs reference data: Organisations"
                           for c in waiting)
    assert "LARS (learning aims)" not in " ".join(not_checked_line(report).split())


def test_unimplemented_rules_needing_a_loadable_set_say_not_built_yet():
    from ilrkit.rules.engine import not_checked_rules

    reasons = not_checked_rules()
    assert reasons["ULN_05"] == ("needs reference data we do not have: ULN_register (the Learning Records "
                                 "Service's register of ULNs is not published)")
    waiting = [why for why in reasons.values() if why.startswith("not implemented yet (it needs reference data")]
    assert all("ULN_register" not in why for why in waiting)


# -- the workbook's Contracts sheet --------------------------------------------------------------------

def test_contracts_on_the_workbooks_sheet_are_used_and_kept(tmp_path):
    import openpyxl

    from ilrkit.templates.workbook_writer import write_workbook

    book = openpyxl.load_workbook(EXAMPLE)
    ws = book["Contracts"]
    assert [c.value for c in ws[1]] == ["ContractAllocationNumber", "FundingStreamPeriodCode", "DeliveryUKPRN",
                                        "StartDate", "EndDate", "StopNewStartsFromDate"]
    ws.append(["C-1", "APPS2526", 10000001, dt.datetime(2025, 8, 1), dt.datetime(2026, 7, 31), None])
    path = tmp_path / "with-contracts.xlsx"
    book.save(path)
    data = load(path)
    assert data.reference_rows == {"Contracts": {"ContractAllocation": [
        {"ContractAllocationNumber": "C-1", "FundingStreamPeriodCode": "APPS2526", "DeliveryUKPRN": "10000001",
         "StartDate": "2025-08-01", "EndDate": "2026-07-31", "StopNewStartsFromDate": None}]}}
    # the sheet replaces the stored contracts: no adult skills allocation on it, so the adult aims are reported
    report = validate(data, reference=for_data(data, EXAMPLES))
    assert {"UKPRN_06", "UKPRN_29"} <= {f.rule for f in report.findings}
    # a workbook written from it (import, annotate) keeps the sheet's rows
    again = load(write_workbook(tmp_path / "again.xlsx", data=data))
    assert again.reference_rows == data.reference_rows


def test_a_contracts_sheet_without_its_headings_is_a_warning_not_a_failure(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE)
    ws = book["Contracts"]
    ws["B1"] = "Stream"
    ws.append(["C-1", "APPS2526", 10000001])
    path = tmp_path / "bad-contracts.xlsx"
    book.save(path)
    data = load(path)
    assert data.reference_rows == {}
    problem = next(p for p in data.problems if p.rule == "WB_CONTRACTS")
    assert problem.severity == "warning" and "'FundingStreamPeriodCode' is missing" in problem.message


def test_an_aim_lars_does_not_hold_is_reported(tmp_path):
    from ilrkit.rules.registry import get_rule

    if get_rule("LearnAimRef_01") is None:
        pytest.skip("LearnAimRef_01 (is the aim in LARS) is not implemented on this branch yet")
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE)
    ws = book["LearningAims"]
    col = next(c.column for c in ws[1] if c.value and "[LearnAimRef]" in str(c.value))
    ws.cell(row=2, column=col).value = "ZZZ99999"
    path = tmp_path / "unknown-aim.xlsx"
    book.save(path)
    code, out = run("validate", path, "--refdata", EXAMPLES, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [f for f in findings if f["rule"] == "LearnAimRef_01" and f["value"] == "ZZZ99999"]


def test_damaged_zips_are_refused_cleanly_and_never_replace_the_store(tmp_path, own_data_folder):
    """Cut the LARS zip short at many points and flip bytes at many places: every attempt either loads or is
    refused with a RefDataError naming the file; a refused one leaves the stored LARS as it was."""
    good = lars_zip(tmp_path / "good.zip").read_bytes()
    add([tmp_path / "good.zip"])
    stored = (own_data_folder / "LARS.sqlite").read_bytes()
    bad = tmp_path / "LARS-bad.zip"
    variants = [good[:n] for n in range(0, len(good), max(1, len(good) // 25))]
    for pos in range(0, len(good), max(1, len(good) // 40)):
        flipped = bytearray(good)
        flipped[pos] ^= 0xFF
        variants.append(bytes(flipped))
    refused = 0
    for content in variants:
        bad.write_bytes(content)
        try:
            add([bad])
        except RefDataError as exc:
            refused += 1
            assert "LARS-bad.zip" in str(exc)
            assert (own_data_folder / "LARS.sqlite").read_bytes() == stored
        else:  # a byte that nothing checks (a timestamp, a comment) may change: then it loaded
            stored = (own_data_folder / "LARS.sqlite").read_bytes()
    assert refused > len(variants) // 2
    assert sorted(p.name for p in own_data_folder.iterdir()) == ["LARS.sqlite"]


def test_a_zip_declaring_too_much_is_refused(tmp_path, monkeypatch):
    import ilrkit.refdata.readers as readers

    monkeypatch.setattr(readers, "MAX_UNPACKED", 1000)
    with pytest.raises(RefDataError, match="would unpack to more than"):
        add([lars_zip(tmp_path / "big.zip")])


def test_the_data_folder_itself_may_be_given(tmp_path):
    add([EXAMPLES / "contracts.csv"], tmp_path / "data" / "refdata")
    assert set(stores(tmp_path / "data")) == {"Contracts"}


def test_an_ons_postcode_directory_zip_loads_only_the_columns_rules_use(tmp_path, own_data_folder):
    src = tmp_path / "ONSPD_MAY_2025.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("Documents/readme.txt", "about the directory")
        zf.writestr("Data/multi_csv/ONSPD_MAY_2025_UK_B.csv", "pcd,pcds\r\n")
        zf.writestr("Data/ONSPD_MAY_2025_UK.csv", "pcd,pcd2,pcds,dointr,doterm,oscty\r\n"
                    "B1  1AA,B1  1AA,B1 1AA,198001,,E99999999\r\nLS6 2QT,LS6  2QT,LS6 2QT,198001,202001,E99999999\r\n")
    code, out = run("refdata", "add", src)
    assert code == 0, out
    meta = listing()[0]
    assert meta["name"] == "Postcodes" and meta["version"] == "MAY 2025" and meta["tables"] == {"ONS_Postcode": 2}
    data = load(EXAMPLE)
    data.tables["Learner"].loc[0, "Postcode"] = "LS6 2QT"
    table = for_data(data).tables["Postcodes"]["ONS_Postcode"]
    assert list(table.columns) == ["pcds", "dointr", "doterm"]
    assert table.to_dict("records") == [{"pcds": "LS6 2QT", "dointr": "198001", "doterm": "202001"}]


def test_a_trailing_comma_in_the_headings_is_ignored(tmp_path, own_data_folder):
    src = tmp_path / "orgs.csv"
    src.write_text("UKPRN,Name,\r\n10000001,Example College,\r\n")
    assert run("refdata", "add", src)[0] == 0
    assert listing()[0]["tables"] == {"Organisation": 1}


def test_a_damaged_store_warns_and_validation_goes_on(own_data_folder):
    own_data_folder.mkdir(parents=True)
    (own_data_folder / "LARS.sqlite").write_bytes(b"junk" * 100)
    code, out = run("validate", EXAMPLE, "--format", "json")
    assert code == 0 and "Warning: your loaded reference data was not used" in out
    code, out = run("validate", EXAMPLE, "--refdata", own_data_folder)
    assert code == 2 and "ilr refdata remove" in out
