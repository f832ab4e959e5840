"""Pause Python's cyclic garbage collector while a large return is read, checked or written.

Reading 20,000 learners makes millions of small dicts and lists. Each batch of new objects triggers a
collection that walks every object still alive, so the collector alone took about a fifth of
``ilr convert``'s time, for almost nothing: the tables are all in use until the command ends. Paused, the
objects are still freed by reference counting; the few cycles (record views that point at each other)
wait for the next collection after the pause.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc():
    """Collector off inside the block (nesting and threads allowed: it resumes when the last one leaves)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
