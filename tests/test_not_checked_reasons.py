"""Rules we leave out on purpose say why, even when the agency lists reference data they need."""

from __future__ import annotations

from ilrkit.rules.engine import agency_rules, not_checked_rules


def test_a_written_reason_wins_over_the_needed_sets():
    reasons = not_checked_rules()
    assert agency_rules("2025-26")["OutGrade_07"].get("needs")  # the agency lists LARS for it
    assert "Appendix Q" in reasons["OutGrade_07"]
    assert "Office for Students" in reasons["FUNDCOMP_01"]


def test_rules_without_a_written_reason_still_name_what_they_need():
    reasons = not_checked_rules()
    assert reasons["ULN_05"].startswith("needs reference data")


def test_at_most_25_agency_rules_are_not_checked_each_with_its_reason():
    reasons = not_checked_rules("2025-26")
    assert len(reasons) <= 25, sorted(reasons)
    assert all(reason.strip() for reason in reasons.values())
    # a rule whose set a provider can load is built, not left "not implemented yet"
    assert not [code for code, reason in reasons.items() if reason.startswith("not implemented yet")]


def test_rules_the_agency_deleted_are_not_counted(esfa_dir):
    import openpyxl

    from ilrkit.rules.engine import deleted_by_agency

    deleted = deleted_by_agency()
    assert deleted and not set(deleted) & set(not_checked_rules("2025-26"))
    wb = openpyxl.load_workbook(esfa_dir / "ILR_Validation_Rules_2025_26_Version_3.xlsx", read_only=True)
    status = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            if row and len(row) > 2 and isinstance(row[2], str) and row[2].strip() in deleted:
                status[row[2].strip()] = str(row[1]).strip().lower()
    assert status == {code: "delete" for code in deleted}  # the agency's own workbook deletes each one


def test_the_not_checked_listing_names_the_deleted_rules_apart():
    from typer.testing import CliRunner

    from ilrkit.cli.main import app

    result = CliRunner().invoke(app, ["rules", "--not-checked", "--year", "2025-26"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith("Not counted")]
    assert "AchDate_11" not in listed and "ULN_05" in listed
    assert "Not counted: AchDate_11, AFinDate_03, AFinDate_04, AFinType_11" in result.stdout
