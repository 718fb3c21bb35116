#!/usr/bin/env python3
"""Restore the annotated pages' texts from the tool library, a session at a time.

usage:
  restore_pages.py manifest WORK_DIR [--pages DIR] [--groups 8] [--first test,heldout]   # what to look up, in order
  restore_pages.py save WORK_DIR ID [--pages DIR]                  # check one looked-up excerpt and keep it
  restore_pages.py miss WORK_DIR ID                                # two queries did not find it
  restore_pages.py record-missing WORK_DIR [--pages DIR]           # keep the session's misses for the next one
  restore_pages.py status [--pages DIR]                            # which pages each annotation file has

The page texts of ``corpus/annotations/*.jsonl`` are not ours to keep in this repository: they are
excerpts of the tool library's ``pages`` corpus, found again by their ``url``. A session that finds
its page folder empty restores them with helpers (``restore_prompt.md``): ``manifest`` writes, for every
page not yet in ``--pages``, its id, url, title, a hint (meeting and place), ``text_chars`` (the non-blank
characters of the text it was labelled on) and snippets of its labelled directives, into
``WORK_DIR/manifest.json`` and ``--groups`` lists of about equal length, ``test`` and ``heldout``
pages first: a session's look-ups run out before a thousand pages (2026-12-07: 567 of 1,123), and
the pages the figures are quoted on come first. A later session whose test pages were already
looked for (those left are the ones the library does not hold) passes ``--first tune``, so its
look-ups go to the pages not yet tried. A helper writes each excerpt it finds, as the tool
printed it (one JSON string), to ``WORK_DIR/raw/<id>.json``; ``save`` decodes it, writes
``DIR/<id>.txt`` and says ``OK`` when its length and snippets match what was labelled, ``CHECK``
otherwise (the library gave a shorter or another excerpt: the scorers name such pages too).

A page two queries did not find is recorded by the helper (``miss``), and ``record-missing`` keeps those ids in
``corpus/annotations/restore_missing.txt`` (ids and dates only). ``manifest`` puts the pages named there last
in their lists: a session's look-ups then go to pages the library gave before, and a page missed once is
still tried when look-ups are left (the library's answers vary). A missed page found later (by another
record's query, or in a later session) leaves the list when ``record-missing`` next runs.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = ROOT / "corpus" / "annotations"
PAGE_FILES = ("extract_mixed", "extract_news", "extract_notices", "extract_speeches", "extract_plans",
              "extract_reports", "extract_other_kinds", "news_meta")
FIRST = ("test", "heldout")           # the splits figures are quoted on: restored first
MISSING = ANNOTATIONS / "restore_missing.txt"


def non_blank(text: str) -> str:
    return "".join(text.split())


def page_records(folder: Path = ANNOTATIONS) -> dict[str, dict]:
    """Every annotated page once, with what a helper needs to find it and ``save`` to check it."""
    pages: dict[str, dict] = {}
    for name in PAGE_FILES:
        path = folder / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            pid = rec.get("page") or rec.get("id")
            page = pages.setdefault(pid, {"id": pid, "url": None, "title": None, "hint": "", "text_chars": None,
                                          "snippets": [], "splits": [], "files": {}})
            meta = rec.get("meta") or {}
            page["url"] = page["url"] or rec.get("url")
            page["text_chars"] = page["text_chars"] or rec.get("text_chars")
            page["title"] = page["title"] or meta.get("title")
            page["hint"] = page["hint"] or " ".join(v for v in (meta.get("meeting"), meta.get("place")) if v)
            if rec.get("split") and rec["split"] not in page["splits"]:
                page["splits"].append(rec["split"])
            page["files"][name] = rec.get("split")
            for d in rec.get("directives") or []:
                snippet = non_blank(d["text"])[:40]
                if len(page["snippets"]) < 3 and snippet not in page["snippets"]:
                    page["snippets"].append(snippet)
    return pages


def known_missing(path: Path = MISSING) -> dict[str, str]:
    """The ids earlier sessions' queries did not find, with the line that records each."""
    if not path.exists():
        return {}
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
    return {x.split()[0]: x for x in lines if x and not x.startswith("#")}


def manifest(work: Path, pages_dir: Path, groups: int, first: tuple[str, ...] = FIRST,
             missing: Path = MISSING) -> list[list[dict]]:
    pages = page_records()
    missed = known_missing(missing)
    todo = [p for p in pages.values() if p["url"] and not (pages_dir / f"{p['id']}.txt").exists()]
    todo.sort(key=lambda p: (p["id"] in missed, not any(s in first for s in p["splits"]), p["id"]))
    work.mkdir(parents=True, exist_ok=True)
    (work / "raw").mkdir(exist_ok=True)
    (work / "manifest.json").write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    lists = [todo[i::groups] for i in range(groups)]
    for i, items in enumerate(lists):
        (work / f"group{i}.jsonl").write_text(
            "".join(json.dumps({k: p[k] for k in ("id", "url", "title", "hint", "text_chars", "snippets")},
                               ensure_ascii=False) + "\n" for p in items), encoding="utf-8")
    return lists


def save(work: Path, pid: str, pages_dir: Path) -> str:
    """Decode ``raw/<id>.json`` and keep it as ``<id>.txt``; the verdict says whether it is the text labelled."""
    page = json.loads((work / "manifest.json").read_text(encoding="utf-8")).get(pid)
    if page is None:
        raise SystemExit(f"{pid}: no such page in {work / 'manifest.json'}")
    raw = (work / "raw" / f"{pid}.json").read_text(encoding="utf-8").strip()
    try:
        text = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{pid}: not one JSON string ({exc}); write the excerpt as the tool printed it, quotes included")
    if not isinstance(text, str) or not text.strip():
        raise SystemExit(f"{pid}: the raw file holds no text")
    flat = non_blank(text)
    want = page.get("text_chars")
    missing = [s for s in page["snippets"] if non_blank(s)[:20] not in flat]
    same_length = not want or abs(len(flat) - want) <= 0.02 * want
    pages_dir.mkdir(parents=True, exist_ok=True)
    (pages_dir / f"{pid}.txt").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    verdict = "OK" if same_length and not missing else "CHECK"
    return f"{verdict} {pid}: {len(flat)} non-blank characters (labelled on {want}); snippets not found: {len(missing)}"


def miss(work: Path, pid: str) -> str:
    """Note that two queries did not find ``pid`` (a helper's call; ``record-missing`` keeps the notes)."""
    if pid not in json.loads((work / "manifest.json").read_text(encoding="utf-8")):
        raise SystemExit(f"{pid}: no such page in {work / 'manifest.json'}")
    with (work / "missing.txt").open("a", encoding="utf-8") as fh:
        fh.write(pid + "\n")
    return f"MISSED {pid}"


def record_missing(work: Path, pages_dir: Path, day: str, path: Path = MISSING) -> list[str]:
    """Merge the session's misses into ``path``; drop every id whose text is now in ``pages_dir``."""
    kept = known_missing(path)
    noted = work / "missing.txt"
    for pid in (noted.read_text(encoding="utf-8").split() if noted.exists() else []):
        kept.setdefault(pid, f"{pid} {day}")
    kept = {pid: line for pid, line in kept.items() if not (pages_dir / f"{pid}.txt").exists()}
    header = ("# Pages of corpus/annotations/ that two queries of the tool library did not find, and the day\n"
              "# (scripts/annotation/restore_pages.py: restored last, still tried when look-ups are left)\n")
    path.write_text(header + "".join(kept[k] + "\n" for k in sorted(kept)), encoding="utf-8")
    return sorted(kept)


def status(pages_dir: Path) -> list[str]:
    pages = page_records()
    lines = []
    for name in PAGE_FILES:
        for split in ("test", "heldout", "tune"):
            ids = [p["id"] for p in pages.values() if p["files"].get(name) == split]
            if ids:
                have = sum((pages_dir / f"{i}.txt").exists() for i in ids)
                lines.append(f"{name:20} {split:8} {have:4} of {len(ids):4}")
    return lines


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("manifest", "save", "miss", "record-missing", "status"))
    ap.add_argument("args", nargs="*")
    ap.add_argument("--pages", type=Path, default=Path("/tmp/newspages"))
    ap.add_argument("--groups", type=int, default=8)
    ap.add_argument("--first", default=",".join(FIRST), help="the splits looked up first, comma-separated")
    a = ap.parse_args(argv)
    if a.command == "manifest" and len(a.args) == 1:
        lists = manifest(Path(a.args[0]), a.pages, a.groups, tuple(a.first.split(",")))
        print(f"{sum(map(len, lists))} pages to restore in {len(lists)} lists under {a.args[0]}")
    elif a.command == "save" and len(a.args) == 2:
        print(save(Path(a.args[0]), a.args[1], a.pages))
    elif a.command == "miss" and len(a.args) == 2:
        print(miss(Path(a.args[0]), a.args[1]))
    elif a.command == "record-missing" and len(a.args) == 1:
        kept = record_missing(Path(a.args[0]), a.pages, datetime.date.today().isoformat())
        print(f"{len(kept)} pages recorded as not found in {MISSING}")
    elif a.command == "status" and not a.args:
        print("\n".join(status(a.pages)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
