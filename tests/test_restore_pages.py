"""The page texts are restored from the tool library each session: the tool that lists and checks them."""

from __future__ import annotations

import importlib.util
import json

import pytest

from .conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("restore_pages", ROOT / "scripts" / "annotation" / "restore_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_lists_each_missing_page_once_test_pages_first(tmp_path):
    tool = _tool()
    pages = tool.page_records()
    assert len(pages) > 1000
    have = tmp_path / "pages"
    have.mkdir()
    present = next(p for p in pages.values() if p["url"] and "test" in p["splits"])
    (have / f"{present['id']}.txt").write_text("已有\n", encoding="utf-8")
    lists = tool.manifest(tmp_path / "work", have, 3, missing=tmp_path / "no_list.txt")
    ids = [p["id"] for group in lists for p in group]
    assert len(ids) == len(set(ids)) and present["id"] not in ids
    assert all(pages[i]["url"] for i in ids)
    for group in lists:                       # within every list, no tune page before a test page
        first = [any(s in tool.FIRST for s in pages[p["id"]]["splits"]) for p in group]
        assert first == sorted(first, reverse=True)
    assert abs(len(lists[0]) - len(lists[2])) <= 1


def test_manifest_can_put_the_pages_not_yet_tried_first(tmp_path):
    tool = _tool()
    pages = tool.page_records()
    lists = tool.manifest(tmp_path / "work", tmp_path / "none", 2, first=("tune",), missing=tmp_path / "no_list.txt")
    for group in lists:                       # a later session: tune pages before the test pages already sought
        tune_first = ["tune" in pages[p["id"]]["splits"] for p in group]
        assert tune_first == sorted(tune_first, reverse=True) and tune_first[0] and not tune_first[-1]


def test_save_keeps_the_excerpt_and_says_whether_it_is_the_text_labelled(tmp_path):
    tool = _tool()
    work, out = tmp_path / "work", tmp_path / "pages"
    (work / "raw").mkdir(parents=True)
    text = "某县召开安全生产会议\n会议要求，各乡镇要在月底前完成隐患排查。"
    (work / "manifest.json").write_text(json.dumps({
        "x01": {"id": "x01", "snippets": ["各乡镇要在月底前完成隐患排查"], "text_chars": len(tool.non_blank(text))},
        "x02": {"id": "x02", "snippets": ["各乡镇要在月底前完成隐患排查"], "text_chars": 500}}, ensure_ascii=False),
        encoding="utf-8")
    printed = json.dumps(text, ensure_ascii=False)           # as the search tool prints an excerpt
    (work / "raw" / "x01.json").write_text(printed + "\n", encoding="utf-8")
    (work / "raw" / "x02.json").write_text(printed, encoding="utf-8")
    assert tool.save(work, "x01", out).startswith("OK x01")
    assert (out / "x01.txt").read_text(encoding="utf-8") == text + "\n"
    assert tool.save(work, "x02", out).startswith("CHECK x02")     # another excerpt than the one labelled
    (work / "raw" / "x01.json").write_text("会议要求", encoding="utf-8")   # retyped, not the printed string
    with pytest.raises(SystemExit, match="not one JSON string"):
        tool.save(work, "x01", out)


def test_pages_missed_before_come_last_and_leave_the_list_once_found(tmp_path):
    tool = _tool()
    pages = tool.page_records()
    test_ids = sorted(i for i, p in pages.items() if p["url"] and "test" in p["splits"])
    missed_id, found_id = test_ids[0], test_ids[1]
    listed = tmp_path / "restore_missing.txt"
    listed.write_text(f"# header\n{missed_id} 2026-12-07\n", encoding="utf-8")
    lists = tool.manifest(tmp_path / "work", tmp_path / "none", 1, missing=listed)
    ids = [p["id"] for p in lists[0]]
    assert ids[-1] == missed_id and ids[0] != missed_id    # missed once: tried after every other page
    work, have = tmp_path / "work", tmp_path / "pages"
    have.mkdir()
    assert tool.miss(work, found_id) == f"MISSED {found_id}"
    with pytest.raises(SystemExit, match="no such page"):
        tool.miss(work, "zz99")
    (have / f"{missed_id}.txt").write_text("后来找到了\n", encoding="utf-8")   # found by a later query
    kept = tool.record_missing(work, have, "2026-12-08", path=listed)
    assert kept == [found_id]
    assert listed.read_text(encoding="utf-8").splitlines()[-1] == f"{found_id} 2026-12-08"
