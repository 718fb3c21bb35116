"""Search: Chinese words in FTS5, ranking, filters, query errors, the index kept in step.

Most tests run on a small store written row by row from
``fixtures/web/store.json`` (so they do not move when the extractor changes);
the tokenizer measurement runs on the shared dev documents when present.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.search.engine import FilterError, Filters, search, search_documents
from pipeline.search.highlight import spans, to_html, to_rich
from pipeline.search.index import update_index
from pipeline.search.query import QuerySyntaxError, compile_query
from pipeline.search.tokenize import query_words, words
from pipeline.store import open_db

from .conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "web"
AS_OF = dt.date(2025, 3, 1)
runner = CliRunner()


def _sha(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()


def build_store(path: Path, data: dict | None = None) -> "object":
    """A store holding the documents and directives of ``data`` (default store.json), exactly as written there."""
    if data is None:
        data = json.loads((FIXTURES / "store.json").read_text(encoding="utf-8"))
    db = open_db(path)
    with db.conn:
        for n, doc in enumerate(data["documents"]):
            parts: list[str] = [doc["title"]]
            spans_: list[tuple[int, int, dict]] = []
            pos = len(doc["title"]) + 1
            seen_headings: set[str] = set()
            for d in doc["directives"]:
                for h in d["heading"]:
                    if h not in seen_headings:
                        seen_headings.add(h)
                        parts.append(h)
                        pos += len(h) + 1
                spans_.append((pos, pos + len(d["text"]), d))
                parts.append(d["text"])
                pos += len(d["text"]) + 1
            if doc.get("body_extra"):
                parts.append(doc["body_extra"])
            body = "\n".join(parts)
            cur = db.conn.execute(
                "INSERT INTO documents (source, fmt, raw_sha256, text_sha256, title, date, published, place, level, "
                "speaker, speaker_role, meeting, kind, body, analysis, parser_version, ingested_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [doc["source"], "txt", f"raw{n}", _sha(body), doc["title"], doc["date"], doc["date"], doc["place"],
                 doc["level"], doc["speaker"], doc["speaker_role"], doc["meeting"], doc["kind"], body, body, "test",
                 "2025-01-01T00:00:00+00:00"])
            doc_id = cur.lastrowid
            offsets = []
            p = 0
            for line in body.split("\n"):
                offsets.append((p, p + len(line)))
                p += len(line) + 1
            for idx, (s, e) in enumerate(offsets):
                db.conn.execute('INSERT INTO sentences (doc_id, idx, start, "end", para, heading_level, heading_path) '
                                "VALUES (?,?,?,?,?,?,?)", [doc_id, idx, s, e, idx, None, "[]"])
            for s, e, d in spans_:
                assert body[s:e] == d["text"]
                dl = d["deadline"] or {}
                db.conn.execute(
                    'INSERT INTO directives (doc_id, start, "end", text, text_sha256, sectors, parties, party_types, '
                    "deadline_text, deadline_kind, deadline_date, heading_path, score, extractor_version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [doc_id, s, e, d["text"], _sha(d["text"]), json.dumps(d["sectors"], ensure_ascii=False),
                     json.dumps(d["parties"], ensure_ascii=False), "[]", dl.get("text"), dl.get("kind"),
                     dl.get("date"), json.dumps(d["heading"], ensure_ascii=False), 0.9, "test"])
    return db


@pytest.fixture
def store(db_path):
    return build_store(db_path)


def _texts(result) -> list[str]:
    return [h.text for h in result.hits]


# ---- tokenisation -----------------------------------------------------------------------------------

def test_chinese_words_are_indexed_inside_longer_runs():
    assert "消防" in words("要加强消防安全检查")
    assert {"建筑", "施工"} <= set(words("聚焦建筑施工领域"))       # search mode keeps the parts of long words
    assert "危化品" in words("危化品储罐")                         # sector words from the lexicon stay whole
    assert words("ＡＢＣ１２３") == ["abc123"]                      # full-width folded
    assert query_words("重大事故隐患排查") == ["重大", "事故", "隐患", "排查"]


def test_two_character_words_match_without_a_scan(store):
    result = search(store, "消防", as_of=AS_OF)
    assert _texts(result) == ["市消防救援支队要对商业综合体开展消防监督检查，立即整改发现的隐患。"]


# ---- ranking ------------------------------------------------------------------------------------------

def test_sentence_matches_rank_above_heading_only_matches(store):
    texts = _texts(search(store, "燃气", as_of=AS_OF))
    assert len(texts) == 4
    assert texts[-1] == "要加强宣传教育，提高群众安全意识。"     # 燃气 only in its heading


def test_all_words_must_match_and_the_better_match_comes_first(store):
    texts = _texts(search(store, "燃气 排查", as_of=AS_OF))
    assert texts[0] == "区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。"
    assert "各化工企业要对危化品储罐开展隐患排查，年底前完成。" not in texts


def test_or_not_and_phrase(store):
    assert len(_texts(search(store, "消防 OR 危化品", as_of=AS_OF))) == 2
    texts = _texts(search(store, "燃气 -台账", as_of=AS_OF))
    assert texts and all("台账" not in t for t in texts)
    assert _texts(search(store, '"管道占压"', as_of=AS_OF)) == [
        "区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。"]


def test_single_character_falls_back_to_substring(store):
    texts = _texts(search(store, "储", as_of=AS_OF))
    assert texts == ["各化工企业要对危化品储罐开展隐患排查，年底前完成。"]


def test_pasted_sentence_is_searched_word_by_word_when_nothing_has_every_word(store):
    result = search(store, "全年共排查整治燃气管道占压隐患56处", as_of=AS_OF)
    assert result.relaxed
    assert result.hits[0].text.startswith("区住建局要全面排查燃气管道占压隐患")


@pytest.mark.skipif(not (SHARED / "gold" / "track_dev.jsonl").exists(), reason="../shared dev set not available")
def test_jieba_words_beat_trigrams_on_the_dev_set():
    """The measurement behind the choice of tokenizer (pipeline/search/devset.py)."""
    from pipeline.search.devset import measure

    report = measure(SHARED)
    jieba, trigram, plain = report["jieba"], report["trigram"], report["unicode61"]
    assert jieba["short"]["recall@10"] >= 0.95
    assert jieba["followup"]["mrr"] > trigram["followup"]["mrr"]
    assert jieba["followup"]["recall@10"] > trigram["followup"]["recall@10"]
    assert jieba["short"]["mrr"] > 2 * plain["short"]["mrr"]


# ---- filters --------------------------------------------------------------------------------------------

def test_filters_narrow_the_hits(store):
    def ids(query="", **kw):
        return _texts(search(store, query, Filters(**kw), as_of=AS_OF))

    assert len(ids(sector="城镇燃气")) == 3
    assert ids(sector="危化品") == ids(sector="危险化学品") != []           # a synonym names the sector
    assert ids(party="住建") == ["区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。"]
    assert len(ids(place="临汾")) == 3
    assert len(ids(kind="讲话")) == len(ids(kind="speech")) == 3
    assert len(ids(date_from="2024-01-01")) == 4 and len(ids(date_to="2022-01-01")) == 3
    assert ids(due_before="2022-01-01") == ["各化工企业要对危化品储罐开展隐患排查，年底前完成。"]
    assert len(ids("燃气", sector="城镇燃气", party="住建", date_from="2024-01-01")) == 1


def test_status_filter_uses_deadlines_and_evidence(store):
    overdue = _texts(search(store, "", Filters(status="已逾期"), as_of=AS_OF))
    assert set(overdue) == {"区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。",
                            "各化工企业要对危化品储罐开展隐患排查，年底前完成。"}
    assert len(_texts(search(store, "", Filters(status="no_evidence"), as_of=AS_OF))) == 5


def test_bad_filter_values_are_explained():
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        Filters(date_from="2024/01/01")
    with pytest.raises(FilterError, match="落实状态"):
        Filters(status="未落实")


# ---- query errors and bound parameters ---------------------------------------------------------------

@pytest.mark.parametrize("query, message", [
    ('"燃气', "引号没有配对"),
    ("(燃气 OR 消防", "括号没有配对"),
    ("燃气)", "右括号"),
    ("OR 燃气", "OR"),
    ("燃气 OR", "OR"),
    ("-燃气", "不能只有排除词"),
    ("NOT", "排除词"),
    ("。。。", "没有可检索的文字"),
    ("()", "括号里没有检索词"),
    ("燃气 OR -消防", "排除词只能"),
])
def test_query_syntax_errors_have_clear_messages(store, query, message):
    with pytest.raises(QuerySyntaxError, match=re.escape(message)):
        search(store, query, as_of=AS_OF)


def test_cli_reports_syntax_errors_without_a_traceback(store, db_path):
    result = runner.invoke(app, ["search", '"燃气', "--db", str(db_path)])
    assert result.exit_code == 2
    assert "检索式有误" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_fts_and_sql_syntax_in_queries_is_only_text(store):
    for query in ["'; DROP TABLE directives; --", 'NEAR(燃气 排查)', "燃气*", "a:b", "^燃气", "燃气 AND AND 消防"]:
        try:
            search(store, query, as_of=AS_OF)
        except QuerySyntaxError:
            pass
    assert store.execute("SELECT count(*) FROM directives").fetchone()[0] == 7
    assert compile_query("燃气*").match == '"燃气"'


# ---- the index stays in step --------------------------------------------------------------------------

def test_reextraction_replaces_hits_and_the_queue_drains(store):
    from pipeline.extract.extractor import Directive
    from pipeline.corrections.carry import carry_forward
    from pipeline.store.documents import write_directives

    search(store, "燃气", as_of=AS_OF)
    assert store.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    doc_id = store.execute("SELECT id FROM documents WHERE title LIKE '%燃气%'").fetchone()[0]
    new = Directive(text="区住建局要在9月底前完成瓶装液化气钢瓶检测。", start=0, end=10, sectors=["城镇燃气"],
                    parties=["区住建局"], deadline=None)
    with store.conn:
        write_directives(store, doc_id, [new], "test-2", after_write=carry_forward)
    assert store.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 1
    assert _texts(search(store, "占压", as_of=AS_OF)) == []                 # the old rows left the index at once
    assert _texts(search(store, "钢瓶 检测", as_of=AS_OF)) == ["区住建局要在9月底前完成瓶装液化气钢瓶检测。"]
    assert update_index(store) == {"directives": 0, "documents": 0, "rebuilt": False}
    assert update_index(store, rebuild=True)["directives"] == 4


# ---- highlighting and output --------------------------------------------------------------------------

def test_highlights_are_escaped_and_marked():
    html = str(to_html("各街道要<script>alert(1)</script>整改燃气隐患", ["燃气"]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>燃气</mark>" in html
    assert spans("加强消防安全检查", ["消防 检查"]) == [(2, 4), (6, 8)]     # a term not found whole: its words
    assert to_rich("[red]燃气[/red]", ["燃气"]).count("[bold black on yellow]燃气[/]") == 1
    assert spans("燃氣管道", ["燃气"]) == [(0, 2)]                                   # traditional characters


def test_cli_table_json_and_documents(store, db_path):
    result = runner.invoke(app, ["search", "燃气", "排查", "--db", str(db_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "区住建局要全面排查燃气管道占压隐患" in result.output
    result = runner.invoke(app, ["search", "燃气", "--sector", "城镇燃气", "--format", "json", "--db", str(db_path)])
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and {"id", "text", "status", "status_label", "document", "deadline"} <= hits[0].keys()
    result = runner.invoke(app, ["search", "--status", "未落实", "--db", str(db_path)])
    assert result.exit_code == 2 and "筛选条件有误" in result.output
    docs, _ = search_documents(store, "消防 监督检查")
    assert {d.title for d in docs} == {"在全市安全生产专题会议上的讲话", "青禾区2024年安全生产工作总结"}
    assert "监督检查" in docs[0].snippet
    result = runner.invoke(app, ["search", "燃气", "--documents", "--format", "json", "--db", str(db_path)])
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2


def test_corrections_and_document_changes_reach_the_filters(store):
    from pipeline.corrections import log as corrections

    did = store.execute("SELECT id FROM directives WHERE text LIKE '各化工企业%'").fetchone()[0]
    assert _texts(search(store, "排查", Filters(party="应急"), as_of=AS_OF)) == []
    corrections.record(store, did, "parties", ["市应急管理局"], "李四")
    corrections.record(store, did, "sectors", ["危险化学品", "工贸"], "李四")
    assert _texts(search(store, "排查", Filters(party="应急"), as_of=AS_OF)) == [
        "各化工企业要对危化品储罐开展隐患排查，年底前完成。"]
    assert len(_texts(search(store, "", Filters(sector="工贸"), as_of=AS_OF))) == 1
    with store.conn:
        store.conn.execute("UPDATE documents SET place = '运城市' WHERE place = '临汾市'")
    assert _texts(search(store, "排查", Filters(place="临汾"), as_of=AS_OF)) == []
    assert len(_texts(search(store, "排查", Filters(place="运城"), as_of=AS_OF))) == 1


def test_a_place_written_in_traditional_characters_is_found_by_its_simplified_name(store):
    """A traditional re-host keeps its place as written (臨汾市); staff type 临汾 and find it, in the directive
    list and among documents."""
    with store.conn:
        store.conn.execute("UPDATE documents SET place = '臨汾市' WHERE place = '临汾市'")
    assert len(_texts(search(store, "", Filters(place="临汾"), as_of=AS_OF))) == 3
    assert len(_texts(search(store, "", Filters(place="臨汾"), as_of=AS_OF))) == 3
    found = [[h.title for h in search_documents(store, "", Filters(place=name))[0]] for name in ("临汾", "臨汾")]
    assert found[0] == found[1] != []


def test_a_unit_corrected_away_is_not_found_under_it_and_a_unit_corrected_in_is(store, db_path):
    """The unit filter (list, overview, notices) reads corrected parties' units as it reads the machine's,
    through re-extraction and through schema step 12 on a store made before it."""
    from pipeline.corrections import log as corrections
    from pipeline.search.records import load

    did = store.execute("SELECT id FROM directives WHERE text LIKE '各化工企业%'").fetchone()[0]
    with store.conn:                                                 # as the extractor writes it
        store.conn.execute("""UPDATE directives SET parties = '["各化工企业"]', party_types = '["企业"]' WHERE id = ?""", [did])
    task = "各化工企业要对危化品储罐开展隐患排查，年底前完成。"

    def under(unit: str, db=store) -> list[str]:
        return _texts(search(db, "", Filters(party=unit), as_of=AS_OF))

    assert task in under("企业") and task not in under("应急管理部门")
    corrections.record(store, did, "parties", ["市应急管理局"], "李四")
    assert task not in under("企业") and task in under("应急管理部门")
    assert load(store, [did], as_of=AS_OF)[0].party_types == ["应急管理部门"]
    corrections.record(store, did, "parties", None, "李四")            # back to the machine's parties
    assert task in under("企业")

    corrections.record(store, did, "parties", ["市应急管理局"], "李四")
    from pipeline.corrections.carry import carry_forward
    from pipeline.extract.extractor import Directive
    from pipeline.store.documents import write_directives

    doc_id, text, start, end = store.execute('SELECT doc_id, text, start, "end" FROM directives WHERE id = ?', [did]).fetchone()
    recut = Directive(text=text + "确保不留死角。", start=start, end=end + 7, sectors=[], parties=["各化工企业"],
                      deadline=None, party_types=["企业"])
    with store.conn:                                                 # re-extraction cuts the sentence longer
        write_directives(store, doc_id, [recut], "test-2", after_write=carry_forward)
    assert recut.text in under("应急管理部门") and recut.text not in under("企业")
    with store.conn:                                                 # a store of duban before step 12
        store.conn.execute("ALTER TABLE corrections_current DROP COLUMN party_types")
    store.execute("PRAGMA user_version = 11")
    store.conn.close()
    again = open_db(db_path)
    assert {r[0] for r in again.execute("SELECT party_types FROM corrections_current WHERE parties IS NOT NULL")} == {
        '["应急管理部门"]'}
    assert recut.text in under("应急管理部门", again) and recut.text not in under("企业", again)


def test_broad_queries_rank_the_newest_matches(store, monkeypatch):
    from pipeline.search import engine

    monkeypatch.setattr(engine, "CAP", 2)
    result = search(store, "燃气", as_of=AS_OF, count=True)
    assert result.capped and result.total == 4 and len(result.hits) == 2
    assert not search(store, "消防", as_of=AS_OF).capped


def test_capped_ranking_walks_further_when_exact_conditions_reject(store, monkeypatch):
    from pipeline.search import engine

    monkeypatch.setattr(engine, "CAP", 1)
    texts = _texts(search(store, "燃气 管", as_of=AS_OF))     # 管: a one-character term, checked in SQL
    assert texts == ["区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。"]


def test_a_quoted_query_on_the_command_line_is_a_query_and_quoted_words_a_phrase():
    from pipeline.cli.search import join_query

    assert join_query(["燃气 NOT 演练"]) == "燃气 NOT 演练"
    assert join_query(["燃气 OR 消防", "排查"]) == "燃气 OR 消防 排查"
    assert join_query(["燃气 -演练"]) == "燃气 -演练"
    assert join_query(["(燃气 OR 消防) 排查"]) == "(燃气 OR 消防) 排查"
    assert join_query(["隐患 排查"]) == '"隐患 排查"'
    assert join_query(["燃气", "排查"]) == "燃气 排查"
