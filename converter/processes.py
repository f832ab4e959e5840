"""Worker processes that start and stop cleanly.

The CLI turns SIGTERM into KeyboardInterrupt (so temporary files are removed on a service stop). A forked
worker inherits that handler: when its pool stopped it with SIGTERM, the worker printed a traceback, or
raised inside a lock it then never released and the parent waited for it forever. So workers start with
SIGTERM at its default (stop at once) and Ctrl+C ignored (it reaches the whole process group; the parent
handles it and stops the workers), and the parent holds both signals back while it forks, so no signal
meets a worker before it has reset its handlers. A pool is shut down by telling the workers to finish, not
by signalling them; they are killed only when the parent itself is stopped.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _release_stop_signals() -> None:
    if hasattr(signal, "pthread_sigmask"):  # POSIX; elsewhere nothing was held
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def start_worker() -> None:
    """The initializer of every worker process: the parent's signal handlers must not run here."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _release_stop_signals()


_in_task = False


def start_task_worker() -> None:
    """The initializer of workers whose tasks write files (a batch): Ctrl+C is ignored as in
    ``start_worker``; SIGTERM during a task raises KeyboardInterrupt there, so the task's temporary files
    are removed on the way out (and the pool hands the interruption back as the task's result, with no
    traceback printed); between tasks it stops the worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_task)
    _release_stop_signals()


def _stop_task(signum, frame):
    if _in_task:
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


@contextmanager
def task():
    """Marks the body as a task that ``start_task_worker``'s SIGTERM interrupts (rather than ends)."""
    global _in_task
    _in_task = True
    try:
        yield
    finally:
        _in_task = False


def can_fork() -> bool:
    """Forking is safe only from a process running one thread: another thread may hold a lock (or be
    half-way through changing shared state) at the moment of the fork, and the child would inherit that."""
    return threading.active_count() == 1


@contextmanager
def held_stop_signals():
    """Hold SIGINT/SIGTERM back in this thread (they are delivered when the block ends); forked children
    inherit the held set, so a signal sent meanwhile waits for ``start_worker`` to reset their handlers."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: workers are spawned, not forked
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of forked workers with safe signal handling. Its workers are forked at the first ``submit``:
    make that call inside ``held_stop_signals()``."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=start_worker)


def stop_pool(pool: ProcessPoolExecutor, grace: float = 5.0) -> None:
    """Stop a pool now (the parent was interrupted): cancel what has not started and send the workers
    SIGTERM; one still running after ``grace`` seconds (cleaning up) gets it again, then SIGKILL."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for attempt in (signal.SIGTERM, signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        alive = [p for p in processes if p.is_alive()]
        if not alive:
            return
        for process in alive:
            try:
                process.kill() if attempt == signal.SIGKILL else process.terminate()
            except (ProcessLookupError, OSError):
                pass
        deadline = time.monotonic() + grace
        for process in alive:
            process.join(max(0.0, deadline - time.monotonic()))
