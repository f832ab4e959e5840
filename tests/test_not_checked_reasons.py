"""Rules we leave out on purpose say why, even when the agency lists reference data they need."""

from __future__ import annotations

from ilrkit.rules.engine import agency_rules, not_checked_rules


def test_a_written_reason_wins_over_the_needed_sets():
    reasons = not_checked_rules()
    assert agency_rules("2025-26")["OutGrade_07"].get("needs")  # the agency lists LARS for it
    assert "Appendix Q" in reasons["OutGrade_07"]
    assert "Office for Students" in reasons["LearningDeliveryHE_03"]


def test_rules_without_a_written_reason_still_name_what_they_need():
    reasons = not_checked_rules()
    assert reasons["ULN_05"].startswith("needs reference data")
