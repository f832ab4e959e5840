"""Property-based tests (hypothesis): random valid ILRs survive every conversion unchanged, and junk typed into
any cell of a workbook never crashes validation and is always reported against that cell.

The random ILRs are drawn from the year's specification (``ilrkit.schemas.load_spec``): every value respects
its field's type, length, pattern and code list, and each learner has a random set of children. Values never
start or end with white space (both readers trim it, as agency systems do).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from ilrkit.converter.model import LEARNING_PROVIDER_UKPRN, IlrData
from ilrkit.converter.workbook_reader import CalamineGrids, Grids, read_grids, read_workbook
from ilrkit.converter.xml_reader import read_xml
from ilrkit.converter.xml_writer import render_xml, schema_errors
from ilrkit.rules.engine import validate
from ilrkit.rules.testing import build
from ilrkit.schemas import CodeList, Field, load_spec
from ilrkit.templates.layout import load_layout
from ilrkit.templates.workbook_writer import build_workbook

YEAR = "2025-26"
SPEC = load_spec(YEAR)
LAYOUT = load_layout(YEAR)
SETTINGS = settings(max_examples=30, deadline=None, derandomize=False, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# characters an XML 1.0 document and an Excel cell can both hold: no controls, surrogates or non-characters
XML_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Cn"))
# the same with controls, for patterns that name a control character (``[^\r\n]``); they are filtered out
_WITH_CONTROLS = st.characters(exclude_categories=("Cs", "Cn"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RESTRICTED_CLASS = SPEC.restricted_string_pattern.rstrip("*")
# every character the ILR's RestrictedString type allows (a restricted field's own pattern narrows it further)
RESTRICTED_CHARS = "".join(c for c in map(chr, range(0x2200)) if re.fullmatch(_RESTRICTED_CLASS, c))


# -- values --------------------------------------------------------------------------------------------

def _trimmed(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return s.filter(lambda v: v != "" and v == v.strip())


def _bounds(f: Field) -> tuple[int, int]:
    if f.length is not None:
        return f.length, f.length
    return max(1, f.min_length or 1), f.max_length or 30


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10 ** n - 1).map(str)


def _int(f: Field) -> st.SearchStrategy[str]:
    low = int(f.min_inclusive) if f.min_inclusive is not None else None
    high = int(f.max_inclusive) if f.max_inclusive is not None else None
    if f.total_digits is not None:
        top = 10 ** f.total_digits - 1
        low = -top if low is None else low
        high = top if high is None else min(high, top)
    if low is None:
        low = -(2 ** 31) if f.type == "int" else -(2 ** 63)
    if high is None:
        high = 2 ** 31 - 1 if f.type == "int" else 2 ** 63 - 1
    return st.integers(low, high).map(str)


def _decimal(f: Field) -> st.SearchStrategy[str]:
    scale = 10 ** (f.fraction_digits if f.fraction_digits is not None else 2)
    low = round(float(f.min_inclusive or 0) * scale)
    high = round(float(f.max_inclusive or 999999) * scale)

    def text(n: int, form: int) -> str:
        whole, part = divmod(n, scale)
        digits = len(str(scale)) - 1
        if part == 0:
            return (str(whole), f"{whole}.0")[form % 2]
        frac = f"{part:0{digits}d}".rstrip("0")
        return f"{whole}.{frac}" if whole or form % 2 else f".{frac}"

    return st.builds(text, st.integers(low, high), st.integers(0, 1))


# mostly plausible dates; sometimes any date XML allows (Excel has none before 1900: they stay text)
DATES = st.one_of(st.dates(dt.date(1890, 1, 1), dt.date(2100, 12, 31)), st.dates()).map(dt.date.isoformat)
DATETIMES = st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0).isoformat())


def _codes(key: str) -> CodeList | None:
    codes = SPEC.codelist(key)
    return codes if codes is not None and codes.codes else None


@cache
def value(f: Field, codelist_key: str | None = None) -> st.SearchStrategy[str]:
    """A valid XML value for ``f``: from its code list, enumeration, pattern or type."""
    codes = _codes(codelist_key or f.qualified)
    if codes is not None:
        return st.sampled_from([c.code for c in codes.codes])
    if f.enumeration:
        return st.sampled_from(f.enumeration)
    if f.type == "date":
        return DATES
    if f.type == "dateTime":
        return DATETIMES
    if f.type in ("int", "long"):
        return _int(f)
    if f.type == "decimal":
        return _decimal(f)
    low, high = _bounds(f)
    if f.pattern:
        alphabet = RESTRICTED_CHARS if f.type == "restricted" else _WITH_CONTROLS
        s = st.from_regex(f.pattern, fullmatch=True, alphabet=alphabet)
        s = s.filter(lambda v: low <= len(v) <= high and not _CONTROL.search(v))
    elif f.type == "restricted":
        s = st.text(RESTRICTED_CHARS, min_size=low, max_size=min(high, 40))
    else:
        s = st.text(XML_CHARS, min_size=low, max_size=min(high, 40))
    return _trimmed(s)


@st.composite
def record(draw, entity: str, skip: tuple[str, ...] = (), fixed: dict | None = None) -> dict:
    """The fields of one ``entity`` element: every mandatory one, and each optional one half the time."""
    out = dict(fixed or {})
    for f in SPEC.entity(entity).fields:
        if f.name in out or f.name in skip:
            continue
        if f.mandatory or draw(st.booleans()):
            out[f.name] = draw(value(f))
    return out


@st.composite
def typed_child(draw, entity: str, type_field: str, code_field: str) -> dict:
    """A FAM, ESM or financial record: a type from its list, and a code from that type's list."""
    types = [t.type for t in SPEC.fam_types.get(entity, ())]
    type_ = draw(st.sampled_from(types))
    fam = SPEC.fam_type(entity, type_)
    e = SPEC.entity(entity)
    row = {type_field: type_, code_field: draw(value(e.field(code_field), f"{entity}.{type_}"))}
    for f in e.fields:
        if f.name in row:
            continue
        dated = fam is not None and fam.dated
        if f.mandatory or (dated and draw(st.booleans())):
            row[f.name] = draw(value(f))
    return row


def _keys(draw, s: st.SearchStrategy[str], n: int, repeat: bool) -> list[str]:
    """``n`` key values (LearnRefNumber, AimSeqNumber, DateEmpStatApp): all different, as the rules require,
    or, when ``repeat``, drawn from one or two values, as the XSD allows and some systems' files have."""
    if not repeat:
        return draw(st.lists(s, min_size=n, max_size=n, unique=True))
    pool = draw(st.lists(s, min_size=1, max_size=2))
    return [draw(st.sampled_from(pool)) for _ in range(n)]


@st.composite
def aim(draw, seq: str) -> dict:
    out = draw(record("LearningDelivery", fixed={"AimSeqNumber": seq}))
    out["fams"] = draw(st.lists(typed_child("LearningDeliveryFAM", "LearnDelFAMType", "LearnDelFAMCode"),
                                max_size=4))
    out["financial"] = draw(st.lists(typed_child("AppFinRecord", "AFinType", "AFinCode"), max_size=2))
    out["work_placements"] = draw(st.lists(record("LearningDeliveryWorkPlacement"), max_size=2))
    out["monitoring"] = draw(st.lists(record("ProviderSpecDeliveryMonitoring"), max_size=4))
    if draw(st.integers(0, 3)) == 0:
        out["he"] = draw(record("LearningDeliveryHE"))
    return out


@st.composite
def learner(draw, ref: str, repeat: bool = False) -> dict:
    out = draw(record("Learner", fixed={"LearnRefNumber": ref}))
    out["prior"] = draw(st.lists(record("PriorAttain"), max_size=2))
    out["lldd"] = draw(st.lists(record("LLDDandHealthProblem"), max_size=2))
    out["fams"] = draw(st.lists(typed_child("LearnerFAM", "LearnFAMType", "LearnFAMCode"), max_size=5))
    out["monitoring"] = draw(st.lists(record("ProviderSpecLearnerMonitoring"), max_size=2))
    n_status = draw(st.integers(0, 2))
    dates = _keys(draw, DATES, n_status, repeat)
    out["employment"] = []
    for day in dates:
        status = draw(record("LearnerEmploymentStatus", fixed={"DateEmpStatApp": day}))
        status["esm"] = draw(st.lists(typed_child("EmploymentStatusMonitoring", "ESMType", "ESMCode"),
                                      max_size=3))
        out["employment"].append(status)
    if draw(st.integers(0, 3)) == 0:
        he = draw(record("LearnerHE"))
        he["financial"] = draw(st.lists(record("LearnerHEFinancialSupport"), max_size=2))
        if any(v is not None for k, v in he.items() if k != "financial") or he["financial"]:
            out["he"] = he  # an empty <LearnerHE/> has nothing a workbook row could show
    n_aims = draw(st.integers(1, 3))
    seqs = _keys(draw, value(SPEC.field("LearningDelivery.AimSeqNumber")), n_aims, repeat)
    out["aims"] = [draw(aim(s)) for s in seqs]
    return out


@st.composite
def ilr(draw, max_learners: int = 3) -> IlrData:
    """A random ILR that passes the year's XSD."""
    n = draw(st.integers(1, max_learners))
    repeat = draw(st.integers(0, 4)) == 0
    refs = _keys(draw, value(SPEC.field("Learner.LearnRefNumber")), n, repeat)
    learners = [draw(learner(r, repeat)) for r in refs]
    header = draw(record("Source", skip=("ProtectiveMarking",)))
    header.update(draw(record("CollectionDetails", skip=("Collection", "Year"))))
    for f in SPEC.entity("Source").fields + SPEC.entity("CollectionDetails").fields:
        header.setdefault(f.name, None)
    header[LEARNING_PROVIDER_UKPRN] = header["UKPRN"] if draw(st.booleans()) else draw(
        value(SPEC.field("LearningProvider.UKPRN")))
    sources = draw(st.lists(record("SourceFile"), max_size=2))
    return build(learners, header=header, defaults=False, source_files=sources)


# -- round trips -----------------------------------------------------------------------------------------

def _rows(data: IlrData) -> int:
    return sum(len(df) for df in data.tables.values())


def c14n(text: str) -> bytes:
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, method="c14n2")


def workbook_of(data: IlrData, tmp_path, name: str = "wb.xlsx"):
    path = tmp_path / name
    path.write_bytes(build_workbook(load_layout(data.year), data))
    return path


@SETTINGS
@given(data=ilr())
def test_random_ilr_xml_to_workbook_to_xml_is_identical(data, tmp_path_factory):
    event(f"learners: {len(data.learners)}")
    event(f"rows: {'0-9' if _rows(data) < 10 else '10-29' if _rows(data) < 30 else '30+'}")
    xml = render_xml(data)
    assert schema_errors(SPEC, xml.encode("utf-8")) == [], "the strategy must make XSD-valid ILRs"
    from_xml = read_xml(xml.encode("utf-8"))
    path = workbook_of(from_xml, tmp_path_factory.mktemp("rt"))
    back = read_workbook(path)
    assert [p for p in back.problems if p.is_error] == []
    # lossless, but for text that can only mean one value in the agency's form (a lower-case postcode or NI
    # number, which their rules reject): the reader tidies it, and says so on its cell
    expected = _tidied(from_xml)
    assert c14n(render_xml(back)) == c14n(render_xml(expected))
    changed = sum(a != b for e in expected.tables for c in expected.tables[e].columns if not c.startswith("_")
                  for a, b in zip(expected.tables[e][c].tolist(), from_xml.tables[e][c].tolist()))
    assert changed == len([p for p in back.problems if p.rule == "WB_READ_AS"])


def _tidied(data: IlrData) -> IlrData:
    """``data`` with the free-text values the workbook reader tidies (ilrkit.converter.tidy) tidied."""
    from ilrkit.converter.tidy import tidier

    tables = {}
    for entity, df in data.tables.items():
        df = df.copy()
        for f in SPEC.entity(entity).fields:
            tidy = tidier(f, None) if f.name in df.columns and SPEC.codelist(f.qualified) is None else None
            if tidy is not None:
                before = df[f.name].tolist()
                after = [v if v is None else (tidy(v) or (v,))[0] for v in before]
                if after != before:
                    df[f.name] = pd.Series(after, index=df.index, dtype=object)
        tables[entity] = df
    return IlrData(data.year, data.header, tables, data.origin)


@SETTINGS
@given(data=ilr())
def test_random_ilr_xml_to_tables_to_xml_is_identical(data):
    xml = render_xml(data)
    assert render_xml(read_xml(xml.encode("utf-8"))) == xml


# -- junk in any cell ------------------------------------------------------------------------------------

# what a cell can hold, as the workbook reader gets it (python-calamine's types): any text (with control
# characters, which .xlsx stores as _x0001_), numbers, booleans, dates, times and durations, text that looks
# like a formula, an Excel error, a number or a date, and very long text
JUNK_TEXT = st.one_of(
    st.text(min_size=1, max_size=60),
    st.text(st.characters(codec="ascii"), min_size=1, max_size=12),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(50, 3000)),
    st.sampled_from(["=SUM(A1:A3)", "=1+1", "+44 7700 900123", "-1", "@SUM(A1)", "#N/A", "#REF!", "#DIV/0!",
                     "#VALUE!", "TRUE", "FALSE", "NULL", "None", "nan", "1E+09", "1.061484016E+09", "0x1F",
                     "31/02/2025", "2025-13-01", "01/01/0000", "00/00/00", "١٢٣", "１２３", "1,000", "£100",
                     "31 – not a code", " – ", "\u200b", "\ufeff1", "1\u00a0000", "<b>x</b>", "&amp;", "]]>",
                     "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "%s%s%n", "\\x00", "../../etc/passwd"]),
).filter(lambda s: s.strip() != "")
JUNK = st.one_of(
    JUNK_TEXT,
    st.integers(-(10 ** 20), 10 ** 20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def _digits_ok(text: str, f: Field) -> bool:
    digits = text.lstrip("+-").replace(".", "").lstrip("0") or "0"
    if f.total_digits is not None and len(digits) > f.total_digits:
        return False
    if f.fraction_digits is not None and "." in text and len(text.split(".")[1].rstrip("0")) > f.fraction_digits:
        return False
    return True


def valid_for(column, text: str | None) -> bool:
    """Whether ``text`` (a cell value as read) is a valid ILR value for the column: type, facets, code list."""
    f = column.field
    if text is None:
        return not f.mandatory
    codes = SPEC.codelist(column.codelist_key)
    # a list the year pack marks uncertain (partial) accepts any code, so a real code missing from our list
    # never costs a learner their funding (see rules/fields/pairs.py)
    if codes is not None and codes.codes and not codes.uncertain and text not in codes:
        return False
    if f.enumeration and text not in f.enumeration:
        return False
    if f.type in ("int", "long", "decimal"):
        pattern = r"[+-]?\d+" if f.type != "decimal" else r"[+-]?(\d+(\.\d*)?|\.\d+)"
        if not re.fullmatch(pattern, text) or not _digits_ok(text, f):
            return False
        number = float(text)
        if f.type == "int" and not -(2 ** 31) <= int(text) < 2 ** 31:
            return False
        if f.min_inclusive is not None and number < float(f.min_inclusive):
            return False
        return f.max_inclusive is None or number <= float(f.max_inclusive)
    if f.type == "date":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))
    if f.type == "dateTime":
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", text))
    if f.length is not None and len(text) != f.length:
        return False
    if f.min_length is not None and len(text) < f.min_length:
        return False
    if f.max_length is not None and len(text) > f.max_length:
        return False
    if f.pattern and not re.fullmatch(f.pattern, text):
        return False
    if f.type == "restricted" and not re.fullmatch(SPEC.restricted_string_pattern, text):
        return False
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)  # not in an XML document


def _baseline_data() -> IlrData:
    try:
        from ilrkit.generate import generate
    except ImportError:  # the synthetic-data generator is optional here
        return build([{"LearnRefNumber": "L1", "fams": {"LSR": ["55"]},
                       "employment": [{"EmpStat": "10", "DateEmpStatApp": "2025-07-01", "esm": {"EII": "2"}}],
                       "aims": [{"fams": {"SOF": "105"}}, {}]}, {"LearnRefNumber": "L2", "aims": [{}]}])
    return generate(3, seed=7).data


@pytest.fixture(scope="module")
def clean_book(tmp_path_factory):
    """A valid workbook's cells (as calamine reads them), its findings, and every data cell to spoil."""
    from python_calamine import CalamineWorkbook

    path = workbook_of(_baseline_data(), tmp_path_factory.mktemp("junk"))
    wb = CalamineGrids(CalamineWorkbook.from_path(str(path)))
    grids = {name: wb.grid(name) for name in wb.sheet_names}
    data = read_grids(Grids(grids), path.name)
    report = validate(data, today=TODAY)
    cells = []
    for name, columns in data.columns.items():
        if name == LAYOUT.provider_sheet:
            continue  # header values: see test_junk_on_the_provider_sheet_is_reported
        sheet = next(s for s in LAYOUT.sheets.values() if s.name == name)
        by_key = {c.key: c for c in sheet.columns}
        rows = {int(r) for df in data.tables.values() if "_sheet" in df
                for r in df.loc[df["_sheet"] == name, "_row"].dropna()}
        for key, letter in columns.items():
            if key in by_key:
                cells.extend((name, r, letter, by_key[key]) for r in sorted(rows))
    return grids, report, sorted(cells, key=lambda c: (c[0], c[1], c[2]))


TODAY = dt.date(2026, 6, 30)


def _index(letter: str) -> int:
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _at(findings, sheet: str, row: int, letter: str) -> set:
    """Findings that point at the cell."""
    return {(f.rule, f.message) for f in findings if f.sheet == sheet and f.row == row and f.column == letter}


@SETTINGS
@given(data=st.data(), junk=JUNK)
def test_junk_in_any_cell_is_reported_at_that_cell(clean_book, data, junk):
    grids, clean, cells = clean_book
    sheet, row, letter, column = cells[data.draw(st.integers(0, len(cells) - 1), label="cell number")]
    grid = [list(r) for r in grids[sheet]]
    j = _index(letter)
    while len(grid[row - 1]) <= j:
        grid[row - 1].append("")
    before = grid[row - 1][j]
    grid[row - 1][j] = junk
    spoiled = read_grids(Grids({**grids, sheet: grid}), "junk.xlsx")  # never raises: junk is data
    report = validate(spoiled, today=TODAY)  # strict=False, as users run it
    assert report.rules_not_checked == clean.rules_not_checked, \
        f"rules raised on {junk!r} in {sheet}!{letter}{row}: " \
        f"{sorted(set(report.rules_not_checked) - set(clean.rules_not_checked))}"
    from ilrkit.converter.cells import read_cell

    as_read = read_cell(junk, column.field, SPEC.codelist(column.codelist_key))
    if as_read == read_cell(before, column.field, SPEC.codelist(column.codelist_key)) or \
            valid_for(column, as_read):
        return
    new = _at(report.findings, sheet, row, letter) - _at(clean.findings, sheet, row, letter)
    assert new, f"nothing reported at {sheet}!{letter}{row} ({column.key}) holding {junk!r} (read as {as_read!r})"


PROVIDER_JUNK = [("UKPRN", "abc"), ("UKPRN", "0"), ("SoftwareSupplier", "x" * 41), ("SerialNo", "123"),
                 ("FilePreparationDate", "31/02/2026"), ("Release", "=1+1" * 6), ("ReferenceData", "\x07bell")]


def _spoil_provider(clean_book, key: str, junk):
    grids = clean_book[0]
    grid = [list(r) for r in grids[LAYOUT.provider_sheet]]
    row = next(i for i, r in enumerate(grid, start=1) if r and str(r[0]).endswith(f"[{key}]"))
    grid[row - 1][1] = junk
    return read_grids(Grids({**grids, LAYOUT.provider_sheet: grid}), "junk.xlsx"), row


@pytest.mark.parametrize("key, junk", PROVIDER_JUNK)
def test_junk_on_the_provider_sheet_never_reaches_the_xml(clean_book, tmp_path, key, junk):
    """Header values: ``convert`` refuses the file (exit 2, a message) or writes XML that passes the XSD."""
    from ilrkit.converter.api import convert
    from ilrkit.converter.errors import InputError

    spoiled, _ = _spoil_provider(clean_book, key, junk)
    validate(spoiled, today=TODAY)  # never raises
    try:
        result = convert(tmp_path / "junk.xlsx", tmp_path, data=spoiled)
    except InputError:
        assert list(tmp_path.iterdir()) == []
        return
    if result.written:
        assert schema_errors(SPEC, result.path.read_bytes()) == []


@pytest.mark.parametrize("key, junk", PROVIDER_JUNK)
def test_junk_on_the_provider_sheet_is_reported_at_its_cell(clean_book, key, junk):
    spoiled, row = _spoil_provider(clean_book, key, junk)
    report = validate(spoiled, today=TODAY)
    assert _at(report.findings, LAYOUT.provider_sheet, row, "B")


@pytest.mark.parametrize("day", ["0001-01-01", "1066-10-14", "1899-12-31", "1900-01-01", "1900-02-28",
                                 "1900-03-01", "9999-12-31"])
def test_dates_excel_cannot_hold_survive_the_workbook(tmp_path, day):
    """Excel has no dates before 1900 (and its 29 February 1900 shifts the first two months): such dates are
    written as text, which reads back as the same date."""
    data = build([{"DateOfBirth": day, "aims": [{}]}])
    back = read_workbook(workbook_of(data, tmp_path))
    assert back.learners.iloc[0]["DateOfBirth"] == day
    assert render_xml(back) == render_xml(data)
