"""Opening the store and migrating its schema.

Every stage reads and writes one SQLite file through sqlite-utils. The schema is
versioned with ``PRAGMA user_version`` and moved forward by the numbered
migrations below, so a store made by an older duban keeps its data when a newer
one opens it. WAL mode lets the web page read while the nightly run writes.

An office that shares a store gives a ``postgresql://`` URL instead of a path:
the same migrations then run on PostgreSQL through the adapter in ``pg.py``
(the version is kept in its ``duban_meta`` table), and every stage runs the
same SQL on it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from .dialect import is_postgres
from .pg import PgDatabase, is_postgres_url

DEFAULT_DB = "duban.db"


def default_db_path() -> str:
    """``$DUBAN_DB`` when set, else ``./duban.db``."""
    return os.environ.get("DUBAN_DB") or DEFAULT_DB


def _m1_documents(db: sqlite_utils.Database) -> None:
    """Documents as parsed, and the sentences of their outline."""
    db.execute(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            fmt TEXT NOT NULL,
            raw_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            duplicate_of INTEGER REFERENCES documents(id),
            title TEXT, date TEXT, published TEXT, place TEXT, level TEXT,
            speaker TEXT, speaker_role TEXT, meeting TEXT, kind TEXT,
            partial INTEGER NOT NULL DEFAULT 0,
            no_body INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL,
            analysis TEXT NOT NULL,
            minhash BLOB,
            parser_version TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX documents_raw ON documents(raw_sha256)")
    db.execute("CREATE INDEX documents_text ON documents(text_sha256)")
    db.execute("CREATE INDEX documents_date ON documents(date)")
    db.execute(
        """
        CREATE TABLE doc_bands (
            band INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE
        )
        """
    )
    db.execute("CREATE INDEX doc_bands_key ON doc_bands(band, hash)")
    db.execute(
        """
        CREATE TABLE sentences (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            para INTEGER NOT NULL,
            heading_level INTEGER,
            heading_path TEXT NOT NULL,
            PRIMARY KEY (doc_id, idx)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            counts TEXT NOT NULL DEFAULT '{}',
            errors TEXT NOT NULL DEFAULT '[]'
        )
        """
    )


def _m2_directives(db: sqlite_utils.Database) -> None:
    """Directives found in documents, traceable to their offsets."""
    db.execute(
        """
        CREATE TABLE directives (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            sectors TEXT NOT NULL DEFAULT '[]',
            parties TEXT NOT NULL DEFAULT '[]',
            party_types TEXT NOT NULL DEFAULT '[]',
            deadline_text TEXT, deadline_kind TEXT, deadline_date TEXT,
            heading_path TEXT NOT NULL DEFAULT '[]',
            same_task_as INTEGER REFERENCES directives(id),
            score REAL,
            extractor_version TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX directives_doc ON directives(doc_id, start)")
    db.execute("CREATE INDEX directives_deadline ON directives(deadline_date)")


def _m10_directive_safety(db: sqlite_utils.Database) -> None:
    """Whether a directive is work safety (spec directives.md §2). Rows made before the field are
    counted as safety work until the extract stage re-reads their documents, so nothing vanishes
    from the lists on upgrade."""
    if "safety" not in db["directives"].columns_dict:
        db.execute("ALTER TABLE directives ADD COLUMN safety INTEGER NOT NULL DEFAULT 1")


def _m13_document_inputs(db: sqlite_utils.Database) -> None:
    """What each document was parsed from (its text or markup, an article's pages), compressed, so a
    newer parser can read it again; and the document's revision, raised by each reading after the
    first, so the stages that index its body know to read it again. Documents stored before this step
    have no inputs and keep what they were parsed as."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS document_inputs (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            inputs BLOB NOT NULL
        )
        """
    )
    if "revision" not in db["documents"].columns_dict:
        db.execute("ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")


def _stage(module: str, function: str = "migrate") -> Callable[[sqlite_utils.Database], None]:
    """A migration that lives with the stage owning the tables (``<module>.<function>``)."""

    def step(db: sqlite_utils.Database) -> None:
        import importlib

        getattr(importlib.import_module(module), function)(db)

    step.__name__ = f"{function}_{module.rsplit('.', 2)[-2]}"
    return step


# The order is the schema's history: append, never reorder or remove.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_documents,
    _m2_directives,
    _stage("pipeline.crawl.schema"),     # 3: pages, frontier
    _stage("pipeline.track.schema"),     # 4: evidence, tracking state
    _stage("pipeline.search.schema"),    # 5: full-text index
    _stage("pipeline.corrections.schema"),   # 6: corrections
    _stage("pipeline.track.schema", "migrate_links"),   # 7: outcome masks, evidence.via
    _stage("pipeline.corrections.schema", "migrate_carries"),   # 8: corrections carried to re-cut sentences, new versions
    _stage("pipeline.track.schema", "migrate_structure"),   # 9: section headings and positions, links passed down
    _m10_directive_safety,                                     # 10: directives.safety
    _stage("pipeline.web.schema", "migrate_users"),   # 11: users who may sign in to the web page
    _stage("pipeline.corrections.schema", "migrate_party_types"),   # 12: unit types of corrected parties
    _m13_document_inputs,                                      # 13: what documents were parsed from, revisions
    _stage("pipeline.track.schema", "migrate_revisions"),      # 14: the revision of a document tracking read
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Run every migration newer than the store's version, each in its own transaction."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"数据库版本 {current} 比本程序支持的版本 {len(MIGRATIONS)} 新，请升级 duban"
        )
    ran = False
    for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
        db.execute("BEGIN IMMEDIATE")
        # Another process (a second ingest on a new store) may have applied it while we waited for the lock.
        if db.execute("PRAGMA user_version").fetchone()[0] >= number:
            db.conn.commit()
            continue
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
        ran = True
    if ran and is_postgres(db):
        # A step that copies rows with their ids (evidence, step 9) leaves the identity behind them.
        db.sync_sequences()
    return len(MIGRATIONS)


def _use_wal(db: sqlite_utils.Database, wait_s: float = 30.0) -> None:
    """Put the store in WAL mode, waiting for a second process that opens a new store at the same time.

    Changing the journal mode needs the file to itself, and SQLite answers "database is locked" at
    once rather than through the busy timeout when another connection is opening it (two ingests
    started together on a new store): so ask only when the mode is not WAL yet, and retry."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_db(path: str | os.PathLike | None = None) -> sqlite_utils.Database | PgDatabase:
    """Open (creating when missing) and migrate the store at ``path`` (a file, or a ``postgresql://`` URL).

    Both answer the same calls (``execute``, ``conn``, ``table_names()``, ``dialect``), so a stage
    never asks which it has, except where a statement differs in kind (full-text search, triggers).
    """
    target_name = os.fspath(path) if path else default_db_path()
    if is_postgres_url(target_name):
        pg = PgDatabase(target_name)
        try:
            migrate(pg)
        except BaseException:
            pg.close()
            raise
        return pg
    target = Path(target_name)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.dialect = "sqlite"
    _use_wal(db)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    # A 64 MB page cache (SQLite's default is 2 MB): the nightly run writes hundreds of thousands of
    # evidence rows into tables with unique indexes, which took twice as long with the default.
    db.execute("PRAGMA cache_size = -65536")
    migrate(db)
    return db
