"""Tables of the corrections (schema steps 6 and 8): what people corrected, kept apart from machine output.

Re-extraction deletes and re-inserts directives, so their row ids change. A
correction is therefore keyed by the document's text hash and the directive's
normalised sentence hash, which the same sentence of the same text always
gets again. ``corrections`` is the log (every change, who, when, why: the
labelled data for retraining); ``corrections_current`` holds the latest value
per field, one row per directive, so that search and the sheet can join it in
SQL. A NULL column there means "as the machine says". A sentence that the
extractor cuts differently, or that a new version of the document repeats,
gets another key; ``correction_carries`` (step 8) records the correction it
took over from the old key (see ``carry.py``). ``corrections_current.party_types`` (step 12)
holds the unit types of corrected parties, so the unit filter reads a person's parties as it
reads the machine's (see ``units.py``).
"""

from __future__ import annotations

from ..store.dialect import is_postgres, pg_trigger


# A correction changes what the search filters on (the facets of pipeline/search): queue the
# directive(s) it applies to for re-indexing. search_pending comes from schema step 5. (NOT EXISTS,
# not OR IGNORE: an upsert's conflict policy would override the trigger's.)
REINDEX_TRIGGERS = [
    f"""CREATE TRIGGER corrections_reindex_{event.lower()} AFTER {event} ON corrections_current BEGIN
        INSERT INTO search_pending (kind, id)
        SELECT 'directive', d.id FROM documents doc JOIN directives d ON d.doc_id = doc.id
        WHERE doc.text_sha256 = new.doc_sha256 AND d.text_sha256 = new.text_sha256
          AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.kind = 'directive' AND p.id = d.id);
    END"""
    for event in ("INSERT", "UPDATE")
]
# The same in PostgreSQL (a PL/pgSQL function per trigger; see pipeline/search/schema.py).
PG_REINDEX_BODY = (
    "INSERT INTO search_pending (kind, id) SELECT 'directive', d.id FROM documents doc "
    "JOIN directives d ON d.doc_id = doc.id WHERE doc.text_sha256 = NEW.doc_sha256 "
    "AND d.text_sha256 = NEW.text_sha256 ON CONFLICT DO NOTHING;")


def migrate(db) -> None:
    """Schema step 6: the corrections log and the current corrections."""
    db.execute(
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            doc_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            field TEXT NOT NULL CHECK (field IN ('verdict', 'parties', 'sectors', 'deadline', 'status')),
            value TEXT,
            machine_value TEXT,
            text TEXT NOT NULL,
            source TEXT,
            author TEXT NOT NULL,
            comment TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX corrections_key ON corrections(doc_sha256, text_sha256, id)")
    db.execute(
        """
        CREATE TABLE corrections_current (
            doc_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            verdict TEXT CHECK (verdict IN ('confirmed', 'rejected')),
            parties TEXT,
            sectors TEXT,
            deadline TEXT,
            status TEXT CHECK (status IN ('done', 'in_progress', 'mentioned', 'no_evidence', 'overdue')),
            status_comment TEXT,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (doc_sha256, text_sha256)
        )
        """
    )
    if is_postgres(db):
        for event in ("INSERT", "UPDATE"):
            for statement in pg_trigger(f"corrections_reindex_{event.lower()}",
                                        f"AFTER {event} ON corrections_current", PG_REINDEX_BODY):
                db.execute(statement)
        return
    for trigger in REINDEX_TRIGGERS:
        db.execute(trigger)


def migrate_carries(db) -> None:
    """Schema step 8: which correction a directive took over from a re-cut sentence or an earlier version.

    One row per receiving key (the directive's document text hash and
    sentence hash), naming the key the correction was made on, how the two
    sentences were matched and which fields were carried or left. The log in
    ``corrections`` is never copied: it records what people did, on the
    sentence they saw.
    """
    db.execute(
        """
        CREATE TABLE correction_carries (
            doc_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            from_doc_sha256 TEXT NOT NULL,
            from_text_sha256 TEXT NOT NULL,
            from_text TEXT NOT NULL,
            from_doc_id INTEGER REFERENCES documents(id),
            match TEXT NOT NULL CHECK (match IN ('same', 'place', 'similar')),
            similarity REAL NOT NULL,
            fields TEXT NOT NULL DEFAULT '[]',
            left_out TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            PRIMARY KEY (doc_sha256, text_sha256)
        )
        """
    )
    db.execute("CREATE INDEX correction_carries_from ON correction_carries(from_doc_sha256, from_text_sha256)")
    # Every save looks up the source's earlier versions (pipeline/store/documents.py): without an
    # index that is a scan of every stored body.
    db.execute("CREATE INDEX IF NOT EXISTS documents_source ON documents(source)")
    from .carry import backfill

    backfill(db)       # corrections an older duban left behind on re-cut sentences and re-ingested files


def migrate_party_types(db) -> None:
    """Schema step 12: the unit types of corrected parties, beside the parties, for the unit filter.

    The list, the overview and the notices filter units on the normalised types; without this a
    unit corrected away from an item still found it, and a unit corrected in did not.
    """
    from .units import has_units, refresh_units

    if not has_units(db):          # a store whose version was set back keeps its column
        db.execute("ALTER TABLE corrections_current ADD COLUMN party_types TEXT")
    refresh_units(db)
