"""Every message gives dates as the clerk types them, dd/mm/yyyy, never ISO (issue 10, item 11)."""

from __future__ import annotations

import datetime as dt
import re


from ilrkit.rules.engine import render_message
from ilrkit.rules.registry import registry
from test_rule_cases import CASES, validate_case

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_date_values_and_literal_dates_render_dd_mm_yyyy():
    text = render_message("Started {LearnStartDate}, before 2023-08-01; ended {end} at {when}; typed {value}.",
                          {"LearnStartDate": "2025-09-01", "end": dt.date(2026, 7, 31),
                           "when": "2025-09-01T10:30:00", "value": "2025-13-45"}, "LearnActEndDate")
    assert text == "Started 01/09/2025, before 01/08/2023; ended 31/07/2026 at 01/09/2025 10:30; typed 2025-13-45."


def test_text_fields_are_quoted_exactly():
    assert render_message("Monitoring \"{value}\"", {"value": "2025-09-01"}, "ProvSpecLearnMon") == \
        "Monitoring \"2025-09-01\""


def test_no_rule_message_template_holds_an_iso_date():
    for rule in registry().values():
        assert not ISO.search(render_message(rule.message, {})), rule.code


def test_no_finding_of_any_rule_case_shows_an_iso_date():
    shown = 0
    for name, case in CASES:
        if not case.get("expect"):
            continue
        report = validate_case(case, strict=False)
        for f in report.findings:
            if f.field and f.value and ISO.fullmatch(f.value or "") is None and ISO.search(f.value or ""):
                continue  # the value itself is text that merely contains a date
            bad = ISO.search(f.message)
            assert bad is None or (f.value and bad[0] in f.value and _not_a_date(f.value)), (name, f.message)
            shown += 1
    assert shown > 500


def _not_a_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text[:10])
        return False
    except ValueError:
        return True


def test_ilr_rules_lists_messages_with_dd_mm_yyyy_dates():
    from typer.testing import CliRunner

    from ilrkit.cli.main import app

    for args in (["rules"], ["rules", "--format", "csv"], ["rules", "--format", "json"], ["rules", "QUALENT3_01"]):
        out = CliRunner().invoke(app, args).output
        assert not ISO.search(out), (args, ISO.search(out))
    assert "01/08/2010" in CliRunner().invoke(app, ["rules", "QUALENT3_01"]).output
