"""Pausing Python's cyclic garbage collector around bulk work.

Reading a workspace, loading a list or building the gap records makes 10^5–10^6 small dicts,
lists and records that hold no reference cycles; every full collection in between would only
rescan them (seconds at 1M). ``gc_paused()`` turns the collector off for the block and back on
after it (only if it was on), however the block ends.

``gc_paused(freeze=True)`` also moves every object that exists at the end of the block out of
the collector's sight (``gc.freeze``) before turning it back on: otherwise the first collection
afterwards walks everything the block made (~0.1 s per million containers). Only for what the
process keeps until it exits (the console script's graphs): a frozen reference cycle is never
collected.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import wraps

__all__ = ["gc_paused", "paused"]


@contextmanager
def gc_paused(freeze: bool = False):
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if freeze:
                gc.freeze()
            gc.enable()


def paused(method):
    """Decorator: run a backend question with the collector paused (:func:`gc_paused`): its rows
    and records (10^5 at 100k) hold no cycles, and collections while they are built only rescan them."""
    @wraps(method)
    def run(*args, **kwargs):
        with gc_paused():
            return method(*args, **kwargs)
    return run
