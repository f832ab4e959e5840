"""The synthetic-provider generator: deterministic, clean under every rule, faults found where planted."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.generate import Generated, calendar, generate, header, learner_specs
from ilrkit.generate.example import EXAMPLE_KINDS, EXAMPLE_NAME, example
from ilrkit.generate.faults import CATALOGUE, plant
from ilrkit.generate.identifiers import emp_check_digit, uln_check_digit
from ilrkit.generate.output import faults_path, write
from ilrkit.converter.io import load
from ilrkit.converter.xml_writer import render_xml, schema_errors
from ilrkit.rules.engine import validate
from ilrkit.rules.registry import registry, rules_for_year
from ilrkit.rules.testing import build

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 29)  # after the 2025-26 year, so "not after today" rules are settled


def _errors_by_learner(report) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for f in report.errors:
        found[f.learn_ref].add(f.rule)
    return found


@pytest.fixture(scope="module")
def clean():
    return generate(150, seed=11)


def test_same_seed_same_return_and_smaller_is_a_prefix():
    assert render_xml(generate(30, seed=5).data) == render_xml(generate(30, seed=5).data)
    assert render_xml(generate(30, seed=5).data) != render_xml(generate(30, seed=6).data)
    assert learner_specs(10, seed=5) == learner_specs(25, seed=5)[:10]
    faulty = [generate(60, seed=5, error_rate=0.2).faults for _ in range(2)]
    assert faulty[0] == faulty[1]


def test_a_realistic_mix(clean):
    tables = clean.data.tables
    aims = tables["LearningDelivery"]
    assert set(aims["FundModel"]) >= {"25", "35", "36", "37", "38", "81", "99"}
    per_learner = aims.groupby("_parent").size()
    assert per_learner.min() >= 1 and per_learner.max() <= 6 and per_learner.mean() > 2
    assert not tables["LearningDeliveryHE"].empty and not tables["LearnerHE"].empty
    assert {"ACT", "SOF"} <= set(tables["LearningDeliveryFAM"]["LearnDelFAMType"])
    assert tables["LearningDeliveryFAM"].query("LearnDelFAMType == 'ACT'")["LearnDelFAMDateFrom"].notna().all()
    assert {"TNP", "PMR"} <= set(tables["AppFinRecord"]["AFinType"])
    assert (tables["LearnerEmploymentStatus"].groupby("_parent").size() > 1).any()  # status history
    assert not tables["LLDDandHealthProblem"].empty and not tables["LearnerFAM"].empty
    learners = tables["Learner"]
    assert learners["ULN"].map(lambda u: uln_check_digit(u[:9]) == int(u[9])).all()
    assert learners["Postcode"].str.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}").all()
    emp = tables["LearnerEmploymentStatus"]["EmpId"].dropna()
    assert emp.map(lambda e: emp_check_digit(e[:8]) == int(e[8])).all()


def test_people_are_obviously_not_real(clean):
    learners = clean.data.tables["Learner"]
    assert learners["Email"].dropna().str.endswith("@example.com").all()
    assert learners["TelNo"].str.startswith("07700900").all()  # Ofcom's range for fiction
    assert learners["NINumber"].dropna().str.startswith("TN").all()  # never issued to a person


def test_clean_return_has_no_errors_under_any_registered_rule(clean):
    report = validate(clean.data, today=TODAY, strict=True)
    # all the year's rules ran
    assert set(report.rules_run) == {code for code, r in rules_for_year(clean.data.year).items() if not r.needs}
    assert [(f.rule, f.learn_ref, f.message) for f in report.errors] == []


def test_clean_for_another_seed_and_return_date():
    made = generate(80, seed=29, as_of=dt.date(2026, 3, 31))
    report = validate(made.data, today=TODAY, strict=True)
    assert [(f.rule, f.learn_ref, f.message) for f in report.errors] == []


def test_error_rate_plants_about_that_share_and_each_is_found():
    made = generate(120, seed=3, error_rate=0.1)
    assert len(made.faults) == 12
    assert len({f.learn_ref for f in made.faults}) == 12
    found = _errors_by_learner(validate(made.data, today=TODAY, strict=True))
    assert [f for f in made.faults if f.rule not in found.get(f.learn_ref, ())] == []
    assert set(found) <= {f.learn_ref for f in made.faults}  # clean learners stay clean


def _one_of_each_fault():
    """160 clean learners with every kind in the catalogue planted once, and what was planted."""
    cal = calendar()
    specs = learner_specs(160, seed=8)
    rng = random.Random(0)
    planted, used = [], set()
    for kind in CATALOGUE:
        for i, learner in enumerate(specs):
            if i in used:
                continue
            trial = copy.deepcopy(learner)
            fault = plant(kind, rng, trial, cal)
            if fault is not None:
                specs[i] = trial
                used.add(i)
                planted.append(fault)
                break
    return build(specs, header=header(cal), defaults=False), planted


def test_every_fault_in_the_catalogue_is_caught_at_its_learner():
    data, planted = _one_of_each_fault()
    assert {f.fault for f in planted} == {k.name for k in CATALOGUE}
    assert all(k.rule in registry() for k in CATALOGUE)
    found = _errors_by_learner(validate(data, today=TODAY, strict=True))
    assert [(f.fault, f.rule, sorted(found.get(f.learn_ref, ()))) for f in planted
            if f.rule not in found.get(f.learn_ref, ())] == []


def test_every_fault_is_still_an_error_in_the_generated_workbook(tmp_path):
    # the workbook reader tidies what can only mean one thing (a postcode typed without its space) into a
    # warning; a planted fault must survive that, or `ilr generate -o x.xlsx` lists faults nobody finds
    data, planted = _one_of_each_fault()
    path, side = write(Generated(data, planted), tmp_path / "every-fault.xlsx")
    found = _errors_by_learner(validate(load(path), today=TODAY, strict=True))
    assert [(f.fault, f.rule, sorted(found.get(f.learn_ref, ()))) for f in planted
            if f.rule not in found.get(f.learn_ref, ())] == []


def test_xml_output_is_schema_valid_with_or_without_faults(tmp_path):
    for rate in (0.0, 0.3):
        made = generate(40, seed=4, error_rate=rate)
        path, side = write(made, tmp_path / f"r{rate}.xml")
        assert schema_errors(made.data.spec, path.read_bytes()) == []
        assert (side is not None) == (rate > 0)


def test_workbook_holds_exactly_the_generated_return_and_faults_are_found_in_it(tmp_path):
    made = generate(40, seed=9, error_rate=0.25)
    path, side = write(made, tmp_path / "provider.xlsx")
    assert side == faults_path(path) == tmp_path / "provider.faults.csv"
    data = load(path)
    assert render_xml(data) == render_xml(made.data)
    found = _errors_by_learner(validate(data, today=TODAY))
    rows = list(csv.DictReader(side.open(encoding="utf-8")))
    assert len(rows) == len(made.faults) == 10
    assert [r for r in rows if r["ExpectedRule"] not in found.get(r["LearnRefNumber"], ())] == []


def test_cli_generate(tmp_path):
    runner = CliRunner()
    out = tmp_path / "g.xlsx"
    result = runner.invoke(app, ["generate", "--learners", "12", "--seed", "2", "--error-rate", "0.25",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "g.faults.csv").exists()
    again = runner.invoke(app, ["generate", "-n", "12", "-o", str(out)])
    assert again.exit_code == 2  # never overwrites without --force
    folder = runner.invoke(app, ["generate", "-n", "5", "-o", str(tmp_path)])
    from ilrkit.schemas import load_spec
    from ilrkit.schemas.collection import default_year

    current = load_spec(default_year()[0]).year_code  # like `ilr template`, today's collection year by default
    assert folder.exit_code == 0 and Path(folder.stdout.strip().splitlines()[-1]).name.startswith(
        f"ILR-10000001-{current}-")
    assert runner.invoke(app, ["generate", "-n", "5", "-o", str(tmp_path / "x.txt")]).exit_code == 2


def test_example_workbook_is_the_generated_example_and_converts(tmp_path):
    from ilrkit.converter.api import convert

    path = ROOT / "examples" / EXAMPLE_NAME
    data = load(path)
    assert render_xml(data) == render_xml(example().data), "run: python examples/make_example.py"
    assert len(data.tables["Learner"]) == len(EXAMPLE_KINDS) and 12 <= len(EXAMPLE_KINDS) <= 20
    report = validate(data, today=TODAY)
    assert report.errors == []
    aims, fams = data.tables["LearningDelivery"], data.tables["LearningDeliveryFAM"]
    assert set(aims["FundModel"]) >= {"25", "35", "36", "37", "38", "81", "99"}
    assert fams.query("LearnDelFAMType == 'ACT'")["LearnDelFAMDateFrom"].notna().all()
    assert {("TNP", "1"), ("TNP", "2"), ("PMR", "1")} <= set(zip(data.tables["AppFinRecord"]["AFinType"],
                                                                   data.tables["AppFinRecord"]["AFinCode"]))
    assert not data.tables["LearningDeliveryHE"].empty and not data.tables["LearnerHE"].empty
    done = convert(path, tmp_path, now=dt.datetime(2026, 8, 20, 9, 30))
    assert done.written and done.blocked == []
    assert done.path.name == "ILR-10000001-2526-20260820-093000-01.xml"


def test_benchmark_pieces_work_at_small_size(tmp_path):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_pipeline", ROOT / "benchmarks" / "bench_pipeline.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_pipeline"] = bench
    spec.loader.exec_module(bench)
    sample = bench.measure([sys.executable, "-c", "print('{\"wall\": 0.5}')"])
    assert sample.wall > 0 and sample.cpu >= 0 and sample.peak_mb > 0 and sample.inner == {"wall": 0.5}
    made = generate(15, seed=2)
    workbook, _ = write(made, tmp_path / "p.xlsx")
    xml, _ = write(made, tmp_path / "p.xml")
    assert bench.floor_read(workbook) > 15
    bench.floor_write(bench.xml_outline(xml), tmp_path / "floor.xml")
    assert load(tmp_path / "floor.xml").tables["Learner"].shape[0] == 15  # lxml wrote the same document
    bench.floor_check(tmp_path / "floor.xml", bench._xsd_for(tmp_path / "floor.xml"))  # valid: no exception
    with pytest.raises(Exception):  # the floor's check is a real XSD check
        broken = tmp_path / "broken.xml"
        broken.write_bytes((tmp_path / "floor.xml").read_bytes().replace(b"<ULN>", b"<NotULN>", 1)
                           .replace(b"</ULN>", b"</NotULN>", 1))
        bench.floor_check(broken, bench._xsd_for(broken))
    result = bench.Result(1000, 2800, 1, {op: [bench.Sample(2.0, 2.0, 100.0, {
        "wall": 0.5, "cpu": 0.5, "read_wall": 0.1, "write_wall": 0.2, "check_wall": 0.2, "strict_wall": 0.25,
        "strict_cpu": 0.25})] for op, _ in bench.OPERATIONS})
    page = bench.render([result], bench.machine(), None, [])
    assert "| 1,000 | 2,800 | ilr convert | 1 | 2.00 | 2.00 | 100 | 4.0 (4.0) | 8.0 |" in page
    assert "Add-in Validate on 1,000 learners, warm, under 2 s: **0.50 s** — met." in page


def test_an_existing_fault_list_stops_generate_before_anything_is_written(tmp_path):
    from typer.testing import CliRunner

    from ilrkit.cli.main import app

    out = tmp_path / "p.xlsx"
    (tmp_path / "p.faults.csv").write_text("mine\n")
    result = CliRunner().invoke(app, ["generate", "-n", "5", "--seed", "1", "--error-rate", "1", "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert (tmp_path / "p.faults.csv").read_text() == "mine\n"
