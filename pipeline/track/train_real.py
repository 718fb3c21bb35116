"""The pair model learned from real report pairs (``corpus/annotations/track_real.jsonl``).

The gold names, for each safety directive of an earlier report, the sentences of
the later report that follow it up (two annotators, adjudicated: see
``corpus/annotations/README.md``). Every candidate the matcher retrieves for a
directive becomes one training pair, labelled 1 when it is one of those
sentences (the scorer's 60% longest-common-substring rule) and 0 otherwise;
directives the annotators did not label (not about safety) teach nothing and are
left out. A logistic regression over ``scoring.PAIR_FEATURES`` is fitted, and
its thresholds (any sentence; the best report; the best new order of a directive in a
document) are chosen on the training pairs by replaying the tracker's selection
(``link.select``) for the best mean of evidence F1 and status accuracy.

``fit`` takes any subset of pairs, so ``scripts/eval_track_real.py`` trains on
some governments and scores the others; ``main`` trains on all of them and
writes ``models/track_pair_model.json`` with its card.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .demo import same_text
from .follow import Loaded, candidates, load
from .scoring import PAIR_FEATURES, PAIR_MODEL_PATH, LinearModel
from .status import RANK

ROOT = Path(__file__).resolve().parents[2]
REAL_PATH = ROOT / "corpus" / "annotations" / "track_real.jsonl"
# Other tasks of the same report pairs (economy, science, housing …), labelled the same way. Learning
# from them too did not carry to the governments never read (docs/measurements.md, Follow-up
# tracking): opt-in, never scored.
EXTRA_PATH = ROOT / "corpus" / "annotations" / "track_real_other.jsonl"
LOW_GAPS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)


def shared_dir() -> Path:
    return Path(os.environ.get("DUBAN_SHARED", ROOT.parent / "shared"))


@dataclass
class PairSpec:
    """One labelled plan → review pair."""

    name: str
    government: str
    source: str               # paths relative to ../shared
    later: str
    as_of: dt.date
    gold: list[dict[str, Any]] = field(default_factory=list)


def load_gold(path: Path = REAL_PATH) -> list[PairSpec]:
    specs: dict[str, PairSpec] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            spec = specs.setdefault(row["pair"], PairSpec(row["pair"], row["government"], row["source_path"],
                                                          row["later_path"], dt.date.fromisoformat(row["as_of"])))
            spec.gold.append(row)
    return list(specs.values())


_DOCS: dict[str, Loaded] = {}


def loaded(rel: str) -> Loaded:
    """A shared document, parsed once per process."""
    if rel not in _DOCS:
        _DOCS[rel] = load(shared_dir() / rel)
    return _DOCS[rel]


def gold_of(directive_text: str, gold: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((g for g in gold if same_text(directive_text, g["text"])), None)


@dataclass
class Labelled:
    """The candidates of one pair, as arrays, with what selection needs to replay."""

    x: np.ndarray             # pairs × PAIR_FEATURES
    y: np.ndarray             # 1: a gold evidence sentence
    group: list[tuple[str, int]]   # (pair, directive) of each candidate
    status: list[str]
    sentence: list[tuple[str, int]]  # (pair, sentence start) of each candidate
    n_gold: int               # gold evidence sentences of the labelled directives (recall's denominator)
    gold_status: dict[tuple[str, int], str] = field(default_factory=dict)   # per extracted gold directive
    n_directives: int = 0     # gold directives, extracted or not (status accuracy's denominator)


def labelled(spec: PairSpec) -> Labelled:
    setup, found = candidates(loaded(spec.source), [loaded(spec.later)], spec.as_of)
    texts = {q.key: q.text for q in setup.queries}
    gold_for = {k: gold_of(t, spec.gold) for k, t in texts.items()}
    xs, ys, groups, statuses, sents = [], [], [], [], []
    for e in found:
        g = gold_for.get(e.query)
        if g is None:
            continue
        xs.append([e.features.get(f, 0.0) for f in PAIR_FEATURES])
        ys.append(int(any(same_text(e.text, ev["text"]) for ev in g["evidence"])))
        groups.append((spec.name, e.query))
        statuses.append(e.status)
        sents.append((spec.name, e.start))
    # Evidence of gold directives the extractor missed cannot be found: it stays in the denominator.
    n_gold = sum(len(g["evidence"]) for g in spec.gold)
    gold_status = {(spec.name, k): g["status"] for k, g in gold_for.items() if g is not None}
    return Labelled(np.asarray(xs, float).reshape(-1, len(PAIR_FEATURES)), np.asarray(ys, int), groups, statuses,
                    sents, n_gold, gold_status, len(spec.gold))


def demo_labelled() -> Labelled:
    """The labelled demo pairs (``corpus/annotations/track_pairs.jsonl``, invented documents) in the same
    shape: many sentences there share a sector and not the task, which real reviews teach less often.
    The demo's intended statuses (``corpus/demo/followups.json``) count in the choice of thresholds
    like the real ones; a directive meant to be overdue is left out (selection does not decide it)."""
    from .demo import load_followups
    from .train import DEMO, featurised_pairs

    pairs = featurised_pairs()
    intended: dict[str, list[str]] = {}
    for f in load_followups(DEMO):
        intended.setdefault(f["directive_text"], []).append(f["status"])

    def status_of(text: str) -> str | None:
        for listed, statuses in intended.items():
            if same_text(listed, text):
                if "overdue" in statuses:
                    return None
                ranked = [st for st in statuses if st in RANK]
                return max(ranked, key=RANK.__getitem__) if ranked else "no_evidence"
        return None

    x = np.asarray([[p["features"].get(f, 0.0) for f in PAIR_FEATURES] for p in pairs], float)
    y = np.asarray([int(p["label"]) for p in pairs], int)
    groups = [("demo:" + p["directive_file"], hash(p["directive_text"])) for p in pairs]
    gold_status = {}
    for g, p in zip(groups, pairs):
        if g not in gold_status:
            gold_status[g] = status_of(p["directive_text"])
    gold_status = {g: st for g, st in gold_status.items() if st is not None}
    return Labelled(x.reshape(-1, len(PAIR_FEATURES)), y, groups, [p["status"] for p in pairs],
                    [("demo:" + p["later_file"], hash(p["sentence_text"])) for p in pairs], int(y.sum()),
                    gold_status, len(gold_status))


def _replay(scores: np.ndarray, data: Labelled, threshold: float, low_report: float,
            low_order: float) -> tuple[float, float]:
    """(evidence F1, status accuracy) of the tracker's selection (``link.select``, one later
    document) at these thresholds: everything at the threshold, and the best report and the best
    order of each directive at their low thresholds; a directive's status is its strongest evidence."""
    keep = scores >= threshold
    best: dict[tuple[tuple[str, int], bool], int] = {}
    for i, (g, st) in enumerate(zip(data.group, data.status)):
        k = (g, st in ("done", "in_progress"))
        if k not in best or scores[i] > scores[best[k]]:
            best[k] = i
    for (_, report), i in best.items():
        if scores[i] >= (low_report if report else low_order):
            keep[i] = True
    tp = int((keep & (data.y == 1)).sum())
    status: dict[tuple[str, int], str] = {}
    for i in np.flatnonzero(keep):
        g, st = data.group[i], data.status[i]
        if g not in status or RANK[st] > RANK[status[g]]:
            status[g] = st
    # Status accuracy per kind of document (real reports, the demo's county documents), then their
    # mean: the few demo directives must not be outvoted by the many real ones.
    right: dict[bool, int] = {}
    seen: dict[bool, int] = {}
    for g, gold in data.gold_status.items():
        demo = str(g[0]).startswith("demo:")
        seen[demo] = seen.get(demo, 0) + 1
        right[demo] = right.get(demo, 0) + int(status.get(g, "no_evidence") == gold)
    missing = data.n_directives - sum(seen.values())        # gold directives the extractor missed
    accuracy = [right.get(False, 0) / max(1, seen.get(False, 0) + missing)]
    if seen.get(True):
        accuracy.append(right[True] / seen[True])
    return 2 * tp / max(1, int(keep.sum()) + data.n_gold), float(np.mean(accuracy))


def merge(parts: Iterable[Labelled]) -> Labelled:
    parts = list(parts)
    return Labelled(np.vstack([p.x for p in parts]) if parts else np.zeros((0, len(PAIR_FEATURES))),
                    np.concatenate([p.y for p in parts]) if parts else np.zeros(0, int),
                    [g for p in parts for g in p.group], [s for p in parts for s in p.status],
                    [s for p in parts for s in p.sentence], sum(p.n_gold for p in parts),
                    {k: v for p in parts for k, v in p.gold_status.items()}, sum(p.n_directives for p in parts))


def fold_training(held_out: str, labelled_pairs: Iterable[tuple[PairSpec, Labelled]],
                  extra: Iterable[Labelled] = ()) -> Labelled:
    """What a fold learns from when ``held_out`` is the government scored: every other government's labelled
    pairs (safety directives, other tasks) and ``extra`` (the demo pairs); nothing of its own."""
    return merge([d for s, d in labelled_pairs if s.government != held_out] + list(extra))


def fit(data: Labelled, features: tuple[str, ...] = PAIR_FEATURES, c: float = 1.0) -> LinearModel:
    """Logistic regression on the chosen features; thresholds by replayed selection on the same pairs."""
    from sklearn.linear_model import LogisticRegression

    cols = [PAIR_FEATURES.index(f) for f in features]
    x = data.x[:, cols]
    mean, std = x.mean(axis=0), x.std(axis=0)
    scale = np.where(std > 1e-6, std, 1.0)
    clf = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, data.y)
    scores = clf.predict_proba((x - mean) / scale)[:, 1]
    grid = np.unique(np.round(np.quantile(scores[data.y == 1], np.linspace(0.0, 0.95, 20)), 3)) \
        if data.y.sum() else np.array([0.5])
    # Evidence and statuses are scored alike (issue 10): the thresholds serve both.
    best = (-1.0, 0.5, 0.5, 0.5)
    for t in grid:
        for gap_report in LOW_GAPS:
            for gap_order in LOW_GAPS:
                f1, accuracy = _replay(scores, data, float(t), float(t) - gap_report, float(t) - gap_order)
                if (f1 + accuracy) / 2 > best[0] + 1e-9:
                    best = ((f1 + accuracy) / 2, float(t), float(t) - gap_report, float(t) - gap_order)
    return LinearModel([round(float(v), 5) for v in clf.coef_[0]], round(float(clf.intercept_[0]), 5),
                       round(best[1], 4), round(max(0.0, best[3]), 4), [round(float(m), 5) for m in mean],
                       [round(float(s), 5) for s in scale], tuple(features), round(max(0.0, best[2]), 4))


def main() -> None:
    """``python -m pipeline.track.train_real [--demo] [--other-tasks]``: train on every labelled real pair
    (and, with ``--demo``, the labelled demo pairs; with ``--other-tasks``, the pairs' labelled other
    tasks) and write the model and card."""
    import sys

    specs = load_gold()
    other = load_gold(EXTRA_PATH) if "--other-tasks" in sys.argv else []
    with_demo = "--demo" in sys.argv
    data = merge([labelled(s) for s in specs + other] + ([demo_labelled()] if with_demo else []))
    model = fit(data)
    card = {"trained_on": [str(REAL_PATH.relative_to(ROOT))]
            + ([str(EXTRA_PATH.relative_to(ROOT))] if other else [])
            + (["corpus/annotations/track_pairs.jsonl"] if with_demo else []),
            "pairs": [s.name for s in specs],
            "candidates": int(len(data.y)), "positives": int(data.y.sum()), "gold_evidence": data.n_gold,
            "date": dt.date.today().isoformat(),
            "figures": "cross-validated by government: scripts/eval_track_real.py (README, Tracking)"}
    model.save(PAIR_MODEL_PATH, card=card)
    print(json.dumps({**card, "threshold": model.threshold, "low_threshold": model.low_threshold,
                      "coef": dict(zip(model.features, model.coef))}, ensure_ascii=False))


if __name__ == "__main__":
    main()
