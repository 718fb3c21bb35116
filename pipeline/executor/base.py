"""Where a stage's work runs, behind one small interface over ``concurrent.futures``.

Stages hand pure functions (file bytes → parsed document and directives; a shard of the
tracking index → its scored pairs) to a :class:`Runner` and write what comes back
themselves, in one writer, in input order. The only thing that differs between a run in
this process and a run on a Dask cluster is which ``concurrent.futures.Executor`` the
functions go to, so there is one code path to test and the ids a store gives documents do
not depend on where they were extracted.

This module imports no stage and no Dask (``dask_backend.py`` does, when asked for).
"""

from __future__ import annotations

import concurrent.futures as cf
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ExecutorError(RuntimeError):
    """The executor cannot be set up or cannot be used for this store; str(exc) says why, in Chinese."""


class InlineExecutor(cf.Executor):
    """Runs each call at once in the calling thread: the default, with nothing to start or pickle."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:   # handed to the caller by .result(), as a pool would
            future.set_exception(exc)
        return future


def _same(obj: T) -> T:
    return obj


def _nothing() -> None:
    return None


@dataclass
class Runner:
    """An executor and what a stage needs to know about it.

    ``in_process``: calls run here, on objects as they are (no pickling), so a stage may hand
    them its open store; otherwise they run in other processes and get a path to open.
    ``share`` makes a large argument travel to each worker once rather than with every call
    (on Dask, the result of a task every call depends on). ``workers`` sizes batches and the number of calls kept in flight.
    """

    kind: str                                   # "local" | "dask"
    pool: cf.Executor
    workers: int = 1
    in_process: bool = True
    share: Callable[[Any], Any] = _same
    describe: str = "本机进程内"
    _close: Callable[[], None] = field(default=_nothing, repr=False)

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None) -> Iterator[R]:
        """``fn(item)`` for every item, yielded in input order, with at most ``window`` calls in flight
        (default: twice the workers, so each worker has the next call ready and the client holds
        only that many results)."""
        window = max(1, window or 2 * self.workers)
        pending: deque[cf.Future] = deque()
        for item in items:
            pending.append(self.pool.submit(fn, item))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def map_all(self, fn: Callable[..., R], items: list[Any], *shared: Any) -> list[R]:
        """``fn(item, *shared)`` for every item, all submitted at once; results in input order."""
        futures = [self.pool.submit(fn, item, *shared) for item in items]
        return [f.result() for f in futures]

    def close(self) -> None:
        self._close()

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def inline_runner() -> Runner:
    """The default: everything in this process, one call after the other."""
    return Runner("local", InlineExecutor())
