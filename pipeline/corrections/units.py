"""The unit types of parties corrected by staff, kept beside them in ``corrections_current``.

A unit (住建部门, 乡镇（街道）…) is the extractor's normalisation of a party surface; the
list's unit filter, the overview and the notices select on it. When a person corrects the
parties, the types are normalised again from the corrected surfaces, with the extractor's
own normaliser, and stored so that SQL can filter on them as on the machine's.
"""

from __future__ import annotations

import json

from ..extract.parties_norm import party_types_of


def units_json(parties_json: str | None) -> str | None:
    """JSON of the types of a corrected parties list (JSON); None when the parties are the machine's."""
    if parties_json is None:
        return None
    try:
        parties = json.loads(parties_json)
    except ValueError:
        parties = []
    return json.dumps(party_types_of(p for p in parties if isinstance(p, str)), ensure_ascii=False)


def has_units(db) -> bool:
    """Whether the store is past schema step 12 (an older store is being migrated through step 8)."""
    return any(row[1] == "party_types" for row in db.execute("PRAGMA table_info(corrections_current)").fetchall())


def set_units(db, doc_sha256: str, text_sha256: str) -> None:
    """Store the types of one key's corrected parties (inside the caller's transaction)."""
    row = db.execute("SELECT parties FROM corrections_current WHERE doc_sha256 = ? AND text_sha256 = ?",
                     [doc_sha256, text_sha256]).fetchone()
    if row is not None:
        db.conn.execute("UPDATE corrections_current SET party_types = ? WHERE doc_sha256 = ? AND text_sha256 = ?",
                        [units_json(row[0]), doc_sha256, text_sha256])


def refresh_units(db) -> int:
    """Normalise again every stored correction of parties (schema step 12; a changed unit lexicon)."""
    rows = db.execute("SELECT doc_sha256, text_sha256, parties FROM corrections_current").fetchall()
    db.conn.executemany("UPDATE corrections_current SET party_types = ? WHERE doc_sha256 = ? AND text_sha256 = ?",
                        [(units_json(parties), doc, text) for doc, text, parties in rows])
    return len(rows)
