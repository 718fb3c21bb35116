"""Where the stages' work runs: this process (default) or a Dask cluster (``duban[cluster]``).

- ``base.py``: the :class:`Runner` over ``concurrent.futures`` that stages hand work to;
- ``choose.py``: which executor, from the command line and the sites file, checked;
- ``dask_backend.py``: a Dask client (a ``LocalCluster`` here, or a scheduler's address);
- ``warm.py``: what a worker loads once, before its first task;
- ``extract_tasks.py``, ``track_tasks.py``, ``probe.py``: the worker side of ingest and tracking.
"""

from .base import ExecutorError, InlineExecutor, Runner, inline_runner

__all__ = ["ExecutorError", "InlineExecutor", "Runner", "inline_runner"]
