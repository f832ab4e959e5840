"""Every command knows the collection year: rules by year, the default year, the year taken from the file."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter.xml_writer import render_xml
from ilrkit.rules import registry as reg
from ilrkit.rules.engine import not_checked_rules, validate
from ilrkit.rules.registry import rule, rules_for_year
from ilrkit.rules.testing import build, default_today, year_defaults
from ilrkit.schemas import available_years, load_spec
from ilrkit.schemas import collection

runner = CliRunner()


def _run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.mark.parametrize("day, year", [(dt.date(2026, 7, 31), "2025-26"), (dt.date(2026, 8, 1), "2026-27"),
                                       (dt.date(2027, 7, 31), "2026-27"), (dt.date(2027, 8, 1), "2027-28"),
                                       (dt.date(2099, 9, 1), "2099-00")])
def test_collection_year_on(day, year):
    assert collection.collection_year_on(day) == year


def test_default_year_is_the_current_one_when_installed(monkeypatch):
    monkeypatch.setattr(collection, "available_years", lambda: ["2025-26", "2026-27"])
    assert collection.default_year(dt.date(2026, 12, 5)) == ("2026-27", None)
    assert collection.default_year(dt.date(2026, 3, 1)) == ("2025-26", None)


def test_default_year_falls_back_to_the_newest_with_a_note(monkeypatch):
    monkeypatch.setattr(collection, "available_years", lambda: ["2025-26", "2026-27"])
    year, note = collection.default_year(dt.date(2027, 9, 1))
    assert year == "2026-27"
    assert "2027-28" in note and "2025-26, 2026-27" in note


def test_rule_years_declaration():
    base = dataclasses.replace(next(iter(reg.registry().values())), years=None, first_year=None, last_year=None)
    assert base.applies_to("2025-26") and base.applies_to("2026-27")
    assert dataclasses.replace(base, years=("2025-26",)).applies_to("2025-26")
    assert not dataclasses.replace(base, years=("2025-26",)).applies_to("2026-27")
    assert not dataclasses.replace(base, first_year="2026-27").applies_to("2025-26")
    assert dataclasses.replace(base, first_year="2026-27").applies_to("2027-28")
    assert not dataclasses.replace(base, last_year="2025-26").applies_to("2026-27")
    with pytest.raises(ValueError, match="written like 2025-26"):
        rule("ILR_TestOnly", message="x", years=("2526",))


def test_engine_runs_only_the_rules_of_the_datas_year(monkeypatch):
    """A rule limited to another year is not run (nor reported as not checked) on this year's data."""
    def always(learner):
        return True

    for code, years in (("ILR_TestThisYear", {"years": ("2025-26",)}),
                        ("ILR_TestOtherYear", {"first_year": "2099-00"})):
        monkeypatch.setitem(reg._REGISTRY, code, reg.Rule(code, "E", "learner", "Learner", ("ULN",), "m", always,
                                                          **{"years": None, **years}))
    report = validate(build([{}]), codes={"ILR_TestThisYear", "ILR_TestOtherYear"})
    assert {f.rule for f in report.findings} == {"ILR_TestThisYear"}
    assert "ILR_TestOtherYear" not in report.rules_run + report.rules_not_checked
    assert "ILR_TestOtherYear" not in rules_for_year("2025-26")


def test_test_builder_moves_its_defaults_into_the_year():
    header, aim = year_defaults("2025-26")
    assert aim["LearnStartDate"] == "2025-09-01" and header["FilePreparationDate"] == "2026-01-15"
    assert default_today("2025-26") == dt.date(2026, 1, 15)
    start = load_spec(available_years()[-1]).teaching_year_start
    header, aim = year_defaults(available_years()[-1])
    assert aim["LearnStartDate"] == f"{start.year}-09-01"
    assert header["DateTime"].startswith(f"{start.year + 1}-01-15")


def test_rules_command_lists_the_years_rules():
    code, out = _run("rules", "--year", "2025-26")
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert listed == set(rules_for_year("2025-26"))


def test_rules_command_refuses_an_unknown_year():
    code, out = _run("rules", "--year", "1999-00")
    assert code == 2
    assert "1999-00" in out and "2025-26" in out


def test_not_checked_list_is_per_year():
    assert not_checked_rules("2025-26")  # the agency's live 2025-26 rules we do not run
    assert set(not_checked_rules("2025-26")).isdisjoint(rules_for_year("2025-26"))


def test_template_with_a_year(tmp_path):
    from ilrkit.converter.io import load

    code, out = _run("template", "--year", "2025-26", "-o", tmp_path / "t.xlsx")
    assert code == 0, out
    assert load(tmp_path / "t.xlsx").year == "2025-26"


def test_template_default_year_follows_the_date(tmp_path, monkeypatch):
    from ilrkit.converter.io import load

    monkeypatch.setattr(collection, "default_year", lambda today=None: ("2025-26", "Note: fell back"))
    code, out = _run("template", "-o", tmp_path / "t.xlsx")
    assert code == 0 and "Note: fell back" in out
    assert load(tmp_path / "t.xlsx").year == "2025-26"


def test_template_unknown_year_exit_2(tmp_path):
    code, out = _run("template", "--year", "2019-20", "-o", tmp_path / "t.xlsx")
    assert code == 2 and "2025-26" in out
    assert not (tmp_path / "t.xlsx").exists()


def test_generate_unknown_year_exit_2(tmp_path):
    code, out = _run("generate", "-n", "2", "--year", "2019-20", "-o", tmp_path / "g.xml")
    assert code == 2 and "2019-20" in out and "2025-26" in out


def test_xml_of_an_unknown_year_exit_2(tmp_path):
    xml = render_xml(build([{}])).replace("ESFA/ILR/2025-26", "ESFA/ILR/2019-20")
    path = tmp_path / "ILR-10000001-1920-20200115-100000-01.xml"
    path.write_text(xml, encoding="utf-8")
    for command in (("validate", path), ("import", path, "-o", tmp_path / "w.xlsx")):
        code, out = _run(*command)
        assert code == 2, command
        assert "ESFA/ILR/2019-20" in out and "2025-26" in out
    assert not (tmp_path / "w.xlsx").exists()


def test_workbook_of_an_unknown_year_exit_2(tmp_path):
    import openpyxl

    _run("template", "--year", "2025-26", "-o", tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    changed = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            if row[0].value is not None and len(row) > 1 and row[1].value in ("2025-26", "2526"):
                row[1].value = "2019-20"
                changed += 1
    assert changed
    wb.save(tmp_path / "old.xlsx")
    for command in (("validate", tmp_path / "old.xlsx"), ("convert", tmp_path / "old.xlsx", "-o", tmp_path)):
        code, out = _run(*command)
        assert code == 2, command
        assert "2019-20" in out and "2025-26" in out


def test_addin_new_template_defaults_to_the_current_year(tmp_path, monkeypatch):
    from ilrkit.addin.actions import new_template
    from ilrkit.converter.io import load

    monkeypatch.setattr(collection, "default_year", lambda today=None: (available_years()[-1], None))
    assert load(new_template(tmp_path / "a.xlsx")).year == available_years()[-1]
    assert load(new_template(tmp_path / "b.xlsx", "2526")).year == "2025-26"


def test_year_facts_come_from_the_datas_year():
    from ilrkit.rules import year as year_facts
    from ilrkit.rules.engine import build_learners

    learner = build_learners(build([{"aims": [{}]}]))[0]
    assert year_facts.spec_of(learner).year == "2025-26"  # no validation context: the default year
    assert year_facts.devolved_sof(learner) == frozenset(str(c) for c in range(110, 124))
    with pytest.raises(year_facts.MissingYearFact, match="no 'nothing_like_this'"):
        year_facts.fact(load_spec("2025-26"), "nothing_like_this")
    for year in available_years():  # every installed pack has the facts the rules read
        spec = load_spec(year)
        for name in ("devolved_sof_codes", "he_fee_ceiling"):
            assert year_facts.fact(spec, name) is not None, (year, name)
    if "2026-27" in available_years():
        class Ctx:  # what a rule's record reaches during a validation of a 2026-27 file
            spec = load_spec("2026-27")

        class Record:
            ctx = Ctx()

        assert year_facts.devolved_sof(Record()) == frozenset(str(c) for c in range(110, 131))
