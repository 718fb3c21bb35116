#!/usr/bin/env python3
"""How well the `safety` field keeps a work report's safety tasks and drops the rest.

usage: scripts/eval_safety.py [--gold corpus/annotations/track_real.jsonl] [--extract-gold FILE]

Two measures (issue: "the safety directives hold ≥ 90% of the safety tasks and
are at most a fifth of all directives of a provincial report"):

- per work report of the labelled follow-up pairs (``track_real.jsonl``, whose
  directives are every safety task of the earlier report, labelled by two
  annotators): the share of the report's extracted directives marked safety, and
  the share of the labelled safety tasks that are extracted *and* marked safety;
- with ``--extract-gold`` (directive annotations carrying ``safety``): precision
  and recall of ``safety`` on the matched directives, in the scorer's pairing.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.evaluate import pair  # noqa: E402
from pipeline.extract.extractor import extract_directives  # noqa: E402
from pipeline.track.follow import load  # noqa: E402
from pipeline.track.train_real import shared_dir  # noqa: E402


# The follow-up annotators counted food and drug regulation as safety work; the spec (§2) does not.
FOOD_ONLY = re.compile(r"食品|药品")
OTHER_SAFETY = re.compile(r"安全生产|应急|消防|灾|事故|隐患")


def report_shares(gold_path: Path) -> None:
    by_source: dict[str, list[dict]] = defaultdict(list)
    paths: dict[str, str] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_source[row["source"]].append(row)
        paths[row["source"]] = row["source_path"]
    kept = total_tasks = food_tasks = food_kept = 0
    shares = []
    for source, rows in sorted(by_source.items()):
        directives = [d.as_json() for d in extract_directives(load(shared_dir() / paths[source]).doc)]
        safe = [d for d in directives if d["safety"]]
        matched = pair([{"text": r["text"]} for r in rows], safe)
        kept += len(matched)
        total_tasks += len(rows)
        food = {i for i, r in enumerate(rows) if FOOD_ONLY.search(r["text"]) and not OTHER_SAFETY.search(r["text"])}
        food_tasks += len(food)
        food_kept += sum(1 for i, _ in matched if i in food)
        share = len(safe) / max(1, len(directives))
        shares.append(share)
        print(f"{source:28} directives {len(directives):4}  safety {len(safe):3} ({share:.1%})  "
              f"safety tasks kept {len(matched)}/{len(rows)}")
    print(f"summary: safety_tasks_kept={kept / max(1, total_tasks):.3f} ({kept}/{total_tasks}) "
          f"without_food_drug={(kept - food_kept) / max(1, total_tasks - food_tasks):.3f} "
          f"safety_share_mean={sum(shares) / max(1, len(shares)):.3f} max={max(shares):.3f} reports={len(shares)}")


def field_scores(gold_path: Path, pred_path: Path) -> None:
    gold = {json.loads(l)["source"]: json.loads(l) for l in gold_path.read_text(encoding="utf-8").splitlines() if l}
    pred = {Path(json.loads(l)["source"]).name: json.loads(l)
            for l in pred_path.read_text(encoding="utf-8").splitlines() if l}
    tp = fp = fn = tn = 0
    for name, g in gold.items():
        p = pred.get(name, {"directives": []})
        gd, pd = g["directives"], p.get("directives") or []
        for gi, pi in pair(gd, pd):
            a, b = bool(gd[gi].get("safety")), bool(pd[pi].get("safety"))
            tp += a and b
            fp += b and not a
            fn += a and not b
            tn += not a and not b
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"summary: safety_p={prec:.3f} safety_r={rec:.3f} "
          f"f1={2 * prec * rec / max(1e-9, prec + rec):.3f} matched={tp + fp + fn + tn} true={tp + fn}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "corpus/annotations/track_real.jsonl"))
    ap.add_argument("--extract-gold", help="directive annotations with `safety`")
    ap.add_argument("--pred", help="`duban extract --format jsonl` output for --extract-gold")
    args = ap.parse_args()
    if args.extract_gold:
        field_scores(Path(args.extract_gold), Path(args.pred))
    else:
        report_shares(Path(args.gold))


if __name__ == "__main__":
    main()
