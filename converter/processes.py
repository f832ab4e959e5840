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
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def start_worker() -> None:
    """The initializer of every worker process: the parent's signal handlers must not run here."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def can_fork() -> bool:
    """Forking is safe only from a process running one thread: another thread may hold a lock (or be
    half-way through changing shared state) at the moment of the fork, and the child would inherit that."""
    return threading.active_count() == 1


@contextmanager
def held_stop_signals():
    """Hold SIGINT/SIGTERM back in this thread (they are delivered when the block ends); forked children
    inherit the held set, so a signal sent meanwhile waits for ``start_worker`` to reset their handlers."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of forked workers with safe signal handling. Its workers are forked at the first ``submit``:
    make that call inside ``held_stop_signals()``."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=start_worker)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (the parent was interrupted): cancel what has not started, kill the workers."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM is at its default in workers: they stop without a word
    for process in processes:
        process.join(5)
