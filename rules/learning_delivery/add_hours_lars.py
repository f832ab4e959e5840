"""Additional delivery hours belong to ESOL aims only (LARS basic skills types 36 to 42)."""

from __future__ import annotations

from ilrkit.rules import lars
from ilrkit.rules.learning_delivery._lars_terms import ESOL, basic_skills_type
from ilrkit.rules.registry import ERROR, rule


@rule("AddHours_03", severity=ERROR, entity="LearningDelivery", fields=("AddHours",), needs=("LARS",),
      last_year="2025-26",
      message="Additional delivery hours ({AddHours}) are recorded, but LARS does not list {LearnAimRef} as an "
              "ESOL qualification or unit on the aim's start date, and they are only recorded for ESOL. Clear the "
              "additional delivery hours, or check the learning aim reference.")
def add_hours_03(aim):
    if aim["AddHours"] is None or not lars.aim_exists(aim):
        return None
    return basic_skills_type(aim) not in ESOL
