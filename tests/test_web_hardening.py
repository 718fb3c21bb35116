"""The staff page against hostile addresses, foreign forms and people who are not signed in.

Ids and page numbers in addresses are typed or forged by anyone: they get a Chinese 404/400 page
(or, for a page number, the last page), never a 500. Every POST must come from this site and,
except signing in and out, from a signed-in user, whose name the correction is recorded under.
``duban users`` keeps the accounts; ``duban serve`` runs on waitress and will not open the page to
the network while nobody can sign in.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.store import open_db
from pipeline.web import users
from pipeline.web.app import create_app
from pipeline.web.schema import migrate_users

from .test_search import AS_OF, build_store
from .test_web import PASSWORD, _directive_url, _sign_in, _token

runner = CliRunner()


@pytest.fixture
def store(db_path):
    db = build_store(db_path)
    migrate_users(db)             # schema step 11 (a no-op once the store's migrations include it)
    return db


@pytest.fixture
def client(store, db_path):
    flask_app = create_app(str(db_path), secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    return flask_app.test_client()


def _corrections(store) -> list[tuple]:
    return store.execute("SELECT field, value, author FROM corrections ORDER BY id").fetchall()


def _chinese_error(resp) -> str:
    html = resp.get_data(as_text=True)
    assert resp.mimetype == "text/html"
    assert re.search(r'<p class="error">[^<]*[\u4e00-\u9fff]', html), html[-600:]
    for english in ("Not Found", "Bad Request", "Internal Server Error", "The requested URL", "Forbidden"):
        assert english not in html
    return html


# --------------------------------------------------------------------------- ids and page numbers

@pytest.mark.parametrize("path", [
    "/document/99999999999999999999999",          # beyond 64 bits
    "/document/9223372036854775808",              # 2**63: one past SQLite's largest integer
    "/directive/99999999999999999999999",
    "/document/-1", "/directive/-5",              # negative
    "/document/abc", "/directive/abc", "/document/1.5", "/document/0x10", "/document/1e3",   # not numbers
    "/document/" + "9" * 5000,                    # 5,000 digits
    "/document/１",                                # a full-width digit is not an id
    "/document/9223372036854775807",              # the largest id there can be: simply not there
    "/directive/0",
])
def test_bad_ids_get_a_chinese_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    _chinese_error(resp)


def test_a_real_id_still_works(client, store):
    doc_id = store.execute("SELECT min(id) FROM documents").fetchone()[0]
    did = store.execute("SELECT min(id) FROM directives").fetchone()[0]
    assert client.get(f"/document/{doc_id}").status_code == 200
    assert client.get(f"/document/{doc_id:05d}").status_code == 200          # leading zeros: the same id
    assert client.get(f"/directive/{did}").status_code == 302


@pytest.mark.parametrize("hl", ["9" * 5000 + "-1", "1-" + "9" * 4000, "-5-3", "x-y", "3-1"])
def test_a_broken_highlight_is_ignored(client, store, hl):
    doc_id = store.execute("SELECT min(id) FROM documents").fetchone()[0]
    resp = client.get(f"/document/{doc_id}", query_string={"hl": hl})
    assert resp.status_code == 200 and 'id="hl"' not in resp.get_data(as_text=True)


@pytest.mark.parametrize("page", ["9" * 5000, "0" * 4999 + "2", "９" * 5000])
def test_a_page_number_of_5000_digits_is_no_error(client, page):
    """A number past the last page goes to the last page, as 40 digits always did (tests/test_web.py)."""
    resp = client.get("/", query_string={"q": "燃气", "page": page})
    assert resp.status_code == 302 and "page=1" in resp.headers["Location"]      # one page of hits: page 1 is last
    assert client.get(resp.headers["Location"]).status_code == 200


def test_page_parsing_never_converts_thousands_of_digits():
    from pipeline.web.paging import max_page, parse_page

    assert parse_page("9" * 5000, 100) == max_page(100)
    assert parse_page("0" * 5000 + "7", 100) == 7
    assert parse_page("0" * 5000, 100) == 1
    assert parse_page("１２", 100) == 12


@pytest.mark.parametrize("path", ["/nope", "/export.pdf", "/d/x/y"])
def test_unknown_pages_are_chinese_too(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    _chinese_error(resp)


def test_a_wrong_method_is_a_chinese_405(client):
    resp = client.post("/export.csv", data={})
    assert resp.status_code in (400, 405)        # the CSRF check may answer first; either way no 500
    _chinese_error(resp)
    resp = client.put("/")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    _chinese_error(resp)


# --------------------------------------------------------------------------- where a POST comes from

def _form(client, url: str, **fields) -> dict:
    return {"csrf_token": _token(client.get(url).get_data(as_text=True)), "action": "confirm", **fields}


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "http://localhost.evil.example"},
    {"Origin": "http://localhost:8001"},                         # another port is another site
    {"Origin": "null"},                                          # a sandboxed frame or a file on disk
    {"Origin": ""},
    {"Referer": "http://evil.example/page"},                     # no Origin: the Referer decides
    {"Origin": "http://evil.example", "Referer": "http://localhost/"},   # Origin wins over Referer
])
def test_a_post_from_another_site_is_refused(client, store, headers):
    _sign_in(client)
    url = _directive_url(client, "台账")
    resp = client.post(url, data=_form(client, url), headers=headers)
    assert resp.status_code == 403
    assert "不是从本站页面提交的" in _chinese_error(resp)
    assert _corrections(store) == []


@pytest.mark.parametrize("headers", [
    {"Origin": "http://localhost"},
    {"Origin": "HTTP://LOCALHOST:80"},
    {"Origin": "https://localhost"},                             # a TLS proxy in front: the same host
    {"Referer": "http://localhost/d/x/y?q=1"},
    {},                                                          # neither sent: the token alone decides
])
def test_a_post_from_this_site_is_accepted(client, store, headers):
    _sign_in(client)
    url = _directive_url(client, "台账")
    resp = client.post(url, data=_form(client, url), headers=headers)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    assert _corrections(store) == [("verdict", "confirmed", "王五")]


def test_the_origin_is_compared_with_the_host_being_served(store, db_path):
    """Served on a LAN address, the page is that address: localhost is then another site."""
    flask_app = create_app(str(db_path), secret_key="test", as_of=AS_OF)
    flask_app.config["SERVER_NAME"] = "192.168.1.20:8000"
    client = flask_app.test_client()
    _sign_in(client)
    url = _directive_url(client, "台账")
    form = _form(client, url)
    assert client.post(url, data=form, headers={"Origin": "http://localhost"}).status_code == 403
    assert client.post(url, data=form, headers={"Origin": "http://192.168.1.20"}).status_code == 403
    assert client.post(url, data=form, headers={"Origin": "http://192.168.1.20:8000"}).status_code == 303
    assert _corrections(store) == [("verdict", "confirmed", "王五")]


def test_the_csrf_token_is_still_required_from_this_site(client, store):
    _sign_in(client)
    url = _directive_url(client, "台账")
    resp = client.post(url, data=_form(client, url, csrf_token="forged"), headers={"Origin": "http://localhost"})
    assert resp.status_code == 400 and "安全校验未通过" in _chinese_error(resp)
    assert _corrections(store) == []


def test_signing_in_from_another_site_is_refused(client, store):
    users.add_user(store, "王五", PASSWORD)
    token = _token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"csrf_token": token, "name": "王五", "password": PASSWORD},
                       headers={"Origin": "http://evil.example"})
    assert resp.status_code == 403
    with client.session_transaction() as session:
        assert "uid" not in session


# --------------------------------------------------------------------------- signing in

def test_reading_needs_no_account_but_the_forms_do(client, store):
    url = _directive_url(client, "台账")
    html = client.get(url).get_data(as_text=True)
    assert client.get(url).status_code == 200
    assert 'id="form-verdict"' not in html and 'id="sign-in-to-correct"' in html
    assert f'href="/login?next={url}"' in html
    assert client.get("/export.csv").status_code == 200
    _sign_in(client)
    html = client.get(url).get_data(as_text=True)
    assert 'id="form-verdict"' in html and 'id="form-edit"' in html and 'id="form-status"' in html
    assert 'name="author"' not in html and "更正人 <input" not in html           # no free-text name any more
    assert "更正将记录在 <strong>王五</strong> 名下" in html
    assert '<span class="who">王五</span>' in html and 'action="/logout"' in html


def test_a_signed_out_post_changes_nothing_and_goes_to_sign_in(client, store):
    users.add_user(store, "王五", PASSWORD)
    url = _directive_url(client, "台账")
    token = _token(client.get("/login").get_data(as_text=True))      # a valid token, but nobody signed in
    for action in ("confirm", "reject", "edit", "status", "revert", "unverdict"):
        resp = client.post(url, data={"csrf_token": token, "action": action, "author": "冒名者", "status": "done",
                                      "comment": "x", "parties": "某单位"})
        assert resp.status_code == 303
        assert resp.headers["Location"].startswith("/login?next=")
        assert url in resp.headers["Location"].replace("%2F", "/")
    assert _corrections(store) == []
    page = client.get("/login", query_string={"next": url}).get_data(as_text=True)
    assert "核实和更正需要先登录" in page
    # Signing in from there comes back to the directive.
    resp = client.post("/login", data={"csrf_token": _token(page), "name": "王五", "password": PASSWORD,
                                       "next": url})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)


def test_corrections_are_recorded_under_the_signed_in_user_not_a_typed_name(client, store):
    _sign_in(client, "李四")
    url = _directive_url(client, "台账")
    client.post(url, data=_form(client, url, author="王五"))          # an old page's 更正人 field: ignored
    client.post(url, data=_form(client, url, action="status", status="in_progress", comment="据报告推进",
                                author="王五"))
    assert [row[2] for row in _corrections(store)] == ["李四", "李四"]
    assert store.execute("SELECT updated_by FROM corrections_current").fetchall() == [("李四",)]
    html = client.get(url).get_data(as_text=True)
    assert "<td>李四</td>" in html and "<td>王五</td>" not in html


def test_a_wrong_password_is_refused_in_chinese(client, store):
    users.add_user(store, "王五", PASSWORD)
    token = _token(client.get("/login").get_data(as_text=True))
    for name, password in (("王五", "wrong-password"), ("没有这个人", PASSWORD), ("", ""), ("王五", "x" * 5000)):
        resp = client.post("/login", data={"csrf_token": token, "name": name, "password": password})
        assert resp.status_code == 401 and "用户名或密码不正确" in resp.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "uid" not in session
    assert store.execute("SELECT last_login_at FROM users").fetchone()[0] is None


def test_signing_in_starts_a_new_session_and_signing_out_ends_it(client, store):
    users.add_user(store, "王五", PASSWORD)
    before = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": before, "name": "王五", "password": PASSWORD})
    url = _directive_url(client, "台账")
    after = _token(client.get(url).get_data(as_text=True))
    assert after != before                                           # the signed-out token is gone
    assert store.execute("SELECT last_login_at FROM users").fetchone()[0]
    resp = client.post("/logout", data={"csrf_token": after})
    assert resp.status_code == 303
    token = _token(client.get("/login").get_data(as_text=True))
    resp = client.post(url, data={"csrf_token": token, "action": "confirm"})
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/login")
    assert _corrections(store) == []


def test_removing_a_user_or_changing_the_password_ends_their_session(client, store):
    _sign_in(client)
    url = _directive_url(client, "台账")
    form = _form(client, url)
    assert users.remove_user(store, "王五")
    resp = client.post(url, data=form)
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/login")
    _sign_in(client)                       # added again, with the same password: a new hash, a new session
    form = _form(client, url)
    with store.conn:
        store.conn.execute("UPDATE users SET password_hash = ? WHERE name = '王五'",
                           [users.generate_password_hash("another-password")])
    assert client.post(url, data=form).headers["Location"].startswith("/login")
    assert _corrections(store) == []


@pytest.mark.parametrize("target, expected", [
    ("/d/abc/def", "/d/abc/def"),
    ("/?q=%E7%87%83%E6%B0%94&page=2", "/?q=%E7%87%83%E6%B0%94&page=2"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("http://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("/login", "/"),
    ("", "/"),
])
def test_after_signing_in_only_this_site(client, store, target, expected):
    users.add_user(store, "王五", PASSWORD)
    token = _token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"csrf_token": token, "name": "王五", "password": PASSWORD, "next": target})
    assert resp.status_code == 303 and resp.headers["Location"] == expected


def test_too_many_failed_sign_ins_wait(client, store):
    users.add_user(store, "王五", PASSWORD)
    throttle = client.application.extensions["duban_throttle"]
    token = _token(client.get("/login").get_data(as_text=True))
    for _ in range(throttle.limit):
        assert client.post("/login", data={"csrf_token": token, "name": "王五", "password": "nope-nope"}
                           ).status_code == 401
    resp = client.post("/login", data={"csrf_token": token, "name": "王五", "password": PASSWORD})
    assert resp.status_code == 429 and "登录失败次数过多" in resp.get_data(as_text=True)


def test_the_throttle_forgets_after_its_window():
    now = [0.0]
    throttle = users.Throttle(limit=2, window=60, clock=lambda: now[0])
    throttle.fail("a")
    throttle.fail("a")
    assert throttle.wait("a") > 0 and throttle.wait("b") == 0
    now[0] = 61
    assert throttle.wait("a") == 0


def test_the_sign_in_page_says_when_nobody_can_sign_in(client):
    html = client.get("/login").get_data(as_text=True)
    assert "还没有任何用户" in html and "duban users add" in html


def test_passwords_are_stored_hashed(store):
    users.add_user(store, "王五", PASSWORD)
    stored = store.execute("SELECT password_hash FROM users").fetchone()[0]
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    assert users.authenticate(store, "王五", PASSWORD).name == "王五"
    assert users.authenticate(store, "王五", PASSWORD + "x") is None
    with pytest.raises(users.UserError, match="已存在"):
        users.add_user(store, "王五", "another-password")
    with pytest.raises(users.UserError, match="至少"):
        users.add_user(store, "赵六", "short")
    with pytest.raises(users.UserError):
        users.add_user(store, "  ", PASSWORD)
    with pytest.raises(users.UserError, match="控制字符"):
        users.add_user(store, "王\x00五", PASSWORD)


def test_the_users_migration_is_idempotent(store):
    users.add_user(store, "王五", PASSWORD)
    migrate_users(store)
    assert [u.name for u in users.list_users(store)] == ["王五"]


# --------------------------------------------------------------------------- duban users

def _db(tmp_path) -> str:
    path = tmp_path / "users.db"
    db = open_db(path)
    migrate_users(db)
    db.conn.close()
    return str(path)


def _names(path: str) -> list[str]:
    db = open_db(path)
    try:
        return [u.name for u in users.list_users(db)]
    finally:
        db.conn.close()


def test_users_add_reads_the_password_from_stdin(tmp_path):
    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["users", "add", "王五", "--password-stdin", "--db", path],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "已添加用户：王五" in result.stdout
    db = open_db(path)
    assert users.authenticate(db, "王五", PASSWORD) is not None
    db.conn.close()


def test_users_add_prompts_twice(tmp_path):
    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["users", "add", "李四", "--db", path], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "密码" in result.output and "再输入一次密码" in result.output
    assert PASSWORD not in result.output                                      # hidden input
    assert _names(path) == ["李四"]


def test_users_add_refuses_a_mismatch_a_short_password_and_a_taken_name(tmp_path):
    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["users", "add", "李四", "--db", path],
                           input="password-1\npassword-2\n" * 3)
    assert result.exit_code == 2 and "两次输入的密码不一致" in result.output and "用户未添加" in result.output
    result = runner.invoke(cli_app, ["users", "add", "李四", "--password-stdin", "--db", path], input="short\n")
    assert result.exit_code == 2 and "密码至少 8 个字符" in result.output
    assert _names(path) == []
    runner.invoke(cli_app, ["users", "add", "李四", "--password-stdin", "--db", path], input=PASSWORD + "\n")
    result = runner.invoke(cli_app, ["users", "add", "李四", "--password-stdin", "--db", path], input=PASSWORD + "\n")
    assert result.exit_code == 2 and "已存在" in result.output
    result = runner.invoke(cli_app, ["users", "add", " ", "--password-stdin", "--db", path], input=PASSWORD + "\n")
    assert result.exit_code == 2 and "用户名不能为空" in result.output


def test_users_list_and_remove(tmp_path):
    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["users", "list", "--db", path])
    assert result.exit_code == 0 and "还没有任何用户" in result.stdout
    for name in ("王五", "李四"):
        runner.invoke(cli_app, ["users", "add", name, "--password-stdin", "--db", path], input=PASSWORD + "\n")
    result = runner.invoke(cli_app, ["users", "list", "--db", path])
    assert result.exit_code == 0
    assert sorted(line.split("\t")[0] for line in result.stdout.splitlines()) == ["李四", "王五"]
    assert "从未登录" in result.stdout
    result = runner.invoke(cli_app, ["users", "remove", "李四", "--db", path])
    assert result.exit_code == 0 and "已删除用户：李四" in result.stdout
    assert _names(path) == ["王五"]
    result = runner.invoke(cli_app, ["users", "remove", "李四", "--db", path])
    assert result.exit_code == 2 and "没有用户“李四”" in result.output
    result = runner.invoke(cli_app, ["users", "list", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "数据库不存在" in result.output


# --------------------------------------------------------------------------- duban serve

@pytest.fixture
def served(monkeypatch):
    """``waitress.serve`` replaced by a recorder; Werkzeug's development server made to fail if used."""
    import waitress
    import werkzeug.serving

    calls: list[dict] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append({"app": app, **kwargs}))

    def no_dev_server(*args, **kwargs):
        raise AssertionError("the development server was started")

    monkeypatch.setattr(werkzeug.serving, "run_simple", no_dev_server)
    return calls


def test_serve_uses_waitress_without_a_development_server_warning(tmp_path, served):
    from flask import Flask

    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["serve", "--db", path, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and isinstance(served[0]["app"], Flask)
    assert served[0]["host"] == "127.0.0.1" and served[0]["port"] == 8123
    assert "development server" not in result.output.lower() and "WARNING" not in result.output
    assert "督办网页：http://127.0.0.1:8123/" in result.stdout


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serve_will_not_open_the_page_to_the_network_while_nobody_can_sign_in(tmp_path, served, host):
    path = _db(tmp_path)
    result = runner.invoke(cli_app, ["serve", "--host", host, "--db", path])
    assert result.exit_code == 2
    assert "还没有任何用户" in result.output and "duban users add" in result.output
    assert served == []
    runner.invoke(cli_app, ["users", "add", "王五", "--password-stdin", "--db", path], input=PASSWORD + "\n")
    result = runner.invoke(cli_app, ["serve", "--host", host, "--db", path])
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == host and "核实与更正需要登录" in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_serve_on_this_machine_needs_no_user(tmp_path, served, host):
    result = runner.invoke(cli_app, ["serve", "--host", host, "--db", _db(tmp_path)])
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == host


def test_serve_still_binds_to_localhost_by_default():
    command = typer.main.get_command(cli_app).commands["serve"]
    assert next(p for p in command.params if p.name == "host").default == "127.0.0.1"
