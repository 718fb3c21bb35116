#!/usr/bin/env python3
"""How similar distinct directives are, to place the bar at which a correction follows a sentence.

    .venv/bin/python scripts/carry_threshold.py [--shared ../shared]

Extracts the directives of the real documents in ../shared/corpus and
../shared/seeds and prints, with ``pipeline.corrections.carry.similarity`` on
normalised sentences: (1) the most similar pairs of *distinct* directives
within one document — the bar must stay above them, or a correction could
jump to a neighbour; (2) for the yearly reports of the same governments, each
directive's most similar one in the next year — where a sentence edited in
place ends and a different task on the same theme begins. The figures are
quoted in pipeline/corrections/carry.py (SIMILAR).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.extract.extractor import extract_directives  # noqa: E402
from pipeline.ingest.readers import read_file  # noqa: E402
from pipeline.parse.document import parse_raw  # noqa: E402
from pipeline.corrections.carry import SIMILAR, normalise  # noqa: E402

# (earlier, later) reports of one government in ../shared/corpus
YEARS = [("hunan-gwr-2025", "hunan-gwr-2026"), ("ningxia-gwr-2025", "ningxia-gwr-2026"),
         ("sichuan-gwr-2025", "sichuan-gwr-2026"), ("national-gwr-2024", "national-gwr-2025")]
BANDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
SHOWN = 12


def ratio(a: str, b: str) -> float:
    """difflib's ratio without the length shortcut of carry.similarity (to see the low values too)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def directives(paths: list[Path]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in paths:
        doc = parse_raw(read_file(path))
        out[path.stem] = [] if doc.no_body else [normalise(d.text) for d in extract_directives(doc)]
    return out


def within(docs: dict[str, list[str]]) -> list[tuple[float, str, str]]:
    pairs = []
    for texts in docs.values():
        for a, b in itertools.combinations(sorted({t for t in texts if t}), 2):
            if 2 * min(len(a), len(b)) / (len(a) + len(b)) >= 0.5:
                pairs.append((ratio(a, b), a, b))
    return sorted(pairs, reverse=True)


def across(docs: dict[str, list[str]]) -> list[tuple[float, str, str]]:
    best = []
    for earlier, later in YEARS:
        if earlier not in docs or later not in docs:
            continue
        new = set(docs[later])
        for a in set(docs[earlier]):
            scored = [(ratio(a, b), a, b) for b in new if b != a and 2 * min(len(a), len(b)) / (len(a) + len(b)) >= 0.6]
            if scored:
                best.append(max(scored))
    return sorted(best, reverse=True)


def report(title: str, pairs: list[tuple[float, str, str]]) -> None:
    print(f"\n{title}: {len(pairs)} pairs; at or above " +
          ", ".join(f"{b}: {sum(1 for r, _, _ in pairs if r >= b)}" for b in BANDS))
    for r, a, b in pairs[:SHOWN]:
        print(f"  {r:.3f}  {a[:40]} | {b[:40]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args()
    paths = sorted((args.shared / "corpus").glob("*.txt")) + sorted((args.shared / "seeds").glob("*.txt"))
    if not paths:
        sys.exit(f"no documents under {args.shared}")
    docs = directives(paths)
    print(f"{len(docs)} documents, {sum(map(len, docs.values()))} directives; SIMILAR = {SIMILAR}")
    report("distinct directives within one document", within(docs))
    report("each directive and its most similar one in the next year's report", across(docs))


if __name__ == "__main__":
    main()
