"""Errors that mean the input cannot be used at all (exit code 2), with a message saying what to do."""


class InputError(Exception):
    """The file cannot be read as an ILR workbook or ILR XML file. The message is for the user."""

    exit_code = 2


class OutputExists(InputError):
    """The output file exists and ``--force`` was not given."""


class CannotWrite(InputError):
    """An output file could not be written (no such folder, no permission, disk full); nothing was left."""
