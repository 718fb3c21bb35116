"""The overview page (/overview) on the demo store: its charts, their links, the export, and escaping.

The store is what ``duban demo`` builds (corpus/demo crawled from a local
site and tracked), as of a fixed day, built once for the module and copied
for each test. The rule tested throughout: a bar's number is the count of the
list its link opens, before and after staff corrections.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import json
import re
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from pipeline.search.engine import FilterError, Filters, search
from pipeline.search.overview import STATUS_ORDER, build, month_range, overdue_trend
from pipeline.store import open_db
from pipeline.web import charts
from pipeline.web.app import create_app

from .conftest import DEMO, ROOT
from .test_web import _sign_in, _token

AS_OF = dt.date(2025, 8, 1)          # after the last demo document: done, open and overdue tasks side by side
HOSTILE_UNIT = '<script>alert("unit")</script>'
HOSTILE_SECTOR = '"><svg onload=alert(1)>&amp;'
LINK = re.compile(r'<a class="(bar|row)" href="([^"]+)" aria-label="([^"]*)" data-count="(\d+)">')
TOTAL = re.compile(r"找到 <strong>(\d+)\+?</strong> 条督办事项")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    """The demo store, built once: one nightly run over the demo site as of AS_OF."""
    if not DEMO.is_dir():
        pytest.skip("corpus/demo is not there")
    from pipeline.crawl.config import load_sites
    from pipeline.crawl.demo_site import DemoSite
    from pipeline.nightly.orchestrate import run

    path = tmp_path_factory.mktemp("demo") / "duban.db"
    with tempfile.TemporaryDirectory() as tmp, DemoSite(DEMO) as site:
        sites = Path(tmp) / "sites.toml"
        sites.write_text(site.sites_toml(delay=0.01), encoding="utf-8")
        summary = run(str(path), load_sites(sites), "nightly", as_of=AS_OF)
    assert summary.status == "ok", summary.errors()
    return path


@pytest.fixture
def store_path(demo_store, db_path) -> Path:
    """A copy of the demo store for one test (SQLite's backup, so a WAL file is copied too)."""
    src, dst = sqlite3.connect(demo_store), sqlite3.connect(db_path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return db_path


@pytest.fixture
def client(store_path):
    app = create_app(str(store_path), secret_key="test", as_of=AS_OF)
    app.testing = True
    return app.test_client()


def _links(page: str) -> list[tuple[str, str, str, int]]:
    """(kind, href, label, count) of every link drawn in the charts, hrefs and labels unescaped."""
    return [(m.group(1), html_lib.unescape(m.group(2)), html_lib.unescape(m.group(3)), int(m.group(4)))
            for m in LINK.finditer(page)]


def _list_count(client, href: str) -> int:
    resp = client.get(href)
    assert resp.status_code == 200, href
    found = TOTAL.search(resp.get_data(as_text=True))
    assert found, href
    return int(found.group(1))


def _check_links(client, page: str) -> int:
    """Every bar's number equals the count of the list its link opens; returns how many links."""
    links = _links(page)
    counted: dict[str, int] = {}
    for _, href, label, count in links:
        if href not in counted:
            counted[href] = _list_count(client, href)
        assert counted[href] == count, (label, href)
    return len(links)


def _overview(client, **args) -> str:
    resp = client.get("/overview", query_string=args)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _bar(page: str, label: str) -> tuple[str, int]:
    """The href and the number of the link whose label (tooltip) starts with ``label``."""
    return next((href, n) for _, href, lab, n in _links(page) if lab.startswith(label))


# ---- the page ------------------------------------------------------------------------------------------

def test_overview_draws_its_charts_as_inline_svg_without_script(client):
    resp = client.get("/overview")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for chart in ("chart-status", "chart-units", "chart-sectors", "chart-months", "chart-trend"):
        assert re.search(rf'<svg class="chart" id="{chart}" [^>]*viewBox=', page), chart
    assert "<script" not in page and "src=" not in page           # nothing to run, nothing fetched
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert "统计总览" in page and "住建部门" in page and "城镇燃气" in page and "已逾期" in page
    for status in STATUS_ORDER:                                    # the legend is the list's badges
        assert f'class="badge {charts.STATUS_CSS[status]}" data-status="{status}"' in page


def test_every_page_links_to_the_overview(client, store_path):
    db = open_db(store_path)
    did = db.execute("SELECT id FROM directives LIMIT 1").fetchone()[0]
    doc = db.execute("SELECT doc_id FROM directives WHERE id = ?", [did]).fetchone()[0]
    db.conn.close()
    directive = client.get(f"/directive/{did}").headers["Location"]
    for path in ("/", "/?scope=documents", directive, f"/document/{doc}", "/login", "/overview", "/no-such-page"):
        assert 'href="/overview"' in client.get(path).get_data(as_text=True), path


def test_every_bar_opens_a_list_of_as_many_directives(client):
    page = _overview(client)
    assert _check_links(client, page) > 60
    for _, href, _, _ in _links(page):
        assert urlsplit(href).path == "/"
        assert set(parse_qs(urlsplit(href).query)) <= {"status", "party", "sector", "due_after", "due_before"}
    # the figures add up: the status bars make the total, and the total is the unfiltered list's
    total = int(re.search(r'id="total" data-count="(\d+)"', page).group(1))
    status_chart = re.search(r'<svg class="chart" id="chart-status".*?</svg>', page, re.S).group(0)
    assert sum(n for kind, _, _, n in _links(status_chart) if kind == "bar") == total == _list_count(client, "/")
    # a unit bar filters by the unit and the status, a month bar by the month's first and last day
    href, n = _bar(page, "住建部门 · 已完成")
    assert parse_qs(urlsplit(href).query) == {"party": ["住建部门"], "status": ["done"]} and n > 0
    href, _ = _bar(page, "2025年6月 · 已逾期")
    assert parse_qs(urlsplit(href).query) == {"due_after": ["2025-06-01"], "due_before": ["2025-06-30"],
                                              "status": ["overdue"]}


def test_the_switch_for_all_topics_is_the_lists(client, store_path):
    db = open_db(store_path)              # the demo's documents are all about safety: make some tasks other work
    with db.conn:
        db.conn.execute("UPDATE directives SET safety = 0 WHERE id IN (SELECT id FROM directives ORDER BY id DESC "
                        "LIMIT 20)")
    db.conn.close()
    safety, everything = _overview(client), _overview(client, all="1")
    assert _total(everything) > _total(safety)
    assert _total(everything) == _list_count(client, "/?all=1")
    assert 'name="all" value="1" checked' in everything and 'name="all" value="1" checked' not in safety
    links = _links(everything)
    assert links and all(parse_qs(urlsplit(href).query).get("all") == ["1"] for _, href, _, _ in links)
    assert _check_links(client, everything) == len(links)


def _total(page: str) -> int:
    return int(re.search(r'id="total" data-count="(\d+)"', page).group(1))


def test_staff_corrections_are_counted_as_the_list_counts_them(client, store_path):
    """An override, a rejection and an edit of sectors and deadline move the bars, and the lists with them."""
    from pipeline.search.overview import listed_ids, load_records

    before = _overview(client)
    db = open_db(store_path)
    recs = load_records(db, listed_ids(db, Filters()), AS_OF)
    db.conn.close()
    housing = lambda r: "住建部门" in r.party_types  # noqa: E731
    first = next(r for r in recs if housing(r) and r.status != "done")
    second = next(r for r in recs if not housing(r) and r.status == "overdue")
    third = next(r for r in recs if not housing(r) and not r.deadline_date and r.id != second.id)
    _sign_in(client)

    def post(rec, **form) -> None:
        url = client.get(f"/directive/{rec.id}").headers["Location"]
        token = _token(client.get(url).get_data(as_text=True))
        assert client.post(url, data={"csrf_token": token, **form}).status_code == 303

    post(first, action="status", status="done", comment="据区住建局报送材料已整改")     # an override
    post(second, action="reject", comment="不是督办事项")                               # out of every count
    post(third, action="edit", parties="、".join(third.parties), sectors=third.sectors, sectors_other="校园安全",
         deadline_text="2025年9月底前", deadline_kind="date", deadline_date="2025-09-30")
    after = _overview(client)
    assert _total(after) == _total(before) - 1
    assert _bar(after, "已逾期：")[1] == _bar(before, "已逾期：")[1] - 1
    assert _bar(after, "住建部门 · 已完成")[1] == _bar(before, "住建部门 · 已完成")[1] + 1
    assert _bar(after, "校园安全：共")[1] == 1                 # a sector typed by a person is a bar of its own
    assert _bar(after, "2025年9月：共")[1] == _bar(before, "2025年9月：共")[1] + 1
    _check_links(client, after)                                # and every number is still the list's


def test_the_export_button_downloads_what_the_page_counts(client):
    for args in ({}, {"all": "1"}):
        page = _overview(client, **args)
        total = _total(page)
        href = html_lib.unescape(re.search(r'id="export-xlsx" href="([^"]+)"', page).group(1))
        assert urlsplit(href).path == "/export.xlsx" and parse_qs(urlsplit(href).query) == {k: [v] for k, v in
                                                                                           args.items()}
        resp = client.get(href)
        assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
        ws = load_workbook(io.BytesIO(resp.get_data()))["督办台账"]
        rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
        assert len(rows) == total


def test_hostile_unit_and_sector_names_are_escaped(client, store_path):
    db = open_db(store_path)
    did = db.execute("SELECT d.id FROM directives d JOIN documents doc ON doc.id = d.doc_id WHERE d.safety != 0 "
                     "AND doc.duplicate_of IS NULL ORDER BY d.id LIMIT 1").fetchone()[0]
    with db.conn:
        db.conn.execute("UPDATE directives SET party_types = ?, sectors = ? WHERE id = ?",
                        [json.dumps([HOSTILE_UNIT]), json.dumps([HOSTILE_SECTOR]), did])
    db.conn.close()
    page = _overview(client)
    assert "<script" not in page and "<svg onload" not in page and 'alert("unit")' not in page
    assert "&lt;script&gt;alert(&#34;unit&#34;)&lt;/script&gt;" in page           # shown, as text
    unit = [(href, n) for _, href, label, n in _links(page) if label.startswith(HOSTILE_UNIT)]
    sector = [(href, n) for _, href, label, n in _links(page) if label.startswith(HOSTILE_SECTOR)]
    assert unit and sector
    for href, n in unit + sector:
        assert _list_count(client, href) == n


def test_signed_out_and_signed_in_see_the_same_overview(client):
    signed_out = client.get("/overview")
    assert signed_out.status_code == 200                       # reading needs no account, like the list
    charts_out = re.findall(r"<svg.*?</svg>", signed_out.get_data(as_text=True), re.S)
    for path in ("/overview", "/"):                           # a POST is refused as on the other pages
        assert client.post(path).status_code == client.post("/").status_code
    _sign_in(client)
    signed_in = client.get("/overview")
    page = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200 and "王五" in page
    assert re.findall(r"<svg.*?</svg>", page, re.S) == charts_out
    assert client.post("/overview", data={"csrf_token": _token(page)}).status_code == 405


# ---- the numbers -------------------------------------------------------------------------------------

def test_overdue_trend_reads_what_the_runs_recorded(store_path):
    db = open_db(store_path)
    with db.conn:
        db.conn.execute("DELETE FROM runs")
        rows = [("nightly", "ok", {"track": {"overdue": 7, "as_of": "2025-06-01"}}),
                ("crawl", "ok", {"pages_fetched": 3}),                              # no tracking: not a point
                ("track", "ok", {"overdue": 9, "as_of": "2025-06-15"}),              # `duban track` at the top
                ("nightly", "failed", {"stages": {"track": "failed"}}),             # the stage failed: no count
                ("nightly", "partial", {"track": {"overdue": 11}}),                 # no as_of: the start day
                ("nightly", "running", {})]
        for command, status, counts in rows:
            db.conn.execute("INSERT INTO runs (command, started_at, status, counts) VALUES (?,?,?,?)",
                            [command, "2025-07-02T01:00:00+00:00", status, json.dumps(counts)])
        db.conn.execute("INSERT INTO runs (command, started_at, status, counts) VALUES ('track', '2025-07-03', "
                        "'ok', 'not json')")
    points = overdue_trend(db)
    assert [(p.as_of, p.overdue) for p in points] == [("2025-06-01", 7), ("2025-06-15", 9), ("2025-07-02", 11)]
    assert [(p.as_of, p.overdue) for p in overdue_trend(db, limit=2)] == [("2025-06-15", 9), ("2025-07-02", 11)]
    db.conn.close()


def test_trend_chart_shows_the_points_and_says_when_there_are_none(client, store_path):
    page = _overview(client)
    trend = re.search(r'<svg class="chart" id="chart-trend".*?</svg>', page, re.S).group(0)
    assert trend.count('<g class="point">') == 1 and "2025-08-01：" in trend     # the demo's one nightly run
    db = open_db(store_path)
    with db.conn:
        db.conn.execute("DELETE FROM runs")
    db.conn.close()
    page = _overview(client)
    assert "还没有夜间运行的记录" in page and "暂无数据" in page


def test_counts_match_the_search_engine(store_path):
    db = open_db(store_path)
    ov = build(db, as_of=AS_OF)
    assert ov.total == sum(ov.by_status.values()) == search(db, "", Filters(), count=True, as_of=AS_OF).total
    for row in ov.units[:3] + ov.sectors[:3] + ov.months[:3]:
        for status, n in row.counts.items():
            got = search(db, "", Filters(status=status, **row.filters), count=True, as_of=AS_OF, limit=1).total
            assert got == n, (row.label, status)
    if not ov.more_units:
        assert ov.no_unit == ov.total - len({i for row in ov.units for i in _ids(db, row.filters)})
    assert ov.no_month > 0 and all(row.label.endswith("月") for row in ov.months)
    db.conn.close()


def _ids(db, filters: dict[str, str]) -> set[int]:
    from pipeline.search.overview import listed_ids

    return set(listed_ids(db, Filters(**filters)))


def test_deadline_month_filter(store_path, client):
    assert month_range("2024-02") == ("2024-02-01", "2024-02-29") and month_range("2025-12")[1] == "2025-12-31"
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        Filters(due_after="六月")
    db = open_db(store_path)
    hits = search(db, "", Filters(due_after="2025-06-01", due_before="2025-06-30"), limit=500, as_of=AS_OF).hits
    assert hits and all("2025-06-01" <= h.deadline_date <= "2025-06-30" for h in hits)
    later = search(db, "", Filters(due_after="2025-07-01"), limit=500, as_of=AS_OF).hits
    assert later and all(h.deadline_date >= "2025-07-01" for h in later)
    db.conn.close()
    page = client.get("/", query_string={"due_after": "2025-06-01", "due_before": "2025-06-30"})
    html = page.get_data(as_text=True)
    assert 'name="due_after" value="2025-06-01"' in html                  # the form shows the filter
    assert "due_after=2025-06-01" in html                                   # and the export keeps it
    assert int(TOTAL.search(html).group(1)) == len(hits)


# ---- the drawing ---------------------------------------------------------------------------------------

def test_charts_escape_labels_and_links_and_fit_long_ones():
    bars = [charts.Bar(label="<b>单位</b>" + "很长" * 20, href='/?party=<b>&x="1"',
                       segments=[charts.Segment("overdue", 3, "/?a=1&b=<i>"), charts.Segment("done", 2, None)])]
    svg = str(charts.hbar_chart("c<1>", 'title "<x>"', bars))
    assert "<b>" not in svg and "<i>" not in svg and 'x="1"' not in svg and "c<1>" not in svg
    assert "&lt;b&gt;单位&lt;/b&gt;" in svg and 'href="/?a=1&amp;b=&lt;i&gt;"' in svg
    shown = re.search(r'text-anchor="end" fill="#1f2933">([^<]*)</text>', svg).group(1)
    assert shown.endswith("…") and len(html_lib.unescape(shown)) < 20   # cut in the chart, whole in the tooltip
    assert 'data-count="3"' in svg and 'data-count="5"' in svg
    assert charts.fit("住建部门", 10) == "住建部门" and charts.nice_step(95) == 20 and charts.nice_step(3) == 1
    assert "暂无数据" in str(charts.column_chart("m", "t", [])) and "暂无数据" in str(charts.line_chart("l", "t", []))


def test_status_colours_are_the_list_pages():
    css = (ROOT / "pipeline" / "web" / "static" / "style.css").read_text(encoding="utf-8")
    for status, cls in charts.STATUS_CSS.items():
        assert re.search(rf"--{cls}: {charts.STATUS_FILL[status]};", css), status
        assert f"svg.chart .seg.{cls} {{ fill: var(--{cls}); }}" in css
        assert f".badge.{cls} {{ background: var(--{cls}); }}" in css


def test_an_empty_store_has_an_overview_too(db_path):
    open_db(db_path).conn.close()
    app = create_app(str(db_path), secret_key="test", as_of=AS_OF)
    page = app.test_client().get("/overview").get_data(as_text=True)
    assert 'id="total" data-count="0"' in page and page.count("暂无数据") == 5      # every chart says so
    assert "还没有夜间运行的记录" in page and "<script" not in page
