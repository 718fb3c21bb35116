"""Follow-ups by outcome: a later report of the figure a task is measured by.

A review reports work on safety by its result as often as by the work: 事故起数、
死亡人数分别下降4.3%、5.6% is what became of 深化安全生产治本攻坚, and 36起成功避险
of 强化防灾减灾救灾体系建设 — sentences that share almost no words with the task,
so the text matcher cannot find them. The outcome indicators (``models/
track_links.toml``) say which directives an outcome figure measures and how a
later sentence reports it; this module links the two, for reports of the same
government only (a province's accident figures say nothing of another's
campaign).

A sentence's indicators are read when it is indexed (``reported``, a bit per
indicator, kept in the store with its terms); a directive's when it is
matched (``aimed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import numpy as np

from ..parse.patterns import joined
from ..parse.textnorm import analysis_form, to_simplified
from ..resources import load_toml
from .status import Context, evidence_status

MAX_INDICATORS = 16          # bits of the per-sentence mask (uint16)


@dataclass(frozen=True)
class Indicator:
    name: str
    aims: re.Pattern[str]
    goals: re.Pattern[str] | None
    reports: re.Pattern[str]


@dataclass(frozen=True)
class OutcomeConfig:
    indicators: tuple[Indicator, ...]
    score: float
    per_document: int
    per_directive: int


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    return joined(patterns) if patterns else None


@lru_cache(maxsize=1)
def config() -> OutcomeConfig:
    data: dict[str, Any] = load_toml("track_links.toml")["outcome"]
    items = tuple(Indicator(i["name"], _union(i["aims"]), _union(i.get("goals", [])), _union(i["reports"]))
                  for i in data.get("indicators", []))
    if len(items) > MAX_INDICATORS:
        raise ValueError(f"track_links.toml: at most {MAX_INDICATORS} outcome indicators, found {len(items)}")
    return OutcomeConfig(items, float(data["score"]), int(data["per_document"]), int(data["per_directive"]))


def reported(form: str) -> int:
    """The indicators a sentence (analysis form) reports, as a bit mask."""
    mask = 0
    for bit, ind in enumerate(config().indicators):
        if ind.reports.search(form):
            mask |= 1 << bit
    return mask


def aimed(form: str) -> tuple[int, int]:
    """(the indicators a directive is measured by, those it sets as its target), as bit masks."""
    aims = goals = 0
    for bit, ind in enumerate(config().indicators):
        if ind.aims.search(form) or (ind.goals is not None and ind.goals.search(form)):
            aims |= 1 << bit
        if ind.goals is not None and ind.goals.search(form):
            goals |= 1 << bit
    return aims, goals


def government(place: str | None, level: str | None) -> str | None:
    """Whose document it is, as far as the meta says: its place (in simplified characters: a traditional
    re-host's 東海縣 is 东海县's), or the nation for a national one."""
    if place:
        return to_simplified(place)
    return "全国" if level == "国家" else None


def same_government(a: str | None, b: str | None, strict: bool) -> bool:
    """Both known and equal; with ``strict`` off, an unknown side is given the benefit of the doubt
    (``followup`` reads the later documents its caller named)."""
    if a is None or b is None:
        return not strict
    return a == b


@dataclass
class OutcomeLink:
    query: int                # position of the query in the list given
    row: int                  # index row of the later sentence
    status: str


def outcome_links(index: Any, queries: list[Any], row_mask: np.ndarray | None, form_of: Callable[[int], str],
                  strict: bool) -> list[OutcomeLink]:
    """Per directive that an indicator measures, the later sentences of its government reporting it.

    ``index`` is a built ``SentenceIndex`` (``outcome`` per row, ``doc_government`` per document),
    ``queries`` the ``link.Query`` s, ``form_of(row)`` a sentence's analysis form. The most recent
    documents come first; at most ``per_document`` sentences per document (the first in it) and
    ``per_directive`` in all. The filters are array operations over the few rows that report an
    indicator at all, so a store of a million sentences costs what its reports of figures cost.
    """
    cfg = config()
    if not cfg.indicators or not len(index.outcome):
        return []
    usable = (index.outcome > 0) & (index.context_of_row != int(Context.FORWARD))
    if row_mask is not None:
        usable &= row_mask
    rows = np.flatnonzero(usable)
    if not len(rows):
        return []
    rows = rows[np.lexsort((rows, -index.date[rows]))]          # most recent documents first
    codes: dict[str, int] = {}
    doc_code = np.array([codes.setdefault(g, len(codes)) if g is not None else -1 for g in index.doc_government],
                        dtype=np.int64)
    row_code = doc_code[index.doc_of_row[rows]]
    row_bits = index.outcome[rows].astype(np.int64)
    row_date = index.date[rows]
    worded: dict[int, str] = {}
    out: list[OutcomeLink] = []
    for qi, q in enumerate(queries):
        aims, goals = aimed(analysis_form(q.text))
        if not aims:
            continue
        keep = ((row_bits & aims) > 0) & (row_date > q.date)
        code = codes.get(q.government, -1) if q.government is not None else -1
        if strict:
            keep &= (row_code == code) & (code >= 0) if q.government is not None else np.zeros(len(rows), bool)
        elif q.government is not None:
            keep &= (row_code == code) | (row_code == -1) | (code == -1)
        per_doc: dict[int, int] = {}
        taken = 0
        for row in rows[keep].tolist():
            d = int(index.doc_of_row[row])
            if per_doc.get(d, 0) >= cfg.per_document:
                continue
            if row not in worded:
                form = form_of(row)
                worded[row] = evidence_status(form, [form], Context(int(index.context_of_row[row])))
            if worded[row] == "mentioned":          # 确保事故起数下降: a target ordered, not a result
                continue
            met = goals & int(index.outcome[row])
            out.append(OutcomeLink(qi, row, "done" if met else "in_progress"))
            per_doc[d] = per_doc.get(d, 0) + 1
            taken += 1
            if taken >= cfg.per_directive:
                break
    return out
