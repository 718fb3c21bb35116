"""The pure form of tracking: one source document, the later documents given, no store.

``duban followup SOURCE --later FILE…`` prints what this returns (spec
`tracking.md` §3): the source's directives in document order, each with its
evidence in the later documents and its status as of a date. Documents are
dated from their own text; a later document whose date cannot be read is taken
as later (the caller named it so). Every file named as later is read, even one
dated after the as-of date (a document's own date may be read a few days off
the date the caller has in mind): the as-of date decides what is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..parse.document import ParsedDocument
from .index import SentenceIndex
from .link import Evidence, Query, SentenceRec, find_evidence, ordinal, term_doc
from .match import not_the_task
from .lists import is_item, list_lead
from .outcomes import government
from .scoring import Scorer
from .status import overall_status


@dataclass
class Loaded:
    path: str
    doc: ParsedDocument


def load(path: str | Path) -> Loaded:
    from ..ingest.readers import read_file
    from ..parse.document import parse_raw

    return Loaded(str(path), parse_raw(read_file(Path(path))))


def document_date(doc: ParsedDocument) -> dt.date | None:
    from ..extract.extractor import reference_date

    return reference_date(doc.meta, title_year=False)   # a date to order documents by: read, never guessed


def sentence_recs(doc: ParsedDocument) -> list[SentenceRec]:
    return [SentenceRec(s.idx, s.start, s.end, s.heading_level, list(s.heading_path), s.toc or s.front)
            for s in doc.sentences]


@dataclass
class Setup:
    """A source, its later documents and its directives, indexed for matching."""

    index: SentenceIndex
    queries: list[Query]
    directives: list[Any]
    bodies: dict[int, str]


def prepare(source: Loaded, later: list[Loaded], as_of: dt.date) -> Setup:
    """Index the source and the later documents; the source's directives as queries."""
    from ..extract.extractor import extract_directives

    src_ord = ordinal(document_date(source.doc))
    index = SentenceIndex()
    src_gov = government(source.doc.meta.get("place"), source.doc.meta.get("level"))
    index.add(term_doc(0, src_ord, source.doc.body, sentence_recs(source.doc), src_gov))
    bodies = {0: source.doc.body}
    for n, item in enumerate(later, start=1):
        date = document_date(item.doc) or as_of
        index.add(term_doc(n, ordinal(date), item.doc.body, sentence_recs(item.doc),
                           government(item.doc.meta.get("place"), item.doc.meta.get("level"))))
        bodies[n] = item.doc.body
    directives = extract_directives(source.doc) if not source.doc.no_body else []
    spans = [(s.start, s.end, s.para) for s in source.doc.sentences]
    queries = [Query(i, d.text, src_ord, list(d.sectors),
                     not_the_task(list(d.parties), d.deadline.text if d.deadline else None,
                                  d.deadline.kind if d.deadline else None), 0, d.start, src_gov,
                     list_lead(source.doc.body, spans, d.start) if is_item(d.text) else None)
               for i, d in enumerate(directives)]
    return Setup(index, queries, directives, bodies)


def candidates(source: Loaded, later: list[Loaded], as_of: dt.date | None = None) -> tuple[Setup, list[Evidence]]:
    """Every sentence the matcher weighs for each directive, with all its features (for training)."""
    setup = prepare(source, later, as_of or dt.date.today())
    return setup, find_evidence(setup.index, setup.queries, setup.bodies.__getitem__, keep_all=True,
                                strict_government=False)


def followup(source: Loaded, later: list[Loaded], as_of: dt.date | None = None,
             scorer: Scorer | None = None) -> list[dict[str, Any]]:
    """One record per directive of ``source``, in document order."""
    as_of = as_of or dt.date.today()
    setup = prepare(source, later, as_of)
    directives = setup.directives
    found = find_evidence(setup.index, setup.queries, setup.bodies.__getitem__, scorer=scorer,
                          strict_government=False)
    by_directive: dict[int, list[Evidence]] = {}
    for e in found:
        by_directive.setdefault(e.query, []).append(e)
    records = []
    for i, d in enumerate(directives):
        ev = sorted(by_directive.get(i, []), key=lambda e: (-e.score, e.doc_key, e.start))
        deadline = d.deadline.as_json() if d.deadline else None
        records.append({
            "source": source.path,
            "text": d.text,
            "start": d.start,
            "end": d.end,
            "deadline": deadline,
            "status": overall_status([e.status for e in ev], deadline and deadline.get("date"), as_of),
            "evidence": [{"source": later[e.doc_key - 1].path, "text": e.text, "start": e.start, "end": e.end,
                          "status": e.status, "score": e.score, "via": e.via} for e in ev],
        })
    return records
