"""The user's own ilrkit data folder: year packs loaded from the agency's files, reference data sets.

``ILRKIT_DATA_DIR`` overrides it (a server, tests); otherwise the platform's usual place for application data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    """Where ilrkit keeps what the user loads; not created here (callers create what they write)."""
    override = os.environ.get("ILRKIT_DATA_DIR")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "ilrkit"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "ilrkit"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "ilrkit"
