"""Shared fixtures for the ilrkit tests."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests never read or write the developer's own ilrkit data folder (loaded reference data, year packs): each
# run gets an empty one; tests that need data in it set ILRKIT_DATA_DIR themselves.
os.environ["ILRKIT_DATA_DIR"] = tempfile.mkdtemp(prefix="ilrkit-test-data-")
atexit.register(shutil.rmtree, os.environ["ILRKIT_DATA_DIR"], True)

# The agency's published files (Crown copyright) live beside the repo, never inside it.
ESFA_DIR = Path(__file__).resolve().parents[1].parent / "shared/esfa/2025-26"


@pytest.fixture(scope="session")
def esfa_dir() -> Path:
    """``../shared/esfa/2025-26``, or skip the test when that folder is not checked out."""
    if not ESFA_DIR.is_dir():
        pytest.skip("../shared/esfa/2025-26 not present: official XSD/sample needed for this check")
    return ESFA_DIR
