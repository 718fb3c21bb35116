"""The staff page through Flask's test client: escaping, CSRF, corrections that outlive re-extraction."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.web.app import create_app

from .test_search import AS_OF, build_store

runner = CliRunner()


@pytest.fixture
def store(db_path):
    return build_store(db_path)


@pytest.fixture
def client(store, db_path):
    flask_app = create_app(str(db_path), secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    return flask_app.test_client()


def _directive_url(client, query: str) -> str:
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    return re.search(r'href="(/d/[0-9a-f]{64}/[0-9a-f]{64})"', html).group(1)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_search_page_highlights_escapes_and_badges(client):
    resp = client.get("/", query_string={"q": "燃气"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<mark>燃气</mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="badge overdue"' in html and "已逾期" in html
    assert "未落实" not in html
    assert "script-src" not in resp.headers["Content-Security-Policy"]        # no script may run at all
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert 'href="/export.xlsx?q=' in html


def test_query_errors_are_shown_not_raised(client):
    resp = client.get("/", query_string={"q": '"燃气'})
    assert resp.status_code == 200 and "引号没有配对" in resp.get_data(as_text=True)
    resp = client.get("/", query_string={"from": "去年"})
    assert resp.status_code == 200 and "YYYY-MM-DD" in resp.get_data(as_text=True)


def test_directive_page_shows_context_and_evidence(client, store):
    did = store.execute("SELECT id FROM directives WHERE text LIKE '区住建局%'").fetchone()[0]
    report = store.execute("SELECT id, body FROM documents WHERE kind = 'report'").fetchone()
    start = report[1].index("全年共排查")
    with store.conn:
        store.conn.execute(
            'INSERT INTO evidence (directive_id, doc_id, sent_idx, start, "end", text, status, score, tracker_version, '
            "created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [did, report[0], 2, start, start + 20, report[1][start:start + 20], "done", 0.8, "test", "2025-01-16"])
    resp = client.get(f"/directive/{did}")
    assert resp.status_code == 302
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<mark class="current" id="sentence">区住建局要全面排查燃气管道占压隐患' in html
    assert "一、全面排查燃气隐患" in html                                    # heading path
    assert "各燃气经营企业要建立用户安全检查台账。" in html                    # the next sentence
    assert f'/document/{report[0]}?hl={start}-{start + 20}#hl' in html
    assert 'class="badge done"' in html
    doc = client.get(f"/document/{report[0]}?hl={start}-{start + 20}").get_data(as_text=True)
    assert '<span class="evidence" title="后续落实情况" id="hl">全年共排查' in doc


def test_evidence_linked_by_structure_says_so(client, store):
    """Evidence found by an outcome figure or a list name, not by its words, says what linked it."""
    did = store.execute("SELECT id FROM directives WHERE text LIKE '区住建局%'").fetchone()[0]
    report = store.execute("SELECT id, body FROM documents WHERE kind = 'report'").fetchone()
    start = report[1].index("全年共排查")
    with store.conn:
        store.conn.execute(
            'INSERT INTO evidence (directive_id, doc_id, sent_idx, start, "end", text, status, score, via, '
            "tracker_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [did, report[0], 2, start, start + 20, report[1][start:start + 20], "in_progress", 0.45, "outcome",
             "test", "2025-01-16"])
    html = client.get(client.get(f"/directive/{did}").headers["Location"]).get_data(as_text=True)
    assert "依据：成效指标" in html
    from pipeline.export.sheet import _evidence
    from pipeline.search.records import load

    rec = load(store, [did], AS_OF)[0]
    assert _evidence(rec)[0].startswith("【推进中·成效指标】全年共排查")


def test_posts_need_the_sessions_csrf_token(client):
    url = _directive_url(client, "台账")
    assert client.post(url, data={"action": "confirm", "author": "王五"}).status_code == 400
    client.get(url)
    assert client.post(url, data={"action": "confirm", "author": "王五", "csrf_token": "forged"}).status_code == 400
    other = create_app(client.application.config["DUBAN_DB"], secret_key="test", as_of=AS_OF).test_client()
    foreign = _token(other.get(url).get_data(as_text=True))
    assert client.post(url, data={"action": "confirm", "author": "王五", "csrf_token": foreign}).status_code == 400
    assert client.application.config["DUBAN_DB"]


def test_corrections_are_kept_through_reextraction(client, store, db_path):
    from pipeline.extract.extractor import Directive
    from pipeline.store.documents import write_directives

    url = _directive_url(client, "台账")
    token = _token(client.get(url).get_data(as_text=True))
    resp = client.post(url, data={"csrf_token": token, "action": "edit", "author": "王五", "comment": "按原文补全",
                                  "parties": "各燃气经营企业、区住建局", "sectors": ["城镇燃气", "消防"],
                                  "deadline_text": "年底前", "deadline_kind": "date", "deadline_date": "2024-12-31"})
    assert resp.status_code == 303
    client.post(url, data={"csrf_token": token, "action": "status", "author": "王五", "status": "in_progress",
                           "comment": "据7月报告正在推进"})
    client.post(url, data={"csrf_token": token, "action": "status", "author": "王五", "status": "done"})  # no comment
    html = client.get(url).get_data(as_text=True)
    assert "人工设定落实状态时请填写依据或说明" in html
    assert "各燃气经营企业、区住建局" in html and "人工更正" in html and "王五" in html
    assert 'class="badge progress"' in html
    old_id = store.execute("SELECT id FROM directives WHERE text LIKE '各燃气经营企业%'").fetchone()[0]

    # Re-extraction: the machine writes the document's directives again; the rows get new ids.
    doc_id, body = store.execute("SELECT id, body FROM documents WHERE title LIKE '%燃气%'").fetchone()
    rows = store.execute('SELECT text, start, "end" FROM directives WHERE doc_id = ? ORDER BY start', [doc_id]).fetchall()
    again = [Directive(text=t, start=s, end=e, sectors=["城镇燃气"], parties=[], deadline=None) for t, s, e in rows]
    with store.conn:
        store.conn.execute("INSERT INTO directives (doc_id, start, \"end\", text, text_sha256, extractor_version) "
                           "VALUES (?, 0, 1, 'x', 'x', 'x')", [doc_id])      # so the new ids cannot be the old ones
        write_directives(store, doc_id, again, "extract-2")
    new_id = store.execute("SELECT id FROM directives WHERE text LIKE '各燃气经营企业%'").fetchone()[0]
    assert new_id != old_id
    html = client.get(url).get_data(as_text=True)
    assert "各燃气经营企业、区住建局" in html and "年底前（2024-12-31）" in html
    assert 'class="badge progress"' in html and "据7月报告正在推进" in html
    assert client.get(f"/directive/{old_id}").status_code in (302, 404)

    result = runner.invoke(cli_app, ["corrections", "export", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == 1
    label = items[0]["label"]
    assert label["parties"] == ["各燃气经营企业", "区住建局"] and label["sectors"] == ["城镇燃气", "消防"]
    assert label["deadline"] == {"text": "年底前", "kind": "date", "date": "2024-12-31"}
    assert label["status"] == "in_progress"
    assert items[0]["machine"]["parties"] == ["各燃气经营企业"]
    assert items[0]["text"] == "各燃气经营企业要建立用户安全检查台账。"
    assert all(h["author"] == "王五" and h["at"] for h in items[0]["history"])


def test_rejected_directives_leave_the_list_and_become_negative_examples(client, db_path):
    url = _directive_url(client, "宣传教育")
    token = _token(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "action": "reject", "author": "赵六", "comment": "只是号召"})
    assert "要加强宣传教育" not in client.get("/", query_string={"q": "宣传教育"}).get_data(as_text=True)
    shown = client.get("/", query_string={"q": "宣传教育", "rejected": "1"}).get_data(as_text=True)
    assert "已否决" in shown
    result = runner.invoke(cli_app, ["corrections", "export", "--db", str(db_path)])
    assert json.loads(result.stdout.splitlines()[0])["label"] == {"is_directive": False}


def test_export_button_downloads_the_current_view(client):
    html = client.get("/", query_string={"q": "燃气", "sector": "城镇燃气"}).get_data(as_text=True)
    href = re.search(r'href="(/export\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    resp = client.get(href)
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    raw = resp.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[0][0] == "序号"
    xlsx = client.get(href.replace("export.csv", "export.xlsx"))
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"


def test_serve_binds_to_localhost_by_default():
    command = typer.main.get_command(cli_app).commands["serve"]
    host = next(p for p in command.params if p.name == "host")
    assert host.default == "127.0.0.1"


# --------------------------------------------------------------------------- paging

PAGED_IN_PLACE = 220        # directives in 青禾区: pages of 100, 100 and 20
PAGED_ELSEWHERE = 30        # in 白河县
NUMBER = re.compile(r"第(\d{3})号任务")


def _paged_data() -> dict:
    """Five documents, 250 directives, each with its own number; even numbers are overdue on AS_OF."""
    docs, n = [], 0
    for d, (place, count) in enumerate([("青禾区", 55)] * 4 + [("白河县", PAGED_ELSEWHERE)]):
        directives = []
        for _ in range(count):
            due = "2024-06-30" if n % 2 == 0 else "2025-12-31"
            directives.append({"text": f"第{n:03d}号任务：各街道要完成燃气管道隐患排查整治。", "parties": ["各街道"],
                               "sectors": ["城镇燃气"], "heading": [],
                               "deadline": {"text": f"{due[:4]}年{int(due[5:7])}月底前", "kind": "date", "date": due}})
            n += 1
        docs.append({"key": f"p{d}", "title": f"关于燃气安全排查整治的通知（{d}）", "date": f"2024-0{d + 1}-10",
                     "kind": "notice", "place": place, "level": "区", "speaker": None, "speaker_role": None,
                     "meeting": None, "source": f"fixtures/paged{d}.txt", "directives": directives})
    return {"documents": docs}


@pytest.fixture
def paged(tmp_path):
    path = tmp_path / "paged.db"
    build_store(path, _paged_data())
    flask_app = create_app(str(path), secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    return flask_app.test_client()


def _numbers(html: str) -> list[int]:
    return [int(m) for m in NUMBER.findall(html)]


def _pager_links(html: str) -> dict[str, dict[str, list[str]]]:
    """The pager's links by their text, each as its parsed query string."""
    from urllib.parse import parse_qs, urlsplit

    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    return {text: parse_qs(urlsplit(href.replace("&amp;", "&")).query)
            for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_list_pages_cover_every_match_once(paged):
    pages = [paged.get("/", query_string={"page": str(p)}) for p in (1, 2, 3)]
    assert [r.status_code for r in pages] == [200, 200, 200]
    seen = [_numbers(r.get_data(as_text=True)) for r in pages]
    assert [len(s) for s in seen] == [100, 100, 50]
    assert sorted(n for s in seen for n in s) == list(range(250))          # all rows, none twice
    first, last = (r.get_data(as_text=True) for r in (pages[0], pages[2]))
    assert "找到 <strong>250</strong> 条督办事项" in first and "第 1 页 / 共 3 页（共 250 条）" in first
    assert "本页为第 201–250 条" in last and "第 3 页 / 共 3 页" in last
    assert set(_pager_links(first)) == {"下一页", "末页"}                     # no 上一页 link on page 1
    assert set(_pager_links(last)) == {"首页", "上一页"}
    assert _pager_links(first)["下一页"]["page"] == ["2"]
    assert 'start="201"' in last                                              # the list numbers go on


def test_pager_links_keep_the_query_and_every_filter(paged):
    args = {"q": "燃气 排查", "place": "青禾区", "sector": "城镇燃气", "from": "2024-01-01", "rejected": "1"}
    html = paged.get("/", query_string=args | {"page": "2"}).get_data(as_text=True)
    assert "找到 <strong>220</strong> 条督办事项" in html and "第 2 页 / 共 3 页" in html
    links = _pager_links(html)
    assert set(links) == {"首页", "上一页", "下一页", "末页"}
    for text, page in (("首页", "1"), ("上一页", "1"), ("下一页", "3"), ("末页", "3")):
        assert links[text] == {k: [v] for k, v in args.items()} | {"page": [page]}, text
    one, two, three = ([n for n in _numbers(paged.get("/", query_string=args | {"page": p}).get_data(as_text=True))]
                       for p in ("1", "2", "3"))
    assert not set(one) & set(two) and len(one) == len(two) == 100 and len(three) == 20
    assert sorted(one + two + three) == list(range(PAGED_IN_PLACE))          # 白河县 stays out on every page


def test_export_from_a_later_page_has_every_match_not_the_page(paged):
    html = paged.get("/", query_string={"place": "青禾区", "page": "2"}).get_data(as_text=True)
    href = re.search(r'href="(/export\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "page=" not in href
    rows = list(csv.reader(io.StringIO(paged.get(href).get_data().decode("utf-8-sig"))))
    assert len(rows) == 1 + PAGED_IN_PLACE
    xlsx = paged.get(href.replace("export.csv", "export.xlsx"))
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"


def test_status_filter_is_counted_and_paged(paged):
    """Statuses are derived, not stored: the count and the pages come from one scan of the candidates."""
    pages = [paged.get("/", query_string={"status": "overdue", "page": p}).get_data(as_text=True) for p in ("1", "2")]
    assert "找到 <strong>125</strong> 条督办事项" in pages[0] and "第 1 页 / 共 2 页（共 125 条）" in pages[0]
    numbers = [_numbers(h) for h in pages]
    assert [len(n) for n in numbers] == [100, 25]
    assert sorted(numbers[0] + numbers[1]) == list(range(0, 250, 2))


@pytest.mark.parametrize("page", ["abc", "", "0", "-3", "+2", "1.5", "1e3", "1_0", "²"])
def test_a_page_that_is_not_a_positive_number_is_page_one(paged, page):
    resp = paged.get("/", query_string={"place": "青禾区", "page": page})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "第 1 页 / 共 3 页" in html and len(_numbers(html)) == 100


def test_full_width_digits_are_a_page_number(paged):
    html = paged.get("/", query_string={"place": "青禾区", "page": "２"}).get_data(as_text=True)
    assert "第 2 页 / 共 3 页" in html


@pytest.mark.parametrize("page", ["4", "999", "9" * 40])
def test_a_page_beyond_the_last_goes_to_the_last_with_the_filters(paged, page):
    resp = paged.get("/", query_string={"q": "燃气", "place": "青禾区", "page": page})
    assert resp.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    target = urlsplit(resp.headers["Location"])
    assert parse_qs(target.query) == {"q": ["燃气"], "place": ["青禾区"], "page": ["3"]}
    last = paged.get(f"{target.path}?{target.query}")
    assert last.status_code == 200 and len(_numbers(last.get_data(as_text=True))) == 20


def test_paging_an_empty_or_broken_view_is_no_error(paged):
    empty = paged.get("/", query_string={"q": "不存在的词语", "page": "5"})
    assert empty.status_code == 302 and "page=1" in empty.headers["Location"]
    html = paged.get(empty.headers["Location"]).get_data(as_text=True)
    assert "没有找到符合条件的督办事项" in html and 'class="pager"' not in html
    broken = paged.get("/", query_string={"q": '"燃气', "page": "7"})
    assert broken.status_code == 200 and "引号没有配对" in broken.get_data(as_text=True)


def test_pager_links_are_escaped(paged):
    html = paged.get("/", query_string={"q": '燃气 -"<b>&x"', "page": "2"}).get_data(as_text=True)
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    assert "<b>" not in nav and "&x" not in nav.replace("&amp;", "")
    assert "%3Cb%3E%26x" in nav


def test_documents_are_paged_too(tmp_path):
    path = tmp_path / "paged.db"
    build_store(path, _paged_data())
    client = create_app(str(path), secret_key="test", as_of=AS_OF, page_size=2).test_client()
    titles: list[str] = []
    for page in ("1", "2", "3"):
        html = client.get("/", query_string={"scope": "documents", "page": page}).get_data(as_text=True)
        assert f"第 {page} 页 / 共 3 页（共 5 篇）" in html
        titles += sorted(set(re.findall(r"关于燃气安全排查整治的通知（(\d)）", html)))
    assert titles == ["3", "4", "1", "2", "0"]                 # newest first, each once
    resp = client.get("/", query_string={"scope": "documents", "page": "4"})
    assert resp.status_code == 302 and "scope=documents" in resp.headers["Location"]
