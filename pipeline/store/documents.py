"""Writing parsed documents, their sentences and directives to the store.

A document is keyed by the hash of its raw bytes (the same file twice is one
document) and by the hash of its analysis text (the same text in another
wrapper is one document). A near-duplicate — the same speech re-posted by
another site with other furniture — is stored and marked ``duplicate_of`` the
first, found through MinHash LSH bands kept in ``doc_bands``.

A new text from a source already stored (the same file edited, a page
changed at its URL, a corrected notice re-published there) is not a re-post:
it is that document's new version. It is stored as an original with its own
directives, however little changed, and every earlier original from that
source is marked ``duplicate_of`` it — superseded, so lists, tracking and the
sheet show the text the source says now. Corrections made on the earlier
version follow their sentences to the new one: the caller passes ``after_write``
(``pipeline/corrections/carry.py``), which runs in the transaction that writes
the directives, so no crash can leave them without their corrections.

The store owns the shapes it writes (``records.py``) and imports no stage.
"""

from __future__ import annotations

import sqlite3

import datetime as dt
import json
import re
import zlib
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence

import sqlite_utils
from datasketch import MinHash

from .records import DirectiveRecord, DocumentRecord

# Called with (store, document id) after a document's directives are written, inside that transaction.
AfterWrite = Callable[[sqlite_utils.Database, int], object]

NUM_PERM = 64
BANDS = 16                     # 16 bands × 4 rows: candidates from Jaccard ≈ 0.5 up
NEAR_DUPLICATE_JACCARD = 0.8   # estimated Jaccard of character 5-grams above which two texts are one
SHINGLE = 5
MINHASH_SCHEME = "affine32"    # named, so stored hash values stay comparable across datasketch versions


def minhash_of(text: str) -> MinHash:
    flat = re.sub(r"\s+", "", text)
    shingles = {flat[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(flat) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=7, scheme=MINHASH_SCHEME)
    mh.update_batch(list(shingles))
    return mh


def _stable_band_hash(values: list[int]) -> int:
    h = 1469598103934665603
    for v in values:
        h = ((h ^ v) * 1099511628211) & 0x7FFFFFFFFFFFFFFF
    return h


def band_keys(mh: MinHash) -> list[tuple[int, int]]:
    """(band, hash) pairs; the hash is stable across processes (Python's hash() is not)."""
    rows = NUM_PERM // BANDS
    values = [int(v) for v in mh.hashvalues]
    return [(b, _stable_band_hash(values[b * rows:(b + 1) * rows])) for b in range(BANDS)]


def find_near_duplicate(db: sqlite_utils.Database, mh: MinHash, other_than: str | None = None) -> int | None:
    """The earliest stored document whose text is nearly the same, if any.

    ``other_than``: a source whose documents do not count (a source's own earlier
    text is its earlier version, not the original it re-posts).
    """
    keys = band_keys(mh)
    clause = " OR ".join("(band = ? AND hash = ?)" for _ in keys)
    params: list = [x for k in keys for x in k]
    if other_than is not None:
        clause = f"({clause}) AND d.source != ?"
        params.append(other_than)
    rows = db.execute(
        f"SELECT DISTINCT d.id, d.minhash FROM doc_bands b JOIN documents d ON d.id = b.doc_id "
        f"WHERE ({clause}) AND d.duplicate_of IS NULL ORDER BY d.id",
        params,
    ).fetchall()
    import numpy as np

    for doc_id, blob in rows:
        if not blob:
            continue
        other = MinHash(num_perm=NUM_PERM, seed=7, scheme=MINHASH_SCHEME,
                        hashvalues=np.frombuffer(blob, dtype=np.uint64))
        if mh.jaccard(other) >= NEAR_DUPLICATE_JACCARD:
            return doc_id
    return None


@dataclass
class SaveResult:
    doc_id: int
    status: str            # "new" | "same" | "duplicate"
    duplicate_of: int | None = None
    directives: int = 0
    supersedes: list[int] = field(default_factory=list)   # earlier versions from the same source


# Whether document ``d`` was superseded by a newer version of its own source (not a re-post of another's).
SUPERSEDED_SQL = "(SELECT n.source = d.source AND n.id > d.id FROM documents n WHERE n.id = d.duplicate_of)"


def duplicate_note(duplicate_of: int | None, superseded: bool) -> str | None:
    """How a list shows a document that is not an original: an older version, or a re-post."""
    if duplicate_of is None:
        return None
    return f"旧版本（新版 {duplicate_of}）" if superseded else f"重复（同 {duplicate_of}）"


def earlier_versions(db: sqlite_utils.Database, source: str, text_sha256: str) -> list[int]:
    """The originals stored from ``source`` with another text: what a new text from it supersedes."""
    return [r[0] for r in db.execute(
        "SELECT id FROM documents WHERE source = ? AND text_sha256 != ? AND duplicate_of IS NULL ORDER BY id",
        [source, text_sha256]).fetchall()]


def supersede_earlier_versions(db: sqlite_utils.Database) -> int:
    """Mark, for every source with several originals of different texts, all but the newest superseded.

    For a store made before new versions superseded old ones (schema step 8);
    returns how many documents it marked.
    """
    marked = 0
    for source, newest, sha in db.execute(
            "SELECT d.source, d.id, d.text_sha256 FROM documents d WHERE d.duplicate_of IS NULL AND d.id = "
            "(SELECT max(n.id) FROM documents n WHERE n.source = d.source AND n.duplicate_of IS NULL)").fetchall():
        earlier = [e for e in earlier_versions(db, source, sha) if e < newest]
        db.conn.executemany("UPDATE documents SET duplicate_of = ? WHERE id = ?", [(newest, e) for e in earlier])
        marked += len(earlier)
    return marked


def save_document(db: sqlite_utils.Database, doc: DocumentRecord, directives: list[DirectiveRecord],
                  parser_version: str, extractor_version: str, after_write: AfterWrite | None = None) -> SaveResult:
    """Store ``doc`` and its directives in one transaction; never overwrite a different document.

    ``after_write`` runs after the directives are written, in the same transaction (see the module).
    """
    existing = db.execute("SELECT id FROM documents WHERE raw_sha256 = ?", [doc.raw_sha256]).fetchone()
    if existing:
        return SaveResult(existing[0], "same")
    same_text = db.execute(
        "SELECT id FROM documents WHERE text_sha256 = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1",
        [doc.text_sha256],
    ).fetchone()
    mh = minhash_of(doc.analysis) if doc.analysis else None
    duplicate_of = same_text[0] if same_text else (find_near_duplicate(db, mh, doc.source) if mh else None)
    earlier = earlier_versions(db, doc.source, doc.text_sha256)
    try:
        return _insert_document(db, doc, directives, parser_version, extractor_version, duplicate_of, earlier, mh,
                                after_write)
    except sqlite3.IntegrityError:
        # Another run (a second ingest, the nightly) stored the same bytes between our check and our
        # insert: the document is there, which is all this call wanted.
        again = db.execute("SELECT id FROM documents WHERE raw_sha256 = ?", [doc.raw_sha256]).fetchone()
        if again is None:
            raise
        return SaveResult(again[0], "same")


def _insert_document(db: sqlite_utils.Database, doc: DocumentRecord, directives: list[DirectiveRecord],
                     parser_version: str, extractor_version: str, duplicate_of: int | None,
                     earlier: list[int], mh, after_write: AfterWrite | None) -> SaveResult:
    m = doc.meta
    with db.conn:
        cur = db.conn.execute(
            """INSERT INTO documents (source, fmt, raw_sha256, text_sha256, duplicate_of, title, date,
               published, place, level, speaker, speaker_role, meeting, kind, partial, no_body, body,
               analysis, minhash, parser_version, ingested_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [doc.source, doc.fmt, doc.raw_sha256, doc.text_sha256, duplicate_of, m.get("title"), m.get("date"),
             m.get("published"), m.get("place"), m.get("level"), m.get("speaker"), m.get("speaker_role"),
             m.get("meeting"), m.get("kind"), int(doc.partial), int(doc.no_body), doc.body, doc.analysis,
             mh.hashvalues.astype("uint64").tobytes() if mh is not None else None, parser_version,
             dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")],
        )
        doc_id = cur.lastrowid
        if mh is not None and duplicate_of is None:
            db.conn.executemany("INSERT INTO doc_bands (band, hash, doc_id) VALUES (?,?,?)",
                                [(b, h, doc_id) for b, h in band_keys(mh)])
        _write_sentences(db, doc_id, doc)
        inputs = getattr(doc, "inputs", ())
        if inputs:
            db.conn.execute("INSERT INTO document_inputs (doc_id, inputs) VALUES (?, ?)", [doc_id, pack_inputs(inputs)])
        if duplicate_of is None:
            write_directives(db, doc_id, directives, extractor_version, after_write)
        db.conn.executemany("UPDATE documents SET duplicate_of = ? WHERE id = ?", [(doc_id, e) for e in earlier])
    return SaveResult(doc_id, "duplicate" if duplicate_of else "new", duplicate_of,
                      0 if duplicate_of else len(directives), earlier)


def _write_sentences(db: sqlite_utils.Database, doc_id: int, doc: DocumentRecord) -> None:
    db.conn.executemany(
        'INSERT INTO sentences (doc_id, idx, start, "end", para, heading_level, heading_path) VALUES (?,?,?,?,?,?,?)',
        [(doc_id, s.idx, s.start, s.end, s.para, s.heading_level, json.dumps(list(s.heading_path), ensure_ascii=False))
         for s in doc.sentences],
    )


PACK_CHUNK_CHARS = 1 << 20   # a text is encoded and compressed this much at a time


def pack_inputs(inputs: Sequence[str]) -> bytes:
    """What a document was parsed from, as stored: a JSON list of texts, zlib-compressed (markup
    compresses to a fifth or less).

    The JSON is the text ``json.dumps(list(inputs), ensure_ascii=False)`` gives, written into the
    compressor a slice at a time (JSON escapes each character on its own, so slices join to the same
    text): a 45 MB upload is never held as one JSON string and its UTF-8 bytes besides (they were the
    hostile-input bench's peak, 100 MB of its 500 MB budget)."""
    packer = zlib.compressobj(6)
    out = [packer.compress(b"[")]
    for i, text in enumerate(inputs):
        out.append(packer.compress(b', "' if i else b'"'))
        for start in range(0, len(text), PACK_CHUNK_CHARS):
            escaped = json.dumps(text[start:start + PACK_CHUNK_CHARS], ensure_ascii=False)[1:-1]
            out.append(packer.compress(escaped.encode("utf-8")))
        out.append(packer.compress(b'"'))
    out.append(packer.compress(b"]") + packer.flush())
    return b"".join(out)


def stored_inputs(db: sqlite_utils.Database, doc_id: int) -> list[str] | None:
    """What the document was parsed from; None for a document stored before the store kept it."""
    row = db.execute("SELECT inputs FROM document_inputs WHERE doc_id = ?", [doc_id]).fetchone()
    return None if row is None else json.loads(zlib.decompress(bytes(row[0])).decode("utf-8"))


def replace_parsed(db: sqlite_utils.Database, doc_id: int, doc: DocumentRecord, directives: list[DirectiveRecord],
                   parser_version: str, extractor_version: str, after_write: AfterWrite | None = None) -> None:
    """Put what a newer parser read from a stored document's inputs in place of what an older one
    read (inside the caller's transaction): metadata, body, sentences, near-duplicate bands and,
    for an original, its directives.

    The document keeps its id, its raw hash and its text hash: the text hash is the key its
    corrections hang on (``pipeline/corrections``), so ``after_write`` carries them to the
    sentences as now cut. When its body, date or place changed, its ``revision`` goes up, which
    tells the stages that indexed the old body (tracking) to read it again.
    """
    row = db.execute("SELECT duplicate_of, body, date, published, place, level FROM documents WHERE id = ?",
                     [doc_id]).fetchone()
    if row is None:
        raise KeyError(f"no document {doc_id}")
    m = doc.meta
    # What an index of the body reads: the body and the date and place it is filed under.
    changed = tuple(row[1:]) != (doc.body, m.get("date"), m.get("published"), m.get("place"), m.get("level"))
    mh = minhash_of(doc.analysis) if doc.analysis else None
    db.conn.execute(
        """UPDATE documents SET title = ?, date = ?, published = ?, place = ?, level = ?, speaker = ?,
           speaker_role = ?, meeting = ?, kind = ?, partial = ?, no_body = ?, body = ?, analysis = ?,
           minhash = ?, parser_version = ?, revision = revision + ? WHERE id = ?""",
        [m.get("title"), m.get("date"), m.get("published"), m.get("place"), m.get("level"), m.get("speaker"),
         m.get("speaker_role"), m.get("meeting"), m.get("kind"), int(doc.partial), int(doc.no_body), doc.body,
         doc.analysis, mh.hashvalues.astype("uint64").tobytes() if mh is not None else None, parser_version,
         int(changed), doc_id])
    db.conn.execute("DELETE FROM sentences WHERE doc_id = ?", [doc_id])
    _write_sentences(db, doc_id, doc)
    db.conn.execute("DELETE FROM doc_bands WHERE doc_id = ?", [doc_id])
    if row[0] is None:
        if mh is not None:
            db.conn.executemany("INSERT INTO doc_bands (band, hash, doc_id) VALUES (?,?,?)",
                                [(b, h, doc_id) for b, h in band_keys(mh)])
        write_directives(db, doc_id, directives if not doc.no_body else [], extractor_version, after_write)


def write_directives(db: sqlite_utils.Database, doc_id: int, directives: list[DirectiveRecord],
                     extractor_version: str, after_write: AfterWrite | None = None) -> None:
    """Replace the machine-made directives of one document (inside the caller's transaction).

    Then ``after_write(db, doc_id)``: the stages that write directives pass the
    corrections' ``carry_forward``, so the corrections of sentences that were
    re-cut, or that an earlier version of the document had, reach the new rows
    in the same transaction.
    """

    db.conn.execute("DELETE FROM directives WHERE doc_id = ?", [doc_id])
    ids: list[int] = []
    for d in directives:
        same = ids[d.same_task_as] if d.same_task_as is not None and d.same_task_as < len(ids) else None
        cur = db.conn.execute(
            """INSERT INTO directives (doc_id, start, "end", text, text_sha256, sectors, parties, party_types,
               deadline_text, deadline_kind, deadline_date, heading_path, same_task_as, score, extractor_version,
               safety)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [doc_id, d.start, d.end, d.text, d.text_sha256, json.dumps(list(d.sectors), ensure_ascii=False),
             json.dumps(list(d.parties), ensure_ascii=False), json.dumps(list(d.party_types), ensure_ascii=False),
             d.deadline.text if d.deadline else None, d.deadline.kind if d.deadline else None,
             d.deadline.date if d.deadline else None, json.dumps(list(d.heading_path), ensure_ascii=False),
             same, d.score, extractor_version, int(d.safety)],
        )
        ids.append(cur.lastrowid)
    if after_write is not None:
        after_write(db, doc_id)
