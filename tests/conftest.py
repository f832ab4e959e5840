"""Shared fixtures for the ilrkit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

# The agency's published files (Crown copyright) live beside the repo, never inside it.
ESFA_DIR = Path(__file__).resolve().parents[1].parent / "shared/esfa/2025-26"


@pytest.fixture(scope="session")
def esfa_dir() -> Path:
    """``../shared/esfa/2025-26``, or skip the test when that folder is not checked out."""
    if not ESFA_DIR.is_dir():
        pytest.skip("../shared/esfa/2025-26 not present: official XSD/sample needed for this check")
    return ESFA_DIR
