"""XML -> workbook -> XML: importing the agency's sample and reading the workbook back loses nothing.

The sample is Crown copyright, so it is read from ``../shared`` (the ``esfa_dir`` fixture) and never copied.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree

from ilrkit.converter.errors import OutputExists
from ilrkit.converter.importer import import_xml
from ilrkit.converter.model import BOOKKEEPING, LEARNING_PROVIDER_UKPRN
from ilrkit.converter.workbook_reader import read_workbook
from ilrkit.converter.xml_reader import read_xml
from ilrkit.converter.xml_writer import render_xml
from ilrkit.templates import write_workbook
from ilrkit.templates.layout import KEY_OCCURRENCE

SAMPLE_NAME = "ILR-99999999-2526-20250108-094401.xml"
# set when the file is written, so they differ between any two exports
VOLATILE = ("{ns}Header/{ns}CollectionDetails/{ns}FilePreparationDate", "{ns}Header/{ns}Source/{ns}DateTime")


def canonical(xml: bytes) -> bytes:
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, remove_comments=True))
    ns = "{" + etree.QName(root).namespace + "}"
    for path in VOLATILE:
        for el in root.findall(path.format(ns=ns)):
            el.text = None
    return etree.tostring(root, method="c14n2")


def fields_only(df: pd.DataFrame) -> list[dict]:
    """Table rows without bookkeeping columns, grouped by parent row in their order within the parent.

    A workbook gives a parent's FAMs as column values first and overflow-sheet rows after, so the table's
    overall order differs from the XML's; the order under each parent (what the XML keeps) must not.
    """
    parent = df["_parent"].map(lambda v: -1 if v is None or pd.isna(v) else int(v))
    df = df.assign(_order=parent).sort_values("_order", kind="stable")
    cols = [c for c in df.columns if c not in BOOKKEEPING and c != "_order"]
    return df[cols].to_dict("records")


@pytest.fixture(scope="module")
def sample(esfa_dir) -> Path:
    path = esfa_dir / SAMPLE_NAME
    if not path.is_file():
        pytest.skip(f"{SAMPLE_NAME} not present in {esfa_dir}")
    return path


@pytest.fixture(scope="module")
def imported(sample, tmp_path_factory) -> Path:
    return import_xml(sample, tmp_path_factory.mktemp("import") / "imported.xlsx")


def test_import_reads_back_to_identical_xml(sample, imported):
    data = read_workbook(imported)
    assert data.problems == []
    assert canonical(render_xml(data).encode("utf-8")) == canonical(sample.read_bytes())


def test_nothing_is_dropped(sample, imported):
    original = read_xml(sample)
    back = read_workbook(imported)
    for entity, table in original.tables.items():
        assert len(back.table(entity)) == len(table), entity
        assert fields_only(back.table(entity)) == fields_only(table), entity
    # Collection, Year and ProtectiveMarking are fixed by the XML writer; the learning provider's UKPRN is
    # only shown when it differs from the header's
    fixed = ("Year", "Collection", "ProtectiveMarking", LEARNING_PROVIDER_UKPRN)
    assert {k: v for k, v in back.header.items() if k not in fixed} == \
        {k: v for k, v in original.header.items() if k not in fixed}


def test_learning_provider_ukprn_kept_when_it_differs(sample, tmp_path):
    data = read_xml(sample)
    data.header[LEARNING_PROVIDER_UKPRN] = "10000001"
    back = read_workbook(write_workbook(tmp_path / "ukprn.xlsx", data=data))
    assert back.header[LEARNING_PROVIDER_UKPRN] == "10000001" and back.header["UKPRN"] == "99999999"
    assert canonical(render_xml(back).encode()) == canonical(render_xml(data).encode())


def test_imported_cells_are_typed_for_excel(imported):
    book = openpyxl.load_workbook(imported)
    ws = book["Learners"]
    header = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in ws[1]}
    row = [c for c in ws[2]]
    uln, dob, ethnicity = row[header["ULN"] - 1], row[header["DateOfBirth"] - 1], row[header["Ethnicity"] - 1]
    assert isinstance(uln.value, str) and uln.number_format == "@"
    assert isinstance(dob.value, dt.datetime) and dob.number_format == "dd/mm/yyyy"
    assert ethnicity.value.startswith("31 – ")
    assert all(c.data_type != "f" for sheet in book for r in sheet.iter_rows() for c in r), "no formulas"
    # the sample repeats AimSeqNumber 1 for one learner: the aims' child sheets say which aim they mean
    fams = book["AimFAMs"]
    assert KEY_OCCURRENCE in [c.value for c in fams[1]]
    assert "LearnerFAMs" not in book.sheetnames, "overflow sheets only when something overflows"
    assert "SourceFiles" in book.sheetnames


def test_import_refuses_to_overwrite(sample, imported):
    with pytest.raises(OutputExists):
        import_xml(sample, imported)


def test_text_that_looks_like_a_formula_stays_text(sample, tmp_path):
    data = read_xml(sample)
    data.tables["Learner"].at[0, "AddLine1"] = "=1+2"
    data.tables["Learner"].at[1, "AddLine1"] = "@SUM(A1)"
    path = write_workbook(tmp_path / "formula.xlsx", data=data)
    ws = openpyxl.load_workbook(path)["Learners"]
    col = next(c.column for c in ws[1] if str(c.value).endswith("[AddLine1]"))
    assert (ws.cell(2, col).data_type, ws.cell(2, col).value) == ("s", "=1+2")
    back = read_workbook(path)
    assert list(back.learners["AddLine1"][:2]) == ["=1+2", "@SUM(A1)"]


def _rewrite_learners(path: Path) -> dict:
    """Edit the Learners sheet the way admin staff do; returns the values now expected for learner 1."""
    book = openpyxl.load_workbook(path)
    old = book["Learners"]
    grid = [list(r) for r in old.iter_rows(values_only=True)]
    grid = [r for r in grid if any(v is not None for v in r)]
    header = [str(v).rsplit("[", 1)[-1].rstrip("]") for v in grid[0]]
    first = grid[1]
    first[header.index("Ethnicity")] = "31"  # typed instead of picked from the dropdown
    uln = first[header.index("ULN")]
    first[header.index("ULN")] = float(uln)  # pasted as a number: 1061484016.0
    first[header.index("DateOfBirth")] = "01/09/2025"  # typed as UK text
    order = list(reversed(range(len(header))))  # columns moved around
    order.insert(len(order) // 2, None)  # a column of the provider's own
    index = book.sheetnames.index("Learners")
    book.remove(old)
    ws = book.create_sheet("Learners", index)
    out = 1
    for i, row in enumerate(grid):
        for j, source in enumerate(order, start=1):
            if source is None:
                ws.cell(out, j, "Tutor notes" if i == 0 else f"note {i}")
            else:
                ws.cell(out, j, row[source])
        out += 2 if i else 1  # blank rows between the learners
    book.save(path)
    return {"Ethnicity": "31", "ULN": uln, "DateOfBirth": "2025-09-01"}


def test_admin_edits_read_back_to_the_same_values(sample, imported, tmp_path):
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(imported.read_bytes())
    changed = _rewrite_learners(edited)
    original = read_xml(sample)
    expected = original.tables["Learner"].copy()
    assert expected.at[0, "Ethnicity"] == "31"
    for field, value in changed.items():
        expected.at[0, field] = value
    back = read_workbook(edited)
    assert back.problems == []
    assert fields_only(back.learners) == fields_only(expected)
    for entity, table in original.tables.items():  # children still find their learners
        assert fields_only(back.table(entity)) == fields_only(table) or entity == "Learner", entity


def _append(data, entity: str, parent_id: int, **values) -> None:
    """Add a child row under ``parent_id`` (after its existing children), as the XML reader would."""
    table = data.tables[entity]
    parent_entity = data.spec.entity(entity).parent
    parent = data.tables[parent_entity].set_index("_id").loc[parent_id]
    row = {c: None for c in table.columns}
    row.update(_id=int(table["_id"].max()) + 1, _parent=parent_id, _learner=parent.get("_learner", parent_id),
               LearnRefNumber=parent.get("LearnRefNumber"), **values)
    if "AimSeqNumber" in table.columns and "AimSeqNumber" in parent:
        row["AimSeqNumber"] = parent["AimSeqNumber"]
    data.tables[entity] = pd.concat([table, pd.DataFrame([row], columns=table.columns)], ignore_index=True)


def _duplicate_first_learner(data) -> None:
    """Give the return a second learner with the first one's reference number, aims and all."""
    for entity in ("Learner", "LearningDelivery", "LearningDeliveryFAM"):
        table = data.tables[entity]
        offset = int(table["_id"].max()) + 1
        if entity == "Learner":
            copies = table[table["_id"] == 0].copy()
            learner_offset = offset
        elif entity == "LearningDelivery":
            copies = table[table["_parent"] == 0].copy()
            aim_map = {old: old + offset for old in copies["_id"]}
            copies["_parent"] = learner_offset
        else:
            copies = table[table["_parent"].isin(list(aim_map))].copy()
            copies["_parent"] = copies["_parent"].map(aim_map)
        copies["_id"] = copies["_id"] + offset
        copies["_learner"] = learner_offset
        data.tables[entity] = pd.concat([table, copies], ignore_index=True)


def test_awkward_data_round_trips(sample, tmp_path):
    data = read_xml(sample)
    learner = 0  # 16Learner: LearnerFAM LSR, EDF, MCF, FME
    for code in ("56", "57", "58", "59"):  # five LSRs: more than the four LSR columns
        _append(data, "LearnerFAM", learner, LearnFAMType="LSR", LearnFAMCode=code)
    _append(data, "LearnerFAM", learner, LearnFAMType="HNS", LearnFAMCode="1")  # left of earlier columns
    _append(data, "LearnerFAM", learner, LearnFAMType="XYZ", LearnFAMCode="1")  # a type we do not know
    _append(data, "EmploymentStatusMonitoring", 1, ESMType="SEI", ESMCode="1")  # after EII: out of order
    learners = data.tables["Learner"]
    learners.at[1, "Ethnicity"] = "77"  # not in the list: kept as typed
    learners.at[1, "DateOfBirth"] = "2008-02-30"  # not a real date: kept as text
    learners.at[2, "FamilyName"] = "-Smith"
    he = data.tables["LearningDeliveryHE"]
    he.at[0, "STULOAD"] = "12.50"  # decimals exactly as given
    _duplicate_first_learner(data)

    path = write_workbook(tmp_path / "awkward.xlsx", data=data)
    book = openpyxl.load_workbook(path)
    assert {"LearnerFAMs", "EmploymentMonitoring"} <= set(book.sheetnames)
    for sheet in ("PriorAttainment", "LLDD", "EmploymentStatus", "LearningAims", "AimFAMs", "LearnerFAMs"):
        assert KEY_OCCURRENCE in [c.value for c in book[sheet][1]], sheet

    back = read_workbook(path)
    assert back.problems == []
    assert canonical(render_xml(back).encode()) == canonical(render_xml(data).encode())
    for entity, table in data.tables.items():
        assert fields_only(back.table(entity)) == fields_only(table), entity
