"""Labelled directive–sentence pairs from the demo corpus, and the logistic matcher trained on them.

The pairs (``corpus/annotations/track_pairs.jsonl``) are every candidate the
index retrieves for the demo's directives, labelled 1 when the sentence follows
the directive up, 0 when it does not, null when the "directive" is no task at
all (a heading such as 加强组织领导, a report sentence the extractor took for an
order) and the pair teaches nothing. ``by`` says where a label comes from:
``followups`` (the links listed in ``corpus/demo/followups.json``), ``reader``
(a person read the best-scoring unlisted candidates: the list names the links
its author meant, not every restatement) or ``default`` (unlisted, unread: 0).
Regenerating keeps every label already in the file. Nothing from ../shared is
used: its gold is for measuring only.

``train()`` fits a logistic regression on the matcher's features, with
thresholds chosen by cross-validation grouped by source document, and reports
the rule score's figures on the same folds, so the two can be compared.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .demo import load_followups, same_text
from .link import find_evidence
from .scoring import FEATURES, MODEL_PATH, LinearModel, rule_score
from .tracker import _Bodies, _queries, load_index, track_store

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "corpus" / "demo"
PAIRS_PATH = ROOT / "corpus" / "annotations" / "track_pairs.jsonl"
AS_OF = dt.date(2025, 12, 31)
MIN_PAIR_SCORE = 0.15   # unlisted candidates scoring less are left out of the file (none was a follow-up)



def demo_store(path: Path):
    """A store at ``path`` with the demo corpus ingested and indexed (duplicates folded as ingest does)."""
    from ..ingest.pipeline import ingest_paths
    from ..store import open_db

    db = open_db(path)
    ingest_paths(db, [DEMO])
    track_store(db, as_of=AS_OF)
    return db


def demo_candidate_pairs() -> list[dict[str, Any]]:
    """The candidate pairs of the demo corpus, read from a store made for them and removed after (each
    training run made one more under the temporary directory and left it there)."""
    with tempfile.TemporaryDirectory(prefix="duban-track-") as folder:
        db = demo_store(Path(folder) / "demo.db")
        try:
            return candidate_pairs(db)
        finally:
            db.conn.close()


def candidate_pairs(db) -> list[dict[str, Any]]:
    """Every retrieved (directive, later sentence) pair of the store, with its features."""
    index = load_index(db)
    queries = [q for q in _queries(db, tracked=True) if q.date]
    found = find_evidence(index, queries, _Bodies(db), keep_all=True)
    by_id = {q.key: q for q in queries}
    src = dict(db.execute("SELECT x.id, d.source FROM directives x JOIN documents d ON d.id = x.doc_id").fetchall())
    docs = dict(db.execute("SELECT id, source FROM documents").fetchall())
    return [{"directive_file": Path(src[e.query]).name, "directive_text": by_id[e.query].text,
             "later_file": Path(docs[e.doc_key]).name, "sentence_text": e.text, "status": e.status,
             "context": int(e.context), "features": e.features} for e in found]


def _key(p: dict[str, Any]) -> tuple[str, str, str]:
    return p["directive_text"], p["later_file"], p["sentence_text"]


def write_pairs(path: Path = PAIRS_PATH) -> list[dict[str, Any]]:
    """Regenerate the candidate pairs, keeping the labels the file already has."""
    known = {_key(p): p for p in load_pairs(path) if p["by"] != "default"} if path.exists() else {}
    links = [f for f in load_followups(DEMO) if f.get("evidence_text")]
    out = []
    for p in demo_candidate_pairs():
        if _key(p) in known:
            rec = known[_key(p)]
        elif rule_score(p["features"]) < MIN_PAIR_SCORE:
            continue
        else:
            listed = any(same_text(p["directive_text"], f["directive_text"])
                         and same_text(p["sentence_text"], f["evidence_text"]) for f in links)
            rec = {**p, "label": int(listed), "by": "followups" if listed else "default"}
        out.append({k: rec[k] for k in ("directive_file", "directive_text", "later_file", "sentence_text",
                                        "label", "by")})
    out.sort(key=lambda p: (p["directive_file"], *_key(p)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def load_pairs(path: Path = PAIRS_PATH) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def featurised_pairs(path: Path = PAIRS_PATH) -> list[dict[str, Any]]:
    """The labelled pairs (null labels left out) with the features the current matcher gives them."""
    labels = {_key(p): p["label"] for p in load_pairs(path) if p["label"] is not None}
    return [{**p, "label": labels[_key(p)]} for p in demo_candidate_pairs() if _key(p) in labels]


def _best_threshold(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising pair F1."""
    best = (0.5, 0.0)
    for t in np.unique(np.round(scores, 3)):
        pred = scores >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1.0, pred.sum() + y.sum())
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    return float(2 * (pred & (y == 1)).sum() / max(1, pred.sum() + y.sum()))


def train(path: Path = PAIRS_PATH, folds: int = 5, save: bool = True) -> dict[str, Any]:
    """Fit the logistic matcher; report cross-validated pair F1 of model and rules."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    pairs = featurised_pairs(path)
    x = np.array([[p["features"][f] for f in FEATURES] for p in pairs], dtype=float)
    y = np.array([p["label"] for p in pairs])
    groups = np.array([p["directive_file"] for p in pairs])
    mean, std = x.mean(axis=0), x.std(axis=0)
    scale = np.where(std > 1e-6, std, 1.0)   # a feature that never varies in training stays inert
    z = (x - mean) / scale
    rules = np.array([rule_score(p["features"]) for p in pairs])
    cv_model, cv_rules, oof = [], [], np.zeros(len(y))
    n_splits = min(folds, len(set(groups)))
    for train_idx, test_idx in GroupKFold(n_splits=n_splits).split(z, y, groups):
        clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(z[train_idx], y[train_idx])
        p_train = clf.predict_proba(z[train_idx])[:, 1]
        t, _ = _best_threshold(p_train, y[train_idx])
        p_test = clf.predict_proba(z[test_idx])[:, 1]
        oof[test_idx] = p_test
        cv_model.append(_f1(p_test >= t, y[test_idx]))
        tr, _ = _best_threshold(rules[train_idx], y[train_idx])
        cv_rules.append(_f1(rules[test_idx] >= tr, y[test_idx]))
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(z, y)
    threshold, f1_all = _best_threshold(clf.predict_proba(z)[:, 1], y)
    low = max(0.05, threshold - 0.15)
    figures = {
        "pairs": int(len(y)), "positives": int(y.sum()), "folds": n_splits,
        "cv_pair_f1_model": round(float(np.mean(cv_model)), 3),
        "cv_pair_f1_rules": round(float(np.mean(cv_rules)), 3),
        "threshold": round(threshold, 3), "low_threshold": round(low, 3),
        "trained_on": str(path.relative_to(ROOT)), "date": dt.date.today().isoformat(),
    }
    if save:
        model = LinearModel([round(float(c), 5) for c in clf.coef_[0]], round(float(clf.intercept_[0]), 5),
                            round(threshold, 4), round(low, 4), [round(float(m), 5) for m in mean],
                            [round(float(s), 5) for s in scale])
        model.save(MODEL_PATH, card=figures)
    return figures




def main() -> None:
    """``python -m pipeline.track.train [--pairs]``: (re)write the pairs file, then train and report."""
    import sys

    if "--pairs" in sys.argv:
        print(f"{len(write_pairs())} pairs in {PAIRS_PATH.relative_to(ROOT)}")
    print(json.dumps(train(), ensure_ascii=False))


if __name__ == "__main__":
    main()
