"""Fast matching of the rule patterns kept as data (``models/*.toml``): the same matches, less work.

The rules of the parser (furniture lines) and of the extractor (cue families, ``never`` groups,
parties) are long alternations run on every line or sentence. Two things make them cheap without
changing what they match:

- ``union`` splits a group's patterns into those anchored at the start (tried once there) and the
  rest, and keeps the ones that open with a plain character in an alternation of their own
  (``AnyOf``);
- ``required_literals`` reads a pattern's parse tree for a set of strings of which every match must
  contain one (a forecast needs 预计, 预测 or 据预报…; a report of work done needs 了), and
  ``Prefiltered`` runs the pattern only where one stands: one pass of a plain alternation, where
  Python's regex engine would walk each sentence through every lookahead and backtrack. The analysis
  is conservative: a construct it does not count (a lookbehind, a negative lookahead, a class of many
  characters, an optional part) requires nothing, so a prefilter only ever skips text the pattern would not
  match, and a match is the same match.
"""


from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The regex module's own parser (private since Python 3.11, the oldest Python this project runs on): the
# parse tree is what the engine runs, so what it says a pattern needs is what a match needs.
from re import _constants as C, _parser as sre_parse  # type: ignore[attr-defined]

MAX_CLASS = 8          # a class of more characters than this requires nothing worth testing
MAX_LITERALS = 64      # more alternatives than this and the filter costs what the pattern does
Requirement = frozenset[str] | None


def _class_chars(items) -> Requirement:
    """The characters a plain class ([要需必]) stands for; None for ranges, negations, categories."""
    chars = set()
    for op, arg in items:
        if op is not C.LITERAL:
            return None
        chars.add(chr(arg))
    return frozenset(chars) if 0 < len(chars) <= MAX_CLASS else None


def _better(a: Requirement, b: Requirement) -> Requirement:
    """Of two requirements a sequence has both of, the one that excludes more text: fewer and
    longer strings."""
    if a is None:
        return b
    if b is None:
        return a
    key = lambda r: (min(map(len, r)), -len(r))  # noqa: E731
    return a if key(a) >= key(b) else b


def _sequence(items) -> Requirement:
    best: Requirement = None
    run = ""
    for op, arg in list(items) + [(None, None)]:
        if op is C.LITERAL:
            run += chr(arg)
            continue
        if run:
            best = _better(best, frozenset([run]))
            run = ""
        if op is not None:
            best = _better(best, _item(op, arg))
    return best


def _item(op, arg) -> Requirement:
    if op is C.LITERAL:
        return frozenset([chr(arg)])
    if op is C.IN:
        return _class_chars(arg)
    if op is C.SUBPATTERN:
        return _sequence(arg[-1])
    if op is C.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            req = _sequence(branch)
            if req is None:
                return None
            found |= req
        return frozenset(found)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, body = arg
        return _sequence(body) if low >= 1 else None
    if op is C.ATOMIC_GROUP:
        return _sequence(arg)
    if op is C.ASSERT and arg[0] == 1:
        # (?=…了): what a lookahead must find stands in the text all the same, after where the match
        # starts (a lookbehind's may stand before a search's start position, so it is not counted)
        return _sequence(arg[1])
    return None    # lookbehinds, negative lookarounds, anchors, back references, any character


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains one, or None when the pattern requires
    none that this analysis can see."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    source, flags = compiled.pattern, compiled.flags
    if flags & re.IGNORECASE:
        return None
    req = _sequence(sre_parse.parse(source, flags))
    if not req or len(req) > MAX_LITERALS or "" in req:
        return None
    # A longer string that holds a shorter one of the set adds nothing: 预测 covers 据预测.
    short_first = sorted(req, key=len)
    kept: list[str] = []
    for s in short_first:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


@dataclass(frozen=True)
class Prefiltered:
    """A compiled pattern behind the literal test that must pass before it is run. It answers
    ``search``, ``match``, ``fullmatch``, ``finditer`` and ``pattern`` as the compiled pattern does."""

    regex: re.Pattern[str]
    needs: re.Pattern[str]

    @staticmethod
    def of(pattern: re.Pattern[str]) -> "RulePattern":
        """``pattern`` behind its prefilter, or ``pattern`` itself when it requires no literal or is
        one plain string."""
        req = required_literals(pattern)
        if not req or req == {pattern.pattern}:
            return pattern       # nothing to test first, or the pattern is itself the test (排查)
        return Prefiltered(pattern, re.compile("|".join(map(re.escape, sorted(req, key=lambda s: (-len(s), s))))))

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.regex.search(text, pos) if self.needs.search(text, pos) else None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.regex.match(text, pos) if self.needs.search(text, pos) else None

    def fullmatch(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.regex.fullmatch(text, pos) if self.needs.search(text, pos) else None

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos) if self.needs.search(text, pos) else iter(())


RulePattern = Prefiltered | re.Pattern[str]   # a rule pattern, behind its prefilter where it has one


def top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (not inside a group or a character class)."""
    out: list[str] = []
    depth, start, i, in_class, class_open = 0, 0, 0, False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]" and i > class_open + 1:      # a ] right after [ or [^ is a literal
                in_class = False
        elif ch == "[":
            in_class, class_open = True, i + 1 if pattern[i + 1:i + 2] == "^" else i
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


@dataclass(frozen=True)
class AnyOf:
    """Whether any of several patterns is found, with those anchored at the start (^…) tried once at
    the start of the text: in one alternation with the others, the regex engine tries every
    alternative at every position of the text, and the opening formulas are many (the extractor's
    ``never`` groups: ^特此…, ^为…制定本方案; the furniture lines: ^浏览次数…). The unanchored ones that open with a plain character are one
    alternation of their own: the engine then skips along the text to where one of their first
    characters stands instead of trying each at every position. Each is run only where the words
    it needs stand (``Prefiltered``). Only ``search`` is offered: the groups are asked whether they
    fire, never where."""

    anchored: RulePattern | None
    anywhere: tuple[RulePattern, ...]

    def search(self, text: str) -> re.Match[str] | None:
        if self.anchored is not None and (found := self.anchored.match(text)) is not None:
            return found
        for pattern in self.anywhere:
            if (found := pattern.search(text)) is not None:
                return found
        return None


REGEX_SPECIAL = frozenset("\\[](){}.*+?^$|")


def opens_with_literal(alternative: str) -> bool:
    """Whether a pattern's first item is one plain character that must be there (not 上? or 上*)."""
    return (bool(alternative) and alternative[0] not in REGEX_SPECIAL
            and alternative[1:2] not in ("?", "*", "{"))


def joined(patterns: list[str]) -> re.Pattern[str]:
    """One regex that matches where any of ``patterns`` does, each kept whole in its own group: the
    rule files list patterns one per line, and the code that uses them needs ``sub`` or a match's
    start, which only one compiled regex gives."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def alternation(alternatives: list[str]) -> RulePattern | None:
    return Prefiltered.of(joined(alternatives)) if alternatives else None


def union(patterns: list[str]) -> AnyOf:
    """The patterns of one rule group as an ``AnyOf``: it fires where their alternation would."""
    alternatives = [a for p in patterns for a in top_level_alternatives(p)]
    anywhere = [a for a in alternatives if not a.startswith("^")]
    literal = [a for a in anywhere if opens_with_literal(a)]
    rest = [a for a in anywhere if not opens_with_literal(a)]
    return AnyOf(alternation([a[1:] for a in alternatives if a.startswith("^")]),
                 tuple(p for p in (alternation(literal), alternation(rest)) if p is not None))
