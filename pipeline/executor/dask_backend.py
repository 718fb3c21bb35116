"""A Dask client for the runner: a ``LocalCluster`` of this machine, or a running scheduler.

Only imported when ``--executor dask`` is asked for, so duban runs without Dask installed
(``pip install duban[cluster]`` adds it). Calls go through ``Client.get_executor`` — the
``concurrent.futures`` interface the stages already use — with ``pure=False`` (every call
runs; its arguments are not hashed). A task whose worker dies (killed, out of memory) is
run again on another by the scheduler; the client, which alone writes, sees one result.
"""

from __future__ import annotations

import logging
from typing import Any

from .base import ExecutorError, Runner, _same
from .choose import ExecutorChoice

try:
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:                     # the plugin class below must still be definable
    Client = LocalCluster = None        # type: ignore[assignment,misc]
    WorkerPlugin = object               # type: ignore[assignment,misc]

CONNECT_TIMEOUT_S = 10
WORKER_WAIT_S = 60


class WarmUp(WorkerPlugin):             # type: ignore[misc,valid-type]
    """Loads the models on every worker when it joins (restarted ones included)."""

    name = "duban-warm-up"

    def setup(self, worker: Any) -> None:
        from .warm import warm_up

        warm_up()


def connect(choice: ExecutorChoice) -> Runner:
    """A runner on the cluster ``choice`` names. Raises ExecutorError with a message for staff."""
    if Client is None:
        raise ExecutorError("未安装 Dask：请先安装 pip install 'duban[cluster]'（即 dask[distributed]）")
    cluster = None
    try:
        if choice.scheduler:
            client = Client(choice.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
            where = f"Dask 调度器 {choice.scheduler}"
        else:
            cluster = LocalCluster(n_workers=choice.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
            where = f"本机 LocalCluster（{choice.workers} 个工作进程）"
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"无法连接 Dask 调度器 {choice.scheduler}：{exc}") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        client.close()
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"{where} 在 {WORKER_WAIT_S} 秒内没有可用的工作进程（dask worker）") from None
    client.register_plugin(WarmUp())

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    workers = max(1, len(client.nthreads()))
    # A shared argument is the result of a task that returns it, not scattered data: a worker that dies
    # holding scattered data loses it for good, a task's result is computed again.
    return Runner("dask", client.get_executor(pure=False), workers, in_process=False,
                  share=lambda obj: client.submit(_same, obj, pure=False), describe=where, _close=close)
