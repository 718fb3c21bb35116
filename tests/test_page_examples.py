"""Annotated pages kept outside the repository teach the classifier (`duban train --pages`)."""

import json

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.extract.page_examples import page_examples

# An invented county notice: two orders, a sentence that has 要 but is the notice's background
# (what the annotators left out), and a page of the test split that must never be read.
PAGE = """关于做好冬春季节森林防火工作的通知
各镇（街道）、县直各部门：
近期我县气温回升，各地要清醒认识到当前防火形势的严峻性。
一、各镇要在3月15日前完成辖区林区用火点排查，建立台账。
二、县应急管理局要组织开展森林防火专项督查，对发现的问题挂牌督办。
特此通知。
"""
GOLD = [
    {"source": "z01.txt", "page": "z01", "split": "tune", "directives": [
        {"text": "各镇要在3月15日前完成辖区林区用火点排查，建立台账。"},
        {"text": "县应急管理局要组织开展森林防火专项督查，对发现的问题挂牌督办。"}]},
    {"source": "z02.txt", "page": "z02", "split": "test", "directives": [{"text": "各村要立即清理可燃物。"}]},
    {"source": "z03.txt", "page": "z03", "split": "tune", "directives": []},
]


def _folders(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "z01.txt").write_text(PAGE, encoding="utf-8")
    (pages / "z02.txt").write_text(PAGE.replace("森林防火", "秸秆禁烧"), encoding="utf-8")
    gold = tmp_path / "extract_news.jsonl"
    gold.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in GOLD), encoding="utf-8")
    return pages, gold


def test_tune_pages_are_labelled_by_their_gold_and_test_pages_never_read(tmp_path):
    pages, gold = _folders(tmp_path)
    found = page_examples(pages, (gold,))
    assert found.pages == 1 and found.missing == ["z03"]
    assert {r["doc"] for r in found.rows} == {"z01"}
    # A short outline item (一、各镇要在3月15日前…) is judged by the rules as a heading: the model is not
    # asked about it, so it is no training sentence.
    assert {r["text"]: r["label"] for r in found.rows} == {
        "近期我县气温回升，各地要清醒认识到当前防火形势的严峻性。": 0,
        "县应急管理局要组织开展森林防火专项督查，对发现的问题挂牌督办。": 1}
    row = next(r for r in found.rows if r["label"])
    assert row["source"] == "page" and row["genre"] == "notice" and isinstance(row["rule_score"], float)


def test_train_with_pages_learns_them_and_says_so(tmp_path, monkeypatch):
    import pipeline.extract.page_examples as pe

    pages, gold = _folders(tmp_path)
    monkeypatch.setattr(pe, "PAGE_GOLD", (gold,))
    model = tmp_path / "clf.json"
    result = CliRunner().invoke(app, ["train", "--out", str(model), "--pages", str(pages)])
    assert result.exit_code == 0, result.output
    assert "学习了已标注网页：1页，2句（1页不在" in "".join(result.output.split())
    card = model.with_suffix(".md").read_text(encoding="utf-8")
    assert "**Real pages**: 2 of the sentences above (1 directives)" in card
    assert "1 tune pages were not in the folder" in card


def test_train_pages_must_be_a_folder(tmp_path):
    result = CliRunner().invoke(app, ["train", "--out", str(tmp_path / "clf.json"), "--pages", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "nope：不是文件夹" in "".join(result.output.split())


def test_the_threshold_is_the_middle_of_the_best_plateau():
    """The out-of-fold F1 is flat over a span of thresholds; its single highest point moves with any
    change in the data, so the threshold is the median of those within the plateau of the best."""
    from pipeline.extract.train import best_threshold

    # F1 is 1 for thresholds in (0.45, 0.51] and loses one sentence in a thousand outside them.
    labels = [1] * 1000 + [1] + [0] * 1000 + [0]
    probs = [0.9] * 1000 + [0.51] + [0.1] * 1000 + [0.45]
    assert best_threshold(labels, probs, plateau=0) == 0.48     # the middle of the exact best: 0.46–0.50
    assert best_threshold(labels, probs, plateau=0.002) == 0.5  # the whole grid 0.20–0.80 is within 0.002
    assert best_threshold(labels, probs, plateau=0.0001) == 0.48
