"""Workbook bombs part by part: one part that expands far beyond any real workbook's is refused (exit 2,
a clear message) even when the archive as a whole looks ordinary; sheet scans read a piece at a time."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter import xlsx_guard
from ilrkit.converter.errors import InputError
from ilrkit.converter.xlsx_guard import check_archive, sheet_quirks
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

MB = 1024 * 1024


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("bombs") / "provider.xlsx",
                          data=build([{"LearnRefNumber": f"L{i}", "aims": [{}]} for i in range(3)]))


def _bomb(workbook: Path, out: Path, part: str, size: int, padding: int) -> Path:
    """``workbook`` with ``part`` replaced by ``size`` bytes of spaces (streamed: never held in memory) and
    ``padding`` bytes that do not compress, so the archive as a whole compresses only modestly."""
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            block = b" " * MB
            for _ in range(size // MB):
                fh.write(block)
        dst.writestr(zipfile.ZipInfo("xl/media/image1.bin"), os.urandom(padding))
    return out


def test_a_5_mb_workbook_expanding_to_605_mb_is_refused(workbook, tmp_path):
    """The issue's case: the whole archive is compressed about 120 times (under the archive limit of 200),
    but one sheet part expands to 600 MB."""
    bomb = _bomb(workbook, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", 600 * MB, 4 * MB + 512 * 1024)
    with zipfile.ZipFile(bomb) as z:
        infos = z.infolist()
    total, packed = sum(i.file_size for i in infos), sum(i.compress_size for i in infos)
    assert 600 * MB < total < 610 * MB and 4 * MB < bomb.stat().st_size < 6 * MB
    assert total / packed < xlsx_guard.MAX_RATIO  # the archive-wide check alone lets it through
    with pytest.raises(InputError, match=r"refused for safety: its part xl/worksheets/sheet1\.xml would expand "
                                         r"to 600 MB"):
        check_archive(bomb, bomb.name).close()
    result = CliRunner().invoke(app, ["validate", str(bomb)])
    assert result.exit_code == 2, result.output
    assert "bomb.xlsx is refused for safety" in result.output and "Traceback" not in result.output


def test_a_part_compressed_far_beyond_excel_is_refused(workbook, tmp_path):
    """Small enough in size, but compressed hundreds of times: refused by the part's own ratio."""
    bomb = _bomb(workbook, tmp_path / "dense.xlsx", "xl/worksheets/sheet1.xml", 20 * MB, 2 * MB)
    with pytest.raises(InputError, match=r"its part xl/worksheets/sheet1\.xml is compressed \d+ times over"):
        check_archive(bomb, bomb.name).close()
    result = CliRunner().invoke(app, ["convert", str(bomb), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "compressed" in result.output
    assert not list(tmp_path.glob("*.xml"))


def test_an_ordinary_workbook_passes(workbook):
    check_archive(workbook, workbook.name).close()


SHEET = (b'<?xml version="1.0"?><worksheet><sheetData>'
         + b"".join(b'<row r="%d"%s><c r="A%d" t="s"><v>1</v></c><c r="B%d"><f>SUM(A1:A2)</f></c>'
                    b'<c r="C%d" t="e"><v>#N/A</v></c><c r="D%d" s="2"/></row>'
                    % (r, b' hidden="1"' if r % 7 == 0 else b"", r, r, r, r) for r in range(1, 400))
         + b'</sheetData><mergeCells count="2"><mergeCell ref="E1:F1"/><mergeCell ref="E2:G2"/></mergeCells>'
           b"</worksheet>")


def _quirks(path: Path):
    with zipfile.ZipFile(path) as z:
        return sheet_quirks(z, "xl/worksheets/sheet1.xml")


def test_sheet_scans_stream_and_find_the_same_as_a_whole_read(tmp_path, monkeypatch):
    path = tmp_path / "quirks.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", SHEET)
    whole = _quirks(path)
    assert len(whole.formulas_without_value) == 399 and len(whole.errors) == 399
    assert whole.merged == ["E1:F1", "E2:G2"] and whole.hidden_rows == list(range(7, 400, 7))

    reads = []
    real_open = zipfile.ZipFile.open

    def watched_open(self, name, *args, **kwargs):
        handle = real_open(self, name, *args, **kwargs)
        real_read = handle.read

        def read(n=-1):
            reads.append(n)
            return real_read(n)

        handle.read = read
        return handle

    monkeypatch.setattr(zipfile.ZipFile, "open", watched_open)
    for chunk in (37, 100, 1000):  # pieces cut anywhere: inside tags, cells and rows
        monkeypatch.setattr(xlsx_guard, "SCAN_CHUNK", chunk)
        reads.clear()
        assert _quirks(path) == whole, chunk
        assert reads and all(0 < n <= chunk for n in reads), "the part was read whole"
