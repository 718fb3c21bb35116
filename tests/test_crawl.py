"""The crawler against a local site full of traps, over two nights, and killed half-way.

The sites are started by the tests on 127.0.0.1 (tests/fixtures/crawl/trapsite.py);
nothing reaches the network. Delays are short (0.05 s) to keep the suite fast.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.crawl.config import ConfigError, parse_sites
from pipeline.crawl.fetcher import HostGate, _retry_after
from pipeline.crawl.links import Link, classify, extract_links
from tests.fixtures.crawl.trapsite import BASE_TIME, DELAY, TrapSite, article_html, list_html, sites_toml

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

TOWNS = ["禾丰街道", "青溪街道", "望湖街道", "柳塘镇", "石桥镇", "云岭乡", "东关街道", "西岭镇", "南湖乡", "北山镇",
         "白沙镇", "桃源乡", "龙泉街道", "凤鸣镇", "金川乡"]
TASKS = ["燃气管道占压隐患排查整治", "高层建筑消防设施专项检查", "电动自行车集中充电设施建设", "危险化学品企业风险评估",
         "经营性自建房安全隐患排查", "建筑工地起重机械专项检查", "防汛物资储备核查", "粉尘涉爆企业除尘系统改造",
         "老旧小区消防通道清理", "餐饮场所燃气报警装置安装", "道路运输车辆动态监控", "校园周边交通安全整治",
         "地下空间消防安全排查", "水上交通安全隐患整治", "森林防火隔离带建设"]


WORDS = ("安全 生产 排查 整治 隐患 燃气 消防 管道 设施 企业 街道 乡镇 部门 督导 检查 台账 清单 方案 预案 演练 "
         "培训 宣传 教育 责任 落实 监管 执法 风险 防控 应急 救援 物资 储备 值班 值守 信息 报送 通报 考核 问责 "
         "建筑 施工 交通 运输 危化 工贸 粉尘 有限 空间 高层 老旧 小区 充电 车辆 道路 水上 森林 防火 防汛 地质 "
         "灾害 气象 预警 监测 巡查 整改 销号 闭环 专项 行动 攻坚 治本 基础 能力 建设 队伍 装备 经费 保障 机制").split()


def paragraphs(n: int, extra: str = "") -> list[str]:
    """Text for article ``n``: one directive sentence and word salad drawn with seed ``n``.

    The salad keeps any two articles far below the store's near-duplicate threshold
    (and out of each other's MinHash bands), so each stays its own document.
    """
    import random

    rng = random.Random(n)
    town, task = TOWNS[n % len(TOWNS)], TASKS[n % len(TASKS)]
    salad = ["".join(rng.choice(WORDS) for _ in range(rng.randint(12, 18))) + "。" for _ in range(4)]
    return [f"{town}要在{n % 12 + 1}月底前完成{task}。{extra}", *salad]


def docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(line, style) for line in lines])
    return buffer.getvalue()


def crawl_cli(sites: Path, db: Path, *args: str):
    return runner.invoke(app, ["crawl", "--sites", str(sites), "--db", str(db), *args])


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------- the trap site, two nights

GBK_NAMES = ["副县长王喆", "县住建局局长李镕"]     # 喆 and 镕 are in GBK but not in GB2312


def build_trap_site(site: TrapSite, off: TrapSite) -> None:
    """Night one. Paths under /aqsc/art/ are articles; /files/ holds attachments."""
    site.add("/robots.txt", body=b"User-agent: *\nDisallow: /aqsc/art/secret\n", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([
        ("art/a1.html", "关于开展燃气安全排查的通知"),          # 500 first, then 200
        ("art/a2.html", "县政府召开安全生产推进会"),            # GBK declared gb2312, links a .docx
        ("art/secret.html", "内部草稿"),                        # robots.txt forbids
        (off.url("/aqsc/art/x.html"), "市局文章"),              # another host
        ("art/slow.html", "慢页面"),                            # slower than the timeout (night one)
        ("art/moved.html", "已迁移的文章"),                      # 301 within the site
        ("art/away.html", "跳到站外"),                          # 302 to another host
        ("art/reset.html", "连接被重置"),                        # connection reset once, then 200
        ("/files/fangan.pdf", "工作方案（PDF）"),               # attachment on a list page
        ("index_1.html", "2"),
        ("index_1.html", "下一页"),
    ]))
    site.add("/aqsc/index_1.html", etag=False, content_type="text/html; charset=gb2312", body=list_html([
        ("art/b1.html", "第二页的文章"), ("/aqsc/more.html", "下一页"), ("index.html", "上一页"),
    ], charset="gb2312"))
    # Reached only through its 下一页 link: no follow regex matches it.
    site.add("/aqsc/more.html", last_modified=None, body=list_html([("art/c1.html", "第三页的文章")]))
    site.add("/aqsc/art/a1.html", fail_first=1, body=article_html("关于开展燃气安全排查的通知", paragraphs(1)))
    site.add("/aqsc/art/a2.html", content_type="text/html; charset=gb2312", body=article_html(
        "县政府召开安全生产推进会", [f"会议由{GBK_NAMES[0]}主持，{GBK_NAMES[1]}通报了燃气安全整治进展。", *paragraphs(2)],
        charset="gb2312", extra='<p>附件：<a href="/files/fujian.docx">整治任务清单.docx</a></p>'))
    site.add("/aqsc/art/secret.html", body=article_html("内部草稿", paragraphs(3)))
    site.add("/aqsc/art/slow.html", sleep=1.0, body=article_html("慢页面", paragraphs(4)))
    site.add("/aqsc/art/moved.html", status=301, location="/aqsc/art/moved-new.html", etag=False, last_modified=None)
    site.add("/aqsc/art/moved-new.html", body=article_html("已迁移的文章", paragraphs(5)))
    site.add("/aqsc/art/away.html", status=302, location=off.url("/elsewhere.html"), etag=False, last_modified=None)
    site.add("/aqsc/art/reset.html", reset_first=1, body=article_html("连接被重置", paragraphs(6)))
    site.add("/aqsc/art/b1.html", body=article_html("第二页的文章", paragraphs(7)))
    site.add("/aqsc/art/c1.html", body=article_html("第三页的文章", paragraphs(8)))
    site.add("/files/fujian.docx", content_type="application/octet-stream",
             body=docx_bytes(["整治任务清单", *paragraphs(9)]))
    site.add("/files/fangan.pdf", content_type="application/pdf", body=pdf_bytes(["工作方案", *paragraphs(10)]))
    off.add("/aqsc/art/x.html", body=article_html("市局文章", paragraphs(11)))
    off.add("/elsewhere.html", body=article_html("站外", paragraphs(12)))


def second_night(site: TrapSite) -> None:
    """A new article on the first list page; the slow page is fast again; nothing else changes."""
    index = site.routes["/aqsc/index.html"]
    index.body = index.body.replace(b"<ul>", '<ul><li><a href="art/new.html">新发布的文章</a></li>'.encode(), 1)
    index.last_modified = BASE_TIME + dt.timedelta(days=1)
    site.add("/aqsc/art/new.html", body=article_html("新发布的文章", paragraphs(13)))
    site.routes["/aqsc/art/slow.html"].sleep = 0


@dataclass
class Nights:
    site: TrapSite
    off: TrapSite
    db: Path
    sites: Path
    first: object
    second: object
    night_one_hits: int
    night_one_pages: dict[str, tuple]

    def url(self, path: str) -> str:
        return self.site.url(path)

    @property
    def second_hits(self):
        return self.site.hits[self.night_one_hits:]


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> Nights:
    tmp = tmp_path_factory.mktemp("nights")
    site, off = TrapSite(), TrapSite()
    build_trap_site(site, off)
    db, sites = tmp / "duban.db", tmp / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html")), encoding="utf-8")
    first = crawl_cli(sites, db)
    n = len(site.hits)
    before = {r[0]: r[1:] for r in rows(db, "SELECT url, sha256, changed_at, raw FROM pages")}
    second_night(site)
    second = crawl_cli(sites, db)
    yield Nights(site, off, db, sites, first, second, n, before)
    site.close()
    off.close()


def test_first_night_finishes_despite_failures(nights: Nights):
    assert nights.first.exit_code == 0, nights.first.output
    assert "新抓取" in nights.first.output and "失败 2 页" in nights.first.output
    status, counts = rows(nights.db, "SELECT status, counts FROM runs WHERE command = 'crawl' ORDER BY id")[0]
    assert status == "partial"
    assert json.loads(counts)["pages_failed"] == 2


def test_robots_disallowed_path_is_never_requested(nights: Nights):
    assert nights.site.hits_for("/aqsc/art/secret.html") == []
    assert nights.site.hits_for("/robots.txt")
    assert rows(nights.db, "SELECT state, reason FROM frontier WHERE url = ?",
                (nights.url("/aqsc/art/secret.html"),)) == [("skipped", "robots.txt 禁止抓取")]


def test_only_the_start_hosts_are_fetched(nights: Nights):
    assert nights.off.hits == []        # neither the off-site link nor the off-site redirect
    reason = rows(nights.db, "SELECT error FROM pages WHERE url = ?", (nights.url("/aqsc/art/away.html"),))[0][0]
    assert "站外" in reason


def test_500_then_200_is_retried_and_stored(nights: Nights):
    statuses = [h.status for h in nights.site.hits_for("/aqsc/art/a1.html")]
    assert statuses[:2] == [500, 200]
    status, error, attempts = rows(nights.db, "SELECT status, error, attempts FROM pages WHERE url = ?",
                                   (nights.url("/aqsc/art/a1.html"),))[0]
    assert (status, error, attempts) == (200, None, 2)


def test_connection_reset_is_retried(nights: Nights):
    assert [h.status for h in nights.site.hits_for("/aqsc/art/reset.html")][:2] == [None, 200]
    assert rows(nights.db, "SELECT count(*) FROM documents WHERE source = ?", (nights.url("/aqsc/art/reset.html"),)) \
        == [(1,)]


def test_slow_page_fails_with_its_reason_and_is_retried_next_night(nights: Nights):
    url = nights.url("/aqsc/art/slow.html")
    night_one = nights.night_one_pages[url]
    assert night_one[2] is None                                  # no bytes stored on night one
    first_errors = json.loads(rows(nights.db, "SELECT errors FROM runs ORDER BY id")[0][0])
    assert any(u == url and "超时" in reason for u, reason in first_errors)
    assert len([h for h in nights.site.hits[:nights.night_one_hits] if h.path == "/aqsc/art/slow.html"]) == 2
    status, error, failures = rows(nights.db, "SELECT status, error, failures FROM pages WHERE url = ?", (url,))[0]
    assert (status, error, failures) == (200, None, 0)          # night two got it
    assert rows(nights.db, "SELECT count(*) FROM documents WHERE source = ?", (url,)) == [(1,)]


def test_301_is_followed_within_the_site(nights: Nights):
    final_url, status = rows(nights.db, "SELECT final_url, status FROM pages WHERE url = ?",
                             (nights.url("/aqsc/art/moved.html"),))[0]
    assert final_url == nights.url("/aqsc/art/moved-new.html") and status == 200
    assert rows(nights.db, "SELECT title FROM documents WHERE source = ?", (nights.url("/aqsc/art/moved.html"),)) \
        == [("已迁移的文章",)]


def test_gbk_pages_declared_gb2312_are_read_without_mojibake(nights: Nights):
    body = rows(nights.db, "SELECT body FROM documents WHERE source = ?", (nights.url("/aqsc/art/a2.html"),))[0][0]
    assert all(name in body for name in GBK_NAMES)
    # The list page in GBK was walked too: its article is stored.
    assert rows(nights.db, "SELECT title FROM documents WHERE source = ?", (nights.url("/aqsc/art/b1.html"),)) \
        == [("第二页的文章",)]


def test_pagination_by_follow_regex_and_by_next_page_link(nights: Nights):
    assert nights.site.hits_for("/aqsc/index_1.html") and nights.site.hits_for("/aqsc/more.html")
    assert rows(nights.db, "SELECT count(*) FROM documents WHERE source = ?", (nights.url("/aqsc/art/c1.html"),)) \
        == [(1,)]
    # index_1.html is linked twice on index.html and back from itself: fetched once a night.
    assert len([h for h in nights.site.hits[:nights.night_one_hits] if h.path == "/aqsc/index_1.html"]) == 1


def test_docx_and_pdf_attachments_are_ingested(nights: Nights):
    got = dict(rows(nights.db, "SELECT source, fmt FROM documents WHERE source LIKE '%/files/%'"))
    assert got == {nights.url("/files/fujian.docx"): "docx", nights.url("/files/fangan.pdf"): "pdf"}


def test_raw_bytes_are_kept(nights: Nights):
    raw = rows(nights.db, "SELECT raw FROM pages WHERE url = ?", (nights.url("/aqsc/art/a2.html"),))[0][0]
    assert raw == nights.site.routes["/aqsc/art/a2.html"].body


def test_delay_holds_between_any_two_requests_to_the_host(nights: Nights):
    times = [h.time for h in nights.site.hits]
    gaps = [b - a for night in (times[:nights.night_one_hits], times[nights.night_one_hits:])
            for a, b in zip(night, night[1:])]
    assert min(gaps) >= DELAY * 0.95


def test_user_agent_is_sent(nights: Nights):
    assert {h.user_agent for h in nights.site.hits} == {"duban-test/0.1 (+https://example.org/duban)"}


def test_second_night_sends_conditional_requests_and_stores_nothing_for_304(nights: Nights):
    assert nights.second.exit_code == 0, nights.second.output
    by_path = {}
    for hit in nights.second_hits:
        by_path.setdefault(hit.path, []).append(hit)
    # Everything stored on night one is asked for conditionally.
    for path in ("/robots.txt", "/aqsc/index.html", "/aqsc/index_1.html", "/aqsc/more.html"):
        assert all(h.conditional for h in by_path[path]), path
    assert by_path["/aqsc/index_1.html"][0].if_modified_since and not by_path["/aqsc/index_1.html"][0].if_none_match
    assert by_path["/aqsc/more.html"][0].if_none_match and not by_path["/aqsc/more.html"][0].if_modified_since
    assert [h.status for h in by_path["/aqsc/index_1.html"]] == [304]
    assert [h.status for h in by_path["/aqsc/index.html"]] == [200]    # it changed: a new article
    for url in (nights.url("/aqsc/index_1.html"), nights.url("/aqsc/more.html"), nights.url("/robots.txt")):
        sha, changed_at, _raw = rows(nights.db, "SELECT sha256, changed_at, raw FROM pages WHERE url = ?", (url,))[0]
        assert (sha, changed_at) == nights.night_one_pages[url][:2]
    counts = json.loads(rows(nights.db, "SELECT counts FROM runs ORDER BY id DESC LIMIT 1")[0][0])
    assert counts["pages_not_modified"] == 2 and counts["pages_failed"] == 1   # away.html still goes off-site


def test_stored_articles_are_not_fetched_again(nights: Nights):
    asked = {h.path for h in nights.second_hits if "/art/" in h.path or "/files/" in h.path}
    # Only what failed on night one and what is new; away.html failed (off-site redirect) and is retried.
    assert asked == {"/aqsc/art/slow.html", "/aqsc/art/new.html", "/aqsc/art/away.html"}


def test_a_page_that_appears_on_the_second_night_is_ingested_then(nights: Nights):
    url = nights.url("/aqsc/art/new.html")
    assert url not in nights.night_one_pages
    assert rows(nights.db, "SELECT title FROM documents WHERE source = ?", (url,)) == [("新发布的文章",)]
    assert "新增文档 2 篇" in nights.second.output        # new.html and the slow page


def test_no_duplicate_documents_after_two_nights(nights: Nights):
    assert rows(nights.db, "SELECT source, count(*) FROM documents GROUP BY source HAVING count(*) > 1") == []
    assert rows(nights.db, "SELECT count(*) FROM documents")[0][0] == 10   # 8 on night one, 2 on night two


def test_recheck_is_conditional_and_refetches_only_what_changed(nights: Nights, tmp_path: Path):
    """With recheck_days = 0 every stored article is asked again — conditionally; a changed one is re-ingested."""
    sites = tmp_path / "recheck.toml"
    sites.write_text(sites_toml(nights.url("/aqsc/index.html"), recheck_days=0), encoding="utf-8")
    a1 = nights.site.routes["/aqsc/art/a1.html"]
    a1.body = article_html("关于开展燃气安全排查的通知（修订）", paragraphs(99, extra="本通知已修订。"))
    start = len(nights.site.hits)
    result = crawl_cli(sites, nights.db)
    assert result.exit_code == 0, result.output
    hits = nights.site.hits[start:]
    articles = [h for h in hits if "/art/" in h.path and h.path not in ("/aqsc/art/away.html",
                                                                         "/aqsc/art/moved.html")]
    assert articles and all(h.conditional for h in articles)
    assert {h.path for h in articles if h.status == 200} == {"/aqsc/art/a1.html"}
    titles = [t for (t,) in rows(nights.db, "SELECT title FROM documents WHERE source = ? ORDER BY id",
                                 (nights.url("/aqsc/art/a1.html"),))]
    assert titles == ["关于开展燃气安全排查的通知", "关于开展燃气安全排查的通知（修订）"]


def test_runs_lists_the_crawls(nights: Nights):
    result = runner.invoke(app, ["runs", "--db", str(nights.db)])
    assert result.exit_code == 0 and "crawl" in result.output


def small_site(robots: dict) -> TrapSite:
    site = TrapSite()
    site.add("/robots.txt", content_type="text/plain", **robots)
    site.add("/aqsc/index.html", body=list_html([("art/1.html", "通知一"), ("art/2.html", "通知二")]))
    site.add("/aqsc/art/1.html", body=article_html("通知一", paragraphs(60)))
    site.add("/aqsc/art/2.html", body=article_html("通知二", paragraphs(61)))
    return site


@pytest.mark.parametrize("status", [404, 503])
def test_robots_txt_missing_allows_all_and_unreachable_allows_nothing(tmp_path: Path, status: int):
    """RFC 9309: a 4xx robots.txt means no rules; a 5xx means the host is not crawled this run."""
    site = small_site({"status": status, "body": b"", "etag": False, "last_modified": None})
    sites = tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01), encoding="utf-8")
    try:
        result = crawl_cli(sites, tmp_path / "duban.db")
    finally:
        site.close()
    assert result.exit_code == 0, result.output
    paths = {h.path for h in site.hits}
    if status == 404:
        assert {"/aqsc/index.html", "/aqsc/art/1.html", "/aqsc/art/2.html"} <= paths
    else:
        assert paths == {"/robots.txt"}
        assert "robots.txt 无法获取" in result.output
        assert rows(tmp_path / "duban.db", "SELECT state FROM frontier") == [("failed",)]   # retried next run


def test_robots_crawl_delay_slows_the_crawler_down(tmp_path: Path):
    site = small_site({"body": b"User-agent: *\nCrawl-delay: 0.3\n"})
    sites = tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01), encoding="utf-8")
    try:
        assert crawl_cli(sites, tmp_path / "duban.db", "--no-ingest").exit_code == 0
    finally:
        site.close()
    times = [h.time for h in site.hits]
    assert len(times) == 4 and min(b - a for a, b in zip(times[1:], times[2:])) >= 0.3 * 0.95


# --------------------------------------------------------------------------- giving up on a page


def _night(sites: Path, db: Path):
    result = crawl_cli(sites, db, "--no-ingest")
    assert result.exit_code == 0, result.output
    return result


def _frontier(db: Path, url: str) -> tuple:
    return rows(db, "SELECT f.state, f.reason, p.failures FROM frontier f JOIN pages p ON p.url = f.url "
                    "WHERE f.url = ?", (url,))[0]


def test_a_page_failing_every_night_is_given_up_after_max_failures(tmp_path: Path):
    """Three failed nights in a row (max_failures = 3): given up, counted, and never asked again."""
    site = TrapSite()
    site.add("/robots.txt", body=b"", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([("art/dead.html", "已删除"), ("art/ok.html", "正常")]))
    site.add("/aqsc/art/ok.html", body=article_html("正常", paragraphs(70)))     # /aqsc/art/dead.html: 404
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0, crawl_extra="max_failures = 3"),
                     encoding="utf-8")
    dead = site.url("/aqsc/art/dead.html")
    try:
        for night in (1, 2):
            out = _night(sites, db).output
            assert _frontier(db, dead) == ("failed", "HTTP 404", night) and "放弃" not in out
        third = _night(sites, db).output
        state, reason, failures = _frontier(db, dead)
        assert (state, failures) == ("given_up", 3) and reason.startswith("连续 3 次抓取失败，已放弃")
        assert "放弃：本次放弃 1 页（连续失败达到 max_failures 次），累计 1 页不再抓取" in third
        assert "放弃的不再重试" in third
        assert "失败，已放弃" in third and dead in third
        fourth = _night(sites, db).output
        assert len(site.hits_for("/aqsc/art/dead.html")) == 3                  # the fourth night left it alone
        assert _frontier(db, dead)[0] == "given_up"
        assert "失败 0 页" in fourth and "放弃：累计 1 页不再抓取" in fourth and "本次放弃" not in fourth
        counts = [json.loads(c) for (c,) in rows(db, "SELECT counts FROM runs ORDER BY id")]
        assert [c["pages_given_up"] for c in counts] == [0, 0, 1, 0]
        assert [c["given_up_total"] for c in counts] == [0, 0, 1, 1]
        assert [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["partial"] * 3 + ["ok"]
        assert "放弃 1" in runner.invoke(app, ["runs", "--db", str(db)]).output

        # A raised cap brings it back: asked again, and given up again when it reaches the new cap.
        sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0,
                                    crawl_extra="max_failures = 4"), encoding="utf-8")
        fifth = _night(sites, db).output
        assert "本次放弃 1 页" in fifth and "重新尝试 1 页（max_failures 已放宽）" in fifth
        assert len(site.hits_for("/aqsc/art/dead.html")) == 4 and _frontier(db, dead)[:1] == ("given_up",)
    finally:
        site.close()


def test_a_success_resets_the_count_so_only_failures_in_a_row_give_up(tmp_path: Path):
    site = TrapSite()
    site.add("/robots.txt", body=b"", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([("art/flaky.html", "时好时坏")]))
    flaky = site.add("/aqsc/art/flaky.html", status=500, body=article_html("时好时坏", paragraphs(71)))
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0, recheck_days=0,
                                crawl_extra="max_failures = 3"), encoding="utf-8")
    url = site.url("/aqsc/art/flaky.html")
    try:
        seen = []
        for status in (500, 500, 200, 500, 500):            # never three failures in a row
            flaky.status = status
            _night(sites, db)
            seen.append(_frontier(db, url)[::2])
    finally:
        site.close()
    assert seen == [("failed", 1), ("failed", 2), ("done", 0), ("failed", 1), ("failed", 2)]
    assert len(site.hits_for("/aqsc/art/flaky.html")) == 5


def test_start_urls_are_never_given_up_and_sites_have_their_own_cap(tmp_path: Path):
    site = TrapSite()
    site.add("/robots.txt", body=b"", content_type="text/plain")         # /aqsc/index.html: 404
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0,
                                crawl_extra="max_failures = 5", site_extra="max_failures = 1"), encoding="utf-8")
    start = site.url("/aqsc/index.html")
    try:
        for night in (1, 2, 3):
            out = _night(sites, db).output
            assert _frontier(db, start) == ("failed", "HTTP 404", night) and "放弃" not in out
    finally:
        site.close()
    assert len(site.hits_for("/aqsc/index.html")) == 3


def test_max_failures_in_the_sites_file():
    base = "[[site]]\nname='a'\nstart=['http://h/']\n"
    assert parse_sites(base).sites[0].max_failures == 5                                     # the default
    config = parse_sites("[crawl]\nmax_failures = 2\n" + base + "[[site]]\nname='b'\nstart=['http://g/']\n"
                         "max_failures = 0\n")
    assert config.crawl.max_failures == 2 and [s.max_failures for s in config.sites] == [2, 0]
    never = config.sites[1]
    assert not never.gives_up("http://g/art/1.html", 1000)                                  # 0: never
    assert config.sites[0].gives_up("http://h/art/1.html", 2) and not config.sites[0].gives_up("http://h/", 2)
    for bad, words in (("[crawl]\nmax_failures = -1\n" + base, "不能为负"), (base + "max_failures = -1", "max_failures"),
                       (base + "max_failures = true", "max_failures"), (base + "max_failures = 1.5", "max_failures")):
        with pytest.raises(ConfigError, match=words):
            parse_sites(bad)


# --------------------------------------------------------------------------- kill -9 and resume


def test_kill_9_mid_crawl_then_a_clean_finish(tmp_path: Path):
    site = TrapSite(slow_prefix="/k/art/", slow_seconds=0.25)
    n_articles = 12
    items = [(f"art/{i}.html", f"文章{i}") for i in range(n_articles // 2)] + [("index_1.html", "下一页")]
    site.add("/robots.txt", body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add("/k/index.html", body=list_html(items))
    site.add("/k/index_1.html", body=list_html([(f"art/{i}.html", f"文章{i}") for i in range(n_articles // 2,
                                                                                            n_articles)]))
    for i in range(n_articles):
        site.add(f"/k/art/{i}.html", body=article_html(f"第{i}号通知", paragraphs(20 + i)))
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/k/index.html"), delay=0.02, timeout=5, prefix="/k"), encoding="utf-8")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "crawl", "--sites", str(sites), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                stored = rows(db, "SELECT count(*) FROM pages WHERE kind = 'article' AND raw IS NOT NULL")[0][0]
            except sqlite3.OperationalError:
                continue          # the store is still being created
            if stored >= 4:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        before = {u for (u,) in rows(db, "SELECT url FROM pages WHERE kind = 'article' AND raw IS NOT NULL")}
        assert 4 <= len(before) < n_articles, "the kill should land in the middle of the crawl"
        killed_at = time.monotonic()

        site.slow_seconds = 0
        result = crawl_cli(sites, db)
        assert result.exit_code == 0, result.output
    finally:
        site.close()

    urls = {site.url(f"/k/art/{i}.html") for i in range(n_articles)}
    assert {u for (u,) in rows(db, "SELECT url FROM pages WHERE kind = 'article' AND raw IS NOT NULL")} == urls
    assert sorted(u for (u,) in rows(db, "SELECT source FROM documents")) == sorted(urls)     # each exactly once
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'article' AND ingested_sha256 IS NOT sha256") == [(0,)]
    # Pages stored before the kill were not fetched again.
    again = {site.url(h.path) for h in site.hits if h.time > killed_at and "/art/" in h.path}
    assert not (again & before)
    assert [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["interrupted", "ok"]


def test_interrupted_ingest_leaves_no_duplicate(tmp_path: Path, monkeypatch):
    """A crash after a document is saved but before its page is marked: the next run finds the document again."""
    import pipeline.crawl.ingest as crawl_ingest

    site = TrapSite()
    site.add("/robots.txt", body=b"", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([(f"art/{i}.html", f"文章{i}") for i in range(4)]))
    for i in range(4):
        site.add(f"/aqsc/art/{i}.html", body=article_html(f"第{i}号通知", paragraphs(40 + i)))
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01), encoding="utf-8")
    real = crawl_ingest.ingest_raw
    calls = []

    class Crash(BaseException):
        pass

    def crashing(db_, raw, report):
        out = real(db_, raw, report)
        calls.append(raw.source)
        if len(calls) == 2:
            raise Crash()
        return out

    monkeypatch.setattr(crawl_ingest, "ingest_raw", crashing)
    try:
        with pytest.raises(Crash):
            _run_crawl_in_process(sites, db)
        assert rows(db, "SELECT count(*) FROM documents") == [(2,)]
        monkeypatch.setattr(crawl_ingest, "ingest_raw", real)
        result = crawl_cli(sites, db)
        assert result.exit_code == 0, result.output
    finally:
        site.close()
    assert rows(db, "SELECT count(*), count(DISTINCT source) FROM documents") == [(4, 4)]
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'article' AND doc_id IS NULL") == [(0,)]
    assert [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["interrupted", "ok"]


def _run_crawl_in_process(sites: Path, db: Path) -> None:
    from pipeline.crawl.config import load_sites
    from pipeline.nightly.orchestrate import run

    run(str(db), load_sites(sites), "crawl", ("crawl", "ingest"))


# --------------------------------------------------------------------------- small parts


def test_sites_file_of_the_issue_parses():
    config = parse_sites("""
[crawl]
user_agent = "duban/0.1 (+https://example.org/duban)"
delay = 1.0        # seconds between two requests to the same host
timeout = 20       # seconds
retries = 2

[[site]]
name = "某某县应急管理局"
start = ["http://127.0.0.1:8000/aqsc/index.html"]
follow = ['/aqsc/index_\\d+\\.html']     # regexes: list pages to walk (pagination)
articles = ['/aqsc/art/']              # regexes: article pages and attachments to ingest
max_pages = 500
""")
    site = config.sites[0]
    assert config.crawl.delay == 1.0 and config.crawl.retries == 2 and site.max_pages == 500
    assert site.is_list("http://127.0.0.1:8000/aqsc/index_3.html") and site.is_article("http://x/aqsc/art/1.html")
    assert site.allows_host("http://127.0.0.1:8000/other") and not site.allows_host("http://127.0.0.1:8001/aqsc/")


@pytest.mark.parametrize("text, words", [
    ("[crawl]\ndelay = -1\n[[site]]\nname='a'\nstart=['http://h/']", "不能为负"),
    ("[[site]]\nname='a'\nstart=['ftp://h/']", "网址无效"),
    ("[[site]]\nname='a'\nstart=['http://h/']\nfollow=['(']", "正则表达式有误"),
    ("[[site]]\nname='a'\nstart=['http://h/']\nfolow=['x']", "不认识的配置项"),
    ("[crawl]\ndelay = 1\n", "没有配置任何站点"),
])
def test_bad_sites_files_say_what_is_wrong(text: str, words: str):
    with pytest.raises(ConfigError, match=words):
        parse_sites(text)


def test_bad_sites_file_exits_2(tmp_path: Path):
    sites = tmp_path / "sites.toml"
    sites.write_text("[[site]]\nname = 'x'\n", encoding="utf-8")
    result = crawl_cli(sites, tmp_path / "d.db")
    assert result.exit_code == 2 and "配置错误" in result.output


def test_links_next_page_base_href_and_hosts():
    config = parse_sites("[[site]]\nname='s'\nstart=['http://gov.example/a/index.html']\n"
                         "follow=['/a/index_\\\\d+']\narticles=['/a/art/']")
    site, settings = config.sites[0], config.crawl
    page = ('<html><head><base href="http://gov.example/a/"></head><body>'
            '<a href="art/1.html">文章</a><a href="list2.html">[下一页]</a><a href="list3.html">下一页&gt;&gt;</a>'
            '<a href="http://other.example/a/art/2.html">外站</a><a href="javascript:void(0)">x</a>'
            '<a href="files/f.PDF#p1">附件</a><a href="https://gov.example/a/art/3.html">https</a></body></html>')
    links = extract_links(page.encode(), "text/html", "http://gov.example/a/index.html")
    kinds = {link.url: classify(link, site, settings, "list") for link in links}
    assert kinds == {"http://gov.example/a/art/1.html": "article", "http://gov.example/a/list2.html": "list",
                     "http://gov.example/a/list3.html": "list", "http://other.example/a/art/2.html": None,
                     "http://gov.example/a/files/f.PDF": "attachment",
                     "https://gov.example/a/art/3.html": "article"}
    # From an article page only attachments are taken.
    assert classify(Link("http://gov.example/a/art/9.html", "相关文章"), site, settings, "article") is None
    assert classify(Link("http://gov.example/f.docx", "附件"), site, settings, "article") == "attachment"


def test_host_gate_waits_from_the_end_of_the_last_request():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    gate = HostGate(1.0, clock=lambda: now[0], sleep=sleep)
    host = ("gov.example", 80)
    gate.wait(host)                   # first request: no wait
    now[0] += 0.3                     # the answer took 0.3 s
    gate.done(host)
    now[0] += 0.2
    gate.wait(host)
    gate.done(host)
    gate.set_delay(host, 5.0)         # robots.txt Crawl-delay
    gate.wait(host)
    gate.wait(("other.example", 80))  # another host does not wait
    assert slept == [0.8, 5.0]


def test_retry_after_header():
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


# --------------------------------------------------------------------------- articles over several pages

PAGED_TITLE = "县长在全县安全生产工作会议上的讲话"
SCRIPTED_TITLE = "关于全县安全生产大检查情况的通报"
# One directive per page, each naming its page's town, so the body's order and page 3's directives can be told.
PAGE_TEXT = {
    1: ["同志们：", "青溪街道要在3月底前完成燃气管道占压隐患排查整治，建立问题清单和整改台账。",
        "县应急管理局要会同县住建局，"],                                    # cut by the page break …
    2: ["对全县高层建筑开展消防设施专项检查，逐栋建立档案。",                  # … and continued here
        "望湖街道要在4月底前完成电动自行车集中充电设施建设，消除飞线充电隐患。"],
    3: ["柳塘镇要在5月底前完成危险化学品企业风险评估，评估结果报县应急管理局。",
        "各乡镇要常态化开展经营性自建房安全隐患排查，发现一处、整治一处。"],
}
SCRIPTED_TEXT = {
    1: ["石桥镇要在6月底前完成建筑工地起重机械专项检查，检查结果向社会公布。"],
    2: ["云岭乡要在7月底前完成防汛物资储备核查，补齐缺口物资。"],
    3: ["东关街道要在8月底前完成老旧小区消防通道清理，确保生命通道畅通。", "测试县安全生产委员会办公室", "2025年3月6日"],
}


def paged_html(title: str, paragraphs_: list[str], pager: str = "", script: str = "", extra: str = "",
               date: str = "2025-03-05") -> bytes:
    """One page of an article split over pages, with the furniture every page repeats (title, info line, pager)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs_)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_测试县应急管理局</title>'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:00"></head><body>'
            f'<div class="nav"><a href="/">首页</a> &gt; <a href="/aqsc/index.html">安全生产</a></div>'
            f'<div class="article"><h1>{title}</h1><div class="info">发布时间：{date} 来源：测试县应急管理局</div>'
            f'<div class="content">{body}{pager}</div>{extra}</div>{script}'
            f'<div class="footer">版权所有：测试县应急管理局</div></body></html>').encode("utf-8")


def pager_html(stem: str, page: int, total: int = 3) -> str:
    """上一页 1 2 3 下一页 尾页, the current page unlinked, as TRS sites print it inside the article box."""
    names = [f"{stem}.html"] + [f"{stem}_{i}.html" for i in range(1, total)]
    numbers = " ".join(f'<a href="{name}">{i + 1}</a>' if i != page else f"<span>{i + 1}</span>"
                       for i, name in enumerate(names))
    before = f'<a href="{names[page - 1]}">上一页</a>' if page else "上一页"
    after = f'<a href="{names[page + 1]}">下一页</a>' if page + 1 < total else "下一页"
    return f'<div class="page">{before} {numbers} {after} <a href="{names[-1]}">尾页</a></div>'


PAGED = "/aqsc/art/2025/3/5/art_123_456"        # pages linked from the article's pager
SCRIPTED = "/aqsc/art/2025/3/6/art_123_789"     # pages named by createPageHTML(3, k, "art_123_789", "html")


def build_paged_site(site: TrapSite) -> None:
    site.add("/robots.txt", body=b"", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([
        (f"{PAGED[6:]}.html", PAGED_TITLE), (f"{SCRIPTED[6:]}.html", SCRIPTED_TITLE),
        ("art/single.html", "单页文章"), ("index_1.html", "下一页")]))
    site.add("/aqsc/index_1.html", body=list_html([("art/b1.html", "第二页的文章")]))
    site.add("/aqsc/art/single.html", body=article_html("单页文章", paragraphs(80)))
    site.add("/aqsc/art/b1.html", body=article_html("第二页的文章", paragraphs(81)))
    related = '<div class="xglj"><a href="art_999.html">相关文章</a></div>'
    for k in (1, 2, 3):
        suffix = "" if k == 1 else f"_{k - 1}"
        extra = related + ('<p>附件：<a href="/files/qingdan.docx">检查清单.docx</a></p>' if k == 3 else "")
        site.add(f"{PAGED}{suffix}.html",
                 body=paged_html(PAGED_TITLE, PAGE_TEXT[k], pager=pager_html("art_123_456", k - 1), extra=extra))
        site.add(f"{SCRIPTED}{suffix}.html", body=paged_html(
            SCRIPTED_TITLE, SCRIPTED_TEXT[k], date="2025-03-06",
            script=f'<script>createPageHTML(3, {k - 1}, "art_123_789", "html");</script>'))
    site.add("/aqsc/art/2025/3/5/art_999.html", body=article_html("相关文章", paragraphs(82)))
    site.add("/files/qingdan.docx", content_type="application/octet-stream",
             body=docx_bytes(["检查清单", *paragraphs(83)]))


@dataclass
class PagedNights:
    site: TrapSite
    db: Path
    first: object
    second: object
    night_one_hits: int

    def url(self, path: str) -> str:
        return self.site.url(path)

    def document(self, path: str) -> tuple:
        found = rows(self.db, "SELECT id, title, date, body, partial FROM documents WHERE source = ?",
                     (self.url(path),))
        assert len(found) == 1, found
        return found[0]


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> PagedNights:
    """Two nights over a site with two three-page articles; everything is asked again on night two (recheck 0)."""
    tmp = tmp_path_factory.mktemp("paged")
    site = TrapSite()
    build_paged_site(site)
    db, sites = tmp / "duban.db", tmp / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, recheck_days=0), encoding="utf-8")
    first = crawl_cli(sites, db)
    n = len(site.hits)
    second = crawl_cli(sites, db)
    yield PagedNights(site, db, first, second, n)
    site.close()


def test_an_article_over_three_linked_pages_is_one_document_in_page_order(paged: PagedNights):
    assert paged.first.exit_code == 0, paged.first.output
    _id, title, date, body, partial = paged.document(f"{PAGED}.html")
    assert (title, date, partial) == (PAGED_TITLE, "2025-03-05", 0)
    marks = ["青溪街道", "对全县高层建筑", "望湖街道", "柳塘镇", "各乡镇要常态化"]
    assert all(m in body for m in marks) and [body.index(m) for m in marks] == sorted(body.index(m) for m in marks)
    # The sentence the page break cut is one paragraph again.
    assert "县应急管理局要会同县住建局，对全县高层建筑开展消防设施专项检查，逐栋建立档案。" in body.split("\n")
    for furniture in ("上一页", "下一页", "尾页", "发布时间", "版权所有", "相关文章", PAGED_TITLE):
        assert furniture not in body, furniture


def test_an_article_over_pages_keeps_its_pages_to_be_read_again(paged: PagedNights):
    """The store keeps an article's pages in order, so a newer parser reads the same article again."""
    from pipeline.extract.stage import reparse_store
    from pipeline.store import open_db
    from pipeline.store.documents import stored_inputs

    doc_id, title, date, body, partial = paged.document(f"{PAGED}.html")
    db = open_db(paged.db)
    try:
        assert len(stored_inputs(db, doc_id)) == 3
        with db.conn:
            db.conn.execute("UPDATE documents SET parser_version = 'parse-1', title = '首页' WHERE id = ?", [doc_id])
        assert reparse_store(db)["reparsed"] == 1
    finally:
        db.conn.close()
    assert paged.document(f"{PAGED}.html")[1:] == (title, date, body, partial)


def test_an_article_paged_by_createpagehtml_is_one_document(paged: PagedNights):
    _id, title, date, body, partial = paged.document(f"{SCRIPTED}.html")
    assert (title, date, partial) == (SCRIPTED_TITLE, "2025-03-06", 0)
    marks = ["石桥镇", "云岭乡", "东关街道"]
    assert [body.index(m) for m in marks] == sorted(body.index(m) for m in marks)
    assert body.count(SCRIPTED_TITLE) == 0 and "createPageHTML" not in body
    for k in (1, 2):
        assert paged.site.hits_for(f"{SCRIPTED}_{k}.html")
    assert not paged.site.hits_for(f"{SCRIPTED}_3.html")        # the script said 3 pages: _1 and _2


def test_directives_of_every_page_belong_to_the_article(paged: PagedNights):
    doc_id = paged.document(f"{PAGED}.html")[0]
    texts = [t for (t,) in rows(paged.db, "SELECT text FROM directives WHERE doc_id = ? ORDER BY start", (doc_id,))]
    assert any("青溪街道" in t for t in texts) and any("望湖街道" in t for t in texts)
    assert any("柳塘镇" in t for t in texts)                      # from page 3
    scripted = paged.document(f"{SCRIPTED}.html")[0]
    assert any("东关街道" in t for (t,) in rows(paged.db, "SELECT text FROM directives WHERE doc_id = ?", (scripted,)))


def test_continuation_pages_are_stored_but_not_documents_of_their_own(paged: PagedNights):
    continuation = {paged.url(f"{stem}_{k}.html") for stem in (PAGED, SCRIPTED) for k in (1, 2)}
    stored = rows(paged.db, "SELECT url, kind, raw IS NOT NULL, doc_id FROM pages WHERE kind = 'continuation'")
    assert {u for u, *_ in stored} == continuation and all(has_raw for _u, _k, has_raw, _d in stored)
    article_docs = {u: d for u, d in rows(paged.db, "SELECT url, doc_id FROM pages WHERE kind = 'article'")}
    assert {d for u, _k, _r, d in stored if PAGED in u} == {article_docs[paged.url(f"{PAGED}.html")]}
    sources = {s for (s,) in rows(paged.db, "SELECT source FROM documents")}
    assert not sources & continuation
    assert sources == {paged.url(p) for p in (f"{PAGED}.html", f"{SCRIPTED}.html", "/aqsc/art/single.html",
                                              "/aqsc/art/b1.html", "/files/qingdan.docx")}
    # The related-articles box of an article is not walked; the attachment on page 3 is ingested.
    assert not paged.site.hits_for("/aqsc/art/2025/3/5/art_999.html")


def test_list_pagination_still_works_beside_article_pages(paged: PagedNights):
    assert rows(paged.db, "SELECT kind FROM pages WHERE url = ?", (paged.url("/aqsc/index_1.html"),)) == [("list",)]
    assert paged.document("/aqsc/art/b1.html")[1] == "第二页的文章"


def test_second_night_asks_every_page_conditionally_and_stores_nothing_new(paged: PagedNights):
    assert paged.second.exit_code == 0, paged.second.output
    hits = [h for h in paged.site.hits[paged.night_one_hits:] if h.path.startswith(("/aqsc/art/2025/"))]
    paths = {f"{stem}{suffix}.html" for stem in (PAGED, SCRIPTED) for suffix in ("", "_1", "_2")}
    assert {h.path for h in hits} == paths and len(hits) == 6
    assert all(h.conditional and h.status == 304 for h in hits)
    assert rows(paged.db, "SELECT count(*) FROM documents")[0][0] == 5
    counts = json.loads(rows(paged.db, "SELECT counts FROM runs ORDER BY id DESC LIMIT 1")[0][0])
    assert counts["new_documents"] == 0 and counts["unchanged"] == 0     # nothing was even pending


def _three_page_site() -> TrapSite:
    site = TrapSite()
    site.add("/robots.txt", body=b"", content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([(f"{PAGED[6:]}.html", PAGED_TITLE)]))
    for k in (1, 2, 3):
        suffix = "" if k == 1 else f"_{k - 1}"
        site.add(f"{PAGED}{suffix}.html",
                 body=paged_html(PAGED_TITLE, PAGE_TEXT[k], pager=pager_html("art_123_456", k - 1)))
    return site


def test_a_failing_continuation_page_holds_the_article_back_until_it_arrives(tmp_path: Path):
    """Don't store a truncated article: name the missing page, and store it whole the night the page comes."""
    site = _three_page_site()
    third = site.routes[f"{PAGED}_2.html"]
    third.status = 500
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0), encoding="utf-8")
    article, missing = site.url(f"{PAGED}.html"), site.url(f"{PAGED}_2.html")
    try:
        first = crawl_cli(sites, db)
        assert first.exit_code == 0, first.output
        assert rows(db, "SELECT count(*) FROM documents") == [(0,)]
        reason = rows(db, "SELECT ingest_error FROM pages WHERE url = ?", (article,))[0][0]
        assert reason.startswith("多页文章共 3 页，第 3 页抓取失败：") and missing in reason and "暂不入库" in reason
        assert "多页文章共" in first.output
        errors = json.loads(rows(db, "SELECT errors FROM runs")[0][0])
        assert [article, reason] in errors and any(u == missing and "HTTP 500" in r for u, r in errors)
        assert [s for (s,) in rows(db, "SELECT status FROM runs")] == ["partial"]

        third.status = 200
        start = len(site.hits)
        second = crawl_cli(sites, db)
        assert second.exit_code == 0, second.output
        # Only the failed page is asked again (the article and page 2 are not due for a recheck).
        assert [h.path for h in site.hits[start:] if "/art/" in h.path] == [f"{PAGED}_2.html"]
    finally:
        site.close()
    (body, partial), = rows(db, "SELECT body, partial FROM documents WHERE source = ?", (article,))
    assert partial == 0 and "柳塘镇" in body and "青溪街道" in body
    assert rows(db, "SELECT ingest_error FROM pages WHERE url = ?", (article,)) == [(None,)]
    assert rows(db, "SELECT count(*) FROM documents") == [(1,)]
    assert [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["partial", "ok"]


def test_a_continuation_page_given_up_leaves_a_partial_article(tmp_path: Path):
    """After max_failures failed nights the page is given up and the article is stored from what arrived, partial."""
    site = _three_page_site()
    site.routes.pop(f"{PAGED}_2.html")                    # page 3: 404 every night
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01, retries=0, crawl_extra="max_failures = 2"),
                     encoding="utf-8")
    article = site.url(f"{PAGED}.html")
    try:
        assert crawl_cli(sites, db).exit_code == 0
        assert rows(db, "SELECT count(*) FROM documents") == [(0,)]
        second = crawl_cli(sites, db)
        assert second.exit_code == 0, second.output
        assert "本次放弃 1 页" in second.output
        (body, partial), = rows(db, "SELECT body, partial FROM documents WHERE source = ?", (article,))
        assert partial == 1 and "望湖街道" in body and "柳塘镇" not in body
        third = crawl_cli(sites, db)
        assert third.exit_code == 0, third.output
    finally:
        site.close()
    assert len(site.hits_for(f"{PAGED}_2.html")) == 2                    # given up: not asked the third night
    assert rows(db, "SELECT count(*) FROM documents") == [(1,)]


def test_a_continuation_page_robots_txt_forbids_leaves_a_partial_article_at_once(tmp_path: Path):
    site = _three_page_site()
    site.add("/robots.txt", body=f"User-agent: *\nDisallow: {PAGED}_2.html\n".encode(), content_type="text/plain")
    db, sites = tmp_path / "duban.db", tmp_path / "sites.toml"
    sites.write_text(sites_toml(site.url("/aqsc/index.html"), delay=0.01), encoding="utf-8")
    try:
        assert crawl_cli(sites, db).exit_code == 0
    finally:
        site.close()
    assert not site.hits_for(f"{PAGED}_2.html")
    (body, partial), = rows(db, "SELECT body, partial FROM documents WHERE source = ?", (site.url(f"{PAGED}.html"),))
    assert partial == 1 and "望湖街道" in body and "柳塘镇" not in body


def test_continuation_forms_and_the_page_cap():
    from pipeline.crawl.config import CrawlSettings
    from pipeline.crawl.pager import article_pages, continuations

    settings = CrawlSettings()

    def found(markup: str, page: str, article: str | None = None, s: CrawlSettings = settings) -> list:
        return continuations(markup.encode(), "text/html", page, article or page, s)

    base = "http://gov.example/zw/t20250305_123/index.html"
    assert found('<a href="index_1.html">2</a><a href="index_2.html">3</a><a href="../index_1.html">x</a>'
                 '<a href="/zw/index_1.html">列表</a>', base) == [
        (1, "http://gov.example/zw/t20250305_123/index_1.html"), (2, "http://gov.example/zw/t20250305_123/index_2.html")]
    assert found('<a href="?page=2">2</a><a href="content.html?page=3">3</a>', "http://g.example/a/content.html") \
        == [(2, "http://g.example/a/content.html?page=2"), (3, "http://g.example/a/content.html?page=3")]
    assert found('<a href="show.jsp?id=7&amp;page=2">2</a><a href="show.jsp?id=8&amp;page=2">x</a>',
                 "http://g.example/a/show.jsp?id=7") == [(2, "http://g.example/a/show.jsp?id=7&page=2")]
    # Another article's pages, a related article with a similar name: not this article's.
    assert found('<a href="art_1_3_1.html">x</a><a href="art_1_22.html">y</a>', "http://g.example/a/art_1_2.html") == []
    # createPageHTML with the pager's element id first; another stem's script is ignored.
    assert found("<script>createPageHTML('page_div', 4, 0, 'art_1_2', 'shtml', 37);"
                 "createPageHTML(9, 0, 'index', 'html');</script>", "http://g.example/a/art_1_2.shtml") == [
        (1, "http://g.example/a/art_1_2_1.shtml"), (2, "http://g.example/a/art_1_2_2.shtml"),
        (3, "http://g.example/a/art_1_2_3.shtml")]
    # A pager promising 500 pages is followed to max_article_pages only; 1 turns merging off.
    assert len(found('<script>createPageHTML(500, 0, "a", "html")</script>', "http://g.example/a.html")) == 49
    assert found('<a href="a_1.html">2</a>', "http://g.example/a.html", s=CrawlSettings(max_article_pages=1)) == []

    # A windowed pager: page 1 shows 2–3 and 尾页 (5); page 3 shows 4. The union, in order.
    stored = {"http://g.example/a_2.html": (b'<html><a href="a_3.html">4</a></html>', "text/html",
                                            "http://g.example/a_2.html")}
    first = ('<html><a href="a_1.html">2</a><a href="a_2.html">3</a><a href="a_4.html">尾页</a></html>'.encode(),
             "text/html", "http://g.example/a.html")
    assert [n for n, _ in article_pages(first, stored.get, settings)] == [1, 2, 3, 4]


@pytest.mark.parametrize("extra, words", [
    ("max_article_pages = 0", "max_article_pages"),
    ("continuation = ['{stem}_x{ext}']", "须含 {n}"),
    ("continuation = ['{stem}_{page}{ext}']", "须含 {n}"),
])
def test_bad_continuation_settings_say_what_is_wrong(extra: str, words: str):
    with pytest.raises(ConfigError, match=re.escape(words)):
        parse_sites(f"[crawl]\n{extra}\n[[site]]\nname='a'\nstart=['http://h/']")


# --------------------------------------------------------------------------- sites side by side
#
# Each site on its own loopback address (127.0.0.2 … are distinct hosts to the crawler and all
# this machine on Linux). What is checked is read from the servers' own logs: who was asked
# when, and which answers were under way at once. No assertion on total run time: only
# ordering, gaps and overlap, with margins that hold on two slow CPUs.

SIDE_DELAY = 0.2


@dataclass
class HostSite(TrapSite):
    """A trap site on a loopback address of its own, logging each exchange as (arrival, answer sent, path).

    "Answer sent" is stamped as the answer starts going out, so a span lies inside the time the
    crawler had the request in flight: spans that overlap here overlapped at the crawler too.
    """

    address: str = "127.0.0.1"
    spans: list[tuple[float, float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802
                start = time.monotonic()
                self.sent_at = None
                site._serve(self)
                with site._lock:
                    site.spans.append((start, self.sent_at or time.monotonic(), self.path.split("?", 1)[0]))

            def log_message(self, *args: object) -> None:
                pass

        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((self.address, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.server.server_address[1]}"

    def _send(self, req, hit, status, body, content_type, headers) -> None:   # type: ignore[override]
        req.sent_at = time.monotonic()
        TrapSite._send(req, hit, status, body, content_type, headers)


def loopback(n: int) -> list[str]:
    """n loopback addresses from 127.0.0.2, or skip where they cannot be bound (only Linux routes all of 127/8)."""
    addresses = [f"127.0.0.{i}" for i in range(2, n + 2)]
    for address in addresses:
        with socket.socket() as probe:
            try:
                probe.bind((address, 0))
            except OSError:
                pytest.skip(f"cannot bind {address} here")
    return addresses


def column_site(address: str, number: int, articles: int = 4, robots: bytes = b"", sleep: float = 0.0,
                extra: list[tuple[str, str]] | None = None) -> HostSite:
    """A list page and its articles (each answering after ``sleep`` seconds), text unique to site ``number``."""
    site = HostSite(address=address)
    site.add("/robots.txt", body=robots, content_type="text/plain")
    site.add("/aqsc/index.html", body=list_html([(f"art/{i}.html", f"通知{i}") for i in range(articles)]
                                                + (extra or [])))
    for i in range(articles):
        site.add(f"/aqsc/art/{i}.html", sleep=sleep,
                 body=article_html(f"第{number}站第{i}号通知", paragraphs(200 + 20 * number + i)))
    return site


def many_sites_toml(sites: list[HostSite], *, delay: float = SIDE_DELAY, concurrency: int = 8, timeout: float = 5,
                    retries: int = 0, site_extra: dict[int, str] | None = None, path: str = "/aqsc") -> str:
    """One [[site]] per server (the trap site's layout), sharing one [crawl] table."""
    tables = [f"""
[[site]]
name = "测试站点{i + 1}"
start = ["{site.url(path + '/index.html')}"]
follow = ['{path}/index_\\d+\\.html']
articles = ['{path}/art/']
{(site_extra or {}).get(i, "")}
""" for i, site in enumerate(sites)]
    return (f'[crawl]\nuser_agent = "duban-test/0.1 (+https://example.org/duban)"\ndelay = {delay}\n'
            f"timeout = {timeout}\nretries = {retries}\nbackoff = 0.05\nconcurrency = {concurrency}\n"
            + "".join(tables))


def overlapping(a: tuple[float, float, str], b: tuple[float, float, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def peak_in_flight(spans: list[tuple[float, float, str]]) -> int:
    """The most exchanges under way at one moment (an answer sent frees its slot before a request at that instant)."""
    events = sorted([(start, 1) for start, _end, _p in spans] + [(end, -1) for _start, end, _p in spans])
    peak = now = 0
    for _t, step in events:
        now += step
        peak = max(peak, now)
    return peak


def quiet_gaps(spans: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    """(start to start, end of the answer to the next request) for each two requests in a row to one server."""
    ordered = sorted(spans)
    return [(b[0] - a[0], b[0] - a[1]) for a, b in zip(ordered, ordered[1:])]


@dataclass
class SideBySide:
    sites: list[HostSite]
    db: Path
    result: object
    concurrency: int


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory) -> SideBySide:
    """Four sites, four hosts, concurrency 2: every article answers after 0.1 s, so requests are seen to overlap."""
    tmp = tmp_path_factory.mktemp("side")
    sites = [column_site(address, n, articles=4, sleep=0.1) for n, address in enumerate(loopback(4))]
    db, toml = tmp / "duban.db", tmp / "sites.toml"
    toml.write_text(many_sites_toml(sites, concurrency=2), encoding="utf-8")
    try:
        result = crawl_cli(toml, db, "--no-ingest")
    finally:
        for site in sites:
            site.close()
    return SideBySide(sites, db, result, 2)


def test_sites_side_by_side_are_crawled_whole(side_by_side: SideBySide):
    assert side_by_side.result.exit_code == 0, side_by_side.result.output
    for site in side_by_side.sites:
        assert {h.path for h in site.hits} == {"/robots.txt", "/aqsc/index.html",
                                               *(f"/aqsc/art/{i}.html" for i in range(4))}
        assert all(h.status == 200 for h in site.hits) and len(site.hits) == 6     # each asked once
    assert rows(side_by_side.db, "SELECT count(*) FROM pages WHERE kind = 'article' AND raw IS NOT NULL") == [(16,)]


def test_pages_of_different_hosts_are_fetched_at_the_same_time(side_by_side: SideBySide):
    """(a) The run is concurrent: some request to one host was under way while another host answered."""
    spans = [(i, span) for i, site in enumerate(side_by_side.sites) for span in site.spans]
    assert any(i != j and overlapping(a, b) for i, a in spans for j, b in spans)
    # Not merely one pair: every host's articles overlap some other host's.
    for i, site in enumerate(side_by_side.sites):
        mine = [s for s in site.spans if "/art/" in s[2]]
        assert any(j != i and overlapping(a, b) for a in mine for j, b in spans)


def test_no_two_requests_to_one_host_closer_than_the_delay(side_by_side: SideBySide):
    """(b) Per host, from the server's log: arrival to arrival, and end of the answer to the next arrival."""
    for site in side_by_side.sites:
        gaps = quiet_gaps(site.spans)
        assert len(gaps) == 5
        assert min(g for g, _quiet in gaps) >= SIDE_DELAY * 0.95
        assert min(quiet for _g, quiet in gaps) >= SIDE_DELAY * 0.95


def test_the_global_cap_holds(side_by_side: SideBySide):
    """(c) Never more requests under way at once, over all servers, than ``concurrency``; and the cap is used."""
    spans = [span for site in side_by_side.sites for span in site.spans]
    assert 1 < peak_in_flight(spans) <= side_by_side.concurrency


def test_two_sites_on_one_host_share_its_delay(tmp_path: Path):
    """Two configured sites (two columns of one server) crawled side by side still leave the host its delay."""
    address, = loopback(1)
    site = HostSite(address=address)
    site.add("/robots.txt", body=b"", content_type="text/plain")
    for column in ("/a", "/b"):
        site.add(f"{column}/index.html", body=list_html([(f"art/{i}.html", f"通知{i}") for i in range(3)]))
        for i in range(3):
            site.add(f"{column}/art/{i}.html",
                     body=article_html(f"{column}第{i}号", paragraphs(300 + i + 10 * len(column))))
    sites = tmp_path / "sites.toml"
    sites.write_text(f"""
[crawl]
delay = {SIDE_DELAY}
timeout = 5
concurrency = 4

[[site]]
name = "栏目甲"
start = ["{site.url('/a/index.html')}"]
articles = ['/a/art/']

[[site]]
name = "栏目乙"
start = ["{site.url('/b/index.html')}"]
articles = ['/b/art/']
""", encoding="utf-8")
    try:
        result = crawl_cli(sites, tmp_path / "duban.db", "--no-ingest")
    finally:
        site.close()
    assert result.exit_code == 0, result.output
    assert sorted(h.path for h in site.hits) == sorted(["/robots.txt", "/a/index.html", "/b/index.html",
                                                       *(f"{c}/art/{i}.html" for c in ("/a", "/b") for i in range(3))])
    gaps = quiet_gaps(site.spans)                     # robots.txt was read once for the two sites
    assert len(gaps) == 8 and min(quiet for _g, quiet in gaps) >= SIDE_DELAY * 0.95


def test_robots_delay_and_max_failures_hold_per_host_side_by_side(tmp_path: Path):
    """(d) Each host keeps its own robots.txt, Crawl-delay and unreachable-robots rule; each site its max_failures."""
    a, b, c, d = loopback(4)
    dead = [("art/dead.html", "已删除")]                                     # a 404 on hosts b and c
    sites = [column_site(a, 0, robots=b"User-agent: *\nDisallow: /aqsc/art/1.html\n"),
             column_site(b, 1, robots=b"User-agent: *\nCrawl-delay: 0.5\n", extra=dead),
             column_site(c, 2, extra=dead),
             column_site(d, 3)]
    sites[3].add("/robots.txt", status=503, body=b"", etag=False, last_modified=None)
    toml = tmp_path / "sites.toml"
    toml.write_text(many_sites_toml(sites, site_extra={1: "max_failures = 3", 2: "max_failures = 1"}),
                    encoding="utf-8")
    db = tmp_path / "duban.db"
    try:
        result = crawl_cli(toml, db, "--no-ingest")
    finally:
        for site in sites:
            site.close()
    assert result.exit_code == 0, result.output
    # Host a: its robots.txt forbids art/1.html, and only there; the others serve theirs.
    assert not sites[0].hits_for("/aqsc/art/1.html") and sites[0].hits_for("/aqsc/art/2.html")
    assert sites[1].hits_for("/aqsc/art/1.html") and sites[2].hits_for("/aqsc/art/1.html")
    assert rows(db, "SELECT state, reason FROM frontier WHERE url = ?", (sites[0].url("/aqsc/art/1.html"),)) \
        == [("skipped", "robots.txt 禁止抓取")]
    # Host b: Crawl-delay 0.5 s from robots.txt on; the other hosts keep 0.2 s (they are not slowed down).
    assert min(g for g, _q in quiet_gaps(sites[1].spans)[1:]) >= 0.5 * 0.95
    fast = [g for site in (sites[0], sites[2]) for g, _q in quiet_gaps(site.spans)]
    assert min(fast) >= SIDE_DELAY * 0.95 and min(fast) < 0.5 * 0.95
    # Hosts b and c: the same dead link, given up where max_failures = 1, left for tomorrow where it is 3.
    assert _frontier(db, sites[1].url("/aqsc/art/dead.html")) == ("failed", "HTTP 404", 1)
    state, reason, failures = _frontier(db, sites[2].url("/aqsc/art/dead.html"))
    assert (state, failures) == ("given_up", 1) and reason.startswith("连续 1 次抓取失败，已放弃")
    # Host d: robots.txt unreachable, so nothing else asked there; the others were crawled regardless.
    assert [h.path for h in sites[3].hits] == ["/robots.txt"]
    assert rows(db, "SELECT state FROM frontier WHERE url = ?", (sites[3].url("/aqsc/index.html"),)) == [("failed",)]
    counts = json.loads(rows(db, "SELECT counts FROM runs")[0][0])
    assert counts["pages_given_up"] == 1 and counts["robots_disallowed"] == 1


def _stored_articles(db: Path) -> set[str]:
    return {u for (u,) in rows(db, "SELECT url FROM pages WHERE kind = 'article' AND raw IS NOT NULL")}


def _assert_each_page_once(db: Path, sites: list[HostSite], articles: int) -> None:
    urls = {site.url(f"/k/art/{i}.html") for site in sites for i in range(articles)}
    assert _stored_articles(db) == urls
    assert sorted(u for (u,) in rows(db, "SELECT source FROM documents")) == sorted(urls)     # each exactly once
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'queued'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM pages WHERE kind = 'article' AND ingested_sha256 IS NOT sha256") == [(0,)]


def _k_sites(articles: int, sleep: float) -> list[HostSite]:
    sites = []
    for n, address in enumerate(loopback(3)):
        site = HostSite(address=address)
        site.add("/robots.txt", body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add("/k/index.html", body=list_html([(f"art/{i}.html", f"文章{i}") for i in range(articles)]))
        for i in range(articles):
            site.add(f"/k/art/{i}.html", sleep=sleep,
                     body=article_html(f"第{n}站第{i}号", paragraphs(400 + 20 * n + i)))
        sites.append(site)
    return sites


def test_kill_9_while_sites_are_crawled_side_by_side_then_a_clean_finish(tmp_path: Path):
    """(e) kill -9 lands while several workers are mid-page: the next run stores every page exactly once."""
    articles = 6
    sites = _k_sites(articles, sleep=0.25)
    db, toml = tmp_path / "duban.db", tmp_path / "sites.toml"
    toml.write_text(many_sites_toml(sites, delay=0.02, path="/k"), encoding="utf-8")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "crawl", "--sites", str(toml), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                if len(_stored_articles(db)) >= 5:
                    break
            except sqlite3.OperationalError:
                continue          # the store is still being created
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        before = _stored_articles(db)
        assert 5 <= len(before) < 3 * articles, "the kill should land in the middle of the crawl"
        killed_at = time.monotonic()
        for site in sites:
            for i in range(articles):
                site.routes[f"/k/art/{i}.html"].sleep = 0
        result = crawl_cli(toml, db)
        assert result.exit_code == 0, result.output
    finally:
        for site in sites:
            site.close()
    _assert_each_page_once(db, sites, articles)
    again = {site.url(h.path) for site in sites for h in site.hits if h.time > killed_at and "/art/" in h.path}
    assert not (again & before)                       # pages stored before the kill were not fetched again
    assert [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")] == ["interrupted", "ok"]


@pytest.mark.parametrize("how", ["ctrl-c", "error in a worker"])
def test_a_run_stopped_mid_crawl_leaves_only_whole_pages(tmp_path: Path, how: str):
    """(e) Ctrl-C in the main thread, or an exception in a worker, while others are mid-request: no page is
    marked done without its bytes, no worker writes after the run has ended, and the next run finishes the job."""
    from pipeline.crawl.config import load_sites
    from pipeline.nightly.orchestrate import Hooks, run

    articles = 5
    sites = _k_sites(articles, sleep=0.15)
    db, toml = tmp_path / "duban.db", tmp_path / "sites.toml"
    toml.write_text(many_sites_toml(sites, delay=0.02, path="/k"), encoding="utf-8")
    seen: list[str] = []

    class WorkerError(RuntimeError):
        pass

    def on_crawl(done: int, queued: int, url: str) -> None:
        seen.append(url)
        if len(seen) == 6:
            if how == "ctrl-c":
                os.kill(os.getpid(), signal.SIGINT)      # delivered to the main thread, waiting on the workers
            else:
                raise WorkerError("出错了")

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if how == "ctrl-c":
            with pytest.raises(KeyboardInterrupt):
                run(str(db), load_sites(toml), "crawl", ("crawl", "ingest"), Hooks(on_crawl=on_crawl))
        else:
            summary = run(str(db), load_sites(toml), "crawl", ("crawl", "ingest"), Hooks(on_crawl=on_crawl))
            assert summary.stage("crawl").status == "failed" and "出错了" in summary.stage("crawl").message
        time.sleep(0.5)                                  # let the workers still fetching reach the closed store
        stopped = _stored_articles(db)
        assert 0 < len(stopped) < 3 * articles
        # Every URL marked done has its bytes: a page and its queue state were committed together.
        assert rows(db, "SELECT count(*) FROM frontier f LEFT JOIN pages p ON p.url = f.url "
                        "WHERE f.state = 'done' AND (p.raw IS NULL)") == [(0,)]
        status = [s for (s,) in rows(db, "SELECT status FROM runs ORDER BY id")]
        assert status == (["interrupted"] if how == "ctrl-c" else ["failed"])
        result = crawl_cli(toml, db)
        assert result.exit_code == 0, result.output
    finally:
        signal.signal(signal.SIGINT, previous)
        for site in sites:
            site.close()
    _assert_each_page_once(db, sites, articles)
    assert all(len(site.hits_for(f"/k/art/{i}.html")) <= 2 for site in sites for i in range(articles))


def test_concurrency_in_the_sites_file():
    base = "[[site]]\nname='a'\nstart=['http://h/']\n"
    assert parse_sites(base).crawl.concurrency == 8                                        # the default
    assert parse_sites("[crawl]\nconcurrency = 1\n" + base).crawl.concurrency == 1
    for bad in ("0", "-2", "1.5", "true", "'8'"):
        with pytest.raises(ConfigError, match="concurrency"):
            parse_sites(f"[crawl]\nconcurrency = {bad}\n" + base)


def test_host_gate_turns_keep_the_delay_between_threads():
    """Two threads asking for one host at once: the second starts its request a delay after the first ended."""
    gate = HostGate(0.1)
    host = ("gov.example", 80)
    spans: list[tuple[float, float]] = []

    def request() -> None:
        with gate.turn(host):
            start = time.monotonic()
            time.sleep(0.05)
            spans.append((start, time.monotonic()))

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spans.sort()
    assert all(b[0] - a[1] >= 0.1 * 0.95 for a, b in zip(spans, spans[1:]))
