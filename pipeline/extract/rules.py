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

from ..parse.patterns import AnyOf, Prefiltered, RulePattern, top_level_alternatives
from ..parse.patterns import union as _union
from ..resources import import_jieba, load_toml

FAMILIES = ("obligation", "action", "attitude", "past", "reported", "threat", "other", "duty_only")


@dataclass(frozen=True)
class RuleSet:
    families: dict[str, tuple[float, "AnyOf"]]
    imperative_verbs: re.Pattern[str]
    inline_marker: re.Pattern[str]
    ban_opening: re.Pattern[str]
    imperative_kinds: frozenset[str]
    task_heading: re.Pattern[str]
    heading_not: re.Pattern[str]
    pos_first: frozenset[str]
    pos_modifier: frozenset[str]
    imperative_weight: float
    heading_weight: float
    heading_context_not: frozenset[str]
    threshold: float
    action_cap: int
    action_patterns: tuple[RulePattern, ...]
    kind_gate: dict[str, re.Pattern[str]]
    never: tuple[tuple[str, "AnyOf", str | None], ...] = ()   # (group, patterns, unless family)


@lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    data = load_toml("directives.toml")
    families = {name: (float(data[name]["weight"]), _union(data[name]["patterns"])) for name in FAMILIES}
    item = data["imperative_item"]
    return RuleSet(
        families=families,
        imperative_verbs=re.compile(item["verbs"]),
        inline_marker=re.compile(item["inline_marker"]),
        ban_opening=re.compile(item["ban_opening"]),
        imperative_kinds=frozenset(item["kinds"]),
        task_heading=re.compile(item["heading_cue"]),
        heading_not=re.compile(item["heading_not"]),
        pos_first=frozenset(item["pos_first"]),
        pos_modifier=frozenset(item["pos_modifier"]),
        imperative_weight=float(item["weight_alone"]),
        heading_weight=float(item["weight_heading"]),
        heading_context_not=frozenset(item["heading_context_not"]),
        threshold=float(data["threshold"]["rule"]),
        action_cap=int(data["action"].get("cap", 1)),
        action_patterns=tuple(Prefiltered.of(re.compile(p)) for p in data["action"]["patterns"]),
        kind_gate={k: re.compile(v) for k, v in data.get("kind_gate", {}).items()},
        never=tuple((name, _union(group["patterns"]), group.get("unless"))
                    for name, group in data.get("never", {}).items()),
    )


@lru_cache(maxsize=8192)
def cue_families(text: str) -> dict[str, bool]:
    """Which families of cues fire on ``text`` (analysis form, outline marker removed)."""
    rs = ruleset()
    return {name: bool(pattern.search(text)) for name, (_, pattern) in rs.families.items()}


@lru_cache(maxsize=8192)
def never_directive(text: str) -> str | None:
    """The name of the ``[never.*]`` group that vetoes ``text`` (a report of work done, a problem, a
    closing or addressee line …), or None."""
    fired = None
    for name, pattern, unless in ruleset().never:
        if pattern.search(text):
            if unless is not None:
                fired = fired if fired is not None else cue_families(text)
                if fired.get(unless):
                    continue
            return name
    return None


@lru_cache(maxsize=8192)
def verb_initial(text: str) -> bool:
    """The item opens with an order's verb: listed, or tagged a verb by jieba (cached: the rule score
    and the classifier's features both ask, and jieba's tagger is the slow part)."""
    rs = ruleset()
    text = rs.inline_marker.sub("", text, count=1)
    if rs.imperative_verbs.match(text):
        return True
    words = first_words(text[:12])
    if not words:
        return False
    first = words[0].flag
    if first in rs.pos_first:
        return True
    return first in rs.pos_modifier and len(words) > 1 and words[1].flag in rs.pos_first


CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def first_words(head: str) -> list:
    """jieba's tags for the first two words of ``head``, as ``pseg.cut`` gives them.

    The tagger's HMM (its Viterbi pass over runs of single characters no dictionary word covers) is
    most of what tagging costs, and it only ever changes words that such a run makes. The dictionary
    pass is asked first: when it opens with two dictionary words of two or more characters, the HMM
    pass would give the same two, so it is skipped (and when only the first word is needed, one
    word is enough). Otherwise the full tagger answers."""
    import_jieba()
    import jieba.posseg as pseg

    quick = []
    for pair in pseg.cut(head, HMM=False):
        quick.append(pair)
        if len(quick) == 2:
            break
    if quick and CJK_WORD.fullmatch(quick[0].word):
        needs_second = quick[0].flag in ruleset().pos_modifier
        if not needs_second or len(quick) < 2 or CJK_WORD.fullmatch(quick[1].word):
            return quick
    words = []
    for pair in pseg.cut(head):
        words.append(pair)
        if len(words) == 2:
            break
    return words


def in_tasks_section(heading_path: list[str]) -> bool:
    rs = ruleset()
    return any(rs.task_heading.search(h) and not rs.heading_not.search(h) for h in heading_path)


def is_imperative_item(text: str, kind: str | None, heading_path: list[str], item: bool = False) -> bool:
    """An order without 要: an item of a plan or notice, of a tasks section (主要任务, 今年…),
    or an enumerated item (一是…), that opens with a verb or names a checkable action."""
    rs = ruleset()
    context = (item or kind in rs.imperative_kinds
               or (kind not in rs.heading_context_not and in_tasks_section(heading_path)))
    if not context:
        return False
    # The cheaper test first: a named action settles it without tagging the first words.
    return (kind != "heading" and action_count(text) > 0) or verb_initial(text)


def ban_opening(text: str) -> bool:
    """Does the sentence open with a ban (严禁…, 禁止…)? A ban is an order however it is set out."""
    return bool(ruleset().ban_opening.match(text))


@lru_cache(maxsize=8192)
def action_count(text: str) -> int:
    """Distinct checkable actions named, up to the cap."""
    rs = ruleset()
    found = 0
    for pattern in rs.action_patterns:
        if pattern.search(text):
            found += 1
            if found >= rs.action_cap:       # the rest cannot raise the count
                break
    return min(found, rs.action_cap)


def kind_allows(text: str, kind: str | None) -> bool:
    """In genres that report work done (interviews), only commitments count."""
    gate = ruleset().kind_gate.get(kind or "")
    return gate is None or bool(gate.search(text))


def rule_score(text: str, kind: str | None = None, heading_path: list[str] | None = None,
               item: bool = False) -> float:
    """Sum of the weights of the families that fire, plus the imperative-item bonus."""
    rs = ruleset()
    fired = cue_families(text)
    score = sum(rs.families[name][0] for name, on in fired.items() if on and name != "action")
    score += rs.families["action"][0] * action_count(text)
    if is_imperative_item(text, kind, heading_path or [], item):
        if kind == "heading":
            # A heading's 要 is an exhortation's (一要提高认识); a ban that opens it (三、严禁电动车占用
            # 消防车通道) is the order itself.
            score += 0.0 if fired["obligation"] and not ban_opening(text) else rs.heading_weight
        else:
            # An item of a plan, notice or tasks section is an order whether or not it says 要/确保.
            score = max(score, rs.families["obligation"][0]) + rs.imperative_weight - (
                rs.families["obligation"][0] if fired["obligation"] else 0.0)
    return score
