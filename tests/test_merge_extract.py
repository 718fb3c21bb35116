"""scripts/annotation/merge_extract.py: one annotator's labels scored against a gold made by others."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .conftest import ROOT, shared_file

sys.path.insert(0, str(ROOT / "scripts" / "annotation"))
import merge_extract  # noqa: E402


def test_against_scores_each_annotator_on_the_gold_by_sentence_number(tmp_path, capsys):
    shared_file("eval", "score_extract.py")   # the shared scorer does the scoring
    layout = tmp_path / "layout"
    layout.mkdir()
    (layout / "meta.json").write_text(json.dumps({"d0": {"path": "/somewhere/shared/seeds/n.txt"}}), encoding="utf-8")
    (layout / "d0.txt").write_text("S0\t各乡镇要在6月底前完成排查。\nS1\t会议指出，安全生产事关大局。\n"
                                   "S2\t各企业要落实主体责任，开展隐患自查。\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"source": "n.txt", "directives": [
        {"text": "各乡镇要在6月底前完成排查。", "sectors": [], "parties": ["各乡镇"],
         "deadline": {"text": "6月底前", "kind": "date", "date": "2025-06-30"}},
        {"text": "各企业要落实主体责任，开展隐患自查。", "sectors": [], "parties": ["各企业"], "deadline": None}]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    right, half = tmp_path / "A.jsonl", tmp_path / "B.jsonl"
    right.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"doc": "d0", "s": 0, "sectors": [], "parties": ["各乡镇"],
         "deadline": {"text": "6月底前", "kind": "date", "date": "2025-06-30"}},
        {"doc": "d0", "s": 2, "sectors": [], "parties": ["各企业"], "deadline": None})), encoding="utf-8")
    half.write_text(json.dumps({"doc": "d0", "s": 1, "sectors": [], "parties": [], "deadline": None}) + "\n"
                    + json.dumps({"doc": "d0", "s": 2, "sectors": [], "parties": [], "deadline": None}), encoding="utf-8")
    merge_extract.main(["against", str(layout), str(gold), str(right), str(half)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("A.jsonl scored against gold.jsonl:") and "directive_f1=1.000" in lines[0]
    assert "deadline_f1=1.000" in lines[0] and "party_f1=1.000" in lines[0]
    assert "directive_f1=0.500 (p=0.500 r=0.500)" in lines[1] and "party_f1=0.000" in lines[1]
