#!/usr/bin/env python3
"""Metadata of real news pages (issue 11), scored by the shared scorer, split by site.

usage: scripts/eval_news_meta.py --pages DIR [--split test|tune|heldout|all] [--agreement] [--verbose]

``corpus/annotations/news_meta.jsonl`` holds, for each page, its address, the split it
belongs to (by site, fixed before any error was read: ``tune`` pages were read and the rules
built on them, ``test`` pages only scored; ``heldout`` pages were collected and labelled after
the rules were fixed: the figure to quote), the metadata two annotators gave it
without seeing each other's (``a``, ``b``) and the adjudicated ``meta``. The pages' texts are
excerpts of public pages kept by the tool library, which may not be copied into this
repository: ``--pages`` names the folder that holds them as ``<id>.txt`` (pNN, qNN, rNN, nNN). Each page is read as a
user's file would be (``duban extract``), and the meta fields are scored with
``../shared/eval/score_extract.py`` (its ``meta_accuracy`` line, then the summary).
``--agreement`` prints how often the two annotators agreed, per field.
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

GOLD = ROOT / "corpus" / "annotations" / "news_meta.jsonl"
FIELDS = ("title", "date", "place", "speaker", "meeting", "kind", "level")


def shared_dir() -> Path:
    return Path(os.environ.get("DUBAN_SHARED") or ROOT.parent / "shared")


def gold_pages(split: str) -> list[dict]:
    pages = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [p for p in pages if split == "all" or p["split"] == split]


def present_pages(records: list[dict], folder: Path, key: str) -> list[dict]:
    """The records whose page text is in ``folder``. The texts are restored from the tool library
    each session and a few pages may no longer be found there; they are named on stderr and left
    out, so a figure is always over the pages it says it scored. A record's ``text_chars`` (the
    non-blank characters of the text it was labelled on) tells a restored text that is not the one
    labelled (a longer or shorter excerpt): such pages are named too, and still scored."""
    missing = [r[key] for r in records if not (folder / f"{r[key]}.txt").is_file()]
    if missing:
        print(f"left out, no text in {folder}: {len(missing)} pages ({', '.join(missing)})", file=sys.stderr)
    present = [r for r in records if r[key] not in missing]
    changed = [r[key] for r in present if r.get("text_chars") and
               abs(len("".join((folder / f"{r[key]}.txt").read_text(encoding="utf-8").split())) - r["text_chars"])
               > 0.1 * r["text_chars"]]
    if changed:
        print(f"text not the one labelled (length off by more than 10%): {', '.join(changed)}", file=sys.stderr)
    return present


def predict(pages: list[dict], folder: Path) -> list[dict]:
    from pipeline.track.follow import load

    out = []
    for p in pages:
        doc = load(folder / f"{p['id']}.txt").doc
        out.append({"source": p["id"], "meta": doc.meta, "body": doc.body, "directives": []})
    return out


def score(gold: list[dict], pred: list[dict]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp, "g.jsonl"), Path(tmp, "p.jsonl")
        g.write_text("".join(json.dumps({"source": d["id"], "meta": d["meta"], "directives": []},
                                        ensure_ascii=False) + "\n" for d in gold), encoding="utf-8")
        p.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in pred), encoding="utf-8")
        out = subprocess.run([sys.executable, str(shared_dir() / "eval" / "score_extract.py"), str(g), str(p),
                              "--verbose"], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    return "\n".join([x for x in lines if x.startswith("meta_accuracy")] + lines[-1:])


def same(a, b) -> bool:
    norm = lambda v: "".join(str(v or "").split()).rstrip("。，,")  # noqa: E731
    return norm(a) == norm(b)


def agreement(pages: list[dict]) -> str:
    """Per field: of the pages where either annotator gave a value, how often the two gave the same."""
    parts = []
    for f in FIELDS:
        both = [p for p in pages if p["a"].get(f) or p["b"].get(f)]
        agree = sum(same(p["a"].get(f), p["b"].get(f)) for p in both)
        parts.append(f"{f}={agree / max(1, len(both)):.2f} ({len(both)})")
    return "annotator agreement: " + " ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", required=True, help="folder holding the pages' texts (<id>.txt)")
    ap.add_argument("--split", default="test", choices=("test", "tune", "heldout", "all"))
    ap.add_argument("--agreement", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="print each field the tool got wrong")
    args = ap.parse_args()
    pages = present_pages(gold_pages(args.split), Path(args.pages), "id")
    pred = predict(pages, Path(args.pages))
    print(f"{len(pages)} pages from {len({p['site'] for p in pages})} sites ({args.split})")
    if args.agreement:
        print(agreement(pages))
    if args.verbose:
        for g, p in zip(pages, pred):
            for f in FIELDS:
                if g["meta"].get(f) and not same(g["meta"][f], p["meta"].get(f)):
                    print(f"  {g['id']} {f}: gold={g['meta'][f]!r} tool={p['meta'].get(f)!r}")
    print(score(pages, pred))


if __name__ == "__main__":
    main()
