"""Writing a large ILR document and checking it against the year's XSD on several cores at once.

The ILR schemas declare no identity constraints (no xs:key or xs:unique) and simply repeat ``Learner``
inside ``Message``. So a document is valid exactly when each run of its learners, wrapped in the same
header and closing tag, is valid. Each forked process writes a run of learners and checks that run; the
runs, joined in order, are the document a single process writes, byte for byte. When a run fails, the
whole document is checked again in one piece, which lists every problem with its line number.
"""

from __future__ import annotations

import io
import os
import sys
from concurrent.futures.process import BrokenProcessPool

from ilrkit.converter.bulk import paused_gc
from ilrkit.converter.processes import can_fork, forked_pool, held_stop_signals, stop_pool

PARALLEL_MIN_LEARNERS = 2500  # below this, starting processes costs more than it saves
PARALLEL_MIN_BYTES = 8 * 2**20  # the same for checking a document that is already written (about 2,500 learners)
LEARNER_START = b"\n\t<Learner>\n"  # how the writer starts every learner (Document.learner)

_FORKED: tuple | None = None  # what the forked processes inherit; never pickled


def workers_for(size: int, minimum: int) -> int:
    """Processes for a job of ``size`` (learners or bytes): several only from ``minimum`` up, and only where
    forking is cheap and safe (Linux, one thread running). ``ILRKIT_WORKERS`` overrides, as for the rules."""
    if not sys.platform.startswith("linux") or not can_fork():
        return 1
    setting = os.environ.get("ILRKIT_WORKERS")
    if setting is not None:
        return max(1, int(setting)) if setting.isdigit() else 1
    if size < minimum:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def render_checked(data, *, prepared=None, serial=None, workers: int | None = None) -> tuple[bytes, bool]:
    """The document as UTF-8 bytes, and whether it passed the year's XSD (``workers`` processes; default: as
    many as pay for a return of this size)."""
    from ilrkit.converter.xml_writer import MESSAGE_END, Document
    from ilrkit.schemas.xsd import validator

    global _FORKED
    with paused_gc():  # millions of small objects: see ilrkit.converter.bulk
        doc = Document(data, prepared, serial)
        workers = max(1, min(workers or workers_for(doc.learners, PARALLEL_MIN_LEARNERS), doc.learners))
        schema = validator(data.spec.year)  # compiled once, here, so the forked processes inherit it
        head, tail = doc.head.encode("utf-8"), MESSAGE_END.encode("utf-8")
        bounds = [doc.learners * i // workers for i in range(workers + 1)]
        _FORKED = (doc, schema, head, tail, f"{{{data.spec.namespace}}}Learner")
        try:
            results = _side_by_side(_write_run, list(zip(bounds, bounds[1:])))
        finally:
            _FORKED = None
    return head + b"".join(run for run, _ in results) + tail, all(ok for _, ok in results)


def _write_run(learners: tuple[int, int]) -> tuple[bytes, bool]:
    doc, schema, head, tail, tag = _FORKED
    with paused_gc():
        run = b"".join(doc.learner(pos).encode("utf-8") for pos in range(*learners))
        return run, stream_valid(schema, io.BytesIO(head + run + tail), tag)


def runs_valid(schema, content: bytes, learner_tag: str, workers: int) -> bool | None:
    """Whether every run of learners of a document our writer made is valid, ``workers`` runs side by side;
    None when it cannot be split (then the caller checks it whole)."""
    first = content.find(LEARNER_START)
    tail = b"</Message>\n"
    if first < 0 or not content.endswith(tail):
        return None
    start, end = first + 1, len(content) - len(tail)
    cuts = [start]
    for i in range(1, workers):
        cut = content.find(LEARNER_START, start + (end - start) * i // workers, end)
        if cut >= 0 and cut + 1 > cuts[-1]:
            cuts.append(cut + 1)
    cuts.append(end)
    if len(cuts) < 3:
        return None
    global _FORKED
    _FORKED = (schema, content, content[:start], tail, learner_tag)
    try:
        return all(_side_by_side(_check_run, list(zip(cuts, cuts[1:]))))
    finally:
        _FORKED = None


def _check_run(run: tuple[int, int]) -> bool:
    schema, content, head, tail, tag = _FORKED
    return stream_valid(schema, io.BytesIO(head + content[run[0]:run[1]] + tail), tag)


def _side_by_side(func, tasks: list) -> list:
    """``func`` of each task, in order: the first here, the others in forked processes meanwhile. A task
    whose process is lost (killed, out of memory) runs here instead, so nobody is left waiting."""
    if len(tasks) < 2:
        return [func(task) for task in tasks]
    pool = forked_pool(len(tasks) - 1)
    try:
        with held_stop_signals():  # the workers are forked by the first submit
            futures = [pool.submit(func, task) for task in tasks[1:]]
        results = [func(tasks[0])]
        for task, future in zip(tasks[1:], futures):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(func(task))
    except BaseException:
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)  # the workers finish on their own: no signal is sent to them
    return results


def stream_valid(schema, source, learner_tag: str) -> bool:
    """Validate while parsing, a learner at a time, dropping each learner once read (a whole large return as
    an element tree would take several hundred megabytes)."""
    from lxml import etree

    try:
        for _, el in etree.iterparse(source, events=("end",), tag=learner_tag, schema=schema,
                                     resolve_entities=False, no_network=True, huge_tree=True):
            el.clear(keep_tail=True)
            parent = el.getparent()
            while el.getprevious() is not None:
                del parent[0]
        return True
    except etree.XMLSyntaxError:  # invalid or not well-formed
        return False
