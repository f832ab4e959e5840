"""Build the desktop add-in, ``ilrkit.xlam``: an "ILR" ribbon tab whose buttons run ilrkit through xlwings.

Why this route: the VBA project is generated here from source files (our ``vba/ILR.bas`` with one callback
per button, plus xlwings' own BSD-licensed ``RunPython`` module and Mac ``Dictionary`` class, taken from the
installed xlwings package so they always match its version) with ``ms-ovba``, which writes
``vbaProject.bin`` without Excel. The build is reproducible on Linux and checkable there (olevba reads the
modules back, lxml checks the ribbon), and users need no xlwings licence key and no macro-importing step.
The project carries no compiled code, so Excel compiles it from the source on first use.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import uuid
import zipfile
from importlib import resources
from pathlib import Path

from ilrkit.addin.ovba import patched_ms_ovba

ADDIN_NAME = "ilrkit.xlam"
PROJECT = "ilrkit"  # xlwings reads its settings from ~/.ilrkit/ilrkit.conf (Windows) because of this
RIBBON = "customUI14.xml"
CALLBACK_MODULE = "ILR"

# Excel's own type-library GUIDs for the two document modules every workbook project has
WORKBOOK_GUID = uuid.UUID("00020819-0000-0000-C000-000000000046")
WORKSHEET_GUID = uuid.UUID("00020820-0000-0000-C000-000000000046")


def _xlwings_file(*parts: str) -> Path:
    import xlwings

    return Path(xlwings.__file__).parent.joinpath(*parts)


def xlwings_module() -> str:
    """xlwings' RunPython module for add-ins, pointed at our own settings file name."""
    text = _xlwings_file("xlwings_custom_addin.bas").read_text(encoding="cp1252")
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in text:
        raise RuntimeError("This xlwings version's add-in module has changed; ilrkit cannot build the add-in.")
    return text.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT}"')


def callback_module() -> str:
    return resources.files("ilrkit.addin").joinpath("vba", f"{CALLBACK_MODULE}.bas").read_text(encoding="cp1252")


def ribbon_xml() -> bytes:
    return resources.files("ilrkit.addin").joinpath("ribbon", RIBBON).read_bytes()


def _class_module_type():
    from ms_ovba.Models.Entities.std_module import StdModule

    class ClassModule(StdModule):
        """ms-ovba has standard and document modules only; a class module is a standard one that the dir
        stream marks as 0x0022 (like documents) and the PROJECT stream lists as ``Class=``."""

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.type = "Class"

        def pack(self, endien: str, cp_name: str) -> bytes:
            self.type = "Document"
            try:
                return super().pack(endien, cp_name)
            finally:
                self.type = "Class"

    return ClassModule


# What the VBA editor writes for every class module, and a .cls export leaves out (xlwings' own Excel-saved
# files have these lines for Dictionary; tests/addin/test_vba_project.py compares).
CLASS_BASE = 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
CLASS_AFTER_EXPOSED = ("Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False")


def _strip_class_header(text: str) -> str:
    """A .cls export starts with VERSION/BEGIN/END lines that are not part of the module's code; the module
    stream gets the attribute lines Excel itself keeps for a class module instead."""
    lines = text.splitlines()
    while lines and not lines[0].startswith("Attribute VB_Name"):
        lines.pop(0)
    out: list[str] = []
    for line in lines:
        if line.startswith(("Attribute VB_Base", "Attribute VB_TemplateDerived", "Attribute VB_Customizable")):
            continue
        out.append(line)
        if line.startswith("Attribute VB_Name"):
            out.append(CLASS_BASE)
        elif line.startswith("Attribute VB_Exposed"):
            out += CLASS_AFTER_EXPOSED
    return "\n".join(out) + "\n"


def vba_project_bin() -> bytes:
    """The VBA project (``xl/vbaProject.bin``) with our modules, built by ms-ovba."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.Views.project_ole_file import ProjectOleFile
    from ms_ovba.vbaProject import VbaProject

    blank = Path(resources.files("ms_ovba").joinpath("blank_files"))
    class_module = _class_module_type()
    with tempfile.TemporaryDirectory(prefix="ilrkit-xlam-") as tmp:
        work = Path(tmp)
        sources = {
            "ThisWorkbook.cls": (blank / "ThisWorkbook.cls").read_text(),
            "Sheet1.cls": (blank / "Sheet1.cls").read_text(),
            "xlwings.bas": xlwings_module(),
            f"{CALLBACK_MODULE}.bas": callback_module(),
            "Dictionary.cls": _strip_class_header(_xlwings_file("addin", "Dictionary.cls").read_text("cp1252")),
        }
        for name, text in sources.items():
            (work / name).write_text(text.replace("\r\n", "\n"), encoding="cp1252")

        project = VbaProject()
        project.project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "ilrkit.xlam")).upper() + "}"
        # as Excel writes them: the PROJECTwm stream (module names in Unicode), the version line, and a
        # [Workspace] line per module (the editor's window positions; all zero: no window open)
        project.include_projectwm()
        project.add_attribute("VersionCompatible32", "393222000")
        for name, guid in (("ThisWorkbook", WORKBOOK_GUID), ("Sheet1", WORKSHEET_GUID)):
            module = DocModule(name)
            module.add_file(str(work / f"{name}.cls"))
            module.add_guid(guid)
            module.normalize_file()
            module.add_workspace(0, 0, 0, 0, "C")
            project.add_module(module)
        for name, kind in (("xlwings", StdModule), (CALLBACK_MODULE, StdModule), ("Dictionary", class_module)):
            module = kind(name)
            module.add_file(str(work / (f"{name}.cls" if kind is class_module else f"{name}.bas")))
            module.normalize_file()
            module.add_workspace(0, 0, 0, 0, "C")
            project.add_module(module)
        # the two references every Excel-made project has (OLE Automation, and Office for IRibbonControl)
        for libid, path, title, name in (
            ("0002043000000000C000000000000046", r"C:\Windows\System32\stdole2.tlb", "OLE Automation", "stdole"),
            ("2DF8D04C5BFA101BBDE500AA0044DE52",
             r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
             "Microsoft Office 16.0 Object Library", "Office"),
        ):
            ref = LibidReference(uuid.UUID(libid), "2.0", "0", path, title)
            project.add_reference(Reference(ReferenceRegistered(ref), name))
        # ms-ovba writes its intermediate files into the current folder, so it runs inside the temp folder
        with contextlib.chdir(work), contextlib.redirect_stdout(io.StringIO()), patched_ms_ovba():
            ProjectOleFile.write_file(project)
        return (work / "vbaProject.bin").read_bytes()


# -- the package around it -------------------------------------------------------------------------------

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId4" Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" Target="customUI/{RIBBON}"/>
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr codeName="ThisWorkbook"/>
<bookViews><workbookView visibility="hidden"/></bookViews>
<sheets><sheet name="About" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId4" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>
</Relationships>"""

ABOUT = ("ilrkit add-in: the ILR tab (Validate, Clear highlights, Export ILR XML, Import ILR XML, New template). "
         "It runs the ilrkit Python package through xlwings (BSD licence).")

SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetPr codeName="Sheet1"/>
<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>
</worksheet>"""

SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{ABOUT}</t></si></sst>"""

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>ILR (ilrkit)</dc:title><dc:creator>ilrkit</dc:creator>
<dc:description>Validate, highlight, export and import ILR data in Excel.</dc:description>
</cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>"""


def xlam_bytes() -> bytes:
    """The whole add-in file. Entries carry a fixed date so that equal sources give equal files."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "docProps/core.xml": CORE.encode(),
        "docProps/app.xml": APP.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": SHEET.encode(),
        "xl/sharedStrings.xml": SHARED_STRINGS.encode(),
        "xl/styles.xml": STYLES.encode(),
        "xl/vbaProject.bin": vba_project_bin(),
        f"customUI/{RIBBON}": ribbon_xml(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 8, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def build_addin(out_dir: str | Path, *, force: bool = False) -> Path:
    """Write ``ilrkit.xlam`` into ``out_dir`` (atomically; ``OutputExists`` unless ``force``)."""
    from ilrkit.converter.xml_writer import write_atomic

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        from ilrkit.converter.errors import InputError

        raise InputError(f"{out_dir} is a file; give a folder for the add-in.")
    return write_atomic(out_dir / ADDIN_NAME, xlam_bytes(), force=force)


def copy_to(path: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(path, target_dir / path.name))
