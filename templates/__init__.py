"""The provider workbook: its layout, and the writer for the template and imported ILR files."""

from ilrkit.templates.workbook_writer import write_workbook  # noqa: F401
