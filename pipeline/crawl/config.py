"""The sites file: which sites to crawl, and how politely.

Sites are data, not code: a TOML file with one ``[crawl]`` table of settings shared
by every site and one ``[[site]]`` table per site. Everything is checked when the
file is loaded, so a typo in a regex stops the run before the first request
rather than silently crawling nothing, and the messages say what to fix.

    [crawl]
    user_agent = "duban/0.1 (+https://example.org/duban)"
    delay = 1.0        # seconds between two requests to the same host
    timeout = 20       # seconds
    retries = 2
    backoff = 2.0      # first retry waits this long, each next one twice as long
    recheck_days = 7   # an article already stored is asked again (conditionally) after this long
    max_failures = 5   # a URL that failed this many runs in a row is given up (记为放弃); 0 = never
    max_article_pages = 50   # an article split over pages is read over at most this many
    concurrency = 8    # requests in flight at once, over all sites together (each host still one at a time)

    [cluster]          # optional: where ingest and tracking run (pipeline/executor)
    executor = "dask"  # "local" (default: this process) or "dask"
    scheduler = "tcp://10.0.0.5:8786"   # a running Dask scheduler; omitted: a LocalCluster here
    workers = 2        # the LocalCluster's worker processes (without scheduler)
    shards = 64        # tracking in this many parts by province (default: two per worker)

    [[site]]
    name = "某某县应急管理局"
    start = ["http://127.0.0.1:8000/aqsc/index.html"]
    follow = ['/aqsc/index_\\d+\\.html']   # list pages to walk (pagination)
    articles = ['/aqsc/art/']             # article pages and attachments to ingest
    max_pages = 500                       # requests to the site in one run; the rest waits
    max_failures = 10                     # optional: this site's own cap (recheck_days likewise)
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..executor.choose import DEFAULT_WORKERS, kind_problem, scheduler_problem
from .urls import HostKey, host_key, normalise_url, same_site_host

__all__ = ["ClusterSettings", "ConfigError", "CrawlSettings", "Site", "SitesConfig", "load_sites", "parse_sites"]

DEFAULT_USER_AGENT = "duban/0.1 (+https://example.org/duban)"
# Suffixes of linked files ingested as documents (what pipeline.ingest.readers can read).
DEFAULT_ATTACHMENTS = (".docx", ".pdf")
# Link texts that mean "the next list page" on Chinese government sites.
DEFAULT_NEXT_PAGE = ("下一页", "下页", "下一頁", "后一页")
# Runs in a row a URL may fail before it is given up: a week of nights is enough to
# ride out an outage or a site being rebuilt, and a dead link then costs nothing more.
DEFAULT_MAX_FAILURES = 5
# How an article's continuation pages are named, relative to the article's own URL
# (``{stem}``: its file name without the extension, ``{ext}``: the extension with its dot,
# ``{name}``: the whole file name, ``{query}``: its query string, ``{n}``: the page number).
# TRS-style CMSs continue art_123_456.html at art_123_456_1.html, _2.html (and a folder's
# index.html at index_1.html); others add ?page=2. See :mod:`.pager`.
DEFAULT_CONTINUATION = ("{stem}_{n}{ext}", "{stem}-{n}{ext}", "{name}?page={n}", "{name}?{query}&page={n}")
# Pages one article is read over at most (page numbers beyond are not followed): a pager
# that promises more is a broken script or a trap, not a speech.
DEFAULT_MAX_ARTICLE_PAGES = 50
# Requests in flight at once over all sites. Each host still gets one request at a time
# and its delay; the cap bounds what one night costs our own line and CPU (pages are
# parsed for links as they arrive), and eight keeps a county's worth of sites busy.
DEFAULT_CONCURRENCY = 8
CONTINUATION_FIELDS = frozenset({"stem", "ext", "name", "query", "n"})


class ConfigError(ValueError):
    """The sites file is wrong; str(exc) says where and what, in Chinese."""


@dataclass(frozen=True)
class CrawlSettings:
    """Settings shared by every site (the ``[crawl]`` table)."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 2.0
    max_redirects: int = 5
    recheck_days: float = 7.0
    max_failures: int = DEFAULT_MAX_FAILURES
    attachments: tuple[str, ...] = DEFAULT_ATTACHMENTS
    next_page: tuple[str, ...] = DEFAULT_NEXT_PAGE
    continuation: tuple[str, ...] = DEFAULT_CONTINUATION
    max_article_pages: int = DEFAULT_MAX_ARTICLE_PAGES
    concurrency: int = DEFAULT_CONCURRENCY


@dataclass(frozen=True)
class Site:
    """One ``[[site]]``: where to start, which links to walk and which to ingest."""

    name: str
    start: tuple[str, ...]
    follow: tuple[re.Pattern[str], ...]
    articles: tuple[re.Pattern[str], ...]
    max_pages: int = 500
    recheck_days: float = 7.0
    max_failures: int = DEFAULT_MAX_FAILURES      # 0: never give a URL up
    hosts: frozenset[HostKey] = field(default=frozenset())

    def allows_host(self, url: str) -> bool:
        """Only the hosts of the ``start`` URLs are ever fetched (http→https on one host included)."""
        key = host_key(url)
        return key is not None and any(same_site_host(key, h) for h in self.hosts)

    def is_list(self, url: str) -> bool:
        return any(p.search(url) for p in self.follow)

    def is_article(self, url: str) -> bool:
        return any(p.search(url) for p in self.articles)

    def gives_up(self, url: str, failures: int) -> bool:
        """Whether ``url``, failed ``failures`` runs in a row, is given up (记为放弃).

        The start URLs never are: they are the sites file's own word, and giving one
        up would silently stop the whole site; they keep failing loudly instead.
        """
        return 0 < self.max_failures <= failures and url not in self.start


@dataclass(frozen=True)
class ClusterSettings:
    """Where the nightly run's ingest and tracking run (the ``[cluster]`` table; the command line's
    ``--executor`` and ``--scheduler`` override it)."""

    executor: str = "local"
    scheduler: str | None = None
    workers: int = DEFAULT_WORKERS
    shards: int | None = None


@dataclass(frozen=True)
class SitesConfig:
    crawl: CrawlSettings
    sites: tuple[Site, ...]
    cluster: ClusterSettings = field(default_factory=ClusterSettings)

    def site(self, name: str) -> Site | None:
        return next((s for s in self.sites if s.name == name), None)


def load_sites(path: str | Path) -> SitesConfig:
    """Read and check a sites file. Raises ConfigError."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"站点配置文件不存在：{file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取站点配置文件 {file}：{exc}") from None
    return parse_sites(text, str(file))


def parse_sites(text: str, where: str = "站点配置") -> SitesConfig:
    """Check the TOML text of a sites file. Raises ConfigError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}：TOML 格式错误：{exc}") from None
    unknown = set(data) - {"crawl", "site", "cluster"}
    if unknown:
        raise ConfigError(f"{where}：不认识的配置项：{'、'.join(sorted(unknown))}（应为 [crawl]、[cluster] 和 [[site]]）")
    settings = _settings(data.get("crawl", {}), where)
    raw_sites = data.get("site", [])
    if not isinstance(raw_sites, list) or not raw_sites:
        raise ConfigError(f"{where}：没有配置任何站点（需要至少一个 [[site]]）")
    sites = tuple(_site(s, i, settings, where) for i, s in enumerate(raw_sites, 1))
    names = [s.name for s in sites]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ConfigError(f"{where}：站点名称重复：{'、'.join(sorted(dupes))}")
    return SitesConfig(settings, sites, _cluster(data.get("cluster", {}), where))


# --------------------------------------------------------------------------- checks

_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "user_agent": (str,), "delay": (int, float), "timeout": (int, float), "retries": (int,),
    "backoff": (int, float), "max_redirects": (int,), "recheck_days": (int, float), "max_failures": (int,),
    "attachments": (list,), "next_page": (list,), "continuation": (list,), "max_article_pages": (int,),
    "concurrency": (int,),
}
_SITE_KEYS = {"name", "start", "follow", "articles", "max_pages", "recheck_days", "max_failures"}


def _settings(table: Any, where: str) -> CrawlSettings:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}：[crawl] 应为一个表")
    values: dict[str, Any] = {}
    for key, value in table.items():
        types = _SETTING_TYPES.get(key)
        if types is None:
            raise ConfigError(f"{where}：[crawl] 中不认识的配置项：{key}")
        if isinstance(value, bool) or not isinstance(value, types):
            raise ConfigError(f"{where}：[crawl] {key} 的值类型不对：{value!r}")
        values[key] = tuple(str(v) for v in value) if isinstance(value, list) else value
    s = CrawlSettings(**values)
    if s.delay < 0 or s.timeout <= 0 or s.retries < 0 or s.backoff < 0 or s.max_redirects < 0 or s.recheck_days < 0 \
            or s.max_failures < 0:
        raise ConfigError(f"{where}：[crawl] 中 delay、timeout、retries、backoff、recheck_days、max_failures 不能为负"
                          "（timeout 须大于 0）")
    if not s.user_agent.strip():
        raise ConfigError(f"{where}：[crawl] user_agent 不能为空")
    if s.max_article_pages < 1:
        raise ConfigError(f"{where}：[crawl] max_article_pages 应为正整数（1 表示不合并多页文章）")
    if s.concurrency < 1:
        raise ConfigError(f"{where}：[crawl] concurrency 应为正整数（同时进行的请求数，1 表示逐个请求）")
    for template in s.continuation:
        _check_continuation(template, where)
    attachments = tuple(a.lower() if a.startswith(".") else "." + a.lower() for a in s.attachments)
    return replace(s, attachments=attachments)


_CLUSTER_KEYS = {"executor", "scheduler", "workers", "shards"}


def _cluster(table: Any, where: str) -> ClusterSettings:
    """The ``[cluster]`` table, checked: an executor duban knows, a scheduler address, positive counts."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}：[cluster] 应为一个表")
    unknown = set(table) - _CLUSTER_KEYS
    if unknown:
        raise ConfigError(f"{where}：[cluster] 中不认识的配置项：{'、'.join(sorted(unknown))}")
    executor = table.get("executor", "local")
    if not isinstance(executor, str) or kind_problem(executor):
        raise ConfigError(f"{where}：[cluster] executor 应为 \"local\" 或 \"dask\"：{executor!r}")
    scheduler = table.get("scheduler")
    if scheduler is not None:
        if not isinstance(scheduler, str) or scheduler_problem(scheduler):
            raise ConfigError(f"{where}：[cluster] scheduler 应为调度器地址（如 \"tcp://10.0.0.5:8786\"）：{scheduler!r}")
        if executor != "dask":
            raise ConfigError(f"{where}：[cluster] scheduler 只在 executor = \"dask\" 时有效")
    values = {}
    for key in ("workers", "shards"):
        value = table.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ConfigError(f"{where}：[cluster] {key} 应为正整数：{value!r}")
        values[key] = value
    return ClusterSettings(executor, scheduler, values["workers"] or DEFAULT_WORKERS, values["shards"])


def _check_continuation(template: str, where: str) -> None:
    """A continuation form must name the page number and only the fields :mod:`.pager` fills in."""
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise ConfigError(f"{where}：[crawl] continuation 中的格式有误：{template!r}（{exc}）") from None
    if "n" not in fields or not fields <= CONTINUATION_FIELDS:
        raise ConfigError(f"{where}：[crawl] continuation 中的格式有误：{template!r}"
                          "（须含 {n}，可用 {stem}、{ext}、{name}、{query}）")


def _patterns(value: Any, key: str, label: str) -> tuple[re.Pattern[str], ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{label}：{key} 应为正则表达式的列表")
    out = []
    for pattern in value:
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{label}：{key} 中的正则表达式有误：{pattern!r}（{exc}）") from None
    return tuple(out)


def _site(table: Any, index: int, settings: CrawlSettings, where: str) -> Site:
    label = f"{where}：第 {index} 个站点"
    if not isinstance(table, dict):
        raise ConfigError(f"{label} 应为一个表")
    unknown = set(table) - _SITE_KEYS
    if unknown:
        raise ConfigError(f"{label}：不认识的配置项：{'、'.join(sorted(unknown))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{label}：缺少 name")
    label = f"{where}：站点“{name}”"
    start = table.get("start")
    if isinstance(start, str):
        start = [start]
    if not isinstance(start, list) or not start or not all(isinstance(u, str) for u in start):
        raise ConfigError(f"{label}：start 应为至少一个网址的列表")
    for url in start:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{label}：start 中的网址无效：{url}（须以 http:// 或 https:// 开头）")
    max_pages = table.get("max_pages", 500)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ConfigError(f"{label}：max_pages 应为正整数")
    recheck = table.get("recheck_days", settings.recheck_days)
    if isinstance(recheck, bool) or not isinstance(recheck, (int, float)) or recheck < 0:
        raise ConfigError(f"{label}：recheck_days 应为不小于 0 的数")
    max_failures = table.get("max_failures", settings.max_failures)
    if isinstance(max_failures, bool) or not isinstance(max_failures, int) or max_failures < 0:
        raise ConfigError(f"{label}：max_failures 应为不小于 0 的整数（0 表示从不放弃）")
    starts = tuple(normalise_url(u) for u in start)
    hosts = frozenset(k for k in (host_key(u) for u in starts) if k is not None)
    return Site(name=name.strip(), start=starts, follow=_patterns(table.get("follow", []), "follow", label),
                articles=_patterns(table.get("articles", []), "articles", label), max_pages=max_pages,
                recheck_days=float(recheck), max_failures=max_failures, hosts=hosts)
