"""How much memory a task took on its worker: the peak resident size while it ran, sampled.

``ru_maxrss`` is the process's peak over its whole life, so on a worker that already ran
a larger task it says nothing about this one; a thread reading ``/proc/self/statm`` every
few milliseconds does. Linux only (elsewhere the figures are absent, not wrong).
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

INTERVAL_S = 0.005


def rss_bytes() -> int | None:
    """The resident size of this process now, or None where /proc is not there."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class MemoryProbe:
    """``with MemoryProbe() as probe: …`` then ``probe.figures()``: resident size before, peak, after."""

    def __init__(self) -> None:
        self.start = self.peak = rss_bytes()
        self.end: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._t0 = time.perf_counter()
        self.seconds = 0.0

    def _watch(self) -> None:
        while not self._stop.wait(INTERVAL_S):
            now = rss_bytes()
            if now is not None and (self.peak is None or now > self.peak):
                self.peak = now

    def __enter__(self) -> "MemoryProbe":
        if self.start is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.end = rss_bytes()
        if self.end is not None and self.peak is not None:
            self.peak = max(self.peak, self.end)
        self.seconds = time.perf_counter() - self._t0

    def figures(self) -> dict[str, Any]:
        mb = 1 << 20
        if self.start is None or self.peak is None:
            return {"seconds": round(self.seconds, 3), "pid": os.getpid()}
        return {"seconds": round(self.seconds, 3), "pid": os.getpid(), "rss_start_mb": round(self.start / mb, 1),
                "rss_peak_mb": round(self.peak / mb, 1), "rss_added_mb": round((self.peak - self.start) / mb, 1)}
