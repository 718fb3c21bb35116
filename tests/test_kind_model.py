"""The document-kind model: read as scikit-learn reads it, asked only where the kind rules give up."""

from __future__ import annotations

import pytest

import pipeline.parse.kind_model as kind_model
from pipeline.parse.metadata import find_kind, rule_kind

# Invented openings, a few of each kind, as a page without a title would show them.
TRAINING = [
    ("speech", "刚才，几位同志分别作了发言，我完全同意。下面，我再讲几点意见。"),
    ("speech", "今天召开这次会议，主要任务是分析形势、部署工作。下面，我讲三点意见。"),
    ("speech", "刚才，县应急局通报了今年以来的情况，讲得很好，我完全同意，请大家抓好落实。"),
    ("news", "记者从县应急管理局获悉，近期该局组织执法人员深入企业开展安全检查。"),
    ("news", "记者近日从市消防救援支队获悉，该支队组织开展了高层建筑消防安全检查。"),
    ("news", "通讯员从区住建局获悉，该局近期组织人员对在建工地开展了安全检查。"),
    ("report", "今年以来，我镇共排查隐患126处，已整改到位119处，整改率94.4%。"),
    ("report", "今年以来，我局共检查企业58家，发现隐患212项，已整改203项，整改率95.8%。"),
    ("report", "一年来，我街道共开展安全检查46次，排查隐患97处，已全部整改到位。"),
]


def _fitted():
    """The training script's module, a model it fitted on TRAINING, and the texts it read."""
    pytest.importorskip("sklearn")
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("train_kind", Path(__file__).resolve().parents[1] / "scripts" / "train_kind.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts = [kind_model.kind_text(None, [t]) for _, t in TRAINING]
    return module, module.fit(texts, [k for k, _ in TRAINING]), texts


def test_the_kept_model_reads_as_scikit_learn_does():
    """The JSON model (no scikit-learn at parse time) gives scikit-learn's decision values."""
    module, model, texts = _fitted()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=kind_model.NGRAM_RANGE, sublinear_tf=True, min_df=2,
                          lowercase=False, max_features=module.MAX_FEATURES)
    x = vec.fit_transform(texts)
    clf = LogisticRegression(C=module.C, max_iter=3000, class_weight="balanced").fit(x, [k for k, _ in TRAINING])
    probe = kind_model.kind_text("区应急局", ["记者从区应急局获悉，今年以来共检查企业32家。\n下面，我讲两点意见。"])
    expected = dict(zip(clf.classes_, clf.decision_function(vec.transform([probe]))[0]))
    got = model.scores(probe)
    assert set(got) == set(expected)
    for kind, value in expected.items():
        assert got[kind] == pytest.approx(value, abs=1e-4)


def test_the_model_is_asked_only_where_the_rules_give_up(monkeypatch):
    _, model, _ = _fitted()
    monkeypatch.setattr(kind_model, "load_kind_model", lambda: model)
    untitled = ["今年以来，我乡共排查隐患88处，已整改到位80处，整改率90.9%。"]
    assert rule_kind(None, untitled) == "other"
    assert find_kind(None, untitled) == "report"
    # a title the rules read keeps their kind, whatever the model would say
    assert find_kind("关于做好汛期安全工作的通知", untitled) == "notice"


def test_without_a_model_the_rules_other_stands(monkeypatch):
    monkeypatch.setattr(kind_model, "load_kind_model", lambda: None)
    assert find_kind(None, ["今年以来，我乡共排查隐患88处，已整改到位80处。"]) == "other"


def test_the_shipped_model_loads_and_places_plain_openings():
    model = kind_model.load_kind_model()
    assert model is not None
    assert {"news", "notice", "plan", "report", "speech"} <= set(model.classes) <= {"news", "notice", "plan", "report", "speech", "other", "interview"}
    assert model.kind(None, ["刚才，几位同志分别作了发言，讲得都很好，我完全同意。下面，我就做好今年的安全生产工作再强调几点意见。"]) == "speech"
    assert model.kind(None, ["记者从县应急管理局获悉，近期该局组织执法人员深入企业开展安全检查，共检查企业32家。"]) == "news"
