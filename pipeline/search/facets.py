"""Facet tokens: the filters (sector, party, place, kind) as words in the full-text index.

Filtering a million directives row by row in SQL is slow when the text
matches many of them; as tokens in their own FTS5 column, filters become
doclist intersections, as cheap as the words. A facet only narrows: it is
built as a superset of the exact filter (character bigrams of a value cover
every substring of two or more characters), and the exact SQL condition still
runs on what it lets through. Facets are computed from the values as
corrected, and a correction queues its directive for re-indexing.
"""

from __future__ import annotations

import json
import re

from .tokenize import fold

_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]")
SECTOR, PARTY, PLACE, KIND = "sec", "pty", "plc", "knd"
DOC_DATE, DEADLINE = "dt", "dl"
YEARS = (1900, 2099)


def _flat(value: str) -> str:
    return _KEEP.sub("", fold(value or ""))


def bigrams(value: str) -> list[str]:
    flat = _flat(value)
    if len(flat) <= 2:
        return [flat] if flat else []
    return sorted({flat[i:i + 2] for i in range(len(flat) - 1)})


def _list(value: str | None) -> list[str]:
    try:
        out = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in out] if isinstance(out, list) else []


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        year = int(date[:4])
        return year if YEARS[0] <= year <= YEARS[1] else None
    return None


def _date_tokens(prefix: str, date: str | None) -> list[str]:
    """A date as its year and its decade (dty2024 dtd202), so a range is a short OR of tokens."""
    year = _year(date)
    return [f"{prefix}y{year}", f"{prefix}d{year // 10}"] if year else []


def _year_range(prefix: str, lo: int, hi: int) -> list[str]:
    """Tokens covering the years lo..hi: whole decades as one token each, the rest year by year."""
    out: list[str] = []
    y = lo
    while y <= hi:
        if y % 10 == 0 and y + 9 <= hi:
            out.append(f"{prefix}d{y // 10}")
            y += 10
        else:
            out.append(f"{prefix}y{y}")
            y += 1
    return out


def facet_text(sectors: str | None, parties: str | None, party_types: str | None, place: str | None,
               kind: str | None, doc_date: str | None = None, deadline_date: str | None = None) -> str:
    """The facets column of one directive: JSON lists as stored (corrected), the document's place,
    kind and date, and the deadline date."""
    tokens: set[str] = set(_date_tokens(DOC_DATE, doc_date) + _date_tokens(DEADLINE, deadline_date))
    for sector in _list(sectors):
        tokens.update(SECTOR + b for b in bigrams(sector))
    for party in _list(parties) + _list(party_types):
        tokens.update(PARTY + b for b in bigrams(party))
    tokens.update(PLACE + b for b in bigrams(place or ""))
    if kind:
        tokens.add(KIND + _flat(kind))
    return " ".join(sorted(tokens))


def _all(prefix: str, value: str) -> str | None:
    """Every bigram of ``value`` must be there; None when the value is too short to narrow safely."""
    if len(_flat(value)) < 2:
        return None
    return "(" + " AND ".join(f'"{prefix}{b}"' for b in bigrams(value)) + ")"


def _range_expr(prefix: str, lo: str | None, hi: str | None) -> str | None:
    if not lo and not hi:
        return None
    low, high = (_year(lo) or YEARS[0]) if lo else YEARS[0], (_year(hi) or YEARS[1]) if hi else YEARS[1]
    tokens = _year_range(prefix, low, high)
    if not tokens:
        return '"' + prefix + 'none"'
    return "(" + " OR ".join(f'"{t}"' for t in tokens) + ")"


def facet_query(sector_names: list[str], party: str | None, place: str | None, kind: str | None,
                date_from: str | None = None, date_to: str | None = None,
                due_before: str | None = None) -> str | None:
    """The FTS5 expression (on the facets column) that the filters imply, or None."""
    parts: list[str] = []
    for expr in (_range_expr(DOC_DATE, date_from, date_to), _range_expr(DEADLINE, None, due_before)):
        if expr:
            parts.append(expr)
    if sector_names:
        alternatives = [_all(SECTOR, name) for name in sector_names]
        if all(alternatives):
            parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    for prefix, value in ((PARTY, party), (PLACE, place)):
        if value:
            expr = _all(prefix, value)
            if expr:
                parts.append(expr)
    if kind and _flat(kind):
        parts.append(f'"{KIND}{_flat(kind)}"')
    if not parts:
        return None
    return "facets : (" + " AND ".join(parts) + ")"
