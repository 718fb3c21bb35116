"""Who must act: the acting bodies of a directive, as written.

The subject before an obligation cue (各级各部门要…, 企业必须…, 请各单位…)
names the party; a sentence without one continues the subject of the sentence
before it in the same item (要建立… after 各级党政主要领导要…), unless it
opens a new thread (同时, 此外 …). Patterns are data in ``models/parties.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_toml


@dataclass(frozen=True)
class PartyRules:
    subject: re.Pattern[str]
    org_end: re.Pattern[str]
    org_start: re.Pattern[str]
    not_party: re.Pattern[str]
    breaks: re.Pattern[str]
    extra_subject: re.Pattern[str]
    request: re.Pattern[str]


@lru_cache(maxsize=1)
def party_rules() -> PartyRules:
    data = load_toml("parties.toml")
    return PartyRules(
        subject=re.compile(data["subject"]),
        org_end=re.compile(data["org_end"]),
        org_start=re.compile(data["org_start"]),
        not_party=re.compile(data["not_party"]),
        breaks=re.compile(data["breaks"]),
        extra_subject=re.compile(data["extra_subject"]),
        request=re.compile(data["request"]),
    )


def _is_org(phrase: str) -> bool:
    r = party_rules()
    return bool(phrase) and not r.not_party.search(phrase) and bool(r.org_end.search(phrase) or r.org_start.match(phrase))


def split_parties(phrase: str) -> list[str]:
    """各单位、各部门和区内企业 → three parties; 各乡镇、街道 and …等所有部门 stay one."""
    if "等" in phrase:
        return [phrase]
    parts = [p for p in re.split(r"[、，,]|和|及|以及|与", phrase) if p]
    if len(parts) > 1 and sum(p.startswith("各") for p in parts) >= 2 and all(_is_org(p) for p in parts):
        return parts
    return [phrase]


def _clean(phrase: str) -> str:
    phrase = re.sub(r"^(同时|此外|另外|一方面|另一方面|特别是|尤其是|其中|比如|例如|对此|为此|首先|其次|最后)[，,]?", "", phrase)
    phrase = re.sub(r"^[，,、\s“”]+|[，,、\s]+$", "", phrase)
    phrase = re.sub(r"(都|也|还|均|一定|更|则|就)$", "", phrase)
    return phrase


def own_parties(text: str) -> list[str]:
    """Parties named by the sentence itself."""
    r = party_rules()
    found: list[str] = []
    for m in r.subject.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase):
            for p in split_parties(phrase):
                if p not in found:
                    found.append(p)
    for m in r.request.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase) and phrase not in found:
            found.append(phrase)
    for m in r.extra_subject.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase) and phrase not in found:
            found.append(phrase)
    return found


def breaks_thread(text: str) -> bool:
    """A sentence that opens a new thread does not inherit the previous subject."""
    return bool(party_rules().breaks.match(text))
