"""Convert many workbooks at once: in a process pool on this computer, or on a Dask distributed cluster.

Each workbook is handled on its own and never raises: whatever happens becomes an ``Outcome`` (converted,
converted with errors, not converted, unusable, failed), so one bad workbook never stops the others. The
server's ``/v1/batch`` uses the same ``process_workbook``.

Outcomes hold counts and messages meant for users, never learner values.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from ilrkit.converter.errors import CannotWrite, InputError, OutputExists, write_reason

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUMMARY_NAME = "summary.csv"
ANNOTATED_DIR = "annotated"

CONVERTED = "converted"  # XML written, no errors (warnings allowed)
WITH_ERRORS = "converted with errors"  # XML written; learners with errors will not be funded
NOT_CONVERTED = "not converted"  # values would break the agency's schema: fix them first
UNUSABLE = "unusable"  # not a workbook, damaged, wrong year, ...
FAILED = "failed"  # an internal problem
NOT_WRITTEN = "not written"  # the results could not be written (disk full, no permission)
STOPPED = "stopped"  # the batch was stopped (Ctrl+C) before this workbook was done

SUMMARY_COLUMNS = ("Workbook", "Result", "XML file", "Annotated workbook", "Learners", "Errors", "Warnings",
                   "What to do")


@dataclass
class Outcome:
    workbook: str
    status: str
    xml: str | None = None
    annotated: str | None = None
    learners: int | None = None
    errors: int | None = None
    warnings: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == CONVERTED

    def as_dict(self) -> dict:
        return asdict(self)


def safe_name(name: str | None, default: str = "upload") -> str:
    """A plain file name from whatever a client sent: no folders, no control characters, not too long."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*\x00')
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return default
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 5:
        return stem[:120].rstrip(" .") + "." + suffix if stem else default + "." + suffix
    return name[:120]


def find_workbooks(folder: str | Path) -> list[Path]:
    """The workbooks directly in ``folder`` (not Excel's ``~$`` lock files or hidden files), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder. Give the folder that holds the workbooks.")
    return sorted((p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))),
                  key=lambda p: p.name.casefold())


def _place(tmp: Path, final: Path, force: bool) -> Path:
    """Move a finished file into place: atomically, and never over another file unless ``force``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if force:
        os.replace(tmp, final)
        return final
    try:
        os.link(tmp, final)  # fails if the name is taken, even by a file written a moment ago in parallel
    except FileExistsError:
        raise OutputExists(f"{final.name} already exists in {final.parent}. Move it away, choose another "
                           "folder, or use --force to replace it.") from None
    except OSError:  # a file system without hard links
        with open(final, "xb") as out:
            out.write(tmp.read_bytes())
    tmp.unlink(missing_ok=True)
    return final


def _safe_message(exc: BaseException, *paths: Path) -> str:
    """The user message of an input error, without our private temporary folders in it."""
    text = str(exc)
    for p in paths:
        for form in {str(p), str(p.resolve())}:
            text = text.replace(form + os.sep, "").replace(form, "")
    return text


_WARM_LOCK = threading.Lock()
_warmed = False


def warm_up() -> None:
    """Load the rules, the year's specification and its schema once, before threads share them.

    The rule registry is filled on first use and is not safe to fill from several threads at once.
    """
    global _warmed
    if _warmed:
        return
    with _WARM_LOCK:
        if _warmed:
            return
        from ilrkit.rules.registry import registry
        from ilrkit.schemas import DEFAULT_YEAR, load_spec

        registry()
        load_spec(DEFAULT_YEAR)
        try:
            from ilrkit.schemas.xsd import validator

            validator(DEFAULT_YEAR)
        except Exception:  # the schema is checked again (with a clear message) when a file is converted
            pass
        _warmed = True


def open_refdata(folder: str | Path | None) -> Path | None:
    """Read a batch's reference data folder once, before its workbooks: each workbook then takes its rows from
    what this process has open (a worker process opens it once, on its first workbook). ``None``: none.
    A folder that cannot be read raises ``InputError`` here, never once per workbook."""
    if folder is None:
        return None
    from ilrkit.refdata import stores

    folder = Path(folder)
    stores(folder)
    return folder


def _reference(data, refdata: Path | None):
    if refdata is None:
        return None
    from ilrkit.refdata import for_data

    return for_data(data, refdata)


def process_workbook(path: str | Path, out_dir: str | Path, *, annotate: bool = True,
                     annotated_dir: str | Path | None = None, serial: str | None = None,
                     force: bool = False, staging_prefix: str = ".ilrkit-",
                     refdata: str | Path | None = None) -> Outcome:
    """Validate and convert one workbook into ``out_dir`` (and an annotated copy when it has findings).
    Files are made in a hidden staging folder in ``out_dir`` named ``staging_prefix...``, removed after.
    ``refdata``: the folder of reference data for the rules that need it (see ``open_refdata``); None: none."""
    from ilrkit.converter.io import load

    warm_up()
    path, out_dir = Path(path), Path(out_dir)
    annotated_dir = Path(annotated_dir) if annotated_dir is not None else out_dir / ANNOTATED_DIR
    outcome = Outcome(path.name, FAILED)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=staging_prefix, dir=out_dir) as staging:
            staging = Path(staging)
            data = load(path)
            reference = _reference(data, Path(refdata) if refdata is not None else None)
            result, outcome.xml = _convert_unique(path, data, staging, out_dir, serial, reference)
            s = result.report.summary
            outcome.learners, outcome.errors, outcome.warnings = s["learners"], s["errors"], s["warnings"]
            if result.written:
                outcome.status = WITH_ERRORS if result.report.has_errors else CONVERTED
                outcome.message = ("The agency will not fund learners with errors: fix them (see the annotated "
                                   "workbook) and convert again." if result.report.has_errors else "")
            else:
                outcome.status = NOT_CONVERTED
                outcome.message = (f"The XML was not written: {len(result.blocked)} value(s) would break the "
                                   "agency's schema. Fix the cells marked in the annotated workbook.")
            if annotate and result.report.findings and data.origin == "workbook":
                outcome.annotated = _annotate(path, staging, annotated_dir, result.report, force, outcome)
    except CannotWrite as exc:
        outcome.status = NOT_WRITTEN
        outcome.message = _could_not_write(exc.path, exc.reason, out_dir)
    except InputError as exc:
        outcome.status = UNUSABLE
        outcome.message = _safe_message(exc, out_dir, path.parent)
    except OSError as exc:  # making the staging folder or placing a file: the disk, not the workbook
        outcome.status = NOT_WRITTEN
        outcome.message = _could_not_write(None, write_reason(exc), out_dir)
    except Exception as exc:  # never let one workbook stop the batch; the type only, as messages may hold data
        outcome.status = FAILED
        outcome.message = (f"ilrkit hit an internal problem ({exc.__class__.__name__}) with this workbook. "
                           "Please report it (not the workbook).")
    except KeyboardInterrupt:
        # stopped part-way: this workbook will be reported as not done, so none of its files may stay
        if outcome.xml:
            (out_dir / outcome.xml).unlink(missing_ok=True)
        if outcome.annotated and not force:  # made new by this run (with --force it replaced an older copy)
            (annotated_dir / outcome.annotated).unlink(missing_ok=True)
        raise
    return outcome


def _could_not_write(target, reason: str | None, out_dir: Path) -> str:
    """What to tell the user when an output could not be written: its own name (never our staging folder)."""
    name = Path(target).name if target else f"into {out_dir.name or out_dir}"
    return (f"Could not write {name}: {reason or 'an error from the file system'}. Nothing was left "
            "half-written; make room (or fix the folder) and run the batch again for this workbook.")


def _convert_unique(path: Path, data, staging: Path, out_dir: Path, serial: str | None, reference=None):
    """Convert and place the XML under a name no other file has.

    The agency's name holds the time to the second, so workbooks of one provider converted in the same second
    (a batch) would share a name: the later one is made again one second on, so no file is ever replaced.
    """
    from ilrkit.converter.api import convert

    now = dt.datetime.now().replace(microsecond=0)
    for attempt in range(60):
        result = convert(path, staging / f"try{attempt}", serial=serial, data=data, now=now, reference=reference)
        if not result.written:
            return result, None
        try:
            return result, _place(result.path, out_dir / result.path.name, force=False).name
        except OutputExists:
            now += dt.timedelta(seconds=1)
    raise OutputExists(f"Could not find a free name for the XML in {out_dir}.")


def _annotate(path: Path, staging: Path, annotated_dir: Path, report, force: bool, outcome: Outcome) -> str | None:
    try:
        from ilrkit.addin.annotate import annotate_workbook
    except ImportError:
        return None
    name = f"{path.stem}-annotated{path.suffix.lower()}"
    try:
        made = annotate_workbook(path, staging / name, report)
        return _place(made, annotated_dir / name, force).name
    except CannotWrite as exc:
        outcome.message = (outcome.message + " " if outcome.message else "") + \
            f"No annotated copy: could not write {name}: {exc.reason}."
    except OSError as exc:
        outcome.message = (outcome.message + " " if outcome.message else "") + \
            f"No annotated copy: could not write {name}: {write_reason(exc)}."
    except InputError as exc:
        outcome.message = (outcome.message + " " if outcome.message else "") + \
            f"No annotated copy: {_safe_message(exc, staging, annotated_dir, path.parent)}"
    except Exception as exc:
        outcome.message = (outcome.message + " " if outcome.message else "") + \
            f"No annotated copy (internal problem {exc.__class__.__name__})."
    return None


def process_bytes(name: str, content: bytes, *, annotate: bool = True, serial: str | None = None,
                  refdata: str | None = None) -> tuple[Outcome, dict[str, bytes]]:
    """``process_workbook`` for a worker that shares no folders with the caller (a Dask cluster).

    The workbook comes in as bytes and the files made go back as ``{relative name: bytes}``; the worker's
    temporary folder is removed before returning.
    """
    name = safe_name(name, "workbook.xlsx")
    try:
        with tempfile.TemporaryDirectory(prefix="ilrkit-") as tmp:
            tmp = Path(tmp)
            (tmp / "in").mkdir()
            source = tmp / "in" / name
            source.write_bytes(content)
            out = tmp / "out"
            outcome = process_workbook(source, out, annotate=annotate, annotated_dir=out / ANNOTATED_DIR,
                                       serial=serial, refdata=refdata)
            files = {}
            if outcome.xml:
                files[outcome.xml] = (out / outcome.xml).read_bytes()
            if outcome.annotated:
                files[f"{ANNOTATED_DIR}/{outcome.annotated}"] = (out / ANNOTATED_DIR / outcome.annotated).read_bytes()
            return outcome, files
    except Exception as exc:
        return Outcome(name, FAILED, message=f"ilrkit hit an internal problem ({exc.__class__.__name__})."), {}


def _pool_job(args: tuple) -> Outcome:
    from ilrkit.converter.processes import task

    path, out_dir, annotate, serial, force, prefix, refdata = args
    with task():  # stopped (SIGTERM) while at it, the workbook's temporary files are removed on the way out
        return process_workbook(path, out_dir, annotate=annotate, serial=serial, force=force,
                                staging_prefix=prefix, refdata=refdata)


def _remove_staging(out_dir: Path, prefix: str) -> None:
    """This run's staging folders, once no worker uses them: one stopped too hard to clean up leaves its own."""
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


class BatchStopped(KeyboardInterrupt):
    """Ctrl+C (or SIGTERM) stopped the batch. ``outcomes``: every workbook's, those not done ``STOPPED``."""

    def __init__(self, outcomes: list[Outcome]):
        super().__init__()
        self.outcomes = outcomes


def _stopped(results: list, paths: list[Path]) -> BatchStopped:
    return BatchStopped([r if r is not None else Outcome(
        p.name, STOPPED, message="Not done: the batch was stopped first. Run the batch again for this workbook.")
        for r, p in zip(results, paths)])


def run_batch(paths: Iterable[str | Path], out_dir: str | Path, *, workers: int | None = None,
              scheduler: str | None = None, annotate: bool = True, serial: str | None = None,
              force: bool = False, on_done: Callable[[Outcome], None] | None = None,
              connect_timeout: float = 10.0, refdata: str | Path | None = None) -> list[Outcome]:
    """Convert every workbook in ``paths`` into ``out_dir``; the outcomes come back in the order of ``paths``.

    ``workers`` processes on this computer (1 means in this process), or the Dask cluster whose scheduler is at
    ``scheduler`` (``tcp://host:8786``). ``on_done`` is called with each outcome as it finishes. ``refdata``:
    the folder of reference data every workbook is checked with (read once here; on a cluster every worker
    must see the same folder at that path); None: none.
    """
    paths = [Path(p) for p in paths]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = on_done or (lambda outcome: None)
    refdata = open_refdata(refdata)
    if scheduler:
        return _run_dask(paths, out_dir, scheduler, annotate, serial, force, done, connect_timeout,
                         None if refdata is None else str(refdata))
    workers = max(1, workers or os.cpu_count() or 1)
    results: list[Outcome | None] = [None] * len(paths)
    prefix = f".ilrkit-{secrets.token_hex(4)}-"  # this run's staging folders: removed if it is stopped
    if workers == 1 or len(paths) <= 1:
        try:
            for i, p in enumerate(paths):
                results[i] = _pool_job((p, out_dir, annotate, serial, force, prefix, refdata))
                done(results[i])
        except KeyboardInterrupt:
            _remove_staging(out_dir, prefix)
            raise _stopped(results, paths) from None
        return results  # type: ignore[return-value]
    from ilrkit.converter.processes import held_stop_signals, start_task_worker, stop_pool

    # workers ignore Ctrl+C (this process handles it and stops them) and start with the signals held
    pool = ProcessPoolExecutor(max_workers=min(workers, len(paths)), initializer=start_task_worker)
    futures = {}
    try:
        with held_stop_signals():
            for i, p in enumerate(paths):
                futures[pool.submit(_pool_job, (p, out_dir, annotate, serial, force, prefix, refdata))] = i
        for future in as_completed(futures):
            i = futures[future]
            results[i] = _pool_result(future, paths[i])
            done(results[i])
    except KeyboardInterrupt:
        stop_pool(pool, grace=10)  # workbooks under way remove their temporary files first
        _remove_staging(out_dir, prefix)
        for future, i in futures.items():  # finished, but not yet collected when the stop came
            if results[i] is None and future.done() and not future.cancelled() and future.exception() is None:
                results[i] = future.result()
        raise _stopped(results, paths) from None
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return results  # type: ignore[return-value]


def _pool_result(future, path: Path) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return Outcome(path.name, FAILED, message="The worker process stopped unexpectedly (it may have run out "
                                                  "of memory). Try again with fewer --workers.")
    except Exception as exc:
        return Outcome(path.name, FAILED, message=f"ilrkit hit an internal problem ({exc.__class__.__name__}).")


class SchedulerError(InputError):
    """The Dask scheduler cannot be reached."""


def _run_dask(paths: list[Path], out_dir: Path, scheduler: str, annotate: bool, serial: str | None,
              force: bool, done: Callable[[Outcome], None], connect_timeout: float,
              refdata: str | None = None) -> list[Outcome]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise SchedulerError("--scheduler needs Dask distributed: pip install 'dask[distributed]'.") from None
    try:
        client = Client(scheduler, timeout=f"{connect_timeout}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"Cannot reach the Dask scheduler at {scheduler} ({exc.__class__.__name__}). "
                             "Check the address and that the scheduler is running.") from None
    results: list[Outcome | None] = [None] * len(paths)
    try:
        futures, tries = {}, {}

        def submit(i: int):
            content = paths[i].read_bytes()
            future = client.submit(process_bytes, paths[i].name, content, annotate=annotate, serial=serial,
                                   refdata=refdata, pure=False)
            futures[future] = i
            tries[i] = tries.get(i, 0) + 1
            return future

        for i, p in enumerate(paths):
            try:
                submit(i)
            except OSError as exc:
                results[i] = Outcome(p.name, UNUSABLE, message=f"Cannot read {p.name} ({exc.strerror}).")
                done(results[i])
        pending = dask_completed(list(futures), loop=client.loop)
        for future in pending:
            i = futures.pop(future)
            try:
                outcome, files = future.result()
                if not _write_returned(outcome, files, out_dir, force) and tries[i] < 5:
                    # its XML name (UKPRN, serial, time to the second) was just taken by another workbook
                    pending.add(submit(i))
                    continue
            except CannotWrite as exc:
                outcome = Outcome(paths[i].name, NOT_WRITTEN, message=_could_not_write(exc.path, exc.reason,
                                                                                       out_dir))
            except Exception as exc:
                outcome = Outcome(paths[i].name, FAILED,
                                  message=f"The cluster could not process it ({exc.__class__.__name__}).")
            finally:
                future.release()
            outcome.workbook = paths[i].name
            results[i] = outcome
            done(outcome)
    except KeyboardInterrupt:
        raise _stopped(results, paths) from None
    finally:
        client.close()
    return results  # type: ignore[return-value]


_NAME_TIME = re.compile(r"^(ILR-\d{8}-\d{4}-)(\d{8}-\d{6})(-\d{2}\.xml)$")


def _one_second_on(name: str, content: bytes) -> tuple[str, bytes] | None:
    """The agency name and XML of a file made one second later: the header's date and time move with the
    name, so the two still agree."""
    m = _NAME_TIME.match(name)
    if not m:
        return None
    when = dt.datetime.strptime(m.group(2), "%Y%m%d-%H%M%S")
    later = when + dt.timedelta(seconds=1)
    text = content.decode("utf-8")
    text = text.replace(f"<DateTime>{when:%Y-%m-%dT%H:%M:%S}</DateTime>",
                        f"<DateTime>{later:%Y-%m-%dT%H:%M:%S}</DateTime>", 1)
    if later.date() != when.date():
        text = text.replace(f"<FilePreparationDate>{when:%Y-%m-%d}</FilePreparationDate>",
                            f"<FilePreparationDate>{later:%Y-%m-%d}</FilePreparationDate>", 1)
    return f"{m.group(1)}{later:%Y%m%d-%H%M%S}{m.group(3)}", text.encode("utf-8")


def _write_returned(outcome: Outcome, files: dict[str, bytes], out_dir: Path, force: bool) -> bool:
    """Write the files a remote worker made into ``out_dir`` (names checked: they stay inside it).

    False (and nothing written) when the XML's name is already taken, so the workbook can be made again.
    """
    from ilrkit.converter.xml_writer import write_atomic

    safe = {}
    for rel, content in files.items():
        parts = Path(rel).parts
        if rel.startswith(("/", "\\")) or ".." in parts or len(parts) > 2:
            continue
        safe[rel] = (out_dir.joinpath(*parts), content)
    if outcome.xml in safe:
        target, content = safe.pop(outcome.xml)
        with tempfile.TemporaryDirectory(prefix=".ilrkit-", dir=out_dir) as staging:
            for _ in range(60):
                tmp = Path(staging) / target.name
                tmp.write_bytes(content)
                try:
                    _place(tmp, target, force=False)
                    break
                except OutputExists:
                    # another workbook of this provider was made in the same second: one second on
                    shifted = _one_second_on(target.name, content)
                    if shifted is None:
                        return False
                    name, content = shifted
                    target = target.with_name(name)
            else:
                return False
        outcome.xml = target.name
    for target, content in safe.values():
        try:
            write_atomic(target, content, force=force)
        except OutputExists as exc:
            outcome.annotated = None
            outcome.message = (outcome.message + " " if outcome.message else "") + "No annotated copy: " + \
                _safe_message(exc)
    return True


def _write_summary(out_dir: Path, content: bytes, force: bool) -> Path:
    """``summary.csv``; without --force an earlier run's summary is kept and this one is ``summary-2.csv``
    (or -3, ...), since files are never replaced without --force."""
    from ilrkit.converter.xml_writer import write_atomic

    for n in range(1, 1000):
        target = out_dir / (SUMMARY_NAME if n == 1 else f"summary-{n}.csv")
        try:
            return write_atomic(target, content, force=force)
        except OutputExists:
            continue
    raise OutputExists(f"{out_dir} already holds 999 summaries. Use another folder, or --force.")


def summary_csv(outcomes: list[Outcome]) -> str:
    """One row per workbook: what happened and what to do. Counts and messages only, no learner data; file
    names are the user's text, so cells a spreadsheet would read as a formula are escaped."""
    from ilrkit.converter.textcells import SafeCsvWriter

    buf = io.StringIO()
    writer = SafeCsvWriter(buf, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        writer.writerow([o.workbook, o.status, o.xml or "", o.annotated or "",
                         "" if o.learners is None else o.learners, "" if o.errors is None else o.errors,
                         "" if o.warnings is None else o.warnings, o.message])
    return buf.getvalue()


def exit_code(outcomes: list[Outcome]) -> int:
    """0 every workbook converted without errors; 1 some have errors or were not converted; 2 some unusable
    (or their results could not be written)."""
    if any(o.status in (UNUSABLE, FAILED, NOT_WRITTEN) for o in outcomes):
        return 2
    if any(o.status != CONVERTED for o in outcomes):
        return 1
    return 0


def _batch_refdata(folder: str | Path | None, err) -> Path | None:
    """The reference data folder for ``ilr batch``, read once: the one given (or exit 2), else the user's store."""
    from ilrkit.refdata import default_folder

    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"--refdata {folder}: no such folder. Give a folder of reference data files, or leave "
                             "--refdata out to use what `ilr refdata add` loaded.")
        return open_refdata(folder)
    try:
        return open_refdata(default_folder())
    except InputError as exc:
        err.print(f"Warning: your loaded reference data was not used ({exc}); the rules that need it are not "
                  "checked.", markup=False)
        return None


def main(in_dir: str | Path, out_dir: str | Path, *, workers: int | None = None, scheduler: str | None = None,
         annotate: bool = True, serial: str | None = None, force: bool = False,
         refdata: str | Path | None = None) -> int:
    """``ilr batch``: a progress bar while it runs, then a summary table; returns the exit code. ``refdata``: a
    folder of reference data (it must be readable), else what `ilr refdata add` loaded (if that cannot be read,
    the batch goes on without it and says so)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    err, out = Console(stderr=True, highlight=False), Console(highlight=False)
    stopped = False
    try:
        paths = find_workbooks(in_dir)
        if serial is not None and not re.fullmatch(r"\d{1,2}", serial.strip() or "x"):
            raise InputError(f"The serial number {serial!r} is not valid: use a number from 01 to 99.")
        if not paths:
            raise InputError(f"There are no workbooks (.xlsx) in {in_dir}.")
        out_path = Path(out_dir)
        if out_path.exists() and not out_path.is_dir():
            raise InputError(f"{out_dir} is a file; give a folder for the results.")
        refdata = _batch_refdata(refdata, err)
        # no refresh thread (auto_refresh=False): worker processes may be forked while the bar is shown
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=False, auto_refresh=False) as progress:
            where = f"on {scheduler}" if scheduler else f"with {workers or os.cpu_count() or 1} worker(s)"
            task = progress.add_task(f"Converting {len(paths)} workbook(s) {where}", total=len(paths))
            progress.refresh()

            def advance(outcome: Outcome) -> None:
                progress.advance(task)
                progress.refresh()

            try:
                outcomes = run_batch(paths, out_path, workers=workers, scheduler=scheduler, annotate=annotate,
                                     serial=serial, force=force, on_done=advance, refdata=refdata)
            except BatchStopped as stop:
                outcomes = stop.outcomes
                stopped = True
        # written even when stopped: what was done, and what is left (Ctrl+C again stops this too)
        summary = _write_summary(out_path, summary_csv(outcomes).encode("utf-8"), force)
    except InputError as exc:
        err.print(f"Error: {exc}", markup=False)
        return 2
    table = Table(title="ilr batch", expand=True)
    for name, kw in (("Workbook", {"overflow": "fold", "ratio": 1, "min_width": 14}), ("Result", {"no_wrap": True}),
                     ("Errors", {"justify": "right"}), ("Warnings", {"justify": "right"}),
                     ("XML file, or what to do", {"overflow": "fold", "ratio": 2})):
        table.add_column(name, **kw)
    styles = {CONVERTED: "green", WITH_ERRORS: "yellow", NOT_CONVERTED: "red", UNUSABLE: "red", FAILED: "red",
              NOT_WRITTEN: "red", STOPPED: "yellow"}
    for o in outcomes:
        detail = o.xml or o.message
        if o.xml and o.message:
            detail = f"{o.xml}\n{o.message}"
        table.add_row(escape(o.workbook), f"[{styles.get(o.status, '')}]{o.status}[/]",
                      *("" if v is None else str(v) for v in (o.errors, o.warnings)), escape(detail))
    out.print(table)
    converted = sum(1 for o in outcomes if o.xml)
    out.print(f"{converted} of {len(outcomes)} workbook(s) converted; summary in {summary}", markup=False)
    if stopped:
        left = sum(1 for o in outcomes if o.status == STOPPED)
        err.print(f"Stopped: {left} workbook(s) were not done (marked '{STOPPED}' in {summary.name}). Nothing was "
                  "left half-written; run the batch again for them.", markup=False)
        return 130
    return exit_code(outcomes)
