"""The document kind a trained model reads, for pages the kind rules cannot place.

The rules of ``models/metadata.toml`` (the title's words, the body's opening) place most pages; a page
that shows no title and opens with no cue they know used to be ``other``. The annotators of every page
set, following the annotation guide, gave none of some 700 pages that kind: each is a speech, notice,
plan, report or news item (one an interview). ``models/kind_clf.json`` is a logistic regression over the character
n-grams of the title and the body's opening, trained on the annotated ``tune`` pages
(``scripts/train_kind.py``); it is asked only where the rules give up. Kept as plain data (vocabulary,
idf, coefficients), like the directive classifier, so that parsing needs neither scikit-learn nor
pickle.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import MODELS_DIR, read_json_model

MODEL_PATH = MODELS_DIR / "kind_clf.json"
HEAD_CHARS = 600          # how much of the body's opening the model reads (a page's excerpt is ~600-1000)
NGRAM_RANGE = (1, 3)


def kind_text(title: str | None, paragraphs: list[str], head_chars: int = HEAD_CHARS) -> str:
    """What the model reads: the title and the opening of the body, in the analysis form the metadata
    rules read (the caller passes both converted). Only the paragraphs the opening reaches are joined: a
    work report's body runs to tens of thousands of characters."""
    head, size = [], 0
    for para in paragraphs:
        if size > head_chars:      # (what is joined so far already fills the opening)
            break
        head.append(para)
        size += len(para) + 1
    return (title or "") + "\n" + "\n".join(head)[:head_chars]


WHITE_RUNS = re.compile(r"\s\s+")


def char_ngrams(text: str, lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1]) -> list[str]:
    """Character n-grams as scikit-learn's ``analyzer="char"`` makes them (``lowercase=False``): a run of
    two or more white-space characters becomes one space, a single one stays as it is."""
    flat = WHITE_RUNS.sub(" ", text)
    return [flat[i:i + n] for n in range(lo, hi + 1) for i in range(len(flat) - n + 1)]


@dataclass
class KindModel:
    vocabulary: dict[str, int]
    idf: list[float]
    classes: list[str]
    coef: list[list[float]]        # one row per class
    intercept: list[float]
    head_chars: int = HEAD_CHARS

    def scores(self, text: str) -> dict[str, float]:
        """Each kind's decision value for ``text`` (sublinear tf-idf, L2-normed, as scikit-learn computes it)."""
        counts = Counter(g for g in char_ngrams(text) if g in self.vocabulary)
        weights = {self.vocabulary[g]: (1.0 + math.log(c)) * self.idf[self.vocabulary[g]] for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {kind: b + sum(row[j] * w for j, w in weights.items()) / norm
                for kind, row, b in zip(self.classes, self.coef, self.intercept)}

    def kind(self, title: str | None, paragraphs: list[str]) -> str:
        scores = self.scores(kind_text(title, paragraphs, self.head_chars))
        return max(scores, key=scores.__getitem__)

    def to_json(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=4)
def _load(path: str) -> KindModel | None:
    data = read_json_model(Path(path))
    return None if data is None else KindModel(**data)


def load_kind_model() -> KindModel | None:
    """The trained model, or None where none was trained (the rules' ``other`` then stands)."""
    return _load(str(MODEL_PATH))
