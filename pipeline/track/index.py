"""The candidate index: TF-IDF over the terms of every indexed sentence.

Comparing every directive with every later sentence does not scale (10⁵ × 10⁶
pairs); a sparse product of pruned TF-IDF vectors does: terms that many
sentences or most documents share (boilerplate such as 今年工作的总体要求) are
dropped from the queries, each directive keeps its rarest terms up to a budget
of postings (so a query costs the same in a small store and a large one), and
the product is taken in chunks of directives sorted by date against
date-ordered blocks of sentences, so that older blocks are skipped. What is
stored per document are the hashed term ids of its sentences with their
clause numbers (``TermDoc``): the index grows by appending documents, and the
weights (IDF) are recomputed from those arrays in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .terms import N_FEATURES, weak_ids

# Pruning, chosen so that a query touches few postings (see scripts/bench_track.py).
MAX_QUERY_TERMS = 64          # most specific terms kept per directive
MIN_QUERY_TERMS = 8           # ... always at least this many
POSTINGS_BUDGET = 10_000      # ... and no more than open this many postings together
MAX_SENTENCE_SHARE = 0.05     # a term in more sentences than this is not used to retrieve
MIN_SENTENCE_CAP = 50         # (pruning is for large stores: a small one keeps every term)
MAX_DOCUMENT_SHARE = 0.5      # nor one in more documents than this (once there are enough)
MIN_DOCS_FOR_DOC_SHARE = 20
NNZ_PER_CHUNK = 20_000_000    # bound on the postings one chunk of queries may touch
ROW_BLOCKS = 16               # date-ordered blocks: a chunk skips the blocks older than its queries
MIN_BLOCK_ROWS = 20_000       # ... but no smaller: each block's transpose indexes the whole term space (4M
                              # entries, 16 MB), which a small index (a shard) would pay 16 times for nothing


@dataclass
class TermDoc:
    """One document's sentences as the index holds them."""

    key: int                      # the store's document id (or a position, in `followup`)
    date: int                     # proleptic ordinal of its date; 0 when unknown
    sent_idx: np.ndarray          # int32, the sentence numbers of the document
    starts: np.ndarray            # int32 body offsets
    ends: np.ndarray
    context: np.ndarray           # int8, status.Context of each sentence
    ptr: np.ndarray               # int64 (n + 1), slices of `terms` per sentence
    terms: np.ndarray             # int32 hashed term ids
    clause: np.ndarray            # int16 clause number of each term inside its sentence
    outcome: np.ndarray | None = None   # uint16 per sentence: the outcome indicators it reports (outcomes.py)
    government: str | None = None       # whose document it is (outcomes.government), when known
    section: np.ndarray | None = None   # int32 per sentence: its section heading, a position in `sections`
    sections: tuple[str, ...] = ()      # the distinct section headings of the document (top two levels)
    pos: np.ndarray | None = None       # float32 per sentence: where it stands in its part (review, tasks), 0..1


@dataclass
class Candidates:
    """Per query, the rows of the index it may match, with the retrieval score."""

    query: np.ndarray             # int64 query numbers
    row: np.ndarray               # int64 index rows
    score: np.ndarray             # float32 cosine of the pruned vectors


@dataclass
class TermStats:
    """The counts the weights are made of: how many sentences and documents hold each term.

    A shard of the index (``shard.py``) holds some documents only; built with the counts of
    the whole store it weighs every term exactly as the single index does. Kept sparse
    (the terms that occur), so shipping them to a worker costs what the vocabulary costs.
    """

    n_rows: int                   # sentences of the whole index
    n_docs: int                   # documents of the whole index (those without sentences too)
    terms: np.ndarray             # int64 sorted term ids that occur
    sent_df: np.ndarray           # int64 per term: sentences holding it
    doc_df: np.ndarray            # int64 per term: documents holding it

    @classmethod
    def of(cls, docs: Iterable[TermDoc]) -> "TermStats":
        """The counts of some documents (each counted once: the caller partitions the store)."""
        sent_parts, doc_parts, n_rows, n_docs = [], [], 0, 0
        for d in docs:
            n_docs += 1
            n = len(d.sent_idx)
            n_rows += n
            if not len(d.terms):
                continue
            row = np.repeat(np.arange(n, dtype=np.int64), np.diff(d.ptr.astype(np.int64)))
            pairs = np.unique(row * N_FEATURES + d.terms.astype(np.int64))
            sent_parts.append(pairs % N_FEATURES)
            doc_parts.append(np.unique(d.terms.astype(np.int64)))
        sent_terms, sent_n = _counted(sent_parts)
        doc_terms, doc_n = _counted(doc_parts)
        return cls._aligned(n_rows, n_docs, sent_terms, sent_n, doc_terms, doc_n)

    @classmethod
    def total(cls, parts: Iterable["TermStats"]) -> "TermStats":
        """The counts of disjoint parts of the store added up."""
        parts = list(parts)
        terms = np.concatenate([p.terms for p in parts]) if parts else np.zeros(0, np.int64)
        sent = np.concatenate([p.sent_df for p in parts]) if parts else np.zeros(0, np.int64)
        doc = np.concatenate([p.doc_df for p in parts]) if parts else np.zeros(0, np.int64)
        uniq, inverse = np.unique(terms, return_inverse=True)
        sent_df = np.zeros(len(uniq), np.int64)
        doc_df = np.zeros(len(uniq), np.int64)
        np.add.at(sent_df, inverse, sent)
        np.add.at(doc_df, inverse, doc)
        return cls(sum(p.n_rows for p in parts), sum(p.n_docs for p in parts), uniq, sent_df, doc_df)

    @classmethod
    def _aligned(cls, n_rows: int, n_docs: int, sent_terms: np.ndarray, sent_n: np.ndarray,
                 doc_terms: np.ndarray, doc_n: np.ndarray) -> "TermStats":
        terms = np.union1d(sent_terms, doc_terms)
        sent_df = np.zeros(len(terms), np.int64)
        doc_df = np.zeros(len(terms), np.int64)
        sent_df[np.searchsorted(terms, sent_terms)] = sent_n
        doc_df[np.searchsorted(terms, doc_terms)] = doc_n
        return cls(n_rows, n_docs, terms, sent_df, doc_df)

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """(sentence counts, document counts) over the whole term space."""
        sent = np.zeros(N_FEATURES, np.int32)
        doc = np.zeros(N_FEATURES, np.int32)
        sent[self.terms] = self.sent_df
        doc[self.terms] = self.doc_df
        return sent, doc


PREFILTER_FACTOR = 4          # rows per query beyond which its best are found by partition before sorting


def _top_per_unit(vals: np.ndarray, k: int, units: np.ndarray | None) -> np.ndarray | None:
    """Positions of the values among the ``k`` largest of their unit (all one unit without ``units``),
    ties with the ``k``-th included; None when there are too few to be worth it (or nothing to drop)."""
    n = len(vals)
    if n <= PREFILTER_FACTOR * k:
        return None
    if units is None or not len(units) or (units == units[0]).all():
        kept = vals >= np.partition(vals, n - k)[n - k]
    else:
        kept = np.zeros(n, dtype=bool)
        for u in np.unique(units).tolist():
            member = np.flatnonzero(units == u)
            if len(member) <= k:
                kept[member] = True
            else:
                mv = vals[member]
                kept[member] = mv >= np.partition(mv, len(mv) - k)[len(mv) - k]
    if kept.all():
        return None
    return np.flatnonzero(kept)


def _counted(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.unique(np.concatenate(parts), return_counts=True)


@dataclass
class RowScope:
    """Which rows each query may retrieve, applied before its best ``k`` are taken (``link.py`` fills
    it from ``scope.py``).

    Taking the best ``k`` among the rows a query may use, rather than among all rows and
    filtering after, keeps other provinces' look-alike sentences from crowding a directive's
    own follow-ups out, and makes a query's candidates depend only on the rows of its own
    province and the shared ones (national, unplaced): what a shard of the store holds. A
    query whose scope spans provinces (a national directive, an unplaced one) takes its best
    ``k`` per province (each with the shared rows), so every province's follow-ups are
    candidates however many provinces the store holds, and a shard of some provinces finds
    exactly those provinces' part.
    """

    query_gov: np.ndarray         # int64 per query: its government's code
    allowed: np.ndarray           # bool [query government code, document government code]
    doc_gov: np.ndarray           # int64 per document of the index: its government's code
    doc_unit: np.ndarray          # int64 per document: its province's code, -1 when shared
    spans: np.ndarray             # bool per query: its scope spans provinces


@dataclass
class SentenceIndex:
    docs: list[TermDoc] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._built = False

    def add(self, doc: TermDoc) -> None:
        self.docs.append(doc)
        self._built = False

    # -- building ---------------------------------------------------------
    def build(self, stats: TermStats | None = None) -> "SentenceIndex":
        """Stack the documents (sorted by date) into one matrix and compute the weights.

        ``stats``: the counts of the whole store when this index holds a part of it (a shard):
        the weights are then those of the whole store. Without, the index's own counts.
        """
        order = sorted(range(len(self.docs)), key=lambda i: (self.docs[i].date, self.docs[i].key))
        docs = [self.docs[i] for i in order]
        self.docs = docs
        n_rows = sum(len(d.sent_idx) for d in docs)
        self.doc_of_row = np.repeat(np.arange(len(docs), dtype=np.int32),
                                    [len(d.sent_idx) for d in docs]) if docs else np.zeros(0, np.int32)
        self.date = np.repeat(np.array([d.date for d in docs], dtype=np.int64),
                              [len(d.sent_idx) for d in docs]) if docs else np.zeros(0, np.int64)
        self.context_of_row = np.concatenate([d.context for d in docs]).astype(np.int8) if docs \
            else np.zeros(0, np.int8)
        self.outcome = np.concatenate([d.outcome if d.outcome is not None and len(d.outcome) == len(d.sent_idx)
                                       else np.zeros(len(d.sent_idx), np.uint16) for d in docs]).astype(np.uint16) \
            if docs else np.zeros(0, np.uint16)
        self.doc_government = [d.government for d in docs]
        self.pos_of_row = np.concatenate([d.pos if d.pos is not None and len(d.pos) == len(d.sent_idx)
                                          else np.full(len(d.sent_idx), -1.0, np.float32) for d in docs]
                                         ).astype(np.float32) if docs else np.zeros(0, np.float32)
        # Section headings, numbered over the whole index (-1: none).
        self.sections: list[str] = []
        sec_parts = []
        for d in docs:
            if d.section is not None and len(d.section) == len(d.sent_idx):
                sec_parts.append(np.where(d.section >= 0, d.section + len(self.sections), -1).astype(np.int32))
                self.sections.extend(d.sections)
            else:
                sec_parts.append(np.full(len(d.sent_idx), -1, np.int32))
        self.section_of_row = np.concatenate(sec_parts) if docs else np.zeros(0, np.int32)
        indptr = [np.zeros(1, np.int64)]
        offset = 0
        for d in docs:
            indptr.append(d.ptr[1:].astype(np.int64) + offset)
            offset += int(d.ptr[-1])
        indptr_arr = np.concatenate(indptr)
        indices = np.concatenate([d.terms for d in docs]).astype(np.int32) if docs else np.zeros(0, np.int32)
        clause = np.concatenate([d.clause for d in docs]).astype(np.int64) if docs else np.zeros(0, np.int64)
        counts = sp.csr_matrix((np.ones(len(indices), np.float32), indices.copy(), indptr_arr.copy()),
                               shape=(n_rows, N_FEATURES))   # copies: sum_duplicates sorts them in place
        counts.sum_duplicates()
        self.binary = counts.copy()
        self.binary.data[:] = 1.0
        self.n_rows = n_rows
        if stats is None:
            self.sent_df = np.bincount(self.binary.indices, minlength=N_FEATURES).astype(np.int32)
            # Terms common across documents are boilerplate: they retrieve nothing.
            doc_rows = sp.csr_matrix((np.ones(n_rows, np.float32), (self.doc_of_row, np.arange(n_rows))),
                                     shape=(len(docs), n_rows)) if n_rows else sp.csr_matrix((0, 0))
            doc_terms = (doc_rows @ self.binary) if n_rows else sp.csr_matrix((0, N_FEATURES))
            doc_df = np.bincount(doc_terms.indices, minlength=N_FEATURES) if n_rows else np.zeros(N_FEATURES)
            self.stat_rows, stat_docs = n_rows, len(docs)
        else:
            self.sent_df, doc_df = stats.dense()
            self.stat_rows, stat_docs = stats.n_rows, stats.n_docs
        stat_rows = self.stat_rows
        self.idf = (np.log((stat_rows + 1) / (self.sent_df + 1)) + 1.0).astype(np.float32)
        self.weight = term_weights(self.idf)
        self.retrieval_ok = self.sent_df <= max(MIN_SENTENCE_CAP, MAX_SENTENCE_SHARE * stat_rows)
        if stat_docs >= MIN_DOCS_FOR_DOC_SHARE:
            self.retrieval_ok &= doc_df <= MAX_DOCUMENT_SHARE * stat_docs
        tf = counts
        tf.data = (1.0 + np.log(tf.data)).astype(np.float32)
        tf = tf.multiply(self.idf.reshape(1, -1)).tocsr()
        self.matrix = _normalise(tf)
        # Clauses of every sentence, as rows of term weights: global clause = clause_start[row] + number.
        row_of_term = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(indptr_arr))
        n_clauses = np.zeros(n_rows, np.int64)
        if len(clause):
            np.maximum.at(n_clauses, row_of_term, clause + 1)
        self.clause_start = np.concatenate([[0], np.cumsum(n_clauses)]).astype(np.int64)
        self.clause_row = np.repeat(np.arange(n_rows, dtype=np.int64), n_clauses)
        self.clauses = sp.csr_matrix((self.weight[indices], (self.clause_start[row_of_term] + clause, indices)),
                                     shape=(int(self.clause_start[-1]), N_FEATURES))
        self.clause_weight = np.asarray(self.clauses.sum(axis=1)).ravel()
        self.row_start = np.cumsum([0] + [len(d.sent_idx) for d in docs])
        # What orders rows of equal score the same way in any index holding them: (document key, start).
        self.key_of_row = np.repeat(np.array([d.key for d in docs], dtype=np.int64),
                                    [len(d.sent_idx) for d in docs]) if docs else np.zeros(0, np.int64)
        self.start_of_row = np.concatenate([d.starts for d in docs]).astype(np.int64) if docs \
            else np.zeros(0, np.int64)
        self._built = True
        self.__dict__.pop("_block_cache", None)
        self.__dict__.pop("_row_at", None)
        return self

    # -- looking things up ------------------------------------------------
    def locate(self, row: int) -> tuple[TermDoc, int]:
        """The document of a row and the position of the sentence inside it."""
        d = int(self.doc_of_row[row])
        return self.docs[d], row - int(self.row_start[d])

    def rare_idf(self) -> float:
        """The IDF of a term in the rarest ``rare_share`` of sentences (at least in two): "rare" means
        the same in a two-document ``followup`` and in a store of a million sentences."""
        from ..resources import load_toml

        share = float(load_toml("track_match.toml")["rare_share"])
        rows = getattr(self, "stat_rows", self.n_rows)     # the whole store's, for a shard
        df = max(2.0, share * rows)
        return float(np.log((rows + 1) / (df + 1)) + 1.0)

    def row_of(self, doc_key: int | None, start: int | None) -> int | None:
        """The index row of the sentence of a document that starts at ``start``, if it is indexed."""
        if doc_key is None or start is None:
            return None
        if not hasattr(self, "_row_at"):
            self._row_at = {(d.key, int(st)): (n, i) for n, d in enumerate(self.docs)
                            for i, st in enumerate(d.starts.tolist())}
        hit = self._row_at.get((doc_key, start))
        return None if hit is None else int(self.row_start[hit[0]]) + hit[1]

    def row_terms(self, doc_key: int, start: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(term ids, clause numbers) of the indexed sentence of a document that starts at ``start``."""
        row = self.row_of(doc_key, start)
        if row is None:
            return None
        d, i = self.locate(row)
        a, b = int(d.ptr[i]), int(d.ptr[i + 1])
        return d.terms[a:b], d.clause[a:b]

    def rows_of(self, keys: list[int]) -> np.ndarray:
        """A row mask: the sentences of the documents with these keys."""
        doc_keys = np.array([d.key for d in self.docs], dtype=np.int64)
        return np.isin(doc_keys, np.asarray(keys, dtype=np.int64))[self.doc_of_row]

    def query_matrix(self, term_lists: list[np.ndarray]) -> sp.csr_matrix:
        """TF-IDF vectors of queries, pruned to their most specific retrieving terms."""
        rows, cols, vals = [], [], []
        for q, ids in enumerate(term_lists):
            if not len(ids):
                continue
            uniq, cnt = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
            # A term only one sentence has (the directive's own, when it is indexed) retrieves nothing.
            keep = self.retrieval_ok[uniq] & (self.sent_df[uniq] >= 2)
            uniq, cnt = uniq[keep], cnt[keep]
            # The rarest terms first, as long as the postings they open stay within the budget:
            # a query's cost then no longer grows with the store.
            order = np.argsort(self.sent_df[uniq], kind="stable")[:MAX_QUERY_TERMS]
            within = np.cumsum(self.sent_df[uniq[order]]) <= POSTINGS_BUDGET
            within[:MIN_QUERY_TERMS] = True
            uniq, cnt = uniq[order[within]], cnt[order[within]]
            w = (1.0 + np.log(cnt)) * self.idf[uniq]
            rows.append(np.full(len(uniq), q))
            cols.append(uniq)
            vals.append(w)
        if not rows:
            return sp.csr_matrix((len(term_lists), N_FEATURES), dtype=np.float32)
        m = sp.csr_matrix((np.concatenate(vals).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(term_lists), N_FEATURES))
        return _normalise(m)

    def candidates(self, term_lists: list[np.ndarray], dates: list[int], k: int = 30,
                   min_score: float = 0.05, row_mask: np.ndarray | None = None,
                   scope: RowScope | None = None) -> Candidates:
        """The ``k`` best rows per query among sentences of documents dated after the query's,
        best first (equal scores by document key and offset, so any index holding the rows
        ranks them alike).

        ``row_mask`` (bool per row) restricts the search further: an incremental
        run matches old directives only against the rows of new documents. ``scope``
        restricts each query to the rows it may use before its best are taken (``RowScope``).
        """
        if not self._built:
            self.build()
        q = self.query_matrix(term_lists)
        dates_arr = np.asarray(dates, dtype=np.int64)
        order = np.argsort(dates_arr, kind="stable")
        first_later = np.searchsorted(self.date, dates_arr, side="right")
        present = q.copy()
        present.data[:] = 1.0
        cost = np.asarray(present @ self.sent_df.astype(np.float64)).ravel()
        blocks = self._blocks(row_mask)
        row_gov = row_unit = None
        n_units = 0
        if scope is not None:
            row_gov = scope.doc_gov[self.doc_of_row]
            row_unit = scope.doc_unit[self.doc_of_row]
            n_units = len(np.unique(scope.doc_unit[scope.doc_unit >= 0]))
        out_q, out_r, out_s = [], [], []
        i, n = 0, len(order)
        while i < n:
            j, acc = i, 0.0
            while j < n and (j == i or acc + cost[order[j]] <= NNZ_PER_CHUNK):
                acc += cost[order[j]]
                j += 1
            chunk = order[i:j]
            i = j
            lo = int(first_later[chunk].min())
            parts = [(b0, mt) for b0, b1, mt in blocks if b1 > lo]
            if not parts:
                continue
            qc = q[chunk]
            products = [(b0, (qc @ mt).tocsr()) for b0, mt in parts]
            for local, qi in enumerate(chunk):
                cols_l, vals_l = [], []
                for b0, prod in products:
                    a, b = prod.indptr[local], prod.indptr[local + 1]
                    if a < b:
                        cols_l.append(prod.indices[a:b] + b0)
                        vals_l.append(prod.data[a:b])
                if not cols_l:
                    continue
                cols, vals = np.concatenate(cols_l), np.concatenate(vals_l)
                keep = (cols >= first_later[qi]) & (vals >= min_score)
                if row_mask is not None:
                    keep &= row_mask[cols]
                if scope is not None:
                    keep &= scope.allowed[scope.query_gov[qi], row_gov[cols]]
                cols, vals = cols[keep], vals[keep]
                top = self._best(cols, vals, k, row_unit if scope is not None and scope.spans[qi] else None,
                                 n_units)
                cols, vals = cols[top], vals[top]
                out_q.append(np.full(len(cols), qi, dtype=np.int64))
                out_r.append(cols.astype(np.int64))
                out_s.append(vals.astype(np.float32))
        if not out_q:
            e = np.zeros(0, np.int64)
            return Candidates(e, e, np.zeros(0, np.float32))
        return Candidates(np.concatenate(out_q), np.concatenate(out_r), np.concatenate(out_s))

    def _best(self, cols: np.ndarray, vals: np.ndarray, k: int, row_unit: np.ndarray | None,
              n_units: int) -> np.ndarray:
        """Positions of the best ``k`` of ``cols``, best first; with ``row_unit`` the best ``k`` of each
        province's rows together with the shared rows (unit -1), all provinces of the index
        counted — a province none of whose rows is among ``cols`` contributes the best shared rows.

        Only rows among the best ``k`` of their own province (or of the shared rows), ties included,
        can be chosen either way, so those are found first in linear time and only they are
        sorted: a query may touch tens of thousands of rows and keeps forty."""
        kept = _top_per_unit(vals, k, row_unit[cols] if row_unit is not None else None)
        if kept is not None:
            return kept[self._ranked_best(cols[kept], vals[kept], k, row_unit, n_units)]
        return self._ranked_best(cols, vals, k, row_unit, n_units)

    def _ranked_best(self, cols: np.ndarray, vals: np.ndarray, k: int, row_unit: np.ndarray | None,
                     n_units: int) -> np.ndarray:
        """``_best`` by sorting all of ``cols``."""
        order = np.lexsort((self.start_of_row[cols], self.key_of_row[cols], -vals.astype(np.float64)))
        if row_unit is None or len(order) <= k:
            return order[:k]
        units = row_unit[cols[order]]
        shared = units < 0
        chosen = np.zeros(len(order), dtype=bool)
        seen = np.unique(units[~shared])
        for u in seen.tolist():
            member = shared | (units == u)
            chosen |= member & (np.cumsum(member) <= k)
        if len(seen) < n_units or n_units == 0:
            chosen |= shared & (np.cumsum(shared) <= k)
        return order[chosen]

    def _blocks(self, row_mask: np.ndarray | None) -> list[tuple[int, int, sp.csr_matrix]]:
        """Date-ordered blocks of rows, transposed once (term × sentence) for the products."""
        if not hasattr(self, "_block_cache"):
            n_blocks = min(ROW_BLOCKS, max(1, -(-self.n_rows // MIN_BLOCK_ROWS)))
            bounds = np.linspace(0, self.n_rows, n_blocks + 1).astype(int)
            self._block_cache = [(int(a), int(b), None) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
        out = []
        for n, (a, b, mt) in enumerate(self._block_cache):
            if row_mask is not None and not row_mask[a:b].any():
                continue
            if mt is None:
                mt = self.matrix[a:b].T.tocsr()
                self._block_cache[n] = (a, b, mt)
            out.append((a, b, mt))
        return out


def term_weights(idf: np.ndarray) -> np.ndarray:
    """What a term weighs when the matcher asks "same task?": its IDF, little for administrative words."""
    from ..resources import load_toml

    w = idf.copy()
    w[weak_ids()] *= float(load_toml("track_match.toml")["weak_factor"])
    return w


def _normalise(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ m)
