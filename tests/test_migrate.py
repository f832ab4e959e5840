"""``ilr migrate``: the 2025-26 records the 2026-27 return must hold, in the 2026-27 layout, with a report of
every learner and aim carried or dropped and every change. Synthetic learners only (rules/testing.build)."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.io import load
from ilrkit.converter.migrate import CARRIED, CHANGED, CHECK, DROPPED, REPORT_COLUMNS, REPORT_SHEET, migrate
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

OPEN = {"LearnStartDate": "2025-09-01", "LearnPlanEndDate": "2027-06-30", "CompStatus": "1"}
CLOSED = {"LearnStartDate": "2025-09-01", "LearnPlanEndDate": "2026-06-30", "LearnActEndDate": "2026-06-20",
          "CompStatus": "2", "Outcome": "1"}


def _learner(ref: str, *aims: dict, **fields) -> dict:
    return {"LearnRefNumber": ref, **fields, "aims": [dict(a) for a in aims]}


def _aims(result, ref: str) -> list[dict]:
    learners = result.data.table("Learner")
    lid = learners.index[learners["LearnRefNumber"] == ref][0]
    aims = result.data.table("LearningDelivery")
    return aims[aims["_learner"] == learners.loc[lid, "_id"]].to_dict("records")


def _entries(result, ref: str, record: str | None = None):
    return [e for e in result.entries if e.learner == ref and (record is None or e.record == record)]


def _learner_action(result, ref: str) -> str:
    (entry,) = _entries(result, ref, "Learner")
    return entry.action


# -- which records move ------------------------------------------------------------------------------

def test_open_aims_move_and_finished_learners_stay_behind():
    data = build([
        _learner("OPEN1", OPEN),
        _learner("DONE1", CLOSED),
        _learner("LATE1", {**CLOSED, "LearnActEndDate": "2026-08-20", "LearnPlanEndDate": "2026-08-31"}),
        _learner("BREAK1", {**CLOSED, "CompStatus": "6", "Outcome": "3", "LearnActEndDate": "2026-03-01"}),
        _learner("WAIT1", {**CLOSED, "Outcome": "8"}),
        _learner("BLANK1", {**CLOSED, "Outcome": None}),
        _learner("NOAIMS"),
    ])
    result = migrate(data, "2026-27")
    assert result.data.year == "2026-27"
    carried = set(result.data.table("Learner")["LearnRefNumber"])
    assert carried == {"OPEN1", "LATE1", "BREAK1", "WAIT1", "BLANK1"}
    assert _learner_action(result, "DONE1") == DROPPED and _learner_action(result, "NOAIMS") == DROPPED
    reasons = {e.learner: e.reason for e in result.entries if e.record == "Aim"}
    assert "still open" in reasons["OPEN1"]
    assert "in the new year" in reasons["LATE1"]
    assert "break in learning" in reasons["BREAK1"]
    assert "Outcome 8" in reasons["WAIT1"] and "outcome is still to record" in reasons["BLANK1"]
    assert "stays in the 2025-26 return" in reasons["DONE1"]
    # every learner and every aim of the input is on the report
    assert {e.learner for e in result.entries if e.record == "Learner"} == {
        "OPEN1", "DONE1", "LATE1", "BREAK1", "WAIT1", "BLANK1", "NOAIMS"}
    assert sum(1 for e in result.entries if e.record == "Aim") == 6


def test_a_closed_aim_of_a_learner_who_continues_is_left_behind_and_the_rest_renumbered():
    data = build([_learner("MIX1", CLOSED, {**OPEN, "fams": {"SOF": "105"}})])
    result = migrate(data, "2026-27")
    (aim,) = _aims(result, "MIX1")
    assert aim["AimSeqNumber"] == "1" and aim["LearnStartDate"] == OPEN["LearnStartDate"]
    fams = result.data.table("LearningDeliveryFAM")
    assert list(fams["AimSeqNumber"]) == ["1"] and list(fams["LearnDelFAMCode"]) == ["105"]
    assert any(e.record == "LearningDelivery.AimSeqNumber" and e.action == CHANGED and "aim 2 is aim 1" in e.reason
               for e in result.entries)


def test_a_programme_moves_with_all_its_aims():
    prog = {"AimType": "1", "ProgType": "25", "StdCode": "123", "FundModel": "36", "LearnAimRef": "ZPROG001"}
    component = {"AimType": "3", "ProgType": "25", "StdCode": "123", "FundModel": "36"}
    data = build([
        _learner("APP1", {**OPEN, **prog}, {**CLOSED, **component}),  # closed component of an open programme
        _learner("APP2", {**CLOSED, **prog}, {**OPEN, **component}),  # open component of a closed programme
        _learner("APP3", {**CLOSED, **prog}, {**CLOSED, **component}),
    ])
    result = migrate(data, "2026-27")
    assert len(_aims(result, "APP1")) == 2 and len(_aims(result, "APP2")) == 2
    assert "APP3" not in set(result.data.table("Learner")["LearnRefNumber"])
    reasons = [e.reason for e in result.entries if e.record == "Aim"]
    assert any("part of the programme of aim 1" in r for r in reasons)
    assert any("programme aim of a component aim that continues" in r for r in reasons)


# -- what changes on the way ----------------------------------------------------------------------------

def test_removed_fields_and_codes_are_mapped_and_reported():
    data = build([_learner(
        "CHG1",
        {**OPEN, "PHours": "400", "AddHours": "20", "fams": {"SOF": "105", "ASL": "1"},
         "he": {"NUMHUS": "1", "FUNDCOMP": "1", "STULOAD": "100"}},
        {**OPEN, "FundModel": "10"},
        LLDDHealthProb="1",
        lldd=[{"LLDDCat": "1", "PrimaryLLDD": "1"}, {"LLDDCat": "4"}],
        employment=[{"EmpStat": "10", "DateEmpStatApp": "2015-08-01", "esm": {"EII": "2", "SEI": "1"}}],
    )])
    result = migrate(data, "2026-27")
    out = result.data
    # fields gone from the new year's tables, each value reported
    assert "PHours" not in out.table("LearningDelivery").columns
    assert "FUNDCOMP" not in out.table("LearningDeliveryHE").columns
    changed = {e.record: e for e in _entries(result, "CHG1") if e.action == CHANGED}
    assert "PHours 400 dropped" in changed["LearningDelivery.PHours"].reason
    assert "AddHours 20 dropped" in changed["LearningDelivery.AddHours"].reason
    assert "FUNDCOMP 1 dropped" in changed["LearningDeliveryHE.FUNDCOMP"].reason
    assert out.table("LearningDeliveryHE")["STULOAD"].tolist() == ["100"]
    # withdrawn codes and FAM types: the rows go, the report says what to do
    assert out.table("LLDDandHealthProblem")["LLDDCat"].tolist() == ["4"]
    dropped = {e.record: e for e in _entries(result, "CHG1") if e.action == DROPPED}
    assert "mark one category as primary" in dropped["LLDDandHealthProblem.LLDDCat"].reason
    esm = out.table("EmploymentStatusMonitoring")
    assert esm["ESMType"].tolist() == ["SEI"]
    assert "EII 2 dropped" in dropped["EmploymentStatusMonitoring EII"].reason
    assert out.table("LearningDeliveryFAM")["LearnDelFAMType"].tolist() == ["SOF"]
    assert "ASL" in dropped["LearningDeliveryFAM ASL"].reason
    # a closed funding model stays as it was and is flagged for the user
    (check,) = [e for e in _entries(result, "CHG1") if e.action == CHECK]
    assert check.record == "LearningDelivery.FundModel" and "closed on 31/07/2026" in check.reason
    assert out.table("LearningDelivery")["FundModel"].tolist() == ["99", "10"]


def test_only_a_later_year_is_accepted():
    from ilrkit.converter.errors import InputError

    with pytest.raises(InputError, match="later year"):
        migrate(build([_learner("A1", OPEN)]), "2025-26")


# -- the command -------------------------------------------------------------------------------------

@pytest.fixture
def workbook(tmp_path):
    data = build([_learner("KEEP1", {**OPEN, "PHours": "120"}), _learner("GONE1", CLOSED)])
    path = tmp_path / "OUR-2025-26.xlsx"
    write_workbook(path, data=data)
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrate_writes_the_new_years_workbook_with_its_report(workbook, tmp_path):
    before = _digest(workbook)
    out = tmp_path / "OUR-2026-27.xlsx"
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2026-27", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "Carried 1 learner(s) with 1 aim(s)" in run.output and "left 1 learner(s)" in run.output
    assert _digest(workbook) == before  # the input is only read
    data = load(out)
    assert data.year == "2026-27"
    assert data.table("Learner")["LearnRefNumber"].tolist() == ["KEEP1"]
    assert "PHours" not in data.table("LearningDelivery").columns
    assert not [p for p in data.problems if p.rule == "WB_EXTRA_SHEET"]  # the report sheet is ours
    rows = list(openpyxl.load_workbook(out, read_only=True)[REPORT_SHEET].iter_rows(values_only=True))
    header = rows.index(tuple(REPORT_COLUMNS))
    lines = rows[header + 1:]
    assert {(r[0], r[3], r[4]) for r in lines} >= {("KEEP1", "Learner", CARRIED), ("GONE1", "Learner", DROPPED),
                                                   ("KEEP1", "Aim", CARRIED), ("GONE1", "Aim", DROPPED),
                                                   ("KEEP1", "LearningDelivery.PHours", CHANGED)}


def test_migrate_never_overwrites_without_force(workbook, tmp_path):
    out = tmp_path / "OUR-2026-27.xlsx"
    out.write_bytes(b"keep me")
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2026-27", "-o", str(out)])
    assert run.exit_code == 2 and "--force" in run.output
    assert out.read_bytes() == b"keep me"
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2026-27", "-o", str(out), "--force"])
    assert run.exit_code == 0 and load(out).year == "2026-27"
    # never over the input, even with --force
    before = _digest(workbook)
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2026-27", "-o", str(workbook), "--force"])
    assert run.exit_code == 2 and _digest(workbook) == before


def test_migrate_writes_only_under_an_xlsx_name(workbook, tmp_path):
    # as `ilr template` and `ilr import`: Excel will not open a workbook called .csv
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2026-27", "-o", str(tmp_path / "new.csv")])
    assert run.exit_code == 2 and "new.xlsx" in run.output, run.output
    assert not (tmp_path / "new.csv").exists()


def test_migrate_to_an_unknown_year_names_the_years_installed(workbook, tmp_path):
    run = CliRunner().invoke(app, ["migrate", str(workbook), "--to", "2031-32", "-o", str(tmp_path / "x.xlsx")])
    assert run.exit_code == 2 and "2026-27" in run.output and "Traceback" not in run.output
    assert not (tmp_path / "x.xlsx").exists()


def test_migrate_reads_an_ilr_xml_file_too(tmp_path):
    from ilrkit.converter.xml_writer import render_xml_bytes

    xml = tmp_path / "ILR-10000001-2526-20260731-120000-01.xml"
    xml.write_bytes(render_xml_bytes(build([_learner("X1", OPEN), _learner("X2", CLOSED)])))
    out = tmp_path / "new.xlsx"
    run = CliRunner().invoke(app, ["migrate", str(xml), "--to", "2026-27", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert load(out).table("Learner")["LearnRefNumber"].tolist() == ["X1"]


def test_a_continuing_study_programme_brings_its_core_aim():
    core = {**CLOSED, "AimType": "5", "FundModel": "25"}
    other = {**OPEN, "AimType": "4", "FundModel": "25"}
    result = migrate(build([_learner("SP1", core, other), _learner("SP2", core, {**CLOSED, "FundModel": "25"})]),
                     "2026-27")
    assert [a["AimType"] for a in _aims(result, "SP1")] == ["5", "4"]
    assert any(e.learner == "SP1" and "core aim of a 16-19 study programme" in e.reason for e in result.entries)
    assert _learner_action(result, "SP2") == DROPPED


def test_a_field_newly_collected_is_flagged():
    bootcamp = {**OPEN, "FundModel": "37"}
    result = migrate(build([_learner("BC1", bootcamp), _learner("BC2", bootcamp, NINumber="QQ123456C"),
                            _learner("AS1", OPEN)]), "2026-27")
    checks = [(e.learner, e.record) for e in result.entries if e.action == CHECK]
    assert checks == [("BC1", "Learner.NINumber")]
