"""The features the real-pair model reads beyond the rule features: meaning and structure.

- ``vec``: cosine of the directive's and the sentence's vectors (``vectors.py``):
  paraphrases share meaning, not words;
- ``head_vec``: the same for the section headings they stand under: a review
  reports a plan's safety tasks under its own safety heading;
- ``pos_gap``: how far apart they stand in their parts (the plan's tasks, the
  review): a review walks the plan's task list in order;
- ``backward`` / ``forward``: whether the sentence stands in a review or in the
  coming period's tasks.

All are array operations over the candidate pairs.
"""

from __future__ import annotations

import numpy as np

from ..parse.textnorm import analysis_form
from .index import Candidates, SentenceIndex
from .status import Context
from .terms import N_FEATURES, sentence_terms
from .vectors import embed, term_matrix

UNKNOWN_GAP = 0.5
CHUNK = 100_000          # pairs per gathered block of vectors (bounds memory)


def _section_vectors(index: SentenceIndex, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted section numbers, their unit vectors) for the sections numbered ``wanted`` (each heading
    read and embedded once per index)."""
    cache = index.__dict__.setdefault("_section_vecs", {})
    ids = np.unique(wanted[wanted >= 0]).astype(np.int64)
    todo = [int(s) for s in ids if int(s) not in cache]
    if todo:
        terms = [np.asarray(sentence_terms(analysis_form(index.sections[s]))[0], np.int64) for s in todo]
        cache.update(zip(todo, embed(term_matrix(terms, N_FEATURES), index.idf)))
    if not len(ids):
        return ids, np.zeros((0, 1), np.float32)
    return ids, np.stack([cache[int(s)] for s in ids])


def _rowwise_cos(a: np.ndarray, a_of: np.ndarray, b: np.ndarray, b_of: np.ndarray) -> np.ndarray:
    """a[a_of[i]] · b[b_of[i]] for every i, in chunks (the gathered vectors of millions of pairs
    would not fit in memory at once)."""
    out = np.zeros(len(a_of), np.float64)
    for lo in range(0, len(a_of), CHUNK):
        hi = lo + CHUNK
        out[lo:hi] = np.einsum("ij,ij->i", a[a_of[lo:hi]], b[b_of[lo:hi]])
    return out


def pair_extra(index: SentenceIndex, query_terms: list[np.ndarray], query_rows: list[int | None],
               cands: Candidates) -> dict[str, np.ndarray]:
    """The extra features of every candidate pair (``query_rows``: each directive's own index row)."""
    n = len(cands.query)
    q_vecs = embed(term_matrix(query_terms, N_FEATURES), index.idf)
    rows, inverse = np.unique(cands.row, return_inverse=True)
    r_vecs = embed(index.binary[rows], index.idf)
    vec = _rowwise_cos(q_vecs, cands.query, r_vecs, inverse)

    q_row = np.array([r if r is not None else -1 for r in query_rows], dtype=np.int64)
    has_row = q_row >= 0
    q_sec = np.where(has_row, index.section_of_row[np.maximum(q_row, 0)], -1) if len(q_row) else q_row
    q_pos = np.where(has_row, index.pos_of_row[np.maximum(q_row, 0)], -1.0) if len(q_row) else q_row
    pq_sec, r_sec = q_sec[cands.query], index.section_of_row[cands.row]
    sec_ids, sec_vecs = _section_vectors(index, np.concatenate([pq_sec, r_sec]))
    head_vec = np.zeros(n)
    both = np.flatnonzero((pq_sec >= 0) & (r_sec >= 0))
    if len(both):
        head_vec[both] = _rowwise_cos(sec_vecs, np.searchsorted(sec_ids, pq_sec[both]),
                                      sec_vecs, np.searchsorted(sec_ids, r_sec[both]))
    pq_pos, r_pos = q_pos[cands.query], index.pos_of_row[cands.row]
    pos_gap = np.where((pq_pos >= 0) & (r_pos >= 0), np.abs(pq_pos - r_pos), UNKNOWN_GAP)
    ctx = index.context_of_row[cands.row]
    return {"vec": vec, "head_vec": head_vec, "pos_gap": pos_gap.astype(np.float64),
            "backward": (ctx == int(Context.BACKWARD)).astype(np.float64),
            "forward": (ctx == int(Context.FORWARD)).astype(np.float64)}
