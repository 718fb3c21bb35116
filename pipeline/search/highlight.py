"""Marking the matched words in a text, for the terminal and for the web page.

Matching happens on jieba words of the folded text, but people should see the
characters they typed: each typed term is looked for as a whole in the folded
text (same length as the original, so offsets carry over), and where it does
not occur whole, its words are marked one by one.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .tokenize import fold, query_words


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of ``text`` to mark."""
    if not text or not terms:
        return []
    folded = fold(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        flat = re.sub(r"\s+", "", fold(term))
        if not flat:
            continue
        needles = [flat] if flat in folded else query_words(term)
        for needle in needles:
            if not needle:
                continue
            for m in re.finditer(re.escape(needle), folded):
                found.append((m.start(), m.end()))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def to_html(text: str, terms: list[str]) -> Markup:
    """Escaped text with <mark> around the matches: the only markup a document's text gets."""
    out: list[str] = []
    pos = 0
    for s, e in spans(text, terms):
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def to_rich(text: str, terms: list[str], style: str = "bold black on yellow") -> str:
    """Rich console markup with the matches styled; the text itself is escaped."""
    from rich.markup import escape as rich_escape

    out: list[str] = []
    pos = 0
    for s, e in spans(text, terms):
        out.append(rich_escape(text[pos:s]))
        out.append(f"[{style}]{rich_escape(text[s:e])}[/]")
        pos = e
    out.append(rich_escape(text[pos:]))
    return "".join(out)


def snippet(text: str, terms: list[str], width: int = 120) -> tuple[str, int]:
    """A window of ``text`` around the first match (for documents), and its offset."""
    found = spans(text, terms)
    if not found or len(text) <= width:
        return text[:width], 0
    start = max(0, found[0][0] - width // 3)
    return text[start:start + width], start
