"""Which executor a command runs on: the command line over the sites file over the default.

``--executor local`` (the default) runs everything in this process; ``--executor dask`` on a
Dask cluster: the one at ``--scheduler ADDR``, or without an address a ``LocalCluster`` of
this machine (worker processes, two by default). The sites file may say the same in its
``[cluster]`` table (``pipeline/crawl/config.py``). The checks here are shared by both, and
their messages are shown to staff as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .base import ExecutorError, Runner, inline_runner

KINDS = ("local", "dask")
DEFAULT_WORKERS = 2
# tcp://10.0.0.5:8786, tls://host:8786, 127.0.0.1:8786, [::1]:8786
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx|inproc)://)?(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?/?$")


@dataclass(frozen=True)
class ExecutorChoice:
    kind: str = "local"
    scheduler: str | None = None      # None: a LocalCluster on this machine
    workers: int = DEFAULT_WORKERS    # its worker processes


def kind_problem(kind: str) -> str | None:
    """Why ``kind`` is not an executor, or None."""
    return None if kind in KINDS else f"执行方式应为 local 或 dask，而不是“{kind}”"


def scheduler_problem(address: str) -> str | None:
    """Why ``address`` is not a scheduler address, or None."""
    if not address.strip() or not _ADDRESS.match(address.strip()):
        return f"调度器地址无效：“{address}”（应形如 tcp://10.0.0.5:8786）"
    return None


def choose(kind: str | None, scheduler: str | None, workers: int | None = None,
           configured: ExecutorChoice | None = None) -> ExecutorChoice:
    """The executor asked for: the command line's options where given, else the sites file's, else
    in this process. Raises ExecutorError with a message for staff."""
    base = configured or ExecutorChoice()
    if kind is None and scheduler is not None:
        kind = "dask"                 # an address says where: a cluster
    chosen = ExecutorChoice(kind or base.kind,
                            scheduler if scheduler is not None else (base.scheduler if not kind or kind == base.kind
                                                                     else None),
                            workers or base.workers)
    problem = kind_problem(chosen.kind)
    if problem:
        raise ExecutorError(problem)
    if chosen.scheduler is not None:
        if chosen.kind != "dask":
            raise ExecutorError("--scheduler 只用于 --executor dask（本机执行不需要调度器）")
        problem = scheduler_problem(chosen.scheduler)
        if problem:
            raise ExecutorError(problem)
    if chosen.workers < 1:
        raise ExecutorError("工作进程数应为正整数")
    return chosen


@contextmanager
def open_runner(choice: ExecutorChoice | None) -> Iterator[Runner]:
    """The runner for ``choice``, closed (the LocalCluster stopped) when the block ends."""
    if choice is None or choice.kind == "local":
        yield inline_runner()
        return
    from .dask_backend import connect

    runner = connect(choice)
    try:
        yield runner
    finally:
        runner.close()


class LazyRunner:
    """A runner started the first time a stage asks for one (a night with nothing new to ingest or
    track starts no cluster), and closed with the run."""

    def __init__(self, choice: ExecutorChoice | None) -> None:
        self.choice = choice
        self._runner: Runner | None = None
        self._context = None

    @property
    def distributed(self) -> bool:
        return self.choice is not None and self.choice.kind != "local"

    def get(self) -> Runner:
        if self._runner is None:
            context = open_runner(self.choice)
            self._runner = context.__enter__()     # raises ExecutorError: the stage that asked fails with it
            self._context = context
        return self._runner

    def close(self) -> None:
        if self._context is not None:
            context, self._context, self._runner = self._context, None, None
            try:
                context.__exit__(None, None, None)
            except Exception:      # a cluster that will not stop cleanly must not change the run's outcome
                pass
