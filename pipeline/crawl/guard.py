"""One writer at a time on the store connection the crawl's workers share.

The crawl runs sites side by side in threads (:mod:`.crawler`) but keeps the one
SQLite connection the nightly run opened (``check_same_thread=False``). A
connection has one transaction: were two threads to interleave statements on it,
one thread's commit would also commit the other's half-written page, and the
guarantee that a page, its links and its queue state are stored together or not
at all would be gone. So every read and every transaction of the crawl runs under
this guard's lock, and nothing slow (no request, no sleep) ever does.

When a run ends early (Ctrl-C, a worker's error) the caller :meth:`closes
<StoreGuard.close>` the guard: the close waits for the transaction in progress,
if any, to finish, and from then on a worker that wants the store gets
:class:`StoreClosed` instead and stops. The caller may then use the connection
(roll back, record the run) knowing no worker will write on it again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["StoreClosed", "StoreGuard"]


class StoreClosed(Exception):
    """The run is over: a worker must not touch the store any more."""


class StoreGuard:
    """``with guard.use():`` — the store connection is this thread's until the block ends."""

    def __init__(self) -> None:
        # Re-entrant, so a helper that takes the guard may be called from inside another that holds it.
        self._lock = threading.RLock()
        self._closed = False

    @contextmanager
    def use(self) -> Iterator[None]:
        with self._lock:
            if self._closed:
                raise StoreClosed()
            yield

    def close(self) -> None:
        """Wait for the transaction in progress, then refuse the store to every later :meth:`use`."""
        with self._lock:
            self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed
