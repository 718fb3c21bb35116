"""The directive classifier we train: character n-grams plus the rule cues.

Trained by ``duban train`` (``train.py``) with scikit-learn's logistic
regression on the project's own labelled sentences; what is kept in
``models/directive_clf.json`` is plain data — the n-gram vocabulary, idf
weights, coefficients and the threshold chosen by cross-validation — so that
loading it needs no pickle and no scikit-learn, and a model card beside it says
what it was trained on and how well it did.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import MODELS_DIR, read_json_model
from .rules import FAMILIES, action_count, cue_families, is_imperative_item, kind_allows

MODEL_PATH = MODELS_DIR / "directive_clf.json"
NGRAM_RANGE = (1, 3)


def char_ngrams(text: str, lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1]) -> list[str]:
    flat = "".join(text.split())
    return [flat[i:i + n] for n in range(lo, hi + 1) for i in range(len(flat) - n + 1)]


def rule_features(text: str, kind: str | None, headings: list[str], score: float) -> dict[str, float]:
    """The rule evidence as named features the model can weigh."""
    fired = cue_families(text)
    feats = {f"rule:{name}": 1.0 for name in FAMILIES if fired[name] and name != "action"}
    feats["rule:actions"] = float(action_count(text))
    feats["rule:score"] = score
    feats["rule:imperative_item"] = float(is_imperative_item(text, kind, headings))
    feats["rule:kind_allows"] = float(kind_allows(text, kind))
    feats[f"kind:{kind or 'none'}"] = 1.0
    feats["len:short"] = float(len(text) < 20)
    feats["len:long"] = float(len(text) > 120)
    return feats


@dataclass
class DirectiveClassifier:
    vocabulary: dict[str, int]
    idf: list[float]
    ngram_coef: list[float]
    feature_coef: dict[str, float]
    intercept: float
    threshold: float
    # Below this probability the model overrules the rules (None: it never does). Set only when the
    # model has learned from staff rejections, which say what this office does not count as a task.
    veto: float | None = None
    taught: int = 0          # staff corrections it learned from

    def probability(self, text: str, kind: str | None, headings: list[str], score: float) -> float:
        # Sublinear tf-idf over the sentence's n-grams, L2-normed, dotted with the coefficients: as
        # scikit-learn computes it, in one pass over the distinct n-grams (the extractor asks this for
        # every sentence in its band, and this loop is most of what that costs).
        counts = Counter(char_ngrams(text))
        squares = dot = 0.0
        for entry, count in zip(map(self._table().get, counts), counts.values()):
            if entry is not None:
                if count == 1:
                    squares += entry[0] * entry[0]
                    dot += entry[1]
                else:
                    tf = 1.0 + math.log(count)
                    squares += (tf * entry[0]) ** 2
                    dot += tf * entry[1]
        z = self.intercept + dot / (math.sqrt(squares) or 1.0)
        for name, value in rule_features(text, kind, headings, score).items():
            z += self.feature_coef.get(name, 0.0) * value
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def _table(self) -> dict[str, tuple[float, float]]:
        """Each n-gram's idf and its idf times its coefficient, made once per model."""
        table = self.__dict__.get("_by_gram")
        if table is None:
            idf, coef = self.idf, self.ngram_coef
            table = {gram: (idf[j], idf[j] * coef[j]) for gram, j in self.vocabulary.items()}
            self.__dict__["_by_gram"] = table
        return table

    def to_json(self) -> dict:
        return asdict(self)   # the fields only: the n-gram table made on first use is no field


@lru_cache(maxsize=1)
def _load(path: str) -> DirectiveClassifier | None:
    data = read_json_model(Path(path))
    return None if data is None else DirectiveClassifier(**data)


def load_classifier() -> DirectiveClassifier | None:
    """The trained model, or None when none has been trained yet (the rules then decide alone)."""
    return _load(str(MODEL_PATH))
