"""Statuses: of one piece of evidence (from its wording) and of a directive (from its evidence).

A later sentence reports a task done (已完成, 实现, 达到), under way (正在,
持续推进, 完成率94.5%) or orders it again (要, 将, 继续). What decides is read
first in the clause that matches the directive — one sentence often reports
several tasks (全面完成病险水库除险加固 … 加快构建1351防灾体系) — then in the whole
sentence. Where the sentence stands matters as much as its words: in a work
report's section on the coming year every sentence is a new order, whatever
verb it uses (全面完成三年行动任务 there is an order), and in its review every
sentence reports. Cue lexicons are data (``models/track_cues.toml``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from typing import Any

from ..parse.patterns import joined
from ..resources import load_toml

STATUSES = ("done", "in_progress", "mentioned")
RANK = {"done": 3, "in_progress": 2, "mentioned": 1}
LABELS = {"done": "已完成", "in_progress": "推进中", "mentioned": "再部署", "no_evidence": "未见反馈",
          "overdue": "已逾期"}
# What linked a piece of evidence when it was not its words (outcomes.py, lists.py).
VIA_LABELS = {"outcome": "成效指标", "list": "所属清单", "downward": "下级部署"}
YEAR = re.compile(r"(20\d\d)\s*年")
HAS_FIGURE = re.compile(r"\d")
CLAUSE_MARK = re.compile(r"[，,；;：:]")


class Context(IntEnum):
    """Where a sentence stands in its document."""

    NEUTRAL = 0     # no section tells: the wording decides
    BACKWARD = 1    # a review of work done
    FORWARD = 2     # the tasks of the coming period
    SKIP = 3        # a glossary or an appendix: never evidence


@dataclass(frozen=True)
class Cues:
    order: re.Pattern[str]
    order_neutral: re.Pattern[str]
    done: re.Pattern[str]
    in_progress_strong: re.Pattern[str]
    in_progress: re.Pattern[str]
    continuing: re.Pattern[str]
    forward: re.Pattern[str]
    backward: re.Pattern[str]
    skip: re.Pattern[str]
    not_evidence: re.Pattern[str]
    problem: re.Pattern[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = load_toml("track_cues.toml")
    sec = data["sections"]
    return Cues(
        order=joined(data["order"]["patterns"]),
        order_neutral=joined(data["order"]["neutral_only"]),
        done=joined(data["done"]["patterns"]),
        in_progress_strong=joined(data["in_progress"]["strong"]),
        in_progress=joined(data["in_progress"]["patterns"]),
        continuing=joined(data["in_progress"]["continuing"]),
        forward=joined(sec["forward"]),
        backward=joined(sec["backward"]),
        skip=joined(sec["skip"]),
        not_evidence=joined(data["not_evidence"]["patterns"]),
        problem=joined(data["problems"]["patterns"]),
    )


def heading_context(heading: str, doc_year: int | None) -> Context | None:
    """What a heading says about the part it opens; None when it says nothing."""
    c = cues()
    if c.skip.search(heading):
        return Context.SKIP
    fwd, back = bool(c.forward.search(heading)), bool(c.backward.search(heading))
    years = [int(y) for y in YEAR.findall(heading)]
    if fwd != back:
        return Context.FORWARD if fwd else Context.BACKWARD
    if years and doc_year:
        return Context.FORWARD if max(years) >= doc_year else Context.BACKWARD
    return None


def sentence_contexts(heading_paths: list[list[str]], own_headings: list[str | None],
                      doc_year: int | None) -> list[Context]:
    """The context of every sentence of a document, from the headings it stands under.

    A heading without a cue keeps a forward context of the part before it (a
    work report's last chapter on the government's own conduct still looks
    forward: documents review first and plan after, never the other way), but
    not a backward one (a speech's review is followed by its orders).
    """
    out: list[Context] = []
    running = Context.NEUTRAL
    cache: dict[str, Context | None] = {}

    def of(heading: str) -> Context | None:
        if heading not in cache:
            cache[heading] = heading_context(heading, doc_year)
        return cache[heading]

    for path, own in zip(heading_paths, own_headings):
        chain = list(path) + ([own] if own else [])
        ctx = None
        for h in chain:
            ctx = of(h) if of(h) is not None else ctx
        if chain and of(chain[0]) is not None:
            running = Context.FORWARD if of(chain[0]) == Context.FORWARD else Context.NEUTRAL
        out.append(ctx if ctx is not None else running)
    return out


@lru_cache(maxsize=1)
def _figures() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    """The amount pattern, each unit's canonical unit (``same_units``) and the cumulative cues."""
    data = load_toml("track_cues.toml")["figures"]
    units = sorted(data["units"], key=len, reverse=True)
    canonical = {u: group[0] for group in data.get("same_units", []) for u in group}
    amount = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*(?:余|多)?\s*(" + "|".join(map(re.escape, units)) + ")")
    return amount, canonical, joined(data["cumulative"])


def amounts(text: str) -> dict[str, list[float]]:
    """Amounts by unit (更新改造管网4500公里 → {"公里": [4500]}; 1.5万户 → {"户": [15000]}); units that
    count the same things share one key (3.5万套 → {"户": [35000]})."""
    amount, canonical, _ = _figures()
    out: dict[str, list[float]] = {}
    for m in amount.finditer(text):
        value = float(m.group(1)) * {"万": 1e4, "亿": 1e8}.get(m.group(2) or "", 1.0)
        out.setdefault(canonical.get(m.group(3), m.group(3)), []).append(value)
    return out


@dataclass(frozen=True)
class TargetAnswers:
    """What one later sentence says of a directive's targets: for each target it answers (the
    target's clause number and unit), whether the figure meets it."""

    answered: tuple[tuple[tuple[int, str], bool], ...]
    targets: frozenset[tuple[int, str]]     # every target of the directive
    may_finish: bool                        # the directive orders nothing besides its targets


def target_answers(directive: str, sentence: str) -> TargetAnswers | None:
    """The targets of ``directive`` that ``sentence`` answers with a figure; None when it answers none.

    A figure answers a target when it stands in a clause that shares a content word with the
    target's clause and has the same unit (改造老旧小区4000个 ↔ 新开工改造城镇老旧小区4402个): the
    same unit alone (个) would compare schools with projects. A figure summed over years (五年建成…,
    累计…) answers none: a year's target is not met by five years' work.
    """
    from .terms import clauses, weak_words, words

    weak = weak_words()
    if _figures()[2].search(sentence):
        return None

    def parts(text: str) -> list[tuple[set[str], dict[str, list[float]]]]:
        out = []
        for a, b in clauses(text):
            found = amounts(text[a:b])
            if found:
                out.append(({w for w in words(text[a:b]) if w not in weak and not w[0].isdigit()}, found))
        return out

    targets = parts(directive)
    answered: dict[tuple[int, str], bool] = {}
    for k, (d_words, want) in enumerate(targets):
        for s_words, got in parts(sentence):
            if d_words & s_words:
                for u, v in want.items():
                    if u in got:
                        answered[(k, u)] = answered.get((k, u), False) or max(got[u]) >= min(v)
    if not answered:
        return None
    # A figure met does not finish a task that orders more besides its targets and the clause
    # that names it (开展住房安全专项行动，改造老旧小区1.5万户，确保…隐患排查整治到位).
    untargeted = len(clauses(directive)) - len(targets)
    return TargetAnswers(tuple(sorted(answered.items())),
                         frozenset((k, u) for k, (_, want) in enumerate(targets) for u in want),
                         untargeted <= load_toml("track_cues.toml")["figures"]["untargeted_clauses"])


def targets_verdict(answers: list[TargetAnswers]) -> bool | None:
    """Do the figures of one or more sentences of a later document meet the directive's targets?

    False when a target is answered short; True when every target is answered and met and the
    directive orders nothing else beyond the clause that names the work (``untargeted_clauses`` in
    ``models/track_cues.toml``); None otherwise (a directive of several targets is not done because
    one of them is, nor one that also orders 确保…到位 because its figure is met). A review often
    reports a task's targets in separate sentences (改造老旧小区682个、老旧管网7912公里。实施危旧房
    改造3.5万户…), so the answers of several are read together.
    """
    if not answers:
        return None
    met: dict[tuple[int, str], bool] = {}
    for a in answers:
        for key, ok in a.answered:
            met[key] = met.get(key, False) or ok
    if not all(met.values()):
        return False
    if set(met) != answers[0].targets:
        return None
    return True if answers[0].may_finish else None


def weigh_report(status: str, directive: str, sentence: str,
                 context: Context) -> tuple[str, TargetAnswers | None]:
    """A report's status corrected by the figures, and what its figures say of the directive's
    targets (read once: the tracker also reads a document's reports together, ``link.select``).
    A target met is done, one reported short is under way; orders (mentioned, or anything in the
    coming period's tasks) are left as they are and answer no target."""
    if context == Context.FORWARD or status not in ("done", "in_progress"):
        return status, None
    answers = target_answers(directive, sentence)
    met = targets_verdict([answers]) if answers is not None else None
    return (status if met is None else "done" if met else "in_progress"), answers


def never_evidence(sentence: str) -> bool:
    """Thanks, hardships, general shortcomings: sentences no task is followed up by."""
    return bool(cues().not_evidence.search(sentence))


def evidence_status(sentence: str, clauses: list[str], context: Context) -> str:
    """done, in_progress or mentioned, for a later sentence whose ``clauses`` matched the task (best first).

    The whole sentence is read too when it is short (two clauses at most): a
    long one reports several tasks, and 全面完成 of one of them says nothing of
    the others.
    """
    c = cues()
    if context == Context.FORWARD:
        # 持续推进…/深化… in next year's tasks: ordered again, and said to be under way.
        return "in_progress" if any(c.continuing.search(x) for x in clauses[:1]) else "mentioned"
    if c.problem.search(sentence):
        return "mentioned"
    scopes = list(clauses)
    if len(CLAUSE_MARK.split(sentence.rstrip("。；;！!？?"))) <= 2:
        scopes.append(sentence)
    for scope in scopes:
        if c.in_progress_strong.search(scope):
            return "in_progress"
        if c.order.search(scope) or (context == Context.NEUTRAL and c.order_neutral.search(scope)):
            return "mentioned"
        if c.done.search(scope):
            return "done"
    if context == Context.BACKWARD:
        return "in_progress"
    if any(c.in_progress.search(x) for x in clauses) and HAS_FIGURE.search(sentence):
        return "in_progress"
    return "mentioned"


@dataclass
class DirectiveStatus:
    """The derived status of one directive, with its evidence (best first)."""

    status: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    deadline_date: str | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]


def overall_status(evidence_statuses: list[str], deadline_date: str | None, as_of: dt.date) -> str:
    """The strongest status the evidence supports; ``overdue`` once the deadline passed without done."""
    best = max(evidence_statuses, key=RANK.__getitem__, default="no_evidence")
    if best != "done" and deadline_date:
        try:
            if dt.date.fromisoformat(deadline_date) < as_of:
                return "overdue"
        except ValueError:
            pass
    return best
