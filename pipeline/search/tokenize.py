"""Turning Chinese text into the words that the full-text index holds.

SQLite's own FTS5 tokenizers do not know Chinese words: ``unicode61`` keeps a
whole run of Han characters as one token, so 消防 never matches inside
加强消防安全检查. We segment with jieba in search mode (a long word is indexed
together with the shorter words inside it: 建筑施工 → 建筑, 施工, 建筑施工) and
store the words space-joined in a column that ``unicode61`` then splits on the
spaces. The query goes through the same segmenter, so both sides agree on
where words begin and end (see ``devset.py`` for the measurement that chose
this over the trigram tokenizer).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from ..resources import import_jieba

# Bump when segmentation changes: the index is rebuilt when its stored version differs.
TOKENIZER_VERSION = "jieba-search-1"

_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"[0-9a-z]+|[\u3400-\u9fff\uf900-\ufaff]+|[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _jieba():
    """A jieba tokenizer of the search stage's own, initialised once and quietly, with the sector
    words added. Adding them to jieba's shared default tokenizer would change how every other
    stage segments (tracking's features and its trained model among them) depending on whether
    search had run first in the same process."""
    jieba = import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in _domain_words():
        tokenizer.add_word(word)
    return tokenizer


def _domain_words() -> list[str]:
    """Sector words from the extractor's lexicon, so that 危化品 or 九小场所 stay whole words.

    Read from models/sectors.toml when it is there; the list is part of the
    tokenizer's signature, so a changed lexicon rebuilds the index.
    """
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "models" / "sectors.toml"
    if not path.exists():
        return []
    try:
        import tomllib

        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    words: set[str] = set()
    for terms in (data.get("terms") or {}).values():
        if isinstance(terms, list):
            words.update(t for t in terms if isinstance(t, str) and 2 <= len(t) <= 8)
    return sorted(words)


def signature() -> str:
    """What the index was built with: the version and the added words."""
    digest = hashlib.sha256("\n".join(_domain_words()).encode("utf-8")).hexdigest()[:12]
    return f"{TOKENIZER_VERSION}:{digest}"


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch.lower()


def fold(text: str) -> str:
    """Full-width to half-width, lower case, traditional to simplified — length kept.

    Keeping the length lets a match found in the folded text be highlighted at
    the same offsets in the text as written.
    """
    folded = "".join(_fold_char(c) for c in text)
    from ..parse.textnorm import has_traditional, to_simplified

    if has_traditional(folded):
        simplified = to_simplified(folded)
        if len(simplified) == len(folded):
            return simplified
        return "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded)
    return folded


def words(text: str) -> list[str]:
    """The index words of ``text``: jieba search-mode words, punctuation dropped."""
    jb = _jieba()
    out: list[str] = []
    for run in _SPLIT.findall(fold(text)):
        if not _WORDLIKE.match(run):
            continue
        if run[0].isascii():
            out.append(run)
            continue
        out.extend(w for w in jb.cut_for_search(run, HMM=True) if w.strip())
    return out


def index_text(text: str | None) -> str:
    """The space-joined words stored in the full-text column."""
    return " ".join(words(text or "")) if text else ""


def _finest_tiling(word: str, pieces: set[str]) -> list[str] | None:
    """Cover ``word`` with the most sub-words the indexer also emits (事故隐患 → 事故 隐患)."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, n + 1):
            piece = word[i:j]
            if piece in pieces and (j - i) < n:
                cand = best[i] + [piece]
                if best[j] is None or len(cand) > len(best[j]):
                    best[j] = cand
    return best[n]


def query_words(term: str) -> list[str]:
    """The index words a typed term must all match.

    The term is cut in precise mode; each word is replaced by the smallest
    sub-words that search mode indexes for it, because a word cut whole in the
    query (事故隐患) may have been cut in pieces in the text (重大事故/隐患),
    while its pieces are indexed in both cases.
    """
    jb = _jieba()
    out: list[str] = []
    for run in _SPLIT.findall(fold(term)):
        if not _WORDLIKE.match(run):
            continue
        if run[0].isascii():
            out.append(run)
            continue
        for word in jb.cut(run, HMM=True):
            word = word.strip()
            if not word:
                continue
            pieces = {w for w in jb.cut_for_search(word, HMM=True) if len(w) >= 2}
            tiling = _finest_tiling(word, pieces) if len(word) > 2 else None
            out.extend(tiling or [word])
    seen: set[str] = set()
    return [w for w in out if not (w in seen or seen.add(w))]
