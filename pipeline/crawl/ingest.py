"""Crawled pages into documents: the ingest stage for what the crawler stored.

A page is pending while the hash of its stored bytes differs from the hash last
handed to ingest, so this is idempotent and resumable like the crawl: a run
killed between storing a page and ingesting it leaves the page pending, and one
killed after the document was saved but before the page was marked finds the
document again by its raw hash (``save_document`` never stores the same bytes
twice). Documents are re-made from the stored bytes, never by fetching again.
"""

from __future__ import annotations

from collections.abc import Callable

from ..ingest.pipeline import IngestReport, ingest_raw
from ..ingest.readers import InputError, read_bytes
from .schema import ensure

__all__ = ["ingest_pages", "pending_pages"]

INGESTED_KINDS = ("article", "attachment")


def pending_pages(db, force: bool = False) -> list[str]:
    """URLs of stored articles and attachments whose current bytes have not been ingested (all if ``force``).

    Last found first: list pages run newest first, so this ingests in publication order and
    the first copy of a re-posted text is the one that counts as the original.
    """
    ensure(db)
    clause = "" if force else "AND (ingested_sha256 IS NULL OR ingested_sha256 != sha256)"
    return [r[0] for r in db.conn.execute(
        f"SELECT url FROM pages WHERE kind IN (?, ?) AND raw IS NOT NULL {clause} ORDER BY rowid DESC",
        list(INGESTED_KINDS)).fetchall()]


def ingest_pages(db, report: IngestReport | None = None, force: bool = False,
                 on_page: Callable[[str], None] | None = None) -> IngestReport:
    """Parse, extract and store every pending page; a bad page is reported and marked, never fatal."""
    report = report or IngestReport()
    for url in pending_pages(db, force):
        row = db.conn.execute("SELECT raw, content_type, sha256 FROM pages WHERE url = ?", [url]).fetchone()
        data, content_type, digest = bytes(row[0]), row[1], row[2]
        doc_id, error = None, None
        try:
            ingest_raw(db, read_bytes(data, url, content_type=content_type), report)
            found = db.conn.execute("SELECT id FROM documents WHERE raw_sha256 = ?", [digest]).fetchone()
            doc_id = found[0] if found else None
        except InputError as exc:
            error = str(exc)
        except Exception as exc:  # a parser bug must not stop the night's batch
            error = f"处理失败：{type(exc).__name__}: {exc}"
        if error:
            report.errors.append((url, error))
        with db.conn:
            db.conn.execute("UPDATE pages SET doc_id = ?, ingested_sha256 = ?, ingest_error = ? WHERE url = ?",
                            [doc_id, digest, error, url])
        if on_page:
            on_page(url)
    return report
