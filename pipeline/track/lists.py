"""Follow-ups of a list: a later report on a named list is evidence for each of its items.

Plans enumerate tasks under a name (扎实办好“十大重点民生实事”。①…⑧建成150个基层消防站。
⑨…), and a review reports on the list as a whole (“十大重点民生实事”全面完成): the item
shares no word with that report, its list does. The lead sentence that names a
list and its name are found here (``list_lead``), and the later sentences that
name it (``reports_naming``); ``link.find_evidence`` passes those on to the
items. The patterns are data (``models/track_links.toml``, ``[lists]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..parse.textnorm import analysis_form
from ..resources import load_toml


@dataclass(frozen=True)
class ListPatterns:
    item: re.Pattern[str]
    named: re.Pattern[str]
    generic: re.Pattern[str]
    score: float


@lru_cache(maxsize=1)
def patterns() -> ListPatterns:
    data = load_toml("track_links.toml")["lists"]
    generic = load_toml("track_cues.toml")["quoted"]["generic"]
    return ListPatterns(re.compile(data["item"]), re.compile(data["named"]), re.compile(generic), float(data["score"]))


def is_item(text: str) -> bool:
    """Whether a sentence (or a directive's text) opens as an item of an enumeration (⑧, （3）, 2.)."""
    return bool(patterns().item.search(text))


@dataclass(frozen=True)
class Lead:
    start: int
    end: int
    text: str
    name: str                 # the list's name in analysis form (十大重点民生实事)


def list_name(lead: str) -> str | None:
    """The name a lead sentence gives its list: a quoted name, or a count of items with what they are."""
    for m in patterns().named.finditer(analysis_form(lead)):
        name = (m.group(1) or m.group(2) or "").strip()
        if name and not patterns().generic.match(name):
            return name
    return None


def list_lead(body: str, sentences: list[tuple[int, int, int]], start: int) -> Lead | None:
    """The sentence naming the list that the sentence at ``start`` is an item of, if any.

    ``sentences`` are (start, end, paragraph) in document order. The lead is the
    last sentence before the item, in the same paragraph, that is not an item itself;
    it must name the list (a quoted name, a count of items).
    """
    at = next((n for n, (s, e, _) in enumerate(sentences) if s <= start < e), None)
    if at is None or not is_item(body[sentences[at][0]:sentences[at][1]]):
        return None
    para = sentences[at][2]
    for n in range(at - 1, -1, -1):
        s, e, p = sentences[n]
        if p != para:
            return None
        text = body[s:e]
        if is_item(text):
            continue
        name = list_name(text)
        return Lead(s, e, text, name) if name else None
    return None
