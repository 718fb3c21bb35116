"""Word vectors trained on our own corpus, and sentence vectors built from them.

A review restates a task in words it shares with the plan only in meaning
(健全应急指挥体系 → 完善应急管理体系): word vectors learned from the real reports
place such words near each other. They are trained by ``scripts/train_vectors.py``
(gensim word2vec over the texts in ``../shared``; nothing is downloaded) and kept
as ``models/track_vectors.npz``: the hashed word ids of ``terms.py`` and one
unit vector per word. A sentence vector is the IDF-weighted mean of its words'
vectors, computed as one sparse × dense product over the index's rows, so it
costs the same for two documents as for a store of millions of sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from ..resources import models_dir
from .terms import HALF

VECTORS_FILE = "track_vectors.npz"


@dataclass(frozen=True)
class WordVectors:
    ids: np.ndarray        # int64, sorted hashed word ids
    vecs: np.ndarray       # float32, one unit row per id

    @property
    def dim(self) -> int:
        return int(self.vecs.shape[1])


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors | None:
    """The trained vectors, or None when this checkout has none (the features are then 0)."""
    path = models_dir() / VECTORS_FILE
    if not path.exists():
        return None
    data = np.load(path)
    vecs = data["vecs"].astype(np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    return WordVectors(data["ids"].astype(np.int64), vecs)


def embed(terms: sp.csr_matrix, idf: np.ndarray) -> np.ndarray:
    """Unit vectors of the rows of a (rows × term ids) matrix: IDF-weighted means of its words' vectors.

    Bigram ids and words without a vector are skipped; a row with none gets the zero vector.
    """
    wv = word_vectors()
    n = terms.shape[0]
    if wv is None or n == 0:
        return np.zeros((n, 1), np.float32)
    m = terms.tocsr()
    cols = m.indices.astype(np.int64)
    pos = np.searchsorted(wv.ids, cols)
    pos[pos >= len(wv.ids)] = 0
    hit = (cols < HALF) & (wv.ids[pos] == cols)
    data = np.where(hit, idf[cols], 0.0).astype(np.float32)
    mapped = sp.csr_matrix((data, np.where(hit, pos, 0), m.indptr), shape=(n, len(wv.ids)))
    out = np.asarray(mapped @ wv.vecs, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def term_matrix(term_lists: list[np.ndarray], n_features: int) -> sp.csr_matrix:
    """Rows of 1s at the given term ids (a term listed twice counts once)."""
    indptr = np.cumsum([0] + [len(t) for t in term_lists])
    idx = np.concatenate(term_lists).astype(np.int64) if term_lists and indptr[-1] else np.zeros(0, np.int64)
    m = sp.csr_matrix((np.ones(len(idx), np.float32), idx, indptr), shape=(len(term_lists), n_features))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m
