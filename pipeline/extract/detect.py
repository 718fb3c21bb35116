"""Is this sentence a directive? Rules kept as data, and the model we train.

The rule score (``rules.py``) gates: a sentence with no order and no
imperative-item shape is never a directive. Where the trained classifier
(``classifier.py``, ``models/directive_clf.joblib``) is present, its
probability decides among the gated sentences; else the rule threshold does.
"""

from __future__ import annotations

from .classifier import load_classifier
from .rules import cue_families, is_imperative_item, kind_allows, rule_score, ruleset


def _gate(text: str, kind: str | None, headings: list[str]) -> bool:
    fired = cue_families(text)
    if fired["reported"] or fired["other"] or fired["threat"] or not kind_allows(text, kind):
        return False
    return fired["obligation"] or is_imperative_item(text, kind, headings)


def directive_probability(text: str, kind: str | None, headings: list[str]) -> float:
    """A probability-like score in [0, 1]."""
    if not _gate(text, kind, headings):
        return 0.0
    clf = load_classifier()
    score = rule_score(text, kind, headings)
    if clf is None:
        return max(0.0, min(1.0, score / (2 * ruleset().threshold)))
    return clf.probability(text, kind, headings, score)


def is_directive(text: str, kind: str | None, headings: list[str]) -> bool:
    if not _gate(text, kind, headings):
        return False
    clf = load_classifier()
    if clf is None:
        return rule_score(text, kind, headings) >= ruleset().threshold
    return clf.probability(text, kind, headings, rule_score(text, kind, headings)) >= clf.threshold
