"""Tracking in the store: link directives to later documents, incrementally.

``track_store`` is what ``duban track`` and the nightly run call. Each run
1. indexes documents tracking has not read yet (``track_docs``),
2. matches directives it has not tracked yet against every later document, and
   directives it has tracked against the new documents only,
3. stores the evidence found and marks the new directives tracked.
Nothing is compared twice, so a night with a few new pages costs a few
queries' worth of work, not a rebuild. A run with a new ``TRACKER_VERSION``
starts over. ``statuses`` derives every directive's status as of a date from
its evidence and deadline.

Step 2 runs in shards by province where a runner says so (``shard.py``, ``pipeline.executor``:
a Dask cluster), each shard scoring its pairs with the whole store's weights; the choosing
among them and all writing stay here, so the result is the same as in one piece.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import sqlite_utils

from .index import SentenceIndex, TermDoc, TermStats
from ..executor.base import Runner, inline_runner
from .link import Query, SentenceRec, ordinal, select_evidence, term_doc
from .lists import Lead, is_item, list_lead
from .match import not_the_task
from .outcomes import government
from .scoring import Scorer, default_scorer
from .status import RANK, DirectiveStatus, overall_status

TRACKER_VERSION = "track-6"     # 2: outcome masks, list leads; 3: sections and positions, the pair model, scope; 4: scope before the top-40 (shards score as one process); 5: new outcome indicators (masks change), targets read across a document; 6: the disaster-response indicator (masks change)
# (a store tracked by an older version is tracked again)
ARRAYS = (("sent_idx", np.int32), ("starts", np.int32), ("ends", np.int32), ("context", np.int8),
          ("ptr", np.int64), ("terms", np.int32), ("clause", np.int16))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _date_sql(alias: str = "d") -> str:
    """A document's date as the spec reads it: its own date, else its publication date."""
    return f"COALESCE({alias}.date, {alias}.published)"


# -- the index in the store ------------------------------------------------
def _reset_if_outdated(db: sqlite_utils.Database) -> bool:
    """Forget everything an older tracker made; True when something was forgotten."""
    old = db.execute("SELECT count(*) FROM track_docs WHERE tracker_version != ?", [TRACKER_VERSION]).fetchone()[0]
    old += db.execute("SELECT count(*) FROM track_directives WHERE tracker_version != ?",
                      [TRACKER_VERSION]).fetchone()[0]
    if not old:
        return False
    with db.conn:
        db.conn.execute("DELETE FROM evidence")
        db.conn.execute("DELETE FROM track_directives")
        db.conn.execute("DELETE FROM track_docs")
    return True


BATCH = 256                 # documents read, tokenised and written per transaction


def _workers() -> int:
    """Processes for tokenising (jieba is the slow part): the cores this process may use, at most 8."""
    env = os.environ.get("DUBAN_TRACK_WORKERS")
    if env:
        return max(1, int(env))
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:
        return max(1, min(8, os.cpu_count() or 1))


def _term_doc_job(job: tuple[int, str | None, str, list[SentenceRec]]) -> TermDoc:
    doc_id, date, body, sents = job
    return term_doc(doc_id, ordinal(date), body, sents)   # whose it is is read from the store when loading


TermDocJob = tuple[int, str | None, str, list[SentenceRec]]


def _index_new_documents(db: sqlite_utils.Database,
                         map_jobs: Callable[[list[TermDocJob]], Iterable[TermDoc]] | None = None) -> list[int]:
    """Read documents not indexed yet (originals with a body) into ``track_docs``, a batch at a time.

    ``map_jobs`` tokenises a batch elsewhere (on a cluster's workers, in order); without it,
    processes of this machine do when the batch is large."""
    rows = db.execute(
        "SELECT d.id, d.revision, t.doc_id FROM documents d LEFT JOIN track_docs t ON t.doc_id = d.id "
        "WHERE d.duplicate_of IS NULL AND d.no_body = 0 AND (t.doc_id IS NULL OR t.revision < d.revision) "
        "ORDER BY d.id").fetchall()
    ids = [r[0] for r in rows]
    revisions = {r[0]: r[1] for r in rows}
    reread = [r[0] for r in rows if r[2] is not None]
    if reread:
        # A document a newer parser read again (pipeline/extract/stage.py): what was found in its old
        # body goes, and it is read and matched again as a new document.
        with db.conn:
            db.conn.executemany("DELETE FROM evidence WHERE doc_id = ?", [[i] for i in reread])
            db.conn.executemany("DELETE FROM track_docs WHERE doc_id = ?", [[i] for i in reread])
    workers = _workers() if len(ids) >= 2 * BATCH and map_jobs is None else 1
    pool = None
    if workers > 1:
        import multiprocessing as mp

        from .terms import _jieba

        _jieba()                    # load the dictionary once, before the workers fork
        pool = mp.get_context("fork").Pool(workers)
    try:
        for lo in range(0, len(ids), BATCH):
            jobs = []
            for doc_id in ids[lo:lo + BATCH]:
                date, body = db.execute(f"SELECT {_date_sql()}, d.body FROM documents d WHERE d.id = ?",
                                        [doc_id]).fetchone()
                sents = [SentenceRec(idx, start, end, level, json.loads(path))
                         for idx, start, end, level, path in db.execute(
                             'SELECT idx, start, "end", heading_level, heading_path FROM sentences '
                             "WHERE doc_id = ? ORDER BY idx", [doc_id]).fetchall()]
                jobs.append((doc_id, date, body, sents))
            docs = list(map_jobs(jobs)) if map_jobs else pool.map(_term_doc_job, jobs, chunksize=8) if pool \
                else [_term_doc_job(j) for j in jobs]
            now = _now()
            with db.conn:
                db.conn.executemany(
                    "INSERT INTO track_docs (doc_id, date, sent_idx, starts, ends, context, ptr, terms, clause, "
                    "outcome, section, sections, pos, tracker_version, indexed_at, revision) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [[td.key, td.date] + [getattr(td, name).astype(t).tobytes() for name, t in ARRAYS]
                     + [td.outcome.astype(np.uint16).tobytes(), td.section.astype(np.int32).tobytes(),
                        json.dumps(list(td.sections), ensure_ascii=False), td.pos.astype(np.float32).tobytes(),
                        TRACKER_VERSION, now, revisions[td.key]] for td in docs])
    finally:
        if pool:
            pool.close()
            pool.join()
    return ids


def load_index(db: sqlite_utils.Database, doc_ids: Sequence[int] | None = None,
               stats: TermStats | None = None) -> SentenceIndex:
    """Every indexed document (still an original in the store), stacked and weighted.

    ``doc_ids``: only these documents (a shard, ``shard.py``), weighted by ``stats``, the
    counts of the whole store, when given."""
    return SentenceIndex(indexed_documents(db, doc_ids)).build(stats)


def indexed_documents(db: sqlite_utils.Database, doc_ids: Sequence[int] | None = None) -> list[TermDoc]:
    """The index form of every indexed original (of ``doc_ids`` only, when given), as stored."""
    out = []
    sql = ("SELECT t.doc_id, t.date, t.sent_idx, t.starts, t.ends, t.context, t.ptr, t.terms, t.clause, t.outcome, "
           "d.place, d.level, t.section, t.sections, t.pos FROM track_docs t "
           "JOIN documents d ON d.id = t.doc_id WHERE d.duplicate_of IS NULL")
    for row in _rows_of(db, sql, "t.doc_id", doc_ids):
        arrays = {name: np.frombuffer(blob, dtype=t) for (name, t), blob in zip(ARRAYS, row[2:9])}
        outcome = np.frombuffer(row[9], dtype=np.uint16) if row[9] is not None else None
        section = np.frombuffer(row[12], dtype=np.int32) if row[12] is not None else None
        pos = np.frombuffer(row[14], dtype=np.float32) if row[14] is not None else None
        out.append(TermDoc(key=row[0], date=row[1], **arrays, outcome=outcome, government=government(row[10], row[11]),
                           section=section, sections=tuple(json.loads(row[13] or "[]")), pos=pos))
    return out


ID_CHUNK = 500              # ids per parameterised IN (…) list


def _rows_of(db: sqlite_utils.Database, sql: str, column: str, ids: Sequence[int] | None,
             params: Sequence[Any] = (), tail: str = "") -> list[tuple]:
    """Rows of ``sql`` (with ``params``), only those whose ``column`` is one of ``ids`` when given,
    read a chunk of ids at a time; ``tail`` (ORDER BY …) is applied per chunk."""
    if ids is None:
        return db.execute(sql + tail, list(params)).fetchall()
    out: list[tuple] = []
    ids = [int(i) for i in ids]
    for lo in range(0, len(ids), ID_CHUNK):
        chunk = ids[lo:lo + ID_CHUNK]
        out += db.execute(f"{sql} AND {column} IN ({','.join('?' * len(chunk))}){tail}",
                          list(params) + chunk).fetchall()
    return out


# -- tracking ---------------------------------------------------------------
def _queries(db: sqlite_utils.Database, tracked: bool, doc_ids: Sequence[int] | None = None) -> list[Query]:
    """Directives of original, dated documents, tracked before or not (of ``doc_ids`` only, when given)."""
    cond = "EXISTS" if tracked else "NOT EXISTS"
    rows = _rows_of(
        db, f"SELECT x.id, x.text, {_date_sql()}, x.sectors, x.parties, x.deadline_text, x.deadline_kind, x.doc_id, "
        f"x.start, d.place, d.level FROM directives x "
        f"JOIN documents d ON d.id = x.doc_id WHERE d.duplicate_of IS NULL "
        f"AND {cond} (SELECT 1 FROM track_directives t WHERE t.directive_id = x.id)", "x.doc_id", doc_ids,
        tail=" ORDER BY x.id")
    rows.sort(key=lambda r: r[0])
    out = []
    bodies = _Bodies(db)
    for did, text, date, sectors, parties, deadline_text, deadline_kind, doc_id, start, place, level in rows:
        out.append(Query(did, text, ordinal(date), json.loads(sectors or "[]"),
                         not_the_task(json.loads(parties or "[]"), deadline_text, deadline_kind), doc_id, start,
                         government(place, level), _lead(db, bodies, doc_id, start) if is_item(text) else None))
    return out


def _lead(db: sqlite_utils.Database, bodies: "_Bodies", doc_id: int, start: int) -> Lead | None:
    """The lead sentence of the named list a directive is an item of (lists.py), from its paragraph
    (the items of one list share their document's body, read once)."""
    para = db.execute('SELECT para FROM sentences WHERE doc_id = ? AND start <= ? AND "end" > ?',
                      [doc_id, start, start]).fetchone()
    if para is None:
        return None
    spans = db.execute('SELECT start, "end", para FROM sentences WHERE doc_id = ? AND para = ? ORDER BY idx',
                       [doc_id, para[0]]).fetchall()
    return list_lead(bodies(doc_id), [tuple(r) for r in spans], start)


class _Bodies:
    """Document bodies on demand, each read once."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db, self.cache = db, {}

    def __call__(self, doc_id: int) -> str:
        if doc_id not in self.cache:
            self.cache[doc_id] = self.db.execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        return self.cache[doc_id]


def track_store(db: sqlite_utils.Database, as_of: dt.date | None = None, scorer: Scorer | None = None,
                full: bool = False, runner: Runner | None = None, shards: int | None = None,
                details: bool = False) -> dict[str, Any]:
    """Update evidence for everything new since the last run; counts for the run's summary.

    ``full`` forgets what earlier runs found and tracks everything again. ``runner`` says where
    the work runs (``pipeline.executor``; this process by default) and ``shards`` in how many
    parts by province (``shard.py``; default: one in this process, two per worker on a cluster).
    Whatever the parts, what is found is what one process finds: the weights are the whole
    store's and the choosing is done here, on all the parts' results; this process alone writes.
    ``details`` adds each shard's size, time and memory (``shard_figures``) to the counts.
    """
    from . import shard

    runner = runner or inline_runner()
    as_of = as_of or dt.date.today()
    if full:
        with db.conn:
            db.conn.execute("DELETE FROM evidence")
            db.conn.execute("DELETE FROM track_directives")
            db.conn.execute("DELETE FROM track_docs")
    reset = _reset_if_outdated(db)
    clock = [time.perf_counter()]
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        clock.append(time.perf_counter())
        seconds[name] = round(clock[-1] - clock[-2], 2)

    new_docs = _index_new_documents(db, None if runner.in_process else shard.term_doc_mapper(runner))
    lap("read_documents")
    scorer = scorer or default_scorer()
    specs = shard.plan(db, shard.shard_count(runner, shards), new_docs)
    lap("plan")
    results = shard.run_shards(db, runner, specs, scorer)
    lap("match")
    new, old, untracked, dated = shard.combine(results, scorer)
    found = select_evidence(new, scorer) + select_evidence(old, scorer)
    lap("select")
    now = _now()
    with db.conn:
        db.conn.executemany(
            'INSERT OR REPLACE INTO evidence (directive_id, doc_id, sent_idx, start, "end", text, status, score, '
            "via, tracker_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(e.query, e.doc_key, e.sent_idx, e.start, e.end, e.text, e.status, e.score, e.via, TRACKER_VERSION, now)
             for e in found])
        db.conn.executemany(
            "INSERT OR REPLACE INTO track_directives (directive_id, tracker_version, tracked_at) VALUES (?,?,?)",
            [(key, TRACKER_VERSION, now) for key in untracked])
    lap("write")
    summary = status_counts(db, as_of)
    lap("statuses")
    by_via: dict[str, int] = {}
    for e in found:
        if e.via != "text":
            by_via[e.via] = by_via.get(e.via, 0) + 1
    return {"new_documents": len(new_docs), "new_directives": dated,
            "undated_directives": len(untracked) - dated, "new_evidence": len(found),
            "new_evidence_by_via": by_via, "shards": len(results),
            "restarted": reset or full, "as_of": as_of.isoformat(), **summary, "seconds": seconds,
            **({"shard_figures": [shard.figures(r) for r in results]} if details else {})}


# -- statuses -----------------------------------------------------------------
def statuses(db: sqlite_utils.Database, as_of: dt.date | None = None,
             directive_ids: list[int] | None = None) -> dict[int, DirectiveStatus]:
    """The status of every directive (or of ``directive_ids``) as of a date, with its evidence best first.

    Evidence from documents dated after ``as_of`` does not count yet, nor from a document superseded by
    its source's newer version (the new version is indexed and linked in its place).
    """
    as_of = as_of or dt.date.today()
    where, params = "", []
    if directive_ids is not None:
        if not directive_ids:
            return {}
        where = f" AND x.id IN ({','.join('?' * len(directive_ids))})"
        params = list(directive_ids)
    deadlines = {row[0]: row[1] for row in db.execute(
        "SELECT x.id, x.deadline_date FROM directives x JOIN documents d ON d.id = x.doc_id "
        f"WHERE d.duplicate_of IS NULL{where}", params).fetchall()}
    evidence: dict[int, list[dict[str, Any]]] = {k: [] for k in deadlines}
    for row in db.execute(
            f'SELECT e.directive_id, e.doc_id, d.source, d.title, {_date_sql()}, e.start, e."end", e.text, e.status, '
            f"e.score, e.via FROM evidence e JOIN documents d ON d.id = e.doc_id JOIN directives x ON x.id = e.directive_id "
            f"WHERE d.duplicate_of IS NULL AND ({_date_sql()} IS NULL OR substr({_date_sql()}, 1, 10) <= ?){where} "
            "ORDER BY e.directive_id, e.score DESC, e.doc_id, e.start", [as_of.isoformat()] + params).fetchall():
        keys = ("directive_id", "doc_id", "source", "title", "date", "start", "end", "text", "status", "score", "via")
        rec = dict(zip(keys, row))
        if rec["directive_id"] in evidence:
            evidence[rec["directive_id"]].append(rec)
    return {k: DirectiveStatus(overall_status([e["status"] for e in ev], deadlines[k], as_of), ev, deadlines[k])
            for k, ev in evidence.items()}


def status_counts(db: sqlite_utils.Database, as_of: dt.date, all_topics: bool = False) -> dict[str, int]:
    """How many directives have each status as of a date (the strongest evidence found in SQL).

    Work-safety directives only unless ``all_topics``: the nightly summary counts what the lists show."""
    counts = {s: 0 for s in ("done", "in_progress", "mentioned", "no_evidence", "overdue")}
    names = {rank: name for name, rank in RANK.items()}
    rows = db.execute(
        "SELECT x.deadline_date, (SELECT max(CASE e.status WHEN 'done' THEN 3 WHEN 'in_progress' THEN 2 "
        "ELSE 1 END) FROM evidence e JOIN documents ed ON ed.id = e.doc_id WHERE e.directive_id = x.id "
        f"AND ed.duplicate_of IS NULL AND ({_date_sql('ed')} IS NULL OR substr({_date_sql('ed')}, 1, 10) <= ?)) "
        "FROM directives x JOIN documents d ON d.id = x.doc_id WHERE d.duplicate_of IS NULL"
        + ("" if all_topics else " AND x.safety != 0"),
        [as_of.isoformat()]).fetchall()
    for deadline, best in rows:
        counts[overall_status([names[best]] if best else [], deadline, as_of)] += 1
    return counts
