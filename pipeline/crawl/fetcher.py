"""HTTP GET with manners: a per-host delay, retries with backoff, redirects kept on the site.

Built on httpx (see :mod:`pipeline.crawl.crawler` for why not Scrapy). Redirects
are followed here, hop by hop, rather than by httpx, because every hop is a
request that must wait its turn at the host and may lead off the site or into a
path robots.txt forbids: the caller's ``may_follow`` decides each hop before it
is requested.

The delay is measured from the end of one exchange with a host to the start of
the next, so a slow server gets its full quiet time however long it took to
answer; retries and redirect hops are requests like any other and wait too.

Many threads share one Fetcher (the crawler runs sites side by side, see
:mod:`pipeline.crawl.crawler`). Two things make that safe for the sites:

* A host is taken in *turns* (:meth:`HostGate.turn`): a lock per host is held
  from the wait for its delay through the end of the request, so two workers whose
  sites share a server still leave it the delay between them, never both finding
  it ready at once.
* A global semaphore (``[crawl] concurrency``) bounds the requests in flight over
  all hosts. It is taken *after* the host's delay has passed and only for the
  request itself, so a worker sleeping out a delay or a backoff holds no slot.

httpx.Client is safe to share between threads; its pool is sized so that the cap,
not the pool, is what limits the crawl.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from ..ingest.readers import MAX_BYTES
from .config import CrawlSettings
from .urls import HostKey, host_key, join

__all__ = ["FetchResult", "Fetcher", "HostGate"]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 120.0     # seconds: a Retry-After longer than this is not waited for


@dataclass
class FetchResult:
    """What one logical fetch of a URL came to (after redirects and retries)."""

    url: str
    final_url: str
    status: int | None = None           # last HTTP status; None when no response came
    content: bytes | None = None        # body of a 2xx
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None            # why it failed, in Chinese; None on success or 304
    attempts: int = 0                   # requests made (retries and redirect hops included)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304


class HostGate:
    """Keeps ``delay`` seconds between the end of one request to a host and the start of the next.

    Safe to share between threads: :meth:`turn` holds the host for a whole request, so
    the delay holds however many workers reach the same host. ``wait`` and ``done``
    alone are the single-threaded halves of a turn.
    """

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = delay
        self._clock, self._sleep = clock, sleep
        # Written for a host only by the thread holding its turn (one dict store each: atomic under the GIL).
        self._last: dict[HostKey, float] = {}
        self._delays: dict[HostKey, float] = {}
        self._lock = threading.Lock()                       # guards _turns
        self._turns: dict[HostKey, threading.Lock] = {}     # one per host, held through a request

    def set_delay(self, host: HostKey, delay: float) -> None:
        """A longer delay for one host (robots.txt Crawl-delay); never shorter than the configured one."""
        self._delays[host] = max(self.delay, delay)

    def ready_at(self, host: HostKey) -> float:
        last = self._last.get(host)
        return self._clock() if last is None else last + self._delays.get(host, self.delay)

    def wait(self, host: HostKey) -> None:
        pause = self.ready_at(host) - self._clock()
        if pause > 0:
            self._sleep(pause)

    def done(self, host: HostKey) -> None:
        self._last[host] = self._clock()

    @contextmanager
    def turn(self, host: HostKey) -> Iterator[None]:
        """``with gate.turn(host):`` one request to ``host``: wait out its delay, and stamp the end.

        The host's lock is held throughout, so another thread asking for the same host
        starts its own wait only after this request has ended, and sees the new end time.
        """
        with self._lock:
            lock = self._turns.setdefault(host, threading.Lock())
        with lock:
            self.wait(host)
            try:
                yield
            finally:
                self.done(host)


class Fetcher:
    """GETs URLs politely, from any number of threads; counts requests so a run can say what it cost the sites."""

    def __init__(self, settings: CrawlSettings, client: httpx.Client | None = None,
                 gate: HostGate | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.gate = gate or HostGate(settings.delay, sleep=sleep)
        self._sleep = sleep
        # The global cap on requests in flight (taken after the host's delay, see the module's docstring).
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._count_lock = threading.Lock()
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            limits=httpx.Limits(max_connections=max(100, settings.concurrency),
                                max_keepalive_connections=max(20, settings.concurrency)),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
                     "Accept-Language": "zh-CN,zh;q=0.9"},
        )
        self.requests = 0
        self.conditional_requests = 0
        self.log: list[tuple[str, bool, int | None]] = []   # (url, conditional, status) of every request

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one URL

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            may_follow: Callable[[str], str | None] = lambda _url: None) -> FetchResult:
        """GET ``url`` (conditionally when validators are given), following redirects ``may_follow`` allows.

        ``may_follow(target)`` returns None to allow a redirect hop, else the reason it is refused.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, attempts = url, 0
        for _hop in range(self.settings.max_redirects + 1):
            result = self._get_with_retries(current, headers)
            attempts += result.attempts
            result.url, result.attempts = url, attempts
            if result.error or result.status not in REDIRECT_CODES:
                return result
            location = result.headers.get("location")
            target = join(current, location) if location else None
            if target is None:
                result.error = f"HTTP {result.status} 重定向缺少有效的目标地址"
                return result
            refused = may_follow(target)
            if refused:
                result.error = f"重定向到 {target}：{refused}"
                return result
            current = target
        return FetchResult(url, current, error=f"重定向次数过多（超过 {self.settings.max_redirects} 次）",
                           attempts=attempts)

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> FetchResult:
        """One request, repeated with exponential backoff on 5xx, 429, timeouts and broken connections."""
        host = host_key(url)
        assert host is not None, url
        reason, last_status = "", None
        retries = self.settings.retries
        for attempt in range(retries + 1):
            retry_after: float | None = None
            with self.gate.turn(host), self._slots:
                try:
                    result = self._request(url, headers)
                except httpx.TimeoutException:
                    reason, last_status = f"超时（{self.settings.timeout:g} 秒内没有完成）", None
                except _TooLarge:
                    return FetchResult(url, url, error="页面过大（超过 50 MB）", attempts=attempt + 1)
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    reason, last_status = f"连接失败（{type(exc).__name__}）", None
                except (httpx.HTTPError, httpx.InvalidURL) as exc:     # not worth retrying
                    return FetchResult(url, url, error=f"请求失败（{type(exc).__name__}: {exc}）",
                                       attempts=attempt + 1)
                else:
                    result.attempts = attempt + 1
                    if result.status >= 500 or result.status == 429:
                        reason, last_status = f"服务器错误 HTTP {result.status}", result.status
                        retry_after = _retry_after(result.headers.get("retry-after"))
                    elif result.status >= 400:
                        result.error = f"HTTP {result.status}"
                        return result
                    else:
                        return result
            # The backoff is slept outside the turn and the slot: other hosts go on meanwhile.
            if attempt < retries:
                pause = self.settings.backoff * (2 ** attempt)
                if retry_after is not None:
                    pause = max(pause, min(retry_after, MAX_RETRY_AFTER))
                if pause > 0:
                    self._sleep(pause)
        return FetchResult(url, url, status=last_status, error=f"{reason}，已重试 {retries} 次", attempts=retries + 1)

    def _request(self, url: str, headers: dict[str, str]) -> FetchResult:
        conditional = bool(headers)
        with self._count_lock:          # += is not atomic across threads
            self.requests += 1
            self.conditional_requests += conditional
        status: int | None = None
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                body = bytearray()
                if status < 300:
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_BYTES:
                            raise _TooLarge()
                return FetchResult(url, url, status=status, content=bytes(body) if status < 300 else None,
                                   headers={k.lower(): v for k, v in response.headers.items()})
        finally:
            self.log.append((url, conditional, status))


class _TooLarge(Exception):
    pass


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
