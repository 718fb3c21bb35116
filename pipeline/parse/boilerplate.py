"""Line rules for page furniture, compiled once from ``models/boilerplate.toml``.

The rules are data so that a new site's furniture is a one-line change there,
with a test, rather than code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_toml
from .patterns import AnyOf, Prefiltered, RulePattern, joined, union


@dataclass(frozen=True)
class FurnitureRules:
    drop: AnyOf                      # asked only whether a line is furniture (``patterns.union``: the same answer, faster)
    blurb: AnyOf                     # furniture even as a long prose line (a 范文 site's blurb)
    blurb_title: re.Pattern[str]     # the document such a blurb names (group ``title``)
    site_title_part: re.Pattern[str]  # what a site writes around a title it repeats below (\0: the title)
    title_dressing: re.Pattern[str]   # what a page adds to a title's start or end ([打印本页], 标题)
    label_with_value_below: re.Pattern[str]
    page_info: re.Pattern[str]       # a news page's info line under its headline (clean.headline_above_info)
    truncation: re.Pattern[str]
    tail: re.Pattern[str]
    min_body_chars: int
    spam: RulePattern                # a hijacked mirror's stuffing terms (``is_spam``)
    spam_min_terms: int


@lru_cache(maxsize=1)
def rules() -> FurnitureRules:
    data = load_toml("boilerplate.toml")
    return FurnitureRules(
        drop=union(data["drop"]),
        blurb=union(data["blurb"]),
        blurb_title=re.compile(data["blurb_title"]),
        site_title_part=re.compile(data["site_title_part"]),
        title_dressing=joined(data["title_dressing"]),
        label_with_value_below=re.compile(data["label_with_value_below"]),
        page_info=joined(data["page_info"]),
        truncation=joined(data["truncation"]),
        tail=joined(data["tail"]),
        min_body_chars=int(data["min_body_chars"]),
        spam=Prefiltered.of(joined(data["spam_terms"])),
        spam_min_terms=int(data["spam_min_terms"]),
    )


def undressed_title(title: str | None) -> str | None:
    """The document's title without what its page adds around it ([打印本页], …2026年最新, 标题 …):
    taken off until nothing more comes off, and never down to nothing."""
    if not title:
        return title
    pattern = rules().title_dressing
    while True:
        bare = pattern.sub("", title, count=1).strip()
        if not bare or bare == title:
            return title
        title = bare


def is_spam(line: str) -> bool:
    """A line stuffed with the search terms of adult or gambling sites (a hijacked mirror's): spam, however
    it is laid out. Counts distinct terms, so one word of them in a real sentence never makes it spam."""
    r = rules()
    found: set[str] = set()
    for m in r.spam.finditer(line):
        found.add(m.group(0))
        if len(found) >= r.spam_min_terms:
            return True
    return False
