"""The outline of a body: paragraphs, sentences, headings and heading paths.

Sentences follow the rule of ``spec/directives.md``: a sentence runs from just
after the previous 。！？； (or a paragraph start) to the next one, full-width
or ASCII. Headings are recognised by their markers (一、 （一） 1. 一是 一要
首先 …); every sentence carries the path of headings it stands under, which is
how a sentence inherits the sectors and acting bodies of its item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import load_toml

TERMINATORS = "。！？；!?;"
CLOSERS = "”’」』）)】》\"'"
CN_NUM = "一二三四五六七八九十"


def _compile_levels() -> list[tuple[int, re.Pattern[str], bool]]:
    """(level, pattern, paragraph_start_only) from models/outline.toml."""
    data = load_toml("outline.toml")
    return [(int(x["level"]), re.compile(x["pattern"]), bool(x.get("paragraph_start", False)))
            for x in data["marker"]]


_LEVELS: list[tuple[int, re.Pattern[str], bool]] | None = None


def levels() -> list[tuple[int, re.Pattern[str], bool]]:
    global _LEVELS
    if _LEVELS is None:
        _LEVELS = _compile_levels()
    return _LEVELS


@dataclass
class Sentence:
    idx: int
    start: int
    end: int
    para: int
    heading_level: int | None = None
    marker: str = ""
    heading_path: list[str] = field(default_factory=list)
    front: bool = False      # title deck / front matter before the first prose paragraph
    toc: bool = False        # inside an outline block (【提纲】) that repeats the body's headings


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        is_end = ch in TERMINATORS
        if ch == "." and 0 < i < n - 1 and not text[i - 1].isdigit() and "\u4e00" <= text[i - 1] <= "\u9fff":
            is_end = True
        if ch == "…" and text[i:i + 2] == "……" and (i + 2 >= n or text[i + 2] in CLOSERS + " "):
            i += 1
            is_end = True
        if is_end:
            j = i + 1
            while j < n and (text[j] in CLOSERS or text[j] in TERMINATORS):
                j += 1
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def heading_of(sentence: str, at_paragraph_start: bool) -> tuple[int | None, str]:
    """(level, marker) when the sentence opens with an outline marker."""
    for level, pattern, para_only in levels():
        if para_only and not at_paragraph_start:
            continue
        m = pattern.match(sentence)
        if m:
            return level, m.group(0)
    return None, ""


@lru_cache(maxsize=1)
def _toc_rules() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    """The outline block's label, the line that closes a preview, and how far it may run."""
    config = load_toml("outline.toml")
    return re.compile(config["toc"]), re.compile(config["toc_block_end"]), int(config["toc_block_max"])


@lru_cache(maxsize=1)
def _label_line() -> re.Pattern[str]:
    """A short label-and-value line (治理时限：2022年8月）): never a bare heading."""
    return re.compile(load_toml("outline.toml")["not_bare_heading"])


def toc_blocks(paragraphs: list[str]) -> set[int]:
    """Paragraphs of outline previews that run over several paragraphs: from a short label (目录/提纲:……)
    to the line of dots that closes it."""
    marker, end, limit = _toc_rules()
    out: set[int] = set()
    for i, para in enumerate(paragraphs):
        if marker.match(para) and len(para) <= 16:
            close = next((j for j in range(i + 1, min(len(paragraphs), i + 1 + limit)) if end.match(paragraphs[j])), None)
            if close is not None:
                out.update(range(i, close + 1))
    return out


def outline(body: str) -> list[Sentence]:
    """Sentences of ``body`` (paragraphs separated by "\\n") with their heading paths."""
    config = load_toml("outline.toml")
    toc_marker = _toc_rules()[0]
    bare_max, bare_level = int(config["bare_heading_max"]), int(config["bare_heading_level"])
    label_line = _label_line()
    sentences: list[Sentence] = []
    stack: list[tuple[int, str, int]] = []   # (level, text, paragraph where an item heading stood alone)
    offset = 0
    seen_prose = False
    paragraphs = body.split("\n")
    in_block = toc_blocks(paragraphs)
    for para_idx, para in enumerate(paragraphs):
        spans = split_sentences(para)
        is_toc = bool(toc_marker.match(para)) or para_idx in in_block
        prose = len(para) >= 30 or para.rstrip(CLOSERS).endswith(tuple(TERMINATORS))
        front = not seen_prose and not prose
        seen_prose = seen_prose or prose
        # An item (level 4+) heading that shares its paragraph with its body ends with the paragraph.
        stack = [h for h in stack if h[0] < 4 or h[2] == para_idx - 1 or _alone_continues(h, para, spans)]
        for k, (s, e) in enumerate(spans):
            text = para[s:e]
            level, marker = (None, "") if is_toc else heading_of(text, k == 0)
            if (level is None and seen_prose and not front and len(spans) == 1 and len(para) <= bare_max
                    and not para.rstrip(CLOSERS).endswith(tuple(TERMINATORS) + ("：", ":", "…"))
                    and not label_line.match(para)):
                level = bare_level
            sent = Sentence(idx=len(sentences), start=offset + s, end=offset + e, para=para_idx,
                            heading_level=level, marker=marker, front=front, toc=is_toc)
            if level is not None:
                stack = [h for h in stack if h[0] < level]
                sent.heading_path = [h[1] for h in stack]
                alone = len(spans) == 1
                stack.append((level, text, para_idx if alone else -2))
            else:
                sent.heading_path = [h[1] for h in stack]
            sentences.append(sent)
        # Items that stood alone as a paragraph keep scope over the following paragraphs.
        stack = [(lv, t, para_idx if p == para_idx or (lv >= 4 and p >= 0) else p) for lv, t, p in stack]
        offset += len(para) + 1
    return sentences


def _alone_continues(heading: tuple[int, str, int], para: str, spans: list[tuple[int, int]]) -> bool:
    """An item heading that stood alone covers later paragraphs until the next marker."""
    return heading[2] >= 0
