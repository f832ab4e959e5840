"""The five ribbon actions on an xlwings ``Book``, shared by desktop Excel and Excel on the web.

Nothing here talks to the user directly: each action returns an ``Outcome`` (a message, and a question
when it needs a yes/no first) and the caller shows it, as a message box on the desktop
(``ilrkit.addin.desktop``) or in the task pane on the web (``ilrkit.addin.webapp``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from ilrkit.addin import excel
from ilrkit.addin.importer import has_data, plan_import, provider_values
from ilrkit.addin.plan import ERRORS_SHEET, NOTE_LIMIT, HighlightPlan, highlight_plan, summary_text
from ilrkit.converter.errors import InputError
from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData
from ilrkit.converter.workbook_reader import Grids, read_grids, workbook_year
from ilrkit.converter.xml_writer import agency_filename, ensure_valid, render_xml, write_atomic
from ilrkit.rules.engine import Report, validate
from ilrkit.templates.layout import load_layout

log = logging.getLogger("ilrkit.addin")


@dataclass
class Outcome:
    message: str
    ok: bool = True
    question: str | None = None  # set when the action stopped to ask; run again with confirmed=True
    path: Path | None = None
    filename: str | None = None
    content: bytes | None = None  # the file made, for callers that hand it over (web download)
    plan: HighlightPlan | None = None


def read_book(book) -> IlrData:
    """The open workbook as ILR tables, read exactly as ``ilr validate`` reads a saved file."""
    return read_grids(excel.read_grids(book), book.name, excel.date1904(book))


def check(data: IlrData, name: str) -> Report:
    """The same validation ``ilr validate`` runs, with the reference data loaded into the user's data folder
    (``ilr refdata add``)."""
    return validate(data, filename=name, reference=reference_for(data))


def reference_for(data: IlrData):
    """What ``ilr refdata add`` loaded, for this workbook's aims. If it cannot be read, the rules that need it
    are reported as not checked (the report says how to load it again) rather than stopping the check."""
    from ilrkit.refdata import for_data

    try:
        return for_data(data)
    except InputError as exc:
        log.warning("reference data not used: %s", exc)
        return None


# -- Validate / Clear ------------------------------------------------------------------------------------

def validate_action(book) -> Outcome:
    report = check(read_book(book), book.name)
    excel.clear_book(book)
    plan = highlight_plan(report, sheets=[n for n in excel.sheet_names(book) if n not in excel.OURS])
    excel.apply_plan(book, plan)
    message = plan.summary
    if plan.rows:
        message += f". Every finding is listed on the '{ERRORS_SHEET}' sheet, with a link to its cell."
        if plan.cells_without_note:
            message += (f" Notes were added to the first {NOTE_LIMIT} cells only; "
                        f"{plan.cells_without_note} more are listed there.")
    else:
        message += " The workbook is ready to export."
    return Outcome(message, plan=plan)


def clear_action(book) -> Outcome:
    undone = excel.clear_book(book)
    if not undone:
        return Outcome("There were no ilrkit highlights to clear.")
    return Outcome("Removed ilrkit's colours, notes and the errors sheet. Your own formatting and notes are "
                   "unchanged.")


# -- Export ----------------------------------------------------------------------------------------------

def export_file(data: IlrData, when: dt.datetime | None = None) -> tuple[str, bytes]:
    """(agency file name, XML bytes) for the data, checked against the year's schema."""
    when = (when or dt.datetime.now()).replace(microsecond=0)
    ukprn = data.header.get("UKPRN") or data.header.get(LEARNING_PROVIDER_UKPRN)
    if not ukprn or not str(ukprn).isdigit():
        raise InputError("The UKPRN is missing or not a number. Fill in 'UKPRN' on the Provider sheet, then "
                         "export again.")
    serial = str(data.header.get("SerialNo") or "01")
    if not serial.isdigit():
        raise InputError("The serial number on the Provider sheet must be a number such as 01. Correct it, "
                         "then export again.")
    content = render_xml(data, prepared=when, serial=serial).encode("utf-8")
    ensure_valid(data.spec, content)
    return agency_filename(data.spec, str(ukprn), serial, when), content


def export_action(book, folder: Path | None, *, confirmed: bool = False, write: bool = True) -> Outcome:
    """Write the ILR XML into ``folder``; asks first when the workbook has errors."""
    data = read_book(book)
    report = check(data, book.name)
    if report.has_errors and not confirmed:
        summary = summary_text(len(report.errors), len(report.warnings), report.learners_with_errors)
        return Outcome(f"The workbook has {summary}.", ok=False,
                       question=f"The workbook has {summary}. The agency rejects learners with errors, so "
                                "fix them first if you can (click Validate to see them). Export anyway?")
    filename, content = export_file(data)
    errors = len(report.errors)
    note = "no errors" if not errors else f"{errors} error{'s' if errors != 1 else ''} (the agency will reject " \
                                          "the learners concerned)"
    if not write:
        return Outcome(f"Made {filename} with {note}.", filename=filename, content=content)
    if folder is None:
        raise InputError("Save the workbook first (or choose a folder), so ilrkit knows where to put the XML.")
    path = write_atomic(Path(folder) / filename, content)
    return Outcome(f"Saved {path} with {note}.", path=path, filename=filename)


def workbook_folder(book) -> Path | None:
    """The folder the workbook is saved in, when it is a local folder (not unsaved, not a web address)."""
    try:
        full = book.fullname
    except Exception:  # noqa: BLE001 - engines without a full name
        return None
    if not full or "://" in full:
        return None
    parent = Path(full).parent
    return parent if str(parent) not in ("", ".") and parent.is_dir() else None


# -- Import ----------------------------------------------------------------------------------------------

def import_action(book, data: IlrData, *, confirmed: bool = False) -> Outcome:
    """Put ``data`` (read from an ILR XML file) into the workbook's sheets, replacing what is there."""
    names = excel.sheet_names(book)
    layout = load_layout(data.year)
    grids = {n: excel.sheet_values(book.sheets[n]) for n in excel.wanted_sheets(names)}
    book_year = workbook_year(Grids(grids))
    if book_year and book_year != data.year:
        raise InputError(f"The XML file is for {data.year} but this workbook is a {book_year} template. Click "
                         f"New template to start a {data.year} workbook, then import into that.")
    if "Learners" not in names:
        raise InputError("This workbook has no 'Learners' sheet, so it is not an ilrkit template. Click New "
                         "template first, then import into the new workbook.")
    if has_data(layout, grids) and not confirmed:
        return Outcome("Import needs your go-ahead.", ok=False,
                       question="The workbook already has learner data. Importing replaces it with the data "
                                "from the XML file. Replace it?")
    excel.clear_book(book)  # old highlights would point at the wrong learners
    headers = {n: (grids.get(n) or [[]])[0] for n in names if n in layout.sheets}
    writes = plan_import(layout, data, headers)
    for write in writes:
        _write_sheet(book, write, grids.get(write.name))
    for name in layout.sheets:  # sheets the file has nothing for: emptied, so no old rows survive
        if name in names and name not in {w.name for w in writes}:
            _clear_rows(book.sheets[name], grids.get(name))
    if layout.provider_sheet in names:
        updates, extra = provider_values(layout, data, grids.get(layout.provider_sheet) or [])
        sheet = book.sheets[layout.provider_sheet]
        for r, value in updates.items():
            sheet.range((r, 2)).value = value
        if extra:
            start = len(grids.get(layout.provider_sheet) or []) + 1
            sheet.range((start, 1)).value = extra
    learners = len(data.tables.get("Learner", []))
    return Outcome(f"Imported {learners} learner{'s' if learners != 1 else ''}. Click Validate to check them.")


def _clear_rows(sheet, grid: list[list] | None) -> None:
    if grid and len(grid) > 1:
        width = max(len(r) for r in grid)
        sheet.range((2, 1), (len(grid), width)).clear_contents()


def _write_sheet(book, write, grid: list[list] | None) -> None:
    if write.new_sheet:
        sheet = book.sheets.add(write.name, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet = book.sheets[write.name]
        _clear_rows(sheet, grid)
    if write.new_sheet or write.added_columns:
        sheet.range("A1").value = [write.header]
    if write.rows:
        sheet.range((2, 1)).value = write.rows


# -- New template ------------------------------------------------------------------------------------------

def new_template(path: Path, year: str | None = None) -> Path:
    """Write a new, empty ILR workbook (never over an existing file); by default for the year providers
    return now (see ``ilrkit.schemas.collection``)."""
    from ilrkit.schemas import normalise_year
    from ilrkit.schemas.collection import default_year
    from ilrkit.templates.workbook_writer import write_workbook

    return write_workbook(path, normalise_year(year) if year else default_year()[0])


def free_name(folder: Path, stem: str, suffix: str = ".xlsx") -> Path:
    """``folder/stem.xlsx``, or ``stem (2).xlsx`` and so on when that is taken: never overwrite."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({n}){suffix}"
        n += 1
    return candidate
