"""Crawled pages into documents: the ingest stage for what the crawler stored.

A page is pending while the hash of its stored bytes differs from the hash last
handed to ingest, so this is idempotent and resumable like the crawl: a run
killed between storing a page and ingesting it leaves the page pending, and one
killed after the document was saved but before the page was marked finds the
document again by its raw hash (``save_document`` never stores the same bytes
twice). Documents are re-made from the stored bytes, never by fetching again.

Articles over several pages
---------------------------
An article whose pager names continuation pages (:mod:`.pager`) becomes one
document: the pages' cleaned bodies joined in page order, its title, dates and the
rest read as from one long page (:func:`pipeline.parse.document.parse_pages`). Its
``raw_sha256`` is one hash over the parts' URLs and hashes, so the same pages are
the same document however often they are handed over, and a page that changed
makes a new one, as a changed single page does. The parts are found again from the
stored bytes each time (the pagers of the article and of its stored pages), so what
is stored and what is ingested cannot disagree. An article is pending when its own
bytes or those of one of its continuation pages (``pages.kind = 'continuation'``,
the article being their frontier referrer) were not handed to ingest yet; the
continuation pages are marked with the article's document and never become
documents of their own.

A page that has not arrived (not fetched yet, or its last fetch failed) holds the
whole article back: nothing is stored, the run's errors and the article's
``ingest_error`` name the missing page and why, and the article stays pending, so
the next night, which retries the failed page, stores it whole. Staff would rather
have a speech a night late than its first pages passed off as all of it: the
directives of the missing pages would be silently absent from tracking, and nothing
in a list of documents would say so. Only when a
missing page will not be asked again — given up after ``max_failures`` failed runs
(记为放弃), or refused by robots.txt — is the article stored from the pages there
are, marked ``partial`` = 1.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from ..ingest.pipeline import IngestReport, ingest_parsed, ingest_raw
from ..ingest.readers import InputError, read_bytes
from ..parse.document import parse_pages
from . import frontier, pages
from .config import CrawlSettings
from .pager import CONTINUATION, Stored, article_pages
from .schema import ensure

__all__ = ["ingest_pages", "pending_pages"]

INGESTED_KINDS = ("article", "attachment")
# Queue states of a page that will not be asked again: its article is stored without it.
FINAL_STATES = (frontier.GIVEN_UP, "skipped")

_CHANGED_CONTINUATIONS = (
    "SELECT f.referrer FROM pages c JOIN frontier f ON f.url = c.url WHERE c.kind = ? AND f.kind = ? "
    "AND c.raw IS NOT NULL AND (c.ingested_sha256 IS NULL OR c.ingested_sha256 != c.sha256)")


def pending_pages(db, force: bool = False) -> list[str]:
    """URLs of stored articles and attachments whose current bytes have not been ingested (all if ``force``).

    An article is pending too when one of its continuation pages changed or arrived.
    Last found first: list pages run newest first, so this ingests in publication order and
    the first copy of a re-posted text is the one that counts as the original.
    """
    ensure(db)
    clause, params = "", list(INGESTED_KINDS)
    if not force:
        clause = f"AND (ingested_sha256 IS NULL OR ingested_sha256 != sha256 OR url IN ({_CHANGED_CONTINUATIONS}))"
        params += [CONTINUATION, CONTINUATION]
    return [r[0] for r in db.conn.execute(
        f"SELECT url FROM pages WHERE kind IN (?, ?) AND raw IS NOT NULL {clause} ORDER BY rowid DESC",
        params).fetchall()]


def ingest_pages(db, report: IngestReport | None = None, force: bool = False,
                 on_page: Callable[[str], None] | None = None, settings: CrawlSettings | None = None) -> IngestReport:
    """Parse, extract and store every pending page; a bad page is reported and marked, never fatal.

    ``settings`` say how continuation pages are named (the sites file's ``[crawl]``).
    """
    report = report or IngestReport()
    settings = settings or CrawlSettings()
    for url in pending_pages(db, force):
        row = db.conn.execute("SELECT raw, content_type, sha256, kind, coalesce(final_url, url) FROM pages "
                              "WHERE url = ?", [url]).fetchone()
        first: Stored = (bytes(row[0]), row[1], row[4])
        parts = _parts(db, first, settings) if row[3] == "article" else []
        if parts:
            _ingest_article(db, url, row[2], first, parts, report)
        else:
            _ingest_page(db, url, first, row[2], report)
        if on_page:
            on_page(url)
    return report


def _guarded(db, digest: str, ingest: Callable[[], object]) -> tuple[int | None, str | None, bool]:
    """Run one ingest: (the stored document's id, None, False), or (None, why it failed, retry) — a bad
    page or a parser bug must not stop the night's batch. ``retry`` is True for a failure of the
    moment (the store busy with another run, a disk error): the page stays pending for the next run."""
    try:
        ingest()
        return _document_id(db, digest), None, False
    except InputError as exc:
        return None, str(exc), False
    except (sqlite3.OperationalError, OSError) as exc:
        if db.conn.in_transaction:
            db.conn.rollback()
        return None, f"处理失败：{type(exc).__name__}: {exc}（暂时性错误，下次运行重试）", True
    except Exception as exc:
        return None, f"处理失败：{type(exc).__name__}: {exc}", False


def _ingest_page(db, url: str, stored: Stored, digest: str, report: IngestReport) -> None:
    """One page, one document."""
    data, content_type, _ = stored
    doc_id, error, retry = _guarded(db, digest, lambda: ingest_raw(db, read_bytes(data, url, content_type=content_type),
                                                                   report))
    if error:
        report.errors.append((url, error))
    with db.conn:
        _mark(db, url, doc_id, None if retry else digest, error)


# --------------------------------------------------------------------------- articles over several pages


@dataclass(frozen=True)
class Part:
    """A continuation page of an article, as the store has it now."""

    page: int                  # 第几页: 2 for the first continuation page
    url: str
    sha256: str | None         # of the stored bytes; None: none stored
    error: str | None          # why its last fetch failed; None after a success
    state: str | None          # its frontier state; None: never queued

    @property
    def arrived(self) -> bool:
        return self.sha256 is not None and self.error is None

    @property
    def final(self) -> bool:
        """It will not be asked again, so the article must do without (or with its last good bytes)."""
        return self.state in FINAL_STATES

    def why_missing(self) -> str:
        if self.error:
            return f"抓取失败：{self.error}"
        return "尚未抓取"


def _parts(db, first: Stored, settings: CrawlSettings) -> list[Part]:
    """The article's continuation pages in order (none for a single-page article).

    A page walked as a list is never part of an article (the crawler does not queue one as such).
    """
    def is_list(url: str) -> bool:
        page = pages.get_page(db, url)
        return page is not None and page.kind == "list"

    numbered = article_pages(first, lambda url: None if is_list(url) else pages.get_raw(db, url), settings)
    parts = []
    for _, url in numbered:
        stored = pages.get_page(db, url)
        if stored is not None and stored.kind == "list":
            continue
        sha = stored.sha256 if stored and stored.has_raw else None
        parts.append(Part(len(parts) + 2, url, sha, stored.error if stored else None, frontier.state_of(db, url)))
    return parts


def _ingest_article(db, url: str, sha: str, first: Stored, parts: list[Part], report: IngestReport) -> None:
    """One document from the article's pages, or none yet while a page is still to come."""
    waiting = [p for p in parts if not p.arrived and not p.final]
    if waiting:
        error = _held_back(len(parts) + 1, waiting)
        report.errors.append((url, error))
        with db.conn:     # ingested_sha256 stays as it was: the article stays pending
            db.conn.execute("UPDATE pages SET ingest_error = ? WHERE url = ?", [error, url])
        return
    used = [p for p in parts if p.sha256 is not None]
    digest = _article_digest([(url, sha)] + [(p.url, p.sha256) for p in parts])

    def ingest() -> None:
        markups = [_markup(first, url, 1)] + [_markup(pages.get_raw(db, p.url), p.url, p.page) for p in used]
        doc = parse_pages(markups, url, digest)
        doc.partial = doc.partial or len(used) < len(parts)
        ingest_parsed(db, doc, report)

    doc_id, error, retry = _guarded(db, digest, ingest)
    if error:
        report.errors.append((url, error))
    with db.conn:
        _mark(db, url, doc_id, None if retry else sha, error)
        for part in used:
            _mark(db, part.url, doc_id, part.sha256, None)
        # Pages an earlier version of the pager named and this one does not: seen, not parts.
        db.conn.execute(
            "UPDATE pages SET ingested_sha256 = sha256 WHERE kind = ? AND raw IS NOT NULL AND url IN "
            "(SELECT url FROM frontier WHERE referrer = ? AND kind = ?)", [CONTINUATION, url, CONTINUATION])


def _held_back(total: int, waiting: list[Part]) -> str:
    """Why an article is not stored yet, naming each missing page (shown to staff as is)."""
    missing = "；".join(f"第 {p.page} 页{p.why_missing()}（{p.url}）" for p in waiting)
    return f"多页文章共 {total} 页，{missing}：整篇暂不入库，下次运行补齐后入库"


def _markup(stored: Stored | None, url: str, page: int) -> str:
    if stored is None:
        raise InputError(f"多页文章的第 {page} 页没有保存的内容（{url}）")
    data, content_type, _ = stored
    raw = read_bytes(data, url, content_type=content_type)
    if raw.fmt != "html":
        raise InputError(f"多页文章的第 {page} 页不是网页（{url}）")
    return raw.text


def _article_digest(parts: list[tuple[str, str | None]]) -> str:
    """``raw_sha256`` of an article put together from pages: one hash over each page's URL and hash."""
    listing = "\n".join(f"{url}\t{sha or '-'}" for url, sha in parts)
    return hashlib.sha256(f"pages\n{listing}".encode("utf-8")).hexdigest()


def _document_id(db, digest: str) -> int | None:
    found = db.conn.execute("SELECT id FROM documents WHERE raw_sha256 = ?", [digest]).fetchone()
    return found[0] if found else None


def _mark(db, url: str, doc_id: int | None, digest: str | None, error: str | None) -> None:
    """Record an ingest; ``digest`` None leaves the page pending for the next run."""
    db.conn.execute("UPDATE pages SET doc_id = ?, ingested_sha256 = ?, ingest_error = ? WHERE url = ?",
                    [doc_id, digest, error, url])
