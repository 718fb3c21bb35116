"""Tracking on real report pairs: whose document counts, figures against targets, the pair model,
the real annotations and their tools."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pytest

from pipeline.track.follow import followup, load
from pipeline.track.index import SentenceIndex
from pipeline.track.link import Query, SentenceRec, find_evidence, ordinal, term_doc
from pipeline.track.match import safety_focus, shared_run
from pipeline.track.scope import locate, may_follow, relation
from pipeline.track.scoring import (PAIR_FEATURES, LinearModel, combined_scorer, default_scorer, pair_scorer,
                                    rules_scorer)
from pipeline.track.status import Context, amounts, target_answers, targets_verdict, weigh_report
from pipeline.track.terms import N_FEATURES, canonical, sentence_terms
from pipeline.track.train_real import REAL_PATH, Labelled, fit, load_gold
from pipeline.track.vectors import embed, term_matrix, word_vectors

from .conftest import ROOT, shared_file


# -- whose document follows up whose directive --------------------------------------------
@pytest.mark.parametrize("directive, document, expected", [
    ("安徽省", "安徽省", "same"),
    ("安徽省", "江苏省", "other"),           # another province: never
    ("安徽省", "合肥市", "below"),
    ("全国", "泰安市", "below"),              # the nation's plan carried out by a city
    ("山东省", "中共泰安市", "below"),        # a party committee's notice is its place's
    ("泰安市", "济南市", "other"),
    ("安徽省", "全国", "national"),           # the national level above
    ("泰安市", "山东省", "above"),
    ("吉林省", "吉林市", "below"),            # a city named like its province
    ("某某县", "安徽省", "unknown"),          # not in the gazetteer: the benefit of the doubt
    (None, "安徽省", "unknown"),
])
def test_relation_between_governments(directive, document, expected):
    assert relation(directive, document) == expected
    assert may_follow(directive, document) == (expected not in ("other", "above"))


def test_locate_reads_full_and_short_names():
    assert locate("广西壮族自治区") == ("广西", None)
    assert locate("内蒙古") == ("内蒙古", None)
    assert locate("泰安市岱岳区") == ("山东", "泰安")
    assert locate("全国") == ("全国", None)


def _doc(key: int, date: dt.date, sentences: list[str], government: str) -> tuple:
    body, recs, pos = "", [], 0
    for i, text in enumerate(sentences):
        recs.append(SentenceRec(i, pos, pos + len(text), None, []))
        body += text
        pos += len(text)
    return term_doc(key, ordinal(date), body, recs, government), body


def test_another_provinces_report_is_never_evidence():
    """The same words in a neighbour's report follow up nothing; a city below re-orders it, shown as such."""
    plan = "深入实施城市生命线安全工程，更新改造城市地下燃气管网4500公里。"
    filler = ["推动文旅消费提质扩容。", "扩大高水平对外开放。", "稳定粮食播种面积。"]
    later = "今年要深入实施城市生命线安全工程，更新改造城市地下燃气管网。"
    index, bodies = SentenceIndex(), {}
    for key, date, text, gov in ((1, dt.date(2025, 1, 20), plan, "安徽省"),
                                 (2, dt.date(2026, 2, 1), later, "江苏省"),
                                 (3, dt.date(2026, 2, 1), later, "合肥市")):
        doc, body = _doc(key, date, [text] + filler, gov)
        index.add(doc)
        bodies[key] = body
    query = Query(0, plan, ordinal(dt.date(2025, 1, 20)), doc_key=1, start=0, government="安徽省")
    found = find_evidence(index, [query], bodies.__getitem__, scorer=rules_scorer())
    assert {e.doc_key for e in found} == {3}
    assert [e.via for e in found] == ["downward"] and found[0].status == "mentioned"


# -- statuses from figures -------------------------------------------------------------------
def test_amounts_read_units_and_multipliers():
    assert amounts("更新改造城市地下管网4500公里，改造老旧小区1.5万户") == {"公里": [4500.0], "户": [15000.0]}
    assert amounts("事故起数下降4.3%") == {}
    assert amounts("改造危旧房3.5万套") == amounts("改造危旧房3.5万户"), "units that count the same things"


@pytest.mark.parametrize("directive, sentence, met", [
    ("新建应急避难场所100处", "新建应急避难场所120处", True),
    ("新建应急避难场所100处", "新建应急避难场所80处", False),
    ("新建应急避难场所100处", "开展应急演练120次", None),            # nothing answers the target
    ("改造学校200所", "新建项目300个", None),                          # another unit
    ("改造老旧小区4000个、城中村10万户", "改造老旧小区4402个、城中村5.1万户", False),   # one target short
    ("改造老旧小区4000个、城中村10万户", "改造老旧小区4402个", None),   # one of two answered
    ("实施应急避难场所建设工程，新建应急避难场所100处", "新建应急避难场所120处", True),   # the clause naming it
    # orders more than its target: a figure met does not finish it
    ("开展住房安全专项行动，改造老旧小区1.5万户，确保城乡危旧房隐患排查整治到位", "改造老旧小区23万多户", None),
    # a figure summed over years answers no one-year target
    ("加装农村公路安全护栏3000公里", "五年加装农村公路安全护栏2.1万公里", None),
    ("加装农村公路安全护栏3000公里", "累计加装农村公路安全护栏2.1万公里", None),
    ("改造危旧房2万套", "改造危旧房2.3万户", True),
])
def test_target_met(directive, sentence, met):
    found = target_answers(directive, sentence)
    assert (targets_verdict([found]) if found is not None else None) is met


def test_targets_are_read_across_a_documents_reports():
    d = "改造老旧小区500个、老旧管网4600公里"
    a, b = target_answers(d, "改造老旧小区682个"), target_answers(d, "改造老旧管网7912公里")
    assert targets_verdict([a]) is None and targets_verdict([b]) is None, "each answers one target"
    assert targets_verdict([a, b]) is True
    assert targets_verdict([a, target_answers(d, "改造老旧管网3000公里")]) is False


def test_select_finishes_a_task_whose_targets_its_reports_meet_together():
    from pipeline.track.link import Evidence, select
    from pipeline.track.scoring import rules_scorer

    d = "改造老旧小区500个、老旧管网4600公里"
    reports = [Evidence(0, 1, n, n * 10, n * 10 + 9, s, "in_progress", 0.6 - n / 10, {}, Context.BACKWARD,
                        targets=target_answers(d, s))
               for n, s in enumerate(["改造老旧小区682个", "改造老旧管网7912公里"])]
    assert sorted(e.status for e in select(reports, rules_scorer())) == ["done", "in_progress"]
    assert [e.status for e in select(reports[:1], rules_scorer())] == ["in_progress"]


def test_weigh_report_moves_reports_only():
    d, s = "建成150个基层消防站", "新建基层消防站162个"
    assert weigh_report("in_progress", d, s, Context.BACKWARD)[0] == "done"
    assert weigh_report("done", d, "新建基层消防站80个", Context.BACKWARD)[0] == "in_progress"
    assert weigh_report("mentioned", d, s, Context.BACKWARD)[0] == "mentioned"
    assert weigh_report("in_progress", d, s, Context.FORWARD)[0] == "in_progress"


# -- what the pair model reads ----------------------------------------------------------------
def test_shared_run_finds_a_task_name_inside_a_long_review_sentence():
    directive = "统筹实施城乡安居工程，因地制宜、分类处置城乡危旧房"
    review = "全面展开城市生命线、全域水患治理、城乡安居三大工程"
    assert shared_run(directive, review) >= 4 / 8
    assert shared_run(directive, "扩大高水平对外开放") == 0.0


def test_safety_focus_keeps_the_safety_clauses_of_a_mixed_directive():
    mixed = "大力推动房地产市场止跌回稳，优化住房公积金贷款政策，改造城中村和城市危旧房6万户以上。"
    assert safety_focus(mixed) == "改造城中村和城市危旧房6万户以上"       # clauses without their marks
    whole = "深入推进安全生产治本攻坚三年行动，加强重大安全风险防控。"
    assert safety_focus(whole) == whole                       # every clause is about safety
    assert safety_focus("扩大有效投资，稳定粮食生产。") == "扩大有效投资，稳定粮食生产。"   # none is


def test_paraphrase_groups_index_two_wordings_as_one_term():
    if canonical("完善") == "完善":
        pytest.skip("the paraphrase layer is switched off")
    assert canonical("完善") == canonical("健全") == "健全"


def test_word_vectors_place_a_paraphrase_nearer_than_another_task():
    if word_vectors() is None:
        pytest.skip("no trained vectors in models/")
    texts = ["健全应急指挥体系", "完善应急管理体系", "扩大居民消费需求"]
    terms = [np.asarray(sentence_terms(t)[0], np.int64) for t in texts]
    vecs = embed(term_matrix(terms, N_FEATURES), np.ones(N_FEATURES, np.float32))
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.1


def test_fit_learns_and_places_its_thresholds():
    rng = np.random.default_rng(3)
    n = 400
    y = (rng.random(n) < 0.2).astype(int)
    x = rng.normal(size=(n, len(PAIR_FEATURES)))
    x[:, PAIR_FEATURES.index("cont")] += 2.5 * y
    groups = [("p", i // 10) for i in range(n)]
    data = Labelled(x, y, groups, ["in_progress"] * n, [("p", i) for i in range(n)], int(y.sum()),
                    {("p", g): "in_progress" for g in range(n // 10)}, n // 10)
    model = fit(data)
    assert model.coef[PAIR_FEATURES.index("cont")] > 1.0
    assert 0.0 <= model.low_threshold <= model.threshold <= 1.0
    assert model.report_threshold is not None and model.report_threshold <= model.threshold
    scorer = pair_scorer(model)
    assert scorer.kind == "pair" and scorer.report_low == model.report_threshold


def test_a_fold_never_learns_from_the_government_it_scores():
    from pipeline.track.train_real import PairSpec, fold_training

    def part(tag: str, n: int) -> Labelled:
        x = np.full((n, len(PAIR_FEATURES)), float(len(tag)))
        return Labelled(x, np.ones(n, int), [(tag, i) for i in range(n)], ["mentioned"] * n,
                        [(tag, i) for i in range(n)], n, {(tag, 0): "mentioned"}, 1)

    day = dt.date(2026, 2, 1)
    safety = [(PairSpec("anhui", "anhui", "a25", "a26", day), part("anhui", 3)),
              (PairSpec("hebei", "hebei", "h25", "h26", day), part("hebei", 2)),
              (PairSpec("national2021", "national", "n21", "n22", day), part("national2021", 4))]
    other = [(PairSpec("anhui", "anhui", "a25", "a26", day), part("anhui-other", 5)),
             (PairSpec("national2022", "national", "n22", "n23", day), part("national2022-other", 6))]
    fold = fold_training("anhui", safety + other, [part("demo", 1)])
    assert {g[0] for g in fold.group} == {"hebei", "national2021", "national2022-other", "demo"}
    assert len(fold.y) == 2 + 4 + 6 + 1 and fold.n_gold == 13
    fold = fold_training("national", safety + other)
    assert {g[0] for g in fold.group} == {"anhui", "hebei", "anhui-other"}


def test_the_shipped_default_is_rules_and_pair_model_together():
    scorer = default_scorer()
    assert scorer.kind == "combined"
    assert [p.kind for p in scorer.parts] == ["rules", "pair"]
    loaded = pair_scorer()
    assert isinstance(loaded.model, LinearModel) and set(loaded.model.features) == set(PAIR_FEATURES)


# -- real pairs ------------------------------------------------------------------------------------
def _pair(name: str):
    spec = next(s for s in load_gold() if s.name == name)
    return spec, load(shared_file(spec.source)), load(shared_file(spec.later))


def test_real_annotations_quote_their_documents():
    """Every gold directive and evidence sentence stands in the shared file it names."""
    specs = load_gold()
    assert len(specs) >= 15 and len({s.government for s in specs}) >= 13
    for spec in specs:
        source, later = shared_file(spec.source).read_text("utf-8"), shared_file(spec.later).read_text("utf-8")
        flat_source, flat_later = "".join(source.split()), "".join(later.split())
        for row in spec.gold:
            assert "".join(row["text"].split()) in flat_source, row["id"]
            assert all("".join(e["text"].split()) in flat_later for e in row["evidence"]), row["id"]
            assert row["status"] in ("done", "in_progress", "mentioned", "no_evidence", "overdue")


def test_combined_evidence_is_the_union_of_rules_and_pair_model():
    spec, source, later = _pair("hebei")
    key = lambda rows: {(r["text"], e["start"]) for r in rows for e in r["evidence"] if e["via"] == "text"}  # noqa: E731
    rules = followup(source, [later], spec.as_of, rules_scorer())
    pair = followup(source, [later], spec.as_of, pair_scorer())
    both = followup(source, [later], spec.as_of, combined_scorer())
    assert key(both) == key(rules) | key(pair)
    assert len(key(pair) - key(rules)) > 0


def test_chain_down_the_levels_is_read_and_shown_as_passed_down():
    """The State Council's plan (Markdown as published) followed by the 泰安 city notice."""
    folder = "pairs/chain-taian-2024"
    plan = load(shared_file(folder, "1-guowuyuan-anweihui-zhiben-gongjian-2024.md"))
    notice = load(shared_file(folder, "3-taian-anweiban-2024-03.md"))
    assert plan.doc.meta["level"] == "国家" and "泰安" in notice.doc.meta["place"]
    rows = followup(plan, [notice], dt.date(2024, 12, 31))
    vias = {e["via"] for r in rows for e in r["evidence"]}
    assert "downward" in vias


def test_eval_script_prints_a_summary_per_scorer():
    shared_file("eval", "score_track.py")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_track_real.py"), "--only", "rules",
                          "--score-only", "hebei"], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    line = out.strip().splitlines()[-1]
    assert line.startswith("rules") and "summary: evidence_f1=" in line and "found=6/6" in line


def test_gold_keeps_exactly_what_the_adjudicator_kept():
    """The raw labels are kept beside the gold, and the gold follows the adjudicator's decisions."""
    labels = ROOT / "corpus" / "annotations" / "track_real_labels"
    rows = [json.loads(line) for line in (labels / "out_A" / "A1.jsonl").read_text("utf-8").splitlines() if line]
    assert rows and all({"pair", "d", "evidence"} <= set(r) for r in rows)
    decided = [json.loads(line) for name in ("decisions.jsonl", "decisions2.jsonl")
               for line in (labels / name).read_text("utf-8").splitlines() if line]
    gold_keys = {(r["pair"], int(r["id"].split("#")[1])) for r in map(json.loads, REAL_PATH.read_text("utf-8").splitlines())}
    for d in decided:
        assert ((d["pair"], d["d"]) in gold_keys) == (d.get("keep") is not False)


def test_other_tasks_quote_their_documents_and_are_no_safety_directive():
    """The labelled other tasks of the same pairs: each quotes its pair's files, none is one of the
    safety directives scored, and the gold follows the adjudicators where the annotators differed."""
    from pipeline.track.demo import same_text
    from pipeline.track.train_real import EXTRA_PATH

    def flat(text: str) -> str:     # the files break lines with a zero-width space the parser drops
        return "".join(text.replace("\u200b", "").split())

    safety = {s.name: s for s in load_gold()}
    other = load_gold(EXTRA_PATH)
    assert sum(len(s.gold) for s in other) == 300 and {s.name for s in other} == set(safety)
    for spec in other:
        flat_source = flat(shared_file(spec.source).read_text("utf-8"))
        flat_later = flat(shared_file(spec.later).read_text("utf-8"))
        for row in spec.gold:
            assert flat(row["text"]) in flat_source, row["id"]
            assert all(flat(e["text"]) in flat_later for e in row["evidence"]), row["id"]
            assert not any(same_text(row["text"], g["text"]) for g in safety[spec.name].gold), row["id"]
    labels = ROOT / "corpus" / "annotations" / "track_real_other_labels"
    gold = {(r["pair"], int(r["id"].split("#")[1])): r for s in other for r in s.gold}
    for name in ("decisions_0.jsonl", "decisions_1.jsonl"):
        for line in (labels / name).read_text("utf-8").splitlines():
            d = json.loads(line)
            kept = sorted(int(e["id"].split("#")[1]) for e in gold[(d["pair"], d["d"])]["evidence"])
            assert kept == sorted({int(e["l"]) for e in d["evidence"]}), (d["pair"], d["d"])


def test_store_keeps_structure_and_links_passed_down(tmp_path):
    """The nightly store: a city notice re-ordering a provincial task is stored as passed down, and
    the index read back from the store has the sections and positions the pair model reads."""
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.store import open_db
    from pipeline.track.tracker import load_index, statuses, track_store

    plan = tmp_path / "plan.txt"
    plan.write_text("2025年安徽省政府工作报告\n2025年1月20日\n二、2025年重点工作\n"
                    "（十一）筑牢安全底线\n深入实施城市生命线安全工程，更新改造城市地下燃气管网4500公里。\n",
                    encoding="utf-8")
    notice = tmp_path / "notice.txt"
    notice.write_text("合肥市人民政府关于做好城市生命线安全工作的通知\n2025年3月2日\n"
                      "各区县要深入实施城市生命线安全工程，加快更新改造城市地下燃气管网。\n", encoding="utf-8")
    db = open_db(tmp_path / "d.db")
    ingest_paths(db, [plan, notice])
    places = dict(db.execute("SELECT source, place FROM documents").fetchall())
    if places.get(str(notice.resolve())) != "合肥市" or places.get(str(plan.resolve())) != "安徽省":
        pytest.skip(f"metadata did not read the places: {places}")
    track_store(db, as_of=dt.date(2025, 12, 31))
    vias = [r[0] for r in db.execute("SELECT via FROM evidence").fetchall()]
    assert vias == ["downward"]
    index = load_index(db)
    assert index.sections and (index.pos_of_row >= 0).all()
    st = statuses(db, dt.date(2025, 12, 31))
    assert [s.status for s in st.values() if s.evidence] == ["mentioned"]
