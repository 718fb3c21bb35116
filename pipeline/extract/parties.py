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

from ..parse.patterns import Prefiltered, RulePattern
from ..resources import import_jieba, load_toml
from .rules import first_words


OUTLINE_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}(?:\.\d{1,2})?[.．、\s]|"
    r"[一二三四五六七八九十]+是|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十百]+条)\s*"   # (第六条: an article of rules)
)


LISTED_PLACE = re.compile(r"(?:开发区|发展区|新区|高新区|园区|县|市|区|镇|乡)$")


CLAUSE_MARK = re.compile(r"[，,；;：:]")
QUOTE_OR_BRACKET = re.compile(r"[“”\"（）()]")


@dataclass(frozen=True)
class PartyRules:
    """The patterns of ``models/parties.toml``, each run only where the words it needs stand (``parse/patterns.py``)."""

    subject: RulePattern
    org_end: RulePattern
    org_start: RulePattern
    not_party: RulePattern
    breaks: RulePattern
    extra_subject: RulePattern
    duty_adverb: RulePattern
    responsible: RulePattern
    time_limit_line: RulePattern
    act_subject: RulePattern
    request: RulePattern
    request_list: RulePattern
    addressed: RulePattern
    topic: RulePattern
    partner: RulePattern
    body_then_where: RulePattern
    own_voice_title: RulePattern
    verb_before_body: RulePattern
    heading_then_body: RulePattern
    next_step: RulePattern
    anyone: RulePattern
    demand_object: RulePattern


@lru_cache(maxsize=1)
def party_rules() -> PartyRules:
    data = load_toml("parties.toml")
    return PartyRules(**{name: Prefiltered.of(re.compile(data[name])) for name in PartyRules.__dataclass_fields__})


TRAILING_NOTE = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def _is_org(phrase: str) -> bool:
    """Does ``phrase`` name a body? A note in brackets after its name (各乡镇（街道）, 县应急局（安委办）) does not
    change what it ends with. (Asked for every candidate phrase: the note is looked for only when the
    phrase ends with a bracket.)"""
    if not phrase:
        return False
    r = party_rules()
    if r.not_party.search(phrase):
        return False
    if r.org_end.search(phrase) or r.org_start.match(phrase):
        return True
    return phrase.endswith((")", "）")) and bool(r.org_end.search(TRAILING_NOTE.sub("", phrase)))


def _listed_bodies(parts: list[str]) -> bool:
    """Whether a list names bodies: each part one, or a zone or place taken as a body (华侨管理区, 高新区,
    广汉市工业集中发展区) beside at least one body named as such."""
    orgs = [_is_org(p) for p in parts]
    return any(orgs) and all(o or LISTED_PLACE.search(p) for o, p in zip(orgs, parts))


def split_parties(phrase: str) -> list[str]:
    """各单位、各部门和区内企业 → three parties, 县交通运输局、公安局交警大队 → two;
    各乡镇、街道 (one 各 over a list of short names) and …等所有部门 stay one."""
    if "等" in phrase:
        return [phrase]
    # 各有关部门和单位: a bare 单位 after 和 shares the 各有关 before it, so the pair stays one party.
    guarded = re.sub(r"(和|及)(?=[\u4e00-\u9fa5]{1,2}(?:$|[、，,]))", lambda m: "\1" * len(m.group(1)), phrase)
    parts = [p for p in re.split(r"[、，,]|和|及|以及|与", re.sub(r"[（(][^）)]*[）)]", lambda m: m.group(0).replace("、", "\0"), guarded)) if p]
    parts = [p.replace("\0", "、").replace("\1", "和") for p in parts]
    if len(parts) < 2 or not _listed_bodies(parts):
        # 有关乡镇及县水利、自然资源部门: two bodies joined by 及/和, the second a list of short names
        # that share one suffix.
        joined = [p for p in re.split(r"以及|及|和|与", guarded) if p]
        joined = [p.replace("\1", "和") for p in joined]
        if len(joined) == 2 and all(len(p) >= 3 and _is_org(p) for p in joined):
            return joined
        return [phrase]
    if sum(p.startswith("各") for p in parts) >= 2 or all(len(p) >= 3 for p in parts):
        return parts
    return [phrase]


BULLET = re.compile(r"^[•·●○▪◆◇■□►▶\-—*]+\s*")
# …检查由农业综合服务中心(负责): the work before 由 is not part of the body (自由贸易区 is no 由).
WORK_BY = re.compile(r"^.+?(?<![自理经缘])由(?=.{2,}$)")


# 镇政府防灾责任人对防灾责任点要…: the name before 对 (what the body acts on follows it).
BODY_BEFORE_OBJECT = re.compile(r"^(?P<body>.{2,}?)对.+$")
# 检查组责令该企业…, 李江要求施工单位…: whoever demands is not who acts; the body after the demand is.
DEMANDER = re.compile(r"^.+?(?:要求|责令)(?=.{2,}$)")


def _clean(phrase: str) -> str:
    phrase = OUTLINE_MARK.sub("", BULLET.sub("", phrase))
    if "由" in phrase and (tail := WORK_BY.sub("", phrase)) != phrase and _is_org(tail):
        phrase = tail
    if ("要求" in phrase or "责令" in phrase) and (tail := DEMANDER.sub("", phrase)) != phrase and _is_org(tail):
        phrase = tail
    phrase = re.sub(r"^由(?=\w{2,})", "", phrase)   # 由安全管理部门牵头: 由 names who acts, it is no part of the name
    phrase = re.sub(r"^(同时|此外|另外|一方面|另一方面|特别是|尤其是|其中|比如|例如|对此|为此|首先|其次|最后)[，,]?", "", phrase)
    # The order's verb before its addressee (会议要求各社区要… / 并要求各企业：一要… / 希望各企业于…前) is not part of
    # the body.
    phrase = re.sub(r"^(会议|会上|并|同时)?(要求|强调|指出|提出|号召|希望|请)", "", phrase)
    # A note after the bodies (…有关成员单位（详见任务分工）) is not part of their names.
    phrase = re.sub(r"[（(](?:详见|具体见|见附件|见附表)[^）)]{0,20}[）)]$", "", phrase)
    phrase = re.sub(r"^[，,、\s“”]+|[，,、\s]+$", "", phrase)
    phrase = re.sub(r"(之间|相互之间|都|也|还|均|一定|更|则|就)$", "", phrase)
    # 我们交警部门: the speaker's "we" before the body is not part of its name; nor is 作为 (作为企业业主，要…).
    phrase = re.sub(r"^(?:我们|咱们|作为)(?=\w{2,})", "", phrase)
    # 各地各单位在做好…的基础上 / 各岗位工作人员在日常工作中 / 村干部和值班人员在节假日期间: when or where the body
    # acts is no part of its name (but 各小(二)库所在村 and 在岗人员 are names).
    m = party_rules().body_then_where.match(phrase)
    if m and _is_org(m["body"]):
        phrase = m["body"]
    # 镇政府防灾责任人对防灾责任点要每月…: what the body acts on is no part of its name.
    if "对" in phrase and not _is_org(phrase) and (m := BODY_BEFORE_OBJECT.match(phrase)) and _is_org(m["body"]) \
            and _names_only(m["body"]):
        phrase = m["body"]
    m = party_rules().verb_before_body.match(phrase)
    if m and _is_org(phrase[m.end():]):
        phrase = phrase[m.end():]
    m = party_rules().heading_then_body.match(phrase)
    if m and len(m["body"]) >= 3 and party_rules().org_end.search(m["body"]) and _is_org(m["body"]):
        phrase = m["body"]   # (a body's own word ends it: 健全各类 names none)
    return _without_act(phrase)


def _without_act(phrase: str) -> str:
    """要求各地各有关部门坚持以人为本，…: a body's name ends at its last body word when a verb or a duty's
    adverb follows it (what it must do, and how soon, is no part of its name: 各行业主管部门及时按要求将…);
    各村网格员, 各有关部门负责人 and a bracket note stay whole."""
    r = party_rules()
    if not r.org_start.match(phrase) or r.org_end.search(phrase):
        return phrase
    for m in reversed(list(_body_word().finditer(phrase))):
        tail = phrase[m.end():]
        if len(tail) >= 2 and "\u4e00" <= tail[0] <= "\u9fff" \
                and (r.duty_adverb.match(tail) or _opens_with_verb(tail)) and _is_org(phrase[:m.end()]):
            return phrase[:m.end()]
    return phrase


@lru_cache(maxsize=1)
def _body_word() -> re.Pattern[str]:
    """The body words of ``org_end`` wherever they stand (部门 in 各有关部门坚持…)."""
    return re.compile(party_rules().org_end.pattern.removesuffix("$"))


@lru_cache(maxsize=4096)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words and part-of-speech tags of ``text`` (cached: the tagger is the slow part)."""
    import_jieba()
    import jieba.posseg as pseg

    return tuple((w.word, w.flag) for w in pseg.cut(text))


def _names_only(text: str) -> bool:
    """Whether ``text`` is a name and nothing more: no verb, adverb, preposition or person's name in it
    (深入学习贯彻习近平总书记 ends like a body and is an act)."""
    return not any(flag in ("v", "d", "p", "i", "ad", "vd", "l") or flag.startswith("nr") for _, flag in _tagged(text))


@lru_cache(maxsize=4096)
def _opens_with_verb(text: str) -> bool:
    """Whether jieba tags the first word of ``text`` a verb (坚持, 挂牌), not a verbal noun or a noun (the
    rules' own first-word tagging, which spares the tagger's HMM pass where it changes nothing)."""
    words = first_words(text[:8])
    return bool(words) and words[0].flag in ("v", "vd") and len(words[0].word) >= 2


def _is_place(phrase: str) -> bool:
    """A short place name (我市, 渝中区, 大英经开区): a body where the words say it acts, though no body by its
    ending."""
    return len(phrase) <= 10 and bool(LISTED_PLACE.search(phrase)) and not party_rules().not_party.search(phrase)


def own_parties(text: str) -> list[str]:
    """Parties named by the sentence itself."""
    r = party_rules()
    found: list[str] = []
    m = r.topic.match(text)
    if m and _is_org(_clean(m.group("p"))):
        found.append(_clean(m.group("p")))
    for m in r.subject.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase):
            for p in split_parties(phrase):
                if p not in found:
                    found.append(p)
    for m in r.next_step.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase):
            found.extend(p for p in split_parties(phrase) if p not in found)
        elif _is_place(phrase) and phrase not in found:
            found.append(phrase)
    for m in r.responsible.finditer(text):
        found.extend(b for b in _named_bodies(m.group("p")) if b not in found)
    if not found:
        m = r.act_subject.match(text)
        if m and _is_org(_clean(m.group("p"))):
            found.extend(p for p in split_parties(_clean(m.group("p"))) if p not in found)
    if not found:
        read: set[int] = set()      # clauses whose body was read (one per clause)
        for m in r.duty_adverb.finditer(text):
            head = CLAUSE_MARK.split(text[:m.start()])[-1]
            clause = m.start() - len(head)
            if clause in read or not 2 <= len(head) <= 20 or QUOTE_OR_BRACKET.search(head):
                continue
            read.add(clause)
            if _is_org(phrase := _clean(head)):
                found.extend(p for p in split_parties(phrase) if p not in found)
    for m in r.request.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase):
            for p in split_parties(phrase):
                if p not in found:
                    found.append(p)
    if not found:
        for m in (*r.addressed.finditer(text), *r.demand_object.finditer(text)):
            phrase = _clean(m.group("p"))
            if _is_org(phrase):
                found.extend(p for p in split_parties(phrase) if p not in found)
    for m in r.request_list.finditer(text):
        bodies = [p for p in (_clean(x) for x in re.split(r"以及|[，,]|及|和", m.group("p"))) if p]
        if len(bodies) >= 2 and _listed_bodies(bodies):
            # (a part may itself list bodies with 、: 请高新区、经开区、各乡镇街道，区成员单位… names four)
            found.extend(p for b in bodies for p in split_parties(b) if p not in found)
    for m in r.partner.finditer(text):
        phrase = _clean(m.group("p"))
        if found and _is_org(phrase):
            found.extend(p for p in split_parties(phrase) if p not in found)
    for m in r.extra_subject.finditer(text):
        phrase = _clean(m.group("p"))
        if _is_org(phrase) and phrase not in found:
            found.append(phrase)
    if not found:
        # (a body that must act enforces the prohibition: 各地要…严禁任何组织或个人… names 各地 alone)
        found.extend(dict.fromkeys(m.group("p") for m in r.anyone.finditer(text)))
    return found


def requested_bodies(text: str) -> list[str]:
    """The bodies a sentence opening with a request addresses (请各乡镇（街道）、各相关单位…): in a
    notice they stay the addressees of the paragraph's later orders without a body of their own, even
    after a sentence that names another body (…有关部门要…。压实转移避险责任… is still theirs)."""
    m = party_rules().request.match(text)
    if not m or not text.startswith("请"):
        return []
    phrase = _clean(m.group("p"))
    return split_parties(phrase) if _is_org(phrase) else []


def cell_bodies(cell: str) -> list[str]:
    """The bodies a task table's responsibility cell names (县水利局、各乡镇 / 农村办 规划建设办 国土所):
    in that column every name is a body, however it ends."""
    return [b for b in (re.sub(r"等$", "", _clean(x.strip())) for x in re.split(r"[、，,；;\s]+|和|及", cell)) if len(b) >= 2]


def answerable_bodies(text: str) -> list[str]:
    """The bodies a line of its own names as answering for the item before it (（责任单位：县安委办；
    治理时限：2022年11月） / 牵头单位：县应急局、县住建局); [] for any other sentence."""
    m = party_rules().responsible.match(re.sub(r"^[（(\s]+", "", text))
    return _named_bodies(m.group("p")) if m else []


def names_time_limit(text: str) -> bool:
    """Whether a line gives the time an item is due, as its attribution line does (治理时限：2022年11月）)."""
    return bool(party_rules().time_limit_line.match(text))


def _named_bodies(listing: str) -> list[str]:
    """The bodies of a 责任单位 line's list (县安委办、县应急局和县住建局), each a party: a zone or place the line
    names among them (大英经开区, 各镇) answers for the task as they do."""
    return [b for b in (_clean(x) for x in re.split(r"[、，,]|和|及", listing))
            if b and (_is_org(b) or _is_place(b))]


def speaks_in_own_voice(title: str) -> bool:
    """Whether a document titled ``title`` speaks for itself throughout (a government work report), so
    that no sentence's subject carries to the next."""
    return bool(party_rules().own_voice_title.search(title))


def binds_anyone(phrase: str) -> bool:
    """任何单位和个人: a prohibition's universal addressee, which the sentences after it do not continue
    (禁止任何单位或者个人燃放…。禁止携带烟花爆竹搭乘公共交通工具。 names no body in the second)."""
    return bool(party_rules().anyone.match(phrase))


def breaks_thread(text: str) -> bool:
    """A sentence that opens a new thread does not inherit the previous subject."""
    return bool(party_rules().breaks.match(text))
