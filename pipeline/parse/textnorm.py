"""The analysis form of a text: simplified characters, no pinyin debris.

The body keeps what the document says (traditional characters included); the
analysis form is what rules, models and search read. It is computed per
sentence on demand, so the body's offsets stay the only offsets there are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Pinyin glosses left by copy-paste from annotated pages: 生產(chǎn), 安全(ān quán).
PINYIN_DEBRIS = re.compile(
    r"[（(]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+(?:\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]+){0,5}\s*[)）]"
)
# A Chinese character (CJK unified ideographs): what a title or an order is written in.
CJK = re.compile(r"[\u4e00-\u9fff]")
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, ships its dictionaries

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters OpenCC turns into another character: their presence turns conversion on."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            source, _, target = line.rstrip("\n").partition("\t")
            if len(source) == 1 and source != target.split(" ")[0]:
                chars.add(source)
    return frozenset(chars)


def has_traditional(text: str) -> bool:
    return not _traditional_chars().isdisjoint(text)


@lru_cache(maxsize=1)
def _phrases_without_traditional() -> re.Pattern[str]:
    """The phrases OpenCC rewrites though they hold no traditional character (反覆 → 反复, 瞭解 → 了解):
    with the traditional characters, all that makes it change a stretch of text."""
    import opencc

    phrases = []
    path = Path(opencc.__file__).parent / "dictionary" / "TSPhrases.txt"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            source, _, target = line.rstrip("\n").partition("\t")
            if source != target.split(" ")[0] and _traditional_chars().isdisjoint(source):
                phrases.append(re.escape(source))
    return re.compile("|".join(phrases))


def _converts(piece: str) -> bool:
    return has_traditional(piece) or _phrases_without_traditional().search(piece) is not None


# Where OpenCC itself cuts a text before it looks phrases up (its separators include these two), so that
# each stretch between them converts alone as it would inside the whole.
CONVERSION_CUT = re.compile(r"([。\n])")


def _is_debris(match: re.Match[str]) -> bool:
    inner = match.group(0)[1:-1].strip()
    return bool(TONE_MARKS.search(inner)) or (inner.islower() and inner.isascii() and len(inner) <= 12
                                             and " " in inner)


def strip_pinyin(text: str) -> str:
    return PINYIN_DEBRIS.sub(lambda m: "" if _is_debris(m) else m.group(0), text)


def readable(text: str | None) -> str | None:
    """The text as staff read it on the page, in the sheet and in a terminal: the document's own script,
    without the pinyin glosses a copy-paste left in it (安全生產(chǎn) → 安全生產). What is stored and what
    ``extract`` prints keep the body's characters, so offsets and the scorers see the document as it is."""
    if not text or "(" not in text and "（" not in text:
        return text
    return strip_pinyin(text)


@lru_cache(maxsize=1)
def _to_traditional():
    from opencc import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=1024)
def to_traditional(text: str) -> str:
    """The traditional spelling OpenCC gives (丰泽区 → 豐澤區): a place filter typed in simplified characters
    also finds a page that writes its place in traditional ones."""
    return _to_traditional().convert(text)


def to_simplified(text: str) -> str:
    """Simplified characters, same length as the input where OpenCC keeps it."""
    if not has_traditional(text):
        return text
    # Only the stretches that hold a character OpenCC changes go through it: a simplified body with one
    # stray traditional character (哪吒, 濛) was converted whole, the slowest step of its parse (measured
    # by scripts/bench_extract.py). Every other stretch would come back as it is.
    convert = _converter().convert
    return "".join(convert(piece) if _converts(piece) else piece for piece in CONVERSION_CUT.split(text))


CACHED_FORM_CHARS = 400   # a sentence or a line is cached; a whole body is not (the cache would hold bodies)


def analysis_form(text: str) -> str:
    """What the extractor and the search index read. A sentence's form is cached: the parser, the rules and
    the classifier each ask for it (measured by scripts/bench_extract.py: ratio 0.41 → 0.43)."""
    if len(text) > CACHED_FORM_CHARS:
        return _analysis_form(text)
    return _cached_analysis_form(text)


def _analysis_form(text: str) -> str:
    return to_simplified(strip_pinyin(text))


@lru_cache(maxsize=16384)
def _cached_analysis_form(text: str) -> str:
    return _analysis_form(text)


@lru_cache(maxsize=1)
def _char_map() -> dict[str, str]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            source, _, target = line.rstrip("\n").partition("\t")
            first = target.split(" ")[0]
            if len(source) == 1 and len(first) == 1:
                table[source] = first
    return table


def _debris_free(original: str) -> tuple[str, list[int]]:
    """``original`` in simplified characters without its pinyin glosses, and for each character left
    its offset in ``original``."""
    kept: list[int] = []
    pos = 0
    for m in PINYIN_DEBRIS.finditer(original):
        if _is_debris(m):
            kept.extend(range(pos, m.start()))
            pos = m.end()
    kept.extend(range(pos, len(original)))
    table = _char_map() if has_traditional(original) else {}
    return "".join(table.get(original[i], original[i]) for i in kept), kept


def as_written(found: str, original: str) -> str:
    """``found`` (read in the analysis form) as it is written in ``original``: the spec's parties are
    surface strings, so a traditional re-host with glosses (各鄉(xiāng)鎮(zhèn)) gives its own
    characters and glosses back, a gloss right after the last character included."""
    if not found or found in original:
        return found
    plain, offsets = _debris_free(original)
    i = plain.find(found)
    if i < 0:
        return found
    start, end = offsets[i], offsets[i + len(found) - 1] + 1
    gloss = PINYIN_DEBRIS.match(original, end)
    if gloss and _is_debris(gloss):
        end = gloss.end()
    return original[start:end]


def place_as_written(place: str, texts: list[str]) -> str:
    """A place found in the analysis form, in the characters of the page that names it (碧山镇 → 碧山鎮),
    without the pinyin glosses a re-host puts after its characters. A place the page does not write
    (a province read from one of its cities) stays as found."""
    original = "\n".join(texts)
    if not has_traditional(original):
        return place
    return strip_pinyin(as_written(place, original))
