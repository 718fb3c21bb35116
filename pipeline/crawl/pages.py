"""Reading and writing ``pages`` rows: what each URL gave on its last fetch.

The writers run inside the caller's transaction (they never commit), so a page's
row, the links found on it and its frontier state are stored together or not at all.
A failure or a 304 never touches the raw bytes of the last good fetch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .fetcher import FetchResult
from ..store.runs import now_iso

__all__ = ["Page", "get_page", "get_raw", "record_body", "record_failure", "record_not_modified"]


@dataclass(frozen=True)
class Page:
    url: str
    site: str
    kind: str
    final_url: str | None
    fetched_at: str | None
    status: int | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    has_raw: bool
    content_type: str | None
    error: str | None
    failures: int


_COLUMNS = ("url, site, kind, final_url, fetched_at, status, etag, last_modified, sha256, raw IS NOT NULL, "
            "content_type, error, failures")


def get_page(db, url: str) -> Page | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM pages WHERE url = ?", [url]).fetchone()
    return Page(*row[:9], bool(row[9]), *row[10:]) if row else None


def get_raw(db, url: str) -> tuple[bytes, str | None, str] | None:
    """(raw bytes, content type, final URL) of the last good fetch, if any."""
    row = db.conn.execute("SELECT raw, content_type, coalesce(final_url, url) FROM pages WHERE url = ?",
                          [url]).fetchone()
    return (bytes(row[0]), row[1], row[2]) if row and row[0] is not None else None


def _ensure_row(db, url: str, site: str, kind: str) -> None:
    db.conn.execute("INSERT OR IGNORE INTO pages (url, site, kind) VALUES (?, ?, ?)", [url, site, kind])


def record_body(db, url: str, site: str, kind: str, result: FetchResult) -> bool:
    """Store a 2xx; True when the bytes are new or differ from the stored ones."""
    content = result.content or b""
    digest = hashlib.sha256(content).hexdigest()
    _ensure_row(db, url, site, kind)
    old = db.conn.execute("SELECT sha256, raw IS NOT NULL FROM pages WHERE url = ?", [url]).fetchone()
    changed = not (old and old[0] == digest and old[1])
    now = now_iso()
    db.conn.execute(
        "UPDATE pages SET kind = ?, final_url = ?, fetched_at = ?, status = ?, etag = ?, last_modified = ?, "
        "content_type = ?, error = NULL, attempts = ?, failures = 0 WHERE url = ?",
        [kind, result.final_url, now, result.status, result.headers.get("etag"),
         result.headers.get("last-modified"), result.headers.get("content-type"), result.attempts, url])
    if changed:
        db.conn.execute("UPDATE pages SET sha256 = ?, raw = ?, changed_at = ? WHERE url = ?",
                        [digest, content, now, url])
    return changed


def record_not_modified(db, url: str, site: str, kind: str, result: FetchResult) -> None:
    """A 304: the stored bytes stand; new validators, if the server sent any, replace the old."""
    _ensure_row(db, url, site, kind)
    db.conn.execute(
        "UPDATE pages SET final_url = ?, fetched_at = ?, status = 304, etag = coalesce(?, etag), "
        "last_modified = coalesce(?, last_modified), error = NULL, attempts = ?, failures = 0 WHERE url = ?",
        [result.final_url, now_iso(), result.headers.get("etag"), result.headers.get("last-modified"),
         result.attempts, url])


def record_failure(db, url: str, site: str, kind: str, result: FetchResult) -> None:
    """Why the fetch failed; the last good bytes, if any, are kept."""
    _ensure_row(db, url, site, kind)
    db.conn.execute(
        "UPDATE pages SET final_url = ?, fetched_at = ?, status = ?, error = ?, attempts = ?, "
        "failures = failures + 1 WHERE url = ?",
        [result.final_url, now_iso(), result.status, result.error, result.attempts, url])
