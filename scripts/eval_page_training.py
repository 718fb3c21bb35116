#!/usr/bin/env python3
"""Does the directive classifier gain from the annotated pages' sentences? Cross-validated by host.

usage: scripts/eval_page_training.py --pages DIR [--weights 0,1,0.5] [--folds 3] [--train-sets news,notices,...]

The ``tune`` pages of the news, notice, speech, plan, report, other-kinds and mixed annotations
(``corpus/annotations/extract_*.jsonl``) are split into folds by a hash of their
host. For each fold the classifier is trained on the written and the real
sentences (as ``duban train``) plus the sentences of the other folds' pages
(``pipeline/extract/page_examples.py``) at each weight (0: none), and the
extractor is scored with the shared scorer on the fold's pages, which that
model never saw. One summary line per page set and weight. The ``test`` pages
are never read: this is how ``page_weight`` in ``models/directives.toml`` is
chosen.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import zlib
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_extract_real as real  # noqa: E402

SETS = real.PAGE_SETS


def _host(gold: dict) -> str:
    return urlparse(gold.get("url") or "").netloc or gold["page"]


def _fit(rows: list[dict], weights: list[float], plateau: float):
    """A classifier fitted as ``duban train`` fits it (threshold by grouped cross-validation)."""
    from pipeline.extract.train import best_threshold, cross_validate, fit_classifier

    return fit_classifier(rows, weights, best_threshold(*cross_validate(rows), plateau=plateau))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=Path, required=True, help="folder holding the pages as <id>.txt")
    ap.add_argument("--weights", default="0,1,0.5", help="weights of a page sentence, comma-separated (0: none)")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--train-sets", default="news,notices,speeches,plans,reports,other,mixed",
                    help="page sets whose tune pages the classifier learns from, comma-separated (all seven are "
                         "scored; the default is what `duban train --pages` learns)")
    ap.add_argument("--plateau", type=float, default=None,
                    help="how close to the best out-of-fold F1 a threshold counts as best (default: train.PLATEAU; "
                         "0: only those tied with the best)")
    ap.add_argument("--thresholds", default=None,
                    help="decision thresholds to score instead of the one chosen by cross-validation, comma-separated")
    args = ap.parse_args()
    from eval_news_meta import present_pages
    from pipeline.extract.detect import using_classifier
    from pipeline.extract.page_examples import page_examples
    from pipeline.extract.train import ANNOTATIONS, PLATEAU, REAL_ANNOTATIONS, load_annotations

    plateau = PLATEAU if args.plateau is None else args.plateau

    gold = {}
    for name, path in SETS.items():
        with contextlib.redirect_stderr(io.StringIO()):
            gold[name] = present_pages(real.gold_docs("tune", path), args.pages, "page")
    fold_of = {g["page"]: zlib.crc32(_host(g).encode()) % args.folds for docs in gold.values() for g in docs}
    written = load_annotations(ANNOTATIONS) + load_annotations(REAL_ANNOTATIONS)
    from_pages = page_examples(args.pages, tuple(SETS[name] for name in args.train_sets.split(","))).rows
    for weight in (float(w) for w in args.weights.split(",")):
        thresholds = [None] if args.thresholds is None else [float(t) for t in args.thresholds.split(",")]
        scored: dict[tuple, list[tuple[dict, dict]]] = {(t, name): [] for t in thresholds for name in SETS}
        for fold in range(args.folds):
            extra = [r for r in from_pages if fold_of.get(r["doc"]) != fold] if weight > 0 else []
            clf = _fit(written + extra, [1.0] * len(written) + [weight] * len(extra), plateau)
            for t in thresholds:
                if t is not None:
                    clf.threshold = t
                with using_classifier(clf):
                    for name in SETS:
                        docs = [g for g in gold[name] if fold_of[g["page"]] == fold]
                        scored[(t, name)] += list(zip(docs, real.predict(docs, args.pages)))
        for t in thresholds:
            for name in SETS:
                line = real.score([g for g, _ in scored[(t, name)]], [p for _, p in scored[(t, name)]])
                label = "" if t is None else f"threshold {t:<4} "
                print(f"weight {weight:<4} {label}{name:9} {line}", flush=True)


if __name__ == "__main__":
    main()
