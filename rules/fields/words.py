"""Plain-English names used in field-check messages."""

from __future__ import annotations

from ilrkit.schemas import DEFAULT_YEAR, load_spec

# what one row of each entity is, for "on every ..." and "this ... has"
ROW_NOUN = {
    "SourceFile": "source file row",
    "Learner": "learner",
    "PriorAttain": "prior attainment row",
    "LLDDandHealthProblem": "difficulty or disability row",
    "LearnerFAM": "learner funding and monitoring (FAM) row",
    "ProviderSpecLearnerMonitoring": "provider learner monitoring row",
    "LearnerEmploymentStatus": "employment status row",
    "EmploymentStatusMonitoring": "employment monitoring row",
    "LearnerHE": "learner HE row",
    "LearnerHEFinancialSupport": "HE financial support row",
    "LearningDelivery": "aim",
    "LearningDeliveryFAM": "aim funding and monitoring (FAM) row",
    "LearningDeliveryWorkPlacement": "work placement row",
    "AppFinRecord": "financial record row",
    "ProviderSpecDeliveryMonitoring": "provider aim monitoring row",
    "LearningDeliveryHE": "aim HE row",
}

PARENT_NOUN = {
    "Learner": "learner",
    "LearnerEmploymentStatus": "employment status",
    "LearnerHE": "learner",
    "LearningDelivery": "aim",
}

# the characters allowed in ordinary ILR text, said the way a user can act on it
RESTRICTED_HINT = ("Use only letters A-Z, digits, spaces and ordinary punctuation; accented letters, curly "
                   "quotes and symbols such as ¬ ` | cannot go into the ILR file.")


def label(entity: str, field: str, year: str = DEFAULT_YEAR) -> str:
    """The field's readable name from the year pack, or its ILR name."""
    try:
        found = load_spec(year).entity(entity).field(field).label
    except KeyError:
        found = ""
    return found or field


def uk_date(iso: str | None) -> str:
    """``2025-09-01`` as Excel shows it: ``01/09/2025``."""
    if not iso or len(iso) != 10:
        return iso or "(blank)"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
