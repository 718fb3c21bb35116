"""The crawl loop: take the head of the queue, fetch it politely, store what came, queue its links.

Why httpx + protego and not Scrapy
----------------------------------
Scrapy would give robots.txt, retries, AutoThrottle, an HTTP cache with
conditional GET and JOBDIR resume out of the box. It is not used because:

* Its Twisted reactor runs once per process and cannot be restarted, which fights
  both the tests (many crawls, each against a fresh local site, in one pytest
  process) and the nightly run, which must call crawl as one stage among others.
* Its resume state (JOBDIR: pickled request queues and a seen-set on disk) lives
  outside the store and is written on its own schedule, so after a kill -9 it can
  disagree with what the store holds. Here the frontier is a table in the same
  SQLite file as the pages, and a page's bytes, its links and its queue state are
  committed in one transaction: the store is always a state the next run can finish.
* Its HTTP cache keeps validators and bodies in its own storage; we need them in
  ``pages`` anyway (raw bytes are kept so documents can be re-parsed later).
* One request at a time per host and a delay of about a second: the concurrency
  we need is across a few dozen hosts, which a handful of threads gives (below),
  not the thousands of requests in flight Scrapy is built for.

What we need instead is small: httpx (a maintained, typed HTTP client with
timeouts and streaming) for the requests, protego (the robots.txt parser Scrapy
itself uses, without Scrapy) for the rules, and some two hundred lines for the
queue and the manners (:mod:`.fetcher`, :mod:`.frontier`, :mod:`.robots`).

Sites side by side
------------------
A night is mostly waiting: a second of delay between two requests to a host, and
government servers that take a second or two to answer. Sites are therefore
crawled side by side, one worker thread per site (up to ``MAX_WORKERS``; further
sites wait for a worker to finish one), each walking its own site's queue in
order exactly as a single crawler would. Every rule stays per host: the delay,
Crawl-delay, retries and backoff live in the fetcher's host gate, which hands a
host to one request at a time even when two sites share a server; robots.txt is
loaded once per host; ``max_pages`` and ``max_failures`` are per site as before.
``[crawl] concurrency`` (default 8) caps the requests in flight over all sites
together, taken only for the request itself, so a worker waiting out a delay costs
no slot.

Threads rather than asyncio because everything around a request is synchronous
already (SQLite, link extraction, robots.txt) and stays as it was; only the
store needs guarding. The workers share the run's one connection, and each read
or transaction takes the store guard (:mod:`.guard`), so a page, its links and
its queue state are still committed in one transaction of their own, never mixed
with another worker's, and a kill -9 at any moment still leaves a store the next
run finishes. Requests and sleeps happen outside the guard. When the run is
stopped (Ctrl-C, an error in a worker) the guard is closed once the transaction
in progress, if any, has committed: the caller can then roll back and record the
run on the same connection without a worker writing behind its back.

Conditional and incremental
---------------------------
Every page with stored bytes is asked for with If-None-Match / If-Modified-Since;
a 304 stores nothing new, and a list page that answers 304 is walked from its
stored bytes, so pagination is still followed. List pages are asked every run;
an article or attachment already stored is not asked again until ``recheck_days``
have passed (then conditionally), so a quiet site costs one conditional request
per list page a night.

Articles over several pages
---------------------------
An article's continuation pages (``art_1_2_1.html``, ``_2.html`` … named by its own
pager, see :mod:`.pager`) are queued as kind ``continuation`` with the article as
referrer, and fetched like any page: robots.txt, the delay, retries, conditional
requests, ``max_failures``; their bytes go to ``pages`` too. They are never ingested
on their own: the ingest stage puts the article back together from the stored pages
(:mod:`.ingest`). They are queued whenever the article is visited, so an article that
is asked again (``recheck_days``) has its pages asked again, conditionally, and one
that is not due costs nothing, its pages included.

Giving up
---------
A failed page is retried the next night, but not for ever: once it has failed
``max_failures`` runs in a row (``pages.failures``; any success zeroes it) it is
given up (记为放弃), counted in the summary, and neither taken over nor queued
again by later runs. Start URLs are never given up.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import frontier, pages
from .config import Site, SitesConfig
from .fetcher import Fetcher, FetchResult
from .guard import StoreClosed, StoreGuard
from .links import classify, extract_links
from .pager import CONTINUATION, continuations
from .robots import DISALLOWED, UNAVAILABLE, RobotsRules
from .schema import ensure

__all__ = ["MAX_WORKERS", "CrawlReport", "Crawler", "crawl"]

# (done, still queued, url); called from the worker threads, one call at a time (under the store guard)
ProgressFn = Callable[[int, int, str], None]
NOT_DUE = "已保存，未到复查时间"
# Sites crawled at once, each by its own thread (a worker mostly sleeps out the delay; the
# requests in flight are capped by ``[crawl] concurrency``). Beyond this, sites take turns.
MAX_WORKERS = 64


@dataclass
class CrawlReport:
    fetched: int = 0          # 2xx with new or changed bytes
    unchanged: int = 0        # 2xx with the bytes already stored (a server without validators)
    not_modified: int = 0     # 304
    failed: int = 0
    disallowed: int = 0       # robots.txt said no
    resumed: int = 0          # queued or failed URLs taken over from earlier runs
    revived: int = 0          # given-up URLs tried again because their site's max_failures was raised
    given_up: list[str] = field(default_factory=list)   # URLs this run gave up (记为放弃)
    given_up_total: int = 0   # URLs of the configured sites given up now, by this run or earlier ones
    capped: list[str] = field(default_factory=list)     # sites that reached max_pages
    requests: int = 0
    conditional_requests: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (url, reason)

    def counts(self) -> dict[str, object]:
        return {"pages_fetched": self.fetched, "pages_unchanged": self.unchanged,
                "pages_not_modified": self.not_modified, "pages_failed": self.failed,
                "robots_disallowed": self.disallowed, "resumed": self.resumed, "revived": self.revived,
                "pages_given_up": len(self.given_up), "given_up_total": self.given_up_total,
                "capped_sites": self.capped,
                "requests": self.requests, "conditional_requests": self.conditional_requests,
                "crawl_seconds": round(self.seconds, 3)}


def _due(fetched_at: str | None, days: float, now: dt.datetime) -> bool:
    """Whether a stored article should be asked again (conditionally)."""
    if days <= 0 or not fetched_at:
        return True
    try:
        last = dt.datetime.fromisoformat(fetched_at)
    except ValueError:
        return True
    return (now - last).total_seconds() >= days * 86400


class Crawler:
    """One pass over the configured sites, side by side (see the module's docstring)."""

    def __init__(self, db, config: SitesConfig, pass_id: int, fetcher: Fetcher | None = None,
                 on_progress: ProgressFn | None = None) -> None:
        ensure(db)
        self.db, self.config, self.pass_id = db, config, pass_id
        self.fetcher = fetcher or Fetcher(config.crawl)
        self.guard = StoreGuard()
        self.robots = RobotsRules(db, self.fetcher, config.crawl.user_agent, self.guard)
        self.on_progress = on_progress
        self.report = CrawlReport()
        self._now = dt.datetime.now(dt.timezone.utc)
        self._done = 0                                  # URLs visited, for on_progress (under the guard)
        self._waiting: list[Site] = []                  # sites no worker has taken yet
        self._sites_lock = threading.Lock()             # guards _waiting and _failure
        self._stop = threading.Event()                  # set: workers take no further URL
        self._failure: BaseException | None = None      # the first error a worker met, raised by run()

    def run(self) -> CrawlReport:
        t0 = time.perf_counter()
        sites = {s.name: s for s in self.config.sites}
        with self.db.conn:
            self.report.revived = sum(frontier.revive(self.db, s.name, s.max_failures, s.start)
                                      for s in self.config.sites)
            self.report.resumed = frontier.begin_pass(
                self.db, self.pass_id, sites, [(url, s.name) for s in self.config.sites for url in s.start])
        self._waiting = list(self.config.sites)
        workers = [threading.Thread(target=self._work, name=f"duban-crawl-{i + 1}", daemon=True)
                   for i in range(min(len(self._waiting), MAX_WORKERS))]
        try:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        except BaseException:
            # Ctrl-C or SystemExit reaches this thread only. The page a worker is storing is
            # committed; after that no worker writes, so the caller may roll back and record the
            # run on this connection. Workers still fetching stop at their next turn at the store;
            # what they fetched is fetched again by the next run, as after a kill -9.
            self._stop.set()
            self.guard.close()
            raise
        if self._failure is not None:
            self.guard.close()
            raise self._failure
        self.report.given_up_total = frontier.given_up_count(self.db, sites)
        self.report.requests = self.fetcher.requests
        self.report.conditional_requests = self.fetcher.conditional_requests
        self.report.errors.extend(self.robots.errors)
        self.report.seconds = time.perf_counter() - t0
        return self.report

    # ------------------------------------------------------------------ workers

    def _work(self) -> None:
        """One worker: crawl the next waiting site to its end, then the next, until none is left or the run stops."""
        try:
            while not self._stop.is_set():
                with self._sites_lock:
                    if not self._waiting:
                        return
                    site = self._waiting.pop(0)
                self._crawl_site(site)
        except StoreClosed:
            pass                                         # the run was stopped: leave quietly
        except BaseException as exc:                     # handed to run(), raised once the others have stopped
            with self._sites_lock:
                if self._failure is None:
                    self._failure = exc
            self._stop.set()

    def _crawl_site(self, site: Site) -> None:
        """Visit ``site``'s queue in order (breadth first) until it is empty or the site has had max_pages requests."""
        fetches = 0
        while not self._stop.is_set():
            with self.guard.use():
                heads = frontier.next_items(self.db, self.pass_id, [site.name])
            if not heads:
                return
            item = heads[0]
            fetches += self._visit(site, item)
            capped = fetches >= site.max_pages
            with self.guard.use():
                self._done += 1
                if capped:
                    self.report.capped.append(site.name)
                if self.on_progress:
                    self.on_progress(self._done, frontier.pending_count(self.db, self.pass_id), item.url)
            if capped:
                return

    # ------------------------------------------------------------------ one URL

    def _refusal(self, site: Site, url: str) -> str | None:
        if not site.allows_host(url):
            return "站外地址，不抓取"
        return self.robots.refusal(url, site.name)

    def _visit(self, site: Site, item: frontier.Item) -> bool:
        """Fetch one queued URL and store what came of it in one transaction; True if it cost a request.

        The robots.txt check (which may load the file) and the fetch run outside the
        store guard, so other workers store their pages meanwhile.
        """
        refused = self._refusal(site, item.url)
        if refused:
            # Robots.txt that could not be read is a failure (retried next run), not a refusal.
            state = "failed" if refused == UNAVAILABLE else "skipped"
            with self.guard.use(), self.db.conn:
                frontier.finish(self.db, item.url, state, refused)
                self.report.disallowed += refused == DISALLOWED
                self.report.failed += state == "failed"
            return False
        with self.guard.use():
            old = pages.get_page(self.db, item.url)
        etag, modified = (old.etag, old.last_modified) if old and old.has_raw else (None, None)
        result = self.fetcher.get(item.url, etag, modified, may_follow=lambda target: self._refusal(site, target))
        with self.guard.use(), self.db.conn:
            body = self._store(site, item, result)
            if body is not None:
                self._queue_links(site, item, body)
            if result.error:
                self._failed(site, item.url, result.error)
            else:
                frontier.finish(self.db, item.url, "done")
        return True

    def _failed(self, site: Site, url: str, error: str) -> None:
        """Leave a failed URL for the next run, or give it up once it has failed too many runs in a row."""
        page = pages.get_page(self.db, url)
        failures = page.failures if page else 1
        if site.gives_up(url, failures):
            frontier.finish(self.db, url, frontier.GIVEN_UP, f"连续 {failures} 次抓取失败，已放弃（最后一次：{error}）")
            self.report.given_up.append(url)
        else:
            frontier.finish(self.db, url, "failed", error)

    def _store(self, site: Site, item: frontier.Item, result: FetchResult) -> tuple[bytes, str | None, str] | None:
        """Record the outcome; the bytes to take links from (fresh or, after a 304, stored)."""
        if result.error:
            pages.record_failure(self.db, item.url, site.name, item.kind, result)
            self.report.failed += 1
            self.report.errors.append((item.url, result.error))
            return None
        if result.not_modified:
            pages.record_not_modified(self.db, item.url, site.name, item.kind, result)
            self.report.not_modified += 1
            return pages.get_raw(self.db, item.url)
        changed = pages.record_body(self.db, item.url, site.name, item.kind, result)
        if changed:
            self.report.fetched += 1
        else:
            self.report.unchanged += 1
        return result.content or b"", result.headers.get("content-type"), result.final_url

    def _queue_links(self, site: Site, item: frontier.Item, body: tuple[bytes, str | None, str]) -> None:
        if item.kind not in ("list", "article", CONTINUATION):
            return
        if item.kind != "list":
            self._queue_continuations(site, item, body)
        data, content_type, base = body
        for link in extract_links(data, content_type, base):
            kind = classify(link, site, self.config.crawl, item.kind)
            if kind is None:
                continue
            if kind != "list" and self._not_due(site, link.url):
                frontier.enqueue(self.db, self.pass_id, link.url, site.name, kind, item.url,
                                 state="skipped", reason=NOT_DUE)
                continue
            frontier.enqueue(self.db, self.pass_id, link.url, site.name, kind, item.url)

    def _is_list_page(self, site: Site, url: str) -> bool:
        """A start URL or a page walked as a list: never taken for part of an article.

        Not the ``follow`` regexes: a loose one (``index_\\d+``) also matches the
        continuation pages of an article at ``.../t20250305_123/index.html``, which would
        then be silently cut to its first page.
        """
        if url in site.start:
            return True
        page = pages.get_page(self.db, url)
        return page is not None and page.kind == "list"

    def _not_due(self, site: Site, url: str) -> bool:
        """Stored, and not to be asked again before ``recheck_days`` have passed."""
        page = pages.get_page(self.db, url)
        return bool(page and page.has_raw and page.error is None
                    and not _due(page.fetched_at, site.recheck_days, self._now))

    def _queue_continuations(self, site: Site, item: frontier.Item, body: tuple[bytes, str | None, str]) -> None:
        """Queue the pages the article's pager names, as parts of the article (never as articles of their own).

        A visited article has all its pages asked again. A continuation page's own pager
        is read too (a windowed pager shows only the numbers near it), but when it is
        visited alone (retried after a failure) its stored siblings wait for their article.
        """
        article = item.url if item.kind == "article" else item.referrer
        if article is None:
            return
        if item.kind == "article":
            served_at = body[2]
        else:
            page = pages.get_page(self.db, article)
            served_at = (page.final_url if page else None) or article
        data, content_type, base = body
        for _number, url in continuations(data, content_type, base, served_at, self.config.crawl):
            if url == article or not site.allows_host(url) or self._is_list_page(site, url):
                continue
            if item.kind == CONTINUATION and self._not_due(site, url):
                frontier.enqueue(self.db, self.pass_id, url, site.name, CONTINUATION, article,
                                 state="skipped", reason=NOT_DUE)
                continue
            frontier.enqueue(self.db, self.pass_id, url, site.name, CONTINUATION, article)


def crawl(db, config: SitesConfig, pass_id: int, on_progress: ProgressFn | None = None) -> CrawlReport:
    """Crawl every configured site once (pass ``pass_id``, a runs.id)."""
    with Fetcher(config.crawl) as fetcher:
        return Crawler(db, config, pass_id, fetcher, on_progress).run()
