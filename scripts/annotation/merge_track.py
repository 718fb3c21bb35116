#!/usr/bin/env python3
"""Agreement, adjudication sheets and the final gold of the real follow-up annotations.

usage:
  merge_track.py agree  ANNOT_DIR                 # agreement of annotators A and B, in the scorer's format
  merge_track.py sheets ANNOT_DIR OUT_DIR         # one adjudication sheet per group of pairs: what A and B disagree on
  merge_track.py final  ANNOT_DIR DECISIONS... > corpus/annotations/track_real.jsonl
  merge_track.py one    ANNOT_DIR A|B                # one annotator's labels as gold rows
  merge_track.py against ANNOT_DIR GOLD.jsonl        # each annotator scored against a gold made by others
                                                   # (the spec's own track_dev.jsonl: how closely labels
                                                   # made from our guide reproduce it)

ANNOT_DIR is what ``prep_track.py`` wrote, with the annotators' labels in
``out_A/*.jsonl`` and ``out_B/*.jsonl`` (sentence numbers, see
``corpus/annotations/track_guide.md``). A directive both annotators labelled the
same way (same evidence sentences, same statuses, same deadline date) goes to
the gold as it is; everything else goes to an adjudicator, whose decisions
(the same record shape, plus ``"keep": false`` for a directive that is not one)
replace it. The scorer's own pairing and matching rules are used for the
agreement figures, so they read as the ceiling of the tracker's figures.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(os.environ.get("SHARED", Path(__file__).resolve().parents[3] / "shared"))
SCORER = SHARED / "eval" / "score_track.py"
STATUSES = ("done", "in_progress", "mentioned")
RANK = {"done": 3, "in_progress": 2, "mentioned": 1}


def sentences(path: Path) -> dict[int, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            num, text = line.split("\t", 1)
            out[int(num[1:])] = text
    return out


class Pair:
    """One laid-out pair: its sentences by number and its documents' names and dates."""

    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        meta = json.loads((root / name / "meta.json").read_text(encoding="utf-8"))
        self.earlier_path, self.later_path = meta["earlier"]["path"], meta["later"]["path"]
        self.earlier_date, self.later_date = meta["earlier"]["date"], meta["later"]["date"]
        self.place = meta["earlier"]["place"]
        self.e = sentences(root / name / "earlier.txt")
        self.l = sentences(root / name / "later.txt")

    @property
    def source(self) -> str:
        return Path(self.earlier_path).name

    @property
    def later(self) -> str:
        return Path(self.later_path).name


def load_labels(paths: list[Path]) -> dict[tuple[str, int], dict]:
    out = {}
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{p}:{n}: not JSON ({exc})")
            out[(rec["pair"], int(rec["d"]))] = rec
    return out


def side(root: Path, who: str) -> dict[tuple[str, int], dict]:
    return load_labels(sorted((root / f"out_{who}").glob("*.jsonl")))


def normal_evidence(rec: dict) -> list[tuple[int, str]]:
    seen = {}
    for e in rec.get("evidence") or []:
        st = e.get("status")
        if st in STATUSES:
            l = int(e["l"])
            seen[l] = max(seen.get(l, st), st, key=RANK.__getitem__)
    return sorted(seen.items())


def directive_status(rec: dict) -> str:
    ev = normal_evidence(rec)
    return max((s for _, s in ev), key=RANK.__getitem__, default="no_evidence")


def deadline_of(rec: dict) -> dict | None:
    text, date = rec.get("deadline_text"), rec.get("deadline_date")
    if not text:
        return None
    if date:
        return {"text": text, "kind": "date", "date": date}
    kind = "period" if any(w in text for w in ("行动", "攻坚", "期间", "规划")) else "vague"
    return {"text": text, "kind": kind, "date": None}


def gold_row(pair: Pair, rec: dict) -> dict:
    d = int(rec["d"])
    status = directive_status(rec)
    deadline = deadline_of(rec)
    if status != "done" and deadline and deadline["date"] and pair.later_date:
        if dt.date.fromisoformat(deadline["date"]) < dt.date.fromisoformat(pair.later_date):
            status = "overdue"
    return {"pair": pair.name, "government": "national" if pair.name.startswith("national") else pair.name,
            "source": pair.source, "later": pair.later, "as_of": pair.later_date,
            "source_path": shared_relative(pair.earlier_path), "later_path": shared_relative(pair.later_path),
            "id": f"{pair.source}#{d}", "text": pair.e[d], "deadline": deadline, "status": status,
            "evidence": [{"source": pair.later, "id": f"{pair.later}#{l}", "text": pair.l[l], "status": st}
                         for l, st in normal_evidence(rec)],
            "why": rec.get("why", "")}


def shared_relative(path: str) -> str:
    """A path under ../shared as the gold keeps it (pairs/provinces/anhui-2025.txt, corpus/hunan-gwr-2025.txt)."""
    parts = Path(path).parts
    if "shared" in parts:
        last = max(i for i, part in enumerate(parts) if part == "shared")
        return str(Path(*parts[last + 1:]))
    return str(Path(*parts[parts.index("pairs"):])) if "pairs" in parts else path


def pairs_of(root: Path, labels: dict) -> dict[str, Pair]:
    return {name: Pair(root, name) for name in sorted({k[0] for k in labels})}


def write_rows(rows: list[dict], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def score(gold: list[dict], pred: list[dict]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = os.path.join(tmp, "g.jsonl"), os.path.join(tmp, "p.jsonl")
        write_rows(gold, g)
        write_rows(pred, p)
        out = subprocess.run([sys.executable, str(SCORER), g, p], capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[-1]


def agree(root: Path) -> None:
    a, b = side(root, "A"), side(root, "B")
    common_pairs = sorted({k[0] for k in a} & {k[0] for k in b})
    pairs = {n: Pair(root, n) for n in common_pairs}
    rows_a = [gold_row(pairs[k[0]], r) for k, r in sorted(a.items()) if k[0] in pairs]
    rows_b = [gold_row(pairs[k[0]], r) for k, r in sorted(b.items()) if k[0] in pairs]
    da, db = {k for k in a if k[0] in pairs}, {k for k in b if k[0] in pairs}
    both = da & db
    print(f"pairs labelled by both: {len(pairs)} ({', '.join(common_pairs)})")
    print(f"directives: A {len(da)}, B {len(db)}, both {len(both)}; "
          f"directive F1 {2 * len(both) / max(1, len(da) + len(db)):.3f}")
    same_status = sum(directive_status(a[k]) == directive_status(b[k]) for k in both)
    ev_a = {(k, l) for k in both for l, _ in normal_evidence(a[k])}
    ev_b = {(k, l) for k in both for l, _ in normal_evidence(b[k])}
    print(f"on the {len(both)} shared directives: evidence-sentence F1 "
          f"{2 * len(ev_a & ev_b) / max(1, len(ev_a) + len(ev_b)):.3f}, "
          f"status agreement {same_status / max(1, len(both)):.3f}")
    print("B scored against A as gold:", score(rows_a, rows_b))
    print("A scored against B as gold:", score(rows_b, rows_a))


def agreed(ra: dict, rb: dict) -> bool:
    return (normal_evidence(ra) == normal_evidence(rb)
            and (ra.get("deadline_date") or None) == (rb.get("deadline_date") or None))


def sheets(root: Path, out: Path) -> None:
    a, b = side(root, "A"), side(root, "B")
    pairs = pairs_of(root, {**a, **b})
    out.mkdir(parents=True, exist_ok=True)
    for name, pair in pairs.items():
        lines = [f"# {name}: {pair.source} → {pair.later} (dates {pair.earlier_date} → {pair.later_date})", ""]
        keys = sorted({k for k in list(a) + list(b) if k[0] == name}, key=lambda k: k[1])
        n = 0
        for k in keys:
            ra, rb = a.get(k), b.get(k)
            if ra and rb and agreed(ra, rb):
                continue
            n += 1
            lines.append(f"## E{k[1]}  {pair.e[k[1]]}")
            for who, r in (("A", ra), ("B", rb)):
                if r is None:
                    lines.append(f"- {who}: not a safety directive")
                    continue
                ev = ", ".join(f"L{l}:{s}" for l, s in normal_evidence(r)) or "none"
                lines.append(f"- {who}: deadline {r.get('deadline_text')!r} {r.get('deadline_date')!r}; evidence {ev}; "
                             f"why: {r.get('why', '')}")
            cited = sorted({l for r in (ra, rb) if r for l, _ in normal_evidence(r)})
            for l in cited:
                lines.append(f"    L{l}\t{pair.l[l]}")
            lines.append("")
        (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
        print(f"{name}: {n} directives to adjudicate")


def final(root: Path, decision_paths: list[Path]) -> None:
    a, b = side(root, "A"), side(root, "B")
    decisions = load_labels(decision_paths)
    pairs = pairs_of(root, {**a, **b})
    for name, pair in pairs.items():
        keys = sorted({k for k in list(a) + list(b) if k[0] == name}, key=lambda k: k[1])
        for k in keys:
            ra, rb = a.get(k), b.get(k)
            if k in decisions:
                rec = decisions[k]
                if rec.get("keep") is False:
                    continue
            elif ra and rb and agreed(ra, rb):
                rec = ra
            else:
                sys.exit(f"{name} E{k[1]}: annotators disagree and no decision was given")
            print(json.dumps(gold_row(pair, rec), ensure_ascii=False))


def one(root: Path, who: str) -> None:
    """The gold rows of one annotator alone (to compare, or to try the tools before adjudication)."""
    labels = side(root, who)
    pairs = pairs_of(root, labels)
    for k, rec in sorted(labels.items()):
        print(json.dumps(gold_row(pairs[k[0]], rec), ensure_ascii=False))


def against(root: Path, gold_path: Path) -> None:
    """Each annotator's rows, scored as predictions against another gold (only its directives count)."""
    gold = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for who in ("A", "B"):
        labels = side(root, who)
        if labels:
            pairs = pairs_of(root, labels)
            rows = [gold_row(pairs[k[0]], rec) for k, rec in sorted(labels.items())]
            print(f"{who} scored against {gold_path.name}:", score(gold, rows))


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "against":
        against(Path(argv[1]), Path(argv[2]))
    elif len(argv) == 3 and argv[0] == "one":
        one(Path(argv[1]), argv[2])
    elif len(argv) >= 2 and argv[0] == "agree":
        agree(Path(argv[1]))
    elif len(argv) == 3 and argv[0] == "sheets":
        sheets(Path(argv[1]), Path(argv[2]))
    elif len(argv) >= 2 and argv[0] == "final":
        final(Path(argv[1]), [Path(p) for p in argv[2:]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
