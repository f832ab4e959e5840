"""The .xlam: a valid package, VBA modules olevba reads back, a ribbon whose every onAction exists."""

import re
import zipfile

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser, decompress_stream

from ilrkit.addin.build import ADDIN_NAME, build_addin
from ilrkit.addin.ovba import compress
from ilrkit.converter.errors import OutputExists

CUSTOM_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
LABELS = {"Validate", "Clear highlights", "Export ILR XML", "Import ILR XML", "New template"}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory):
    return build_addin(tmp_path_factory.mktemp("addin"))


def test_package_is_valid(xlam):
    assert xlam.name == ADDIN_NAME
    with zipfile.ZipFile(xlam) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        for part in names - {"xl/vbaProject.bin"}:
            etree.fromstring(zf.read(part))  # every XML part is well-formed
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        rels = etree.fromstring(zf.read("_rels/.rels"))
        targets = {r.get("Target") for r in rels}
        assert targets <= names | {t for t in targets if t in names}
        assert "customUI/customUI14.xml" in targets


def _modules(xlam):
    parser = VBA_Parser(str(xlam))
    return {vba_name: code for _, _, vba_name, code in parser.extract_macros()}


def test_olevba_reads_back_our_modules(xlam):
    modules = _modules(xlam)
    assert {"ILR.bas", "xlwings.bas", "Dictionary.cls", "ThisWorkbook.cls", "Sheet1.cls"} <= set(modules)
    assert 'PROJECT_NAME As String = "ilrkit"' in modules["xlwings.bas"]
    assert "Public Function RunPython(PythonCommand As String)" in modules["xlwings.bas"]
    ours = modules["ILR.bas"]
    for fn in ("validate()", "clear()", "export(", "import_xml(", "new_template()"):
        assert f'"{fn}' in ours or f'& "{fn}' in ours


def test_every_button_calls_its_own_existing_callback(xlam):
    with zipfile.ZipFile(xlam) as zf:
        ribbon = etree.fromstring(zf.read("customUI/customUI14.xml"))
    buttons = ribbon.findall(f".//{CUSTOM_UI}button")
    assert {b.get("label") for b in buttons} == LABELS
    assert ribbon.find(f".//{CUSTOM_UI}tab").get("label") == "ILR"
    actions = [b.get("onAction") for b in buttons]
    assert len(set(actions)) == len(actions)  # one callback per button, not a shared RunMain
    code = _modules(xlam)["ILR.bas"]
    subs = dict(re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)\r?\n(.*?)End Sub", code, re.S))
    python_calls = set()
    for action in actions:
        assert action in subs, action
        call = re.search(r'RunPython PY & "(\w+)\(', subs[action])
        assert call, action
        python_calls.add(call.group(1))
    import ilrkit.addin.desktop as desktop

    assert all(callable(getattr(desktop, name)) for name in python_calls) and len(python_calls) == 5


def test_build_refuses_to_overwrite(xlam):
    with pytest.raises(OutputExists):
        build_addin(xlam.parent)
    assert build_addin(xlam.parent, force=True) == xlam


@pytest.mark.parametrize("data", [b"", b"x", b"Sub A()\r\nEnd Sub\r\n" * 500, bytes(range(256)) * 40])
def test_compression_round_trips(data):
    assert bytes(decompress_stream(bytearray(compress(data)))) == data
