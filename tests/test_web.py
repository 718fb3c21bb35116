"""The staff page through Flask's test client: escaping, CSRF, corrections that outlive re-extraction.

Changing data needs a signed-in user (tests/test_web_hardening.py tests that rule); the tests here
sign in with ``_sign_in`` before they post, and every correction is recorded under that user.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.store import open_db
from pipeline.web import users
from pipeline.web.app import create_app
from pipeline.web.schema import migrate_users

from .test_search import AS_OF, FIXTURES, build_store

runner = CliRunner()
PASSWORD = "correct-horse-9"


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


def _sign_in(client, name: str = "王五") -> None:
    """Add ``name`` to the store's users (once) and sign the client in as them."""
    db = open_db(client.application.config["DUBAN_DB"])
    migrate_users(db)                     # schema step 11; a no-op once open_db has run it
    if users.find(db, name) is None:
        users.add_user(db, name, PASSWORD)
    db.conn.close()
    token = _token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"csrf_token": token, "name": name, "password": PASSWORD})
    assert resp.status_code == 303, resp.get_data(as_text=True)


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


def _add_evidence(store, status: str, score: float, via: str = "text") -> tuple[int, int, int]:
    """Link the 区住建局 directive to the report's 全年共排查… sentence; (directive id, report id, start)."""
    did = store.execute("SELECT id FROM directives WHERE text LIKE '区住建局%'").fetchone()[0]
    report = store.execute("SELECT id, body FROM documents WHERE kind = 'report'").fetchone()
    start = report[1].index("全年共排查")
    with store.conn:
        store.conn.execute(
            'INSERT INTO evidence (directive_id, doc_id, sent_idx, start, "end", text, status, score, via, '
            "tracker_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [did, report[0], 2, start, start + 20, report[1][start:start + 20], status, score, via, "test",
             "2025-01-16"])
    return did, report[0], start


def test_directive_page_shows_context_and_evidence(client, store):
    did, report_id, start = _add_evidence(store, "done", 0.8)
    resp = client.get(f"/directive/{did}")
    assert resp.status_code == 302
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<mark class="current" id="sentence">区住建局要全面排查燃气管道占压隐患' in html
    assert "一、全面排查燃气隐患" in html                                    # heading path
    assert "各燃气经营企业要建立用户安全检查台账。" in html                    # the next sentence
    assert f'/document/{report_id}?hl={start}-{start + 20}#hl' in html
    assert 'class="badge done"' in html
    doc = client.get(f"/document/{report_id}?hl={start}-{start + 20}").get_data(as_text=True)
    assert '<span class="evidence" title="后续落实情况" id="hl">全年共排查' in doc


def test_evidence_linked_by_structure_says_so(client, store):
    """Evidence found by an outcome figure or a list name, not by its words, says what linked it."""
    did, _, _ = _add_evidence(store, "in_progress", 0.45, via="outcome")
    html = client.get(client.get(f"/directive/{did}").headers["Location"]).get_data(as_text=True)
    assert "依据：成效指标" in html
    from pipeline.export.sheet import _evidence
    from pipeline.search.records import load

    rec = load(store, [did], AS_OF)[0]
    assert _evidence(rec)[0].startswith("【推进中·成效指标】全年共排查")


def test_posts_need_the_sessions_csrf_token(client, store):
    url = _directive_url(client, "台账")
    _sign_in(client)                      # signed in, so every refusal below is the token's
    assert client.post(url, data={"action": "confirm"}).status_code == 400
    own = _token(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"action": "confirm", "csrf_token": "forged"}).status_code == 400
    other = create_app(client.application.config["DUBAN_DB"], secret_key="test", as_of=AS_OF).test_client()
    _sign_in(other, "赵六")                # another person's valid token is not this session's
    foreign = _token(other.get(url).get_data(as_text=True))
    assert foreign != own
    assert client.post(url, data={"action": "confirm", "csrf_token": foreign}).status_code == 400
    assert store.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    resp = client.post(url, data={"action": "confirm", "csrf_token": own})       # the session's own token
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    assert store.execute("SELECT author FROM corrections").fetchall() == [("王五",)]


def test_corrections_are_kept_through_reextraction(client, store, db_path):
    from pipeline.extract.extractor import Directive
    from pipeline.corrections.carry import carry_forward
    from pipeline.store.documents import write_directives

    url = _directive_url(client, "台账")
    _sign_in(client, "王五")
    token = _token(client.get(url).get_data(as_text=True))
    resp = client.post(url, data={"csrf_token": token, "action": "edit", "comment": "按原文补全",
                                  "parties": "各燃气经营企业、区住建局", "sectors": ["城镇燃气", "消防"],
                                  "deadline_text": "年底前", "deadline_kind": "date", "deadline_date": "2024-12-31"})
    assert resp.status_code == 303
    client.post(url, data={"csrf_token": token, "action": "status", "status": "in_progress",
                           "comment": "据7月报告正在推进"})
    client.post(url, data={"csrf_token": token, "action": "status", "status": "done"})  # no comment
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
        write_directives(store, doc_id, again, "extract-2", after_write=carry_forward)
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


# --------------------------------------------------------------------------- corrections across cuts and versions

# The notice of tests/fixtures/web, edited and saved again under the same name: (old, new) pairs.
REWRITTEN = ("区住建局要会同各街道（乡镇）全面排查整治燃气管道占压问题，6月底前全部消除燃气管道占压隐患。",
             "区住建局牵头对城区老旧燃气管网开展专项改造，年内完成改造任务。")    # another sentence now
WORDED = ("督促餐饮企业安装", "督促全区餐饮企业安装")                            # a word added: the same sentence
REDATED = ("各街道要于5月底前组织", "各街道要于6月底前组织")                      # the date it sets changed
RETYPED = ("对排查发现的重大隐患，区安委办要立即挂牌督办。",
           "对排查发现的重大隐患， 区安委办要立即挂牌督办；")                     # spaces and punctuation only
EDITS = (REWRITTEN, WORDED, REDATED, RETYPED)


def _ingest(db_path, path) -> None:
    result = runner.invoke(cli_app, ["ingest", str(path), "--db", str(db_path)])
    assert result.exit_code == 0, result.output


def _post(client, url: str, **form) -> None:
    """Post a correction form on the directive page at ``url``; the client must be signed in."""
    token = _token(client.get(url).get_data(as_text=True))
    resp = client.post(url, data={"csrf_token": token, **form})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url), resp.headers.get("Location")


def _url_of(client, words: str, rejected: bool = False) -> str:
    """The address of the one directive listed for ``words`` (every listed one must be the same)."""
    args = {"q": words} | ({"rejected": "1"} if rejected else {})
    found = set(re.findall(r'href="(/d/[0-9a-f]{64}/[0-9a-f]{64})"', client.get("/", query_string=args).get_data(
        as_text=True)))
    assert len(found) == 1, found
    return found.pop()


@pytest.fixture
def notice(tmp_path, db_path):
    """The notice ingested from a file of its own, and the staff page over that store."""
    path = tmp_path / "notice.txt"
    path.write_text((FIXTURES / "2024-03-08_notice_ranqi.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _ingest(db_path, path)
    flask_app = create_app(str(db_path), secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    return path, flask_app.test_client()


def test_corrections_follow_an_edited_file_to_its_new_version(notice, db_path):
    path, client = notice
    _sign_in(client)
    kept = _url_of(client, "台账")
    _post(client, kept, action="edit", parties="各燃气经营企业、区住建局", sectors=["城镇燃气"], comment="按原文补全",
          deadline_text="年底前", deadline_kind="date", deadline_date="2024-12-31")
    _post(client, kept, action="status", status="in_progress", comment="据7月报告正在推进")
    _post(client, _url_of(client, "占压"), action="confirm")
    _post(client, _url_of(client, "报警装置"), action="status", status="done", comment="已全部安装")
    _post(client, _url_of(client, "检验预案"), action="edit", parties="各街道", sectors=["城镇燃气"],
          deadline_text="5月底前", deadline_kind="date", deadline_date="2024-05-20")
    _post(client, _url_of(client, "挂牌督办"), action="reject", comment="区安委办的职责，不是交办事项")
    db = open_db(db_path)
    heading = "/d/{}/{}".format(*db.execute(                    # never corrected
        "SELECT doc.text_sha256, d.text_sha256 FROM directives d JOIN documents doc ON doc.id = d.doc_id "
        "WHERE d.text = '三、强化宣传和应急演练'").fetchone())
    log = db.execute("SELECT * FROM corrections ORDER BY id").fetchall()
    current = db.execute("SELECT * FROM corrections_current").fetchall()

    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    _ingest(db_path, path)

    first, second = db.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall()
    assert first[1] == second[0] and second[1] is None          # the new version supersedes the old
    assert db.execute("SELECT * FROM corrections ORDER BY id").fetchall() == log       # the log as it was
    assert set(current) <= set(db.execute("SELECT * FROM corrections_current").fetchall())   # nothing lost

    # The same sentence: everything carried over, and said so.
    now = _url_of(client, "台账")
    assert now != kept and client.get(kept).headers["Location"].endswith(now)   # an old bookmark leads on
    doc_sha = db.execute("SELECT text_sha256 FROM documents WHERE id = ?", [second[0]]).fetchone()[0]
    assert client.get(heading).headers["Location"] == f"/d/{doc_sha}/{heading.rsplit('/', 1)[1]}"
    html = client.get(now).get_data(as_text=True)
    assert "各燃气经营企业、区住建局" in html and "年底前（2024-12-31）" in html
    assert 'class="badge progress"' in html and "据7月报告正在推进" in html
    assert re.search(r"更正来自本文件的旧版本（\d{4}-\d{2}-\d{2} 收录）", html)
    assert "按原文补全" in html                                   # the history made on the old version

    # A sentence rewritten beyond recognition starts afresh.
    html = client.get(_url_of(client, "老旧燃气管网")).get_data(as_text=True)
    assert "更正来自" not in html and "已确认" not in html
    # A word added: the same sentence, its status carried.
    html = client.get(_url_of(client, "报警装置")).get_data(as_text=True)
    assert 'class="badge done"' in html and "已全部安装" in html and "原句：“区市场监管局要督促餐饮企业安装" in html
    # The date changed: the person's date for the old wording is not carried; the rest is.
    html = client.get(_url_of(client, "检验预案")).get_data(as_text=True)
    deadline = re.search(r'<dd id="deadline">(.*?)</dd>', html, re.S).group(1)
    assert "6月底前" in deadline and "2024-05-20" not in deadline and "人工更正" not in deadline
    assert "对完成时限的更正未沿用" in html and "（未沿用）更正来自本文件的旧版本" in html     # in its history
    # Only the punctuation changed: still rejected.
    assert 'href="/d/' not in client.get("/", query_string={"q": "挂牌督办"}).get_data(as_text=True)
    assert "已否决" in client.get(_url_of(client, "挂牌督办", rejected=True)).get_data(as_text=True)

    sheet = list(csv.reader(io.StringIO(client.get("/export.csv").get_data().decode("utf-8-sig"))))
    rows = {r[1]: dict(zip(sheet[0], r)) for r in sheet[1:]}
    shown = db.execute("SELECT count(*) FROM directives WHERE doc_id = ?", [second[0]]).fetchone()[0] - 1
    assert len(sheet) - 1 == len(rows) == shown and REWRITTEN[0] not in rows   # the new version's, once each
    row = rows["各燃气经营企业要建立用户安全检查台账，年底前完成全部居民用户入户安检。"]
    assert row["责任单位"] == "各燃气经营企业、区住建局" and row["落实状态"] == "推进中"
    assert "更正来自本文件的旧版本" in row["备注"]
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(client.get("/export.xlsx").get_data())).active
    assert ["各燃气经营企业、区住建局"] == [r[2] for r in ws.iter_rows(values_only=True) if r[1] and "台账" in r[1]]

    result = runner.invoke(cli_app, ["corrections", "export", "--db", str(db_path)])
    assert len(result.stdout.splitlines()) == 5               # a carry adds no labels of its own

    # Corrected again on the new version: its own row, starting from what was carried.
    _post(client, now, action="confirm", comment="新版本核实")
    html = client.get(now).get_data(as_text=True)
    assert "已确认" in html and "各燃气经营企业、区住建局" in html and "更正来自本文件的旧版本" in html
    result = runner.invoke(cli_app, ["corrections", "export", "--db", str(db_path)])
    item = json.loads(result.stdout.splitlines()[-1])
    assert item["label"] == {"is_directive": True, "parties": ["各燃气经营企业", "区住建局"], "status": "in_progress"}
    assert item["carried_from"]["match"] == "same" and [h.get("carried") for h in item["history"]][-1] is None


def test_a_re_cut_sentence_keeps_its_correction(client, store):
    """A newer extractor cuts sentences differently in the same text: the corrections stay on them."""
    from pipeline.extract.extractor import Directive
    from pipeline.corrections.carry import carry_forward
    from pipeline.store.documents import write_directives

    _sign_in(client)
    _post(client, _directive_url(client, "台账"), action="edit", parties="各燃气经营企业、区住建局",
          sectors=["城镇燃气"], deadline_text="", deadline_kind="", deadline_date="")
    _post(client, _directive_url(client, "占压"), action="confirm")
    _post(client, _directive_url(client, "宣传教育"), action="status", status="done", comment="已开展")
    doc_id, body = store.execute("SELECT id, body FROM documents WHERE title LIKE '%燃气%'").fetchone()
    rows = store.execute('SELECT text, start, "end" FROM directives WHERE doc_id = ? ORDER BY start', [doc_id])
    cuts = {"各燃气经营企业要建立用户安全检查台账。": -1,      # the full stop left out: punctuation only
            "区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。": -11,  # cut at the comma: most of it
            "要加强宣传教育，提高群众安全意识。": -9}             # cut at the comma: less than half of it
    again = [Directive(text=body[s:e + cuts.get(t, 0)], start=s, end=e + cuts.get(t, 0), sectors=["城镇燃气"],
                       parties=[], deadline=None) for t, s, e in rows.fetchall()]
    before = store.execute("SELECT * FROM corrections_current").fetchall()
    with store.conn:
        write_directives(store, doc_id, again, "extract-2", after_write=carry_forward)

    html = client.get(_directive_url(client, "台账")).get_data(as_text=True)
    assert "各燃气经营企业、区住建局" in html and "更正来自重新提取前的同一句" in html
    html = client.get(_directive_url(client, "占压")).get_data(as_text=True)
    assert "已确认" in html and "原句：“区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。”" in html
    html = client.get(_directive_url(client, "宣传教育")).get_data(as_text=True)
    assert "已开展" not in html and "更正来自" not in html
    assert set(before) <= set(store.execute("SELECT * FROM corrections_current").fetchall())
    with store.conn:                                            # once more: nothing is carried twice
        write_directives(store, doc_id, again, "extract-2", after_write=carry_forward)
    assert store.execute("SELECT count(*) FROM correction_carries").fetchone()[0] == 2


def test_upgrading_an_older_store_carries_what_it_left_behind(notice, db_path, monkeypatch):
    """A store of duban before schema step 8: the edited file stood beside the old one, its corrections
    orphaned. Opening it with this duban supersedes the old version and carries them."""
    import pipeline.ingest.pipeline as ingest_pipeline
    import pipeline.store.documents as documents

    path, client = notice
    _sign_in(client)
    _post(client, _url_of(client, "台账"), action="status", status="in_progress", comment="据7月报告正在推进")
    with monkeypatch.context() as old_duban:
        old_duban.setattr(ingest_pipeline, "carry_forward", lambda db, doc_id: [])
        old_duban.setattr(documents, "earlier_versions", lambda db, source, sha: [])
        path.write_text(path.read_text(encoding="utf-8").replace(*REWRITTEN), encoding="utf-8")
        _ingest(db_path, path)
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0] == 2
    with db.conn:
        db.conn.execute("DROP TABLE correction_carries")
        db.conn.execute("DROP INDEX documents_source")
    db.execute("PRAGMA user_version = 7")
    db.conn.close()

    db = open_db(db_path)
    from pipeline.store.db import SCHEMA_VERSION

    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall() == [(1, 2), (2, None)]
    html = client.get(_url_of(client, "台账")).get_data(as_text=True)
    assert 'class="badge progress"' in html and "更正来自本文件的旧版本" in html


def test_similarity_bar_joins_one_sentence_not_two():
    """Pairs one to one, the surest first; a sentence that lost most of its words is another sentence."""
    from pipeline.corrections.carry import SIMILAR, Orphan, Target, match, similarity

    sentence = "区市场监管局要督促餐饮企业安装可燃气体报警装置，9月底前实现全覆盖。"
    assert similarity(sentence, sentence.replace("督促", "督促全区")) >= SIMILAR
    assert similarity(sentence, "区市场监管局要督促餐饮企业安装可燃气体报警装置。") < SIMILAR
    orphans = [Orphan("a", "1", sentence, 1, 1, ()), Orphan("a", "2", sentence.replace("9月", "10月"), 1, 1, ())]
    targets = [Target("x", sentence.replace("督促", "督促全区"), 0, 40)]
    found = match(orphans, targets, "")
    assert [(m.orphan.text_sha256, m.how) for m in found] == [("1", "similar")]


def test_rejected_directives_leave_the_list_and_become_negative_examples(client, db_path):
    url = _directive_url(client, "宣传教育")
    _sign_in(client, "赵六")
    token = _token(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "action": "reject", "comment": "只是号召"})
    assert "要加强宣传教育" not in client.get("/", query_string={"q": "宣传教育"}).get_data(as_text=True)
    shown = client.get("/", query_string={"q": "宣传教育", "rejected": "1"}).get_data(as_text=True)
    assert "已否决" in shown
    result = runner.invoke(cli_app, ["corrections", "export", "--db", str(db_path)])
    item = json.loads(result.stdout.splitlines()[0])
    assert item["label"] == {"is_directive": False} and item["history"][0]["author"] == "赵六"


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
