"""The built vbaProject.bin beside real ones written by Excel: the VBA projects inside the .xlam/.xlsm files the
xlwings package ships (saved by Excel; xlwings is BSD-licensed). Stream by stream, ours must have what Excel
writes: the same streams, the same PROJECT lines, a PROJECTwm stream naming every module, the same dir records
for each kind of module, and the attribute lines Excel keeps for the Dictionary class module."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser, decompress_stream

from ilrkit.addin.build import vba_project_bin

# the Excel-saved files with a Dictionary class module, as our add-in has
REAL_FILES = ("quickstart_addin.xlam", "quickstart_standalone.xlsm", "addin/xlwings.xlam")
MODULE_RECORDS_END = 0x002B  # each module's records end with this one
REFERENCE_NAME = 0x0016  # the first reference record: the project information records come before it
PROJECT_MODULES = 0x000F
TYPE_STANDARD, TYPE_CLASS_OR_DOCUMENT = 0x0021, 0x0022


class Project:
    """One vbaProject.bin, read with olefile and oletools only (nothing of ms-ovba's or ours)."""

    def __init__(self, data: bytes, label: str):
        self.label = label
        self.data = data
        self.ole = olefile.OleFileIO(io.BytesIO(data))

    def stream(self, path: str) -> bytes:
        return self.ole.openstream(path).read()

    def layout(self) -> set[str]:
        return {"/".join(p) for p in self.ole.listdir(streams=True, storages=True)}

    def project_lines(self) -> list[str]:
        """The PROJECT stream's lines (Excel ends it with a blank line or two: those are left out)."""
        return self.stream("PROJECT").decode("cp1252").rstrip("\r\n").split("\r\n")

    def modules(self) -> dict[str, str]:
        """Module name -> kind (Document, Module, Class) from the PROJECT stream, in order."""
        found = {}
        for line in self.project_lines():
            key, _, value = line.partition("=")
            if key in ("Document", "Module", "Class"):
                found[value.split("/")[0]] = key
        return found

    def project_keys(self) -> list[str]:
        """The PROJECT stream's lines as keys, modules left out: ID, Name, ..., [Workspace] and its lines."""
        keys = []
        for line in self.project_lines():
            key = line.split("=")[0]
            if key in ("Document", "Module", "Class") or key in self.modules():
                continue
            keys.append(key)
        return keys

    def projectwm(self) -> list[tuple[str, str]]:
        """PROJECTwm: (name in the code page, name in UTF-16) per module, then a terminator."""
        data = self.stream("PROJECTwm")
        assert data.endswith(b"\x00\x00"), self.label
        names, i = [], 0
        while data[i:i + 2] != b"\x00\x00":
            end = data.index(b"\x00", i)
            mbcs = data[i:end].decode("cp1252")
            i = end + 1
            wide_end = next(j for j in range(i, len(data), 2) if data[j:j + 2] == b"\x00\x00")
            names.append((mbcs, data[i:wide_end].decode("utf-16-le")))
            i = wide_end + 2
        assert i == len(data) - 2, self.label
        return names

    def dir_records(self) -> list[tuple[int, bytes]]:
        data = bytes(decompress_stream(bytearray(self.stream("VBA/dir"))))
        records, i = [], 0
        while i < len(data):
            rid, size = struct.unpack_from("<HI", data, i)
            i += 6
            size = 6 if rid == 0x0009 else size  # PROJECTVERSION: its size field does not count its last 2 bytes
            records.append((rid, data[i:i + size]))
            i += size
        return records

    def code(self) -> dict[str, str]:
        parser = VBA_Parser(self.label, data=self.data)
        return {name.rsplit(".", 1)[0]: text for _, _, name, text in parser.extract_macros()}


@pytest.fixture(scope="module")
def ours() -> Project:
    return Project(vba_project_bin(), "ilrkit.xlam")


def _xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


@pytest.fixture(scope="module", params=REAL_FILES)
def real(request) -> Project:
    path = _xlwings_dir() / request.param
    if not path.is_file():
        pytest.skip(f"this xlwings version does not ship {request.param}")
    with zipfile.ZipFile(path) as zf:
        return Project(zf.read("xl/vbaProject.bin"), request.param)


def test_same_streams_as_excel_writes(ours, real):
    def shape(project):
        return {p if not p.startswith("VBA/") or p in ("VBA/dir", "VBA/_VBA_PROJECT") else "VBA/<module>"
                for p in project.layout()}

    assert shape(ours) == shape(real)
    assert "PROJECTwm" in ours.layout()
    for project in (ours, real):  # one stream per module the PROJECT stream names
        assert {p for p in project.layout() if p.startswith("VBA/")} - {"VBA", "VBA/dir", "VBA/_VBA_PROJECT"} == \
            {f"VBA/{m}" for m in project.modules()}


def test_project_stream_has_excel_lines(ours, real):
    assert ours.project_keys() == real.project_keys()
    host = [line for line in ours.project_lines() if line.startswith("&H00000001=")]
    assert host == [line for line in real.project_lines() if line.startswith("&H00000001=")]
    assert ours.modules()["Dictionary"] == real.modules()["Dictionary"] == "Class"


def test_projectwm_names_every_module_as_excel_does(ours, real):
    for project in (ours, real):
        names = project.projectwm()
        assert all(mbcs == wide for mbcs, wide in names)
        assert [mbcs for mbcs, _ in names] == list(project.modules())


def _ids_until(records, stop):
    ids = []
    for rid, _ in records:
        if rid == stop:
            break
        ids.append(rid)
    return ids


def _modules_by_kind(project) -> dict[str, list[int]]:
    """Record ids of one module of each kind: the Dictionary class, a standard module, ThisWorkbook."""
    records = project.dir_records()
    start = next(n for n, (rid, _) in enumerate(records) if rid == PROJECT_MODULES)
    modules, current, name = {}, [], None
    for rid, data in records[start + 2:]:
        current.append(rid)
        if rid == 0x0019:
            name = data.decode("cp1252")
        if rid == MODULE_RECORDS_END:
            modules[name] = current
            current = []
    kinds = project.modules()
    standard = next(m for m, kind in kinds.items() if kind == "Module")
    return {"class": modules["Dictionary"], "standard": modules[standard], "document": modules["ThisWorkbook"]}


def test_dir_stream_records_match_excel(ours, real):
    assert _ids_until(ours.dir_records(), REFERENCE_NAME) == _ids_until(real.dir_records(), REFERENCE_NAME)
    ours_kinds, real_kinds = _modules_by_kind(ours), _modules_by_kind(real)
    assert ours_kinds == real_kinds
    assert TYPE_CLASS_OR_DOCUMENT in ours_kinds["class"] and TYPE_STANDARD in ours_kinds["standard"]


def test_dictionary_class_has_excel_attribute_lines(ours, real):
    def attributes(project):
        return [line.split("=")[0].strip() for line in project.code()["Dictionary"].splitlines()
                if line.startswith("Attribute ")]

    assert attributes(ours) == attributes(real)
    base = [ln for ln in ours.code()["Dictionary"].splitlines() if ln.startswith("Attribute VB_Base")]
    assert base == [ln for ln in real.code()["Dictionary"].splitlines() if ln.startswith("Attribute VB_Base")]


def test_vba_project_stream_asks_excel_to_compile(ours, real):
    ours_head, real_head = ours.stream("VBA/_VBA_PROJECT"), real.stream("VBA/_VBA_PROJECT")
    assert ours_head[:2] == real_head[:2] == b"\xcc\x61"
    assert ours_head[2:4] == b"\xff\xff" and len(ours_head) == 7  # no compiled cache: Excel compiles the source
