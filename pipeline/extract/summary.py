"""Summaries of work done (工作总结, 情况汇报, 自查报告): where their orders stand.

A summary reports what a unit did; the sentences that read like orders (建立健全消防领导组织，完善火灾隐患
排查…) say what was done, with the 了 left out. Only its part on what comes next (下一步工作打算, 整改措施),
a sentence that opens that part (对此，我们将…) or one that commits itself holds directives. The cues are
data: ``models/directives.toml`` [work_summary].
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from ..resources import load_toml
from .rules import kind_allows, ruleset


class SummaryRules(NamedTuple):
    title: re.Pattern[str]
    title_not: re.Pattern[str]
    opening: re.Pattern[str]
    opening_sentences: int
    forward_heading: re.Pattern[str]
    forward_section: re.Pattern[str]
    forward_opener: re.Pattern[str]
    review_heading: re.Pattern[str]        # [review_heading]: a part that looks back (一、2025年工作回顾)
    review_not: re.Pattern[str]            # … unless it also names the work ahead


@lru_cache(maxsize=1)
def summary_rules() -> SummaryRules:
    data = load_toml("directives.toml")
    summary, review = data["work_summary"], data["review_heading"]
    return SummaryRules(re.compile(summary["title"]), re.compile(summary["title_not"]), re.compile(summary["opening"]),
                        int(summary["opening_sentences"]), re.compile(summary["forward_heading"]),
                        re.compile(summary["forward_section"]), re.compile(summary["forward_opener"]),
                        re.compile(review["pattern"]), re.compile(review["forward_not"]))


def is_work_summary(title: str | None, opening: Iterable[str]) -> bool:
    """Whether a document reports work done: its title says so (…工作总结, …情况汇报; a meeting's 总结会 or a
    government work report does not), or one of its first sentences (analysis form) announces it
    (现将…情况汇报如下) or is such a title line."""
    rules = summary_rules()
    if title and rules.title.search(title) and not rules.title_not.search(title):
        return True
    for count, text in enumerate(opening):
        if count >= rules.opening_sentences:
            break
        # The announcement itself must not name a meeting (现将会议情况报告如下); a purpose clause before it
        # may (为深入贯彻落实…会议精神，现将…工作情况汇报如下).
        found = rules.opening.search(text)
        if found is not None and not rules.title_not.search(found.group(0)):
            return True
    return False


def under_review(heading_path: Iterable[str]) -> bool:
    """Whether a sentence stands in a part that reviews work done (一、2020年工作回顾, 二、主要工作开展情况): a
    government work report's or a speech's look back holds the year's work told in an order's words. A
    heading that also names the work ahead (工作总结及下一步打算) does not count (``[review_heading]``)."""
    rules = summary_rules()
    return any(rules.review_heading.match(h) and not rules.review_not.search(h) for h in heading_path)


def under_next_steps(heading_path: Iterable[str]) -> bool:
    """Whether a sentence stands in a summary's part on what comes next (四、下一步工作打算, 三、整改措施);
    a heading that also looks back (工作总结和工作思路) does not open it."""
    rules, looks_back = summary_rules(), ruleset().heading_not
    return any(rules.forward_heading.search(h) and not looks_back.search(h) for h in heading_path)


def opens_next_steps(text: str, heading_level: int | None, line: bool) -> bool:
    """Whether a sentence turns a summary to what comes next, so that the rest is plans: one that says so
    (对此，我们将… / 下一步，…), a heading that names the part (四、下一步工作打算), or a top-level heading or
    a line of its own that names the work ahead (四、下半年工作要求).

    ``line``: the sentence is a short line of its own without a sentence's end (a heading the outline
    did not number)."""
    rules = summary_rules()
    if rules.forward_opener.search(text):
        return True
    if heading_level is None and not line:
        return False
    if rules.forward_heading.search(text) and not ruleset().heading_not.search(text):
        return True
    return (heading_level in (None, 1) and rules.forward_section.search(text) is not None
            and not ruleset().heading_not.search(text))


def commits_itself(text: str) -> bool:
    """A sentence of a summary that commits its unit to act (…将继续…, 下一步…要…): the commitments that
    count in a genre reporting work done (``[kind_gate]`` of ``models/directives.toml``, as for interviews)."""
    return kind_allows(text, "interview")
