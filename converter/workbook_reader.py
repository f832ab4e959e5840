"""Read a provider's workbook into tables (``IlrData``), noting where every value came from.

Values are read in bulk with python-calamine (a Rust reader, many times faster than openpyxl); columns are
matched by the code in their header (``[ULN]``), so columns may be moved, and extra columns are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from itertools import compress, repeat, zip_longest
from operator import is_not, itemgetter, methodcaller
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from ilrkit.converter.bulk import paused_gc
from ilrkit.converter.cells import read_cell, read_cells
from ilrkit.converter.errors import InputError
from ilrkit.converter.sheet_view import sheet_view
from ilrkit.converter.tidy import tidier
from ilrkit.converter.xlsx_guard import check_archive, sheet_parts, sheet_quirks, sheet_states
from ilrkit.converter.removed_columns import removed_column_findings
from ilrkit.converter.model import (HEADER_ENTITIES, LEARNING_PROVIDER_UKPRN, IlrData, frame, table_columns,
                                    text_frame)
from ilrkit.rules.findings import ERROR, WARNING, Finding
from ilrkit.schemas import DEFAULT_YEAR, available_years, normalise_year
from ilrkit.templates.layout import KEY_OCCURRENCE, Column, Layout, Sheet, header_code, load_layout

YEAR_KEYS = ("year", "collection year", "template year")
# sheets the Excel add-in and `ilr validate --annotate` add (ilrkit.addin.plan): not data, never read
_ADDIN_SHEETS = ("ILR errors", "_ilrkit_marks")
_REPORT_SHEETS = ("Migration",)  # written by ilr migrate (converter/migrate.py REPORT_SHEET)


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _open(source: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(source))
    except Exception as exc:  # calamine raises several private error types
        raise InputError(f"{source.name} could not be opened as an Excel workbook ({exc.__class__.__name__}). "
                         "Check it is an .xlsx file saved by Excel and not damaged or password-protected.") \
            from None


def _uses_1904(source: Path) -> bool:
    try:
        with zipfile.ZipFile(source) as zf:
            head = zf.read("xl/workbook.xml")[:4096]
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    return bool(re.search(rb'date1904="(1|true)"', head))


class Grids:
    """Cell values of a workbook's sheets as lists of rows starting at A1, from any source.

    The calamine reader below is one source; the Excel add-in passes the values it read through xlwings.
    """

    def __init__(self, sheets: dict[str, list[list]] | None = None):
        self._sheets = sheets or {}

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def grid(self, name: str) -> list[list]:
        return self._sheets.get(name) or []


class CalamineGrids(Grids):
    def __init__(self, wb: CalamineWorkbook):
        super().__init__()
        self.wb = wb

    @property
    def sheet_names(self) -> list[str]:
        return list(self.wb.sheet_names)

    def grid(self, name: str) -> list[list]:
        return self.wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _grid(wb: Grids, name: str) -> list[list]:
    return wb.grid(name)


def workbook_year(wb: Grids, layout_meta: str = "_ilrkit", provider: str = "Provider") -> str | None:
    years = _stated_years(wb, (layout_meta, provider))
    return next(iter(years.values()), None)


def _stated_years(wb: Grids, sheets: tuple[str, ...]) -> dict[str, str]:
    """The collection year each of ``sheets`` states (the hidden layout sheet first, then Provider)."""
    names = wb.sheet_names
    years = {}
    for sheet in sheets:
        if sheet not in names:
            continue
        for row in _grid(wb, sheet):
            if len(row) >= 2 and _norm(header_code(row[0])) in YEAR_KEYS and str(row[1]).strip():
                years[sheet] = normalise_year(str(row[1]).strip())
                break
    return years


def _refuse_a_retyped_year(wb: Grids, name: str) -> None:
    # the Provider year is fixed by the template; typing another year there does not change the layout, so
    # reading on would give last year's return without a word
    years = _stated_years(wb, ("_ilrkit", "Provider"))
    made, typed = years.get("_ilrkit"), years.get("Provider")
    if made and typed and made != typed:
        raise InputError(f"{name} was made for the {made} collection year, but its Provider sheet says {typed}. "
                         f"A workbook cannot be moved to another year by changing that cell: put {made} back, "
                         f"or start the {typed} workbook with `ilr migrate {name} --to {typed} -o NEW.xlsx` "
                         f"(or `ilr template --year {typed}`).")


def read_workbook(source: str | Path, name: str | None = None) -> IlrData:
    source = Path(source)
    name = name or source.name
    if not source.is_file():
        raise InputError(f"Cannot find the workbook {source}.")
    with check_archive(source, name) as zf:
        data = read_grids(CalamineGrids(_open(source)), name, _uses_1904(source))
        _report_quirks(zf, data)
    data.path = source
    return data


def _report_quirks(zf, data: IlrData) -> None:
    """Findings for what a value reader cannot see: formulas with no saved result, merged and hidden cells,
    hidden sheets."""
    parts = sheet_parts(zf)
    states = sheet_states(zf)
    for sheet in data.columns:
        if sheet in states and (sheet == load_layout(data.year).provider_sheet or _rows_with_data(data, sheet)):
            how = "very hidden (only a macro or the VBA editor can show it)" if states[sheet] == "veryHidden" \
                else "hidden"
            data.problems.append(Finding(
                "WB_HIDDEN_SHEET", WARNING, f"The sheet '{sheet}' is {how}, but it was read and what it holds is "
                "in the return. Unhide it (right-click a sheet tab > Unhide) to check it.", sheet=sheet))
        part = parts.get(sheet)
        if part is None:
            continue
        quirks = sheet_quirks(zf, part)
        for ref in quirks.formulas_without_value[:200]:
            column, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
            data.problems.append(Finding(
                "WB_FORMULA_NO_VALUE", ERROR, f"Cell {ref} holds a formula whose result Excel did not save, so its "
                "value cannot be read. Open the workbook in Excel and save it (or type the value instead of a "
                "formula).", sheet=sheet, row=int(row), column=column))
        read_columns = set((data.columns.get(sheet) or {}).values())
        for ref, error in [e for e in quirks.errors if _cell_read(e[0], read_columns)][:200]:
            column, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
            data.problems.append(Finding(
                "WB_EXCEL_ERROR", ERROR, f"Cell {ref} shows the Excel error {error}, so it was read as blank. Fix "
                "the formula it came from, or type the value.", sheet=sheet, row=int(row), column=column))
        for ref in quirks.merged[:200]:
            first = ref.split(":")[0]
            column, row = re.match(r"([A-Z]+)(\d+)", first).groups()
            data.problems.append(Finding(
                "WB_MERGED_CELLS", WARNING, f"Cells {ref} are merged, so only the first cell's value is read. "
                "Unmerge them (Home > Merge & Center) and fill in each cell.", sheet=sheet, row=int(row),
                column=column))
        view = sheet_view(zf, part)
        if quirks.hidden_rows:
            used = _rows_with_data(data, sheet)
            for row in quirks.hidden_rows:
                if row in used:
                    how = ("hidden by the filter on this sheet but holds data; it was included in the return. "
                           "Clear the filter (Data > Clear, or the arrow in a column heading > Clear Filter) to "
                           "see it and check it belongs there.") if view.filtered else (
                        "hidden but holds data; it was included in the return. Unhide it (right-click the row "
                        "numbers > Unhide) to check it belongs there.")
                    data.problems.append(Finding("WB_HIDDEN_ROW", WARNING, f"Row {row} is {how}", sheet=sheet,
                                                 row=row))
        for key, letter in (data.columns.get(sheet) or {}).items():
            if letter.isalpha() and view.column_hidden(letter) and _column_has_data(data, sheet, key):
                data.problems.append(Finding(
                    "WB_HIDDEN_COLUMN", WARNING, f"Column {letter} ({key}) is hidden but holds data; it was read "
                    "and is in the return. Unhide it (select the columns either side, right-click > Unhide) to "
                    "check it.", sheet=sheet, row=1, column=letter))


def _column_has_data(data: IlrData, sheet: str, key: str) -> bool:
    """Whether any row read from ``sheet`` has a value from the column headed ``key``."""
    for df in data.tables.values():
        if "_sheet" not in df or df.empty:
            continue
        mine = df[df["_sheet"] == sheet]
        if mine.empty:
            continue
        if key in mine.columns and mine[key].notna().any():
            return True
        if "_col" in mine.columns and (mine["_col"] == key).any():
            return True
    return False


def _cell_read(ref: str, read_columns: set[str]) -> bool:
    """Whether the reader took a value from cell ``ref``: a data sheet's mapped column (letters), or one of the
    Provider sheet's cells (full references)."""
    return ref in read_columns or ref.rstrip("0123456789") in read_columns


def _rows_with_data(data: IlrData, sheet: str) -> set[int]:
    rows: set[int] = set()
    for df in data.tables.values():
        if "_sheet" in df and not df.empty:
            rows.update(int(r) for r in df.loc[df["_sheet"] == sheet, "_row"].dropna())
    return rows


def find_sheets(wb: Grids, layout: Layout) -> dict[str, str]:
    """Layout sheet -> workbook sheet: by name, else an unclaimed sheet whose row 1 has most of its headings."""
    names = list(wb.sheet_names)
    found = {s.name: s.name for s in layout.data_sheets if s.name in names}
    spare = [n for n in names if n not in found.values() and n not in (layout.provider_sheet, layout.lists_sheet,
                                                                       layout.meta_sheet)]
    for sheet in layout.data_sheets:
        if sheet.name in found or not spare:
            continue
        wanted = {_norm(c.key) for c in sheet.columns}
        best, score = None, 0.0
        for name in spare:
            grid = wb.grid(name)
            codes = {_norm(header_code(c)) for c in (grid[0] if grid else []) if c not in (None, "")}
            share = len(codes & wanted) / len(wanted)
            if share > score:
                best, score = name, share
        if best is not None and score >= 0.6:
            found[sheet.name] = best
            spare.remove(best)
    return found


def read_grids(wb: Grids, name: str = "the workbook", date1904: bool = False) -> IlrData:
    """Read a workbook given as sheet grids (from calamine, or from Excel through xlwings)."""
    stated = workbook_year(wb)
    year = stated or DEFAULT_YEAR
    _refuse_a_retyped_year(wb, name)
    if year not in available_years():
        raise InputError(f"{name} is a template for the {year} collection year, but this version of ilrkit "
                         f"supports {', '.join(available_years())}. Copy the data into a template of one of "
                         "those years (ilr template --year YEAR) or upgrade ilrkit.")
    layout = load_layout(year)
    if "Learners" not in find_sheets(wb, layout):
        raise InputError(f"{name} has no 'Learners' sheet, so it does not look like an ILR workbook made from "
                         "our template. Start from the template (ilr template -o FILE.xlsx) and copy your data in.")
    with paused_gc():  # millions of small objects: see ilrkit.converter.bulk
        data = _WorkbookReader(wb, layout, name, date1904).read()
    if stated is None:
        data.problems.insert(0, Finding(
            "WB_NO_YEAR", WARNING, f"The workbook does not say which collection year it is for (the Year row of "
            f"the '{layout.provider_sheet}' sheet is empty), so it was read as a {year} return. If it is for "
            f"another year, type that year (for example 2026-27) in the Year row.", sheet=layout.provider_sheet))
    return data


class _WorkbookReader:
    def __init__(self, wb: Grids, layout: Layout, name: str, date1904: bool):
        self.wb = wb
        self.layout = layout
        self.spec = layout.spec
        self.name = name
        self.date1904 = date1904
        self.rows: dict[str, list[dict]] = {}  # entity -> its rows (of a block: only what children need)
        self.blocks: dict[str, list[tuple[int, int, dict]]] = {}  # entity -> (first id, end, columns)
        self.index: dict[str, dict[tuple, list[int]]] = {}  # entity -> key values -> row ids
        self.prefixes: dict[str, tuple[int, set[tuple]]] = {}  # entity -> (keys seen, known_prefixes)
        self.columns: dict[str, dict[str, str]] = {}
        self.problems: list[Finding] = []
        self.learner_he: dict[int, int] = {}  # learner id -> LearnerHE id
        self.actual: dict[str, str] = {}  # layout sheet name -> the workbook's sheet holding it
        self.shapes: dict[str, _SheetShape] = {}

    def name_of(self, sheet: Sheet) -> str:
        return self.actual.get(sheet.name, sheet.name)

    # -- helpers ---------------------------------------------------------------------------------------
    def problem(self, rule: str, message: str, sheet: str | None, row: int | None = None,
                column: str | None = None, severity: str = ERROR, **refs) -> None:
        self.problems.append(Finding(rule, severity, message, sheet=sheet, row=row, column=column, **refs))

    def value(self, raw, column: Column):
        codes = self.spec.codelist(column.codelist_key)
        return read_cell(raw, column.field, codes, self.date1904)

    def add(self, entity: str, row: dict) -> int:
        rows = self.rows.setdefault(entity, [])
        row["_id"] = len(rows)
        rows.append(row)
        return row["_id"]

    # -- reading ---------------------------------------------------------------------------------------
    def read(self) -> IlrData:
        header = self.read_provider()
        self.actual = find_sheets(self.wb, self.layout)
        for layout_name, actual in self.actual.items():
            if layout_name != actual:
                self.problem("WB_RENAMED_SHEET", f"There is no '{layout_name}' sheet, but the sheet '{actual}' has its "
                             f"column headings, so it was read as '{layout_name}'. Rename it back to "
                             f"'{layout_name}' to avoid surprises.", actual, severity=WARNING)
        self.note_extra_sheets()
        for sheet in self.layout.data_sheets:
            if sheet.name not in self.actual:
                if not sheet.only_when_used and sheet.name != "SourceFiles":
                    self.problem("WB_MISSING_SHEET", f"The workbook has no '{sheet.name}' sheet. Nothing is "
                                 f"read for {sheet.entity}; add the sheet back from the template if you need it.",
                                 sheet.name, severity=WARNING)
                continue
            self.read_sheet(sheet)
        tables = {entity: self.table(entity) for entity in self.rows}
        return IlrData(self.spec.year, header, tables, origin="workbook", columns=self.columns,
                       problems=self.problems, reference_rows=self.read_contracts())

    def table(self, entity: str) -> pd.DataFrame:
        """The entity's table: its rows added one by one, and the blocks of rows read as columns."""
        rows = self.rows[entity]
        blocks = self.blocks.get(entity, ())
        if not blocks:
            return text_frame(self.spec, entity, rows)
        parts, at = [], 0
        for start, stop, block in blocks:
            if start > at:
                parts.append(text_frame(self.spec, entity, rows[at:start]))
            parts.append(_block_frame(self.spec, entity, block, stop - start))
            at = stop
        if at < len(rows):
            parts.append(text_frame(self.spec, entity, rows[at:]))
        df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        for col in ("_id", "_parent", "_learner", "_row"):
            blank = df[col].isna()
            if blank.any() and not blank.all():  # numbers and blanks in one column: as frame() makes them
                return frame(self.spec, entity, self.full_rows(entity))
        return df

    def full_rows(self, entity: str) -> list[dict]:
        """The entity's rows as dicts, blocks included."""
        rows = list(self.rows[entity])
        for start, stop, block in self.blocks.get(entity, ()):
            rows[start:stop] = [dict(zip(block, values)) for values in zip(*block.values())]
        return rows

    def read_contracts(self) -> dict:
        """The Contracts sheet's rows (the provider's funding contracts) as reference data, when it has any."""
        from ilrkit.converter.reference_sheet import read_contracts_grid

        sheet = self.layout.contracts_sheet
        if not sheet or sheet not in self.wb.sheet_names:
            return {}
        rows, message = read_contracts_grid(_grid(self.wb, sheet))
        if message:
            self.problem("WB_CONTRACTS", f"The '{sheet}' sheet was not read: {message}", sheet, severity=WARNING)
            return {}
        return {"Contracts": {"ContractAllocation": rows}} if rows else {}

    def note_extra_sheets(self) -> None:
        """A warning for each sheet that is not the template's and holds something: it is not read."""
        ours = {self.layout.provider_sheet, self.layout.lists_sheet, self.layout.meta_sheet, *self.actual.values(),
                *self.layout.sheets, *_ADDIN_SHEETS, *_REPORT_SHEETS,
                self.layout.contracts_sheet}
        for name in self.wb.sheet_names:
            if name in ours:
                continue
            if any(c not in (None, "") for row in _grid(self.wb, name) for c in row):
                self.problem("WB_EXTRA_SHEET", f"The sheet '{name}' is not one of the template's sheets, so "
                             "nothing on it was read. If it holds ILR data (for example learners copied onto a new "
                             "sheet), move them onto the template's sheet for them; otherwise ignore this.", name,
                             severity=WARNING)

    def read_provider(self) -> dict:
        header: dict[str, str | None] = {}
        sheet = self.layout.provider_sheet
        if sheet not in self.wb.sheet_names:
            self.problem("WB_MISSING_SHEET", f"The workbook has no '{sheet}' sheet, so the UKPRN and software "
                         "details are missing. Add the sheet back from the template.", sheet)
            return header
        fields = {f.name: f for part in HEADER_ENTITIES for f in self.spec.entity(part).fields}
        fields[LEARNING_PROVIDER_UKPRN] = self.spec.entity("LearningProvider").field("UKPRN")
        by_code = {_norm(k): k for k in fields}
        by_label = {_norm(f.label): k for k, f in fields.items() if f.label}
        self.columns[sheet] = {}
        for r, row in enumerate(_grid(self.wb, sheet), start=1):
            if len(row) < 2 or row[0] in (None, ""):
                continue
            code = _norm(header_code(row[0]))
            key = by_code.get(code) or by_label.get(_norm(row[0]))
            if key is None:
                continue
            self.columns[sheet][key] = f"B{r}"
            header[key] = read_cell(row[1], fields[key], None, self.date1904)
        if header.get("Year") and normalise_year(header["Year"]) == self.spec.year:
            header["Year"] = self.spec.year_code  # the sheet shows 2025-26; the ILR says 2526
        return header

    def map_header(self, sheet: Sheet, header_row: list) -> dict[int, Column | str]:
        by_key = {_norm(c.key): c for c in sheet.columns}
        by_label = {_norm(c.label): c for c in sheet.columns}
        mapped: dict[int, Column | str] = {}
        seen: dict[str, int] = {}
        letters = self.columns.setdefault(self.name_of(sheet), {})
        for i, cell in enumerate(header_row):
            if cell in (None, ""):
                continue
            code = _norm(header_code(cell))
            if code == _norm(KEY_OCCURRENCE):
                mapped[i] = KEY_OCCURRENCE
                letters[KEY_OCCURRENCE] = col_letter(i)
                continue
            column = by_key.get(code) or by_label.get(_norm(cell)) or by_label.get(code)
            if column is None:
                continue  # an extra column of the provider's own: ignored
            if column.key in seen:
                self.problem("WB_DUPLICATE_COLUMN", f"Column {col_letter(i)} repeats the heading of column "
                             f"{col_letter(seen[column.key])} ({column.key}); only the first is read. "
                             "Delete or rename the copy.", self.name_of(sheet), 1, col_letter(i))
                continue
            seen[column.key] = i
            mapped[i] = column
            letters[column.key] = col_letter(i)
        return mapped

    def read_sheet(self, sheet: Sheet) -> None:
        grid = _grid(self.wb, self.name_of(sheet))
        if not grid:
            return
        mapped = self.map_header(sheet, grid[0])
        if not any(isinstance(c, Column) and not c.is_key for c in mapped.values()):
            self.problem("WB_NO_HEADER", f"Row 1 of the '{self.name_of(sheet)}' sheet has none of the template's column "
                         "headings, so the sheet was not read. Restore the heading row from the template.",
                         self.name_of(sheet), 1)
            return
        found = {c.key for c in mapped.values() if isinstance(c, Column)}
        missing = [c for c in sheet.columns if c.pivot is None and c.key not in found]
        if missing:
            names = ", ".join(f"[{c.key}]" for c in missing[:10]) + (" and more" if len(missing) > 10 else "")
            self.problem("WB_MISSING_COLUMN", f"Row 1 of the '{self.name_of(sheet)}' sheet has no column headed "
                         f"{names}, so nothing was read for {'it' if len(missing) == 1 else 'them'}. Check the "
                         "heading was not changed or deleted; copy it back from the template (ilr template).",
                         self.name_of(sheet), 1, severity=WARNING)
        self.problems += removed_column_findings(self.spec.year, sheet.name, self.name_of(sheet), grid)
        # a large workbook has millions of cells, but codes, dates, numbers and even names repeat down a
        # column: the sheet is turned into columns once (in C, by zip), each column's distinct values are
        # read (and tidied) once, and the rows are put back together by zip
        body = grid[1:]
        if not body:
            return
        columns = [(i, c.key, c.field, codes, tidier(c.field, codes),
                    frozenset(x.code for x in codes.codes) if codes is not None else frozenset())
                   for i, c in mapped.items() if c != KEY_OCCURRENCE for codes in (self.spec.codelist(c.codelist_key),)]
        occurrence_at = next((i for i, c in mapped.items() if c == KEY_OCCURRENCE), None)
        cells = _columns(body)
        keys: list[str] = []
        read: list[list] = []  # the columns with something in them (an empty one reads as a missing one)
        tidied: dict[int, list] = {}  # row index -> (column index, key, typed, read as, how), in column order
        for i, key, field, codes, tidy, known in columns:
            if i >= len(cells):
                continue
            values, fixes = _read_column(cells[i], field, codes, self.date1904, tidy, known)
            if values is not None:
                keys.append(key)
                read.append(values)
            for j, fix in fixes:
                tidied.setdefault(j, []).append((i, key, *fix))
        if not read:
            return  # every row is blank
        occurrences = cells[occurrence_at] if occurrence_at is not None and occurrence_at < len(cells) else None
        self.read_rows(sheet, keys, read, tidied, occurrences)

    def read_rows(self, sheet: Sheet, keys: list[str], read: list[list], tidied: dict[int, list],
                  occurrences) -> None:
        """Table rows from a sheet's read values (``read``: a column of values for each of ``keys``).

        The sheet's own rows are kept as columns (a block of its entity's table); only what their child rows
        need (ids, keys, learner reference) is kept a row at a time."""
        plan = _RowPlan(self.shape(sheet), sheet, keys)
        name = self.name_of(sheet)
        entity = sheet.entity
        width = len(keys) + 1
        learn_ref_at, aim_seq_at = plan.at("LearnRefNumber"), plan.at("AimSeqNumber")
        top_level = sheet.parent_sheet is None
        lookup_entity = plan.shape.parent if plan.shape.parent != "LearnerHE" else "Learner"
        parent_index = self.index.get(lookup_entity, {})
        parent_rows = self.rows.get(lookup_entity, [])
        parents: dict[int, tuple[int, dict]] = {}  # parent row id -> (its id for this sheet, what rows inherit)
        index = self.index.setdefault(entity, {}) if sheet.key else None
        # what a row's children, and rows of later sheets, ask of it: a small dict instead of the whole row
        wanted = index is not None or plan.one_to_one
        light_keys = tuple(k for k in plan.own_keys if k in _INHERITED or k in plan.shape.extra_keys)
        light_own = _picker([plan.at(k) for k in light_keys])
        extra_keys, one_to_one, pivots = plan.shape.extra_keys, plan.one_to_one, plan.pivots
        parent_key = plan.parent_key
        table = None  # the entity's rows, made when the first is added
        kept = bytearray(len(read[0]))  # 1 for each sheet row that is a table row
        parent_ids: list = []
        inheriteds: list[dict] = []
        tables_before = list(self.rows)  # (a dozen at most)
        born: dict[str, tuple[int, int]] = {}  # entity first given a row by this sheet -> (its row, rank in row)
        for j, values in enumerate(zip(*read, repeat(None))):
            if values.count(None) == width:
                continue  # a blank row
            r = j + 2
            for i, key, typed, value, how in tidied.get(j, ()) if tidied else ():
                ref = f"{col_letter(i)}{r}"
                self.problem("WB_READ_AS", f"Cell {ref} holds \"{typed}\", which was read as {value} ({how}). "
                             f"If that is what you meant, type {value} in the cell to make it certain; if not, "
                             "correct the cell.", name, r, col_letter(i), severity=WARNING,
                             learn_ref=values[learn_ref_at], aim_seq=values[aim_seq_at])
            if top_level:
                parent_id, inherited, key_values = None, {}, ()
            else:
                key_values = parent_key(values)
                candidates = parent_index.get(key_values, ())
                if occurrences is None:
                    nth = 1
                else:
                    occurrence = occurrences[j]
                    try:
                        nth = int(float(occurrence)) if occurrence not in (None, "") else 1
                    except (TypeError, ValueError):
                        nth = 1
                if len(candidates) < nth or nth < 1:
                    self.no_parent(sheet, r, key_values, values[learn_ref_at], values[aim_seq_at])
                    continue
                found = candidates[nth - 1]
                got = parents.get(found)
                if got is None:
                    got = parents[found] = self.inherit(plan.shape.parent, found, parent_rows[found])
                parent_id, inherited = got
                inheriteds.append(inherited)
            if table is None:
                if entity not in self.rows:
                    born[entity] = (0, 0)
                table = self.rows.setdefault(entity, [])
                start = len(table)
            row_id = len(table)
            kept[j] = 1
            parent_ids.append(parent_id)
            if not wanted:
                table.append(None)
                continue
            row = {"_id": row_id, "_parent": parent_id, "_sheet": name, "_row": r, **inherited}
            row.update(zip(light_keys, light_own(values)))
            if entity == "Learner":
                row["_learner"] = row_id
            table.append(row)
            if index is not None:
                index.setdefault(key_values + tuple(map(row.get, extra_keys)), []).append(row_id)
            child_refs = None
            for rank, (child, child_keys, pick) in enumerate(one_to_one, start=1):
                child_values = pick(values)
                if child_values.count(None) != len(child_values):
                    child_refs = child_refs or plan.child_refs(row, name, r)
                    if child not in self.rows:
                        born[child] = (len(parent_ids) - 1, rank)
                    child_id = self.add(child, {"_parent": row_id, **child_refs, **dict(zip(child_keys, child_values))})
                    if child == "LearnerHE":
                        self.learner_he[row_id] = child_id
        if table is None:
            return
        count = len(parent_ids)
        block: dict[str, list] = {"_id": list(range(start, start + count)), "_parent": parent_ids,
                                  "_sheet": [name] * count, "_row": list(compress(range(2, len(kept) + 2), kept))}
        if not top_level:
            for key in _INHERITED:
                block[key] = list(map(methodcaller("get", key), inheriteds))
        if entity == "Learner":
            block["_learner"] = block["_id"]
        every = len(kept) == count
        by_key = dict(zip(keys, read))
        for key in plan.own_keys:
            column = by_key.get(key)
            block[key] = [None] * count if column is None else column if every else list(compress(column, kept))
        self.blocks.setdefault(entity, []).append((start, start + count, block))
        first_rank = len(one_to_one) + 1
        for child_entity in dict.fromkeys(pivot.entity for pivot, _ in pivots):
            slots = [(pivot, key, pivot_type, by_key[key] if every else list(compress(by_key[key], kept)))
                     for pivot, present in pivots if pivot.entity == child_entity for key, pivot_type in present]
            spread = _spread_block(slots, block, name, entity)
            if spread is None:
                continue
            at, children = spread
            if child_entity not in self.rows:
                born[child_entity] = (at, first_rank + [p.entity for p, _ in pivots].index(child_entity))
            first = len(self.rows.setdefault(child_entity, []))
            self.rows[child_entity].extend([None] * len(children["_col"]))
            children["_id"] = list(range(first, first + len(children["_col"])))
            self.blocks.setdefault(child_entity, []).append((first, first + len(children["_col"]), children))
        new = [e for e in self.rows if e not in tables_before]
        if len(new) > 1:
            # tables are listed in the order their first rows were read: row by row, a row's own table, then
            # its one-to-one children's, then its spread-out columns' (made above, after the rows). The one
            # table not in `born`, LearnerHE made for a child sheet's first row, came before that row's own.
            new.sort(key=lambda e: born.get(e, (-1, -1)))
            self.rows = {e: self.rows[e] for e in [*tables_before, *new]}

    def inherit(self, parent: str, parent_id: int, parent_row: dict) -> tuple[int, dict]:
        """A child row's parent id and what it carries from its parent row (learner, learner reference, aim)."""
        inherited = {"_learner": parent_row.get("_learner", parent_id),
                     "LearnRefNumber": parent_row.get("LearnRefNumber")}
        if "AimSeqNumber" in parent_row:
            inherited["AimSeqNumber"] = parent_row.get("AimSeqNumber")
        if parent == "LearnerHE":
            parent_id = self.ensure_learner_he(parent_id, parent_row)
        return parent_id, inherited

    def no_parent(self, sheet: Sheet, r: int, key_values: tuple, learn_ref, aim_seq) -> None:
        """Report a child row whose key columns match no parent row."""
        keys = self.shape(sheet).key_columns
        parent = self.shape(sheet).parent
        lookup_entity = parent if parent != "LearnerHE" else "Learner"
        described = ", ".join(f"{c.key} {v!r}" for c, v in zip(keys, key_values))
        parent_sheet = self.layout.sheets[sheet.parent_sheet].name if sheet.parent_sheet else "parent"
        # point at the first key cell that matches no parent row (the learner reference, else the aim's)
        known = self.known_prefixes(lookup_entity)
        wrong = next((i for i in range(len(keys)) if key_values[:i + 1] not in known), len(keys) - 1)
        col = self.columns.get(self.name_of(sheet), {}).get(keys[wrong].key) if keys else None
        self.problem("WB_NO_PARENT", f"Row {r} of '{self.name_of(sheet)}' is for {described}, but there is no such "
                     f"row on the '{parent_sheet}' sheet, so it was not included. Check the reference "
                     "numbers match exactly.", self.name_of(sheet), r, col, learn_ref=learn_ref, aim_seq=aim_seq)

    def known_prefixes(self, entity: str) -> set[tuple]:
        """Every leading part of the key values of ``entity``'s rows, made when a row without a parent needs
        it (and again only when rows with new keys were added since)."""
        index = self.index.get(entity, {})
        count, prefixes = self.prefixes.get(entity, (-1, set()))
        if count != len(index):
            prefixes = {key[:i + 1] for key in index for i in range(len(key))}
            self.prefixes[entity] = (len(index), prefixes)
        return prefixes

    def ensure_learner_he(self, learner_id: int, learner_row: dict) -> int:
        if learner_id not in self.learner_he:
            self.learner_he[learner_id] = self.add("LearnerHE", {
                "_parent": learner_id, "_learner": learner_id, "_sheet": learner_row["_sheet"],
                "_row": learner_row["_row"], "LearnRefNumber": learner_row.get("LearnRefNumber")})
        return self.learner_he[learner_id]

    def shape(self, sheet: Sheet) -> _SheetShape:
        """What reading a row needs to know about the sheet's columns, worked out once per sheet."""
        shape = self.shapes.get(sheet.name)
        if shape is None:
            key_columns = sheet.key_columns
            key_names = {c.key for c in key_columns}
            shape = self.shapes[sheet.name] = _SheetShape(
                parent=self.spec.entity(sheet.entity).parent,
                key_columns=key_columns,
                extra_keys=tuple(k for k in sheet.key if k not in key_names),
                own=tuple(c.key for c in sheet.columns
                          if c.entity == sheet.entity and not c.is_key and c.pivot is None),
                one_to_one=tuple((child, tuple(c.key for c in sheet.columns if c.entity == child))
                                 for child in sheet.one_to_one),
                pivots=tuple((pivot, tuple((c.key, c.pivot_type) for c in sheet.columns if c.pivot is pivot))
                             for pivot in sheet.pivots))
        return shape




@dataclass(frozen=True)
class _SheetShape:
    parent: str | None
    key_columns: tuple[Column, ...]
    extra_keys: tuple[str, ...]  # key fields that are the sheet's own (not parent key) columns
    own: tuple[str, ...]  # the entity's own fields on the sheet
    one_to_one: tuple[tuple[str, tuple[str, ...]], ...]  # (child entity, its column keys)
    pivots: tuple[tuple[object, tuple[tuple[str, str | None], ...]], ...]  # (pivot, (column key, type))


_TEXT_OR_BLANK = frozenset({str, type(None)})
_INHERITED = ("_learner", "LearnRefNumber", "AimSeqNumber")  # what a child row carries from its parent
# cell types whose values never equal a value of another type (unlike 1 == 1.0 == True)
_NEVER_EQUAL_ACROSS_TYPES = frozenset({str, type(None), dt.datetime, dt.date, dt.time, dt.timedelta})


def _columns(rows: list) -> list[tuple]:
    """A sheet's rows turned into columns; short rows (a grid from Excel may be ragged) end in blanks."""
    width = max(map(len, rows))
    if min(map(len, rows)) == width:
        return list(zip(*rows))
    return list(zip_longest(*rows))


def _read_column(cells, field, codes, date1904: bool, tidy, known: frozenset) -> tuple[list | None, list]:
    """A column's cells read as ILR text, each distinct cell once (``None`` for a column with nothing in
    it), and the rows whose value was tidied: (row index, (read value, tidied value, how))."""
    keys = cells
    try:
        memo = dict.fromkeys(cells)
    except TypeError:  # a value that cannot be a key (not from calamine or Excel): each cell read on its own
        keys = range(len(cells))
        memo = dict.fromkeys(keys)
    else:
        # 1, 1.0 and True are equal keys, but read differently: where a column mixes such types, its cells
        # are told apart by type too. Only numbers are equal across types, so only a column with numbers
        # needs each cell's type looked at.
        kinds = set(map(type, memo))
        if not kinds <= _NEVER_EQUAL_ACROSS_TYPES:
            kinds = set(map(type, cells))
        if len(kinds - _TEXT_OR_BLANK) > 1:
            keys = list(zip(map(type, cells), cells))
            memo = dict.fromkeys(keys)
    cell_of = cells.__getitem__ if isinstance(keys, range) else itemgetter(1) if keys is not cells else None
    memo = dict(zip(memo, read_cells(list(map(cell_of, memo)) if cell_of else list(memo), field, codes, date1904)))
    fixed = {}
    if tidy is not None:
        for cell, value in memo.items():
            if value is not None and value not in known:
                tidied = tidy(value)
                if tidied is not None:
                    fixed[cell] = (value, *tidied)
                    memo[cell] = tidied[0]
    if not any(value is not None for value in memo.values()):
        return None, []
    values = list(map(memo.__getitem__, keys))
    fixes = [(j, fixed[keys[j]]) for j in compress(range(len(keys)), map(fixed.__contains__, keys))] \
        if fixed else []
    return values, fixes


def _picker(positions: list[int]):
    """A function giving the values at ``positions`` of a row tuple, as a tuple."""
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        at = positions[0]
        return lambda values: (values[at],)
    return itemgetter(*positions)


class _RowPlan:
    """Where each thing a table row needs sits in a sheet's row of read values (worked out once a sheet).

    A field whose column the sheet lacks (or leaves empty) is left out of the row: its table gives it None."""

    def __init__(self, shape: _SheetShape, sheet: Sheet, keys: list[str]):
        self.shape = shape
        self.sheet = sheet
        self.positions = {key: p for p, key in enumerate(keys)}
        self.absent = len(keys)  # the None after the values: every column the sheet lacks
        self.parent_key = _picker([self.at(c.key) for c in shape.key_columns])
        # always set: a row's own value of what it could also inherit overrides the inherited one, and
        # the key that finds it is always there
        self.own_keys = tuple(k for k in shape.own
                              if k in self.positions or k in _INHERITED or k in shape.extra_keys)
        self.one_to_one = [(child, present, _picker([self.at(k) for k in present]))
                           for child, child_keys in shape.one_to_one
                           for present in (tuple(k for k in child_keys if k in self.positions),) if present]
        self.pivots = [(pivot, present) for pivot, slots in shape.pivots
                       for present in (tuple(s for s in slots if s[0] in self.positions),) if present]

    def at(self, key: str) -> int:
        return self.positions.get(key, self.absent)

    def child_refs(self, row: dict, name: str, r: int) -> dict:
        refs = {"_sheet": name, "_row": r, "_learner": row.get("_learner"), "LearnRefNumber": row.get("LearnRefNumber")}
        if self.sheet.entity == "LearningDelivery":
            refs["AimSeqNumber"] = row.get("AimSeqNumber")
        return refs


def _block_frame(spec, entity: str, block: dict[str, list], count: int) -> pd.DataFrame:
    """A table from rows kept as columns (``text_frame``'s result for the same rows as dicts)."""
    cols = table_columns(spec, entity)
    blank = [None] * count
    return pd.DataFrame({c: block.get(c, blank) for c in cols}, columns=cols, dtype=object)


def _spread_block(slots: list[tuple], block: dict[str, list], name: str, entity: str) -> tuple[int, dict] | None:
    """Rows made from a sheet's spread-out columns (``LSR 1``, ``SOF``), one for each filled cell, row by row
    and within a row in column order: (the first's row in ``block``, their columns without ids), or None.
    ``slots``: (pivot, column key, type, the column's values for ``block``'s rows)."""
    at_rows: list[int] = []  # the block row of each filled cell, column by column
    of_slot: list[int] = []
    values: list = []
    for s, (_, _, _, column) in enumerate(slots):
        if column.count(None) == len(column):
            continue
        filled = list(compress(range(len(column)), map(is_not, column, repeat(None))))
        at_rows += filled
        of_slot += [s] * len(filled)
        values += map(column.__getitem__, filled)
    if not at_rows:
        return None
    order = sorted(range(len(at_rows)), key=[k * len(slots) + s for k, s in zip(at_rows, of_slot)].__getitem__)
    at_rows = list(map(at_rows.__getitem__, order))
    of_slot = list(map(of_slot.__getitem__, order))
    values = list(map(values.__getitem__, order))
    blank = [None] * len(block["_id"])
    children = {"_parent": list(map(block["_id"].__getitem__, at_rows)), "_sheet": [name] * len(at_rows),
                "_row": list(map(block["_row"].__getitem__, at_rows))}
    for key in ("_learner", "LearnRefNumber", "AimSeqNumber") if entity == "LearningDelivery" else (
            "_learner", "LearnRefNumber"):
        children[key] = list(map(block.get(key, blank).__getitem__, at_rows))
    children["_col"] = [slots[s][1] for s in of_slot]
    for pivot in dict.fromkeys(slot[0] for slot in slots):  # (two groups of one entity fill their own fields)
        children.setdefault(pivot.type_field, [None] * len(at_rows))
        children.setdefault(pivot.value_field, [None] * len(at_rows))
    for i, (s, value) in enumerate(zip(of_slot, values)):
        pivot, _, pivot_type, _ = slots[s]
        children[pivot.type_field][i] = pivot_type
        children[pivot.value_field][i] = value
    return at_rows[0], children