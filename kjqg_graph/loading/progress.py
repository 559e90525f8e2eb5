"""A quiet progress bar on stderr: it shows only once a load has run for a second.

``KJQG_PROGRESS=0`` turns it off, ``KJQG_PROGRESS=1`` forces it on when stderr is not a terminal;
``KJQG_PROGRESS_DELAY`` changes the one second (``0``: from the start; the tests use it).
"""
from __future__ import annotations

import os
import sys
import time

__all__ = ["Progress", "NoProgress"]


class NoProgress:
    """Draws nothing; keeps the seconds spent in each phase (``timings``) for the summary."""

    def __init__(self):
        self.timings = {}
        self.details = {}           # seconds of named steps inside a phase (``detail``)
        self._phase, self._since = None, time.perf_counter()
        self._step, self._step_since = None, 0.0

    def detail(self, name):
        """Start timing the step ``name`` (``None``: stop) inside the current phase."""
        now = time.perf_counter()
        if self._step is not None:
            self.details[self._step] = self.details.get(self._step, 0.0) + (now - self._step_since)
        self._step, self._step_since = name, now

    def _lap(self, name):
        now = time.perf_counter()
        if self._phase is not None:
            self.timings[self._phase] = self.timings.get(self._phase, 0.0) + (now - self._since)
        self._phase, self._since = name, now

    def phase(self, name, total=None):
        self._lap(name)

    def advance(self, n=1):
        pass

    def done(self):
        self._lap(None)


class Progress(NoProgress):
    DELAY = 1.0
    EVERY = 0.1

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.last = 0.0
        self.name, self.total, self.n = "", None, 0
        self.shown = False
        try:
            self.delay = float(os.environ.get("KJQG_PROGRESS_DELAY", self.DELAY))
        except ValueError:
            self.delay = self.DELAY

    @staticmethod
    def wanted(requested: bool) -> bool:
        env = os.environ.get("KJQG_PROGRESS")
        if env == "0" or not requested:
            return False
        return env == "1" or sys.stderr.isatty()

    def phase(self, name, total=None):
        self._lap(name)
        self.name, self.total, self.n = name, total, 0
        self._draw(force=self.shown)

    def advance(self, n=1):
        self.n += n
        self._draw()

    def _draw(self, force=False):
        now = time.monotonic()
        if now - self.start < self.delay or (not force and now - self.last < self.EVERY):
            return
        self.last = now
        el = now - self.start
        if self.total:
            frac = min(1.0, self.n / self.total)
            bar = "#" * int(frac * 30)
            text = f"\r{self.name:<12} [{bar:<30}] {frac * 100:5.1f}%  {el:5.1f} s"
        else:
            text = f"\r{self.name:<12} {el:5.1f} s" + " " * 34
        self.stream.write(text)
        self.stream.flush()
        self.shown = True

    def done(self):
        self._lap(None)
        if self.shown:
            self.stream.write("\r" + " " * 64 + "\r")
            self.stream.flush()
            self.shown = False
