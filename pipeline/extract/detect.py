"""Is this sentence a directive? Rules kept as data, and the model we train.

The rule score (``rules.py``) gates: a sentence with no order and no
imperative-item shape is never a directive. Among gated sentences the rule score
decides, except in a narrow band just under the threshold, where the trained
classifier (``classifier.py``, ``models/directive_clf.json``) decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from ..parse.textnorm import CJK
from ..resources import load_toml
from .classifier import load_classifier
from .rules import action_count, cue_families, is_imperative_item, kind_allows, never_directive, rule_score, ruleset

# A classifier that stands in for the shipped one while a block runs (``using_classifier``): a model being
# compared, or the recorder that notes what the classifier is asked while training data is gathered.
_STAND_IN: ContextVar[object | None] = ContextVar("directive_classifier", default=None)


@contextmanager
def using_classifier(classifier: object) -> Iterator[None]:
    """Extract with ``classifier`` (anything with ``probability``, ``threshold`` and ``veto``) in
    place of ``models/directive_clf.json`` inside the block."""
    token = _STAND_IN.set(classifier)
    try:
        yield
    finally:
        _STAND_IN.reset(token)


def current_classifier():
    """The classifier the extractor asks: a stand-in set by ``using_classifier``, else the shipped one."""
    stand_in = _STAND_IN.get()
    return stand_in if stand_in is not None else load_classifier()


def rule_probability(score: float) -> float:
    """The rule score on the probability scale, so that the rule threshold lands on 0.5."""
    return max(0.0, min(1.0, score / (2 * ruleset().threshold)))


def _gate(text: str, kind: str | None, headings: list[str], item: bool = False) -> bool:
    fired = cue_families(text)
    if fired["reported"] or fired["other"] or fired["threat"] or not kind_allows(text, kind):
        return False
    if never_directive(text):
        return False
    return fired["obligation"] or is_imperative_item(text, kind, headings, item)


def directive_probability(text: str, kind: str | None, headings: list[str], item: bool = False,
                          doc_kind: str | None = None, listed: bool = False) -> float:
    """A probability-like score in [0, 1]; ``kind`` is how the sentence is judged ("heading" for a short
    outline heading), ``doc_kind`` its document's kind (what a taught model learned sentences under)."""
    if not _gate(text, kind, headings, item):
        return 0.0
    clf = current_classifier()
    score = rule_score(text, kind, headings, item)
    rule_p = rule_probability(score)
    taught_p = None
    if clf is not None and clf.veto is not None:
        taught_p = clf.probability(text, doc_kind or kind, headings, score)
        if taught_p < clf.veto:
            return 0.5 * taught_p / clf.threshold   # what staff rejected, the model learned to reject
    lo, hi = uncertain_band()
    if clf is not None and is_speaker_order(text):
        return max(rule_p, 0.5)
    forwarding = forwarding_request(text)
    if forwarding is not None:
        # 现将…转发给你们，请…强化…措施: the forwarding notice's own order; 请结合实际，认真贯彻执行 alone
        # only asks that the document be carried out (the annotation guide): no task.
        return max(rule_p, 0.5) if forwarding else 0.0
    if clf is None or not lo <= score < hi or kind == "heading" or listed:
        # ``listed``: an item of an enumerated list (①新建微型消防站12个。) is a task however short; the
        # model, which learned from sentences, reads shortness as a heading.
        # Headings are judged by the rules alone: the model was trained on sentences.
        return rule_p
    # Inside the band the rules are unsure: the trained model decides, mapped so that its
    # own threshold lands on 0.5.
    p = taught_p if taught_p is not None and (doc_kind or kind) == kind else clf.probability(text, kind, headings, score)
    return 0.5 * p / clf.threshold if p < clf.threshold else 0.5 + 0.5 * (p - clf.threshold) / (1 - clf.threshold)


DECISION = 0.5   # directive_probability maps both the rule threshold and the model's onto 0.5


def is_directive(text: str, kind: str | None, headings: list[str], item: bool = False) -> bool:
    return directive_probability(text, kind, headings, item) >= DECISION


def uncertain_band() -> tuple[float, float]:
    """Rule scores in [lo, hi) are left to the trained model (models/directives.toml [threshold])."""
    band = load_toml("directives.toml")["threshold"].get("model_band", [0.0, 0.0])
    return float(band[0]), float(band[1])


@lru_cache(maxsize=1)
def _speaker_order() -> tuple[re.Pattern[str], int]:
    conf = load_toml("directives.toml")["demand_lead"]
    return re.compile(conf["speaker_order"]), int(conf["speaker_order_actions"])


def is_speaker_order(text: str) -> bool:
    """X强调，各…要… with checkable actions: an order as a news page reports it (directives.toml)."""
    pattern, actions = _speaker_order()
    return bool(pattern.search(text)) and action_count(text) >= actions


@lru_cache(maxsize=1)
def _forwarding() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    conf = load_toml("directives.toml")["forwarding"]
    return re.compile(conf["pattern"]), re.compile(conf["generic"]), int(conf["min_chars"])


def forwarding_request(text: str) -> bool | None:
    """None when ``text`` is no forwarding line; else whether its 请… asks for more than carrying the
    document out (现将…转发给你们，请结合实际，认真贯彻执行 does not): models/directives.toml [forwarding]."""
    pattern, generic, min_chars = _forwarding()
    m = pattern.search(text)
    if m is None:
        return None
    return len(CJK.findall(generic.sub("", m.group("rest")))) >= min_chars
