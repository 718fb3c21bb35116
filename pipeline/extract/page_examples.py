"""Training sentences from annotated real pages whose texts stay outside the repository.

The annotated pages of ``corpus/annotations/extract_*.jsonl`` (news, notices, speeches, plans, reports, other kinds, mixed)
were labelled whole by two annotators: every directive of a page is in its
gold, so every other sentence of it is not one. Their texts may not be copied
into this repository, so they cannot be kept as labelled sentences the way
``sentences_real.jsonl`` keeps the shared documents'. Instead, given the folder
that holds the pages (``<page>.txt``, as for ``scripts/eval_extract_real.py``),
each page of the ``tune`` split is read as ``duban extract`` reads it and every
sentence the classifier is asked about is noted with what it is asked with
(the text in analysis form, the kind it is judged as, its headings, its rule
score) and labelled by the page's gold, matched as the shared scorer matches.
The ``test`` pages are never read here.

The rules alone decide while a page is read (no model is asked), so the
sentences gathered do not depend on the model being trained.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..parse.textnorm import analysis_form
from .detect import rule_probability, using_classifier
from .evaluate import MATCH_RATIO, norm, overlap

ANNOTATIONS_DIR = Path(__file__).resolve().parents[2] / "corpus" / "annotations"
# The annotated page sets, by the short name the scripts use (one list: training, scoring and the
# host-grouped cross-validation read the same sets).
PAGE_SETS = {name: ANNOTATIONS_DIR / f"extract_{stem}.jsonl"
             for name, stem in (("news", "news"), ("notices", "notices"), ("speeches", "speeches"), ("plans", "plans"),
                                ("reports", "reports"), ("other", "other_kinds"), ("mixed", "mixed"))}
PAGE_GOLD = tuple(PAGE_SETS.values())
TRAIN_SPLIT = "tune"


@dataclass
class _Recorder:
    """Stands in for the classifier while a page is read: notes each sentence it is asked about and
    answers as the rules would."""

    asked: dict[tuple[str, str | None], tuple[list[str], float]] = field(default_factory=dict)
    threshold: float = 0.5
    veto: float | None = None

    def probability(self, text: str, kind: str | None, headings: list[str], score: float) -> float:
        self.asked.setdefault((text, kind), (list(headings), score))
        return rule_probability(score)


@dataclass
class PageExamples:
    rows: list[dict]                       # labelled sentences, in the shape of sentences.jsonl
    pages: int = 0                         # tune pages read
    missing: list[str] = field(default_factory=list)   # tune pages whose text is not in the folder


def _tune_pages(gold_files: tuple[Path, ...]) -> list[dict]:
    docs = []
    for path in gold_files:
        if path.exists():
            docs += [d for d in (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip())
                     if d.get("split") == TRAIN_SPLIT and d.get("page")]
    return docs


def asked_sentences(path: Path) -> dict[tuple[str, str | None], tuple[list[str], float]]:
    """What the classifier is asked about when ``duban extract`` reads the file at ``path``."""
    from ..ingest.readers import read_file
    from ..parse.document import parse_raw
    from .extractor import extract_directives

    recorder = _Recorder()
    with using_classifier(recorder):
        extract_directives(parse_raw(read_file(path)))
    return recorder.asked


def page_examples(pages: Path, gold_files: tuple[Path, ...] | None = None) -> PageExamples:
    """The labelled sentences of the annotated ``tune`` pages found in the folder ``pages`` (the pages of
    ``gold_files``, by default the four page sets' annotations)."""
    out = PageExamples(rows=[])
    for gold in _tune_pages(gold_files if gold_files is not None else PAGE_GOLD):
        path = pages / f"{gold['page']}.txt"
        if not path.exists():
            out.missing.append(gold["page"])
            continue
        out.pages += 1
        directives = [norm(analysis_form(d["text"])) for d in gold["directives"]]
        for (text, kind), (headings, score) in asked_sentences(path).items():
            said = norm(text)
            label = int(any(overlap(d, said) >= MATCH_RATIO for d in directives))
            out.rows.append({"text": text, "label": label, "genre": kind or "other", "headings": headings,
                             "heading": headings[-1] if headings else "", "rule_score": score,
                             "doc": gold["page"], "source": "page"})
    return out
