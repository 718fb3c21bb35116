"""The demo corpus served as a small government website on 127.0.0.1, for ``duban demo`` and the benchmark.

It has what the crawler meets on real sites, in small: paginated list pages
(index.html, index_1.html … with 下一页 links), article pages made from the demo
.txt files in a gov-style frame (every other one sent as GBK bytes labelled
``gb2312``), the demo .html files exactly as they are, .docx/.pdf attachments
linked from their article or listed on their own, a robots.txt that forbids a
linked draft, an off-site link, and ETag / Last-Modified with 304 answers — so
a second crawl of the same site costs only conditional requests.

The pages are built once at start-up (the corpus is small); nothing is written.

Several demo sites can run at once on distinct loopback addresses (127.0.0.2,
127.0.0.3 … are all the local machine on Linux, and distinct hosts to a crawler),
which is how the benchmark measures sites crawled side by side. For that each site
logs every exchange with its start and end times (:attr:`DemoSite.exchanges`: the
gaps the crawler left between two requests, seen from the server), and can answer
slowly (``latency``), as government servers do.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["DemoSite", "Exchange", "build_pages"]

SITE_NAME = "澄阳市青禾区应急管理局"
COLUMN = "安全生产"
LIST_PATH = "/aqsc/index{suffix}.html"
ARTICLE_PREFIX = "/aqsc/art/"
ATTACHMENT_PREFIX = "/aqsc/fj/"
DRAFT_PATH = "/aqsc/art/draft/caogao.html"          # linked, but robots.txt forbids it
OFFSITE_URL = "http://www.chengyang.gov.example/aqsc/art/t20250101_1.html"   # linked, on another host
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\nDisallow: /aqsc/art/draft/\n"
ATTACHMENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}
_TITLE_HINT = re.compile(r"通知|讲话|报告|通报|方案|要点|总结|会议|活动|意见|决定|办法|——访")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})_")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: dt.datetime
    etag: str = ""

    def with_etag(self) -> "Resource":
        return Resource(self.body, self.content_type, self.last_modified,
                        '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"')


@dataclass(frozen=True)
class Exchange:
    """One request as the server saw it (time.monotonic): when it arrived, when its answer was sent.

    ``end`` is taken as the answer starts going out (a local write of a small page takes
    microseconds), so ``next.start - end`` is the quiet time the server had between two requests.
    """

    start: float
    end: float
    path: str
    status: int


@dataclass
class Entry:
    """One item on the list pages."""

    date: str
    title: str
    path: str
    attachments: list[tuple[str, str]] = field(default_factory=list)   # (path, link text)


# --------------------------------------------------------------------------- building the pages


def _title_of(text: str, fmt: str, fallback: str) -> str:
    """The title duban's own parser finds in the text, so the page's <title> agrees with the document."""
    from ..parse.document import parse_text

    try:
        title = parse_text(text, fmt).meta.get("title")
    except Exception:  # the demo must come up even if the parser has a bad day
        title = None
    if title:
        return title
    lines = [ln.strip().replace("\u3000", " ").strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[:5]:
        if len(line) <= 60 and _TITLE_HINT.search(line):
            return line
    return lines[0][:60] if lines else fallback


def _date_of(path: Path) -> str:
    m = _DATE_PREFIX.match(path.name)
    return m.group(1) if m else dt.date.fromtimestamp(path.stat().st_mtime).isoformat()


def _moment(date: str) -> dt.datetime:
    """09:00 Beijing time on ``date``, as the page's Last-Modified."""
    day = dt.date.fromisoformat(date)
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.timezone.utc)


def _article_html(title: str, date: str, lines: list[str], charset: str,
                  attachments: list[tuple[str, str]]) -> str:
    e = html.escape
    paragraphs = "\n".join(f"<p>{e(line)}</p>" for line in lines)
    files = "".join(f'<p>附件：<a href="{e(p)}">{e(text)}</a></p>' for p, text in attachments)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{e(title)}_{SITE_NAME}</title>
<meta name="SiteName" content="{SITE_NAME}">
<meta name="ColumnName" content="{COLUMN}">
<meta name="PubDate" content="{date} 09:00">
</head>
<body>
<div class="header"><a href="/">{SITE_NAME}</a> <a href="/admin/login.html">管理登录</a></div>
<div class="nav"><a href="/">首页</a> | <a href="{LIST_PATH.format(suffix='')}">{COLUMN}</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{LIST_PATH.format(suffix='')}">{COLUMN}</a></div>
<div class="main">
<div class="article-content" id="zoom">
{paragraphs}
</div>
<div class="fujian">{files}</div>
</div>
<div class="footer">主办：{SITE_NAME}　<a href="http://www.gov.cn/">中国政府网</a></div>
</body>
</html>
"""


def _list_html(page: int, pages: int, entries: list[Entry]) -> str:
    e = html.escape
    items = "\n".join(
        f'<li><a href="{e(entry.path)}" target="_blank">{e(entry.title)}</a><span class="date">{entry.date}</span></li>'
        for entry in entries)
    def href(n: int) -> str:
        return LIST_PATH.format(suffix="" if n == 0 else f"_{n}")
    nav = [f'<a href="{href(0)}">首页</a>']
    if page > 0:
        nav.append(f'<a href="{href(page - 1)}">上一页</a>')
    if page + 1 < pages:
        nav.append(f'<a href="{href(page + 1)}">下一页</a>')
    nav.append(f'<a href="{href(pages - 1)}">尾页</a>')
    extra = ""
    if page == 0:
        extra = (f'<li><a href="{DRAFT_PATH}">（草稿）内部工作安排</a></li>\n'
                 f'<li><a href="{OFFSITE_URL}">市应急管理局：安全生产工作动态</a></li>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{COLUMN}_{SITE_NAME}</title></head>
<body>
<div class="header"><a href="/">{SITE_NAME}</a></div>
<div class="list">
<ul>
{items}
{extra}
</ul>
</div>
<div class="page">{' '.join(nav)} 共{pages}页</div>
</body>
</html>
"""


def build_pages(corpus: Path, per_page: int = 5) -> dict[str, Resource]:
    """Every path of the site and what it serves."""
    from ..ingest.readers import InputError, read_file

    files = sorted(p for p in corpus.glob("*") if p.is_file() and not p.name.startswith((".", "~$")))
    texts = [p for p in files if p.suffix.lower() == ".txt"]
    pages_html = [p for p in files if p.suffix.lower() in (".html", ".htm")]
    attachments = [p for p in files if p.suffix.lower() in ATTACHMENT_TYPES]
    stems = {p.stem for p in texts + pages_html}
    routes: dict[str, Resource] = {}
    entries: list[Entry] = []

    for path in attachments:
        date = _date_of(path)
        try:
            raw = read_file(path)
            title = _title_of(raw.text, raw.fmt, path.stem)
        except InputError:
            title = path.stem
        link = ATTACHMENT_PREFIX + path.name
        routes[link] = Resource(path.read_bytes(), ATTACHMENT_TYPES[path.suffix.lower()], _moment(date))
        if path.stem in stems:
            continue                      # linked from its article below
        entries.append(Entry(date, f"{title}（{path.suffix.lstrip('.').upper()}）", link))

    for i, path in enumerate(texts):
        date = _date_of(path)
        text = path.read_text(encoding="utf-8")
        title = _title_of(text, "txt", path.stem)
        own = [(ATTACHMENT_PREFIX + a.name, f"{title}{a.suffix.lower()}") for a in attachments if a.stem == path.stem]
        gbk = i % 2 == 1
        charset = "gb2312" if gbk else "utf-8"
        markup = _article_html(title, date, [ln.rstrip() for ln in text.splitlines() if ln.strip()], charset, own)
        body = markup.encode("gb18030") if gbk else markup.encode("utf-8")
        link = f"{ARTICLE_PREFIX}{path.stem}.html"
        routes[link] = Resource(body, f"text/html; charset={charset}", _moment(date))
        entries.append(Entry(date, title, link, own))

    for path in pages_html:
        date = _date_of(path)
        data = path.read_bytes()
        m = _META_CHARSET.search(data[:2048])
        charset = m.group(1).decode("ascii").lower() if m else "utf-8"
        markup = data.decode("gb18030" if charset.startswith("gb") else "utf-8", errors="replace")
        t = re.search(r'<meta name="ArticleTitle" content="([^"]+)"', markup) or re.search(r"<title>([^<_]+)", markup)
        title = html.unescape(t.group(1)).strip() if t else path.stem
        link = f"{ARTICLE_PREFIX}{path.stem}.html"
        routes[link] = Resource(data, f"text/html; charset={charset}", _moment(date))
        entries.append(Entry(date, title, link))

    entries.sort(key=lambda en: (en.date, en.path), reverse=True)
    chunks = [entries[i:i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    for n, chunk in enumerate(chunks):
        newest = max((_moment(en.date) for en in chunk), default=_moment("2024-01-01"))
        routes[LIST_PATH.format(suffix="" if n == 0 else f"_{n}")] = Resource(
            _list_html(n, len(chunks), chunk).encode("utf-8"), "text/html; charset=utf-8", newest)
    routes["/robots.txt"] = Resource(ROBOTS_TXT.encode("ascii"), "text/plain; charset=utf-8", _moment("2024-01-01"))
    return {path: res.with_etag() for path, res in routes.items()}


# --------------------------------------------------------------------------- serving


def _not_modified(headers, res: Resource) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or res.etag.removeprefix("W/") in tags
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            since = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.timezone.utc)
        return res.last_modified <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DubanDemo/0.1"
    # Headers and body go out as two writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms a response on a kept-alive connection).
    disable_nagle_algorithm = True
    routes: dict[str, Resource] = {}
    hits: list[tuple[str, bool, int]]

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(with_body=True)

    def _answer(self, with_body: bool) -> None:
        start = time.monotonic()
        latency = self.server.latency   # type: ignore[attr-defined]
        if latency:
            time.sleep(latency)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        res = self.routes.get(path)
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        if res is None:
            body = "<html><body><h1>404 页面不存在</h1></body></html>".encode("utf-8")
            self._send(404, body, "text/html; charset=utf-8", {}, with_body)
        elif _not_modified(self.headers, res):
            self._send(304, b"", None, self._validators(res), False)
        else:
            self._send(200, res.body, res.content_type, self._validators(res), with_body)
        self.server.hits.append((path, conditional, self._status))   # type: ignore[attr-defined]
        self.server.exchanges.append(Exchange(start, self._sent, path, self._status))   # type: ignore[attr-defined]

    @staticmethod
    def _validators(res: Resource) -> dict[str, str]:
        return {"ETag": res.etag, "Last-Modified": email.utils.format_datetime(res.last_modified, usegmt=True)}

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str],
              with_body: bool) -> None:
        self._status = status
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        # Stamped as the answer goes out, not after: a stamp taken once the write has returned
        # can trail the client's own receipt by a thread switch and so understate the quiet time.
        self._sent = time.monotonic()
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — keep the console quiet
        pass


class DemoSite:
    """``with DemoSite(corpus) as site:`` serves the corpus at ``site.base_url`` until the block ends."""

    def __init__(self, corpus: Path, per_page: int = 5, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0, routes: dict[str, Resource] | None = None) -> None:
        """``latency``: seconds each answer waits before it is sent (a slow server); ``routes``: pages
        already built by :func:`build_pages`, so several sites can serve one corpus without building it again."""
        # A missing corpus gives one empty list page.
        self.routes = routes if routes is not None else build_pages(Path(corpus), per_page)
        handler = type("DemoHandler", (_Handler,), {"routes": self.routes})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._server.hits = []   # type: ignore[attr-defined]
        self._server.exchanges = []   # type: ignore[attr-defined]
        self._server.latency = latency   # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def start_url(self) -> str:
        return self.base_url + LIST_PATH.format(suffix="")

    @property
    def hits(self) -> list[tuple[str, bool, int]]:
        """(path, conditional, status) of every request answered so far."""
        return self._server.hits   # type: ignore[attr-defined]

    @property
    def exchanges(self) -> list[Exchange]:
        """Every request answered so far, with its start and end times, in the order the answers ended."""
        return self._server.exchanges   # type: ignore[attr-defined]

    def counts(self) -> dict[str, int]:
        return {"list_pages": sum(1 for p in self.routes if p.startswith("/aqsc/index")),
                "articles": sum(1 for p in self.routes if p.startswith(ARTICLE_PREFIX)),
                "attachments": sum(1 for p in self.routes if p.startswith(ATTACHMENT_PREFIX))}

    def sites_toml(self, delay: float = 0.05, timeout: float = 10, retries: int = 2, name: str = SITE_NAME,
                   recheck_days: float = 7) -> str:
        """A sites file for crawling this site."""
        return (
            "[crawl]\n"
            'user_agent = "duban/0.1 (+https://example.org/duban)"\n'
            f"delay = {delay}\n"
            f"timeout = {timeout}\n"
            f"retries = {retries}\n"
            f"backoff = {max(delay, 0.1)}\n"
            f"recheck_days = {recheck_days}\n\n"
            + self.site_table(name)
        )

    def site_table(self, name: str = SITE_NAME) -> str:
        """This site's ``[[site]]`` table, for a sites file that lists several demo sites."""
        return ("[[site]]\n"
                f'name = "{name}"\n'
                f'start = ["{self.start_url}"]\n'
                "follow = ['/aqsc/index_\\d+\\.html']\n"
                "articles = ['/aqsc/art/']\n"
                "max_pages = 500\n")

    def start(self) -> "DemoSite":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="duban-demo-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "DemoSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

