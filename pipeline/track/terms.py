"""The terms a sentence is indexed and matched by: jieba words and character bigrams.

Follow-ups restate a task in other words (建立隐患台账 → 已建立隐患台账3500余项),
so whole words alone miss partial overlaps and character bigrams alone weigh
every fragment the same; both together carry the task's object and action.
Terms are hashed to stable integer ids (crc32) — words into the lower half of
the id space, bigrams into the upper half, so an id says which it is — and each
carries the number of the clause (split at ，；：) it stands in, because a
follow-up usually restates one clause of a long directive. The index stores
these arrays and grows without a vocabulary to keep in step.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

from ..resources import import_jieba, load_toml

HASH_BITS = 22
N_FEATURES = 1 << HASH_BITS
HALF = N_FEATURES >> 1            # ids below: words; from here: bigrams

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:%|万|亿)?")
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,20})[”\"」』]")
CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?：:]")


@lru_cache(maxsize=1)
def _jieba():
    jieba = import_jieba()
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    data = load_toml("track_cues.toml")["match"]
    return frozenset(data["weak_words"]), frozenset(data["stop_chars"])


def weak_words() -> frozenset[str]:
    return _lexicon()[0]


@lru_cache(maxsize=1)
def paraphrases() -> dict[str, str]:
    """Word → the first word of its paraphrase group (``models/track_paraphrase.toml``); empty when off."""
    data = load_toml("track_paraphrase.toml")
    if not data.get("enabled", True):
        return {}
    return {w: group[0] for group in data["groups"] for w in group[1:]}


def canonical(word: str) -> str:
    """The word a paraphrase is indexed as (完善 → 健全): the same task in other words is the same term."""
    return paraphrases().get(word, word)


def _keep(tok: str) -> bool:
    _, stop = _lexicon()
    return len(tok) >= 2 and bool(WORD_CHARS.search(tok)) and not all(c in stop for c in tok)


def words(text: str) -> list[str]:
    """Content words: jieba tokens of two or more characters, or numbers."""
    return [canonical(t) for t in (tok.strip() for tok in _jieba().lcut(text, HMM=True)) if _keep(t)]


def bigrams(text: str) -> list[str]:
    """Character bigrams inside runs of Chinese characters (never across punctuation)."""
    out = []
    for run in CJK_RUN.findall(text):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def word_id(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) % HALF


def bigram_id(gram: str) -> int:
    return HALF + zlib.crc32(gram.encode("utf-8")) % HALF


def is_word(ids: np.ndarray) -> np.ndarray:
    return ids < HALF


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the clauses of a sentence, split at ，；： and the end marks."""
    spans, start = [], 0
    for m in CLAUSE_SPLIT.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentence_terms(text: str) -> tuple[list[int], list[int]]:
    """(term ids, clause number of each) of a sentence in analysis form; a term repeats per clause.

    The sentence is segmented once; tokens never cross the punctuation that
    ends a clause, so each token falls in the clause where it starts.
    """
    spans = clauses(text)
    if not spans:
        return [], []
    ends = [e for _, e in spans]
    per_clause: list[set[int]] = [set() for _ in spans]
    k, pos = 0, 0
    for tok in _jieba().lcut(text, HMM=True):
        while k < len(ends) - 1 and pos >= ends[k]:
            k += 1
        pos += len(tok)
        tok = tok.strip()
        if _keep(tok):
            per_clause[k].add(word_id(canonical(tok)))
    ids, where = [], []
    for k, (s, e) in enumerate(spans):
        found = per_clause[k] | {bigram_id(g) for g in bigrams(text[s:e])}
        ids.extend(found)
        where.extend([k] * len(found))
    return ids, where


def term_ids(text: str) -> set[int]:
    """The distinct term ids of a text (of a string to leave out of a directive, say)."""
    return set(sentence_terms(text)[0])


@lru_cache(maxsize=1)
def weak_ids() -> np.ndarray:
    """Ids of the administrative words (加强, 推进 …) as words and, when two characters long, as bigrams."""
    out = set()
    for w in weak_words():
        out.add(word_id(canonical(w)))
        if len(w) == 2:
            out.add(bigram_id(w))
    return np.array(sorted(out), dtype=np.int64)


def quoted_terms(text: str) -> set[str]:
    """Names in quotation marks (“三查一曝光”, “1351”): the most specific terms a task has."""
    return {m.group(1).strip() for m in QUOTED.finditer(text) if m.group(1).strip()}


def numbers(text: str) -> set[str]:
    """Numbers with their unit marks (90%, 2000, 1.5万): shared targets tie a report to its plan."""
    return {m.group(0) for m in NUMBER.finditer(text) if not re.fullmatch(r"(?:19|20)\d\d", m.group(0))}
