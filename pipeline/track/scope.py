"""Whose document follows up whose directive: the same government, one below it, or the nation.

A province's report never follows up another province's directive, however
alike their wording (every province orders 深入推进安全生产治本攻坚三年行动). A
later document counts when it comes from the directive's own government, from
a level below it (a city notice carrying out a provincial order), or from the
national level above. A document below that orders the task again is the order
passed down the levels (the 泰安 chain: a State Council plan, then a city's
notice to carry it out) and is shown as such. Places are read from
``models/places.toml``; a place it cannot put anywhere is given the benefit of
the doubt, as an unknown government always was.
"""

from __future__ import annotations

from functools import lru_cache

from ..places import NATION, locate, province_names

ALLOWED = ("same", "below", "national", "unknown")


@lru_cache(maxsize=65536)
def relation(directive_gov: str | None, doc_gov: str | None) -> str:
    """How a later document's government stands to a directive's: same, below, national (the
    nation's document on a local directive), above, other, or unknown."""
    if directive_gov is None or doc_gov is None:
        return "unknown"
    if directive_gov == doc_gov:
        return "same"
    dp, dc = locate(directive_gov)
    ep, ec = locate(doc_gov)
    if ep == NATION:
        return "national"
    if dp == NATION:
        return "below"
    if dp is None or ep is None:
        return "unknown"
    if dp != ep:
        return "other"
    if dc is None:                       # a province's directive
        return "below" if ec is not None or len(doc_gov) > len(directive_gov) else "same"
    if ec is None:                       # a city's directive, a provincial document
        return "above" if doc_gov in province_names() else "unknown"
    if dc != ec:
        return "other"
    return "below" if doc_gov.startswith(directive_gov) or len(doc_gov) > len(directive_gov) else "same"


def may_follow(directive_gov: str | None, doc_gov: str | None) -> bool:
    """Whether a document of ``doc_gov`` may follow up a directive of ``directive_gov``."""
    return relation(directive_gov, doc_gov) in ALLOWED


def unit(gov: str | None) -> str | None:
    """The province a government belongs to (its shard of the store), or None when its documents
    may follow up anyone's and anyone's may follow up it (the nation, a place not found): those are
    shared by every shard."""
    province, _ = locate(gov)
    return None if province in (None, NATION) else province
