#!/usr/bin/env python3
"""Sectors of pipeline.extract.sectors against gold directives.

usage: eval_sectors.py [GOLD.jsonl] [--all]
       eval_sectors.py --sentences corpus/annotations/sentences.jsonl [--all]

The first form reads the scorer's gold (../shared/gold/extract_dev.jsonl by
default): find_sectors runs on each gold directive's text alone, since the gold
carries no heading paths, so sectors the gold takes from a heading count as
misses here. The second form reads annotated sentences (one JSON object a line
with text, label, heading, sectors) and scores the directives (label 1) with
their heading. Prints set precision, recall and F1 (as the scorer counts them)
and the disagreements.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.extract.evaluate import labelled_directives  # noqa: E402
from pipeline.extract.sectors import find_sectors  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "gold" / "extract_dev.jsonl"


def items(argv: list[str]):
    """(text, heading, gold sectors) of every directive to score."""
    args = [a for a in argv if not a.startswith("--")]
    gold = Path(args[0]) if args else DEFAULT
    for d, ref in labelled_directives(gold, annotations="--sentences" in argv):
        yield d["text"], d.get("heading") or "", d.get("sectors") or []


def main(argv: list[str]) -> None:
    tp = fp = fn = exact = total = 0
    rows = []
    for text, heading, gold in items(argv):
        g = set(gold)
        p = set(find_sectors(text, heading))
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        total += 1
        exact += g == p
        if g != p or "--all" in argv:
            rows.append((sorted(g - p), sorted(p - g), text[:70]))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"directives {total}  sets exact {exact / max(total, 1):.3f}  P {prec:.3f} R {rec:.3f} F1 {f1:.3f}  (tp {tp} fp {fp} fn {fn})")
    for miss, extra, text in rows:
        print(f"  missed {miss} extra {extra} | {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
