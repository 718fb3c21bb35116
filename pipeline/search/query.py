"""The search box's little language, parsed by us and compiled to a safe FTS5 expression.

What people type is never handed to FTS5 as it stands: FTS5's own syntax
fails on ordinary input (a stray quote, a hyphen, 各乡镇(街道) …) with a terse
"fts5: syntax error". We parse a small language, report mistakes in Chinese,
and build the MATCH expression from quoted words only, bound as a parameter.

    燃气 排查          both words (AND)
    燃气 OR 消防       either (also: 或, |)
    燃气 -演练         without (also: NOT 演练)
    "隐患 排查"        the words close together
    (燃气 OR 消防) 排查 grouping
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tokenize import fold, query_words


class QuerySyntaxError(ValueError):
    """A query that cannot be understood; the message says why, in Chinese."""


@dataclass
class Term:
    text: str
    phrase: bool = False


@dataclass
class Not:
    child: "Node"


@dataclass
class And:
    children: list["Node"]


@dataclass
class Or:
    children: list["Node"]


Node = Term | Not | And | Or

_TOKEN = re.compile(r'\s+|"[^"]*"?|[()（）|]|[^\s"()（）|]+')
OR_WORDS = {"OR", "或", "|", "或者"}
NOT_WORDS = {"NOT", "非"}
AND_WORDS = {"AND", "且", "&"}


def _lex(query: str) -> list[str]:
    tokens = []
    for m in _TOKEN.finditer(query):
        tok = m.group(0)
        if tok.isspace():
            continue
        if tok.startswith('"') and (len(tok) == 1 or not tok.endswith('"')):
            raise QuerySyntaxError('引号没有配对：短语要用一对英文双引号括起来，如 "隐患 排查"')
        tokens.append({"（": "(", "）": ")"}.get(tok, tok))
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError("右括号“)”多了一个，没有与之配对的左括号")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek() in OR_WORDS:
            self.take()
            if self.peek() in (None, ")") or self.peek() in OR_WORDS:
                raise QuerySyntaxError("“OR”（或）的两边都要有检索词")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Node:
        parts: list[Node] = []
        while self.peek() is not None and self.peek() != ")" and self.peek() not in OR_WORDS:
            if self.peek() in AND_WORDS:
                self.take()
                if not parts or self.peek() in (None, ")") or self.peek() in OR_WORDS:
                    raise QuerySyntaxError("“AND”（且）的两边都要有检索词")
                continue
            parts.append(self.unary())
        if not parts:
            raise QuerySyntaxError("“OR”（或）的两边都要有检索词" if self.peek() in OR_WORDS
                                   else "括号里没有检索词")
        return parts[0] if len(parts) == 1 else And(parts)

    def unary(self) -> Node:
        tok = self.peek()
        if tok in NOT_WORDS or (tok and tok.startswith("-") and not tok.startswith('"')):
            self.take()
            if tok in NOT_WORDS or tok == "-":
                if self.peek() in (None, ")") or self.peek() in OR_WORDS:
                    raise QuerySyntaxError("排除词（-词 或 NOT 词）后面缺少要排除的词")
                return Not(self.unary())
            rest = tok[1:]
            if rest.startswith("-"):
                raise QuerySyntaxError("排除词前只需要一个减号，如 -演练")
            return Not(self._term(rest))
        return self.primary()

    def primary(self) -> Node:
        tok = self.take()
        if tok == "(":
            node = self.or_expr()
            if self.peek() != ")":
                raise QuerySyntaxError("括号没有配对：缺少右括号“)”")
            self.take()
            return node
        if tok == ")":
            raise QuerySyntaxError("右括号“)”多了一个，没有与之配对的左括号")
        return self._term(tok)

    @staticmethod
    def _term(tok: str) -> Term:
        if tok.startswith('"'):
            return Term(tok[1:-1].strip(), phrase=True)
        return Term(tok)


def parse(query: str) -> Node | None:
    """The query's tree, or None for an empty query; QuerySyntaxError when it is malformed."""
    if len(query) > 500:
        raise QuerySyntaxError("检索式太长（最多 500 个字符）")
    return _Parser(_lex(query)).parse()


# ---- compiling ------------------------------------------------------------------------------------

@dataclass
class Compiled:
    """What the engine runs: an FTS5 expression and substring conditions for single characters."""

    match: str | None                     # bound to "directives_fts MATCH ?"
    contains: list[str] = field(default_factory=list)      # instr(text, x) > 0, for one-character terms
    excludes: list[str] = field(default_factory=list)      # instr(text, x) = 0
    highlight: list[str] = field(default_factory=list)     # terms to mark in the text
    any_words: str | None = None          # the same words OR-ed: the relaxed query for pasted sentences


def _q(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _term_expr(term: Term) -> str | None:
    words = query_words(term.text)
    if not words:
        return None
    if len(words) == 1:
        return _q(words[0])
    if term.phrase:
        return "NEAR(" + " ".join(_q(w) for w in words) + f", {max(2, len(words) * 2)})"
    return "(" + " AND ".join(_q(w) for w in words) + ")"


def _single_char(term: Term) -> bool:
    """A one-character term (火, 电): jieba rarely keeps it as a word, so it is found by substring."""
    flat = re.sub(r"\s+", "", fold(term.text))
    return len(flat) == 1 and bool(re.match(r"[\u3400-\u9fff]", flat))


def _expr(node: Node) -> str | None:
    if isinstance(node, Term):
        return _term_expr(node)
    if isinstance(node, Not):
        raise QuerySyntaxError("排除词只能和要查找的词并列使用，如 燃气 -演练")
    if isinstance(node, Or):
        parts = [p for p in (_expr(c) for c in node.children) if p]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    positives = [c for c in node.children if not isinstance(c, Not)]
    negatives = [c.child for c in node.children if isinstance(c, Not)]
    if not positives:
        raise QuerySyntaxError("不能只有排除词：请至少给出一个要查找的词")
    pos = [p for p in (_expr(c) for c in positives) if p]
    neg = [p for p in (_expr(c) for c in negatives) if p]
    if not pos:
        return None
    expr = pos[0] if len(pos) == 1 else "(" + " AND ".join(pos) + ")"
    if neg:
        expr = f"{expr} NOT " + (neg[0] if len(neg) == 1 else "(" + " OR ".join(neg) + ")")
    return expr


def _positive_terms(node: Node) -> list[str]:
    if isinstance(node, Term):
        return [node.text]
    if isinstance(node, Not):
        return []
    return [t for c in node.children for t in _positive_terms(c)]


def compile_query(query: str) -> Compiled | None:
    """Compile the typed query; None when it is empty (list everything the filters keep)."""
    tree = parse(query)
    if tree is None:
        return None
    top = tree.children if isinstance(tree, And) else [tree]
    if isinstance(tree, Not):
        raise QuerySyntaxError("不能只有排除词：请至少给出一个要查找的词")
    contains, excludes, rest = [], [], []
    for node in top:
        if isinstance(node, Term) and _single_char(node):
            contains.append(fold(node.text).strip())
        elif isinstance(node, Not) and isinstance(node.child, Term) and _single_char(node.child):
            excludes.append(fold(node.child.text).strip())
        else:
            rest.append(node)
    if not rest and not contains:
        raise QuerySyntaxError("不能只有排除词：请至少给出一个要查找的词")
    match = None
    if rest:
        match = _expr(rest[0] if len(rest) == 1 else And(rest))
        if match is None and not contains:
            raise QuerySyntaxError("检索式里没有可检索的文字（只有标点或符号）")
    highlight = [t for t in _positive_terms(tree) if t.strip()]
    words = sorted({w for t in highlight for w in query_words(t)})
    any_words = " OR ".join(_q(w) for w in words) if len(words) > 1 else None
    return Compiled(match=match, contains=contains, excludes=excludes, highlight=highlight, any_words=any_words)
