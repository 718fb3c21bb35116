#!/usr/bin/env python3
"""Lay out report pairs for independent follow-up annotators.

usage: prep_track.py OUT_DIR PAIR...   (PAIR = name:earlier_path:later_path)

Each pair becomes OUT_DIR/NAME/{earlier,later}.txt: the cleaned body that
`duban followup` reads, one sentence a line behind its number (E12, L340),
paragraphs separated by a blank line and headings shown as they change. The
numbers are the parser's sentence indexes, so labels given by number turn back
into the exact sentence text the scorer matches. The files hold shared texts:
they are written outside the repository and never committed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from pipeline.track.follow import document_date, load  # noqa: E402


def lay_out(path: str, prefix: str) -> tuple[str, dict]:
    doc = load(path).doc
    lines, last_para = [], None
    for s in doc.sentences:
        if s.para != last_para:
            lines.append("")
            last_para = s.para
        lines.append(f"{prefix}{s.idx}\t{doc.sentence_text(s)}")
    date = document_date(doc)
    return "\n".join(lines).strip() + "\n", {"path": path, "date": date.isoformat() if date else None,
                                               "place": doc.meta.get("place"), "title": doc.meta.get("title")}


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    for spec in argv[1:]:
        name, earlier, later = spec.split(":")
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        e_text, e_meta = lay_out(earlier, "E")
        l_text, l_meta = lay_out(later, "L")
        (d / "earlier.txt").write_text(e_text, encoding="utf-8")
        (d / "later.txt").write_text(l_text, encoding="utf-8")
        (d / "meta.json").write_text(json.dumps({"earlier": e_meta, "later": l_meta}, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
        print(name, e_meta["date"], l_meta["date"], e_text.count("\n"), l_text.count("\n"))


if __name__ == "__main__":
    main(sys.argv[1:])
