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

__all__ = ["gc_paused", "paused", "promote"]


@contextmanager
def gc_paused(freeze: bool = False, promote_after: bool = False):
    """``promote_after``: when the block ends without an error, :func:`promote` what it made."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
        if was_on and promote_after:
            promote()
    finally:
        if was_on:
            if freeze:
                gc.freeze()
            gc.enable()


def promote() -> None:
    """Move every object the collector tracks into its oldest generation, in O(1).

    A question returns 10^5 rows that hold no cycles. Turned back on, the collector would walk them
    all in its first young collection (~0.1 s for the enterprise list at 100k) and again in the
    middle one, only to find them alive. ``gc.freeze()`` then ``gc.unfreeze()`` splices the young
    generations onto the oldest one instead. Nothing is lost: garbage cycles made meanwhile are
    collected by the next full collection.

    When the process has frozen objects on purpose (the console script keeps its graphs until
    ``os._exit``, see :func:`gc_paused`), unfreezing would hand them back to the collector, so the
    question's objects are frozen with them instead: that process keeps them until it exits too.
    """
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    if not frozen_before:
        gc.unfreeze()


def paused(method):
    """Decorator: run a backend question with the collector paused (:func:`gc_paused`): its rows
    and records (10^5 at 100k) hold no cycles, and collections while they are built only rescan
    them. On return they are moved out of the young generations (:func:`promote`)."""
    @wraps(method)
    def run(*args, **kwargs):
        with gc_paused(promote_after=True):
            return method(*args, **kwargs)
    return run
