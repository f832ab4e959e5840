"""Rows hidden by a filter are told to clear the filter; hidden columns with data are reported (item 13)."""

from __future__ import annotations

from openpyxl.worksheet.filters import FilterColumn, Filters

from clerk_helpers import column_of, typed_workbook
from ilrkit.converter.io import load


def _problems(data, rule):
    return [p for p in data.problems if p.rule == rule]


def test_a_row_hidden_by_a_filter_says_clear_the_filter(tmp_path):
    def filtered(wb):
        ws = wb["Learners"]
        table = next(iter(ws.tables.values()))
        table.autoFilter.filterColumn.append(FilterColumn(colId=0, filters=Filters(filter=["L0000001"])))
        ws.sheet_properties.filterMode = True
        ws.row_dimensions[3].hidden = True

    data = load(typed_workbook(tmp_path / "f.xlsx", edit=filtered))
    rows = _problems(data, "WB_HIDDEN_ROW")
    assert [(p.sheet, p.row) for p in rows] == [("Learners", 3)]
    assert "Clear the filter" in rows[0].message and "Unhide" not in rows[0].message


def test_a_table_filter_alone_counts_as_a_filter(tmp_path):
    def filtered(wb):
        ws = wb["Learners"]
        table = next(iter(ws.tables.values()))
        table.autoFilter.filterColumn.append(FilterColumn(colId=0, filters=Filters(filter=["L0000001"])))
        ws.row_dimensions[4].hidden = True

    rows = _problems(load(typed_workbook(tmp_path / "f.xlsx", edit=filtered)), "WB_HIDDEN_ROW")
    assert [p.row for p in rows] == [4] and "Clear the filter" in rows[0].message


def test_a_row_hidden_by_hand_says_unhide(tmp_path):
    def hidden(wb):
        wb["Learners"].row_dimensions[3].hidden = True

    rows = _problems(load(typed_workbook(tmp_path / "h.xlsx", edit=hidden)), "WB_HIDDEN_ROW")
    assert [p.row for p in rows] == [3] and "Unhide" in rows[0].message and "filter" not in rows[0].message


def test_a_hidden_column_with_data_is_reported(tmp_path):
    hidden_letters = {}

    def hide(wb):
        ws = wb["Learners"]
        from openpyxl.utils import get_column_letter

        for key in ("ULN", "PrevUKPRN"):  # ULN has data; PrevUKPRN is empty in every row
            letter = get_column_letter(column_of(ws, key))
            hidden_letters[key] = letter
            ws.column_dimensions[letter].hidden = True

    data = load(typed_workbook(tmp_path / "c.xlsx", edit=hide))
    found = _problems(data, "WB_HIDDEN_COLUMN")
    assert [(p.sheet, p.column) for p in found] == [("Learners", hidden_letters["ULN"])]
    assert "ULN" in found[0].message and "Unhide" in found[0].message and found[0].severity == "warning"
