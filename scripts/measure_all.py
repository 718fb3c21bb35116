#!/usr/bin/env python3
"""Every extraction figure the README quotes, in one run: the summary lines only.

usage: scripts/measure_all.py --pages DIR [--split test|tune] [--latest N]

A session measures the same sets after every change (the README's *Quality* and
``docs/measurements.md``): the real documents of ``../shared`` (``extract_real.jsonl``, also the provinces'
2025 reports and the others apart), each annotated page set, the fresh draws of ``extract_mixed.jsonl`` (all,
and the ``--latest`` N draws: the estimate for a page never met), the news pages' metadata and the dev seeds.
This prints, for each, the shared scorer's summary line and how many of its pages were in ``--pages`` (the
page texts are restored each session and some are missing: a figure on fewer pages is not the same figure;
the ids left out go to stderr). Nothing else is printed — no sentence, no error — so running it on ``test``
reads no test page.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_extract_real as real  # noqa: E402
import eval_news_meta as news_meta  # noqa: E402
from eval_news_meta import present_pages  # noqa: E402

PAGE_SETS = {"news": real.NEWS_GOLD, "notices": real.NOTICE_GOLD, "speeches": real.SPEECH_GOLD,
             "plans": real.PLAN_GOLD, "reports": real.REPORT_GOLD, "other kinds": real.OTHER_GOLD}
# Batches of extract_real.jsonl scored apart (their layouts' prefix): the provinces' 2025 reports, whose
# annotators name no acting body in the test half, and the later reports of the dev pairs, labelled in the
# twenty-ninth session (corpus/annotations/README.md; every deadline and party of the file was labelled
# again by the spec's reading in the thirty-first).
REAL_BATCHES = (("provinces' 2025 reports", "r25_"), ("the dev pairs' later reports", "dl_"))
# The fresh draws of extract_mixed.jsonl in the order they were made (corpus/annotations/README.md): a draw
# is its ids' letter and the first number of its range. A new draw is added at the end.
DRAWS = ("d01", "c01", "s01", "a01", "b01", "o01", "i01", "j01", "l01", "f41", "g41", "h41", "i41", "j41",
         "k41", "l41", "m41", "o41", "s41", "q41", "r41")
DRAW_SIZE = {"d01": 60, "c01": 50}     # the first two draws were larger than forty pages


def draw_of(page: str) -> str | None:
    """The draw a page id belongs to (``o57`` → ``o41``), or None."""
    m = re.fullmatch(r"([a-z])(\d+)", page)
    if not m:
        return None
    for start in DRAWS:
        if start[0] == m[1]:
            first = int(start[1:])
            if first <= int(m[2]) < first + DRAW_SIZE.get(start, 40):
                return start
    return None


def summary(gold: list[dict], pages: Path | None, pred: list[dict] | None = None) -> str:
    """The scorer's summary line for ``gold``, on ``pred`` when the documents were already extracted."""
    if not gold:
        return "no documents"
    line = real.score(gold, pred if pred is not None else real.predict(gold, pages))
    return line.replace("summary: ", "").split(" exact=")[0] + " meta=" + line.rsplit("meta=", 1)[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder holding the pages as <id>.txt")
    ap.add_argument("--split", default="test", choices=("test", "tune"))
    ap.add_argument("--latest", type=int, default=4, help="how many of the latest draws to score apart")
    a = ap.parse_args()
    split = a.split

    docs = real.gold_docs(split)
    preds = real.predict(docs)            # each document extracted once, its batches scored from these

    def part(keep) -> tuple[list[dict], list[dict]]:
        chosen = [i for i, d in enumerate(docs) if keep(str(d.get("layout", "")))]
        return [docs[i] for i in chosen], [preds[i] for i in chosen]

    print(f"real documents ({len(docs)}): {summary(docs, None, preds)}", flush=True)
    for label, prefix in REAL_BATCHES:
        gold, pred = part(lambda layout: layout.startswith(prefix))
        print(f"  {label} ({len(gold)}): {summary(gold, None, pred)}", flush=True)
    gold, pred = part(lambda layout: not layout.startswith(tuple(p for _, p in REAL_BATCHES)))
    print(f"  the others ({len(gold)}): {summary(gold, None, pred)}", flush=True)

    for name, path in PAGE_SETS.items():
        gold = real.gold_docs(split, path)
        have = present_pages(gold, a.pages, "page")
        print(f"{name} ({len(have)} of {len(gold)} pages): {summary(have, a.pages)}", flush=True)

    gold = real.gold_docs(split, real.MIXED_GOLD)
    mixed = present_pages(gold, a.pages, "page")
    print(f"fresh draws, all {len(DRAWS)} ({len(mixed)} of {len(gold)} pages): {summary(mixed, a.pages)}", flush=True)
    latest = set(DRAWS[-a.latest:])
    recent = [d for d in mixed if draw_of(d["page"]) in latest]
    wanted = sum(draw_of(d["page"]) in latest for d in gold)
    print(f"  the latest {a.latest} ({', '.join(DRAWS[-a.latest:])}; {len(recent)} of {wanted} pages): "
          f"{summary(recent, a.pages)}", flush=True)

    for meta_split in (("heldout", "test") if split == "test" else ("tune",)):
        gold = news_meta.gold_pages(meta_split)
        pages = present_pages(gold, a.pages, "id")
        if pages:
            lines = news_meta.score(pages, news_meta.predict(pages, a.pages)).splitlines()
            print(f"news metadata, {meta_split} ({len(pages)} of {len(gold)} pages): "
                  f"{lines[0].replace('meta_accuracy', '').strip()}", flush=True)

    dev = real.shared_dir() / "gold" / "extract_dev.jsonl"
    if dev.exists():
        out = subprocess.run([sys.executable, "-m", "pipeline.cli", "evaluate", str(dev)],
                             capture_output=True, text=True, cwd=ROOT)
        line = next((x for x in out.stdout.splitlines() if x.startswith("summary")), out.stderr.strip()[-200:])
        print(f"dev seeds: {line.replace('summary: ', '')}", flush=True)


if __name__ == "__main__":
    main()
