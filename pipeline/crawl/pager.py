"""Continuation pages of an article: where a site split a long article over several pages.

Government CMSs cut long speeches and work reports into pages: the article
``.../art_123_456.html`` goes on at ``art_123_456_1.html``, ``_2.html`` (a folder's
``index.html`` at ``index_1.html``; other sites add ``?page=2``), linked from the
article's own pager (上一页 1 2 3 下一页 尾页) or written by a script,
``createPageHTML(3, 0, "art_123_456", "html")``.

A continuation page is recognised by its URL, not by the pager's markup or link
texts: it lies in the article's folder and its name is the article's name in one
of the ``continuation`` forms of the sites file (:data:`.config.DEFAULT_CONTINUATION`).
Pager markup varies from site to site (``page``, ``pages``, ``fenye``, a table, a
script), but a link named after the article's own stem is that article's and no
other's, so "related articles" boxes and the list pages' pagination are never
taken for part of the article.

Page numbers from 1 up to ``max_article_pages - 1`` are followed (page 1 is the
article itself); a pager promising more is a trap or a broken script. A windowed
pager (1 2 3 4 5 … 尾页) shows only some numbers: each continuation page's pager
adds the ones near it, so the crawler reads the pager of every page it fetches,
and :func:`article_pages` takes the union over the stored pages.

Functions of bytes only: the crawler uses them to queue the pages, the ingest
stage to put them back together from the stored bytes, and both find the same set.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .config import CrawlSettings
from .links import html_markup, links_in
from .urls import normalise_url

__all__ = ["CONTINUATION", "PAGER_SCRIPT", "Stored", "article_pages", "continuations"]

# ``pages.kind`` and ``frontier.kind`` of a continuation page (the referrer is its article).
CONTINUATION = "continuation"

# createPageHTML(count, current, "stem", "ext"), the TRS pager script; some templates pass the
# pager's element id first: createPageHTML('page_div', 3, 0, 'art_123_456', 'html', 40).
PAGER_SCRIPT = re.compile(
    r"""createPageHTML\(\s*(?:["'][^"']*["']\s*,\s*)?(\d{1,6})\s*,\s*(\d{1,6})\s*,\s*["']([^"']+)["']\s*,"""
    r"""\s*["']([A-Za-z0-9]{1,8})["']""")
# The file name a folder URL (.../t20250305_123/) stands for.
FOLDER_STEM = "index"
FOLDER_EXT = r"\.s?html?"

Stored = tuple[bytes, str | None, str]      # (raw bytes, content type, URL they were served at)


@dataclass(frozen=True)
class _ArticleName:
    folder: str       # scheme://netloc/path/ up to and including the last '/'
    name: str         # last path segment ('' for a folder URL)
    stem: str
    ext: str          # with its dot; '' when none
    query: str


def _split(url: str) -> _ArticleName:
    parts = urlsplit(normalise_url(url))
    folder, _, name = parts.path.rpartition("/")
    suffix = PurePosixPath(name).suffix if name else ""
    stem = name[: len(name) - len(suffix)] if name else FOLDER_STEM
    return _ArticleName(f"{parts.scheme}://{parts.netloc}{folder}/", name, stem, suffix, parts.query)


@lru_cache(maxsize=256)
def _forms(article_url: str, templates: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The ``continuation`` forms as regexes over "name?query", filled in with the article's name."""
    art = _split(article_url)
    values = {"stem": re.escape(art.stem), "ext": re.escape(art.ext) if art.name else FOLDER_EXT,
              "name": re.escape(art.name), "query": re.escape(art.query), "n": r"(\d{1,4})"}
    out = []
    for template in templates:
        pattern = "".join(re.escape(literal) + (values[field] if field else "")
                          for literal, field, _, _ in string.Formatter().parse(template))
        out.append(re.compile(pattern))
    return tuple(out)


def _number(url: str, article_url: str, settings: CrawlSettings) -> int | None:
    """The page number of ``url`` if it is a continuation page of ``article_url``."""
    art, other = _split(article_url), _split(url)
    if other.folder != art.folder:
        return None
    tail = other.name + (f"?{other.query}" if other.query else "")
    for form in _forms(article_url, settings.continuation):
        m = form.fullmatch(tail)
        if m:
            return int(m.group(1))
    return None


def continuations(data: bytes, content_type: str | None, page_url: str, article_url: str,
                  settings: CrawlSettings) -> list[tuple[int, str]]:
    """(page number, URL) of the continuation pages of ``article_url`` that one page names, in order.

    ``page_url`` is where these bytes were served (the article or one of its continuation
    pages: links resolve against it); ``article_url`` is where the article's first page was
    served (after redirects), whose name the continuation pages carry.
    """
    if settings.max_article_pages <= 1:
        return []
    markup = html_markup(data, content_type, page_url)
    if markup is None:
        return []
    found: dict[str, int] = {}
    for link in links_in(markup, page_url):
        n = _number(link.url, article_url, settings)
        if n is not None:
            found.setdefault(link.url, n)
    for url, n in _scripted(markup, article_url, settings.max_article_pages):
        found.setdefault(url, n)
    own = normalise_url(article_url)
    return sorted(((n, url) for url, n in found.items() if 1 <= n < settings.max_article_pages and url != own),
                  key=lambda item: (item[0], item[1]))


def _scripted(markup: str, article_url: str, max_pages: int) -> list[tuple[str, int]]:
    """Pages a createPageHTML(count, current, stem, ext) call names, when its stem is the article's."""
    art = _split(article_url)
    out = []
    for m in PAGER_SCRIPT.finditer(markup):
        count, stem, ext = int(m.group(1)), m.group(3), m.group(4)
        if stem != art.stem:
            continue        # another pager on the page (a comment list, a related-articles box)
        out += [(normalise_url(f"{art.folder}{stem}_{i}.{ext}"), i) for i in range(1, min(count, max_pages))]
    return out


def article_pages(article: Stored, load: Callable[[str], Stored | None],
                  settings: CrawlSettings) -> list[tuple[int, str]]:
    """(page number, URL) of every continuation page of a stored article, in page order.

    The union of what the pagers of the article and of its stored continuation pages
    name (``load(url)`` gives a page's stored bytes, or None); at most
    ``max_article_pages - 1`` of them.
    """
    article_url = article[2]
    found: dict[str, int] = {}
    todo = [article]
    while todo:
        data, content_type, served_at = todo.pop()
        for n, url in continuations(data, content_type, served_at, article_url, settings):
            if url in found:
                continue
            found[url] = n
            stored = load(url)
            if stored is not None:
                todo.append(stored)
    ordered = sorted(((n, url) for url, n in found.items()), key=lambda item: (item[0], item[1]))
    return ordered[: settings.max_article_pages - 1]
