"""What the desktop ribbon buttons run: ``RunPython "import ilrkit.addin.desktop as d; d.validate()"``.

Each function finds the workbook the user is looking at (``xlwings.Book.caller()``), runs its action and
shows the outcome in a message box. Problems the user can fix are shown as plain messages; anything
unexpected is shown as a short apology and written, without any cell values, to a log file for support.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path

from ilrkit.addin import actions
from ilrkit.converter.errors import InputError

TITLE = "ILR"
log = logging.getLogger("ilrkit.addin")


def log_path() -> Path:
    return Path.home() / ".ilrkit" / "addin.log"


def _log_failure(action: str, exc: BaseException) -> Path:
    """Where the code failed, never what the data was: messages can quote cell values, so they are dropped."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frames = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in traceback.extract_tb(exc.__traceback__))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{action} failed: {exc.__class__.__name__}\n{frames}\n")
    except OSError:
        pass
    return path


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def _alert(book, message: str, *, critical: bool = False, buttons: str = "ok") -> str:
    return book.app.alert(message, TITLE, buttons=buttons, mode="critical" if critical else "info")


def run(action: str, work: Callable, book=None):
    """Run ``work(book)`` for a button; returns the Outcome (or None when it failed and said so)."""
    book = book if book is not None else _caller()
    try:
        outcome = work(book)
        if outcome.question is not None:
            if _alert(book, outcome.question, buttons="yes_no", critical=True) != "yes":
                return outcome
            outcome = work(book, confirmed=True)
        _alert(book, outcome.message, critical=not outcome.ok)
        return outcome
    except InputError as exc:
        _alert(book, str(exc), critical=True)
    except Exception as exc:  # noqa: BLE001 - the user gets a message box, never a traceback
        path = _log_failure(action, exc)
        _alert(book, f"Sorry, {action} could not finish ({exc.__class__.__name__}). Details for support are in "
                     f"{path}.", critical=True)
    return None


def _decode(hex_text: str | None) -> str | None:
    """Paths come from VBA as UTF-16 hex, so no quote or non-ASCII letter can break the command line."""
    if not hex_text:
        return None
    return bytes.fromhex(hex_text).decode("utf-16-be")


# -- the buttons ---------------------------------------------------------------------------------------

def validate(book=None):
    return run("Validate", lambda b, confirmed=False: actions.validate_action(b), book)


def clear(book=None):
    return run("Clear highlights", lambda b, confirmed=False: actions.clear_action(b), book)


def export(folder_hex: str | None = None, book=None):
    def work(b, confirmed=False):
        folder = _decode(folder_hex)
        target = Path(folder) if folder else actions.workbook_folder(b)
        if target is None:
            target = Path.home() / "Documents" if (Path.home() / "Documents").is_dir() else Path.home()
        return actions.export_action(b, target, confirmed=confirmed)

    return run("Export ILR XML", work, book)


def import_xml(path_hex: str | None = None, book=None):
    from ilrkit.converter.xml_reader import read_xml

    path = _decode(path_hex)
    if not path:
        return None  # the user cancelled the file picker

    def work(b, confirmed=False):
        return actions.import_action(b, read_xml(Path(path)), confirmed=confirmed)

    return run("Import ILR XML", work, book)


def new_template(folder_hex: str | None = None, book=None):
    """Make a new template next to the current workbook (or in Documents) and open it."""
    def work(b, confirmed=False):
        folder = _decode(folder_hex)
        target = Path(folder) if folder else (actions.workbook_folder(b) or Path.home() / "Documents")
        if not target.is_dir():
            target = Path.home()
        path = actions.new_template(actions.free_name(target, "ILR workbook"))
        try:
            b.app.books.open(str(path))
        except Exception:  # noqa: BLE001 - opening is a convenience; the message says where it is
            pass
        return actions.Outcome(f"Made a new ILR workbook: {path}")

    return run("New template", work, book)
