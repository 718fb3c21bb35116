"""Compare spaCy text classifiers with the current scikit-learn directive classifier.

All models are scored on the same out-of-fold predictions: 5 ``GroupKFold``
folds over ``corpus/annotations/sentences.jsonl`` with the groups that
``pipeline.extract.train.cross_validate`` uses (``f"{genre}:{i // 25}"``).
For each probabilistic model the threshold is the one that maximises
out-of-fold F1 on the grid train.py uses (0.20–0.80, step 0.02); the best over
a wide grid (0.01–0.99) is shown beside it. The rule-only baseline is a yes/no
decision, so it has no threshold.

Everything runs offline: ``spacy.blank("zh")`` with the jieba segmenter (jieba
ships its dictionary), no pretrained vectors. spaCy is not part of the install (no pipeline code
uses it): ``pip install -e '.[compare]'`` first.

    .venv/bin/python scripts/compare_classifiers.py [--epochs 10] [--no-cnn]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.extract.detect import _gate  # noqa: E402
from pipeline.extract.rules import rule_score, ruleset  # noqa: E402
from pipeline.extract.train import _kind, _prf, cross_validate, load_annotations  # noqa: E402
from pipeline.parse.textnorm import analysis_form  # noqa: E402

TRAIN_GRID = [t / 100 for t in range(20, 81, 2)]  # as in train.py
WIDE_GRID = [t / 100 for t in range(1, 100)]


def folds(rows: list[dict], n: int = 5):
    from sklearn.model_selection import GroupKFold

    labels = [int(r["label"]) for r in rows]
    groups = [f"{r.get('genre')}:{i // 25}" for i, r in enumerate(rows)]
    return list(GroupKFold(n_splits=n).split(rows, labels, groups))


def best(labels, probs, grid):
    t = max(grid, key=lambda t: _prf(labels, probs, t)[2])
    return (t, *_prf(labels, probs, t))


# --------------------------------------------------------------------------- spaCy

def textcat_model(arch: str, ngram: int = 2) -> dict:
    if arch == "bow":
        return {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                "ngram_size": ngram, "no_output_layer": False, "length": 262144, "nO": None}
    tok2vec = {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 96,
               "depth": 2, "embed_size": 2000, "window_size": 1, "maxout_pieces": 3,
               "subword_features": True}
    if arch == "cnn":  # TextCatCNN.v2 is TextCatReduce with mean pooling only
        return {"@architectures": "spacy.TextCatCNN.v2", "exclusive_classes": True,
                "tok2vec": tok2vec, "nO": None}
    if arch == "reduce":
        return {"@architectures": "spacy.TextCatReduce.v1", "exclusive_classes": True,
                "use_reduce_first": False, "use_reduce_last": False, "use_reduce_max": True,
                "use_reduce_mean": True, "tok2vec": tok2vec, "nO": None}
    raise ValueError(arch)


def spacy_cv(rows, texts, splits, model_cfg, epochs: int, batch: int = 16, drop: float = 0.2):
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    labels = [int(r["label"]) for r in rows]
    probs = [0.0] * len(rows)
    t0 = time.perf_counter()
    # Segmenting is part of the cost; done once, as the sklearn run extracts its features once.
    tok = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    docs = [tok.make_doc(t) for t in texts]
    for train_idx, test_idx in splits:
        fix_random_seed(0)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe("textcat", config={"model": model_cfg, "threshold": 0.5})
        examples = [Example.from_dict(docs[i], {"cats": {"DIRECTIVE": float(labels[i]),
                                                         "OTHER": float(1 - labels[i])}})
                    for i in train_idx]
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(0)
        for _ in range(epochs):
            rng.shuffle(examples)
            losses: dict = {}
            for b in minibatch(examples, size=batch):
                nlp.update(b, drop=drop, sgd=optimizer, losses=losses)
        textcat = nlp.get_pipe("textcat")
        test_docs = [docs[i].copy() for i in test_idx]
        for i, doc in zip(test_idx, textcat.pipe(test_docs, batch_size=256)):
            probs[i] = float(doc.cats["DIRECTIVE"])
    return labels, probs, time.perf_counter() - t0


# --------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--no-cnn", action="store_true", help="skip the tok2vec (CNN/Reduce) models")
    args = ap.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()

    rows = load_annotations()
    labels = [int(r["label"]) for r in rows]
    texts = [analysis_form(r["text"]) for r in rows]
    splits = folds(rows)
    print(f"{len(rows)} sentences, {sum(labels)} directives, {len(splits)} grouped folds "
          f"(test sizes {[len(te) for _, te in splits]}); spaCy epochs={args.epochs}", flush=True)

    results = []  # (name, thr, p, r, f, wide_thr, wide_f, seconds)

    # Rules only: the gate of detect.py, then the rule score against the rule threshold.
    t0 = time.perf_counter()
    rs = ruleset()
    dec = []
    for r, text in zip(rows, texts):
        headings = [analysis_form(r.get("heading") or "")] if r.get("heading") else []
        kind = _kind(r.get("genre", ""))
        dec.append(1.0 if _gate(text, kind, headings) and rule_score(text, kind, headings) >= rs.threshold
                   else 0.0)
    p, rc, f = _prf(labels, dec, 0.5)
    results.append(("rules only (gate + score >= %.2f)" % rs.threshold, None, p, rc, f, None, None,
                    time.perf_counter() - t0))

    # The current model: train.cross_validate, unchanged (it uses the same folds).
    t0 = time.perf_counter()
    y, probs = cross_validate(rows)
    secs = time.perf_counter() - t0
    assert y == labels
    results.append(("sklearn LR char1-3 TF-IDF + rules", *best(labels, probs, TRAIN_GRID),
                    *best(labels, probs, WIDE_GRID)[::3][:2], secs))
    print(f"  done: {results[-1][0]} ({secs:.1f}s)", flush=True)

    configs = [("spaCy TextCatBOW.v3 ngram=2", textcat_model("bow", 2)),
               ("spaCy TextCatBOW.v3 ngram=3", textcat_model("bow", 3))]
    if not args.no_cnn:
        configs += [("spaCy TextCatCNN.v2 (HashEmbedCNN w96)", textcat_model("cnn")),
                    ("spaCy TextCatReduce.v1 max+mean (w96)", textcat_model("reduce"))]
    for name, cfg in configs:
        y, probs, secs = spacy_cv(rows, texts, splits, cfg, args.epochs)
        results.append((name, *best(labels, probs, TRAIN_GRID), *best(labels, probs, WIDE_GRID)[::3][:2],
                        secs))
        print(f"  done: {name} ({secs:.1f}s)", flush=True)

    print()
    head = f"{'model':42} {'thr':>5} {'P':>6} {'R':>6} {'F1':>6} | {'thr*':>5} {'F1*':>6} | {'time s':>7}"
    print(head)
    print("-" * len(head))
    for name, thr, p, rc, f, wthr, wf, secs in results:
        ts = "  -  " if thr is None else f"{thr:5.2f}"
        ws = f"{'-':>5} {'-':>6}" if wthr is None else f"{wthr:5.2f} {wf:6.3f}"
        print(f"{name:42} {ts} {p:6.3f} {rc:6.3f} {f:6.3f} | {ws} | {secs:7.1f}")
    print("\nP/R/F1: out-of-fold, at the F1-best threshold on train.py's grid 0.20-0.80 (thr); "
          "thr*/F1*: best over 0.01-0.99.\ntime: training + prediction over all 5 folds "
          "(sklearn: incl. rule features; spaCy: incl. jieba segmentation).")


if __name__ == "__main__":
    main()
