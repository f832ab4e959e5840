"""The desktop entry points: outcomes become message boxes, problems never become tracebacks."""

import pytest

from ilrkit.addin import desktop
from ilrkit.addin.actions import Outcome
from ilrkit.converter.errors import InputError


class FakeApp:
    def __init__(self, answers=()):
        self.shown, self.answers = [], list(answers)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.shown.append((prompt, buttons, mode))
        return self.answers.pop(0) if self.answers else "ok"


class FakeBook:
    def __init__(self, answers=()):
        self.app = FakeApp(answers)


def test_question_then_yes_runs_again():
    calls = []

    def work(book, confirmed=False):
        calls.append(confirmed)
        return Outcome("done") if confirmed else Outcome("?", ok=False, question="Go on?")

    book = FakeBook(["yes"])
    assert desktop.run("Export", work, book).message == "done"
    assert calls == [False, True] and book.app.shown[-1][0] == "done"


def test_input_error_and_crash_are_messages(tmp_path, monkeypatch):
    monkeypatch.setattr(desktop, "log_path", lambda: tmp_path / "addin.log")
    book = FakeBook()

    def bad(b, confirmed=False):
        raise InputError("Fill in the UKPRN.")

    def crash(b, confirmed=False):
        raise ValueError("secret learner name")

    assert desktop.run("Export", bad, book) is None and book.app.shown[-1][0] == "Fill in the UKPRN."
    assert desktop.run("Validate", crash, book) is None
    assert "could not finish (ValueError)" in book.app.shown[-1][0]
    log = (tmp_path / "addin.log").read_text()
    assert "ValueError" in log and "secret learner name" not in log  # no personal data in logs


@pytest.mark.parametrize("text", ["C:\\Users\\Zoë\\ILR 'files'", "/Users/a/Documents"])
def test_paths_from_vba_hex(text):
    assert desktop._decode(text.encode("utf-16-be").hex().upper()) == text
