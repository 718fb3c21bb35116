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
