#!/usr/bin/env python3
"""Label one field of every gold directive again, blind, by the spec's reading.

usage:
  relabel_field.py lay-out FIELD GOLD.jsonl OUT_DIR CHUNKS [LAYOUT=YYYY-MM-DD ...] [--pages=DIR]
      OUT_DIR/chunkN.txt: each document's reference date (a page's: its adjudicated date; its text, for the
      parties' context, from DIR), then its gold directives one a
      line behind their key (``layout:index``); for ``parties`` each directive is preceded
      by its heading path and the sentences before it in its paragraph, which a party may
      be carried from. Dates given on the command line override a document's own (a report
      with no dateline)
  relabel_field.py agree FIELD A.jsonl B.jsonl
      B against A, as the shared scorer compares the field
  relabel_field.py sheet FIELD A.jsonl B.jsonl OUT.jsonl
      the directives whose two labels differ, for the adjudicator
  relabel_field.py apply FIELD GOLD.jsonl A.jsonl B.jsonl DECISIONS.jsonl OUT.jsonl
      GOLD with the field of every directive replaced: the decision where there is one,
      else the agreed label

FIELD is ``deadline`` or ``parties``. Why: the batches labelled before the guide was aligned
with the spec's gold (2026-12-07) left a campaign carried out (深入实施…三年行动) and a standing
mechanism (常态化, 长效机制) without the deadline the spec and its own dev gold give them
(``corpus/annotations/README.md``, *Known judgement calls*), and named fewer parties than the
spec's gold carries to an item's subjectless sentences (the dev calibration), so those figures
partly measured a reading. One field is labelled again, for every directive of the file (not
only those where the tool differs), by annotators who see neither the old labels nor the
tool's output. Labels are JSON lines ``{"key": "layout:index", FIELD: value}``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SCORER_DIR = ROOT.parent / "shared" / "eval"

FIELDS = ("deadline", "parties")
KINDS = ("date", "immediate", "recurring", "period", "vague")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text or "")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def check_field(field: str) -> str:
    if field not in FIELDS:
        raise SystemExit(f"unknown field {field!r}: one of {', '.join(FIELDS)}")
    return field


def keyed(path: Path, field: str = "deadline") -> dict:
    """An annotator's labels by key, each value checked for the spec's shape."""
    out: dict = {}
    for row in read_jsonl(path):
        value = row.get(field)
        if field == "deadline" and value is not None and value.get("kind") not in KINDS:
            raise SystemExit(f"{path}: {row['key']}: unknown kind {value.get('kind')!r}")
        if field == "parties" and not (isinstance(value, list) and all(isinstance(p, str) for p in value)):
            raise SystemExit(f"{path}: {row['key']}: parties must be a list of strings")
        out[row["key"]] = value
    return out


def _scorer():
    """The shared scorer (``../shared/eval/score_extract.py``): its comparisons, not a copy of them."""
    if str(SCORER_DIR) not in sys.path:
        sys.path.insert(0, str(SCORER_DIR))
    import score_extract

    return score_extract


def same_deadline(a: dict | None, b: dict | None) -> bool:
    """Equal as the shared scorer compares them, either taken as the gold: both none, or the same kind
    and date."""
    if not a or not b:
        return not a and not b
    deadline_ok = _scorer().deadline_ok
    return deadline_ok(a, b) and deadline_ok(b, a)


def party_counts(gold: list[str], pred: list[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) as the shared scorer pairs parties."""
    scorer = _scorer()
    prf = scorer.PRF()
    scorer.score_sets(gold, pred, scorer.party_match, prf)
    return prf.tp, prf.fp, prf.fn


def same_value(field: str, a, b) -> bool:
    if field == "deadline":
        return same_deadline(a, b)
    tp, fp, fn = party_counts(a, b)
    return fp == 0 and fn == 0


def agreement(a: dict, b: dict, field: str = "deadline") -> dict:
    """The field's F1 of B against A over the keys both labelled, as the scorer counts it."""
    tp = fp = fn = 0
    keys = sorted(set(a) & set(b))
    for key in keys:
        if field == "deadline":
            ga, pb = a[key], b[key]
            ok = _scorer().deadline_ok(ga, pb)
            tp, fp, fn = tp + ok, fp + (bool(pb) and not ok), fn + (bool(ga) and not ok)
        else:
            t, p, n = party_counts(a[key], b[key])
            tp, fp, fn = tp + t, fp + p, fn + n
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"keys": len(keys), "same": sum(same_value(field, a[k], b[k]) for k in keys),
            "labelled_a": sum(bool(a[k]) for k in keys), "labelled_b": sum(bool(b[k]) for k in keys),
            f"{field}_f1": round(f1, 3)}


def _holds(sentence: str, target: str) -> bool:
    """The parsed sentence is the directive's, or one holds the other (a gold text may join or
    cut the parser's sentences); a short one (a bare heading number) never stands for another."""
    if sentence == target:
        return True
    return min(len(sentence), len(target)) >= 8 and (target in sentence or sentence in target)


def _contexts(doc, texts: list[str], before_sentences: bool = True) -> list[str]:
    """For each directive text, its heading path and (for parties) the sentences before it in its paragraph."""
    sentences = [(s, _norm(doc.sentence_text(s))) for s in doc.sentences]
    out = []
    for text in texts:
        target = _norm(text)
        hit = next((i for i, (_, t) in enumerate(sentences) if t and _holds(t, target)), None)
        if hit is None:
            out.append("")
            continue
        s = sentences[hit][0]
        before = [doc.sentence_text(x) for x, _ in sentences[max(0, hit - 3):hit] if x.para == s.para]
        lines = []
        if s.heading_path:
            lines.append("    [标题路径] " + " > ".join(s.heading_path))
        lines += [f"    [前文] {b}" for b in before] if before_sentences else []
        out.append("\n".join(lines))
    return out


def _parsed(doc: dict, pages: Path | None):
    """The document a gold record labels: a file of ``../shared``, or a page restored into ``pages`` (None when
    the page is not there: its directives are laid out without context)."""
    from pipeline.track.follow import load

    if "page" not in doc:
        return load(str(ROOT.parent / "shared" / doc["path"])).doc
    text = pages / f"{doc['page']}.txt" if pages else None
    return load(str(text)).doc if text and text.exists() else None


def _reference_date(doc: dict, parsed) -> str:
    """A page's adjudicated date (what its annotators dated deadlines from), else the parser's."""
    from pipeline.track.follow import document_date

    if "page" in doc and (doc.get("meta") or {}).get("date"):
        return doc["meta"]["date"]
    found = document_date(parsed) if parsed is not None else None
    return found.isoformat() if found else "（无）"


def lay_out(field: str, gold: Path, out_dir: Path, chunks: int, dates: dict[str, str],
            pages: Path | None = None) -> None:
    docs = read_jsonl(gold)
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks: list[tuple[int, str]] = []
    for doc in docs:
        name = doc["layout"]
        parsed = _parsed(doc, pages)
        date = dates.get(name) or _reference_date(doc, parsed)
        where = f"../shared/{doc['path']}" if "path" in doc else f"page {doc['page']}"
        lines = [f"# 文档 {name} — {where} — 参照日期 {date}"]
        texts = [d["text"] for d in doc["directives"]]
        # a party may be carried from the sentences before; a deadline from a plan's stage heading
        # (（一）动员部署阶段（3月1日—3月15日）), which page texts hold (the shared files' were adjudicated apart)
        contexts = (_contexts(parsed, texts, before_sentences=field == "parties")
                    if parsed is not None and (field == "parties" or "page" in doc) else [""] * len(texts))
        for i, (text, context) in enumerate(zip(texts, contexts)):
            if context:
                lines.append(context)
            lines.append(f"{name}:{i}\t{text}")
        blocks.append((len(texts), "\n".join(lines)))
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


def sheet(a: dict, b: dict, field: str = "deadline") -> list[dict]:
    rows = []
    for key in sorted(set(a) | set(b)):
        if key in a and key in b and same_value(field, a[key], b[key]):
            continue
        rows.append({"key": key, "label_1": a.get(key), "label_2": b.get(key)})
    return rows


def apply(docs: list[dict], a: dict, b: dict, decisions: dict, field: str = "deadline") -> tuple[list[dict], int]:
    """Every directive takes the adjudicator's value where there is one (the disagreements,
    and sentences adjudicated again with context the annotators were not shown: a plan's stage
    heading), else the agreed one; a key left without either is an error, so no directive
    keeps an old label by accident."""
    changed = 0
    for doc in docs:
        for i, directive in enumerate(doc["directives"]):
            key = f"{doc['layout']}:{i}"
            if key in decisions:
                new = decisions[key]
            elif key in a and key in b and same_value(field, a[key], b[key]):
                new = a[key]
            else:
                raise SystemExit(f"{key}: no agreed label and no decision")
            empty = None if field == "deadline" else []
            changed += not same_value(field, directive.get(field, empty), new)
            directive[field] = new
    return docs, changed


def texts_by_key(docs: list[dict]) -> dict[str, str]:
    return {f"{d['layout']}:{i}": x["text"] for d in docs for i, x in enumerate(d["directives"])}


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    command, field, args = argv[0], check_field(argv[1]), argv[2:]
    if command == "lay-out":
        pages = next((Path(a.split("=", 1)[1]) for a in args[3:] if a.startswith("--pages=")), None)
        dates = dict(arg.split("=", 1) for arg in args[3:] if not arg.startswith("--pages="))
        lay_out(field, Path(args[0]), Path(args[1]), int(args[2]), dates, pages)
    elif command == "agree":
        print(json.dumps(agreement(keyed(Path(args[0]), field), keyed(Path(args[1]), field), field),
                         ensure_ascii=False))
    elif command == "sheet":
        rows = sheet(keyed(Path(args[0]), field), keyed(Path(args[1]), field), field)
        write_jsonl(Path(args[2]), rows)
        print(f"{len(rows)} directives to adjudicate")
    elif command == "apply":
        docs = read_jsonl(Path(args[0]))
        decisions = keyed(Path(args[3]), field)
        docs, changed = apply(docs, keyed(Path(args[1]), field), keyed(Path(args[2]), field), decisions, field)
        write_jsonl(Path(args[4]), docs)
        print(f"{changed} {field} changed")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
