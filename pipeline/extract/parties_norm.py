"""Normalised organisation types of party surfaces, for the follow-up sheet and filters.

``normalise_party("应急、消防、住建、市场监管、交通等所有行业主管部门")`` gives
``["应急管理部门", "消防救援机构", "行业主管部门", "住建部门", "交通运输部门",
"市场监管部门"]`` (in the canonical order of ``models/party_types.toml``).

Every rule of the TOML is a set of keywords (and a few regexes) with the types it
gives. All rules are matched over the surface; overlapping matches are resolved
leftmost-longest (消防安全重点单位 is an enterprise, not the fire service);
``unless`` drops a rule's types when another match gave one of the listed types
(企业负责人 → 企业 only); ``weak`` rules (各级, 各地) count only when nothing else
matched. No match: an office name (…局, …部门) is 行业主管部门, anything else 其他.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon


@dataclass(frozen=True)
class _Rule:
    types: tuple[str, ...]
    regex: re.Pattern
    unless: frozenset
    weak: bool


@dataclass(frozen=True)
class _Types:
    order: tuple[str, ...]
    rank: dict
    rules: tuple[_Rule, ...]
    office: str
    office_re: re.Pattern
    other: str


@lru_cache(maxsize=1)
def _types() -> _Types:
    data = lexicon.load("party_types")
    order = tuple(data["order"])
    rules = []
    for r in data.get("rule", []):
        types = tuple(r["types"])
        for t in types:
            if t not in order:
                raise ValueError(f"models/party_types.toml: unknown type {t!r}")
        alts = []
        if r.get("words"):
            alts.append(lexicon.alternation(r["words"]))
        alts.extend(f"(?:{p})" for p in r.get("patterns", []))
        rules.append(
            _Rule(
                types=types,
                regex=re.compile("|".join(alts)),
                unless=frozenset(r.get("unless", [])),
                weak=bool(r.get("weak")),
            )
        )
    fb = data.get("fallback", {})
    return _Types(
        order=order,
        rank={t: i for i, t in enumerate(order)},
        rules=tuple(rules),
        office=fb.get("office", "行业主管部门"),
        office_re=re.compile(fb.get("office_pattern", r"(?:部门|局)$")),
        other=fb.get("other", "其他"),
    )


PARTY_TYPES: tuple[str, ...] = tuple(lexicon.load("party_types")["order"])

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _normalise(surface: str) -> tuple[str, ...]:
    tt = _types()
    text = lexicon.simplify(_SPACE.sub("", surface or ""))
    if not text:
        return ()
    cands = []  # (start, -length, rule index, end)
    for i, rule in enumerate(tt.rules):
        for m in rule.regex.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), m.start() - m.end(), i, m.end()))
    cands.sort()
    chosen = []
    pos = 0
    for start, _, i, end in cands:
        if start >= pos:
            chosen.append(tt.rules[i])
            pos = end
    strong = [r for r in chosen if not r.weak]
    use = strong or chosen
    found: set[str] = set()
    for r in use:
        others: set[str] = set()
        for x in use:
            if x is not r:
                others.update(x.types)
        if r.unless & others:
            continue  # 企业负责人: the enterprise, not a party leader
        found.update(r.types)
    if not found:
        found.add(tt.office if tt.office_re.search(text) else tt.other)
    return tuple(sorted(found, key=tt.rank.get))


def normalise_party(surface: str) -> list[str]:
    """The organisation types named by one party surface (at least one: 其他 when unknown)."""
    return list(_normalise(surface or ""))


def party_types_of(parties) -> list[str]:
    """The organisation types of a list of party surfaces, in first-seen order, each once.

    The extractor's ``party_types`` and the types of parties corrected by staff
    (``pipeline/corrections``) both come from here, so a unit filter treats both alike.
    """
    types: list[str] = []
    for party in parties:
        for t in normalise_party(party):
            if t not in types:
                types.append(t)
    return types
