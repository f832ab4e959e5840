"""Writing a large return's XML while its rules are checked.

Checking the rules of a large return leaves a core idle part of the time (while the per-learner views are
built, and while the last rule workers finish). So ``ilr convert`` forks a process that writes the XML and
checks it against the XSD meanwhile, into a temporary file in the output folder. Once the rules say the file
may be written, it is moved into place; when they block it, or the command is stopped, the temporary file
is removed. Where forking is not safe or not worth it (Windows, macOS Excel, the server's threads, a small
return, an output folder that does not exist yet), nothing changes: the XML is written after the rules.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
from pathlib import Path

from ilrkit.converter.processes import held_stop_signals, start_worker
from ilrkit.converter.xml_parallel import PARALLEL_MIN_LEARNERS, stream_valid, workers_for
from ilrkit.converter.xml_writer import (_UMASK, PART_PREFIX, PART_SUFFIX, _move_into_place, raise_invalid,
                                         remove_stale_parts, schema_errors)

VALID, INVALID, FAILED = 0, 3, 2  # the writing process's exit codes


class EarlyXml:
    """The XML being written in a forked process, in ``part`` (a temporary file of the output folder)."""

    def __init__(self, process, part: Path):
        self.process = process
        self.part = part

    def finish(self, path: Path, force: bool, spec) -> Path | None:
        """Wait for the file and move it to ``path``; None when it could not be written (the caller then
        writes it itself, and says why if it still cannot). Raises ``InputError`` listing the problems when
        the XML would not pass the XSD, and ``OutputExists`` as writing the file would."""
        self.process.join()
        if self.process.exitcode == INVALID:  # the whole file again, in one piece: each problem with its line
            raise_invalid(schema_errors(spec, self.part.read_bytes()))
        if self.process.exitcode != VALID:
            return None
        _move_into_place(str(self.part), Path(path), force)
        return Path(path)

    def discard(self) -> None:
        """Stop the process if it still runs and remove the temporary file (a no-op once moved into place)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        try:
            self.part.unlink()
        except FileNotFoundError:
            pass


def start(data, folder: Path, *, prepared, serial) -> EarlyXml | None:
    """Start writing ``data``'s XML into ``folder`` in a forked process, when that is safe and pays."""
    folder = Path(folder)
    if workers_for(len(data.tables.get("Learner", ())), PARALLEL_MIN_LEARNERS) < 2:
        return None
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return None  # writing afterwards says what is wrong with the folder, once it is known to be needed
    remove_stale_parts(folder)
    fd, name = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
    os.close(fd)
    part = Path(name)
    os.chmod(part, 0o666 & ~_UMASK)  # mkstemp makes 0600; the user expects a normal file
    process = mp.get_context("fork").Process(target=_write, args=(data, part, prepared, serial), daemon=True)
    with held_stop_signals():  # released in the child by start_worker, once its handlers are reset
        process.start()
    return EarlyXml(process, part)


def _write(data, part: Path, prepared, serial) -> None:
    """In the forked process: write the XML a learner at a time straight into the file, then check the file
    against the XSD while reading it back (so the document is never held whole in memory here), and leave at
    once with the verdict as the exit code (nothing of the parent's is cleaned up from here)."""
    code = FAILED
    try:
        start_worker()
        code = VALID if write_checked(data, part, prepared, serial) else INVALID
    except BaseException:  # noqa: BLE001 - the parent writes the file itself and reports any problem
        code = FAILED
    finally:
        os._exit(code)


def write_checked(data, part: Path, prepared, serial) -> bool:
    """Write the document into ``part`` and say whether it passes the year's XSD."""
    from ilrkit.converter.bulk import paused_gc
    from ilrkit.converter.xml_writer import MESSAGE_END, Document
    from ilrkit.schemas.xsd import validator

    with paused_gc():
        doc = Document(data, prepared, serial)
        with open(part, "wb", buffering=1 << 20) as fh:
            fh.write(doc.head.encode("utf-8"))
            for pos in range(doc.learners):
                fh.write(doc.learner(pos).encode("utf-8"))
            fh.write(MESSAGE_END.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        del doc
        return stream_valid(validator(data.spec.year), str(part), f"{{{data.spec.namespace}}}Learner")
