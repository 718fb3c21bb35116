"""Follow-up tracking: statuses from wording, the index, the matcher, `followup`, `track` and the demo corpus."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import open_db
from pipeline.track.demo import check, load_followups
from pipeline.track.index import SentenceIndex
from pipeline.track.link import Query, SentenceRec, find_evidence, ordinal, term_doc
from pipeline.track.scoring import FEATURES, load_model
from pipeline.track.status import Context, evidence_status, heading_context, overall_status, sentence_contexts
from pipeline.track.tracker import statuses, track_store

from .conftest import DEMO, shared_file

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "track"
DEMO_AS_OF = dt.date(2025, 12, 31)


# -- statuses from wording ------------------------------------------------------------
@pytest.mark.parametrize("sentence, context, status", [
    ("全区已建成电动自行车集中充电桩215个，超额完成年度目标。", Context.NEUTRAL, "done"),
    ("全年培训企业主要负责人和安全管理人员3260人次，完成年度任务的108.7%。", Context.BACKWARD, "done"),
    ("老旧小区消防设施改造三年行动持续推进，截至6月底累计改造小区63个，完成率79%。", Context.NEUTRAL, "in_progress"),
    ("全区危险化学品企业隐患排查累计发现隐患326项，已整改277项。", Context.NEUTRAL, "in_progress"),
    ("各街道（乡镇）要继续常态化开展电动自行车违规停放充电清理行动。", Context.NEUTRAL, "mentioned"),
    ("全面完成安全生产治本攻坚三年行动任务。", Context.FORWARD, "mentioned"),
    ("深入开展安全生产治本攻坚三年行动，投入安全生产资金100多亿元。", Context.BACKWARD, "in_progress"),
])
def test_evidence_status_from_wording(sentence, context, status):
    assert evidence_status(sentence, [sentence], context) == status


def test_status_is_read_in_the_clause_that_matches():
    """One review sentence reports two tasks: each gets the status of its own clause."""
    s = "加快构建“1351”防灾体系，全面完成病险水库除险加固和城乡震损房除险改造，地质灾害避险搬迁安置1800余户。"
    assert evidence_status(s, ["全面完成病险水库除险加固和城乡震损房除险改造"], Context.BACKWARD) == "done"
    assert evidence_status(s, ["加快构建“1351”防灾体系"], Context.BACKWARD) == "in_progress"


def test_overall_status_and_overdue():
    as_of = dt.date(2025, 1, 1)
    assert overall_status(["mentioned", "done", "in_progress"], None, as_of) == "done"
    assert overall_status([], None, as_of) == "no_evidence"
    assert overall_status(["in_progress"], "2024-12-31", as_of) == "overdue"
    assert overall_status([], "2024-12-31", as_of) == "overdue"
    assert overall_status(["done"], "2024-12-31", as_of) == "done"
    assert overall_status(["mentioned"], "2025-06-30", as_of) == "mentioned"


def test_sections_of_a_work_report():
    assert heading_context("一、2025年工作总结和“十四五”发展成就", 2026) == Context.BACKWARD
    assert heading_context("三、2026年重点工作", 2026) == Context.FORWARD
    assert heading_context("二、“十五五”时期主要任务", 2026) == Context.FORWARD
    assert heading_context("名词解释", 2026) == Context.SKIP
    assert heading_context("（三）严格管控危险化学品和工贸企业风险", 2026) is None
    paths = [[], ["一、2025年工作回顾"], [], ["三、关于2026年工作"], [], ["四、全面加强政府自身建设"]]
    own = ["一、2025年工作回顾", None, "三、关于2026年工作", None, "四、全面加强政府自身建设", None]
    ctx = sentence_contexts(paths, own, 2026)
    assert ctx[1] == Context.BACKWARD and ctx[3] == Context.FORWARD
    assert ctx[5] == Context.FORWARD, "an unmarked chapter after the plan still looks forward"
    # ... but an unmarked chapter after a review does not look back.
    ctx = sentence_contexts([[], ["一、正视成绩与差距"], [], ["二、聚焦重点难点"]],
                            ["一、正视成绩与差距", None, "二、聚焦重点难点", None], 2025)
    assert ctx[3] == Context.NEUTRAL


# -- index and matcher ------------------------------------------------------------------
def _doc(key: int, date: str, sentences: list[str]) -> tuple[str, object]:
    body = "\n".join(sentences)
    recs, off = [], 0
    for i, s in enumerate(sentences):
        recs.append(SentenceRec(i, off, off + len(s), None, []))
        off += len(s) + 1
    return body, term_doc(key, ordinal(date), body, recs)


def test_only_later_documents_are_candidates():
    texts = ["已建立重大事故隐患台账3500余项，实行清单化管理。"]
    bodies, index = {}, SentenceIndex()
    for key, date in ((1, "2023-06-01"), (2, "2024-03-01"), (3, "2024-09-01")):
        bodies[key], td = _doc(key, date, texts)
        index.add(td)
    q = Query(0, "要建立重大事故隐患台账，实行清单化管理。", ordinal("2024-03-01"))
    found = find_evidence(index, [q], bodies.__getitem__, keep_all=True)
    assert {e.doc_key for e in found} == {3}


def test_same_task_beats_same_sector():
    bodies, index = {}, SentenceIndex()
    bodies[1], td = _doc(1, "2025-01-10", [
        "全区已建立隐患台账，共录入隐患3500余项。",
        "区消防救援大队开展消防检查120次。",
        "全区已完成燃气管道更新改造。",
    ])
    index.add(td)
    bodies[0], td = _doc(0, "2024-02-01", ["各街道要在3月底前建立隐患台账，实行闭环管理。"])
    index.add(td)
    q = Query(0, "各街道要在3月底前建立隐患台账，实行闭环管理。", ordinal("2024-02-01"), blank=["3月底前"],
              doc_key=0, start=0)
    found = sorted(find_evidence(index, [q], bodies.__getitem__, keep_all=True), key=lambda e: -e.score)
    assert found and "隐患台账" in found[0].text
    chosen = find_evidence(index, [q], bodies.__getitem__)
    assert [e.text for e in chosen] == ["全区已建立隐患台账，共录入隐患3500余项。"]
    assert chosen[0].status == "done"


def test_model_file_matches_the_features():
    model = load_model()
    assert model is not None and len(model.coef) == len(FEATURES)


# -- followup ---------------------------------------------------------------------------
def _followup(*args: str) -> list[dict]:
    result = runner.invoke(app, ["followup", *args, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_followup_on_a_plan_and_its_report():
    plan, report = FIXTURES / "plan_2024.txt", FIXTURES / "report_2025.txt"
    records = _followup(str(plan), "--later", str(report), "--as-of", "2025-01-10")
    status = lambda words: next(r["status"] for r in records if words in r["text"])
    assert status("重大事故隐患台账") == "done"
    assert status("瓶装液化石油气") == "done"
    assert status("老旧小区消防设施") == "in_progress"
    assert status("危险化学品企业") == "in_progress"
    assert status("两客一危") == "overdue"
    assert status("护林员") == "no_evidence"
    # Every link points at its sentence in the later document's cleaned body.
    from pipeline.track.follow import load

    body = load(report).doc.body
    for r in records:
        assert list(r) == ["source", "text", "start", "end", "deadline", "status", "evidence"]
        for e in r["evidence"]:
            assert body[e["start"]:e["end"]] == e["text"]
            assert e["status"] in ("done", "in_progress", "mentioned") and 0 < e["score"]
    # As of an earlier date nothing is overdue yet.
    records = _followup(str(plan), "--later", str(report), "--as-of", "2024-06-01")
    assert all(r["status"] != "overdue" for r in records)


# -- the store ----------------------------------------------------------------------------
def _evidence_set(db) -> set[tuple]:
    return {tuple(r) for r in db.execute(
        'SELECT x.text, d.source, e.start, e.status FROM evidence e JOIN directives x ON x.id = e.directive_id '
        "JOIN documents d ON d.id = e.doc_id").fetchall()}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from pipeline.ingest.pipeline import ingest_paths

    db = open_db(tmp_path_factory.mktemp("demo") / "duban.db")
    ingest_paths(db, [DEMO])
    counts = track_store(db, as_of=DEMO_AS_OF)
    assert counts["new_evidence"] > 0
    return db


def test_track_is_incremental_and_nearly_agrees_with_a_full_run(tmp_path, demo_db):
    from pipeline.ingest.pipeline import ingest_paths

    files = sorted(p for p in DEMO.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf"))
    first, second = files[: len(files) // 2], files[len(files) // 2:]
    db = open_db(tmp_path / "step.db")
    ingest_paths(db, first)
    track_store(db, as_of=DEMO_AS_OF)
    again = track_store(db, as_of=DEMO_AS_OF)
    assert again["new_documents"] == 0 and again["new_directives"] == 0 and again["new_evidence"] == 0
    ingest_paths(db, second)
    step = track_store(db, as_of=DEMO_AS_OF)
    assert step["new_documents"] > 0 and step["new_directives"] > 0
    # The weights (IDF) move as documents arrive, so links scored on either side of the threshold may
    # differ; nearly all agree.
    a, b = _evidence_set(db), _evidence_set(demo_db)
    assert len(a & b) >= 0.9 * len(a | b), (len(a & b), len(a | b))


def test_statuses_api_gives_checkable_links(demo_db):
    st = statuses(demo_db, DEMO_AS_OF)
    assert st and {s.status for s in st.values()} <= {"done", "in_progress", "mentioned", "no_evidence", "overdue"}
    linked = next(s for s in st.values() if s.evidence)
    e = linked.evidence[0]
    assert set(e) == {"directive_id", "doc_id", "source", "title", "date", "start", "end", "text", "status", "score",
                      "via"}
    body = demo_db.execute("SELECT body FROM documents WHERE id = ?", [e["doc_id"]]).fetchone()[0]
    assert body[e["start"]:e["end"]] == e["text"]
    scores = [x["score"] for x in linked.evidence]
    assert scores == sorted(scores, reverse=True)
    from collections import Counter

    from pipeline.track.tracker import status_counts

    counted = status_counts(demo_db, DEMO_AS_OF)
    assert {k: v for k, v in counted.items() if v} == dict(Counter(s.status for s in st.values()))
    # Evidence from documents after the as-of date does not count yet.
    early = statuses(demo_db, dt.date(2024, 1, 1), list(st)[:50])
    assert all(not s.evidence for s in early.values())


def test_demo_corpus_follow_ups(demo_db):
    """The demo's intended links: at least ten found, every status represented and right where listed."""
    followups = load_followups(DEMO)
    result = check(demo_db, followups, DEMO_AS_OF)
    assert len(result.directives_followed()) >= 10
    assert len(result.found) >= 0.9 * len([f for f in followups if f.get("evidence_text")])
    wrong_status = [f for f in result.found if f["found_status"] != f["status"]]
    assert len(wrong_status) <= 2, wrong_status
    derived = result.statuses
    for status in ("done", "in_progress", "mentioned", "no_evidence", "overdue"):
        assert status in derived.values(), status
    for item in followups:
        if item["status"] in ("overdue", "no_evidence") and item["directive_text"] in derived:
            assert derived[item["directive_text"]] == item["status"], item["directive_text"]


def test_demo_list_items_are_reported_with_their_list(demo_db):
    """The plan's “五件安全实事” ①–⑤ share no words with the report that “五件安全实事”已全部按期完成."""
    rows = demo_db.execute("SELECT x.text, e.status, e.text FROM evidence e JOIN directives x ON x.id = e.directive_id "
                           "WHERE e.via = 'list'").fetchall()
    assert sorted(text[0] for text, _, _ in rows) == list("①②③④⑤")
    assert all(status == "done" and "五件安全实事" in evidence for _, status, evidence in rows)


def test_track_command_records_a_run(tmp_path):
    db = tmp_path / "duban.db"
    assert runner.invoke(app, ["ingest", str(FIXTURES), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["track", "--db", str(db), "--as-of", "2025-01-10"])
    assert result.exit_code == 0, result.output
    assert "新增落实证据" in result.stdout
    store = open_db(db)
    assert store.execute("SELECT count(*) FROM evidence").fetchone()[0] >= 4
    assert store.execute("SELECT command FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0] == "track"


# -- the shared dev pairs (measured, not fitted) -------------------------------------------
def test_dev_report_pairs_score_reasonably(tmp_path):
    gold = shared_file("gold", "track_dev.jsonl")
    scorer = shared_file("eval", "score_track.py")
    out = tmp_path / "pred.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for src, later, date in (("ningxia-gwr-2025.txt", "ningxia-gwr-2026.txt", "2026-02-09"),
                                 ("national-gwr-2024.txt", "national-gwr-2025.txt", "2025-03-05")):
            for rec in _followup(str(shared_file("corpus", src)), "--later", str(shared_file("corpus", later)),
                                 "--as-of", date):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    res = subprocess.run([sys.executable, str(scorer), str(gold), str(out), "--json"], capture_output=True, text=True)
    figures = json.loads(res.stdout[: res.stdout.rindex("}") + 1])
    # Two of the four pairs only: the floors guard against regressions, the full figures are in the report.
    assert figures["evidence_p"] >= 0.6
    assert figures["directives_found"] >= 10
