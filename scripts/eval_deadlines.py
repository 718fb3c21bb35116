#!/usr/bin/env python3
"""Deadline kinds of pipeline.extract.deadlines against gold directives.

usage: eval_deadlines.py [GOLD.jsonl] [--all]
       eval_deadlines.py --sentences corpus/annotations/sentences.jsonl [--all]

The first form runs find_deadline on each directive of the scorer's gold
(../shared/gold/extract_dev.jsonl by default), the reference date being the gold
document's meta.date, else meta.published. The second form reads annotated
sentences (text, label, heading, deadline; no dates there) and passes the
heading as context. Prints the kind agreement (no deadline counts as a kind),
the scorer's deadline F1 (kind, and date where gold has one), the confusion of
kinds and the disagreements (all rows with --all).
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.extract.evaluate import labelled_directives  # noqa: E402
from pipeline.extract.deadlines import find_deadline  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "gold" / "extract_dev.jsonl"


def items(argv: list[str]):
    """(text, reference date, context, gold deadline) of every directive to score."""
    args = [a for a in argv if not a.startswith("--")]
    gold = Path(args[0]) if args else DEFAULT
    for d, ref in labelled_directives(gold, annotations="--sentences" in argv):
        yield d["text"], ref, d.get("heading") or "", d.get("deadline")


def main(argv: list[str]) -> None:
    agree = total = tp = fp = fn = 0
    confusion: collections.Counter = collections.Counter()
    rows = []
    for text, ref, context, g in items(argv):
        p = find_deadline(text, ref, context)
        gk = g["kind"] if g else None
        pk = p.kind if p else None
        ok = bool(g) and gk == pk and (not g.get("date") or g["date"] == p.date)
        total += 1
        agree += gk == pk
        confusion[(gk, pk)] += 1
        tp += int(ok)
        fp += int(bool(p) and not ok)
        fn += int(bool(g) and not ok)
        if gk != pk or (g and not ok) or "--all" in argv:
            rows.append((gk, pk, g and g.get("text"), p and p.text, p and p.date, text[:60]))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"directives {total}  kind agreement {agree / max(total, 1):.3f}  deadline P {prec:.3f} R {rec:.3f} F1 {f1:.3f}")
    print("confusion (gold -> predicted):")
    for (gk, pk), n in sorted(confusion.items(), key=lambda kv: -kv[1]):
        print(f"  {str(gk):10} -> {str(pk):10} {n}")
    if rows:
        print("rows:" if "--all" in argv else "disagreements:")
        for gk, pk, gt, pt, pd, short in rows:
            print(f"  gold {gk}:{gt}  pred {pk}:{pt} {pd or ''}  | {short}")


if __name__ == "__main__":
    main(sys.argv[1:])
