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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import MODELS_DIR, load_toml

FEATURES = ("cont", "clause_cont", "clause_pair", "head", "rev", "quoted", "figures", "rare", "sector",
            "place_missing", "cos")
# Read in a second stage, only for the pairs that may still reach the threshold.
LATE_FEATURES = ("clause_pair", "quoted", "figures", "sector", "place_missing")
PAIR_LATE = LATE_FEATURES + ("run", "focus_run")
MODEL_PATH = MODELS_DIR / "track_model.json"
# The pair model trained on real report pairs (train_real.py) reads these besides FEATURES.
PAIR_EXTRA = ("vec", "head_vec", "pos_gap", "backward", "forward", "run", "focus_run")
PAIR_FEATURES = FEATURES + PAIR_EXTRA
PAIR_MODEL_PATH = MODELS_DIR / "track_pair_model.json"


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
    features: tuple[str, ...] = FEATURES
    report_threshold: float | None = None     # the best report's own low threshold (else low_threshold)

    def score(self, f: dict[str, np.ndarray | float]) -> np.ndarray | float:
        z = self.intercept + sum(c * (f[k] - m) / s
                                 for c, k, m, s in zip(self.coef, self.features, self.mean, self.scale))
        return 1.0 / (1.0 + np.exp(-z))

    def upper_bound(self, f: dict[str, np.ndarray | float], free: tuple[str, ...]) -> np.ndarray | float:
        """The highest score the pairs can reach whatever the ``free`` features (each in [0, 1]) turn out
        to be: pairs below a threshold here need not have those features read."""
        z = self.intercept
        for c, k, m, s in zip(self.coef, self.features, self.mean, self.scale):
            z = z + (max(c * (0.0 - m) / s, c * (1.0 - m) / s) if k in free else c * (f[k] - m) / s)
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path = MODEL_PATH, card: dict | None = None) -> None:
        data = {"features": list(self.features), "coef": self.coef, "intercept": self.intercept,
                "threshold": self.threshold, "low_threshold": self.low_threshold, "mean": self.mean,
                "scale": self.scale, "card": card or {}}
        if self.report_threshold is not None:
            data["report_threshold"] = self.report_threshold
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The trained model, or None when missing or trained on features this matcher does not compute."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not set(data["features"]) <= set(PAIR_FEATURES):
        return None
    return LinearModel(data["coef"], data["intercept"], data["threshold"], data["low_threshold"], data["mean"],
                       data["scale"], tuple(data["features"]), data.get("report_threshold"))


@dataclass(frozen=True)
class Scorer:
    """Rules or model, with the thresholds evidence must reach.

    ``threshold`` admits any sentence; ``low_threshold`` admits the best
    sentence of a later document that reports on the task, and its best one
    that orders it again: a document usually speaks of a task once in each
    role, sometimes in few of its words. ``report_threshold``, when set, is
    the best report's own (a review restates a task in fewer of its words than
    a new order does).
    """

    kind: str               # "rules" | "model" (demo pairs) | "pair" (real pairs, more features)
    threshold: float
    low_threshold: float
    model: LinearModel | None = field(default=None, compare=False, hash=False)   # in hand, else read from file
    report_threshold: float | None = None
    parts: tuple["Scorer", ...] = field(default=(), compare=False, hash=False)   # "combined": their union

    @property
    def report_low(self) -> float:
        return self.low_threshold if self.report_threshold is None else self.report_threshold

    @property
    def floor(self) -> float:
        """The least score any evidence of this scorer may have."""
        return min(self.threshold, self.low_threshold, self.report_low)

    def score(self, f: dict[str, np.ndarray | float]) -> np.ndarray | float:
        model = self.model
        if model is None and self.kind in ("model", "pair"):
            model = load_model(PAIR_MODEL_PATH if self.kind == "pair" else MODEL_PATH)
        return model.score(f) if model is not None else rule_score(f)

    @property
    def wants_pair_features(self) -> bool:
        return self.kind == "pair"


def rules_scorer() -> Scorer:
    cfg = load_toml("track_match.toml")
    return Scorer("rules", float(cfg["rule_threshold"]), float(cfg["rule_low_threshold"]))


def model_scorer() -> Scorer | None:
    model = load_model()
    return Scorer("model", model.threshold, model.low_threshold) if model is not None else None


def pair_scorer(model: LinearModel | None = None) -> Scorer | None:
    """The pair model trained on real report pairs: the one given, else ``models/track_pair_model.json``."""
    model = model or load_model(PAIR_MODEL_PATH)
    return Scorer("pair", model.threshold, model.low_threshold, model, model.report_threshold) \
        if model is not None else None


def combined_scorer(pair: Scorer | None = None) -> Scorer:
    """Rules and the pair model together: evidence either of them selects (rules alone without a model)."""
    pair = pair or pair_scorer()
    rules = rules_scorer()
    if pair is None:
        return rules
    return Scorer("combined", min(rules.threshold, pair.threshold), min(rules.low_threshold, pair.low_threshold),
                  parts=(rules, pair))


def scorer_named(name: str) -> Scorer:
    """``rules``, ``model``, ``pair`` or ``combined``, falling back to the rules where a model file is missing."""
    if name == "combined":
        return combined_scorer()
    if name == "pair":
        return pair_scorer() or rules_scorer()
    if name == "model":
        return model_scorer() or rules_scorer()
    return rules_scorer()


def default_scorer() -> Scorer:
    """The scorer ``track`` and ``followup`` use (``models/track_match.toml`` says which)."""
    return scorer_named(load_toml("track_match.toml").get("scorer", "rules"))
