"""Sectors a directive concerns (spec section 3), from a lexicon kept as data.

``models/sectors.toml`` lists, for each of the 19 canonical sectors, the words
that name it. All words go into one regex, longest first, matched on characters
(not on jieba tokens, which split 危化品企业 unpredictably). Two data-driven
filters drop matches that do not name a sector:

* ``[exclude].patterns``: a bigger word containing the term means something else
  (化工 in 强化工作, 预案 in 工作预案, 功能区 in 主体功能区);
* ``[department]``: the term is part of the name of an acting body (消防部门,
  交通运输局, 应急、消防、住建…等行业主管部门): that is a party, not a sector.

A directive carries the sectors named in its sentence and in the heading it
stands under (spec: "named in the sentence or in the heading").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon


@dataclass(frozen=True)
class _Lexicon:
    order: tuple[str, ...]
    rank: dict
    term_sectors: dict  # term -> tuple of sectors
    terms: re.Pattern
    exclude: re.Pattern | None
    department: re.Pattern | None
    subsumed: tuple[tuple[str, str, frozenset[str]], ...] = ()   # (sector, the sector that makes it specific, generic words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = lexicon.load("sectors")
    order = tuple(data["order"])
    term_sectors: dict[str, list[str]] = {}
    for sector, words in data["terms"].items():
        if sector not in order:
            raise ValueError(f"models/sectors.toml: unknown sector {sector!r}")
        for w in words:
            lst = term_sectors.setdefault(w, [])
            if sector not in lst:
                lst.append(sector)
    rank = {s: i for i, s in enumerate(order)}
    pats = data.get("exclude", {}).get("patterns", [])
    dept = data.get("department", {})
    department = None
    if dept.get("suffixes"):
        gap = lexicon.alternation(dept.get("gap_words", []))
        suf = lexicon.alternation(dept["suffixes"])
        department = re.compile(f"(?:{gap}){{0,14}}?(?:{suf})" if gap else f"(?:{suf})")
    return _Lexicon(
        order=order,
        rank=rank,
        term_sectors={t: tuple(sorted(s, key=rank.get)) for t, s in term_sectors.items()},
        terms=re.compile(lexicon.alternation(term_sectors)),
        exclude=re.compile("|".join(f"(?:{p})" for p in pats)) if pats else None,
        department=department,
        subsumed=tuple((r["sector"], r["by"], frozenset(r["generic"])) for r in data.get("subsumed", [])),
    )


SECTORS: tuple[str, ...] = tuple(lexicon.load("sectors")["order"])  # canonical order


def _matches(text: str):
    """(start, end, term) of every term match that names a sector (offsets into ``text``)."""
    lex = _lexicon()
    text = lexicon.simplify(text)  # traditional characters: same length, same offsets
    m = lex.terms.search(text)
    if m is None:
        return
    spans = [e.span() for e in lex.exclude.finditer(text)] if lex.exclude is not None else []
    pos = 0
    while m is not None:
        s, e = m.span()
        dropped = any(a <= s and e <= b for a, b in spans)
        if not dropped and lex.department is not None and lex.department.match(text, e):
            dropped = True
        if dropped:
            # retry one character later: 强化工业园区 → 工业园区
            pos = s + 1
        else:
            yield s, e, m.group()
            pos = e
        m = lex.terms.search(text, pos)


def sector_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sector) for every sector word of ``text`` (for highlighting)."""
    if not text:
        return []
    lex = _lexicon()
    out = []
    for s, e, term in _matches(text):
        for sector in lex.term_sectors[term]:
            out.append((s, e, sector))
    return out


def _named_by(*parts: str) -> dict[str, set[str]]:
    """Each sector named in ``parts`` with the words that name it, less a sector named only by the generic
    words another named sector makes specific (护林防火: 森林草原防火, not 消防 as well; [subsumed])."""
    lex = _lexicon()
    named_by: dict[str, set[str]] = {}
    for part in parts:
        if part:
            for _, _, term in _matches(part):
                for sector in lex.term_sectors[term]:
                    named_by.setdefault(sector, set()).add(term)
    for sector, by, generic in lex.subsumed:
        terms = named_by.get(sector)
        if terms and by in named_by and terms <= generic:
            del named_by[sector]
    return named_by


@lru_cache(maxsize=256)
def _topic_sectors(topic: str) -> frozenset[str]:
    """The sectors a document's title and meeting name (read once per document, not per directive); the
    generic fire words of a title on forest fires are that sector's there too (全县护林防火形势分析会议
    names 森林草原防火, not 消防 as well)."""
    return frozenset(_named_by(topic))


def find_sectors(text: str, heading: str = "", topic: str = "") -> list[str]:
    """Canonical sectors named in ``text`` or in its ``heading`` path, in canonical order.

    ``heading`` is the heading (or the item's heading sentence) the text stands
    under; a list of headings (the path) is accepted too. ``topic`` is the
    document's title and meeting: it names no sector of its own, but in a speech
    on forest fires (全县森林防火工作会议) the fire words of a sentence (用火, 火灾多发
    区域) are that sector's, as they are beside 森林防火 in the sentence ([subsumed]).
    """
    lex = _lexicon()
    if not isinstance(heading, str):
        heading = "\n".join(h for h in (heading or ()) if h)
    named_by = _named_by(text, heading)
    topical = _topic_sectors(topic)
    for sector, by, generic in lex.subsumed:
        terms = named_by.get(sector)
        if terms and terms <= generic and by in topical and sector not in topical:
            # (a joint 森林防火暨消防安全 meeting keeps both)
            del named_by[sector]
            named_by[by] = set(terms)
    return sorted(named_by, key=lex.rank.get)
