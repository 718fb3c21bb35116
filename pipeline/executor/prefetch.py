"""Crawled pages parsed and extracted on the workers ahead of the ingest that stores them.

The nightly run ingests what the crawler stored (``pipeline/crawl/ingest.py``) one page at a
time, in a fixed order, in this process: it is the one writer. On a cluster the expensive
part of each page — reading, parsing, extracting, pure functions of the stored bytes — is
done ahead here: the pending pages are handed to the workers a batch at a time, a window of
batches ahead of where the ingest is, and ``ingest_raw`` takes a page's result from here
(``pipeline.ingest.pipeline.PREPARED``) when its bytes are the ones extracted. Anything
not found here — a page of an article over several pages, a result lost with its worker —
is done in this process as always, so the outcome is the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..ingest.pipeline import PREPARED
from .base import Runner
from .extract_tasks import Extracted, Source, extract_batch

BATCH_PAGES = 8


class PagePrefetch:
    """The pages ``urls`` (in the order ingest will ask for them), extracted ahead on ``runner``."""

    def __init__(self, db: Any, runner: Runner, urls: list[str], batch: int = BATCH_PAGES,
                 window: int | None = None) -> None:
        self.db, self.runner, self.batch = db, runner, max(1, batch)
        self.window = window or 2 * runner.workers
        self.batches = [urls[i:i + self.batch] for i in range(0, len(urls), self.batch)]
        self.position = {u: i // self.batch for i, u in enumerate(urls)}
        self.futures: dict[int, Any] = {}
        self.results: dict[int, dict[str, Extracted]] = {}
        self.submitted = 0

    def _sources(self, urls: list[str]) -> list[Source]:
        out = []
        for url in urls:
            row = self.db.execute("SELECT raw, content_type FROM pages WHERE url = ?", [url]).fetchone()
            if row is not None and row[0] is not None:
                out.append(Source(url, bytes(row[0]), content_type=row[1]))
        return out

    def _ensure(self, upto: int) -> None:
        while self.submitted < min(len(self.batches), upto + self.window):
            self.futures[self.submitted] = self.runner.pool.submit(extract_batch, self._sources(
                self.batches[self.submitted]))
            self.submitted += 1

    def lookup(self, source: str, raw_sha256: str) -> Extracted | None:
        """The worker's result for this page and these bytes, or None (then this process does it)."""
        b = self.position.get(source)
        if b is None:
            return None
        self._ensure(b)
        for old in [k for k in self.futures if k < b]:       # ingest has gone past them: free the memory
            self.futures.pop(old).cancel()
        for old in [k for k in self.results if k < b]:
            del self.results[old]
        if b not in self.results:
            future = self.futures.pop(b, None)
            try:
                self.results[b] = {r.source: r for r in future.result()} if future is not None else {}
            except Exception:      # a batch lost for good: its pages are done here
                self.results[b] = {}
        found = self.results[b].pop(source, None)
        return found if found is not None and found.raw_sha256 == raw_sha256 else None

    def cancel(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.futures.clear()
        self.results.clear()


@contextmanager
def prefetched(db: Any, runner: Runner, urls: list[str]) -> Iterator[PagePrefetch]:
    """While the block runs, ``ingest_raw`` takes the pages ``urls`` from the workers."""
    fetch = PagePrefetch(db, runner, urls)
    token = PREPARED.set(fetch.lookup)
    try:
        yield fetch
    finally:
        PREPARED.reset(token)
        fetch.cancel()
