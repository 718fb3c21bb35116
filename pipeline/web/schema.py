"""Tables of the web stage (schema step 6): what people corrected, kept apart from machine output.

Re-extraction deletes and re-inserts directives, so their row ids change. A
correction is therefore keyed by the document's text hash and the directive's
normalised sentence hash, which the same sentence of the same text always
gets again. ``corrections`` is the log (every change, who, when, why: the
labelled data for retraining); ``corrections_current`` holds the latest value
per field, one row per directive, so that search and the sheet can join it in
SQL. A NULL column there means "as the machine says".
"""

from __future__ import annotations


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
    for trigger in REINDEX_TRIGGERS:
        db.execute(trigger)
