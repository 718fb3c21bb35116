"""Tables of the search stage (schema step 5): the full-text index and its queue.

The index holds jieba words (see ``tokenize.py``), which SQL cannot compute, so
triggers cannot fill it. They do the part SQL can: a deleted or changed
directive leaves the index at once (no stale hit can point at a row that
re-extraction replaced), and a new one is queued in ``search_pending``.
``index.update_index`` — run by the nightly job and before every search —
segments what is queued. Rows are keyed by the directive's and document's own
ids, which is safe because a deletion always removes the index row first.

In PostgreSQL (``db.dialect == "postgresql"``) the index tables are ordinary
tables with a ``rowid`` key and tsvector columns (``pgfts.py``): the words of
the sentence and its headings in one weighted column, the facet tokens in
another, each with a GIN index; the triggers are PL/pgSQL functions doing
what the SQLite ones do.
"""

from __future__ import annotations

from ..store.dialect import is_postgres, pg_trigger

# Columns: the sentence's words; its heading path's (weighted lower when ranking); and facet
# tokens (sector, party, place, kind — see ``facets.py``) that let FTS5 do the filtering too.
DIRECTIVES_FTS = "CREATE VIRTUAL TABLE directives_fts USING fts5(words, context, facets, tokenize = 'unicode61')"
DIRECTIVES_FTS_COLUMNS = ["words", "context", "facets"]

TRIGGERS = """
CREATE TRIGGER search_directive_ins AFTER INSERT ON directives BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'directive', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'directive' AND id = new.id);
END;
CREATE TRIGGER search_directive_del AFTER DELETE ON directives BEGIN
    DELETE FROM directives_fts WHERE rowid = old.id;
    DELETE FROM search_pending WHERE kind = 'directive' AND id = old.id;
END;
CREATE TRIGGER search_directive_upd AFTER UPDATE OF text, heading_path, sectors, parties, party_types, doc_id
    ON directives BEGIN
    DELETE FROM directives_fts WHERE rowid = old.id;
    INSERT INTO search_pending (kind, id) SELECT 'directive', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'directive' AND id = new.id);
END;
CREATE TRIGGER search_document_ins AFTER INSERT ON documents BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'document', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'document' AND id = new.id);
END;
CREATE TRIGGER search_document_facets AFTER UPDATE OF place, kind, date, published ON documents BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'directive', d.id FROM directives d
        WHERE d.doc_id = new.id
          AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.kind = 'directive' AND p.id = d.id);
END;
CREATE TRIGGER search_document_del AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.id;
    DELETE FROM search_pending WHERE kind = 'document' AND id = old.id;
END;
CREATE TRIGGER search_document_upd AFTER UPDATE OF title, body ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = old.id;
    INSERT INTO search_pending (kind, id) SELECT 'document', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'document' AND id = new.id);
END;
"""


# PostgreSQL: the words (sentence A, headings B) and the facets, as tsvectors (see pgfts.py).
PG_DIRECTIVES_FTS = [
    "CREATE TABLE directives_fts (rowid BIGINT PRIMARY KEY, words TSVECTOR NOT NULL, facets TSVECTOR NOT NULL)",
    "CREATE INDEX directives_fts_words ON directives_fts USING gin (words)",
    "CREATE INDEX directives_fts_facets ON directives_fts USING gin (facets)",
]
PG_DIRECTIVES_FTS_COLUMNS = ["rowid", "words", "facets"]
PG_DOCUMENTS_FTS = [
    "CREATE TABLE documents_fts (rowid BIGINT PRIMARY KEY, words TSVECTOR NOT NULL)",
    "CREATE INDEX documents_fts_words ON documents_fts USING gin (words)",
]

_QUEUE = ("INSERT INTO search_pending (kind, id) VALUES ('{kind}', {id}) ON CONFLICT DO NOTHING;")
# (trigger, event and table, body) — the SQLite triggers above, one by one.
PG_TRIGGERS = [
    ("search_directive_ins", "AFTER INSERT ON directives", _QUEUE.format(kind="directive", id="NEW.id")),
    ("search_directive_del", "AFTER DELETE ON directives",
     "DELETE FROM directives_fts WHERE rowid = OLD.id; "
     "DELETE FROM search_pending WHERE kind = 'directive' AND id = OLD.id;"),
    ("search_directive_upd",
     "AFTER UPDATE OF text, heading_path, sectors, parties, party_types, doc_id ON directives",
     "DELETE FROM directives_fts WHERE rowid = OLD.id; " + _QUEUE.format(kind="directive", id="NEW.id")),
    ("search_document_ins", "AFTER INSERT ON documents", _QUEUE.format(kind="document", id="NEW.id")),
    ("search_document_facets", "AFTER UPDATE OF place, kind, date, published ON documents",
     "INSERT INTO search_pending (kind, id) SELECT 'directive', d.id FROM directives d WHERE d.doc_id = NEW.id "
     "ON CONFLICT DO NOTHING;"),
    ("search_document_del", "AFTER DELETE ON documents",
     "DELETE FROM documents_fts WHERE rowid = OLD.id; "
     "DELETE FROM search_pending WHERE kind = 'document' AND id = OLD.id;"),
    ("search_document_upd", "AFTER UPDATE OF title, body ON documents",
     "DELETE FROM documents_fts WHERE rowid = OLD.id; " + _QUEUE.format(kind="document", id="NEW.id")),
]


def directives_fts_ddl(db) -> list[str]:
    """The statements that create the directives' index table in this store."""
    return PG_DIRECTIVES_FTS if is_postgres(db) else [DIRECTIVES_FTS]


def directives_fts_columns(db) -> list[str]:
    """The columns ``PRAGMA table_info(directives_fts)`` lists when the table has today's layout."""
    return PG_DIRECTIVES_FTS_COLUMNS if is_postgres(db) else DIRECTIVES_FTS_COLUMNS


def _migrate_postgres(db) -> None:
    for statement in PG_DIRECTIVES_FTS + PG_DOCUMENTS_FTS:
        db.execute(statement)
    db.execute("CREATE TABLE search_pending (kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id)) "
               "WITHOUT ROWID")
    db.execute("CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for name, event, body in PG_TRIGGERS:
        for statement in pg_trigger(name, event, body):
            db.execute(statement)
    db.execute("INSERT INTO search_pending (kind, id) SELECT 'directive', id FROM directives")
    db.execute("INSERT INTO search_pending (kind, id) SELECT 'document', id FROM documents")


def migrate(db) -> None:
    """Schema step 5: FTS5 tables over space-joined jieba words, the queue, and what built them."""
    if is_postgres(db):
        _migrate_postgres(db)
        return
    db.execute(DIRECTIVES_FTS)
    db.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, words, tokenize = 'unicode61')")
    db.execute(
        "CREATE TABLE search_pending (kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for statement in TRIGGERS.split("END;"):
        if statement.strip():
            db.execute(statement + "END;")
    # A store that already holds rows is indexed by the next update_index().
    db.execute("INSERT INTO search_pending (kind, id) SELECT 'directive', id FROM directives")
    db.execute("INSERT INTO search_pending (kind, id) SELECT 'document', id FROM documents")
