"""Rule evidence for "is this sentence a directive?", from ``models/directives.toml``.

Each family of cue patterns (obligation, checkable action, attitude, past,
reported speech, threat …) adds its weight once when any of its patterns
matches. The families and weights are data; the learned model in
``classifier.py`` reads the same sentences and the two are combined in
``detect.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_toml

FAMILIES = ("obligation", "action", "attitude", "past", "reported", "threat", "other", "duty_only")


@dataclass(frozen=True)
class RuleSet:
    families: dict[str, tuple[float, re.Pattern[str]]]
    imperative_verbs: re.Pattern[str]
    imperative_kinds: frozenset[str]
    task_heading: re.Pattern[str]
    threshold: float
    action_cap: int
    action_patterns: tuple[re.Pattern[str], ...]
    kind_gate: dict[str, re.Pattern[str]]


def _union(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    data = load_toml("directives.toml")
    families = {name: (float(data[name]["weight"]), _union(data[name]["patterns"])) for name in FAMILIES}
    item = data["imperative_item"]
    return RuleSet(
        families=families,
        imperative_verbs=re.compile(item["verbs"]),
        imperative_kinds=frozenset(item["kinds"]),
        task_heading=re.compile(item["heading_cue"]),
        threshold=float(data["threshold"]["rule"]),
        action_cap=int(data["action"].get("cap", 1)),
        action_patterns=tuple(re.compile(p) for p in data["action"]["patterns"]),
        kind_gate={k: re.compile(v) for k, v in data.get("kind_gate", {}).items()},
    )


def cue_families(text: str) -> dict[str, bool]:
    """Which families of cues fire on ``text`` (analysis form, outline marker removed)."""
    rs = ruleset()
    return {name: bool(pattern.search(text)) for name, (_, pattern) in rs.families.items()}


def is_imperative_item(text: str, kind: str | None, heading_path: list[str]) -> bool:
    """A verb-initial item in a plan or notice, or under a tasks heading (主要任务, 今年…)."""
    rs = ruleset()
    if not rs.imperative_verbs.match(text):
        return False
    return (kind in rs.imperative_kinds) or any(rs.task_heading.search(h) for h in heading_path)


def action_count(text: str) -> int:
    """Distinct checkable actions named, up to the cap."""
    rs = ruleset()
    return min(rs.action_cap, sum(1 for p in rs.action_patterns if p.search(text)))


def kind_allows(text: str, kind: str | None) -> bool:
    """In genres that report work done (interviews), only commitments count."""
    gate = ruleset().kind_gate.get(kind or "")
    return gate is None or bool(gate.search(text))


def rule_score(text: str, kind: str | None = None, heading_path: list[str] | None = None) -> float:
    """Sum of the weights of the families that fire, plus the imperative-item bonus."""
    rs = ruleset()
    fired = cue_families(text)
    score = sum(rs.families[name][0] for name, on in fired.items() if on and name != "action")
    score += rs.families["action"][0] * action_count(text)
    if not fired["obligation"] and is_imperative_item(text, kind, heading_path or []):
        score += load_toml("directives.toml")["imperative_item"]["weight"]
    return score
