"""The tracker's fast paths choose exactly what the plain definitions choose.

The scale bench (scripts/bench_track.py) made two shortcuts worth their code: a query's best
rows are found by partition before they are sorted, and the shared run of characters is read
from the directive's pairs made once. Both must give what the slow form gives, ties included,
or shards and one process would stop agreeing (tests/test_cluster.py).
"""
from __future__ import annotations

import numpy as np

from pipeline.track.index import SentenceIndex
from pipeline.track.match import RUN_CAP, run_in, shared_run


def plain_best(index: SentenceIndex, cols, vals, k, row_unit, n_units):
    """The definition, in plain Python: rows best first (score, then document key, then offset);
    the first ``k``; with provinces, each province's first ``k`` among its rows and the shared ones,
    and the shared rows' own first ``k`` when some province of the index has no row here."""
    ranked = sorted(range(len(cols)), key=lambda i: (-float(vals[i]), int(index.key_of_row[cols[i]]),
                                                     int(index.start_of_row[cols[i]])))
    if row_unit is None or len(ranked) <= k:
        return np.array(ranked[:k], dtype=np.int64)
    unit_of = {i: int(row_unit[cols[i]]) for i in ranked}
    provinces = sorted({u for u in unit_of.values() if u >= 0})
    chosen: set[int] = set()
    for province in provinces:
        chosen.update([i for i in ranked if unit_of[i] in (-1, province)][:k])
    if len(provinces) < n_units or n_units == 0:
        chosen.update([i for i in ranked if unit_of[i] == -1][:k])
    return np.array([i for i in ranked if i in chosen], dtype=np.int64)


def test_best_rows_by_partition_are_the_best_rows_by_sorting():
    rng = np.random.default_rng(3)
    index = SentenceIndex.__new__(SentenceIndex)
    n_rows = 20_000
    index.start_of_row = rng.integers(0, 500, n_rows)
    index.key_of_row = rng.integers(0, 30, n_rows)
    for trial in range(300):
        n = int(rng.integers(1, 1_200))
        cols = rng.choice(n_rows, n, replace=False)
        # Coarse values: many ties at the k-th place, which the order by (document, offset) must break.
        vals = np.round(rng.random(n), int(rng.integers(1, 3))).astype(np.float32)
        mode = trial % 3
        row_unit = None if mode == 0 else np.full(n_rows, -1) if mode == 1 else rng.integers(-1, 4, n_rows)
        n_units = int(rng.integers(0, 6)) if mode == 2 else 0
        expected = plain_best(index, cols, vals, 40, row_unit, n_units)
        assert np.array_equal(index._best(cols, vals, 40, row_unit, n_units), expected), trial


def plain_run(directive: str, sentence: str) -> float:
    """The longest run of characters (as successive pairs) the two share, capped, over the cap."""
    grams = {sentence[i:i + 2] for i in range(len(sentence) - 1)}
    best = run = 0
    for a, b in zip(directive, directive[1:]):
        run = run + 1 if a + b in grams else 0
        best = max(best, run)
    return min(best + 1 if best else 0, RUN_CAP) / RUN_CAP


def test_shared_run_with_early_stop_equals_the_plain_scan():
    rng = np.random.default_rng(5)
    alphabet = list("安全生产隐患排查治理消防应急管理防汛森林火")
    for _ in range(2_000):
        directive = "".join(rng.choice(alphabet, int(rng.integers(2, 40))))
        sentence = "".join(rng.choice(alphabet, int(rng.integers(2, 60))))
        grams = {sentence[i:i + 2] for i in range(len(sentence) - 1)}
        assert run_in(grams, directive) == plain_run(directive, sentence)
    assert shared_run("统筹实施城乡安居工程", "全面展开城市生命线、全域水患治理、城乡安居三大工程") == plain_run(
        "统筹实施城乡安居工程", "全面展开城市生命线全域水患治理城乡安居三大工程")
