#!/usr/bin/env python3
"""Label the deadline of every gold directive again, blind, by the spec's reading.

usage:
  relabel_deadlines.py lay-out GOLD.jsonl OUT_DIR CHUNKS [LAYOUT=YYYY-MM-DD ...]
      OUT_DIR/chunkN.txt: each document's reference date, then its gold directives
      one a line behind their key (``layout:index``); dates given on the command line
      override a document's own (a report with no dateline)
  relabel_deadlines.py agree A.jsonl B.jsonl
      B against A, as the shared scorer compares deadlines (kind, and date when given)
  relabel_deadlines.py sheet A.jsonl B.jsonl OUT.jsonl
      the directives whose two labels differ, for the adjudicator
  relabel_deadlines.py apply GOLD.jsonl A.jsonl B.jsonl DECISIONS.jsonl OUT.jsonl
      GOLD with every directive's deadline replaced: the decision where there is one, else the
      agreed label

Why: the batches labelled before the guide was aligned with the spec (2026-12-07) left a
campaign carried out (深入实施…三年行动) and a standing mechanism (常态化, 长效机制) without the
deadline the spec and its own dev gold give them (``corpus/annotations/README.md``, *Known
judgement calls*), so the deadline figures partly measured that reading. Only the deadline
field is labelled again, for every directive of the file (not only those where the tool
differs), by annotators who see neither the old labels nor the tool's output. Labels are
JSON lines ``{"key": "layout:index", "deadline": null | {"text", "kind", "date"}}``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

KINDS = ("date", "immediate", "recurring", "period", "vague")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def keyed(path: Path) -> dict[str, dict | None]:
    """An annotator's labels by key, each deadline checked for the spec's shape."""
    out: dict[str, dict | None] = {}
    for row in read_jsonl(path):
        deadline = row.get("deadline")
        if deadline is not None and deadline.get("kind") not in KINDS:
            raise SystemExit(f"{path}: {row['key']}: unknown kind {deadline.get('kind')!r}")
        out[row["key"]] = deadline
    return out


def same_deadline(a: dict | None, b: dict | None) -> bool:
    """Equal as the shared scorer compares them: both none, or the same kind and date."""
    if not a or not b:
        return not a and not b
    return a.get("kind") == b.get("kind") and (a.get("date") or None) == (b.get("date") or None)


def agreement(a: dict[str, dict | None], b: dict[str, dict | None]) -> dict:
    """Deadline F1 of B against A over the keys both labelled, as the scorer counts it."""
    tp = fp = fn = 0
    keys = sorted(set(a) & set(b))
    for key in keys:
        ga, pb = a[key], b[key]
        ok = bool(ga) and bool(pb) and same_deadline(ga, pb)
        tp += ok
        fp += bool(pb) and not ok
        fn += bool(ga) and not ok
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"keys": len(keys), "same": sum(same_deadline(a[k], b[k]) for k in keys),
            "deadlines_a": sum(bool(a[k]) for k in keys), "deadlines_b": sum(bool(b[k]) for k in keys),
            "deadline_f1": round(f1, 3)}


def lay_out(gold: Path, out_dir: Path, chunks: int, dates: dict[str, str]) -> None:
    from pipeline.track.follow import document_date, load

    docs = read_jsonl(gold)
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks: list[tuple[int, str]] = []
    for doc in docs:
        name = doc["layout"]
        date = dates.get(name)
        if not date:
            found = document_date(load(str(ROOT.parent / "shared" / doc["path"])).doc)
            date = found.isoformat() if found else "（无）"
        lines = [f"# 文档 {name} — ../shared/{doc['path']} — 参照日期 {date}"]
        lines += [f"{name}:{i}\t{d['text']}" for i, d in enumerate(doc["directives"])]
        blocks.append((len(doc["directives"]), "\n".join(lines)))
    total = sum(n for n, _ in blocks)
    chunk, size, index = [], 0, 1
    for n, block in blocks:
        chunk.append(block)
        size += n
        if size >= total / chunks and index < chunks:
            (out_dir / f"chunk{index}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
            chunk, size, index = [], 0, index + 1
    if chunk:
        (out_dir / f"chunk{index}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
    print(f"{total} directives of {len(docs)} documents in {index} chunks")


def sheet(a: dict, b: dict, gold_texts: dict[str, str] | None = None) -> list[dict]:
    rows = []
    for key in sorted(set(a) | set(b)):
        if key in a and key in b and same_deadline(a[key], b[key]):
            continue
        row = {"key": key, "label_1": a.get(key), "label_2": b.get(key)}
        if gold_texts:
            row["text"] = gold_texts.get(key)
        rows.append(row)
    return rows


def apply(docs: list[dict], a: dict, b: dict, decisions: dict) -> tuple[list[dict], int]:
    """Every directive takes the adjudicator's deadline where there is one (the disagreements,
    and sentences adjudicated again with context the annotators were not shown: a plan's stage
    heading), else the agreed one; a key left without either is an error, so no directive
    keeps an old label by accident."""
    changed = 0
    for doc in docs:
        for i, directive in enumerate(doc["directives"]):
            key = f"{doc['layout']}:{i}"
            if key in decisions:
                new = decisions[key]
            elif key in a and key in b and same_deadline(a[key], b[key]):
                new = a[key]
            else:
                raise SystemExit(f"{key}: no agreed label and no decision")
            changed += not same_deadline(directive.get("deadline"), new)
            directive["deadline"] = new
    return docs, changed


def texts_by_key(docs: list[dict]) -> dict[str, str]:
    return {f"{d['layout']}:{i}": x["text"] for d in docs for i, x in enumerate(d["directives"])}


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    command, args = argv[0], argv[1:]
    if command == "lay-out":
        dates = dict(arg.split("=", 1) for arg in args[3:])
        lay_out(Path(args[0]), Path(args[1]), int(args[2]), dates)
    elif command == "agree":
        print(json.dumps(agreement(keyed(Path(args[0])), keyed(Path(args[1]))), ensure_ascii=False))
    elif command == "sheet":
        rows = sheet(keyed(Path(args[0])), keyed(Path(args[1])))
        write_jsonl(Path(args[2]), rows)
        print(f"{len(rows)} directives to adjudicate")
    elif command == "apply":
        docs = read_jsonl(Path(args[0]))
        decisions = keyed(Path(args[3]))
        docs, changed = apply(docs, keyed(Path(args[1])), keyed(Path(args[2])), decisions)
        write_jsonl(Path(args[4]), docs)
        print(f"{changed} deadlines changed")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
