"""A killed write leaves a hidden ``.ilrkit-XXXXXXXX.part``; the next write into that folder removes ours
once they are an hour old, and nothing else."""

from __future__ import annotations

import os
import time

from typer.testing import CliRunner

from ilrkit.cli.main import app
from ilrkit.converter import xml_writer
from ilrkit.rules.testing import build
from ilrkit.templates.workbook_writer import write_workbook

HOURS_AGO = time.time() - 2 * 3600


def _old(path):
    os.utime(path, (HOURS_AGO, HOURS_AGO), follow_symlinks=False)
    return path


def test_the_next_convert_removes_our_stale_part_files_only(tmp_path):
    workbook = write_workbook(tmp_path / "provider.xlsx", data=build([{"LearnRefNumber": "L1", "aims": [{}]}]))
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".ilrkit-k2j4_x9q.part"
    stale.write_bytes(b"<Message")
    _old(stale)
    fresh = out / ".ilrkit-a1b2c3d4.part"  # perhaps another convert writing right now
    fresh.write_bytes(b"<Message")
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep")
    keep = {
        fresh: None,
        out / ".ilrkit-notes.part.txt": b"user file",  # not our pattern
        out / "ilrkit-k2j4x9qa.part": b"user file",  # no leading dot: not ours
        out / ".ilrkit-k2j4x9q.part": b"user file",  # seven characters: not what we make
        out / "report.part": b"user file",
    }
    for path, content in keep.items():
        if content is not None:
            path.write_bytes(content)
            _old(path)
    (out / ".ilrkit-dirdirdi.part").mkdir()
    _old(out / ".ilrkit-dirdirdi.part")
    link = out / ".ilrkit-linklink.part"
    link.symlink_to(elsewhere)
    _old(link)

    result = CliRunner().invoke(app, ["convert", str(workbook), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert not stale.exists()
    assert all(p.exists() for p in keep)
    assert (out / ".ilrkit-dirdirdi.part").is_dir() and link.is_symlink() and elsewhere.read_text() == "keep"
    assert len(list(out.glob("ILR-*.xml"))) == 1


def test_a_folder_is_looked_at_at_most_once_an_hour(tmp_path):
    first = tmp_path / ".ilrkit-aaaaaaaa.part"
    first.write_bytes(b"x")
    _old(first)
    assert xml_writer.remove_stale_parts(tmp_path) == [".ilrkit-aaaaaaaa.part"]
    second = tmp_path / ".ilrkit-bbbbbbbb.part"
    second.write_bytes(b"x")
    _old(second)
    assert xml_writer.remove_stale_parts(tmp_path) == [] and second.exists()
