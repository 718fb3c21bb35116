"""From directives and an index of later sentences to scored, labelled evidence.

Shared by the pure form (``followup``: documents given on the command line) and
the store form (``track``): both build a ``SentenceIndex`` of ``TermDoc`` s and
hand it the directives as ``Query`` s; this module retrieves candidates, has
the matcher score them all at once and keeps the evidence that reaches the
threshold, each with the status its wording supports.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable

import numpy as np

from ..parse.textnorm import analysis_form
from .index import Candidates, RowScope, SentenceIndex, TermDoc
from .match import (QueryText, blank, clause_pair, pair_features, pairs_of, query_set, query_text, run_of,
                    safety_focus, text_features, text_gain)
from .lists import Lead, patterns as list_patterns
from .pairfeat import pair_extra
from .scope import may_follow, relation, unit
from .outcomes import config as outcome_config, outcome_links, reported, same_government
from .scoring import LATE_FEATURES, PAIR_LATE, Scorer, default_scorer, rule_score, rule_weights
from .status import (Context, TargetAnswers, evidence_status, never_evidence, sentence_contexts, targets_verdict,
                     weigh_report)
from .terms import bigram_id, bigrams, clauses, sentence_terms, term_ids

RETRIEVE_K = 40          # candidates per directive handed to the matcher
MIN_RETRIEVAL = 0.04     # cosine below which a sentence is not a candidate
MAX_PER_DOCUMENT = 6     # evidence kept per directive and later document (best first)
LIST_CANDIDATES = 200    # sentences retrieved by a list's name, before checking that they hold it


@dataclass
class SentenceRec:
    """A sentence of a document as the index needs it."""

    idx: int
    start: int
    end: int
    heading_level: int | None
    heading_path: list[str]
    skip: bool = False        # table of contents, front matter


@dataclass
class Query:
    key: int                  # directive id (store) or position (followup)
    text: str                 # the directive sentence as written
    date: int                 # ordinal of its document's date; 0 when unknown
    sectors: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)   # who and when (match.not_the_task)
    doc_key: int | None = None                       # where it stands in the index, when it does
    start: int | None = None
    government: str | None = None                    # whose directive (outcomes.government)
    lead: Lead | None = None                         # the lead of the named list it is an item of (lists.py)


@dataclass
class Evidence:
    query: int                # Query.key
    doc_key: int
    sent_idx: int
    start: int
    end: int
    text: str
    status: str
    score: float
    features: dict[str, float] = field(default_factory=dict)
    context: Context = Context.NEUTRAL
    via: str = "text"         # what links it: "text" (the matcher), "outcome" (outcomes.py), "list" (lists.py),
                              # "downward" (the matcher, a document a level below ordering it again: scope.py)
    targets: TargetAnswers | None = None   # what its figures say of the directive's targets (a report only)


def ordinal(date: str | dt.date | None) -> int:
    """A date as a day number (0 when unknown), so dates compare as integers in the index."""
    if date is None:
        return 0
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date[:10])
        except ValueError:
            return 0
    return date.toordinal()


def term_doc(key: int, date: int, body: str, sentences: list[SentenceRec], government: str | None = None) -> TermDoc:
    """Index form of a document: the terms, context and reported outcomes of every sentence that may be
    evidence."""
    year = dt.date.fromordinal(date).year if date else None
    contexts = sentence_contexts([s.heading_path for s in sentences],
                                 [body[s.start:s.end] if s.heading_level is not None else None for s in sentences],
                                 year)
    idx, starts, ends, ctx, ptr, terms, where, outcome = [], [], [], [], [0], [], [], []
    section_names: dict[str, int] = {}
    section: list[int] = []
    for s, c in zip(sentences, contexts):
        form = analysis_form(body[s.start:s.end])
        if s.skip or c == Context.SKIP or never_evidence(form):
            continue
        ids, clause_no = sentence_terms(form)
        idx.append(s.idx)
        starts.append(s.start)
        ends.append(s.end)
        ctx.append(int(c))
        outcome.append(reported(form))
        head = section_heading(s.heading_path)
        section.append(section_names.setdefault(head, len(section_names)) if head else -1)
        terms.extend(ids)
        where.extend(clause_no)
        ptr.append(len(terms))
    return TermDoc(key=key, date=date, sent_idx=np.asarray(idx, np.int32), starts=np.asarray(starts, np.int32),
                   ends=np.asarray(ends, np.int32), context=np.asarray(ctx, np.int8),
                   ptr=np.asarray(ptr, np.int64), terms=np.asarray(terms, np.int32),
                   clause=np.asarray(where, np.int16), outcome=np.asarray(outcome, np.uint16),
                   government=government, section=np.asarray(section, np.int32),
                   sections=tuple(section_names), pos=part_positions(ctx))


def section_heading(path: list[str]) -> str:
    """The heading a sentence is filed under, for comparing sections: its first two levels.

    A review walks the plan's chapters in order under matching headings (（十一）筑牢安全底线 →
    （十）统筹发展和安全): the headings say what a part is about.
    """
    return "".join(path[:2])


def part_positions(contexts: list[int]) -> np.ndarray:
    """Where each sentence stands inside the part of its document it belongs to (review, tasks, other),
    from 0 at the part's first sentence to 1 at its last: a review takes up the plan's tasks in the
    plan's order."""
    ctx = np.asarray(contexts, dtype=np.int64)
    out = np.zeros(len(ctx), np.float32)
    for c in np.unique(ctx):
        where = np.flatnonzero(ctx == c)
        out[where] = np.linspace(0.0, 1.0, len(where)) if len(where) > 1 else 0.5
    return out


@lru_cache(maxsize=1)
def _sector_finder() -> Callable[[str, str], list[str]] | None:
    """The extractor's sector lexicon, when this checkout has it."""
    try:
        from ..extract.sectors import find_sectors
    except ImportError:
        return None
    return find_sectors


def sectors_of(text: str) -> set[str]:
    finder = _sector_finder()
    if finder is None:
        return set()
    try:
        return set(finder(text, ""))
    except Exception:  # a lexicon being edited must not stop tracking
        return set()


@lru_cache(maxsize=4096)
def _blank_ids(strings: tuple[str, ...]) -> frozenset[int]:
    return frozenset().union(*(term_ids(analysis_form(b)) for b in strings))


def _query_terms(index: SentenceIndex, q: Query) -> tuple[np.ndarray, np.ndarray]:
    """A directive's terms: those of its own indexed sentence when it has one, less who and when."""
    own = index.row_terms(q.doc_key, q.start) if q.doc_key is not None and q.start is not None else None
    if own is None:
        ids, where = sentence_terms(blank(analysis_form(q.text), q.blank))
        return np.asarray(ids, np.int64), np.asarray(where, np.int64)
    ids, where = own
    if q.blank:
        keep = ~np.isin(ids, np.fromiter(_blank_ids(tuple(q.blank)), dtype=np.int64))
        ids, where = ids[keep], where[keep]
    return ids.astype(np.int64), where.astype(np.int64)


def _touching(index: SentenceIndex, terms: list[tuple[np.ndarray, np.ndarray]], row_mask: np.ndarray) -> list[int]:
    """Queries sharing a term with the allowed rows (a night's new documents): the others cannot match."""
    present = np.zeros(index.binary.shape[1], dtype=bool)
    present[index.binary[np.flatnonzero(row_mask)].indices] = True
    return [i for i, (ids, _) in enumerate(terms) if len(ids) and present[ids].any()]


def find_evidence(index: SentenceIndex, queries: list[Query], body_of: Callable[[int], str],
                  row_mask: np.ndarray | None = None, scorer: Scorer | None = None,
                  keep_all: bool = False, strict_government: bool = True) -> list[Evidence]:
    """Evidence for ``queries`` among the later sentences of ``index``: what the text matcher finds,
    and the outcome figures of the same government (``outcomes.py``; ``strict_government`` off lets
    a document of unknown place count, as ``followup`` does for the files its caller names).

    ``body_of(doc_key)`` gives a document's body (the offsets of the index point
    into it). With ``keep_all`` every text candidate is returned with its features
    (for training and measuring), else only the selected evidence.
    """
    scorer = scorer or default_scorer()
    if keep_all:
        return score_evidence(index, queries, body_of, row_mask, scorer, strict_government, keep_all=True).parts[0] \
            if queries else []
    return select_evidence(score_evidence(index, queries, body_of, row_mask, scorer, strict_government), scorer)


@dataclass
class ListHit:
    """A later sentence that reports on a named list, before the per-document cap is applied."""

    group: tuple[int | None, int, str]     # the list: (its document, its lead's offset, its name)
    members: tuple[int, ...]               # Query.key of its items
    doc_key: int
    sent_idx: int
    start: int
    end: int
    text: str
    status: str
    context: Context
    score: float                           # the retrieval score: hits are taken best first


@dataclass
class Scored:
    """The first half of ``find_evidence``: every pair scored, nothing chosen among pairs yet.

    Choosing (the best sentences per directive and document, the caps, outcome links standing
    in for weak text links) needs all candidates of a directive together. A shard of the store
    (``shard.py``) returns its ``Scored`` and the caller merges those of all shards before
    ``select_evidence``, which then chooses exactly as over one index.
    """

    parts: list[list[Evidence]]            # per scorer part: the text evidence reaching its floor
    outcomes: list[Evidence]               # outcome links (outcomes.py), score = the link score
    lists: list[ListHit]                   # reports naming a list (lists.py)

    @classmethod
    def empty(cls, n_parts: int) -> "Scored":
        return cls([[] for _ in range(n_parts)], [], [])

    @classmethod
    def merged(cls, items: list["Scored"], n_parts: int) -> "Scored":
        """Several shards' results as one; a pair two shards both hold (a shared document's sentence
        and a national directive) is scored alike in each and kept once."""
        out = cls.empty(n_parts)
        seen_parts: list[set] = [set() for _ in range(n_parts)]
        seen_out: set = set()
        seen_lists: set = set()
        for item in items:
            for n, found in enumerate(item.parts):
                for e in found:
                    if (e.query, e.doc_key, e.start) not in seen_parts[n]:
                        seen_parts[n].add((e.query, e.doc_key, e.start))
                        out.parts[n].append(e)
            for e in item.outcomes:
                if (e.query, e.doc_key, e.start) not in seen_out:
                    seen_out.add((e.query, e.doc_key, e.start))
                    out.outcomes.append(e)
            for h in item.lists:
                if (h.group, h.doc_key, h.start) not in seen_lists:
                    seen_lists.add((h.group, h.doc_key, h.start))
                    out.lists.append(h)
        return out


def score_evidence(index: SentenceIndex, queries: list[Query], body_of: Callable[[int], str],
                   row_mask: np.ndarray | None, scorer: Scorer, strict_government: bool = True,
                   keep_all: bool = False) -> Scored:
    """Score every candidate pair of ``queries`` (``find_evidence`` without the choosing)."""
    parts = scorer.parts or (scorer,)
    if not queries:
        return Scored.empty(len(parts))
    if not index._built:
        index.build()
    if index.n_rows == 0:
        return Scored.empty(len(parts))
    terms = [_query_terms(index, q) for q in queries]
    matched = queries
    if row_mask is not None:           # the queries that share no term with the allowed rows cannot match
        keep_q = _touching(index, terms, row_mask)
        matched, terms = [queries[i] for i in keep_q], [terms[i] for i in keep_q]
    text = _TextSide(index, matched, [blank(analysis_form(q.text), q.blank) for q in matched], body_of)
    per_part = _text_evidence(index, matched, terms, text, row_mask, parts, keep_all) if matched \
        else [[] for _ in parts]
    if keep_all:
        return Scored(per_part, [], [])
    return Scored(per_part, _outcome_hits(index, queries, text, row_mask, strict_government),
                  _list_hits(index, queries, text, row_mask, strict_government))


def select_evidence(scored: Scored, scorer: Scorer) -> list[Evidence]:
    """The evidence kept from scored pairs: per scorer part the outcome links merged in and the
    choice per directive and document (``select``), their union, then the list reports."""
    parts = scorer.parts or (scorer,)
    found = _union([select(_with_outcomes(f, scored.outcomes, part), part)
                    for f, part in zip(scored.parts, parts)])
    return found + _list_reports(scored.lists, found)


def row_scope(index: SentenceIndex, govs: list[str | None]) -> RowScope:
    """Which rows each query (of government ``govs[i]``) may retrieve, and whose scope spans provinces
    (scope.py), judged once per pair of governments."""
    names = sorted({g or "" for g in govs})
    doc_names = sorted({g or "" for g in index.doc_government})
    q_num = {n: i for i, n in enumerate(names)}
    d_num = {n: i for i, n in enumerate(doc_names)}
    allowed = np.array([[may_follow(a or None, b or None) for b in doc_names] for a in names], dtype=bool) \
        .reshape(len(names), len(doc_names))
    units: dict[str, int] = {}
    doc_unit = [unit(g) for g in index.doc_government]
    return RowScope(query_gov=np.array([q_num[g or ""] for g in govs], dtype=np.int64),
                    allowed=allowed,
                    doc_gov=np.array([d_num[g or ""] for g in index.doc_government], dtype=np.int64),
                    doc_unit=np.array([units.setdefault(u, len(units)) if u is not None else -1 for u in doc_unit],
                                      dtype=np.int64),
                    spans=np.array([unit(g) is None for g in govs], dtype=bool))


def _union(selections: list[list[Evidence]]) -> list[Evidence]:
    """The evidence any scorer selected, once each (the first scorer's record of a sentence wins)."""
    if len(selections) == 1:
        return selections[0]
    seen: set[tuple[int, int, int]] = set()
    out = []
    for found in selections:
        for e in found:
            if (e.query, e.doc_key, e.start) not in seen:
                seen.add((e.query, e.doc_key, e.start))
                out.append(e)
    return out


def _list_hits(index: SentenceIndex, queries: list[Query], text: "_TextSide", row_mask: np.ndarray | None,
               strict: bool) -> list[ListHit]:
    """Later reports that name a list the directives are items of (lists.py), before the cap.

    Sentences naming the list are retrieved by the name's terms and kept when they
    hold the name itself, stand outside the coming period's tasks, come from the same
    government and report (done, in_progress) rather than order.
    """
    groups: dict[tuple[int | None, int, str], list[Query]] = {}
    for q in queries:
        if q.lead is not None:      # (an undated directive, date 0, is before every dated sentence)
            groups.setdefault((q.doc_key, q.lead.start, q.lead.name), []).append(q)
    if not groups:
        return []
    keys = list(groups)
    # By the name's character bigrams: they are the same wherever the name stands; words may be cut otherwise.
    cands = index.candidates([np.asarray(sorted({bigram_id(g) for g in bigrams(k[2])}), dtype=np.int64) for k in keys],
                             [groups[k][0].date for k in keys], k=LIST_CANDIDATES, min_score=0.0, row_mask=row_mask,
                             scope=row_scope(index, [groups[k][0].government for k in keys]))
    out = []
    for g, row, score in zip(cands.query.tolist(), cands.row.tolist(), cands.score.tolist()):
        name, members = keys[g][2], groups[keys[g]]
        doc, pos = index.locate(row)
        context = Context(int(doc.context[pos]))
        form = text.form(row)
        if context == Context.FORWARD or name not in form:
            continue
        if not same_government(members[0].government, doc.government, strict):
            continue
        spans = clauses(form)
        named = [form[a:b] for a, b in spans if name in form[a:b]] or [form]
        status = evidence_status(form, named, context)
        if status == "mentioned":
            continue
        out.append(ListHit(keys[g], tuple(q.key for q in members), doc.key, int(doc.sent_idx[pos]),
                           int(doc.starts[pos]), int(doc.ends[pos]), text.raw(row), status, context, score))
    return out


def _list_reports(hits: list[ListHit], found: list[Evidence]) -> list[Evidence]:
    """List reports passed on to the items: per list and document at most ``MAX_PER_DOCUMENT``
    sentences, best retrieved first, for each item not already linked to the sentence."""
    have = {(e.query, e.doc_key, e.start) for e in found}
    per_doc: dict[tuple, int] = {}
    out = []
    for h in sorted(hits, key=lambda h: (h.group[0] if h.group[0] is not None else -1, h.group[1], h.group[2],
                                         -h.score, h.doc_key, h.start)):
        if per_doc.get((h.group, h.doc_key), 0) >= MAX_PER_DOCUMENT:
            continue
        per_doc[(h.group, h.doc_key)] = per_doc.get((h.group, h.doc_key), 0) + 1
        for q in h.members:
            if (q, h.doc_key, h.start) not in have:
                out.append(Evidence(q, h.doc_key, h.sent_idx, h.start, h.end, h.text, h.status,
                                    list_patterns().score, {}, h.context, via="list"))
    return out


def _text_evidence(index: SentenceIndex, queries: list[Query], terms: list[tuple[np.ndarray, np.ndarray]],
                   text: "_TextSide", row_mask: np.ndarray | None, scorers: tuple[Scorer, ...],
                   keep_all: bool) -> list[list[Evidence]]:
    """The text matcher's evidence per scorer (every candidate reaching that scorer's lower threshold,
    or all with ``keep_all``). The candidates and their features are computed once for all scorers."""
    cands = index.candidates([t[0] for t in terms], [q.date for q in queries], k=RETRIEVE_K,
                             min_score=MIN_RETRIEVAL, row_mask=row_mask,
                             scope=row_scope(index, [q.government for q in queries]))
    if not len(cands.query):
        return [[] for _ in scorers]
    qs = query_set(index, terms)
    pf = pair_features(index, qs, cands)
    feats = dict(pf.values)
    for k in LATE_FEATURES:
        feats[k] = np.zeros(len(cands.query))
    pair_model = keep_all or any(s.wants_pair_features for s in scorers)
    if pair_model:
        feats.update(pair_extra(index, [t[0] for t in terms], [index.row_of(q.doc_key, q.start) for q in queries],
                                cands))
        feats["run"] = np.zeros(len(cands.query))
        feats["focus_run"] = np.zeros(len(cands.query))
    # The late features are read only where they can still matter: for the pairs that could reach
    # a scorer's lowest threshold with all they may add (rules: clause_pair in full, quoted names,
    # figures and sectors where the directive has any, place_missing only lowers a score; the pair
    # model: every late feature at its most favourable value).
    if keep_all or any(s.kind == "model" for s in scorers):
        todo = np.arange(len(cands.query))
    else:
        reach = np.zeros(len(cands.query), dtype=bool)
        for s in scorers:
            floor = s.floor
            if s.kind == "pair" and s.model is not None:
                reach |= np.asarray(s.model.upper_bound(feats, PAIR_LATE)) >= floor
                continue
            weights = rule_weights()
            per_query = np.zeros(len(queries))
            for qi in np.unique(cands.query).tolist():
                per_query[qi] = text_gain(text.query(qi), weights)
            gain = per_query[cands.query] + max(0.0, weights["clause_pair"])
            reach |= np.asarray(rule_score(feats)) + gain >= floor
        todo = np.flatnonzero(reach)
    if keep_all or pair_model or rule_weights()["clause_pair"]:
        feats["clause_pair"][todo] = clause_pair(index, qs, cands, todo)
    _late_text_features(text, cands, todo, feats, pair_model)
    scores = [np.asarray(s.score(feats), dtype=np.float64) for s in scorers]
    floors = [s.floor for s in scorers]
    if keep_all:
        keep = todo
    else:
        passed = np.zeros(len(cands.query), dtype=bool)
        for sc, fl in zip(scores, floors):
            passed[todo[sc[todo] >= fl]] = True
        keep = np.flatnonzero(passed)
    out: list[list[Evidence]] = [[] for _ in scorers]
    matched_of = pf.matched_clauses(keep)
    for p in keep.tolist():
        qi, row = int(cands.query[p]), int(cands.row[p])
        raw, form = text.raw(row), text.form(row)
        doc, pos = index.locate(row)
        spans = clauses(form)
        matched = [form[spans[k][0]:spans[k][1]] for k in matched_of[p] if k < len(spans)] or [form]
        context = Context(int(doc.context[pos]))
        status, targets = weigh_report(evidence_status(form, matched, context), text.texts[qi], form, context)
        below = relation(queries[qi].government, doc.government) == "below"
        for n, (sc, fl) in enumerate(zip(scores, floors)):
            if keep_all or sc[p] >= fl:
                out[n].append(Evidence(queries[qi].key, doc.key, int(doc.sent_idx[pos]), int(doc.starts[pos]),
                                       int(doc.ends[pos]), raw, status, round(float(sc[p]), 4),
                                       {k: float(feats[k][p]) for k in feats} if keep_all else {}, context,
                                       via="downward" if below and status == "mentioned" else "text",
                                       targets=targets))
    return out


LATE_BLOCK = 1 << 16          # pairs whose late features are gathered before they are stored


def _late_text_features(text: "_TextSide", cands: Candidates, todo: np.ndarray, feats: dict[str, np.ndarray],
                        pair_model: bool) -> None:
    """The text features (and, for the pair model, the shared runs) of the ``todo`` pairs, into ``feats``.

    The pairs are visited by sentence, so that a sentence's form, sectors and bigrams are read
    once, and the values are gathered a block at a time in typed arrays and stored at once: at
    the scale bench's size this loop runs millions of times, and a block bounds its memory."""
    order = todo[np.argsort(cands.row[todo], kind="stable")]
    names = ("quoted", "figures", "sector", "place_missing")
    last_row, form, grams, row_sectors = -1, "", set(), None
    for lo in range(0, len(order), LATE_BLOCK):
        block = order[lo:lo + LATE_BLOCK]
        values = [array("d") for _ in names]
        runs, focus_runs = array("d"), array("d")
        for qi, row in zip(cands.query[block].tolist(), cands.row[block].tolist()):
            if row != last_row:
                last_row, form, row_sectors = row, text.form(row), None
                if pair_model:
                    grams = set(bigrams(form))
            qt = text.query(qi)
            if qt.sectors and row_sectors is None:
                row_sectors = text.sectors(row)
            got = text_features(qt, form, row_sectors if qt.sectors else set())
            for column, name in zip(values, names):
                column.append(got[name])
            if pair_model:
                whole, focus = text.run_pairs(qi)
                runs.append(run_of(grams, whole))
                focus_runs.append(runs[-1] if focus is None else run_of(grams, focus))
        for name, column in zip(names, values):
            feats[name][block] = np.frombuffer(column, dtype=np.float64)
        if pair_model:
            feats["run"][block] = np.frombuffer(runs, dtype=np.float64)
            feats["focus_run"][block] = np.frombuffer(focus_runs, dtype=np.float64)


def _outcome_hits(index: SentenceIndex, queries: list[Query], text: "_TextSide", row_mask: np.ndarray | None,
                  strict: bool) -> list[Evidence]:
    """The outcome links of ``queries`` (outcomes.py) as evidence at the link score."""
    link_score = outcome_config().score
    out = []
    for link in outcome_links(index, queries, row_mask, text.form, strict):
        doc, pos = index.locate(link.row)
        out.append(Evidence(queries[link.query].key, doc.key, int(doc.sent_idx[pos]), int(doc.starts[pos]),
                            int(doc.ends[pos]), text.raw(link.row), link.status, link_score, {},
                            Context(int(doc.context[pos])), via="outcome"))
    return out


def _with_outcomes(found: list[Evidence], links: list[Evidence], scorer: Scorer) -> list[Evidence]:
    """``found`` with the outcome links added: a link stands in for a pair the text alone does not
    make evidence; where the text does (score at the threshold), the text decides."""
    if not links:
        return found
    by_pair = {(e.query, e.doc_key, e.start): n for n, e in enumerate(found)}
    drop: set[int] = set()
    added: list[Evidence] = []
    for link in links:
        key = (link.query, link.doc_key, link.start)
        n = by_pair.get(key)
        if n is not None and found[n].score >= scorer.threshold:
            continue
        score = link.score if n is None else max(link.score, found[n].score)
        if n is not None:
            drop.add(n)
        added.append(replace(link, score=round(score, 4)))
    return [e for n, e in enumerate(found) if n not in drop] + added


class _TextSide:
    """Texts of directives and sentences, read and analysed once each, for the text features."""

    def __init__(self, index: SentenceIndex, queries: list[Query], texts: list[str],
                 body_of: Callable[[int], str]) -> None:
        self.index, self.queries, self.texts, self.body_of = index, queries, texts, body_of
        self._q: dict[int, QueryText] = {}
        self._s: dict[int, str] = {}
        self._sectors: dict[int, set[str]] = {}
        self._pairs: dict[int, tuple[tuple[str, ...], tuple[str, ...] | None]] = {}

    def query(self, qi: int) -> QueryText:
        if qi not in self._q:
            sectors = set(self.queries[qi].sectors) or sectors_of(self.texts[qi])
            self._q[qi] = query_text(self.texts[qi], sectors, self.index.idf, self.index.rare_idf())
        return self._q[qi]

    def raw(self, row: int) -> str:
        """The sentence as written (offsets point into the document's body)."""
        doc, pos = self.index.locate(row)
        return self.body_of(doc.key)[int(doc.starts[pos]):int(doc.ends[pos])]

    def form(self, row: int) -> str:
        """Its analysis form, read once."""
        if row not in self._s:
            self._s[row] = analysis_form(self.raw(row))
        return self._s[row]

    def sectors(self, row: int) -> set[str]:
        if row not in self._sectors:
            self._sectors[row] = sectors_of(self.form(row))
        return self._sectors[row]

    def run_pairs(self, qi: int) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
        """The character pairs of the directive and of its safety clauses (None when that is all of it),
        for the shared-run features."""
        if qi not in self._pairs:
            whole, focus = self.texts[qi], safety_focus(self.texts[qi])
            self._pairs[qi] = (pairs_of(whole), None if focus == whole else pairs_of(focus))
        return self._pairs[qi]


def select(evidence: Iterable[Evidence], scorer: Scorer) -> list[Evidence]:
    """Per directive and later document: what reaches the threshold, and the best report and
    best new order that reach the low threshold; at most ``MAX_PER_DOCUMENT``, best first.

    Choosing per document keeps an incremental run (new documents only) and a
    full run in agreement.
    """
    groups: dict[tuple[int, int], list[Evidence]] = {}
    for e in evidence:
        groups.setdefault((e.query, e.doc_key), []).append(e)
    out = []
    for items in groups.values():
        items.sort(key=lambda e: (-e.score, e.start))
        keep = [e for e in items if e.score >= scorer.threshold]
        for role, low in ((("done", "in_progress"), scorer.report_low), (("mentioned",), scorer.low_threshold)):
            best = next((e for e in items if e.status in role), None)
            if best is not None and best.score >= low and best not in keep:
                keep.append(best)
        keep.sort(key=lambda e: (-e.score, e.start))
        out.extend(_targets_met_together(keep[:MAX_PER_DOCUMENT]))
    return out


def _targets_met_together(kept: list[Evidence]) -> list[Evidence]:
    """A document's reports read together against the directive's targets: when no one sentence
    meets them all but together they do (改造老旧小区682个、老旧管网7912公里。实施危旧房改造3.5万户),
    the best of those reports is ``done``."""
    reports = [e for e in kept if e.targets is not None and e.status in ("done", "in_progress")]
    if len(reports) < 2 or any(e.status == "done" for e in reports) \
            or not targets_verdict([e.targets for e in reports]):
        return kept
    best = reports[0]
    return [replace(e, status="done") if e is best else e for e in kept]
