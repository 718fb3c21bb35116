"""Whether a directive is work safety in the project's broad sense (spec directives.md §2).

A provincial work report gives 200–360 directives and one in fifteen is about
safety; staff reading the ledger want those. The decision is read from data
(``models/safety.toml``) in three steps:

1. a safety document (its title or meeting names safety work: 安全生产, 防汛,
   消防 …) makes every directive in it a safety one;
2. else a strong word in the sentence or its nearest heading decides
   (隐患排查, 应急预案, 防汛, 本质安全 …), after the words for other kinds of
   security are blanked (粮食安全, 金融安全, 食品安全 …);
3. else the plain word 安全 (or 风险, 整治) together with a sector that is not
   also an economic word (消防, 危险化学品 … but not 农业 or 公路) decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import lexicon
from .sectors import find_sectors


@dataclass(frozen=True)
class _Rules:
    strong: re.Pattern[str]
    other: re.Pattern[str]
    with_sector: re.Pattern[str]
    weak_sectors: frozenset[str]
    document: re.Pattern[str]
    general_report: re.Pattern[str]
    document_share: float             # of a body's sentences that make it a safety document
    document_share_min_chars: int     # shorter sentences are not counted


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = lexicon.load("safety")
    return _Rules(
        strong=re.compile(lexicon.alternation(data["strong"])),
        other=re.compile(lexicon.alternation(data["other_security"])),
        with_sector=re.compile(lexicon.alternation(data["with_sector"])),
        weak_sectors=frozenset(data["weak_sectors"]),
        document=re.compile(lexicon.alternation(data["document"])),
        general_report=re.compile(lexicon.alternation(data["general_report"])),
        document_share=float(data["document_share"]),
        document_share_min_chars=int(data["document_share_min_chars"]),
    )


def _blank_other(text: str) -> str:
    """``text`` with the words for other kinds of security blanked out (same length)."""
    return _rules().other.sub(lambda m: "　" * len(m.group()), lexicon.simplify(text))


def body_is_safety(sentences: Iterable[str]) -> bool:
    """A document whose body speaks of safety work in a large share of its sentences (``document_share``
    in ``models/safety.toml``): a safety page whose title does not say so (none shown, 通知, 纪要)."""
    rules = _rules()
    counted = safe = 0
    for sentence in sentences:
        if len(sentence) >= rules.document_share_min_chars:
            counted += 1
            safe += bool(rules.strong.search(_blank_other(sentence)))
    return counted > 0 and safe >= rules.document_share * counted


def document_is_safety(meta: dict, sentences: Iterable[str] = ()) -> bool:
    """A safety speech, notice or plan: its title or meeting names safety work (other kinds of
    security blanked first, so 网络安全宣传周 is not one), or its body's ``sentences`` speak of safety
    work throughout (``body_is_safety``; read only when the title and meeting do not decide) and it is
    no government's work report."""
    rules = _rules()
    for key in ("title", "meeting"):
        value = meta.get(key) or ""
        if value and rules.document.search(_blank_other(value)):
            return True
    if rules.general_report.search(lexicon.simplify(meta.get("title") or "")):
        return False
    return body_is_safety(sentences)


def is_safety(text: str, headings: list[str] | tuple[str, ...] = (), safety_document: bool = False) -> bool:
    """Is the task of ``text`` (under ``headings``, nearest last) work safety?"""
    rules = _rules()
    own = _blank_other(text)
    if safety_document:
        # In a safety meeting's news, a task that is only food safety or public order is still not
        # work safety (spec §2: 食品安全, 治安 are false unless safety work is ordered too): blanking
        # changed the text when it named other security.
        return own == lexicon.simplify(text) or bool(rules.strong.search(own))
    near = _blank_other(headings[-1]) if headings else ""
    if rules.strong.search(own) or (near and rules.strong.search(near)):
        return True
    if rules.with_sector.search(own):
        sectors = set(find_sectors(own))
        return bool(sectors - rules.weak_sectors)
    return False
