"""The nightly run: crawl → ingest → extract → track → index, under one lock, recorded in ``runs``.

The orchestration over the stages, and nothing else: each stage is a function of
the store taking plain arguments, so a stage that fails is reported and the next
still runs (an index is worth rebuilding even if tracking broke). The stages after
ingest are named by module and function (``OPTIONAL_STAGES``, a registry as Scrapy
names its components) and imported when the run reaches them; one that cannot be
found is skipped with a word. The command line (``pipeline/cli/crawl.py``) draws the
progress bars and the summary from the :class:`Hooks` and :class:`RunSummary` here.

``duban crawl`` is the same run with only the first two stages.

Ingest and tracking run where the sites file's ``[cluster]`` table (or the command line's
``--executor``) says: in this process, or on a Dask cluster (``pipeline.executor``), which
is started only when a stage first needs it and stopped with the run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..crawl.config import SitesConfig
from ..executor.choose import ExecutorChoice, LazyRunner
from ..crawl.crawler import CrawlReport, Crawler
from ..crawl.fetcher import Fetcher
from ..crawl.ingest import ingest_pages, pending_pages
from ..ingest.pipeline import IngestReport
from ..store import open_db
from ..store.runs import finish_run, mark_interrupted, start_run
from .lock import RunLock

__all__ = ["ALL_STAGES", "Hooks", "RunSummary", "StageResult", "find_stage", "run"]

ALL_STAGES = ("crawl", "ingest", "extract", "track", "index")
# Later stages, found by module and function name when they exist.
OPTIONAL_STAGES: dict[str, tuple[str, str]] = {
    "extract": ("pipeline.extract.stage", "reextract_store"),
    "track": ("pipeline.track.tracker", "track_store"),
    "index": ("pipeline.search.index", "update_index"),
}


@dataclass
class Hooks:
    """Where a run tells its caller how far it got (progress bars live in the command)."""

    on_stage: Callable[[str], None] = lambda _stage: None
    on_crawl: Callable[[int, int, str], None] | None = None       # (done, queued, url)
    on_ingest_total: Callable[[int], None] = lambda _n: None
    on_ingest: Callable[[str], None] | None = None


@dataclass
class StageResult:
    name: str
    status: str                      # ok | skipped | failed
    message: str = ""
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunSummary:
    run_id: int
    command: str
    db_path: str
    stages: list[StageResult] = field(default_factory=list)
    crawl: CrawlReport | None = None
    ingest: IngestReport | None = None
    seconds: float = 0.0
    status: str = "running"

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)

    def counts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.crawl:
            out.update(self.crawl.counts())
        if self.ingest:
            out.update(self.ingest.counts())
        for stage in self.stages:
            if stage.name in OPTIONAL_STAGES and stage.counts:
                out[stage.name] = stage.counts
        out["stages"] = {s.name: s.status for s in self.stages}
        out["seconds"] = round(self.seconds, 3)
        return out

    def errors(self) -> list[list[str]]:
        errs: list[list[str]] = []
        if self.crawl:
            errs += [[url, reason] for url, reason in self.crawl.errors]
        if self.ingest:
            errs += [[url, reason] for url, reason in self.ingest.errors]
        errs += [[s.name, s.message] for s in self.stages if s.status == "failed"]
        return errs


def find_stage(name: str) -> Callable[..., dict] | None:
    """The function of an optional stage, or None while its module or function does not exist."""
    module, function = OPTIONAL_STAGES[name]
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except (ModuleNotFoundError, ValueError):
        return None
    return getattr(importlib.import_module(module), function, None)


def run(db_path: str, config: SitesConfig, command: str = "nightly", stages: tuple[str, ...] = ALL_STAGES,
        hooks: Hooks | None = None, as_of: dt.date | None = None,
        executor: ExecutorChoice | None = None) -> RunSummary:
    """Run ``stages`` in order under the store's run lock. Raises RunLocked if another run holds it.

    ``executor``: where ingest and tracking run; default the sites file's ``[cluster]``."""
    hooks = hooks or Hooks()
    cluster = config.cluster
    runner = LazyRunner(executor or ExecutorChoice(cluster.executor, cluster.scheduler, cluster.workers))
    with RunLock(db_path):
        db = open_db(db_path)
        mark_interrupted(db)
        run_id = start_run(db, command)
        summary = RunSummary(run_id, command, db_path)
        t0 = time.perf_counter()
        try:
            for name in stages:
                hooks.on_stage(name)
                summary.stages.append(_run_stage(name, db, config, summary, hooks, as_of, runner))
            summary.status = _status(summary)
        except BaseException:          # Ctrl-C, SystemExit: the next run takes over the frontier
            summary.status = "interrupted"
            raise
        finally:
            summary.seconds = time.perf_counter() - t0
            if db.conn.in_transaction:
                db.conn.rollback()
            finish_run(db, run_id, summary.status, summary.counts(), summary.errors())
            db.conn.close()
            runner.close()
    return summary


def _status(summary: RunSummary) -> str:
    if any(s.status == "failed" for s in summary.stages):
        return "failed"
    if summary.errors():
        return "partial"      # finished; some pages failed and wait for a later run
    return "ok"


def _run_stage(name: str, db, config: SitesConfig, summary: RunSummary, hooks: Hooks,
               as_of: dt.date | None, runner: LazyRunner) -> StageResult:
    try:
        if name == "crawl":
            with Fetcher(config.crawl) as fetcher:
                crawler = Crawler(db, config, summary.run_id, fetcher, hooks.on_crawl)
                summary.crawl = crawler.report          # partial counts survive an interruption
                crawler.run()
            return StageResult(name, "ok", counts=summary.crawl.counts())
        if name == "ingest":
            pending = pending_pages(db)
            hooks.on_ingest_total(len(pending))
            summary.ingest = IngestReport()
            if runner.distributed and pending:
                from ..executor.prefetch import prefetched

                with prefetched(db, runner.get(), pending):
                    ingest_pages(db, summary.ingest, on_page=hooks.on_ingest, settings=config.crawl)
            else:
                ingest_pages(db, summary.ingest, on_page=hooks.on_ingest, settings=config.crawl)
            return StageResult(name, "ok", counts=summary.ingest.counts())
        # extract: directives are extracted as each document is ingested; the stage re-reads the
        # documents an older extractor read (pipeline/extract/stage.py).
        function = find_stage(name)
        if function is None:
            return StageResult(name, "skipped", "尚未提供，跳过")
        if name == "track":
            where: dict[str, Any] = {"runner": runner.get()} if runner.distributed else {}
            if config.cluster.shards:
                where["shards"] = config.cluster.shards
            counts = function(db, as_of=as_of, **where)
        else:
            counts = function(db)
        return StageResult(name, "ok", counts=dict(counts or {}))
    except Exception as exc:  # one broken stage must not cost the others
        if db.conn.in_transaction:
            db.conn.rollback()
        return StageResult(name, "failed", f"{type(exc).__name__}: {exc}")
