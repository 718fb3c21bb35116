"""Follow-ups not found by their words: outcome figures (outcomes.py) and named lists (lists.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import open_db
from pipeline.track.lists import is_item, list_lead, list_name
from pipeline.track.outcomes import aimed, config, government, reported, same_government
from pipeline.track.tracker import statuses, track_store

from .conftest import shared_file

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "track"
PLAN = FIXTURES / "links_plan_2024.txt"
REPORT = FIXTURES / "links_report_2025.txt"
OTHER_COUNTY = FIXTURES / "links_other_county_2025.txt"


def _bit(name: str) -> int:
    return 1 << [i.name for i in config().indicators].index(name)


# -- outcome indicators -------------------------------------------------------------------
@pytest.mark.parametrize("sentence, indicator", [
    ("全市生产安全事故起数、死亡人数同比分别下降8.1%和9.4%。", "生产安全事故"),
    ("全年未发生较大及以上生产安全事故，安全生产形势保持平稳。", "生产安全事故"),
    ("汛期成功避险转移群众1.2万人次，实现“零伤亡”。", "自然灾害损失"),
    ("全年因灾死亡失踪人数较近五年均值下降40%。", "自然灾害损失"),
    ("森林草原火灾受害率控制在0.9‰以内，火灾起数处于历史低位。", "森林草原火灾"),
    ("道路交通事故死亡人数同比下降6.3%。", "道路交通事故"),
    ("森林草原防灭火形势保持平稳。", "森林草原火灾"),
    ("食品药品安全形势持续稳定向好。", "食品药品安全"),
    ("食品、药品抽检合格率分别达到98.9%和99.2%。", "食品药品安全"),
    ("全力应对“7·12”流域性洪水等自然灾害，扎实推进灾后恢复重建。", "自然灾害应对"),
    ("克服严重旱情和多轮强降雨影响，经受住台风“双击”考验。", "自然灾害应对"),
    ("有力处置青溪河特大洪灾，迅速恢复灾区生产生活。", "自然灾害应对"),
])
def test_a_sentence_reports_its_indicator(sentence, indicator):
    assert reported(sentence) & _bit(indicator)


@pytest.mark.parametrize("sentence", [
    "连续五年未发生重大食品药品安全事故。",          # another field's accidents
    "要坚决防止发生群体性事件。",
    "全区已建成微型消防站36个。",
    "加强食品药品安全监管。",                        # an order, no state reported
    "全力应对经济下行压力，稳住就业基本盘。",          # met, but no disaster
    "克服资金短缺等困难，完成项目建设。",
])
def test_other_sentences_report_no_indicator(sentence):
    assert reported(sentence) == 0


def test_what_a_directive_aims_at():
    aims, goals = aimed("深入推进安全生产治本攻坚三年行动，坚决遏制重特大事故发生。")
    assert aims & _bit("生产安全事故") and not goals
    aims, goals = aimed("强化重点行业领域监管，推动安全生产形势持续稳定向好。")
    assert goals & _bit("生产安全事故"), "a directive that sets the figure as its target"
    assert aimed("常态化做好地质灾害防治，开展避险搬迁。")[0] & _bit("自然灾害损失")
    assert aimed("提高防灾减灾救灾和重大突发公共事件处置保障能力。")[0] & _bit("自然灾害应对")
    assert not aimed("加快推进滨江防潮海堤建设。")[0] & _bit("自然灾害应对"), "one project is not disaster work at large"
    assert aimed("加快推进老旧小区改造。") == (0, 0)
    assert aimed("强化食品药品安全全链条监管。")[0] & _bit("食品药品安全")
    assert not aimed("推进食品产业高质量发展。")[0] & _bit("食品药品安全")


def test_whose_document_it_is():
    assert government("松林县", "县") == "松林县"
    assert government(None, "国家") == "全国"
    assert government(None, None) is None
    assert same_government("松林县", "松林县", strict=True)
    assert not same_government("松林县", "柏山县", strict=False)
    assert not same_government("松林县", None, strict=True)
    assert same_government("松林县", None, strict=False)


# -- named lists ---------------------------------------------------------------------------
def test_items_and_the_name_of_their_list():
    assert is_item("⑧建成150个基层消防站。") and is_item("（3）完善应急预案。") and is_item("2.开展检查。")
    assert not is_item("2024年要开展检查。") and not is_item("3.5万户完成改造。")
    assert list_name("扎实办好“十大重点民生实事”。") == "十大重点民生实事"
    assert list_name("今年将集中力量办好十件民生实事。") == "十件民生实事"
    assert list_name("重点抓好以下工作。") is None
    assert list_name("编制“十五五”规划。") is None, "a generic quoted name names no list"


def test_the_lead_is_found_in_the_items_paragraph():
    lead = "县政府将扎实办好“五件安全实事”。"
    items = ["①新建微型消防站12个。", "②完成燃气管道更新改造40公里。"]
    body = lead + "".join(items) + "\n" + "③另起一段。"
    spans, off = [], 0
    for n, text in enumerate([lead, *items]):
        spans.append((off, off + len(text), 0))
        off += len(text)
    spans.append((off + 1, off + 1 + len("③另起一段。"), 1))
    found = list_lead(body, spans, body.index("②"))
    assert found is not None and found.text == lead and found.name == "五件安全实事"
    assert list_lead(body, spans, body.index("③")) is None, "an item of another paragraph has no lead here"
    assert list_lead(body, spans, 0) is None, "the lead itself is no item"


# -- followup and the store ----------------------------------------------------------------------
def _followup(*args: str) -> list[dict]:
    result = runner.invoke(app, ["followup", *args, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_followup_links_outcomes_and_lists():
    records = _followup(str(PLAN), "--later", str(REPORT), str(OTHER_COUNTY), "--as-of", "2025-02-01")
    by_text = {r["text"]: r for r in records}
    campaign = next(r for t, r in by_text.items() if "治本攻坚" in t)
    assert campaign["status"] == "in_progress"
    assert [(Path(e["source"]).name, e["via"]) for e in campaign["evidence"]] == [(REPORT.name, "outcome")], \
        "the county's own accident figures, not the neighbouring county's"
    items = [r for t, r in by_text.items() if t.startswith(("①", "②", "③"))]
    assert len(items) == 3
    for item in items:
        assert item["status"] == "done"
        assert [e["via"] for e in item["evidence"]] == ["list"]
        assert "五件安全实事" in item["evidence"][0]["text"] and "继续" not in item["evidence"][0]["text"], \
            "next year's order to carry out the list again is a new list"
    assert next(r for t, r in by_text.items() if "护林员" in t)["status"] == "no_evidence"


def test_track_keeps_how_each_link_was_made(tmp_path):
    from pipeline.ingest.pipeline import ingest_paths

    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, [PLAN, REPORT, OTHER_COUNTY])
    track_store(db, as_of=dt.date(2025, 2, 1))
    rows = db.execute("SELECT x.text, d.place, e.via, e.status FROM evidence e JOIN directives x ON x.id = e.directive_id "
                      "JOIN documents d ON d.id = e.doc_id").fetchall()
    # (The text matcher may still link a sentence of the other county: a directive's words can be followed
    # up anywhere; an outcome figure or a list name only by the same government.)
    assert {(place, via) for _, place, via, _ in rows if via != "text"} == {("松林县", "outcome"), ("松林县", "list")}
    assert all(status == "done" for text, _, via, status in rows if via == "list")
    ids = [r[0] for r in db.execute("SELECT id FROM directives WHERE text LIKE '%治本攻坚%'").fetchall()]
    ev = statuses(db, dt.date(2025, 2, 1), ids)[ids[0]].evidence
    assert [e["via"] for e in ev] == ["outcome"]


# -- the shared dev pairs -------------------------------------------------------------------------
def test_dev_reports_outcomes_and_lists():
    records = {}
    for src, later, date in (("hunan-gwr-2025.txt", "hunan-gwr-2026.txt", "2026-02-24"),
                             ("ningxia-gwr-2025.txt", "ningxia-gwr-2026.txt", "2026-02-09")):
        for r in _followup(str(shared_file("corpus", src)), "--later", str(shared_file("corpus", later)),
                           "--as-of", date):
            records[r["text"]] = r
    item = next(r for t, r in records.items() if t.startswith("⑧"))
    assert item["status"] == "done"
    assert any("十大重点民生实事" in e["text"] and e["via"] == "list" for e in item["evidence"])
    campaign = next(r for t, r in records.items() if t.startswith("深入推进安全生产治本攻坚三年行动"))
    assert any("事故起数" in e["text"] and e["via"] == "outcome" for e in campaign["evidence"])
    assert campaign["status"] == "in_progress", "an accident figure shows the campaign under way, not finished"


def test_a_new_version_of_a_later_report_replaces_its_evidence(tmp_path):
    """An edited report supersedes its earlier text: its links are made again on the new version, and
    the old version's no longer count (no quote twice, none from a text the source no longer says)."""
    from pipeline.ingest.pipeline import ingest_paths

    report = tmp_path / REPORT.name
    report.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, [PLAN, report])
    as_of = dt.date(2025, 2, 1)
    track_store(db, as_of=as_of)
    report.write_text(report.read_text(encoding="utf-8").replace("群众满意度明显提升", "群众满意度达到96%"),
                      encoding="utf-8")
    ingest_paths(db, [report])
    track_store(db, as_of=as_of)
    newest = db.execute("SELECT max(id) FROM documents").fetchone()[0]
    for st in statuses(db, as_of).values():
        assert all(e["doc_id"] == newest for e in st.evidence)
        assert len({e["start"] for e in st.evidence}) == len(st.evidence)
    item = next(s for s in statuses(db, as_of).values() if s.evidence and s.evidence[0]["via"] == "list")
    assert item.status == "done" and "群众满意度达到96%" in item.evidence[0]["text"]


def test_the_summary_says_how_many_links_structure_made(tmp_path):
    from pipeline.cli.track import via_note

    assert via_note({"outcome": 4, "list": 5}) == "（其中所属清单 5 条、成效指标 4 条）"
    assert via_note({}) == "" and via_note(None) == ""
    db = tmp_path / "duban.db"
    assert runner.invoke(app, ["ingest", str(PLAN), str(REPORT), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["track", "--db", str(db), "--as-of", "2025-02-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "其中所属清单 3 条、成效指标 1 条" in result.stdout


def test_an_undated_plan_still_gets_its_structural_links(tmp_path):
    """followup reads the later files its caller names: an undated source is before all of them."""
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN.read_text(encoding="utf-8").replace("（2024年3月1日）\n", ""), encoding="utf-8")
    records = _followup(str(plan), "--later", str(REPORT), "--as-of", "2025-02-01")
    vias = {e["via"] for r in records for e in r["evidence"]}
    assert {"outcome", "list"} <= vias
