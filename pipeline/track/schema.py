"""Tables of the track stage (schema step 4).

- ``track_docs``: the index form of every document tracking has read (hashed
  term ids of its sentences, their offsets and section context, as arrays), so
  a nightly run reads new documents once and rebuilds the weights from arrays.
- ``track_directives``: which directives have been matched against the whole
  store; the others are new and are matched against everything on the next run.
- ``evidence``: one row per later sentence that speaks of a directive, with
  its document, offsets, status and score. A directive's overall status is
  derived from these rows and its deadline (``tracker.statuses``), never stored.

Every row carries the tracker version that made it: a run with a newer version
re-indexes and re-tracks from scratch.
"""


def migrate(db) -> None:
    db.execute(
        """
        CREATE TABLE track_docs (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            date INTEGER NOT NULL,
            sent_idx BLOB NOT NULL,
            starts BLOB NOT NULL,
            ends BLOB NOT NULL,
            context BLOB NOT NULL,
            ptr BLOB NOT NULL,
            terms BLOB NOT NULL,
            clause BLOB NOT NULL,
            tracker_version TEXT NOT NULL,
            indexed_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE track_directives (
            directive_id INTEGER PRIMARY KEY REFERENCES directives(id) ON DELETE CASCADE,
            tracker_version TEXT NOT NULL,
            tracked_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            directive_id INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            sent_idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'in_progress', 'mentioned')),
            score REAL NOT NULL,
            tracker_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (directive_id, doc_id, start)
        )
        """
    )
    db.execute("CREATE INDEX evidence_directive ON evidence(directive_id)")
    db.execute("CREATE INDEX evidence_doc ON evidence(doc_id)")


def migrate_links(db) -> None:
    """Schema step 7: follow-ups that are not found by their words (outcomes.py, lists.py).

    ``track_docs.outcome``: per sentence, the outcome indicators it reports (uint16
    bit masks), read when the document is indexed; NULL for rows of an older tracker,
    which the version check re-indexes. ``evidence.via``: what linked the sentence
    (text, outcome, list), shown beside the evidence so a person can judge it.
    """
    db.execute("ALTER TABLE track_docs ADD COLUMN outcome BLOB")
    db.execute("ALTER TABLE evidence ADD COLUMN via TEXT NOT NULL DEFAULT 'text' "
               "CHECK (via IN ('text', 'outcome', 'list'))")


def migrate_structure(db) -> None:
    """Schema step 9: what the pair model reads of a document's structure, and links passed down.

    ``track_docs.section`` (int32 per sentence, a position in ``sections``, -1 for none),
    ``sections`` (the document's section headings, JSON) and ``pos`` (float32 per sentence,
    where it stands in its part); NULL for rows of an older tracker, which the version check
    re-indexes. ``evidence.via`` may now also be ``downward`` (a document a level below that
    orders the task again: scope.py). SQLite cannot widen a CHECK in place, so the evidence
    table is rebuilt with its rows.
    """
    have = {row[1] for row in db.execute("PRAGMA table_info(track_docs)").fetchall()}
    for column, kind in (("section", "BLOB"), ("sections", "TEXT"), ("pos", "BLOB")):
        if column not in have:          # (a store whose version was set back keeps what it had)
            db.execute(f"ALTER TABLE track_docs ADD COLUMN {column} {kind}")
    db.execute(
        """
        CREATE TABLE evidence_new (
            id INTEGER PRIMARY KEY,
            directive_id INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            sent_idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'in_progress', 'mentioned')),
            score REAL NOT NULL,
            tracker_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            via TEXT NOT NULL DEFAULT 'text' CHECK (via IN ('text', 'outcome', 'list', 'downward')),
            UNIQUE (directive_id, doc_id, start)
        )
        """
    )
    db.execute('INSERT INTO evidence_new (id, directive_id, doc_id, sent_idx, start, "end", text, status, score, '
               'tracker_version, created_at, via) SELECT id, directive_id, doc_id, sent_idx, start, "end", text, '
               "status, score, tracker_version, created_at, via FROM evidence")
    db.execute("DROP TABLE evidence")
    db.execute("ALTER TABLE evidence_new RENAME TO evidence")
    db.execute("CREATE INDEX evidence_directive ON evidence(directive_id)")
    db.execute("CREATE INDEX evidence_doc ON evidence(doc_id)")


def migrate_revisions(db) -> None:
    """Schema step 14: the revision of the document a ``track_docs`` row read (``documents.revision``),
    so a document read again by a newer parser is indexed and matched again."""
    if "revision" not in db["track_docs"].columns_dict:
        db.execute("ALTER TABLE track_docs ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
