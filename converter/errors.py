"""Errors that mean the input cannot be used at all (exit code 2), with a message saying what to do."""


class InputError(Exception):
    """The file cannot be read as an ILR workbook or ILR XML file. The message is for the user."""

    exit_code = 2


class OutputExists(InputError):
    """The output file exists and ``--force`` was not given."""


class CannotWrite(InputError):
    """An output file could not be written (no such folder, no permission, disk full); nothing was left.
    ``path`` is the file meant, ``reason`` what went wrong in a few words ("the disk is full")."""

    def __init__(self, message: str, path=None, reason: str | None = None):
        super().__init__(message)
        self.path, self.reason = path, reason


def write_reason(exc: OSError) -> str:
    """Why a write failed, in a few plain words."""
    import errno

    known = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
             errno.EACCES: "no permission to write there", errno.EPERM: "no permission to write there",
             errno.EROFS: "the disk is read-only", errno.ENOENT: "the folder does not exist"}
    return known.get(exc.errno, exc.strerror or exc.__class__.__name__)
