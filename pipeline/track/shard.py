"""Tracking in shards: the store split by province, scored apart, chosen together.

A directive may be followed up only by documents of its own government, of those below it
and of the nation (``scope.py``), so a province's directives need that province's documents
and the shared ones — national documents and those whose place is not found — and nothing
else. A shard is a few provinces plus the shared documents; a national or unplaced
directive is a directive of a shared document and so goes to every shard, each finding its
candidates among its own provinces (``index.RowScope``: the best per province).

Two things are global, and are done outside the shards so that N shards find exactly what
one index finds: the term counts behind the weights (IDF, which terms may retrieve) are
summed over disjoint parts of the store first (``TermStats``) and handed to every shard;
and the choosing among candidates (best per directive and document, caps, outcome links
standing in for text) runs on the merged results of all shards (``link.select_evidence``),
by the caller, which alone writes.

With one shard (the default in one process) the index is the whole store and computes its
own counts: the same work the tracker always did.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlite_utils

from ..executor.base import Runner
from .index import TermDoc, TermStats
from .link import Scored, score_evidence
from .outcomes import government
from .scope import unit
from .scoring import Scorer

INDEX_BATCH = 32            # documents tokenised per task when indexing on a cluster


@dataclass(frozen=True)
class ShardSpec:
    """What one shard reads from the store."""

    number: int
    units: tuple[str, ...]                 # its provinces (scope.unit)
    doc_ids: np.ndarray | None             # its documents and the shared ones; None: the whole store
    stat_ids: np.ndarray | None            # the documents it counts for the global term counts (disjoint)
    new_docs: np.ndarray                   # documents indexed by this run, among its own


@dataclass
class ShardResult:
    """A shard's scored pairs, before choosing, and what it cost."""

    number: int
    new: Scored                            # directives tracked for the first time, against every later row
    old: Scored                            # directives tracked before, against the new documents' rows
    untracked: list[tuple[int, bool]]      # (directive id, dated) of the directives tracked for the first time
    docs: int = 0
    rows: int = 0
    queries: int = 0
    seconds: float = 0.0
    probe: dict[str, Any] = field(default_factory=dict)   # filled by the worker-side wrapper (memory)


def plan(db: sqlite_utils.Database, n_shards: int, new_docs: Iterable[int]) -> list[ShardSpec]:
    """Split the originals of the store into at most ``n_shards`` shards of whole provinces,
    balanced by documents (the largest province first to the lightest shard). The shared documents
    are in every shard and counted by one each, in turn."""
    new = np.asarray(sorted(new_docs), dtype=np.int64)
    if n_shards <= 1:
        return [ShardSpec(0, (), None, None, new)]
    by_unit: dict[str, list[int]] = {}
    shared: list[int] = []
    units_of: dict[tuple[str | None, str | None], str | None] = {}
    for doc_id, place, level in db.execute(
            "SELECT d.id, d.place, d.level FROM documents d WHERE d.duplicate_of IS NULL ORDER BY d.id").fetchall():
        key = (place, level)
        if key not in units_of:
            units_of[key] = unit(government(place, level))
        u = units_of[key]
        (by_unit.setdefault(u, []) if u is not None else shared).append(doc_id)
    n = max(1, min(n_shards, len(by_unit)))
    load = [0] * n
    members: list[list[str]] = [[] for _ in range(n)]
    for u in sorted(by_unit, key=lambda u: (-len(by_unit[u]), u)):
        s = min(range(n), key=lambda i: (load[i], i))
        members[s].append(u)
        load[s] += len(by_unit[u])
    specs = []
    for s in range(n):
        own = sorted(d for u in members[s] for d in by_unit[u])
        doc_ids = np.asarray(sorted(own + shared), dtype=np.int64)
        stat_ids = np.asarray(sorted(own + shared[s::n]), dtype=np.int64)
        specs.append(ShardSpec(s, tuple(sorted(members[s])), doc_ids, stat_ids, new[np.isin(new, doc_ids)]))
    return specs


def shard_stats(db: sqlite_utils.Database, spec: ShardSpec) -> TermStats:
    """The term counts of the documents this shard counts (its share of the whole store's)."""
    from .tracker import indexed_documents

    return TermStats.of(indexed_documents(db, None if spec.stat_ids is None else spec.stat_ids.tolist()))


def score_shard(db: sqlite_utils.Database, spec: ShardSpec, stats: TermStats | None,
                scorer: Scorer) -> ShardResult:
    """Score a shard's directives against its index: every pair, nothing chosen yet."""
    from .tracker import _Bodies, _queries, load_index

    t0 = time.perf_counter()
    ids = None if spec.doc_ids is None else spec.doc_ids.tolist()
    index = load_index(db, ids, stats)
    old_queries = [q for q in _queries(db, tracked=True, doc_ids=ids) if q.date]
    untracked = _queries(db, tracked=False, doc_ids=ids)
    # A directive of an undated document has no "later": it stays without evidence.
    new_queries = [q for q in untracked if q.date]
    n_parts = len(scorer.parts or (scorer,))
    new, old = Scored.empty(n_parts), Scored.empty(n_parts)
    bodies = _Bodies(db)
    if index.n_rows:
        if new_queries:
            new = score_evidence(index, new_queries, bodies, None, scorer)
        if old_queries and len(spec.new_docs):
            old = score_evidence(index, old_queries, bodies, index.rows_of(spec.new_docs.tolist()), scorer)
    return ShardResult(spec.number, new, old, [(q.key, bool(q.date)) for q in untracked], len(index.docs),
                       index.n_rows, len(old_queries) + len(new_queries), round(time.perf_counter() - t0, 3))


def shard_count(runner: Runner, shards: int | None) -> int:
    """Shards asked for, else one in this process and two per worker on a cluster (a slow shard then
    holds up a worker, not the run)."""
    return shards if shards is not None else (1 if runner.in_process else 2 * runner.workers)


def run_shards(db: sqlite_utils.Database, runner: Runner, specs: list[ShardSpec], scorer: Scorer) -> list[ShardResult]:
    """Score the shards where ``runner`` runs things: the term counts first (one task per shard, each
    over its disjoint share), then the shards with the summed counts."""
    from ..executor import track_tasks

    store = db if runner.in_process else track_tasks.store_ref(db)
    if len(specs) == 1:
        stats = None
    else:
        stats = runner.share(TermStats.total(runner.map_all(track_tasks.count_terms, specs, store)))
    return runner.map_all(track_tasks.score, specs, store, stats, scorer)


def combine(results: list[ShardResult], scorer: Scorer) -> tuple[Scored, Scored, list[int], int]:
    """All shards' pairs as one (a pair two shards share kept once), the directives tracked for the
    first time, and how many of those are dated."""
    n_parts = len(scorer.parts or (scorer,))
    dated: dict[int, bool] = {}
    for r in results:
        for key, has_date in r.untracked:
            dated[key] = has_date
    return (Scored.merged([r.new for r in results], n_parts), Scored.merged([r.old for r in results], n_parts),
            sorted(dated), sum(dated.values()))


def figures(result: ShardResult) -> dict[str, Any]:
    """What a shard held and cost, for a run's details and the scale benchmark."""
    return {"shard": result.number, "docs": result.docs, "rows": result.rows, "queries": result.queries,
            "seconds": result.seconds, **{k: v for k, v in result.probe.items() if k != "seconds"}}


def term_doc_mapper(runner: Runner) -> Callable[[list[Any]], list[TermDoc]]:
    """Tokenise a batch of documents for the index on the runner's workers, a few documents a task,
    the results in order."""
    from ..executor import track_tasks

    def run(jobs: list[Any]) -> list[TermDoc]:
        chunks = [jobs[lo:lo + INDEX_BATCH] for lo in range(0, len(jobs), INDEX_BATCH)]
        return [td for part in runner.map_ordered(track_tasks.term_docs, chunks) for td in part]

    return run
