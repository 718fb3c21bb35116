"""The extractor's shortcuts give what the plain definitions give.

Each shortcut exists for speed alone (``scripts/bench_extract.py``): the rule groups' patterns
anchored at the start are tried once there, the classifier walks a sentence's distinct n-grams
once, and an imperative item counts its actions before jieba tags its first words. Here each is
checked against the plain form on invented sentences of every kind the extractor meets.
"""

from __future__ import annotations

import math
import re

import pytest

from pipeline.extract.classifier import char_ngrams, load_classifier, rule_features
from pipeline.extract.rules import AnyOf, _union, action_count, ruleset, top_level_alternatives, verb_initial

SENTENCES = [
    "特此通知。",
    "专此函达",
    "为有效防范森林火灾，特制定本方案。",
    "各乡镇要在6月底前完成隐患排查整治，建立台账，实行销号管理。",
    "已于5月完成全部整改。",
    "会议要求，各村、各站所：一要压实责任；二要加强巡查。",
    "据预测，今年汛期降雨偏多。",
    "部分企业安全意识薄弱，隐患排查不到位，仍需加强。",
    "请各位领导批评指正。",
    "严禁在林区野外用火。",
    "开展燃气安全专项整治，督促企业落实主体责任。",
    "温馨提示：使用炭火取暖时要注意通风。",
    "下面，我讲三点意见。",
    "三、存在的问题",
    "加强值班值守，严格执行24小时值班和领导带班制度，确保信息畅通。",
    "",
    "   ",
    "（一）强化组织领导",
    "市安委办：现将有关情况报告如下。",
]


@pytest.mark.parametrize(("pattern", "parts"), [
    ("^a|b", ["^a", "b"]),
    ("(a|b)|c", ["(a|b)", "c"]),
    ("[|]|x", ["[|]", "x"]),
    ("[]|]|y", ["[]|]", "y"]),
    ("[^]|]z|w", ["[^]|]z", "w"]),
    (r"\|a|b", [r"\|a", "b"]),
    ("a", ["a"]),
    ("(?:^特此(通知|报告))|(?:^此函$)", ["(?:^特此(通知|报告))", "(?:^此函$)"]),
])
def test_top_level_alternatives(pattern: str, parts: list[str]) -> None:
    assert top_level_alternatives(pattern) == parts


def test_anchored_alternatives_are_tried_at_the_start_only() -> None:
    matcher = _union(["^特此(通知|报告)", "现将[^。]{0,20}通知如下|^此函"])
    assert isinstance(matcher, AnyOf)
    assert matcher.anchored is not None and matcher.anywhere
    assert matcher.search("特此通知。") and matcher.search("此函") and matcher.search("现将有关事项通知如下：")
    assert not matcher.search("我们特此通知。")          # ^ still means the start


def test_unanchored_alternatives_that_open_with_a_character_are_one_alternation() -> None:
    matcher = _union(["现将[^。]{0,20}通知如下|[一二]是要", "特?此|严禁"])
    assert [p.pattern for p in matcher.anywhere] == ["(?:现将[^。]{0,20}通知如下)|(?:严禁)", "(?:[一二]是要)|(?:特?此)"]
    assert matcher.search("二是要加强") and matcher.search("此") and matcher.search("严禁烟火")
    assert not matcher.search("三是加强")


def _plain(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def test_rule_groups_fire_as_one_alternation_would() -> None:
    from pipeline.resources import load_toml

    data = load_toml("directives.toml")
    groups = [data[name]["patterns"] for name in ("obligation", "action", "attitude", "past", "reported",
                                                   "threat", "other", "duty_only")]
    groups += [g["patterns"] for g in data.get("never", {}).values()]
    assert any(_union(g).anchored is not None for g in groups)     # the shortcut is in use
    for patterns in groups:
        fast, plain = _union(patterns), _plain(patterns)
        for text in SENTENCES:
            assert bool(fast.search(text)) == bool(plain.search(text)), (patterns[:2], text)


def _plain_probability(clf, text: str, kind: str | None, headings: list[str], score: float) -> float:
    """The classifier's probability as first written: counts, then weights, then the norm."""
    counts: dict[int, int] = {}
    for gram in char_ngrams(text):
        j = clf.vocabulary.get(gram)
        if j is not None:
            counts[j] = counts.get(j, 0) + 1
    weights = {j: (1 + math.log(c)) * clf.idf[j] for j, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    z = clf.intercept + sum(w / norm * clf.ngram_coef[j] for j, w in weights.items())
    for name, value in rule_features(text, kind, headings, score).items():
        z += clf.feature_coef.get(name, 0.0) * value
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def test_classifier_probability_equals_the_plain_computation() -> None:
    clf = load_classifier()
    if clf is None:
        pytest.skip("no trained classifier in models/")
    repeated = "排查排查排查隐患隐患，整改整改到位到位。"      # n-grams counted more than once
    for text in SENTENCES + [repeated]:
        for kind in (None, "speech", "notice"):
            fast = clf.probability(text, kind, ["一、加强组织领导"], 1.2)
            assert fast == pytest.approx(_plain_probability(clf, text, kind, ["一、加强组织领导"], 1.2),
                                         rel=1e-12, abs=1e-12)


def test_action_count_stops_at_the_cap_with_the_plain_count() -> None:
    rs = ruleset()
    for text in SENTENCES:
        plain = min(rs.action_cap, sum(1 for p in rs.action_patterns if p.search(text)))
        assert action_count.__wrapped__(text) == plain


def test_verb_initial_is_still_read_where_no_action_is_named() -> None:
    from pipeline.extract.rules import is_imperative_item

    # No listed action, so the first word's tag decides.
    text = "压实属地管理责任。"
    assert action_count(text) == 0
    assert is_imperative_item(text, "plan", []) == verb_initial(text)


def test_first_words_are_the_taggers_own_with_or_without_its_hmm_pass() -> None:
    """The dictionary pass answers only where the HMM pass would give the same words; a head that
    opens with characters no dictionary word covers (a name, a rare word) goes to the full tagger."""
    import jieba.posseg as pseg

    from pipeline.extract.rules import first_words

    heads = [text[:12] for text in SENTENCES if text.strip()] + [
        "稳步推进隐患排查治理。", "大力实施安全生产治本攻坚", "切实压实责任", "嵇洪涛要求各村做好巡查",
        "犇犇家庭农场要落实防火措施", "A级景区要加强巡查", "抓紧完成整改", "严",
    ]
    for head in heads:
        full = [(p.word, p.flag) for _, p in zip(range(2), pseg.cut(head))]
        quick = [(p.word, p.flag) for p in first_words(head)]
        assert quick[:1] == full[:1], head
        if full and full[0][1] in ruleset().pos_modifier:
            assert quick[:2] == full[:2], head
