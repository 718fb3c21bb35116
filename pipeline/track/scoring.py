"""Turning the matcher's features into one score: hand-set rules, or a logistic model.

Both read the same features (``match.FEATURES``). The rule weights and
thresholds are data (``models/track_match.toml``); the model is trained on the
labelled demo pairs by ``train.py`` and kept as plain JSON
(``models/track_model.json``). ``track_match.toml`` says which one runs; the
figures that decided it are in the model's card and in the final report of the
stage (rules won on both the demo pairs and the dev report pairs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import MODELS_DIR, load_toml

FEATURES = ("cont", "clause_cont", "clause_pair", "head", "rev", "quoted", "figures", "rare", "sector",
            "place_missing", "cos")
# Read in a second stage, only for the pairs that may still reach the threshold.
LATE_FEATURES = ("clause_pair", "quoted", "figures", "sector", "place_missing")
MODEL_PATH = MODELS_DIR / "track_model.json"


def rule_weights() -> dict[str, float]:
    w = load_toml("track_match.toml")["rule_weights"]
    return {k: float(w.get(k, 0.0)) for k in FEATURES}


def rule_score(f: dict[str, np.ndarray | float]) -> np.ndarray | float:
    """The hand-set score: a weighted sum of the features."""
    w = rule_weights()
    return sum(w[k] * f[k] for k in FEATURES)


@dataclass
class LinearModel:
    """A logistic model over the standardised features."""

    coef: list[float]
    intercept: float
    threshold: float
    low_threshold: float
    mean: list[float]
    scale: list[float]

    def score(self, f: dict[str, np.ndarray | float]) -> np.ndarray | float:
        z = self.intercept + sum(c * (f[k] - m) / s for c, k, m, s in zip(self.coef, FEATURES, self.mean, self.scale))
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path = MODEL_PATH, card: dict | None = None) -> None:
        data = {"features": list(FEATURES), "coef": self.coef, "intercept": self.intercept,
                "threshold": self.threshold, "low_threshold": self.low_threshold, "mean": self.mean,
                "scale": self.scale, "card": card or {}}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The trained model, or None when missing or trained on other features."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        return None
    return LinearModel(data["coef"], data["intercept"], data["threshold"], data["low_threshold"], data["mean"],
                       data["scale"])


@dataclass(frozen=True)
class Scorer:
    """Rules or model, with the thresholds evidence must reach.

    ``threshold`` admits any sentence; ``low_threshold`` admits the best
    sentence of a later document that reports on the task, and its best one
    that orders it again: a document usually speaks of a task once in each
    role, sometimes in few of its words.
    """

    kind: str               # "rules" | "model"
    threshold: float
    low_threshold: float

    def score(self, f: dict[str, np.ndarray | float]) -> np.ndarray | float:
        model = load_model() if self.kind == "model" else None
        return model.score(f) if model is not None else rule_score(f)


def rules_scorer() -> Scorer:
    cfg = load_toml("track_match.toml")
    return Scorer("rules", float(cfg["rule_threshold"]), float(cfg["rule_low_threshold"]))


def model_scorer() -> Scorer | None:
    model = load_model()
    return Scorer("model", model.threshold, model.low_threshold) if model is not None else None


def default_scorer() -> Scorer:
    """The scorer ``track`` and ``followup`` use (``models/track_match.toml`` says which)."""
    if load_toml("track_match.toml").get("scorer", "rules") == "model":
        return model_scorer() or rules_scorer()
    return rules_scorer()
