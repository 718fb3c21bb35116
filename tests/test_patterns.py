"""The rule patterns' fast paths (``pipeline/parse/patterns.py``) match exactly what the patterns match.

A prefilter may only skip text the pattern cannot match: every rule pattern kept as data is run
behind its prefilter and plainly over every line and sentence of the demo corpus and a list of
invented sentences of every kind, and the two must give the same match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.parse.boilerplate import rules as furniture_rules
from pipeline.parse.patterns import AnyOf, Prefiltered, required_literals, union
from pipeline.parse.textnorm import analysis_form
from pipeline.resources import load_toml

from .conftest import ROOT
from .test_extract_fast_paths import SENTENCES

MORE = [
    "据预报，未来三天将有强降雨，各地要做好防范。",
    "今年以来，全县共开展检查120次，排查隐患360处，已全部整改。",
    "上一篇：关于做好防汛工作的通知",
    "责任单位：县应急局、县住建局；完成时限：2024年6月底前",
    "县应急局会同县消防救援大队开展联合检查。",
    "各乡镇（街道）、县直各部门：",
    "任何单位和个人不得在林区野外用火。",
    "下一步，我局将继续加强督导检查。",
    "（记者 张三 通讯员 李四）",
    "浏览次数：1024",
]


def _texts() -> list[str]:
    texts = list(SENTENCES) + MORE
    for path in sorted((ROOT / "corpus" / "demo").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            view = analysis_form(line)
            texts += [line, view, view.replace(" ", "")]
            texts += [s for s in re.split(r"(?<=[。；！？])", view) if s]
    return texts


TEXTS = _texts()


def _rule_patterns() -> list[tuple[str, str]]:
    """(name, source) of every rule pattern the fast paths serve."""
    out = []
    directives = load_toml("directives.toml")
    for name in ("obligation", "action", "attitude", "past", "reported", "threat", "other", "duty_only"):
        out += [(name, p) for p in directives[name]["patterns"]]
    for name, group in directives.get("never", {}).items():
        out += [(f"never.{name}", p) for p in group["patterns"]]
    out += [("action", p) for p in directives["action"]["patterns"]]
    parties = load_toml("parties.toml")
    out += [(f"parties.{k}", v) for k, v in parties.items() if isinstance(v, str)]
    furniture = load_toml("boilerplate.toml")
    out += [(f"furniture.{k}", p) for k in ("drop", "blurb", "spam_terms") for p in furniture[k]]
    return out


@pytest.mark.parametrize(("name", "source"), _rule_patterns())
def test_a_prefiltered_rule_pattern_finds_what_the_pattern_finds(name: str, source: str) -> None:
    try:
        plain = re.compile(source)
    except re.error:
        pytest.skip(f"{name}: not a pattern on its own")
    fast = Prefiltered.of(plain)
    for text in TEXTS:
        a, b = plain.search(text), fast.search(text)
        assert (a and a.span()) == (b and b.span()), (name, text)
        a, b = plain.match(text), fast.match(text)
        assert (a and a.span()) == (b and b.span()), (name, text)
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)], (name, text)


def test_the_rule_patterns_mostly_have_a_prefilter() -> None:
    """The speed-up is real only if most patterns need some word: a change to the analysis that
    made it give up on everything would still pass the test above."""
    worded = [source for _, source in _rule_patterns() if re.escape(source) != source]   # not one plain string
    with_filter = [source for source in worded if isinstance(Prefiltered.of(re.compile(source)), Prefiltered)]
    assert len(with_filter) >= 0.6 * len(worded)
    assert Prefiltered.of(re.compile("排查")).pattern == "排查"   # a plain string is its own test


@pytest.mark.parametrize(("pattern", "needs"), [
    ("据预测", {"据预测"}),
    ("预计|据预报", {"预计", "据预报"}),
    ("(?:开展|进行)了", {"开展", "进行"}),               # two strings of two beat one of one
    ("[要需]加强", {"加强"}),
    ("要(?:立即|马上)?整改", {"整改"}),
    ("(?:上午|下午)?\\d+时", {"时"}),                  # the optional part and the digits require nothing
    ("(?!.*严禁)检查", {"检查"}),                      # a negative lookahead requires nothing
    ("(?=.*开展了)", {"开展了"}),                       # a positive one does
    ("(?<=要求)整改", {"整改"}),                        # a lookbehind's words may stand before a start position
    ("(?:召开)+", {"召开"}),
    ("(?:召开)*", None),
    ("[^。]{2,10}", None),
    ("[一二三]是", {"是"}),                            # of two single characters, the one string
    ("\\d+[日号]?", None),
])
def test_what_a_pattern_requires(pattern: str, needs: set[str] | None) -> None:
    assert required_literals(pattern) == (frozenset(needs) if needs is not None else None)


def test_a_longer_required_string_that_holds_a_shorter_one_adds_nothing() -> None:
    assert required_literals("预测|据预测|预测到") == frozenset({"预测"})


def test_ignorecase_patterns_are_not_prefiltered() -> None:
    assert required_literals(re.compile("abc", re.IGNORECASE)) is None
    assert not isinstance(Prefiltered.of(re.compile("(?i)abc")), Prefiltered)


def test_a_pattern_that_needs_no_word_is_given_back_as_it_is() -> None:
    plain = re.compile(r"[^。]{2,}\d")
    assert Prefiltered.of(plain) is plain
    fast = Prefiltered.of(re.compile("特此(通知|报告)"))
    assert isinstance(fast, Prefiltered) and fast.pattern == "特此(通知|报告)"
    assert fast.search("现将有关事项特此通知。").span() == (6, 10)
    assert fast.match("特此报告") and not fast.match("现特此报告") and fast.fullmatch("特此通知")
    assert list(fast.finditer("没有")) == []
    behind = Prefiltered.of(re.compile("(?<=要求)各"))
    assert not isinstance(behind, Prefiltered) or behind.search("要求各单位", 2).span() == (2, 3)


def test_the_furniture_groups_answer_as_one_alternation_would() -> None:
    data = load_toml("boilerplate.toml")
    rules = furniture_rules()
    assert isinstance(rules.drop, AnyOf) and isinstance(rules.blurb, AnyOf)
    for key, fast in (("drop", rules.drop), ("blurb", rules.blurb)):
        plain = re.compile("|".join(f"(?:{p})" for p in data[key]))
        for text in TEXTS:
            assert bool(plain.search(text)) == bool(fast.search(text)), (key, text)


def test_union_tries_anchored_alternatives_at_the_start_only() -> None:
    group = union(["^特此(通知|报告)", "现将[^。]{0,20}通知如下"])
    assert group.search("特此通知") and not group.search("我们特此通知")
    assert group.search("现将有关事项通知如下：")


def test_the_rules_module_still_offers_the_union_under_its_old_name() -> None:
    from pipeline.extract import rules

    assert rules._union is union and rules.AnyOf is AnyOf
    assert Path(rules.__file__).name == "rules.py"
