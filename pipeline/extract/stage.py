"""The extract stage over the store: documents an older parser or extractor read are read again.

Directives are extracted as each document is ingested; this stage exists for
the day the parser or the extractor changes (a new field such as ``safety``, a
rule that drops reports of finished work, a better reading of a news page's
speaker). First every document an older parser read (its ``parser_version``)
is parsed again from the inputs the store kept (``document_inputs``) and
extracted; then every document whose directives carry an older
``extractor_version`` is extracted again from its stored body and metadata.
Each document in its own transaction, so a store upgrades itself on the next
nightly run and staff corrections are carried over (``after_write``).
Documents stored before the store kept inputs keep what they were parsed as.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from ..corrections.carry import carry_forward
from ..parse.document import PARSER_VERSION, ParsedDocument, parse_again
from ..parse.outline import outline
from ..parse.textnorm import analysis_form
from ..store.documents import replace_parsed, stored_inputs, write_directives
from .extractor import EXTRACTOR_VERSION, extract_directives

META_COLUMNS = ("title", "date", "published", "place", "level", "speaker", "speaker_role", "meeting", "kind")


def stale_documents(db: sqlite_utils.Database, version: str = EXTRACTOR_VERSION) -> list[int]:
    """Ids of the listed documents holding a directive written by another extractor version."""
    return [r[0] for r in db.execute(
        "SELECT doc.id FROM documents doc WHERE doc.duplicate_of IS NULL AND doc.no_body = 0 AND EXISTS "
        "(SELECT 1 FROM directives d WHERE d.doc_id = doc.id AND d.extractor_version != ?) ORDER BY doc.id",
        [version]).fetchall()]


def stored_document(db: sqlite_utils.Database, doc_id: int) -> ParsedDocument:
    """The parsed document as the store holds it: its body, its metadata, its outline read again."""
    cols = ", ".join(META_COLUMNS)
    row = db.execute(f"SELECT source, fmt, raw_sha256, body, {cols} FROM documents WHERE id = ?", [doc_id]).fetchone()
    source, fmt, raw_sha256, body = row[:4]
    meta: dict[str, Any] = dict(zip(META_COLUMNS, row[4:]))
    return ParsedDocument(source=source, fmt=fmt, raw_sha256=raw_sha256, meta=meta, body=body or "",
                          sentences=outline(body or ""), analysis=analysis_form(body or ""))


def unparsed_documents(db: sqlite_utils.Database, version: str = PARSER_VERSION) -> list[int]:
    """Ids of the documents another parser version read whose inputs the store kept."""
    return [r[0] for r in db.execute(
        "SELECT doc.id FROM documents doc WHERE doc.parser_version != ? AND EXISTS "
        "(SELECT 1 FROM document_inputs i WHERE i.doc_id = doc.id) ORDER BY doc.id", [version]).fetchall()]


def reparse_store(db: sqlite_utils.Database) -> dict[str, Any]:
    """Parse and extract again every document an older parser read; one that fails is named and the
    rest go on (it keeps what it was parsed as, and is tried again on the next run)."""
    done, errors = 0, []
    for doc_id in unparsed_documents(db):
        try:
            source, fmt, raw_sha256 = db.execute(
                "SELECT source, fmt, raw_sha256 FROM documents WHERE id = ?", [doc_id]).fetchone()
            doc = parse_again(stored_inputs(db, doc_id), fmt, source, raw_sha256)
            directives = extract_directives(doc) if not doc.no_body else []
            with db.conn:
                replace_parsed(db, doc_id, doc, directives, PARSER_VERSION, EXTRACTOR_VERSION,
                               after_write=carry_forward)
            done += 1
        except Exception as exc:  # one document must not stop the others
            if db.conn.in_transaction:
                db.conn.rollback()
            errors.append(f"{doc_id}: {type(exc).__name__}: {exc}")
    return {"reparsed": done, "failed": len(errors), "failed_documents": errors[:20]}


def reextract_store(db: sqlite_utils.Database) -> dict[str, Any]:
    """Parse again what an older parser read, then extract again every stale document; a document that
    fails is named and the rest go on."""
    parsed = reparse_store(db)
    done, errors = 0, []
    for doc_id in stale_documents(db):
        try:
            doc = stored_document(db, doc_id)
            directives = extract_directives(doc)
            with db.conn:
                write_directives(db, doc_id, directives, EXTRACTOR_VERSION, after_write=carry_forward)
            done += 1
        except Exception as exc:  # one document must not stop the others
            if db.conn.in_transaction:
                db.conn.rollback()
            errors.append(f"{doc_id}: {type(exc).__name__}: {exc}")
    return {"reparsed": parsed["reparsed"], "reextracted": done, "failed": parsed["failed"] + len(errors),
            "failed_documents": (parsed["failed_documents"] + errors)[:20]}
