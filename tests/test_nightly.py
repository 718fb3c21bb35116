"""The nightly run: stages in order, optional stages found by name, one run at a time, the demo.

Sites are served on 127.0.0.1 by the tests; nothing reaches the network.
"""

from __future__ import annotations

import importlib.machinery
import json
import sqlite3
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import pipeline.nightly.orchestrate as nightly
from pipeline.cli import app
from pipeline.crawl.config import parse_sites
from pipeline.crawl.demo_site import DemoSite
from pipeline.nightly.lock import LOCKED_EXIT_CODE, RunLock
from pipeline.store import open_db
from tests.fixtures.crawl.trapsite import TrapSite, article_html, list_html, sites_toml

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo"
runner = CliRunner()


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


SENTENCES = [
    "禾丰街道要在6月底前完成燃气管道占压隐患排查整治，建立问题清单和整改台账。",
    "区住建局要牵头实施老旧小区消防设施改造，年底前完成改造任务。",
    "各街道（乡镇）要常态化开展电动自行车违规停放充电清理行动。",
]


@pytest.fixture
def small_site():
    site = TrapSite()
    site.add("/robots.txt", body=b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([("art/1.html", "通知一"), ("art/2.html", "通知二")]))
    site.add("/aqsc/art/1.html", body=article_html("关于开展燃气安全专项整治的通知", SENTENCES[:2]))
    site.add("/aqsc/art/2.html", body=article_html("关于开展电动自行车安全整治的通知", SENTENCES[2:]))
    yield site
    site.close()


def write_sites(site: TrapSite, path: Path, recheck_days: float = 7, crawl_extra: str = "") -> Path:
    path.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.02, timeout=5, recheck_days=recheck_days,
                               crawl_extra=crawl_extra), encoding="utf-8")
    return path


def fake_stage_module(monkeypatch, name: str, **functions) -> None:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    for key, value in functions.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)


# --------------------------------------------------------------------------- stages and summary


def test_nightly_runs_the_stages_and_prints_the_summary(small_site, tmp_path, monkeypatch):
    seen = {}

    def track_store(db, as_of=None):
        seen["track"] = db.execute("SELECT count(*) FROM directives").fetchone()[0]
        return {"new_evidence": 3, "overdue": 2}

    fake_stage_module(monkeypatch, "fake_duban_track", track_store=track_store)
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_track", "track_store"))
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_no_such_module", "update_index"))
    db = tmp_path / "duban.db"
    result = runner.invoke(app, ["nightly", "--sites", str(write_sites(small_site, tmp_path / "s.toml")),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = result.output
    for words in ("夜间运行 #1", "新抓取 3 页", "未变化 0 页", "失败 0 页", "新增文档 2 篇", "新增督办事项",
                  "提取：随导入完成", "新增落实线索 3 条", "索引：尚未提供，跳过", "逾期督办事项：2 条", f"数据库：{db}"):
        assert words in out, words
    assert seen["track"] > 0                    # tracking ran after ingest, on the new directives
    # The week's digest in one line: its count of new safety directives is the store's (all new this week).
    new_safety = rows(db, "SELECT count(*) FROM directives WHERE safety = 1")[0][0]
    assert f"近 7 天摘要：新增安全生产督办事项 {new_safety} 项" in out and "duban digest --since 7d" in out
    status, counts = rows(db, "SELECT status, counts FROM runs WHERE command = 'nightly'")[0]
    counts = json.loads(counts)
    assert status == "ok"
    assert counts["stages"] == {"crawl": "ok", "ingest": "ok", "extract": "ok", "track": "ok", "index": "skipped"}
    assert counts["track"] == {"new_evidence": 3, "overdue": 2} and counts["new_documents"] == 2


def test_missing_stages_are_skipped_with_a_word(small_site, tmp_path, monkeypatch):
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_no_track", "track_store"))
    fake_stage_module(monkeypatch, "fake_duban_index_without_function")
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_index_without_function", "update_index"))
    result = runner.invoke(app, ["nightly", "--sites", str(write_sites(small_site, tmp_path / "s.toml")),
                                 "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.output
    assert "跟踪：尚未提供，跳过" in result.output and "索引：尚未提供，跳过" in result.output
    assert "逾期督办事项：—" in result.output


def test_a_failing_stage_is_reported_and_the_next_still_runs(small_site, tmp_path, monkeypatch):
    called = []

    def broken(db, as_of=None):
        raise RuntimeError("跟踪出错了")

    fake_stage_module(monkeypatch, "fake_duban_broken", track_store=broken,
                      update_index=lambda db: called.append("index") or {"documents": 2})
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_broken", "track_store"))
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_broken", "update_index"))
    db = tmp_path / "d.db"
    result = runner.invoke(app, ["nightly", "--sites", str(write_sites(small_site, tmp_path / "s.toml")),
                                 "--db", str(db)])
    assert result.exit_code == 1
    assert "跟踪：出错：RuntimeError: 跟踪出错了" in result.output and called == ["index"]
    status, errors = rows(db, "SELECT status, errors FROM runs")[0]
    assert status == "failed" and ["track", "RuntimeError: 跟踪出错了"] in json.loads(errors)


def test_second_night_stores_nothing_new(small_site, tmp_path, monkeypatch):
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_none", "x"))
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_none", "x"))
    sites, db = write_sites(small_site, tmp_path / "s.toml", recheck_days=0), tmp_path / "d.db"
    first = runner.invoke(app, ["nightly", "--sites", str(sites), "--db", str(db)])
    n = len(small_site.hits)
    second = runner.invoke(app, ["nightly", "--sites", str(sites), "--db", str(db)])
    assert first.exit_code == second.exit_code == 0
    assert "新抓取 0 页，未变化 3 页，失败 0 页（请求 4 次，其中条件请求 4 次）" in second.output
    assert "新增文档 0 篇" in second.output
    assert all(h.conditional and h.status == 304 for h in small_site.hits[n:])
    assert rows(db, "SELECT count(*) FROM documents") == [(2,)]


def test_runs_command_shows_the_nightly_runs(small_site, tmp_path, monkeypatch):
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_none", "x"))
    db = tmp_path / "d.db"
    runner.invoke(app, ["nightly", "--sites", str(write_sites(small_site, tmp_path / "s.toml")), "--db", str(db)])
    result = runner.invoke(app, ["runs", "--db", str(db)])
    assert result.exit_code == 0 and "nightly" in result.output and "ok" in result.output


def test_nightly_summary_reports_pages_given_up(small_site, tmp_path, monkeypatch):
    """A link that fails two nights in a row with max_failures = 2 is given up, said so, and left alone."""
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_none", "x"))
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_none", "x"))
    small_site.routes["/aqsc/index.html"].body = list_html([("art/1.html", "通知一"), ("art/2.html", "通知二"),
                                                            ("art/gone.html", "已撤下的通知")])
    sites, db = write_sites(small_site, tmp_path / "s.toml", crawl_extra="max_failures = 2"), tmp_path / "d.db"
    outputs = [runner.invoke(app, ["nightly", "--sites", str(sites), "--db", str(db)]) for _ in range(3)]
    assert [r.exit_code for r in outputs] == [0, 0, 0]
    first, second, third = (r.output for r in outputs)
    assert "失败 1 页" in first and "放弃：" not in first
    assert "放弃：本次放弃 1 页（连续失败达到 max_failures 次），累计 1 页不再抓取" in second
    assert "失败 0 页" in third and "放弃：累计 1 页不再抓取" in third
    assert len(small_site.hits_for("/aqsc/art/gone.html")) == 2        # one request on each of two nights
    counts = [json.loads(c) for (c,) in rows(db, "SELECT counts FROM runs WHERE command = 'nightly' ORDER BY id")]
    assert [(c["pages_failed"], c["pages_given_up"], c["given_up_total"]) for c in counts] == \
        [(1, 0, 0), (1, 1, 1), (0, 0, 1)]
    assert rows(db, "SELECT state FROM frontier WHERE url = ?", (small_site.url("/aqsc/art/gone.html"),)) \
        == [("given_up",)]


# --------------------------------------------------------------------------- one run at a time


def test_a_second_nightly_says_so_and_exits_non_zero(small_site, tmp_path):
    db = tmp_path / "d.db"
    sites = write_sites(small_site, tmp_path / "s.toml")
    with RunLock(db):                                   # a first run holds the store
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "nightly", "--sites", str(sites), "--db", str(db)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        in_process = runner.invoke(app, ["crawl", "--sites", str(sites), "--db", str(db)])
    assert proc.returncode == LOCKED_EXIT_CODE
    assert "正在使用这个数据库" in proc.stderr and "本次不运行" in proc.stderr
    assert in_process.exit_code == LOCKED_EXIT_CODE
    assert small_site.hits == []                        # neither run touched the site
    # Once the first run is over, the next one runs.
    result = runner.invoke(app, ["crawl", "--sites", str(sites), "--db", str(db)])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- store


def test_crawl_tables_exist_in_a_new_store(tmp_path):
    db = open_db(tmp_path / "d.db")
    assert {"pages", "frontier"} <= set(db.table_names())
    assert {"url", "final_url", "fetched_at", "status", "etag", "last_modified", "sha256", "raw", "content_type",
            "error", "attempts", "site"} <= set(db["pages"].columns_dict)


def test_crawl_tables_are_made_in_a_store_whose_step_3_had_none(small_site, tmp_path):
    """Stores made while step 3 was still a no-op get the tables on first crawl."""
    db_path = tmp_path / "d.db"
    db = open_db(db_path)
    with db.conn:
        db.conn.execute("DROP TABLE frontier")
        db.conn.execute("DROP TABLE pages")
    db.conn.close()
    result = runner.invoke(app, ["crawl", "--sites", str(write_sites(small_site, tmp_path / "s.toml")),
                                 "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT count(*) FROM pages WHERE kind = 'article'") == [(2,)]


# --------------------------------------------------------------------------- the demo site and command


def test_demo_site_serves_lists_gbk_attachments_robots_and_304(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(7):
        (corpus / f"2025-0{i + 1}-01_notice_{i}.txt").write_text(f"关于第{i}项工作的通知\n{SENTENCES[i % 3]}\n",
                                                                 encoding="utf-8")
    import docx

    document = docx.Document()
    document.add_paragraph("附件正文：" + SENTENCES[0])
    document.save(corpus / "2025-01-01_notice_0.docx")
    with DemoSite(corpus, per_page=3) as site, httpx.Client(base_url=site.base_url) as client:
        assert "Disallow: /aqsc/art/draft/" in client.get("/robots.txt").text
        first = client.get("/aqsc/index.html")
        assert "下一页" in first.text and "/aqsc/index_1.html" in first.text
        assert client.get("/aqsc/index_2.html").status_code == 200
        assert client.get("/aqsc/index_3.html").status_code == 404
        gbk = client.get("/aqsc/art/2025-02-01_notice_1.html")
        assert gbk.headers["content-type"] == "text/html; charset=gb2312"
        assert "关于第1项工作的通知" in gbk.content.decode("gb18030")
        article = client.get("/aqsc/art/2025-01-01_notice_0.html").text
        assert '/aqsc/fj/2025-01-01_notice_0.docx' in article
        assert client.get("/aqsc/fj/2025-01-01_notice_0.docx").content.startswith(b"PK")
        again = client.get("/aqsc/index.html", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        since = client.get("/aqsc/index.html", headers={"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304


@pytest.mark.skipif(not DEMO.is_dir(), reason="corpus/demo is not there")
def test_demo_command_crawls_the_demo_corpus_into_a_fresh_store(tmp_path, monkeypatch):
    # Tracking and indexing have their own tests; here they would only add time.
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "track", ("fake_duban_none", "x"))
    monkeypatch.setitem(nightly.OPTIONAL_STAGES, "index", ("fake_duban_none", "x"))
    # The demo keeps its sites.toml in a folder of its own under the temporary directory: this test's.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "演示站点：http://127.0.0.1:" in result.output and f"数据库：{db}" in result.output
    assert "失败 0 页" in result.output
    fmts = {f for (f,) in rows(db, "SELECT fmt FROM documents")}
    texts = [p for p in DEMO.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf")]
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == len(texts)
    assert {"html"} <= fmts and ("docx" in fmts) == any(p.suffix == ".docx" for p in texts)
    assert rows(db, "SELECT status FROM runs") == [("ok",)]
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'skipped' AND reason LIKE 'robots%'") == [(1,)]


def test_benchmark_prints_its_figures():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_crawl.py"), "--articles", "4",
                           "--per-page", "2", "--delay", "0.02", "--sites", "0"],     # sites side by side: test_crawl
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ratio" in proc.stdout and "only conditional requests" in proc.stdout


def test_sites_toml_of_the_demo_site_parses(tmp_path):
    with DemoSite(tmp_path / "missing") as site:
        config = parse_sites(site.sites_toml())
        assert config.sites[0].start == (site.start_url,)
        assert httpx.get(site.start_url).status_code == 200
