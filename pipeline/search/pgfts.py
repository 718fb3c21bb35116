"""The full-text index in PostgreSQL: jieba's words as a tsvector, the query as a tsquery.

SQLite's index (``schema.py``) holds the jieba words space-joined in FTS5
columns. In PostgreSQL the same words go into a ``tsvector`` column, written
as a tsvector literal rather than through ``to_tsvector``: PostgreSQL's parser
decides what a word is by the server's locale (under the C locale it drops
every Chinese character), while the words are already cut — by the same
segmenter on both sides, so an index and a query always agree. Positions are
kept (phrase queries need them) and weighted: the sentence's words A, its
heading path's B, as FTS5 ranks the sentence column above the heading column.

The query side does not parse what people type a second time: ``query.py``
and ``facets.py`` compile it to the small FTS5 expression language (quoted
words, AND, OR, NOT, NEAR, ``facets : (…)``), and :func:`split_match` turns that
expression into two tsqueries — one on the words, one on the facet tokens,
which PostgreSQL keeps in a column of their own.

What differs: ranking is ``ts_rank`` (weighted, length-normalised) instead of
BM25, so equally good hits may come in another order; ``NEAR(a b, n)`` becomes
"each next word within n + 1 positions of the one before, in either order".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word this long is not a word (a run of letters or digits in a table dump); PostgreSQL caps lexemes at 2 KB.
MAX_WORD = 200
MAX_POSITION = 16383          # PostgreSQL's largest position; later ones are stored as this one
MAX_POSITIONS = 255           # positions kept per word
HEADING_GAP = 100             # heading words start this far after the sentence's, so no phrase spans both

# ts_rank's weights, in the order {D, C, B, A}: the sentence (A) over its headings (B), as FTS5's
# bm25(directives_fts, 1.0, 0.3, 0.0) and bm25(documents_fts, 2.0, 1.0) weigh them.
DIRECTIVE_WEIGHTS = "{0, 0, 0.3, 1.0}"
DOCUMENT_WEIGHTS = "{0, 0, 0.5, 1.0}"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


MAX_LITERAL = 800_000         # PostgreSQL refuses a tsvector over 1 MB: a huge document keeps fewer positions


def tsvector(*parts: tuple[str, str]) -> str:
    """A tsvector literal from (space-joined words, weight) pairs, each part after the one before."""
    for keep in (MAX_POSITIONS, 16, 1, 0):
        literal = _tsvector(parts, keep)
        if len(literal) <= MAX_LITERAL:
            return literal
    return literal


def _tsvector(parts: tuple[tuple[str, str], ...], keep: int) -> str:
    positions: dict[str, list[str]] = {}
    start = 1
    for text, weight in parts:
        words = text.split()
        for n, word in enumerate(words):
            if len(word) > MAX_WORD:
                continue
            seen = positions.setdefault(word, [])
            if len(seen) < keep:
                seen.append(f"{min(start + n, MAX_POSITION)}{weight}")
        start += len(words) + HEADING_GAP
    return " ".join(f"{_lexeme(w)}:{','.join(p)}" if p else _lexeme(w) for w, p in positions.items())


def lexemes(text: str) -> str:
    """A tsvector literal of bare tokens (the facets: matched as a set, never as phrases)."""
    return " ".join(_lexeme(w) for w in sorted(set(text.split())) if len(w) <= MAX_WORD)


# ---- FTS5 expression → tsquery ---------------------------------------------------------------

class FtsSyntaxError(ValueError):
    """An FTS5 expression this translator does not know (never one query.py or facets.py builds)."""


@dataclass
class _Term:
    words: list[str]


@dataclass
class _Near:
    words: list[str]
    distance: int


@dataclass
class _Bool:
    op: str                 # "&" | "|"
    children: list


@dataclass
class _Not:
    left: object
    right: object


@dataclass
class _Column:
    name: str
    child: object


_FTS_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|[(),:]|[^\s"(),:]+')


def _lex(expr: str) -> list[str]:
    return [t for t in _FTS_TOKEN.findall(expr) if not t.isspace()]


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise FtsSyntaxError(f"expected {expected or 'a term'} at {tok!r}")
        self.pos += 1
        return tok

    def parse(self):
        node = self.or_expr()
        if self.peek() is not None:
            raise FtsSyntaxError(f"unexpected {self.peek()!r}")
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else _Bool("|", parts)

    def and_expr(self):
        parts = [self.not_expr()]
        while self.peek() is not None and self.peek() not in ("OR", ")"):
            if self.peek() == "AND":
                self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else _Bool("&", parts)

    def not_expr(self):
        node = self.primary()
        while self.peek() == "NOT":
            self.take()
            node = _Not(node, self.primary())
        return node

    def primary(self):
        tok = self.take()
        if tok == "(":
            node = self.or_expr()
            self.take(")")
            return node
        if tok == "NEAR" and self.peek() == "(":
            self.take("(")
            words: list[str] = []
            distance = 10                      # FTS5's default
            while self.peek() not in (")", ",", None):
                words += _words(self.take())
            if self.peek() == ",":
                self.take()
                distance = int(self.take())
            self.take(")")
            return _Near(words, distance)
        if self.peek() == ":":
            self.take()
            return _Column(tok, self.primary())
        return _Term(_words(tok))


def _words(tok: str) -> list[str]:
    text = tok[1:-1].replace('""', '"') if tok.startswith('"') else tok
    return text.split()


def _render(node) -> str:
    if isinstance(node, _Term):
        if not node.words:
            raise FtsSyntaxError("empty term")
        return " <-> ".join(_lexeme(w) for w in node.words) if len(node.words) > 1 else _lexeme(node.words[0])
    if isinstance(node, _Near):
        if len(node.words) == 1:
            return _lexeme(node.words[0])
        pairs = []
        for a, b in zip(node.words, node.words[1:]):
            ways = [f"{_lexeme(x)} <{d}> {_lexeme(y)}" for d in range(1, node.distance + 2) for x, y in ((a, b), (b, a))]
            pairs.append("(" + " | ".join(ways) + ")")
        return pairs[0] if len(pairs) == 1 else "(" + " & ".join(pairs) + ")"
    if isinstance(node, _Bool):
        return "(" + f" {node.op} ".join(_render(c) for c in node.children) + ")"
    if isinstance(node, _Not):
        return f"({_render(node.left)} & !{_render(node.right)})"
    if isinstance(node, _Column):
        return _render(node.child)
    raise FtsSyntaxError(f"unknown node {node!r}")


def _conjuncts(node) -> list:
    if isinstance(node, _Bool) and node.op == "&":
        return [c for child in node.children for c in _conjuncts(child)]
    return [node]


def _has_column(node) -> bool:
    if isinstance(node, _Column):
        return True
    if isinstance(node, _Bool):
        return any(_has_column(c) for c in node.children)
    if isinstance(node, _Not):
        return _has_column(node.left) or _has_column(node.right)
    return False


def split_match(expr: str, facet_column: str = "facets") -> tuple[str | None, str | None]:
    """(tsquery on the words, tsquery on the facet tokens) of an FTS5 expression; None where absent."""
    text: list[str] = []
    facets: list[str] = []
    for node in _conjuncts(_Parser(_lex(expr)).parse()):
        if isinstance(node, _Column) and node.name == facet_column:
            facets.append(_render(node.child))
        elif _has_column(node):
            raise FtsSyntaxError("a column filter is only understood as a top-level AND term")
        else:
            text.append(_render(node))
    return (" & ".join(text) or None), (" & ".join(facets) or None)
