"""2026-27 end to end: the new year's codes and lengths pass every rule, the removed ones are flagged, and
template, generate, validate, import and convert all work in the year of the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.io import load
from ilrkit.converter.xml_writer import render_xml, schema_errors
from ilrkit.generate import calendar, header, learner_specs, preparation_day
from ilrkit.rules.engine import validate
from ilrkit.rules.testing import build
from ilrkit.schemas import available_years, load_spec

YEAR = "2026-27"
AFTER_THE_YEAR = dt.date(2027, 8, 15)  # "not after today" rules are settled

pytestmark = pytest.mark.skipif(YEAR not in available_years(), reason="the 2026-27 year pack is not installed")
runner = CliRunner()


def _run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def _new_year_learners(year: str = YEAR) -> list[dict]:
    """Generated learners with what is new in 2026-27: an FM39 aim, SOF 125 and an 8-character EPAOrgID."""
    specs = learner_specs(12, 5, year=YEAR, kinds=["38", "36", "37"])
    adult_skills = [s for s in specs if all(a["FundModel"] == "38" for a in s["aims"])]
    fm39, devolved, apprentice = adult_skills[0], adult_skills[1], specs[1]
    fm39["LearnRefNumber"], apprentice["LearnRefNumber"], devolved["LearnRefNumber"] = "FM39", "EPA8", "SOF125"
    for aim in fm39["aims"]:
        aim["FundModel"] = "39"  # Growth and Skills short course offer, funded by the DfE
        aim["fams"] = [{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}]
    epa = [aim for aim in apprentice["aims"] if aim.get("EPAOrgID")]
    assert epa
    for aim in epa:
        aim["EPAOrgID"] = "12345678"
    for aim in devolved["aims"]:
        for fam in aim["fams"]:
            if fam["LearnDelFAMType"] == "SOF":
                fam["LearnDelFAMCode"] = "125"  # The Lancashire Combined County Authority
    return specs


def _findings(year: str, learners: list[dict]) -> set[tuple[str, str]]:
    data = build(learners, header=header(calendar(YEAR)), year=year, defaults=False)
    report = validate(data, today=AFTER_THE_YEAR)
    assert not [c for c, why in report.not_checked_reasons.items() if "internal" in why]
    return {(f.rule, f.learn_ref) for f in report.errors}


def test_fm39_sof_125_and_8_character_epaorgid_pass_every_2026_27_rule():
    assert _findings(YEAR, _new_year_learners()) == set()


def test_the_same_records_fail_in_2025_26():
    found = _findings("2025-26", _new_year_learners())
    assert ("FundModel_01", "FM39") in found
    assert ("LearnDelFAMType_04", "SOF125") in found
    assert ("FD_EPAOrgID_AL", "EPA8") in found


def test_llddcat_1_is_flagged_in_2026_27():
    learners = learner_specs(3, 7, year=YEAR, kinds=["38"])
    learners[0]["LLDDHealthProb"] = "1"
    learners[0]["lldd"] = [{"LLDDCat": "1", "PrimaryLLDD": "1"}]
    assert _findings(YEAR, learners) == {("LLDDCat_01", learners[0]["LearnRefNumber"])}


def test_fm10_and_early_fm39_are_flagged_in_2026_27():
    learners = learner_specs(3, 7, year=YEAR, kinds=["38"])
    learners[0]["aims"][0]["FundModel"] = "10"
    learners[1]["aims"][0].update(FundModel="39", LearnStartDate="2026-07-01",
                                  fams=[{"LearnDelFAMType": "SOF", "LearnDelFAMCode": "105"}])
    found = _findings(YEAR, learners)
    assert ("ILR_FundModel_Closed", learners[0]["LearnRefNumber"]) in found
    assert ("ILR_FundModel_NewCode", learners[1]["LearnRefNumber"]) in found


def test_rules_of_removed_fields_are_not_part_of_2026_27():
    code, out = _run("rules", "--year", YEAR)
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {"PHours_01", "AddHours_01", "FD_FUNDCOMP_AL", "LearnDelFAMType_119"}.isdisjoint(listed)
    assert {"ULN_04", "FD_EPAOrgID_AL", "ILR_FundModel_NewCode", "ILR_AFinType_Occurs"} <= listed
    code, out = _run("rules", "--year", "2025-26")
    assert "PHours_01" in out and "ILR_FundModel_NewCode" not in out


def test_template_2026_27_validates_like_an_empty_2025_26_template(tmp_path):
    """An empty template only lacks its content (a UKPRN, a learner), in either year."""
    found = {}
    for year in ("2025-26", YEAR):
        path = tmp_path / f"{year}.xlsx"
        code, out = _run("template", "--year", year, "-o", path)
        assert code == 0, out
        data = load(path)
        assert data.year == year
        code, out = _run("validate", path, "--format", "json")
        report = json.loads(out)
        assert report["year"] == year
        assert not [n["rule"] for n in report["not_checked"] if "internal" in n["reason"]]
        found[year] = {f["rule"] for f in report["findings"]}
    assert found[YEAR] == found["2025-26"] == {"Entity_1", "ILR_Header"}


def test_generate_2026_27_validates_clean(tmp_path):
    code, out = _run("generate", "-n", "60", "--year", YEAR, "-o", tmp_path)
    assert code == 0, out
    xml = Path(out.strip().splitlines()[-1])
    assert xml.name.startswith("ILR-10000001-2627-")
    day = dt.date.fromisoformat(load(xml).header["FilePreparationDate"])
    assert day == preparation_day(YEAR, dt.date.today()) and day <= max(dt.date.today(), dt.date(2027, 6, 30))
    assert calendar(YEAR).year_start <= day <= calendar(YEAR).year_end
    code, out = _run("validate", xml)
    assert code == 0, out
    code, out = _run("generate", "-n", "30", "--year", YEAR, "-o", tmp_path / "g.xlsx")
    assert code == 0, out
    code, out = _run("validate", tmp_path / "g.xlsx")
    assert code == 0, out


def test_preparation_day():
    assert preparation_day(YEAR, dt.date(2026, 12, 5)) == dt.date(2026, 12, 5)
    assert preparation_day(YEAR, dt.date(2027, 9, 1)) == dt.date(2027, 6, 30)
    assert preparation_day(YEAR, dt.date(2026, 8, 2)) == dt.date(2027, 6, 30)  # too early in the year
    assert preparation_day("2025-26", dt.date(2026, 12, 5)) == dt.date(2026, 6, 30)


def test_validate_import_convert_take_the_year_from_the_file(tmp_path):
    learners = _new_year_learners()
    data = build(learners, header={**header(calendar(YEAR)), "FilePreparationDate": "2026-11-30",
                                   "DateTime": "2026-11-30T09:00:00"}, year=YEAR, defaults=False)
    xml = tmp_path / "ILR-10000001-2627-20261130-090000-01.xml"
    xml.write_text(render_xml(data), encoding="utf-8")
    assert "ESFA/ILR/2026-27" in xml.read_text(encoding="utf-8")

    code, out = _run("validate", xml, "--format", "json")
    assert json.loads(out)["year"] == YEAR

    workbook = tmp_path / "imported.xlsx"
    code, out = _run("import", xml, "-o", workbook)
    assert code == 0, out
    back = load(workbook)
    assert back.year == YEAR and len(back.tables["Learner"]) == len(learners)

    code, out = _run("convert", workbook, "-o", tmp_path / "out")
    assert code in (0, 1), out
    written = Path(out.strip().splitlines()[0])
    assert written.name.startswith("ILR-10000001-2627-")
    content = written.read_bytes()
    assert b"ESFA/ILR/2026-27" in content
    assert schema_errors(load_spec(YEAR), content) == []


def test_generated_2026_27_return_has_short_courses_and_is_clean_under_every_rule():
    from ilrkit.generate import generate
    from ilrkit.rules.registry import rules_for_year

    made = generate(150, seed=11, year=YEAR)
    aims = made.data.tables["LearningDelivery"]
    assert (aims["FundModel"] == "39").any()  # the short course offer, new this year
    assert "PHours" not in aims.columns or aims["PHours"].isna().all()  # not collected any more
    report = validate(made.data, today=AFTER_THE_YEAR, strict=True)
    assert set(report.rules_run) == {c for c, r in rules_for_year(YEAR).items() if not r.needs}
    assert [(f.rule, f.learn_ref, f.message) for f in report.errors] == []


def test_generated_2026_27_faults_are_found():
    from ilrkit.generate import generate

    made = generate(120, seed=3, year=YEAR, error_rate=0.2)
    report = validate(made.data, today=AFTER_THE_YEAR, strict=True)
    found: dict[str, set[str]] = {}
    for f in report.errors:
        found.setdefault(f.learn_ref, set()).add(f.rule)
    assert made.faults and [f for f in made.faults if f.rule not in found.get(f.learn_ref, ())] == []
    assert set(found) <= {f.learn_ref for f in made.faults}


def test_2025_26_generated_return_has_no_short_courses():
    from ilrkit.generate import generate

    assert not (generate(150, seed=11).data.tables["LearningDelivery"]["FundModel"] == "39").any()


def test_messages_name_the_datas_year():
    """Teaching-year dates and length limits in messages are the year's own, not 2025-26's."""
    learners = [{"LearnRefNumber": "L1", "DateOfBirth": "2026-09-01", "aims": [{"EPAOrgID": "EPA000001"}]}]
    for year, start, longest in (("2025-26", "01/08/2025", "7"), (YEAR, "01/08/2026", "8")):
        report = validate(build(learners, year=year), codes={"DateOfBirth_27", "FD_EPAOrgID_AL"})
        messages = {f.rule: f.message for f in report.findings}
        assert start in messages["DateOfBirth_27"], messages
        assert f"at most {longest} characters" in messages["FD_EPAOrgID_AL"], messages


def test_a_year_typed_on_the_provider_sheet_that_differs_from_the_workbooks_is_refused(tmp_path):
    # a clerk who "moves" last year's workbook on by typing 2026-27 in the Provider sheet must not get a
    # 2025-26 return without a word: the workbook is refused, naming both years and ilr migrate
    import openpyxl

    book = tmp_path / "ours.xlsx"
    book.write_bytes((Path(__file__).resolve().parents[1] / "examples" / "example-provider-2025-26.xlsx")
                     .read_bytes())
    wb = openpyxl.load_workbook(book)
    row = next(r for r in wb["Provider"].iter_rows() if str(r[0].value).startswith("Collection year"))
    row[1].value = YEAR
    wb.save(book)
    code, out = _run("validate", book)
    flat = " ".join(out.split())
    assert code == 2 and "2025-26" in flat and YEAR in flat and "ilr migrate" in flat, out
    row[1].value = "2025-26"  # put back as it was: read as before
    wb.save(book)
    assert _run("validate", book)[0] == 0


@pytest.mark.parametrize("sheet, key, typed, rule", [
    ("LLDD", "LLDDCat", "1 – Emotional/behavioural difficulties", "LLDDCat_01"),  # withdrawn in 2026-27
    ("Learners", "Ethnicity", "30 – Not a code", "Ethnicity_01"),
])
def test_a_label_from_a_dropdown_whose_code_is_not_on_this_years_list_is_judged_by_its_code(
        tmp_path, sheet, key, typed, rule):
    # copied from last year's workbook: the clerk is told the code is not valid, not that the dash is not
    # allowed or that the cell must hold a whole number
    import openpyxl

    from clerk_helpers import column_of
    from ilrkit.generate import generate
    from ilrkit.templates.workbook_writer import write_workbook

    path = tmp_path / "copied.xlsx"
    write_workbook(path, data=generate(3, seed=3, year=YEAR).data, force=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    ws.cell(row=2, column=column_of(ws, "LearnRefNumber")).value = wb["Learners"]["A2"].value
    cell = ws.cell(row=2, column=column_of(ws, key))
    cell.value = typed
    wb.save(path)
    found = [f for f in validate(load(path), today=AFTER_THE_YEAR).findings if f.cell == f"{sheet}!{cell.coordinate}"]
    assert [f.rule for f in found] == [rule], found


@pytest.mark.parametrize(("year", "allowed"), [("2025-26", "must be 35 or 10,"), (YEAR, "must be 35,")])
def test_fundmodel_10_never_suggests_a_funding_model_the_year_has_closed(year, allowed):
    aim = {"FundModel": 38, "LearnStartDate": "2024-07-31", "LearnPlanEndDate": "2025-06-30", "fams": {"SOF": "110"}}
    report = validate(build([{"LearnRefNumber": "L1", "aims": [aim]}], year=year), codes={"FundModel_10"})
    [finding] = report.findings
    assert allowed in finding.message and "(source of funding 110)" in finding.message
