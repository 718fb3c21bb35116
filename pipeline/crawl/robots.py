"""robots.txt, read once per host per run and obeyed for every request, redirect hops included.

Parsed with protego (Scrapy's own robots.txt parser, usable without Scrapy: it
implements Google's matching rules — longest match wins, ``*`` and ``$``). The
file itself is fetched like a page, politely and conditionally, and kept in
``pages`` (kind ``robots``), so an unchanged robots.txt costs a 304 each night.

What an unavailable robots.txt means follows RFC 9309: a 4xx means no rules
(crawl everything); a 5xx or no answer at all means the site may be in trouble,
so nothing on that host is fetched this run.

The crawl's workers share one RobotsRules: a host's file is loaded once, by the
first worker that needs it, while any other worker on that host waits for the
answer (a lock per host, so loading one host's file never holds up another's).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext

from protego import Protego

from . import pages
from .fetcher import Fetcher
from .guard import StoreGuard
from .urls import HostKey, host_key, origin, same_site_host

__all__ = ["DISALLOWED", "UNAVAILABLE", "RobotsRules"]

DISALLOWED = "robots.txt 禁止抓取"
UNAVAILABLE = "robots.txt 无法获取，本次不抓取该主机"


class RobotsRules:
    """Answers "may this URL be fetched?", loading each host's robots.txt on first need."""

    def __init__(self, db, fetcher: Fetcher, user_agent: str, guard: StoreGuard | None = None) -> None:
        """``guard``: the lock the crawl's workers take for the store (none needed when one thread crawls)."""
        self.db, self.fetcher, self.user_agent = db, fetcher, user_agent
        self.guard = guard
        self._rules: dict[HostKey, Protego | None] = {}     # None: nothing may be fetched
        self.errors: list[tuple[str, str]] = []             # (robots URL, reason)
        self._lock = threading.Lock()                       # guards _loading
        self._loading: dict[HostKey, threading.Lock] = {}   # one per host, held while its file is loaded

    def refusal(self, url: str, site: str) -> str | None:
        """None when ``url`` may be fetched, else why not (DISALLOWED or UNAVAILABLE)."""
        host = host_key(url)
        if host is None:
            return DISALLOWED
        if host not in self._rules:
            with self._lock:
                loading = self._loading.setdefault(host, threading.Lock())
            with loading:
                if host not in self._rules:          # another worker may have loaded it meanwhile
                    self._rules[host] = self._load(url, site, host)
        rules = self._rules[host]
        if rules is None:
            return UNAVAILABLE
        return None if rules.can_fetch(url, self.user_agent) else DISALLOWED

    def allowed(self, url: str, site: str) -> bool:
        return self.refusal(url, site) is None

    def _load(self, url: str, site: str, host: HostKey) -> Protego | None:
        robots_url = origin(url) + "/robots.txt"
        with self._store():
            old = pages.get_page(self.db, robots_url)
        validators = (old.etag, old.last_modified) if old and old.has_raw else (None, None)
        result = self.fetcher.get(robots_url, *validators, may_follow=lambda t: _same_host(t, host))
        with self._store():
            with self.db.conn:
                if result.not_modified:
                    pages.record_not_modified(self.db, robots_url, site, "robots", result)
                elif result.ok and result.content is not None:
                    pages.record_body(self.db, robots_url, site, "robots", result)
                else:
                    pages.record_failure(self.db, robots_url, site, "robots", result)
            if result.error:
                if result.status is not None and 400 <= result.status < 500 and result.status != 429:
                    return Protego.parse("")             # no robots.txt: no rules (429 counts as unreachable)
                reason = f"robots.txt 无法获取（{result.error}），本次不抓取该主机"
                self.errors.append((robots_url, reason))
                return None
            stored = pages.get_raw(self.db, robots_url)
        text = stored[0].decode("utf-8", errors="replace") if stored else ""
        rules = Protego.parse(text)
        delay = rules.crawl_delay(self.user_agent)
        if delay:
            self.fetcher.gate.set_delay(host, float(delay))
        return rules

    def _store(self) -> AbstractContextManager[None]:
        """The store, taken from the other workers (see :mod:`.guard`); the request is made outside it."""
        return self.guard.use() if self.guard is not None else nullcontext()


def _same_host(target: str, host: HostKey) -> str | None:
    key = host_key(target)
    return None if key is not None and same_site_host(key, host) else "robots.txt 重定向到其他主机"

