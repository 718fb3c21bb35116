"""Searching directives and documents: full text, filters, ranking, statuses.

One function builds the WHERE clause from the filters for search, the sheet
and the web page alike, so "export what I see" is exact. Every value is a
bound parameter; only fixed SQL fragments are joined into the statement.
Ranking is FTS5's BM25 with the sentence weighted above its heading path,
newer documents first among equals; without a query, newest first.

In PostgreSQL the index is a tsvector table (``pgfts.py``): the FTS5
expression is translated into tsqueries, ``MATCH`` into ``@@`` on the words
and facet columns, BM25 into ``ts_rank`` (negated, so lower is still better).
:func:`_match` and :func:`_rank` are the only places that differ.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any

from ..store.dialect import is_postgres
from . import pgfts, records
from .facets import facet_query
from .index import ensure_index
from .query import Compiled, QuerySyntaxError, compile_query
from .records import EFFECTIVE_DEADLINE_DATE, FROM, KIND_BY_LABEL, SELECT, STATUS_BY_LABEL, Record

# Long pasted sentences that match nowhere as a whole are searched word by word.
RELAX_MIN_WORDS = 4
# A query matching more directives than this ranks the newest CAP of them (see _rows).
CAP = 2000
COUNT_CAP = 10000

FROM_FTS = FROM.replace("FROM directives d", "FROM directives_fts JOIN directives d ON d.id = directives_fts.rowid", 1)
# Documents first, in date order through their index: a listing without words stops after its page.
FROM_DOC_FIRST = FROM.replace("FROM directives d\nJOIN documents doc ON doc.id = d.doc_id",
                              "FROM documents doc CROSS JOIN directives d ON d.doc_id = doc.id", 1)


class FilterError(ValueError):
    """A filter value that cannot be used (message in Chinese)."""


@dataclass
class Filters:
    sector: str | None = None
    party: str | None = None
    place: str | None = None
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    due_before: str | None = None
    kind: str | None = None
    include_rejected: bool = False
    all_topics: bool = False          # also the tasks that are not work safety (directives.safety = 0)
    # Deadline on or after this day; with due_before it is a month of deadlines (the overview's month bars).
    # Last, so that positional construction of the fields above keeps its meaning.
    due_after: str | None = None

    def __post_init__(self) -> None:
        for name in ("sector", "party", "place", "status", "date_from", "date_to", "due_before", "kind", "due_after"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = value.strip() or None
            setattr(self, name, value)
        for name, label in (("date_from", "起始日期"), ("date_to", "截止日期"), ("due_before", "时限早于"),
                            ("due_after", "时限不早于")):
            value = getattr(self, name)
            if value:
                try:
                    setattr(self, name, dt.date.fromisoformat(value).isoformat())
                except ValueError as exc:
                    raise FilterError(f"{label}的格式应为 YYYY-MM-DD，收到“{value}”") from exc
        if self.status:
            status = STATUS_BY_LABEL.get(self.status, self.status)
            if status not in records.STATUS_LABELS:
                raise FilterError("落实状态只能是：" + "、".join(f"{k}（{v}）" for k, v in records.STATUS_LABELS.items()))
            self.status = status
        if self.kind:
            self.kind = KIND_BY_LABEL.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass
class Result:
    hits: list[Record]
    terms: list[str] = field(default_factory=list)   # what to highlight
    relaxed: bool = False                            # no hit had every word: ranked by any word
    total: int | None = None                         # matches before the limit (when asked for)
    capped: bool = False                             # ranked among the newest CAP matches only
    more: bool = False                               # more matches than ``total`` says (COUNT_CAP)


def _sector_names(value: str) -> list[str]:
    """The sector as typed, and the canonical sectors a synonym names (危化品 → 危险化学品)."""
    names = [value]
    try:
        from ..resources import load_toml

        for sector, terms in (load_toml("sectors.toml").get("terms") or {}).items():
            if value in terms and sector not in names:
                names.append(sector)
    except (OSError, ValueError, KeyError):
        pass
    return names


def place_condition(place: str) -> tuple[str, list[str]]:
    """A document's place holds the filter's words, in either script: a traditional re-host keeps its
    place as written (東海縣), and staff type 东海县."""
    from ..parse.textnorm import to_simplified, to_traditional

    spellings = list(dict.fromkeys([place, to_simplified(place), to_traditional(place)]))
    return ("(" + " OR ".join(["instr(COALESCE(doc.place, ''), ?) > 0"] * len(spellings)) + ")", spellings)


def where_clause(filters: Filters) -> tuple[list[str], list[Any]]:
    """SQL conditions (over ``d``, ``doc``, ``cc``) and their parameters for the filters except status.

    A superseded version of a document (pipeline/store/documents.py) keeps its
    directives, but only its newest version is listed.
    """
    conds: list[str] = ["doc.duplicate_of IS NULL"]
    params: list[Any] = []
    if not filters.include_rejected:
        conds.append("(cc.verdict IS NULL OR cc.verdict != 'rejected')")
    if not filters.all_topics:
        # A work report's economic and social tasks stay stored; staff see them when they ask for all.
        conds.append("d.safety != 0")
    if filters.sector:
        names = _sector_names(filters.sector)
        conds.append("EXISTS (SELECT 1 FROM json_each(COALESCE(cc.sectors, d.sectors)) s WHERE "
                     + " OR ".join(["s.value = ? OR instr(s.value, ?) > 0"] * len(names)) + ")")
        params.extend(x for n in names for x in (n, n))
    if filters.party:
        conds.append("(EXISTS (SELECT 1 FROM json_each(COALESCE(cc.parties, d.parties)) p WHERE instr(p.value, ?) > 0)"
                     " OR EXISTS (SELECT 1 FROM json_each(COALESCE(cc.party_types, d.party_types)) t WHERE t.value = ?))")
        params.extend([filters.party, filters.party])
    if filters.place:
        cond, values = place_condition(filters.place)
        conds.append(cond)
        params.extend(values)
    if filters.kind:
        conds.append("doc.kind = ?")
        params.append(filters.kind)
    if filters.date_from:
        conds.append("COALESCE(doc.date, doc.published) >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        conds.append("COALESCE(doc.date, doc.published) <= ?")
        params.append(filters.date_to)
    if filters.due_before:
        conds.append(f"{EFFECTIVE_DEADLINE_DATE} <= ?")
        params.append(filters.due_before)
    if filters.due_after:
        conds.append(f"{EFFECTIVE_DEADLINE_DATE} >= ?")
        params.append(filters.due_after)
    return conds, params


def _text_conditions(compiled: Compiled | None) -> tuple[list[str], list[Any]]:
    if not compiled:
        return [], []
    conds = ["instr(d.text, ?) > 0"] * len(compiled.contains) + ["instr(d.text, ?) = 0"] * len(compiled.excludes)
    return conds, [*compiled.contains, *compiled.excludes]


def _match(db, table: str, match: str) -> tuple[str, list[Any]]:
    """The condition that keeps the rows of an index table matching the FTS5 expression ``match``,
    and its parameters."""
    if not is_postgres(db):
        return f"{table} MATCH ?", [match]
    try:
        text, facets = pgfts.split_match(match)
    except pgfts.FtsSyntaxError as exc:
        raise QuerySyntaxError(f"检索式无法执行：{exc}") from exc
    conds = ([f"{table}.words @@ CAST(? AS tsquery)"] if text else []) + \
        ([f"{table}.facets @@ CAST(? AS tsquery)"] if facets else [])
    return " AND ".join(conds), [p for p in (text, facets) if p]


def _rank(db, table: str, match: str) -> tuple[str, list[Any]]:
    """The rank of a matching row (lower is better) and its parameters: BM25, or ts_rank negated."""
    if not is_postgres(db):
        return (BM25 if table == "directives_fts" else DOC_BM25), []
    text, _ = pgfts.split_match(match)
    if not text:
        return "0.0", []
    weights = pgfts.DIRECTIVE_WEIGHTS if table == "directives_fts" else pgfts.DOCUMENT_WEIGHTS
    return f"-ts_rank('{weights}', {table}.words, CAST(? AS tsquery), 1)", [text]


def _run(db, sql: str, params: list[Any]) -> list[tuple]:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            raise QuerySyntaxError(f"检索式无法执行：{exc}") from exc
        raise


@dataclass
class _Plan:
    """How one search runs: the FTS5 expression (words and facets) and the exact SQL conditions."""

    text: str | None          # words, on the sentence and heading columns
    facet: str | None         # filters as facet tokens (a superset of the exact conditions)
    conds: list[str]
    params: list[Any]

    @property
    def match(self) -> str | None:
        parts = [p for p in (self.text, self.facet) if p]
        return " AND ".join(parts) if parts else None

    def where(self, db, with_match: bool) -> tuple[str, list[Any]]:
        cond, match_params = _match(db, "directives_fts", self.match if self.text else self.facet) \
            if with_match else ("", [])
        conds = ([cond] if with_match else []) + self.conds
        params = match_params + self.params
        return (" WHERE " + " AND ".join(conds)) if conds else "", params


def _plan(compiled: Compiled | None, filters: Filters, text_expr: str | None = None) -> _Plan:
    conds, params = where_clause(filters)
    more, more_params = _text_conditions(compiled if text_expr is None else None)
    expr = text_expr if text_expr is not None else (compiled.match if compiled else None)
    facet = facet_query(_sector_names(filters.sector) if filters.sector else [], filters.party, filters.place,
                        filters.kind, filters.date_from, filters.date_to, filters.due_before)
    # No column filter on the words: it makes FTS5 read position lists, and the facet tokens
    # (sec…, pty…) can never equal a word anyway.
    return _Plan(text=f"({expr})" if expr else None, facet=facet, conds=conds + more, params=params + more_params)


def _fts_count(db, match: str, cap: int) -> int:
    """Matches of the FTS expression alone, counted up to ``cap`` (cheap: no ranking, no joins)."""
    cond, params = _match(db, "directives_fts", match)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM directives_fts WHERE {cond} LIMIT ?) AS hits"
    return _run(db, sql, params + [cap])[0][0]


DOC_ORDER = "ORDER BY doc.date DESC, doc.id DESC, d.start"
BM25 = "bm25(directives_fts, 1.0, 0.3, 0.0)"
DOC_BM25 = "bm25(documents_fts, 2.0, 1.0)"


def _ranked(db, match: str, capped: bool, m: int) -> list[tuple[int, float]]:
    """(directive id, BM25) of the best ``m`` matches — over all, or over the newest CAP when capped.

    Only the FTS table is read here; the joins come after, for these few ids.
    """
    rank, rank_params = _rank(db, "directives_fts", match)
    cond, params = _match(db, "directives_fts", match)
    if capped:
        sql = (f"SELECT rid, r FROM (SELECT rowid AS rid, {rank} AS r FROM directives_fts "
               f"WHERE {cond} ORDER BY rowid DESC LIMIT {CAP}) AS newest ORDER BY r LIMIT ?")
    else:
        sql = f"SELECT rowid, {rank} AS r FROM directives_fts WHERE {cond} ORDER BY r LIMIT ?"
    return [(r[0], r[1]) for r in _run(db, sql, rank_params + params + [m])]


def _load(db, plan: _Plan, ranked: list[tuple[int, float]]) -> list[tuple]:
    """Full rows for ranked ids that pass the exact conditions, in rank order (rank as last column)."""
    rank = dict(ranked)
    ids = list(rank)
    where = " AND ".join([f"d.id IN ({','.join('?' * len(ids))})"] + plan.conds)
    rows = _run(db, f"{SELECT}, NULL {FROM} WHERE {where}", ids + plan.params)
    rows = [r[:-1] + (rank[r[0]],) for r in rows]
    rows.sort(key=lambda r: (r[-1], r[0]))
    return rows


def _rows(db, plan: _Plan, k: int) -> tuple[list[tuple], bool]:
    """The first ``k`` rows in result order, and whether ranking was limited to the newest CAP matches.

    With words: BM25 over the matches when there are at most CAP of them. A
    broader query (安全, 落实) would make SQLite score every match, so the
    newest CAP matches are ranked instead — found by walking the index in
    rowid order. Filters are facet tokens in the same MATCH, so the FTS table
    alone picks the candidates; the exact SQL conditions then check the few
    rows shown (and more are fetched when they turn some away).
    Without words: the newest documents first, walked through the date index
    (or sorted, when the facets leave few rows).
    """
    match = plan.match
    if match:
        capped = _fts_count(db, match, CAP + 1) > CAP
        if plan.text:
            m = k + 10
            while True:
                ranked = _ranked(db, match, capped, m)
                rows = _load(db, plan, ranked) if ranked else []
                if len(rows) >= k or (len(ranked) < m and not capped):
                    return rows[:k], capped
                if len(ranked) < m:
                    break        # the exact conditions turned away much of the newest CAP: walk further
                m *= 4
            where, params = plan.where(db, True)
            rank, rank_params = _rank(db, "directives_fts", match)
            inner = (f"{SELECT}, {rank} AS rank {FROM_FTS}{where} ORDER BY directives_fts.rowid DESC LIMIT {CAP}")
            return _run(db, f"SELECT * FROM ({inner}) AS newest ORDER BY rank LIMIT ?",
                        rank_params + params + [k]), True
        if not capped:
            where, params = plan.where(db, True)
            return _run(db, f"{SELECT}, NULL AS rank {FROM_FTS}{where} {DOC_ORDER} LIMIT ?", params + [k]), False
    where, params = plan.where(db, False)
    return _run(db, f"{SELECT}, NULL AS rank {FROM_DOC_FIRST}{where} {DOC_ORDER} LIMIT ?", params + [k]), False


def _count(db, plan: _Plan) -> tuple[int, bool]:
    """How many directives match, exactly up to COUNT_CAP; True when there are more."""
    if plan.match:
        where, params = plan.where(db, True)
        sql = f"SELECT count(*) FROM (SELECT 1 {FROM_FTS}{where} LIMIT ?) AS hits"
    else:
        where, params = plan.where(db, False)
        sql = f"SELECT count(*) FROM (SELECT 1 {FROM_DOC_FIRST}{where} LIMIT ?) AS hits"
    n = _run(db, sql, params + [COUNT_CAP + 1])[0][0]
    return min(n, COUNT_CAP), n > COUNT_CAP


def _with_rank(row: tuple) -> Record:
    rec = records.from_row(row[:-1])
    rec.rank = row[-1]
    return rec


def _fetch(db, plan: _Plan, filters: Filters, limit: int, as_of: dt.date,
           offset: int = 0) -> tuple[list[Record], bool]:
    """Hits ``offset`` … ``offset + limit`` in result order with statuses.

    Statuses are computed for the page only, not for the rows before it; a
    status filter has to look at the rows before it, further down until enough pass.
    """
    want = offset + limit
    if not filters.status:
        rows, capped = _rows(db, plan, want)
        return records.attach_statuses(db, [_with_rank(r) for r in rows[offset:]], as_of), capped
    k = max(200, want * 5)
    while True:
        rows, capped = _rows(db, plan, k)
        batch = records.attach_statuses(db, [_with_rank(r) for r in rows], as_of)
        hits = [r for r in batch if r.status == filters.status]
        if len(hits) >= want or len(rows) < k:
            return hits[offset:want], capped
        k *= 5


def _status_scan(db, plan: _Plan, filters: Filters, as_of: dt.date) -> tuple[list[Record], bool, bool]:
    """Every hit with the filtered status among the first COUNT_CAP candidates, whether ranking was
    capped, and whether there were more candidates than that.

    A status is derived in Python from the evidence, the deadline and the day (it is
    never stored), so no SQL count can say how many directives have one: the
    candidates are read once and their statuses computed, and the page is cut from
    the same list, so the count and the page cannot disagree.
    """
    rows, capped = _rows(db, plan, COUNT_CAP + 1)
    batch = records.attach_statuses(db, [_with_rank(r) for r in rows[:COUNT_CAP]], as_of)
    return [r for r in batch if r.status == filters.status], capped, len(rows) > COUNT_CAP


@dataclass
class _Page:
    hits: list[Record]
    capped: bool
    total: int | None = None
    more: bool = False


def _page(db, plan: _Plan, filters: Filters, limit: int, offset: int, as_of: dt.date, count: bool) -> _Page:
    """One page of hits and, when asked, how many there are in all (counted with the same plan)."""
    if count and filters.status:
        matched, capped, more = _status_scan(db, plan, filters, as_of)
        return _Page(matched[offset:offset + limit], capped, len(matched), more)
    hits, capped = _fetch(db, plan, filters, limit, as_of, offset)
    if not count:
        return _Page(hits, capped)
    total, more = _count(db, plan)
    return _Page(hits, capped, total, more)


def _may_relax(compiled: Compiled | None) -> bool:
    """A long pasted sentence of plain words (no phrase, no exclusion) may be searched word by word."""
    return bool(compiled and compiled.any_words and not compiled.contains
                and len(compiled.any_words.split(" OR ")) >= RELAX_MIN_WORDS)


def search(db, query: str = "", filters: Filters | None = None, limit: int = 50, as_of: dt.date | None = None,
           count: bool = False, refresh: bool = True, offset: int = 0) -> Result:
    """Directives matching ``query`` and ``filters``, best first: ``limit`` of them from ``offset`` on.

    Raises QuerySyntaxError or FilterError with a message for people.
    """
    filters = filters or Filters()
    as_of = as_of or dt.date.today()
    offset = max(0, offset)
    compiled = compile_query(query or "")
    if refresh:
        ensure_index(db)
    plan = _plan(compiled, filters)
    page = _page(db, plan, filters, limit, offset, as_of, count)
    relaxed = False
    # Relax only when the words match nowhere, not when a page beyond the last one is empty.
    if not page.hits and _may_relax(compiled) and not (offset and _fetch(db, plan, filters, 1, as_of)[0]):
        loose = _page(db, _plan(compiled, filters, text_expr=compiled.any_words), filters, limit, offset, as_of,
                      count)
        if loose.hits:
            page, relaxed = loose, True
    return Result(hits=page.hits, terms=compiled.highlight if compiled else [], relaxed=relaxed, total=page.total,
                  capped=page.capped, more=page.more)


@dataclass
class DocumentHit:
    id: int
    title: str | None
    date: str | None
    kind: str | None
    place: str | None
    source: str
    snippet: str
    snippet_start: int
    directives: int
    rank: float | None


@dataclass
class _DocumentQuery:
    """The FROM … WHERE of a document search (bound parameters only), its order and its rank column."""

    sql: str
    params: list[Any]
    order: str
    rank: str
    terms: list[str]
    rank_params: list[Any] = field(default_factory=list)   # bound before ``params`` (the rank is in the SELECT)


_DOC_COLS = ("doc.id, doc.title, COALESCE(doc.date, doc.published), doc.kind, doc.place, doc.source, doc.body, "
             "(SELECT count(*) FROM directives x WHERE x.doc_id = doc.id)")


def _document_query(db, query: str, filters: Filters) -> _DocumentQuery:
    """One statement body for the page and for its count, so the two always agree."""
    compiled = compile_query(query or "")
    conds: list[str] = ["doc.duplicate_of IS NULL"]      # a re-post is one document, shown once
    params: list[Any] = []
    if filters.place:
        cond, values = place_condition(filters.place)
        conds.append(cond)
        params.extend(values)
    for cond, value in (("doc.kind = ?", filters.kind),
                        ("COALESCE(doc.date, doc.published) >= ?", filters.date_from),
                        ("COALESCE(doc.date, doc.published) <= ?", filters.date_to)):
        if value:
            conds.append(cond)
            params.append(value)
    if compiled:
        conds += ["instr(doc.body, ?) > 0"] * len(compiled.contains) + ["instr(doc.body, ?) = 0"] * len(compiled.excludes)
        params += [*compiled.contains, *compiled.excludes]
    rank_params: list[Any] = []
    if compiled and compiled.match:
        cond, match_params = _match(db, "documents_fts", compiled.match)
        sql = f"FROM documents_fts JOIN documents doc ON doc.id = documents_fts.rowid WHERE {cond}"
        params = match_params + params
        rank, rank_params = _rank(db, "documents_fts", compiled.match)
        order = "ORDER BY rank"
    else:
        sql = "FROM documents doc WHERE 1 = 1"
        order, rank = "ORDER BY COALESCE(doc.date, doc.published) DESC, doc.id DESC", "NULL"
    sql += " AND " + " AND ".join(conds)
    return _DocumentQuery(sql, params, order, rank, compiled.highlight if compiled else [], rank_params)


def search_documents(db, query: str = "", filters: Filters | None = None, limit: int = 50,
                     refresh: bool = True, offset: int = 0) -> tuple[list[DocumentHit], list[str]]:
    """Documents whose title or body match (filters on place, kind and dates apply), ``limit`` from ``offset``."""
    from .highlight import snippet

    if refresh:
        ensure_index(db)
    q = _document_query(db, query, filters or Filters())
    rows = _run(db, f"SELECT {_DOC_COLS}, {q.rank} AS rank {q.sql} {q.order} LIMIT ? OFFSET ?",
                q.rank_params + q.params + [limit, max(0, offset)])
    hits = []
    for r in rows:
        text, start = snippet(r[6] or "", q.terms)
        hits.append(DocumentHit(r[0], r[1], r[2], r[3], r[4], r[5], text, start, r[7], r[8]))
    return hits, q.terms


def count_documents(db, query: str = "", filters: Filters | None = None, refresh: bool = True) -> tuple[int, bool]:
    """How many documents :func:`search_documents` would find, exactly up to COUNT_CAP; True when there are more."""
    if refresh:
        ensure_index(db)
    q = _document_query(db, query, filters or Filters())
    n = _run(db, f"SELECT count(*) FROM (SELECT 1 {q.sql} LIMIT ?) AS hits", q.params + [COUNT_CAP + 1])[0][0]
    return min(n, COUNT_CAP), n > COUNT_CAP


def to_json(result: Result) -> str:
    return json.dumps([r.as_json() | {"rank": r.rank} for r in result.hits], ensure_ascii=False)
