"""Links on a fetched page, and what the site's rules make of each.

A list page yields more list pages (the ``follow`` regexes, and any link whose
text says 下一页 — pagination that no regex anticipated), articles (the
``articles`` regexes) and attachments (links to .docx/.pdf files). An article
page (and each of its continuation pages) yields only its attachments: "related
articles" boxes would otherwise walk the whole site; its own pager is read by
:mod:`.pager`. Links to other hosts are dropped here, before anything could
request them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..ingest.readers import InputError, read_bytes
from .config import CrawlSettings, Site
from .urls import join

__all__ = ["Link", "classify", "extract_links", "html_markup", "is_html", "links_in"]


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def is_html(data: bytes, content_type: str | None) -> bool:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return True
    if mime and mime != "text/plain" and not mime.startswith("application/octet"):
        return False
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")) or b"<html" in head


def html_markup(data: bytes, content_type: str | None, page_url: str) -> str | None:
    """The decoded markup of an HTML page; None for anything else or bytes that do not decode."""
    if not is_html(data, content_type):
        return None
    try:
        markup = read_bytes(data, page_url, fmt="html", content_type=content_type).text
    except InputError:
        return None
    return re.sub(r"^\s*<\?xml[^>]*>", "", markup)    # lxml refuses str input with an encoding declaration


def extract_links(data: bytes, content_type: str | None, page_url: str) -> list[Link]:
    """Every http(s) link of an HTML page, resolved (``<base href>`` honoured), in page order."""
    markup = html_markup(data, content_type, page_url)
    return links_in(markup, page_url) if markup is not None else []


def links_in(markup: str, page_url: str) -> list[Link]:
    """Every http(s) link of decoded ``markup`` served at ``page_url``, resolved, in page order."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
    base = page_url
    for tag in root.iter("base"):
        href = tag.get("href")
        if href:
            base = join(page_url, href) or page_url
            break
    links: list[Link] = []
    for tag in root.iter("a", "area"):
        href = tag.get("href")
        url = join(base, href) if href else None
        if url:
            text = " ".join((tag.text_content() if tag.tag == "a" else "").split()) or (tag.get("title") or "")
            links.append(Link(url, text))
    return links


def _suffix(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def _is_next_page(text: str, words: tuple[str, ...]) -> bool:
    """"下一页", "[下一页]", "下一页>>" …: the word alone, give or take brackets and arrows."""
    core = re.sub(r"[\W_]+", "", text)
    return core in words


def classify(link: Link, site: Site, settings: CrawlSettings, from_kind: str) -> str | None:
    """'list', 'article', 'attachment' or None (not to be fetched) for a link found on a ``from_kind`` page."""
    if not site.allows_host(link.url):
        return None
    is_attachment = _suffix(link.url) in settings.attachments
    if from_kind == "list":
        if is_attachment:
            return "attachment"
        if site.is_list(link.url) or _is_next_page(link.text, settings.next_page):
            return "list"
        if site.is_article(link.url):
            return "article"
        return None
    if from_kind in ("article", "continuation"):
        return "attachment" if is_attachment else None
    return None
