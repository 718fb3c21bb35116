"""scripts/annotation/relabel_field.py: one field of the gold labelled again, blind, then merged into the gold."""
from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT, shared_file

sys.path.insert(0, str(ROOT / "scripts" / "annotation"))
import relabel_field  # noqa: E402


@pytest.fixture(autouse=True)
def shared_scorer():
    shared_file("eval", "score_extract.py")   # the labels are compared as the shared scorer compares them

CAMPAIGN = {"text": "三年行动", "kind": "period", "date": None}
YEAR_END = {"text": "年底前", "kind": "date", "date": "2025-12-31"}


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_docs():
    return [{"layout": "r25_x", "path": "pairs/x.txt", "directives": [
        {"text": "深化安全生产治本攻坚三年行动。", "deadline": None, "parties": []},
        {"text": "年底前完成燃气管道更新改造。", "deadline": YEAR_END, "parties": []},
        {"text": "各市（州）要加强应急指挥体系建设。", "deadline": None, "parties": ["各市（州）"]}]}]


def test_deadline_agreement_counts_as_the_shared_scorer_does():
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": dict(CAMPAIGN, text="治本攻坚三年行动"),   # wording apart, same kind: agreed
         "r25_x:1": dict(YEAR_END, date="2026-12-31"),        # another date: not agreed
         "r25_x:2": None}
    result = relabel_field.agreement(a, b, "deadline")
    assert result["keys"] == 3 and result["same"] == 2
    assert result["deadline_f1"] == pytest.approx(0.5)


def test_party_agreement_pairs_parties_one_within_the_other_each_used_once():
    a = {"k:0": ["各乡镇（街道）", "各部门"], "k:1": [], "k:2": ["企业"]}
    b = {"k:0": ["各乡镇", "各部门"], "k:1": ["群众"], "k:2": ["企业"]}
    result = relabel_field.agreement(a, b, "parties")
    # tp 3 (各乡镇 within 各乡镇（街道）), fp 1 (群众), fn 0
    assert result["parties_f1"] == round(2 * 3 / (2 * 3 + 1), 3)
    assert result["same"] == 2
    assert relabel_field.party_counts(["企业"], ["企业", "企业"]) == (1, 1, 0)


def test_sheet_lists_only_the_directives_the_two_read_differently():
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": None, "r25_x:1": YEAR_END}
    rows = relabel_field.sheet(a, b, "deadline")
    assert [r["key"] for r in rows] == ["r25_x:0", "r25_x:2"]   # one left unlabelled by B goes too
    assert rows[0]["label_1"] == CAMPAIGN and rows[0]["label_2"] is None


def test_apply_replaces_every_value_and_refuses_a_directive_left_undecided():
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": None, "r25_x:1": YEAR_END, "r25_x:2": None}
    docs, changed = relabel_field.apply(gold_docs(), a, b, {"r25_x:0": CAMPAIGN}, "deadline")
    assert [d["deadline"] for d in docs[0]["directives"]] == [CAMPAIGN, YEAR_END, None]
    assert changed == 1
    with pytest.raises(SystemExit, match="r25_x:0"):
        relabel_field.apply(gold_docs(), a, b, {}, "deadline")
    # a decision made with context the annotators lacked (a stage heading) wins over their agreement
    docs, changed = relabel_field.apply(gold_docs(), a, b, {"r25_x:0": CAMPAIGN, "r25_x:2": YEAR_END}, "deadline")
    assert docs[0]["directives"][2]["deadline"] == YEAR_END and changed == 2
    # parties: only the parties change, the deadlines stay
    same = {"r25_x:0": ["各地"], "r25_x:1": [], "r25_x:2": ["各市（州）"]}
    docs, changed = relabel_field.apply(gold_docs(), same, dict(same), {}, "parties")
    assert [d["parties"] for d in docs[0]["directives"]] == [["各地"], [], ["各市（州）"]]
    assert changed == 1 and docs[0]["directives"][1]["deadline"] == YEAR_END


def test_apply_command_writes_the_new_gold_and_rejects_a_malformed_label(tmp_path, capsys):
    gold = write(tmp_path / "gold.jsonl", gold_docs())
    rows = [{"key": "r25_x:0", "deadline": CAMPAIGN}, {"key": "r25_x:1", "deadline": YEAR_END},
            {"key": "r25_x:2", "deadline": None}]
    a, b = write(tmp_path / "a.jsonl", rows), write(tmp_path / "b.jsonl", rows)
    decisions = write(tmp_path / "d.jsonl", [])
    out = tmp_path / "new.jsonl"
    relabel_field.main(["apply", "deadline", str(gold), str(a), str(b), str(decisions), str(out)])
    assert "1 deadline changed" in capsys.readouterr().out
    new = json.loads(out.read_text(encoding="utf-8"))
    assert new["directives"][0]["deadline"] == CAMPAIGN and new["layout"] == "r25_x"
    bad = write(tmp_path / "bad.jsonl", [{"key": "r25_x:0", "deadline": {"text": "三年", "kind": "span", "date": None}}])
    with pytest.raises(SystemExit, match="unknown kind 'span'"):
        relabel_field.keyed(bad, "deadline")
    bad = write(tmp_path / "bad2.jsonl", [{"key": "r25_x:0", "parties": "各地"}])
    with pytest.raises(SystemExit, match="list of strings"):
        relabel_field.keyed(bad, "parties")
    with pytest.raises(SystemExit, match="unknown field"):
        relabel_field.main(["agree", "sectors", str(a), str(b)])


def test_parties_are_laid_out_with_the_headings_and_sentences_they_may_be_carried_from(tmp_path):
    from pipeline.track.follow import load

    text = ("关于做好冬季消防安全工作的通知\n\n一、压实责任\n"
            "各乡镇要落实属地责任，开展火灾隐患排查。要建立隐患台账，逐项整改销号。\n\n"
            "二、加强宣传\n要组织志愿者开展消防宣传。\n")
    path = tmp_path / "n.txt"
    path.write_text(text, encoding="utf-8")
    doc = load(path).doc
    first, second, third = relabel_field._contexts(doc, [
        "各乡镇要落实属地责任，开展火灾隐患排查。", "要建立隐患台账，逐项整改销号。", "要组织志愿者开展消防宣传。"])
    assert "[标题路径] 一、压实责任" in first and "[前文]" not in first
    assert "[前文] 各乡镇要落实属地责任，开展火灾隐患排查。" in second
    assert "二、加强宣传" in third and "各乡镇" not in third
    # a bare heading number never stands for a directive's sentence
    assert not relabel_field._holds("一、", "一、压实责任各乡镇要落实属地责任")
    assert relabel_field._holds("要建立隐患台账，逐项整改销号。", "要建立隐患台账，逐项整改销号。")


def test_a_pages_deadlines_are_laid_out_under_its_adjudicated_date_and_stage_headings(tmp_path):
    """A page set's gold names its page, not a shared file: the text comes from the restored folder, the date
    from the page's adjudicated metadata, and a deadline layout shows the headings (a plan's stage dates the
    sentences under it); a page not restored is laid out without context."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "x01.txt").write_text("青溪县防汛隐患排查工作方案\n\n一、排查阶段（5月1日—5月31日）\n"
                                   "各乡镇要对山塘水库逐一排查，建立隐患台账，逐项整改销号。\n", encoding="utf-8")
    gold = write(tmp_path / "gold.jsonl", [
        {"layout": "x01", "page": "x01", "meta": {"date": "2024-04-20"},
         "directives": [{"text": "各乡镇要对山塘水库逐一排查，建立隐患台账，逐项整改销号。", "deadline": None}]},
        {"layout": "x02", "page": "x02", "meta": {"date": None},
         "directives": [{"text": "各村要立即转移危险区群众。", "deadline": None}]}])
    relabel_field.lay_out("deadline", gold, tmp_path / "out", 1, {}, pages)
    laid = (tmp_path / "out" / "chunk1.txt").read_text(encoding="utf-8")
    assert "# 文档 x01 — page x01 — 参照日期 2024-04-20" in laid
    assert "[标题路径] 一、排查阶段（5月1日—5月31日）" in laid and "[前文]" not in laid
    assert "# 文档 x02 — page x02 — 参照日期 （无）\nx02:0\t各村要立即转移危险区群众。" in laid
