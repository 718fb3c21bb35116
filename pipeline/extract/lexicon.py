"""Loading the rule and lexicon files kept as data under ``models/``.

Every extraction component reads its patterns, word lists and tables from a TOML
file in the project's ``models/`` folder (``$DUBAN_MODELS`` overrides the
folder). Files are parsed once per process; the callers compile what they need
once as well, so nothing is re-read per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import resources


def models_dir() -> Path:
    """The folder holding the ``*.toml`` data files (see ``pipeline.resources``)."""
    return resources.models_dir()


def load(name: str) -> dict:
    """Parse ``models/<name>.toml`` (``name`` with or without the suffix), once."""
    return resources.load_toml(name)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal ``words``, longest first (so the longest wins)."""
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in uniq)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``@NAME@`` in ``pattern`` by ``macros[NAME]`` (macros may nest)."""
    for _ in range(8):
        new = re.sub(r"@([A-Z_][A-Z0-9_]*)@", lambda m: macros[m.group(1)], pattern)
        if new == pattern:
            return new
        pattern = new
    raise ValueError(f"macro expansion does not terminate: {pattern!r}")


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with; None when any can.

    Used to put a cheap ``(?=[…])`` guard in front of rules that begin with
    look-behinds, so the scanner fails fast at positions no rule can start at.
    Conservative: whatever it cannot analyse yields None (no guard).
    """
    try:
        from re import _parser as sre_parse  # Python 3.11+
        from re import _constants as sre_c
    except ImportError:  # pragma: no cover
        return None
    try:
        tree = sre_parse.parse(pattern)
    except Exception:  # pragma: no cover
        return None
    ANY = None

    def seq(items):
        out: set[str] = set()
        for op, av in items:
            chars, nullable = item(op, av)
            if chars is ANY:
                return ANY, False
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def item(op, av):
        if op is sre_c.LITERAL:
            return {chr(av)}, False
        if op is sre_c.IN:
            chars: set[str] = set()
            for iop, iav in av:
                if iop is sre_c.LITERAL:
                    chars.add(chr(iav))
                elif iop is sre_c.RANGE and iav[1] - iav[0] < 64:
                    chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return ANY, False
            return chars, False
        if op is sre_c.BRANCH:
            out: set[str] = set()
            nullable = False
            for branch in av[1]:
                chars, n = seq(branch)
                if chars is ANY:
                    return ANY, False
                out |= chars
                nullable = nullable or n
            return out, nullable
        if op is sre_c.SUBPATTERN:
            return seq(av[-1])
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, _hi, sub = av
            chars, n = seq(sub)
            return chars, (n or lo == 0) if chars is not ANY else False
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT):
            return set(), True
        if op is getattr(sre_c, "ATOMIC_GROUP", None):
            return seq(av)
        return ANY, False

    chars, nullable = seq(tree)
    if chars is ANY or nullable or not chars:
        return None
    return frozenset(chars)


def char_class(chars) -> str:
    """A regex character class matching exactly ``chars``."""
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character for one (OpenCC's character table)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency; without it no mapping
        return {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                source, _, target = line.rstrip("\n").partition("\t")
                target = target.split(" ")[0] if target else ""
                if len(source) == 1 and len(target) == 1 and source != target:
                    table[ord(source)] = target
    except OSError:  # pragma: no cover
        return {}
    return table


@lru_cache(maxsize=1)
def _t2s_chars() -> frozenset[str]:
    return frozenset(chr(c) for c in _t2s_table())


def simplify(text: str) -> str:
    """``text`` with traditional characters mapped to simplified ones, same length.

    Character by character (never phrase by phrase), so every offset into the
    result is an offset into ``text``: the rules match the simplified form and
    report the text as written.
    """
    if not text or _t2s_chars().isdisjoint(text):
        return text
    return text.translate(_t2s_table())
