"""scripts/annotation/merge_track.py: each follow-up annotator scored against a gold made by others."""
from __future__ import annotations

import json
import sys

from .conftest import ROOT, shared_file

sys.path.insert(0, str(ROOT / "scripts" / "annotation"))
import merge_track  # noqa: E402


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_against_scores_each_side_on_the_gold(tmp_path, capsys):
    shared_file("eval", "score_track.py")   # the shared scorer does the scoring
    pair = tmp_path / "xian"
    pair.mkdir()
    (pair / "earlier.txt").write_text("E0\t今年重点工作。\nE1\t开展燃气安全专项整治。\n", encoding="utf-8")
    (pair / "later.txt").write_text("L0\t过去一年，燃气安全专项整治全面完成。\nL1\t今年要抓好防汛。\n", encoding="utf-8")
    (pair / "meta.json").write_text(json.dumps({
        "earlier": {"path": "/x/shared/pairs/xian-2025.txt", "date": "2025-01-10", "place": "某县"},
        "later": {"path": "/x/shared/pairs/xian-2026.txt", "date": "2026-01-12", "place": "某县"}}), encoding="utf-8")
    for who, evidence in (("A", [{"l": 0, "status": "done"}]), ("B", [{"l": 1, "status": "mentioned"}])):
        (tmp_path / f"out_{who}").mkdir()
        _write(tmp_path / f"out_{who}" / "xian.jsonl", [{"pair": "xian", "d": 1, "deadline_text": None,
                                                      "deadline_date": None, "evidence": evidence}])
    gold = tmp_path / "gold.jsonl"
    _write(gold, [{"source": "xian-2025.txt", "text": "开展燃气安全专项整治。", "status": "done",
                   "evidence": [{"source": "xian-2026.txt", "text": "过去一年，燃气安全专项整治全面完成。"}]}])
    merge_track.main(["against", str(tmp_path), str(gold)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("A scored against gold.jsonl:")
    assert "evidence_f1=1.000" in lines[0] and "status_accuracy=1.000" in lines[0]
    assert lines[1].startswith("B scored against gold.jsonl:")
    assert "evidence_f1=0.000" in lines[1] and "status_accuracy=0.000" in lines[1]
