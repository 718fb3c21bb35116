#!/usr/bin/env python3
"""Lay out real documents for independent directive annotators.

usage: prep_extract.py OUT_DIR SPEC...   (SPEC = name:path[:safety])

Each document becomes OUT_DIR/NAME.txt: the cleaned body that `duban extract`
reads, one sentence a line behind its number (S12), paragraphs separated by a
blank line and the heading path shown where it changes. With ``:safety`` only
the paragraphs of the document's coming-period part that speak of safety work
are laid out (a work report is 300 sentences of economy and society; its safety
paragraphs are what a safety office reads), and their texts are the gold
document's ``scope``. The numbers are the parser's sentence indexes, so labels
given by number turn back into the exact sentence text the scorer matches.
The files hold shared texts: they are written outside the repository.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from pipeline.track.follow import document_date, load  # noqa: E402

# Broad on purpose: a paragraph is laid out when any sentence names safety work; the annotators,
# not this list, decide what is a safety directive.
SAFETY_WORDS = re.compile(r"安全生产|应急|防灾|减灾|救灾|消防|火灾|防汛|抗旱|防震|地质灾害|森林草原防|安全隐患|"
                          r"事故|本质安全|韧性|燃气|危化|危险化学品|矿山|道路交通安全|生命线")
FORWARD_HEADING = re.compile(r"20\d\d年.*(?:工作|任务|安排|建议)|今年|主要任务|重点工作|总体要求")


def paragraphs_in_scope(doc, safety_only: bool) -> set[int]:
    if not safety_only:
        return {s.para for s in doc.sentences}
    forward_from = 0
    for s in doc.sentences:
        heading = doc.sentence_text(s)
        if s.heading_level == 1 and FORWARD_HEADING.search(heading) and not re.search(r"回顾|过去", heading):
            forward_from = s.start
            break
    return {s.para for s in doc.sentences
            if s.start >= forward_from and s.heading_level is None and SAFETY_WORDS.search(doc.sentence_text(s))}


def lay_out(path: str, safety_only: bool) -> tuple[str, dict]:
    doc = load(path).doc
    keep = paragraphs_in_scope(doc, safety_only)
    lines, last_para, last_path = [], None, None
    scope: dict[int, list[str]] = {}
    for s in doc.sentences:
        if s.para not in keep:
            continue
        if s.para != last_para:
            lines.append("")
            last_para = s.para
        if s.heading_path != last_path and s.heading_path:
            lines.append("    [标题路径] " + " > ".join(s.heading_path))
        last_path = s.heading_path
        text = doc.sentence_text(s)
        scope.setdefault(s.para, []).append(text)
        lines.append(f"S{s.idx}\t{text}")
    date = document_date(doc)
    meta = {"path": path, "date": date.isoformat() if date else None, "kind": doc.meta.get("kind"),
            "place": doc.meta.get("place"), "title": doc.meta.get("title"),
            "sentences": sum(len(v) for v in scope.values())}
    if safety_only:
        meta["scope"] = ["".join(v) for _, v in sorted(scope.items())]
    return "\n".join(lines).strip() + "\n", meta


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for spec in argv[1:]:
        name, path, *flags = spec.split(":")
        text, meta = lay_out(path, "safety" in flags)
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        index[name] = meta
        print(name, meta["date"], meta["kind"], meta["sentences"])
    (out / "meta.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
