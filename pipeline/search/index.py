"""Keeping the full-text index in step with the directives and documents.

Triggers (``schema.py``) take deleted rows out and queue new ones; this module
segments the queue. It is cheap when nothing is queued, so the search calls it
first and a re-extracted document is searchable at once. A change of the
tokenizer (its version, or the sector words it was given) rebuilds everything.

In PostgreSQL the rows are tsvector literals (``pgfts.py``) instead of
space-joined words; the queue, the batches and the rebuild are the same.
"""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache

from ..store.dialect import is_postgres
from . import pgfts
from .facets import facet_text
from .schema import directives_fts_columns, directives_fts_ddl
from .tokenize import index_text, signature

BATCH = 2000


@lru_cache(maxsize=1)
def _signature() -> str:
    return signature()


def _context(heading_path: str | None) -> str:
    try:
        headings = json.loads(heading_path or "[]")
    except ValueError:
        headings = []
    return index_text(" ".join(h for h in headings if isinstance(h, str)))


def pending(db) -> bool:
    """Whether anything waits to be indexed (or the index was built by another tokenizer)."""
    if db.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone():
        return True
    row = db.execute("SELECT value FROM search_meta WHERE key = 'tokenizer'").fetchone()
    if (row[0] if row else None) != _signature():
        return True
    return [r[1] for r in db.execute("PRAGMA table_info(directives_fts)").fetchall()] != directives_fts_columns(db)


def _check_tokenizer(db, rebuild: bool) -> bool:
    """Queue everything again when the index was made with other words; True when it did."""
    row = db.execute("SELECT value FROM search_meta WHERE key = 'tokenizer'").fetchone()
    columns = [r[1] for r in db.execute("PRAGMA table_info(directives_fts)").fetchall()]
    expected = directives_fts_columns(db)
    if not rebuild and row and row[0] == _signature() and columns == expected:
        return False
    db.execute("BEGIN IMMEDIATE")
    try:
        if columns != expected:       # a store indexed by an earlier layout of this table
            db.execute("DROP TABLE directives_fts")
            for statement in directives_fts_ddl(db):
                db.execute(statement)
        db.execute("DELETE FROM directives_fts")
        db.execute("DELETE FROM documents_fts")
        db.execute("INSERT OR IGNORE INTO search_pending (kind, id) SELECT 'directive', id FROM directives")
        db.execute("INSERT OR IGNORE INTO search_pending (kind, id) SELECT 'document', id FROM documents")
        db.execute("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('tokenizer', ?)", [_signature()])
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
    return True


def _directive_row(r: tuple) -> tuple:
    return r[0], index_text(r[1]), _context(r[2]), facet_text(*r[3:10])


def _document_row(r: tuple) -> tuple:
    return r[0], index_text(r[1]), index_text(r[2])


def _directive_row_pg(r: tuple) -> tuple:
    """PostgreSQL: the sentence's words (weight A) and its headings' (B) in one tsvector, the facets in another."""
    return (r[0], pgfts.tsvector((index_text(r[1]), "A"), (_context(r[2]), "B")),
            pgfts.lexemes(facet_text(*r[3:10])))


def _document_row_pg(r: tuple) -> tuple:
    """PostgreSQL: the title's words (weight A), then the body's (B)."""
    return r[0], pgfts.tsvector((index_text(r[1]), "A"), (index_text(r[2]), "B"))


class _Segmenter:
    """Segmentation in this process, or in a pool of processes for a big backlog (jieba is the cost)."""

    def __init__(self, workers: int):
        self.pool = None
        if workers > 1:
            import multiprocessing

            self.pool = multiprocessing.get_context("fork").Pool(workers)

    def map(self, fn, rows: list[tuple]) -> list[tuple]:
        if self.pool is None or len(rows) < 1000:
            return [fn(r) for r in rows]
        return self.pool.map(fn, rows, chunksize=max(1, len(rows) // (self.pool._processes * 4)))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


def _drain(db, kind: str, select: str, insert: str, make_row, batch: int, segmenter: "_Segmenter") -> int:
    """Index queued rows of one kind, one batch per write transaction."""
    done = 0
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM search_pending WHERE kind = ? ORDER BY id LIMIT ?", [kind, batch]).fetchall()]
            if not ids:
                db.conn.commit()
                return done
            marks = ",".join("?" * len(ids))
            rows = db.execute(select.format(marks=marks), ids).fetchall()
            table = "directives_fts" if kind == "directive" else "documents_fts"
            db.conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(r[0],) for r in rows])
            db.conn.executemany(insert, segmenter.map(make_row, rows))
            db.conn.executemany("DELETE FROM search_pending WHERE kind = ? AND id = ?", [(kind, i) for i in ids])
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
        done += len(rows)


def update_index(db, rebuild: bool = False, batch: int = BATCH, workers: int = 1) -> dict:
    """Index every queued directive and document; returns what it did (for the nightly run's log).

    ``workers`` > 1 segments in that many processes: worth it for a first
    build of a big store, not for a night's few new rows.
    """
    rebuilt = _check_tokenizer(db, rebuild)
    if is_postgres(db):
        rows = ("INSERT INTO directives_fts (rowid, words, facets) VALUES (?, CAST(? AS tsvector), CAST(? AS tsvector))",
                _directive_row_pg,
                "INSERT INTO documents_fts (rowid, words) VALUES (?, CAST(? AS tsvector))", _document_row_pg)
    else:
        rows = ("INSERT INTO directives_fts (rowid, words, context, facets) VALUES (?, ?, ?, ?)", _directive_row,
                "INSERT INTO documents_fts (rowid, title, words) VALUES (?, ?, ?)", _document_row)
    segmenter = _Segmenter(workers)
    try:
        directives = _drain(
            db, "directive",
            "SELECT d.id, d.text, d.heading_path, COALESCE(cc.sectors, d.sectors), COALESCE(cc.parties, d.parties), "
            "COALESCE(cc.party_types, d.party_types), doc.place, doc.kind, COALESCE(doc.date, doc.published), "
            "CASE WHEN cc.deadline IS NOT NULL THEN json_extract(cc.deadline, '$.date') ELSE d.deadline_date END "
            "FROM directives d JOIN documents doc ON doc.id = d.doc_id "
            "LEFT JOIN corrections_current cc ON cc.doc_sha256 = doc.text_sha256 AND cc.text_sha256 = d.text_sha256 "
            "WHERE d.id IN ({marks})",
            rows[0], rows[1], batch if workers <= 1 else batch * 10, segmenter)
        documents = _drain(
            db, "document",
            "SELECT id, title, body FROM documents WHERE id IN ({marks})",
            rows[2], rows[3], max(1, batch // 20), segmenter)
    finally:
        segmenter.close()
    return {"directives": directives, "documents": documents, "rebuilt": rebuilt}


def ensure_index(db) -> None:
    """Bring the index up to date before a search; a read-only store is searched as it is."""
    try:
        if pending(db):
            update_index(db)
    except sqlite3.OperationalError as exc:
        if not any(word in str(exc) for word in ("readonly", "read-only", "permission denied")):
            raise
