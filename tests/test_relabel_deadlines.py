"""scripts/annotation/relabel_deadlines.py: deadlines labelled again, blind, then merged into the gold."""
from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts" / "annotation"))
import relabel_deadlines  # noqa: E402

CAMPAIGN = {"text": "三年行动", "kind": "period", "date": None}
YEAR_END = {"text": "年底前", "kind": "date", "date": "2025-12-31"}


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_docs():
    return [{"layout": "r25_x", "path": "pairs/x.txt", "directives": [
        {"text": "深化安全生产治本攻坚三年行动。", "deadline": None},
        {"text": "年底前完成燃气管道更新改造。", "deadline": YEAR_END},
        {"text": "加强应急指挥体系建设。", "deadline": None}]}]


def test_agreement_counts_deadlines_as_the_shared_scorer_does():
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": dict(CAMPAIGN, text="治本攻坚三年行动"),   # wording apart, same kind: agreed
         "r25_x:1": dict(YEAR_END, date="2026-12-31"),        # another date: not agreed
         "r25_x:2": None}
    result = relabel_deadlines.agreement(a, b)
    assert result["keys"] == 3 and result["same"] == 2
    assert result["deadline_f1"] == pytest.approx(0.5)


def test_sheet_lists_only_the_directives_the_two_read_differently():
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": None, "r25_x:1": YEAR_END}
    rows = relabel_deadlines.sheet(a, b)
    assert [r["key"] for r in rows] == ["r25_x:0", "r25_x:2"]   # one left unlabelled by B goes too
    assert rows[0]["label_1"] == CAMPAIGN and rows[0]["label_2"] is None


def test_apply_replaces_every_deadline_and_refuses_a_directive_left_undecided(tmp_path):
    a = {"r25_x:0": CAMPAIGN, "r25_x:1": YEAR_END, "r25_x:2": None}
    b = {"r25_x:0": None, "r25_x:1": YEAR_END, "r25_x:2": None}
    docs, changed = relabel_deadlines.apply(gold_docs(), a, b, {"r25_x:0": CAMPAIGN})
    assert [d["deadline"] for d in docs[0]["directives"]] == [CAMPAIGN, YEAR_END, None]
    assert changed == 1
    with pytest.raises(SystemExit, match="r25_x:0"):
        relabel_deadlines.apply(gold_docs(), a, b, {})
    # a decision made with context the annotators lacked (a stage heading) wins over their agreement
    docs, changed = relabel_deadlines.apply(gold_docs(), a, b, {"r25_x:0": CAMPAIGN, "r25_x:2": YEAR_END})
    assert docs[0]["directives"][2]["deadline"] == YEAR_END and changed == 2


def test_apply_command_writes_the_new_gold_and_rejects_an_unknown_kind(tmp_path, capsys):
    gold = write(tmp_path / "gold.jsonl", gold_docs())
    a = write(tmp_path / "a.jsonl", [{"key": "r25_x:0", "deadline": CAMPAIGN},
                                     {"key": "r25_x:1", "deadline": YEAR_END}, {"key": "r25_x:2", "deadline": None}])
    b = write(tmp_path / "b.jsonl", [{"key": "r25_x:0", "deadline": CAMPAIGN},
                                     {"key": "r25_x:1", "deadline": YEAR_END}, {"key": "r25_x:2", "deadline": None}])
    decisions = write(tmp_path / "d.jsonl", [])
    out = tmp_path / "new.jsonl"
    relabel_deadlines.main(["apply", str(gold), str(a), str(b), str(decisions), str(out)])
    assert "1 deadlines changed" in capsys.readouterr().out
    new = json.loads(out.read_text(encoding="utf-8"))
    assert new["directives"][0]["deadline"] == CAMPAIGN and new["layout"] == "r25_x"
    bad = write(tmp_path / "bad.jsonl", [{"key": "r25_x:0", "deadline": {"text": "三年", "kind": "span", "date": None}}])
    with pytest.raises(SystemExit, match="unknown kind 'span'"):
        relabel_deadlines.keyed(bad)
