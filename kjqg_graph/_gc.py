"""Pausing Python's cyclic garbage collector around bulk work.

Reading a workspace, loading a list or building the gap records makes 10^5–10^6 small dicts,
lists and records that hold no reference cycles; every full collection in between would only
rescan them (seconds at 1M). ``gc_paused()`` turns the collector off for the block and back on
after it (only if it was on), however the block ends.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused():
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
