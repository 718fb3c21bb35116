#!/usr/bin/env python3
"""Tracking on real report pairs, cross-validated by government, in the shared scorer's format.

usage: scripts/eval_track_real.py [--gold corpus/annotations/track_real.jsonl] [--only NAME,...] [--demo]
                                  [--learn-from FILE ...]
                                  [--score-only GOV,...] [--verbose] [--dump PREFIX]

For each labelled pair (``track_real.jsonl``) ``duban followup`` is run with the
later report's date as the as-of date, and the predictions of all pairs are
scored together by ``../shared/eval/score_track.py``. Configurations:

- ``rules``: the hand-set matcher (nothing is trained, nothing is chosen here);
- ``pair``: the pair model, leave-one-government-out: for each government it is
  trained on the other governments' pairs only and predicts that government's;
- ``pair-no-vectors``, ``pair-no-structure``, ``pair-text-only``: the same with
  feature groups left out, to see what each brings;
- ``combined``: the rules and the pair model together (evidence either selects), each fold's model.

``--learn-from`` names the labelled pairs the folds learn from (default: ``--gold``'s); a fold never
learns from the government it scores. ``--learn-from corpus/annotations/track_real.jsonl
corpus/annotations/track_real_other.jsonl`` adds the other tasks of the same pairs to the safety
directives (it did not carry to the governments never read, so the shipped model leaves them out);
``--gold corpus/annotations/track_real_other.jsonl --learn-from corpus/annotations/track_real.jsonl``
scores the shipped kind of model on the other tasks, as the README quotes. Only ``--gold`` is scored.

Each configuration prints the scorer's summary line behind its name.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.track.follow import followup  # noqa: E402
from pipeline.track.scoring import FEATURES, PAIR_FEATURES, combined_scorer, pair_scorer, rules_scorer  # noqa: E402
from pipeline.track.train_real import (REAL_PATH, demo_labelled, fit, fold_training, labelled,  # noqa: E402
                                       load_gold, loaded, shared_dir)

VARIANTS = {
    "pair": PAIR_FEATURES,
    "pair-no-vectors": tuple(f for f in PAIR_FEATURES if f not in ("vec", "head_vec")),
    "pair-no-structure": tuple(f for f in PAIR_FEATURES if f not in ("head_vec", "pos_gap", "backward", "forward")),
    "pair-text-only": FEATURES,
}


def predict(spec, scorer) -> list[dict]:
    return followup(loaded(spec.source), [loaded(spec.later)], spec.as_of, scorer=scorer)


def score(gold_rows: list[dict], pred_rows: list[dict], verbose: bool) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = os.path.join(tmp, "gold.jsonl"), os.path.join(tmp, "pred.jsonl")
        for path, rows in ((g, gold_rows), (p, pred_rows)):
            with open(path, "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        args = [sys.executable, str(shared_dir() / "eval" / "score_track.py"), g, p] + (["--verbose"] if verbose else [])
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return out if verbose else out.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(REAL_PATH))
    ap.add_argument("--only", default="", help="configurations to run, comma-separated")
    ap.add_argument("--score-only", default="", help="governments to score (all are still trained on), comma-separated")
    ap.add_argument("--demo", action="store_true", help="add the labelled demo pairs to every training fold")
    ap.add_argument("--learn-from", nargs="+", type=Path, default=None,
                    help="the labelled pairs the folds learn from (default: --gold's); never scored")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--dump", type=Path, help="write each configuration's predictions to DUMP.<name>.jsonl")
    args = ap.parse_args()
    specs = load_gold(Path(args.gold))
    gold_rows = [r for s in specs for r in s.gold]
    only = set(filter(None, args.only.split(",")))
    want = lambda name: not only or name in only  # noqa: E731
    govs = sorted({s.government for s in specs})
    print(f"{len(specs)} pairs, {len(govs)} governments, {len(gold_rows)} gold directives, "
          f"{sum(len(r['evidence']) for r in gold_rows)} gold evidence sentences")
    preds: dict[str, list[list[dict]]] = {}
    if want("rules"):
        preds["rules"] = [predict(s, rules_scorer()) for s in specs]
    learned = [t for path in args.learn_from for t in load_gold(path)] if args.learn_from else specs
    fitting = any(want(v) for v in VARIANTS) or want("combined")
    # (pair, labelled candidates) of what the folds learn from: a list, since two files name the same pairs
    data = [(t, labelled(t)) for t in learned] if fitting else []
    demo = demo_labelled() if args.demo else None
    for name, feats in VARIANTS.items():
        if not (want(name) or (name == "pair" and want("combined"))):
            continue
        extra = [demo] if args.demo else []
        models = {g: fit(fold_training(g, data, extra), feats) for g in govs}
        preds[name] = [predict(s, pair_scorer(models[s.government])) for s in specs]
        if name == "pair" and want("combined"):
            preds["combined"] = [predict(s, combined_scorer(pair_scorer(models[s.government]))) for s in specs]
    scored = set(filter(None, args.score_only.split(","))) or govs
    gold_scored = [r for s in specs if s.government in scored for r in s.gold]
    for name, rows in preds.items():
        if want(name):
            pred = [r for s, part in zip(specs, rows) if s.government in scored for r in part]
            if args.dump:
                with open(f"{args.dump}.{name}.jsonl", "w", encoding="utf-8") as fh:
                    fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in pred)
            print(f"{name:18} {score(gold_scored, pred, args.verbose)}")


if __name__ == "__main__":
    main()
