#!/usr/bin/env python3
"""Extraction on real documents labelled by two annotators, split by document.

usage: scripts/eval_extract_real.py [--split test|tune|all] [--batch [^]PREFIX] [--verbose]
       scripts/eval_extract_real.py --news --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --notices --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --speeches --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --plans --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --reports --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --other-kinds --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --mixed --pages DIR [--split test|tune|all] [--verbose]
       scripts/eval_extract_real.py --compare-training [--pages DIR]

``corpus/annotations/extract_real.jsonl`` holds the adjudicated directives of 57
real documents (``corpus/annotations/README.md``): notices, a plan and the
safety paragraphs of work reports (the provinces' 2025 reports, layouts ``r25_…``: ``--batch r25_`` scores
them alone, ``--batch ^r25_`` the others; the later reports of the dev pairs, ``dl_…``, were labelled last;
every deadline and party was labelled again by the spec's reading of campaigns, standing mechanisms
and carried subjects, ``scripts/annotation/relabel_field.py``). Each gold document names its file under
``../shared`` (``path``) and its ``split``, fixed before any error was read:
rules and lexicons may be tuned on ``tune`` documents only; ``test`` is what the
README quotes. The shared scorer's summary line is printed, then the precision
and recall of the ``safety`` field.

``--news`` scores ``corpus/annotations/extract_news.jsonl`` instead: the directives of 157 real
county, town and city news pages (the pages of ``news_meta.jsonl``), split by site for
directives (a hash of the host, fixed before any error was read). Their texts may not be copied
into this repository, so ``--pages`` names the folder that holds them as ``<id>.txt`` (as for
``scripts/eval_news_meta.py``).

``--notices`` scores ``corpus/annotations/extract_notices.jsonl``: the directives and metadata of
80 real notices (two batches, ``tNN`` and ``uNN``: notices, 通告, 禁火令, emergency-response notices,
plans issued by a notice, work points) of county, district, town and city governments and their
bureaus, kept the same way (``--pages``), split by site the same way. A page whose text is not in
``--pages`` is left out and named on stderr.

``--speeches`` scores ``corpus/annotations/extract_speeches.jsonl``: the directives and metadata of 93
real speech pages in four batches (``vNN``, ``wNN``, ``yNN``, ``zNN``: county, district, city and town
leaders' speeches on work safety, flood control, forest fires and emergency management, excerpts
re-hosted on model-text and document-sharing sites), kept and split the same way.

``--plans`` scores ``corpus/annotations/extract_plans.jsonl``: the directives and metadata of real work
plans (``xNN``: 工作方案, 实施方案, 行动方案 and 工作要点 of county, district, town and city governments,
their bureaus and headquarters, on work safety and its sectors, floods, forest fires, geological
hazards, fire and road traffic), kept and split the same way.

``--reports`` scores ``corpus/annotations/extract_reports.jsonl``: the directives and metadata of real
work summaries, situation and self-inspection reports (``gNN``, ``kNN``: what was done, then the next steps)
and bulletins, inspection and accident supervision letters and meeting minutes (``hNN``: what was
found, then the requirements), kept and split the same way.

``--other-kinds`` scores ``corpus/annotations/extract_other_kinds.jsonl``: emergency plans and
responsibility lists, open letters and proposals to the public or to enterprises, and policy
interpretations (``mNN``); meeting notices, warnings and risk messages, and work-safety rules
(``eNN``): kinds no earlier batch held, kept and split the same way.

``--mixed`` scores ``corpus/annotations/extract_mixed.jsonl``: fresh draws of every kind at once
(``dNN`` and ``cNN``: speeches, notices, plans, news items and work reports of local governments, on
hosts no other batch used), each labelled after the tool was last changed and scored once before any
page was read: how the tool does on pages it has never met, kind for kind in the proportions of a
night's crawl.

``--compare-training`` trains the directive classifier on the invented
sentences only, on the real ``tune`` sentences only and on both, and scores
the extractor with each on the ``test`` documents; with ``--pages`` also on both
and the sentences of the annotated ``tune`` pages (``duban train --pages``), and
scores each on the ``test`` pages of every set too.
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

from pipeline.extract.page_examples import PAGE_SETS  # noqa: E402

GOLD = ROOT / "corpus" / "annotations" / "extract_real.jsonl"
NEWS_GOLD, NOTICE_GOLD, SPEECH_GOLD, PLAN_GOLD, REPORT_GOLD, OTHER_GOLD, MIXED_GOLD = (
    PAGE_SETS[k] for k in ("news", "notices", "speeches", "plans", "reports", "other", "mixed"))
REAL_SENTENCES = ROOT / "corpus" / "annotations" / "sentences_real.jsonl"


def shared_dir() -> Path:
    return Path(os.environ.get("DUBAN_SHARED") or ROOT.parent / "shared")


def gold_docs(split: str, path: Path = GOLD) -> list[dict]:
    docs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [d for d in docs if split == "all" or d["split"] == split]


def predict(docs: list[dict], pages: Path | None = None) -> list[dict]:
    """What ``duban extract`` gives for each gold document: a shared file (``path``), or a news page
    (``page``) read from the folder ``pages``."""
    from pipeline.extract.extractor import extract_directives
    from pipeline.track.follow import load

    out = []
    for g in docs:
        if "page" in g:
            if pages is None:
                sys.exit("news pages need --pages DIR (the folder that holds <id>.txt)")
            doc = load(pages / f"{g['page']}.txt").doc
        else:
            doc = load(shared_dir() / g["path"]).doc
        out.append({"source": g["source"], "meta": doc.meta, "body": doc.body,
                    "directives": [d.as_json() for d in extract_directives(doc)]})
    return out


def score(gold: list[dict], pred: list[dict], verbose: bool = False) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp, "g.jsonl"), Path(tmp, "p.jsonl")
        g.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in gold), encoding="utf-8")
        p.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in pred), encoding="utf-8")
        args = [sys.executable, str(shared_dir() / "eval" / "score_extract.py"), str(g), str(p)]
        out = subprocess.run(args + (["--verbose"] if verbose else []), capture_output=True, text=True,
                             check=True).stdout
    return out if verbose else out.strip().splitlines()[-1]


def safety_scores(gold: list[dict], pred: list[dict]) -> str:
    from pipeline.extract.evaluate import pair

    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        pd = p["directives"]
        if g.get("scope"):
            from importlib import util

            spec = util.spec_from_file_location("score_extract", shared_dir() / "eval" / "score_extract.py")
            mod = util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            pd = [d for d in pd if mod.in_scope(d["text"], g["scope"])]
        for gi, pi in pair(g["directives"], pd):
            a, b = bool(g["directives"][gi].get("safety")), bool(pd[pi].get("safety"))
            tp, fp, fn = tp + (a and b), fp + (b and not a), fn + (a and not b)
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return f"safety on matched directives: p={prec:.3f} r={rec:.3f} f1={2 * prec * rec / max(1e-9, prec + rec):.3f} (true {tp + fn})"


def compare_training(pages: Path | None = None) -> None:
    from pipeline.extract.classifier import _load
    from pipeline.extract.detect import using_classifier
    from pipeline.extract.train import ANNOTATIONS, train

    real = [json.loads(x) for x in REAL_SENTENCES.read_text(encoding="utf-8").splitlines() if x.strip()]
    tune_docs = {d["source"] for d in gold_docs("tune")}
    test_sets = [("real", gold_docs("test"), None)]
    if pages is not None:
        from eval_news_meta import present_pages

        test_sets += [(name, present_pages(gold_docs("test", path), pages, "page"), pages)
                      for name, path in PAGE_SETS.items() if path.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        tune_file = Path(tmp, "real_tune.jsonl")
        tune_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in real if r["doc"] in tune_docs),
                             encoding="utf-8")
        variants = [("invented only", ANNOTATIONS, [], None), ("real only", tune_file, [], None),
                    ("both", ANNOTATIONS, [tune_file], None)]
        if pages is not None:
            variants.append(("both + pages", ANNOTATIONS, [tune_file], pages))
        for name, base, extra, page_dir in variants:
            model = Path(tmp, name.replace(" ", "_").replace("+", "and") + ".json")
            train(path=base, out=model, extra=extra, card=model.with_suffix(".md"), pages=page_dir)
            with using_classifier(_load(str(model))):
                for set_name, test, folder in test_sets:
                    print(f"{name:14} {set_name:9} {score(test, predict(test, folder))}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=("test", "tune", "all"))
    ap.add_argument("--news", action="store_true", help="score the news pages (extract_news.jsonl)")
    ap.add_argument("--notices", action="store_true", help="score the notice pages (extract_notices.jsonl)")
    ap.add_argument("--speeches", action="store_true", help="score the speech pages (extract_speeches.jsonl)")
    ap.add_argument("--plans", action="store_true", help="score the plan pages (extract_plans.jsonl)")
    ap.add_argument("--reports", action="store_true",
                    help="score the work-report and bulletin pages (extract_reports.jsonl)")
    ap.add_argument("--other-kinds", action="store_true",
                    help="score the emergency-plan, responsibility-list, open-letter and Q&A pages "
                         "(extract_other_kinds.jsonl)")
    ap.add_argument("--mixed", action="store_true", help="score a fresh draw of every kind (extract_mixed.jsonl)")
    ap.add_argument("--pages", type=Path, help="folder holding the pages as <id>.txt")
    ap.add_argument("--batch", default="", help="score only the gold documents whose layout name starts with "
                                                 "this (r25_: the provinces' 2025 reports); a leading ^ scores "
                                                 "all the others")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--compare-training", action="store_true")
    args = ap.parse_args()
    if args.compare_training:
        compare_training(args.pages)
        return
    gold = gold_docs(args.split, NEWS_GOLD if args.news else NOTICE_GOLD if args.notices
                     else SPEECH_GOLD if args.speeches else PLAN_GOLD if args.plans
                     else REPORT_GOLD if args.reports else OTHER_GOLD if args.other_kinds
                     else MIXED_GOLD if args.mixed else GOLD)
    if args.batch:
        prefix, keep = args.batch.lstrip("^"), not args.batch.startswith("^")
        gold = [d for d in gold if str(d.get("layout", "")).startswith(prefix) == keep]
    if args.pages:
        from eval_news_meta import present_pages

        gold = present_pages(gold, args.pages, "page")
    pred = predict(gold, args.pages)
    print(f"{args.split}: {len(gold)} documents, {sum(len(d['directives']) for d in gold)} gold directives")
    print(score(gold, pred, args.verbose))
    print(safety_scores(gold, pred))


if __name__ == "__main__":
    main()
