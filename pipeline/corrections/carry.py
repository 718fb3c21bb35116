"""Corrections follow their sentence: to its next cut, and to the next version of its document.

A correction is keyed by the document's text hash and the sentence's hash
(``schema.py``), so a change of either loses it: a newer extractor cuts the
sentence a little differently, or the same file or URL comes back with an
edited text (``pipeline.store.documents`` stores that as a new version which
supersedes the old one). Whenever a document's directives are written,
``carry_forward`` gives each directive that has no correction of its own the
correction of the same sentence, looked for

- on this very text: a correction whose sentence no directive has any more
  (the sentence was re-cut);
- on the earlier versions of the document (same source, another text),
  newest first.

The carried values are copied into ``corrections_current`` under the new key,
and a row of ``correction_carries`` says where they came from and how the two
sentences were matched. Copied rather than resolved at read time, because
``corrections_current`` is joined by its key in SQL — by the search filters,
the index, the sheet and the re-index trigger — and a fuzzy match cannot be
made inside a join; and because a later correction of the new directive needs
a row of its own anyway, to change or revert one field and keep the others.
The log (``corrections``) is neither copied nor changed, so it stays the
record of what people did on the sentence they saw, and nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from .units import has_units, set_units

# How similar (difflib's ratio: twice the characters in common, in order, over both lengths, after
# normalise()) two sentences must be to count as one. Measured on the real documents of
# ../shared/corpus and ../shared/seeds (scripts/carry_threshold.py): of 182,239 pairs of distinct
# directives within one document the most similar scored 0.78 (two accident lines of one template),
# so 0.85 cannot join two different sentences of one text. Between consecutive yearly reports of the
# same governments, pairs at 0.85 or more were one sentence with a word or a figure changed
# (新改建农村公路8000公里 → 6000公里), pairs at 0.80–0.85 different tasks on one theme
# (加快推动产业提质升级 / 推动传统产业提质升级; 稳增长16条 / 21条).
SIMILAR = 0.85

# Within one text two directives never overlap, so at most one new cut can cover more than half of
# where the old sentence stood — and be more than half covered by it: a unique, not a tuned, bound.
MAJORITY = 0.5

# Matches in order of certainty; a correction goes to one directive, a directive takes one correction.
MATCHES = ("same", "place", "similar")

FIELDS = ("verdict", "parties", "sectors", "deadline", "status")
COPIED = FIELDS + ("status_comment", "updated_by", "updated_at")


@dataclass(frozen=True)
class Orphan:
    """A stored correction that no directive of the document has under its key."""

    doc_sha256: str
    text_sha256: str
    text: str
    doc_id: int
    rank: int                  # 0: made on this very text; 1, 2 …: on the newest earlier version, the next …
    values: tuple


@dataclass(frozen=True)
class Target:
    """A directive of the document without a correction of its own."""

    text_sha256: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    orphan: Orphan
    target: Target
    how: str                   # one of MATCHES
    similarity: float


def normalise(text: str) -> str:
    """The sentence without what a re-cut or a re-typeset changes: width, spaces, punctuation."""
    flat = unicodedata.normalize("NFKC", text)
    return "".join(c for c in flat if not c.isspace() and unicodedata.category(c)[0] not in "PZ")


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two normalised sentences (1.0 the same, 0.0 nothing in common)."""
    if not a or not b:
        return 0.0
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < SIMILAR:
        return 0.0             # the lengths alone keep the ratio under the bar: skip the alignment
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _earlier_versions(db, doc_id: int, source: str, doc_sha: str) -> list[tuple[int, str]]:
    """(id, text hash) of the documents stored before ``doc_id`` from the same source, newest first."""
    out: list[tuple[int, str]] = []
    for vid, sha in db.execute("SELECT id, text_sha256 FROM documents WHERE source = ? AND id < ? "
                               "AND text_sha256 != ? ORDER BY id DESC", [source, doc_id, doc_sha]).fetchall():
        if all(sha != seen for _, seen in out):
            out.append((vid, sha))
    return out


def key_text(db, doc_sha: str, text_sha: str) -> str | None:
    """The sentence a correction key stands for: as last corrected, else as it was carried to."""
    row = db.execute("SELECT text FROM corrections WHERE doc_sha256 = ? AND text_sha256 = ? ORDER BY id DESC "
                     "LIMIT 1", [doc_sha, text_sha]).fetchone()
    if row is None:
        row = db.execute("SELECT text FROM correction_carries WHERE doc_sha256 = ? AND text_sha256 = ?",
                         [doc_sha, text_sha]).fetchone()
    return row[0] if row else None


def _orphans(db, source: str, versions: list[tuple[int, str]], live: set[str]) -> list[Orphan]:
    """Corrections of these versions (this text first) that no directive has, and that no directive
    from this source has taken yet (a text shared with a re-post elsewhere may give its correction
    to each source once)."""
    out: list[Orphan] = []
    for rank, (vid, sha) in enumerate(versions):
        rows = db.execute(
            f"SELECT text_sha256, {', '.join(COPIED)} FROM corrections_current cc WHERE doc_sha256 = ? "
            "AND NOT EXISTS (SELECT 1 FROM correction_carries c JOIN documents t ON t.text_sha256 = c.doc_sha256 "
            "WHERE c.from_doc_sha256 = cc.doc_sha256 AND c.from_text_sha256 = cc.text_sha256 AND t.source = ?) "
            "ORDER BY updated_at", [sha, source]).fetchall()
        for text_sha, *values in rows:
            if (rank == 0 and text_sha in live) or all(values[i] is None for i in range(len(FIELDS))):
                continue
            text = key_text(db, sha, text_sha)
            if text:
                out.append(Orphan(sha, text_sha, text, vid, rank, tuple(values)))
    return out


def _targets(db, doc_id: int, doc_sha: str) -> tuple[list[Target], set[str]]:
    """The directives free to take a correction, and the sentence hashes of all of them."""
    rows = db.execute('SELECT text_sha256, text, start, "end" FROM directives WHERE doc_id = ? ORDER BY start',
                      [doc_id]).fetchall()
    live = {r[0] for r in rows}
    taken = {r[0] for r in db.execute(
        "SELECT text_sha256 FROM corrections_current WHERE doc_sha256 = ? UNION "
        "SELECT text_sha256 FROM correction_carries WHERE doc_sha256 = ?", [doc_sha, doc_sha]).fetchall()}
    free: list[Target] = []
    for text_sha, text, start, end in rows:
        if text_sha not in taken and all(t.text_sha256 != text_sha for t in free):
            free.append(Target(text_sha, text, start, end))
    return free, live


def _place(body: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` stands in ``body``, when it stands there exactly once."""
    at = body.find(text)
    if at < 0 or body.find(text, at + 1) >= 0:
        return None
    return at, at + len(text)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The smaller of the shares of each span that the other covers."""
    common = min(a[1], b[1]) - max(a[0], b[0])
    if common <= 0:
        return 0.0
    return min(common / (a[1] - a[0]), common / (b[1] - b[0]))


def match(orphans: list[Orphan], targets: list[Target], body: str) -> list[Match]:
    """One-to-one pairs, the surest first: the same words; the same place in the same text; similar words."""
    orphans = sorted(orphans, key=lambda o: o.rank)
    free = list(targets)
    flat = {x: normalise(x.text) for x in [*orphans, *free]}
    out: list[Match] = []

    def take(o: Orphan, t: Target, how: str, score: float) -> None:
        out.append(Match(o, t, how, round(score, 3)))
        orphans.remove(o)
        free.remove(t)

    for o in list(orphans):
        t = next((t for t in free if flat[o] and flat[t] == flat[o]), None)
        if t:
            take(o, t, "same", 1.0)
    for o in [o for o in orphans if o.rank == 0]:
        where = _place(body, o.text)
        best = max(((_overlap(where, (t.start, t.end)), t) for t in free), key=lambda p: p[0],
                   default=(0.0, None)) if where else (0.0, None)
        if best[1] is not None and best[0] > MAJORITY:
            take(o, best[1], "place", best[0])
    pairs = sorted(((similarity(flat[o], flat[t]), o.rank, t.start, o, t) for o in orphans for t in free),
                   key=lambda p: (-p[0], p[1], p[2]))
    for score, _, _, o, t in pairs:
        if score >= SIMILAR and o in orphans and t in free:
            take(o, t, "similar", score)
    return out


def _time_words(text: str) -> list[str]:
    """The time expressions the extractor reads in a sentence, in order."""
    from ..extract.deadlines import find_deadlines
    from ..parse.textnorm import analysis_form

    return [d.text for d in find_deadlines(analysis_form(text), None)]


def left_out(m: Match) -> list[str]:
    """Fields not to carry: a deadline set on an earlier version whose sentence now reads another time.

    A re-published notice most often changes a date; a date a person fixed for
    the old wording must not override the new one. Within one text (a re-cut)
    and for the same words everything carries.
    """
    deadline = m.orphan.values[FIELDS.index("deadline")]
    if m.orphan.rank == 0 or m.how == "same" or deadline is None:
        return []
    return [] if _time_words(m.orphan.text) == _time_words(m.target.text) else ["deadline"]


def _apply(db, doc_sha: str, m: Match, now: str) -> None:
    """Copy one correction to its new key and record where it came from."""
    values = dict(zip(COPIED, m.orphan.values))
    left = left_out(m)
    for name in left:
        values[name] = None
    carried = [f for f in FIELDS if values[f] is not None]
    if values["status"] is None:
        values["status_comment"] = None
    if carried:
        db.conn.execute(
            f"INSERT INTO corrections_current (doc_sha256, text_sha256, {', '.join(COPIED)}) "
            f"VALUES (?, ?, {', '.join('?' * len(COPIED))})",
            [doc_sha, m.target.text_sha256] + [values[c] for c in COPIED])
        if values["parties"] is not None and has_units(db):    # step 12 normalises the older ones itself
            set_units(db, doc_sha, m.target.text_sha256)
    db.conn.execute(
        "INSERT INTO correction_carries (doc_sha256, text_sha256, text, from_doc_sha256, from_text_sha256, "
        "from_text, from_doc_id, match, similarity, fields, left_out, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [doc_sha, m.target.text_sha256, m.target.text, m.orphan.doc_sha256, m.orphan.text_sha256, m.orphan.text,
         m.orphan.doc_id, m.how, m.similarity, json.dumps(carried), json.dumps(left), now])


def carry_forward(db, doc_id: int) -> list[Match]:
    """Give the directives of ``doc_id`` the corrections of their sentence (inside the caller's transaction)."""
    row = db.execute("SELECT text_sha256, source FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        return []
    doc_sha, source = row
    targets, live = _targets(db, doc_id, doc_sha)
    if not targets:
        return []
    versions = [(doc_id, doc_sha)] + _earlier_versions(db, doc_id, source, doc_sha)
    orphans = _orphans(db, source, versions, live)
    if not orphans:
        return []
    # The body only when there is something to carry: every ingest passes here.
    body = db.execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    found = match(orphans, targets, body or "")
    now = _now()
    for m in found:
        _apply(db, doc_sha, m, now)
    return found


def backfill(db) -> int:
    """Carry what a store made before schema step 8 left behind; returns the corrections carried.

    Its re-ingested sources may have several originals: the newest supersedes
    the rest, as it would now. Then every original whose text, or an earlier
    version's, has corrections takes those of its sentences.
    """
    from ..store.documents import supersede_earlier_versions

    supersede_earlier_versions(db)
    ids = [r[0] for r in db.execute(
        "SELECT doc.id FROM documents doc WHERE doc.duplicate_of IS NULL AND EXISTS (SELECT 1 FROM documents v "
        "JOIN corrections_current cc ON cc.doc_sha256 = v.text_sha256 WHERE v.source = doc.source "
        "AND v.id <= doc.id) ORDER BY doc.id").fetchall()]
    return sum(len(carry_forward(db, doc_id)) for doc_id in ids)


@dataclass(frozen=True)
class Carry:
    """Where the correction shown on a directive came from, for the page and the sheet."""

    from_doc_sha256: str
    from_text_sha256: str
    from_text: str
    from_doc_id: int | None
    version_date: str | None   # when the earlier version was stored; None for a re-cut of this text
    how: str
    similarity: float
    fields: list[str]
    left_out: list[str]

    @property
    def note(self) -> str:
        return carry_note(self.version_date)

    @property
    def lines(self) -> list[str]:
        """What the directive page says about it: where from, the old words when they differ, what was left."""
        out: list[str] = []
        if self.fields:
            out.append(self.note + ("" if self.how == "same" else f"；原句：“{self.from_text}”"))
        if "deadline" in self.left_out:
            out.append("旧版本中对完成时限的更正未沿用：本版本原文的时限已改变，请核对")
        return out


def carry_note(version_date: str | None) -> str:
    """Where a carried correction came from, as the page and the sheet say it.

    ``version_date``: when the earlier version was stored (a document's own
    date rarely changes when it is re-published); None for a re-cut sentence.
    """
    if version_date is None:
        return "更正来自重新提取前的同一句"
    return f"更正来自本文件的旧版本（{version_date} 收录）" if version_date else "更正来自本文件的旧版本"


def carry_of(db, doc_sha: str, text_sha: str) -> Carry | None:
    """The carry that gave this key its correction, if any."""
    row = db.execute(
        "SELECT c.from_doc_sha256, c.from_text_sha256, c.from_text, c.from_doc_id, c.match, c.similarity, "
        "c.fields, c.left_out, substr(o.ingested_at, 1, 10) FROM correction_carries c "
        "LEFT JOIN documents o ON o.id = c.from_doc_id WHERE c.doc_sha256 = ? AND c.text_sha256 = ?",
        [doc_sha, text_sha]).fetchone()
    if row is None:
        return None
    same_text = row[0] == doc_sha
    return Carry(row[0], row[1], row[2], row[3], None if same_text else (row[8] or ""), row[4], row[5],
                 json.loads(row[6]), json.loads(row[7]))


def lineage(db, doc_sha: str, text_sha: str) -> Iterable[tuple[str, str, Carry | None]]:
    """This key, then the keys its correction was carried from, newest first (each with its carry)."""
    seen: set[tuple[str, str]] = set()
    key: tuple[str, str] | None = (doc_sha, text_sha)
    while key and key not in seen:
        seen.add(key)
        carry = carry_of(db, *key)
        yield key[0], key[1], carry
        key = (carry.from_doc_sha256, carry.from_text_sha256) if carry else None
