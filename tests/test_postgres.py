"""The store in PostgreSQL (issue 13 part 3): the same stages, the same sheet, a copy from SQLite.

A throwaway cluster is started once for the session on a unix socket in a
temporary folder (no TCP port, nothing outside the folder touched) and stopped
at the end. initdb refuses to run as root, so as root the cluster runs as the
``postgres`` user when there is one, else as ``nobody`` (through ``runuser``).
Without PostgreSQL's programs the tests that need a server are skipped, saying
so; the translation tests run everywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import itertools
import json
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import SCHEMA_VERSION, open_db
from pipeline.store.dialect import translate

from .conftest import DEMO

runner = CliRunner()
AS_OF = dt.date(2025, 8, 1)
ID_COLUMNS = ("序号", "事项编号")          # numbering, which may differ between stores; everything else may not


# ---- the throwaway cluster ------------------------------------------------------------------------------

def _pg_bin() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: $DUBAN_PG_BIN, PATH, or Debian's newest version."""
    if os.environ.get("DUBAN_PG_BIN"):
        return Path(os.environ["DUBAN_PG_BIN"])
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent     # pg_ctl finds postgres beside its real self
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(re.sub(r"\D", "", p.split("/")[-3]) or 0), reverse=True)
    return Path(versions[0]).parent if versions else None


def _cluster_user() -> str | None:
    """Who runs the cluster: ourselves, or (as root, which initdb refuses) postgres or nobody."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _as_user(user: str | None, cmd: list[str]) -> list[str]:
    if user is None:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *cmd]
    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(cmd)]


class Cluster:
    """A running cluster; ``database()`` makes a fresh empty database and gives its URL."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self._names = itertools.count(1)

    def url(self, name: str) -> str:
        return f"postgresql://duban@/{name}?host={self.folder}&port={self.port}"

    def database(self) -> str:
        import psycopg

        name = f"duban_test_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    pytest.importorskip("psycopg", reason="psycopg 未安装（pip install 'duban[postgres]'）：跳过 PostgreSQL 存储的测试")
    bindir = _pg_bin()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("PostgreSQL 的程序（initdb、pg_ctl）不在本机：跳过 PostgreSQL 存储的测试"
                    "（Debian：apt-get install postgresql）")
    user = _cluster_user()
    if os.geteuid() == 0 and user is None:
        pytest.skip("以 root 运行而本机没有 postgres 或 nobody 用户：initdb 不能以 root 运行")
    # In /tmp itself: a unix socket's path may not be longer than about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="duban-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    if user is not None:
        shutil.chown(folder, user)
    data, log, port = folder / "data", folder / "server.log", 54329
    try:
        init = subprocess.run(_as_user(user, [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "duban",
                                              "-E", "UTF8", "--no-locale"]),
                              capture_output=True, text=True, timeout=120)
        if init.returncode != 0:
            pytest.skip(f"initdb 失败，跳过 PostgreSQL 测试：{init.stderr.strip()[-500:]}")
        options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        start = subprocess.run(_as_user(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                                               "-t", "60", "-o", options, "start"]),
                               capture_output=True, text=True, timeout=120)
        if start.returncode != 0:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else start.stderr
            pytest.skip(f"PostgreSQL 未能启动，跳过其测试：{tail.strip()}")
        yield Cluster(folder, port)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_user(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    return pg_cluster.database()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path: Path) -> str:
    """A new store of each kind: a file path, or a URL of an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "duban.db")
    return request.getfixturevalue("pg_url")


# ---- the demo corpus on both stores ---------------------------------------------------------------------

def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", "DUBAN_DEBUG": "1"})
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def _demo_store(db: str) -> str:
    _cli("ingest", str(DEMO), "--db", db)
    _cli("track", "--db", db, "--as-of", AS_OF.isoformat())
    return db


@pytest.fixture(scope="module")
def demo_stores(pg_cluster: Cluster, tmp_path_factory) -> dict[str, str]:
    """The demo corpus ingested and tracked by the same commands into a SQLite file and PostgreSQL."""
    path = str(tmp_path_factory.mktemp("demo") / "duban.db")
    return {"sqlite": _demo_store(path), "postgresql": _demo_store(pg_cluster.database())}


def _sheet(csv_text: str) -> list[list[str]]:
    """The CSV sheet without the numbering columns."""
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    keep = [i for i, name in enumerate(rows[0]) if name not in ID_COLUMNS]
    return [[row[i] for i in keep] for row in rows]


def _export(db: str, tmp_path: Path, *args: str) -> list[list[str]]:
    out = tmp_path / f"sheet-{abs(hash((db, args)))}.csv"
    _cli("export", *args, "--db", db, "--out", str(out))
    return _sheet(out.read_text(encoding="utf-8-sig"))


def test_ingest_track_export_give_the_same_sheet(demo_stores, tmp_path):
    sqlite_sheet = _export(demo_stores["sqlite"], tmp_path)
    pg_sheet = _export(demo_stores["postgresql"], tmp_path)
    assert len(sqlite_sheet) > 100
    assert pg_sheet == sqlite_sheet
    statuses = {row[sqlite_sheet[0].index("落实状态")] for row in sqlite_sheet[1:]}
    assert len(statuses) >= 3                          # tracking found evidence, not only 未见反馈
    # With words the sheet is ranked (BM25 against ts_rank: equally good rows may swap), so as a set.
    assert sorted(_export(demo_stores["postgresql"], tmp_path, "燃气", "--sector", "燃气")) == \
        sorted(_export(demo_stores["sqlite"], tmp_path, "燃气", "--sector", "燃气"))
    assert _export(demo_stores["postgresql"], tmp_path, "--all", "--to", "2024-12-31") == \
        _export(demo_stores["sqlite"], tmp_path, "--all", "--to", "2024-12-31")


@pytest.mark.parametrize("query", ["燃气", '"隐患 排查"', "(燃气 OR 消防) 排查", "火", "燃气 -宣传",
                                   "加强 消防 安全 检查 工作 落实"])
def test_search_finds_the_same_directives(demo_stores, query):
    found = {}
    for kind, db in demo_stores.items():
        hits = json.loads(_cli("search", query, "--db", db, "--format", "json", "--limit", "1000", "--all"))
        found[kind] = sorted(h["text"] for h in hits)
    assert found["postgresql"] == found["sqlite"] and found["sqlite"]


def test_documents_and_runs_list_the_same(demo_stores):
    lists = {kind: _cli("docs", "--db", db, "--format", "jsonl") for kind, db in demo_stores.items()}
    assert lists["postgresql"] == lists["sqlite"]
    from pipeline.search.engine import search_documents

    docs = {}
    for kind, db in demo_stores.items():
        store = open_db(db)
        try:
            docs[kind] = sorted(d.title for d in search_documents(store, "燃气 安全", limit=100)[0])
        finally:
            store.conn.close()
    assert docs["postgresql"] == docs["sqlite"] and docs["sqlite"]
    assert "ingest" in _cli("runs", "--db", demo_stores["postgresql"])


def test_the_web_page_serves_postgresql(demo_stores, tmp_path):
    from pipeline.web.app import create_app

    from .test_web import _sign_in, _token

    pages = {}
    for kind, db in demo_stores.items():
        flask_app = create_app(db, secret_key="test", as_of=AS_OF)
        flask_app.testing = True
        client = flask_app.test_client()
        page = client.get("/", query_string={"q": "燃气"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "<mark>燃气</mark>" in html
        sheet = client.get("/export.csv", query_string={"q": "燃气"})
        assert sheet.status_code == 200
        assert client.get("/document/1").status_code == 200
        overview = client.get("/overview")
        assert overview.status_code in (200, 404)
        pages[kind] = (sorted(re.findall(r'href="(/d/[0-9a-f]{64}/[0-9a-f]{64})"', html)),
                       sorted(_sheet(sheet.get_data(as_text=True))[1:]))
    assert pages["postgresql"] == pages["sqlite"]

    # A person signs in and corrects a directive; the sheet of the PostgreSQL store shows it.
    flask_app = create_app(demo_stores["postgresql"], secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    client = flask_app.test_client()
    url = pages["postgresql"][0][0]
    _sign_in(client, "王五")
    _sign_in(client, "Wang")
    token = _token(client.get(url).get_data(as_text=True))
    resp = client.post(url, data={"csrf_token": token, "action": "edit", "comment": "核对原文",
                                  "parties": "区住建局、区应急管理局"})
    assert resp.status_code == 303
    assert "区住建局、区应急管理局" in client.get(url).get_data(as_text=True)
    assert "区住建局、区应急管理局" in client.get("/export.csv", query_string={"q": "燃气"}).get_data(as_text=True)
    from pipeline.web import users

    db = open_db(demo_stores["postgresql"])
    try:
        assert users.find(db, "wang") is not None          # names are one regardless of case, as in SQLite
        with pytest.raises(users.UserError):
            users.add_user(db, "WANG", "correct-horse-9")
    finally:
        db.conn.close()


def test_store_copy_gives_the_same_sheet_and_keeps_ids(demo_stores, pg_url, tmp_path):
    source = demo_stores["sqlite"]
    out = _cli("store", "copy", "--from", source, "--to", pg_url)
    assert "已复制" in out and "全文索引" in out
    assert _export(pg_url, tmp_path) == _export(source, tmp_path)
    a, b = open_db(source), open_db(pg_url)
    try:
        for table, key in (("documents", "id, raw_sha256"), ("directives", "id, text_sha256"),
                           ("evidence", "id, directive_id, doc_id, start")):
            assert b.execute(f"SELECT {key} FROM {table} ORDER BY id").fetchall() == \
                a.execute(f"SELECT {key} FROM {table} ORDER BY id").fetchall()
        from pipeline.store.runs import start_run

        assert start_run(b, "test") > a.execute("SELECT max(id) FROM runs").fetchone()[0]   # identities moved on
    finally:
        a.conn.close()
        b.conn.close()
    again = runner.invoke(app, ["store", "copy", "--from", source, "--to", pg_url])
    assert again.exit_code == 2 and "不是空的" in again.output
    back = tmp_path / "back.db"
    _cli("store", "copy", "--from", pg_url, "--to", str(back))
    assert _export(str(back), tmp_path) == _export(source, tmp_path)


# ---- the store's behaviours on both kinds ----------------------------------------------------------------

def test_migrations_are_idempotent(target):
    from pipeline.store.db import migrate
    from pipeline.web import users
    from pipeline.web.schema import migrate_users

    db = open_db(target)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert migrate(db) == SCHEMA_VERSION
        users.add_user(db, "王五", "correct-horse-9")
        migrate_users(db)
        assert [u.name for u in users.list_users(db)] == ["王五"]
        tables = set(db.table_names())
    finally:
        db.conn.close()
    again = open_db(target)
    try:
        assert again.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert set(again.table_names()) == tables
        assert {"documents", "directives", "evidence", "corrections_current", "users"} <= tables
    finally:
        again.conn.close()


def _docs(db: str) -> list[dict]:
    return [json.loads(line) for line in _cli("docs", "--db", db, "--format", "jsonl").splitlines() if line.strip()]


def test_duplicates_and_new_versions(target, tmp_path, monkeypatch):
    speech, repost = DEMO / "2024-02-26_speech_quzhang.txt", DEMO / "2024-02-28_speech_quzhang_repost.html"
    _cli("ingest", str(speech), str(repost), "--db", target)
    _cli("ingest", str(speech), "--db", target)                    # the same bytes again: nothing new
    first, second = _docs(target)
    assert first["duplicate_of"] is None and second["duplicate_of"] == first["id"]
    notice = tmp_path / "notice.txt"
    notice.write_text("松林县安全生产委员会办公室关于开展隐患排查的通知\n各乡镇，县安委会各成员单位：\n"
                      "一、各乡镇要在4月底前完成辖区生产经营单位安全隐患排查，建立隐患台账。\n"
                      "二、县应急管理局要加强督导检查，对排查出的重大隐患实行挂牌督办。\n"
                      "松林县安全生产委员会办公室\n2024年3月1日\n", encoding="utf-8")
    _cli("ingest", str(notice), "--db", target)
    notice.write_text(notice.read_text(encoding="utf-8").replace("4月底前", "5月底前"), encoding="utf-8")
    _cli("ingest", str(notice), "--db", target)
    *_, old, new = _docs(target)
    assert old["duplicate_of"] == new["id"] and old["superseded"] and not new["superseded"]


def test_corrections_survive_reextraction_and_reach_search(target):
    from pipeline.corrections import log as corrections
    from pipeline.corrections.carry import carry_forward
    from pipeline.extract.extractor import Directive
    from pipeline.search import records
    from pipeline.search.engine import Filters, search
    from pipeline.store.documents import write_directives

    from .test_search import AS_OF as SEARCH_AS_OF, build_store

    store = build_store(target)
    try:
        did = store.execute("SELECT id FROM directives WHERE text LIKE '各化工企业%'").fetchone()[0]
        corrections.record(store, did, "parties", ["市应急管理局"], "李四")
        corrections.record(store, did, "verdict", "confirmed", "李四")
        assert [h.text for h in search(store, "排查", Filters(party="应急"), as_of=SEARCH_AS_OF).hits] == [
            "各化工企业要对危化品储罐开展隐患排查，年底前完成。"]
        doc_id = store.execute("SELECT doc_id FROM directives WHERE id = ?", [did]).fetchone()[0]
        rows = store.execute('SELECT text, start, "end" FROM directives WHERE doc_id = ? ORDER BY start',
                             [doc_id]).fetchall()
        again = [Directive(text=t, start=s, end=e, sectors=["危险化学品"], parties=[], deadline=None)
                 for t, s, e in rows]
        with store.conn:
            write_directives(store, doc_id, again, "extract-2", after_write=carry_forward)
        new_id = store.execute("SELECT id FROM directives WHERE text LIKE '各化工企业%'").fetchone()[0]
        rec = records.load(store, [new_id], as_of=SEARCH_AS_OF)[0]
        assert rec.parties == ["市应急管理局"] and rec.verdict == "confirmed"
        assert [h.id for h in search(store, "排查", Filters(party="应急"), as_of=SEARCH_AS_OF).hits] == [new_id]
    finally:
        store.conn.close()


def test_a_newer_parser_reads_stored_inputs_again(target, tmp_path):
    """The inputs a document was parsed from round-trip through either store (bytea on PostgreSQL),
    and the extract stage's re-parse puts the new reading in place of the old one."""
    from pipeline.extract.stage import reparse_store
    from pipeline.parse.document import PARSER_VERSION
    from pipeline.store import open_db

    notice = tmp_path / "notice.txt"
    notice.write_text("关于开展汛前安全检查的通知\n各乡镇人民政府：\n"
                      "一、各乡镇要在4月底前完成辖区山洪灾害危险区排查，建立隐患台账。\n"
                      "松林县防汛抗旱指挥部\n2024年3月1日\n", encoding="utf-8")
    _cli("ingest", str(notice), "--db", target)
    store = open_db(target)
    try:
        doc_id, title = store.execute("SELECT id, title FROM documents ORDER BY id LIMIT 1").fetchone()
        texts = store.execute("SELECT text FROM directives WHERE doc_id = ? ORDER BY start", [doc_id]).fetchall()
        with store.conn:
            store.conn.execute("UPDATE documents SET parser_version = 'parse-1', title = '旧标题' WHERE id = ?",
                               [doc_id])
        assert reparse_store(store) == {"reparsed": 1, "failed": 0, "failed_documents": []}
        assert store.execute("SELECT title, parser_version FROM documents WHERE id = ?", [doc_id]).fetchone() \
            == (title, PARSER_VERSION)
        assert store.execute("SELECT text FROM directives WHERE doc_id = ? ORDER BY start", [doc_id]).fetchall() \
            == texts
    finally:
        store.conn.close()


def test_search_language_and_index_queue(target):
    from pipeline.search.engine import Filters, search
    from pipeline.search.index import update_index

    from .test_search import AS_OF as SEARCH_AS_OF, build_store

    store = build_store(target)

    def texts(query: str = "", **filters) -> list[str]:
        return [h.text for h in search(store, query, Filters(**filters), as_of=SEARCH_AS_OF).hits]

    try:
        assert texts("消防") == ["市消防救援支队要对商业综合体开展消防监督检查，立即整改发现的隐患。"]
        assert len(texts("燃气")) == 4
        assert texts("燃气")[-1] == "要加强宣传教育，提高群众安全意识。"          # only in its heading: last
        assert len(texts("消防 OR 危化品")) == 2
        assert texts("燃气 -台账") and all("台账" not in t for t in texts("燃气 -台账"))
        assert texts('"管道占压"') == ["区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。"]
        assert texts("储") == ["各化工企业要对危化品储罐开展隐患排查，年底前完成。"]
        assert search(store, "全年共排查整治燃气管道占压隐患56处", as_of=SEARCH_AS_OF).relaxed
        assert len(texts(sector="城镇燃气")) == 3 and texts(sector="危化品") == texts(sector="危险化学品")
        assert len(texts(place="临汾")) == 3 and len(texts(kind="讲话")) == 3
        assert len(texts(date_from="2024-01-01")) == 4
        assert texts(due_before="2022-01-01") == ["各化工企业要对危化品储罐开展隐患排查，年底前完成。"]
        assert set(texts(status="已逾期")) == {"区住建局要全面排查燃气管道占压隐患，6月底前全部整改到位。",
                                             "各化工企业要对危化品储罐开展隐患排查，年底前完成。"}
        for query in ["'; DROP TABLE directives; --", "NEAR(燃气 排查)", "燃气*", "a:b", "^燃气", "燃气 AND AND 消防"]:
            try:
                search(store, query, as_of=SEARCH_AS_OF)
            except ValueError:
                pass
        assert store.execute("SELECT count(*) FROM directives").fetchone()[0] == 7
        assert store.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        assert update_index(store) == {"directives": 0, "documents": 0, "rebuilt": False}
        assert update_index(store, rebuild=True)["directives"] == 7
    finally:
        store.conn.close()


def test_the_nightly_run_on_postgresql_is_the_nightly_run_on_sqlite(pg_url, tmp_path):
    """crawl → ingest → extract → track → index against the demo site, two nights, on both stores."""
    from pipeline.cli.common import DEMO_CORPUS
    from pipeline.crawl.config import load_sites
    from pipeline.crawl.demo_site import DemoSite
    from pipeline.nightly.orchestrate import ALL_STAGES, run

    stores = {"sqlite": str(tmp_path / "nightly.db"), "postgresql": pg_url}
    nights: dict[str, list[dict]] = {kind: [] for kind in stores}
    with DemoSite(DEMO_CORPUS) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(site.sites_toml(), encoding="utf-8")
        for kind, db in stores.items():
            for _ in range(2):
                counts = run(db, load_sites(sites), "nightly", ALL_STAGES).counts()
                nights[kind].append({k: v for k, v in counts.items()
                                     if isinstance(v, int) and not k.endswith("seconds")})
    assert nights["postgresql"] == nights["sqlite"]
    assert nights["postgresql"][0]["new_directives"] > 100 and nights["postgresql"][1]["new_documents"] == 0
    assert _export(pg_url, tmp_path) == _export(stores["sqlite"], tmp_path)


def test_copy_keeps_a_newer_version_that_an_older_row_points_at(pg_url, tmp_path):
    """An old version points at its newer one (a higher id): the foreign keys are checked at commit."""
    source = str(tmp_path / "versions.db")
    notice = tmp_path / "notice.txt"
    text = "县安委会办公室关于开展隐患排查的通知\n一、各乡镇要在4月底前完成隐患排查，建立隐患台账。\n2024年3月1日\n"
    for month in ("4月底前", "5月底前", "6月底前"):
        notice.write_text(text.replace("4月底前", month), encoding="utf-8")
        _cli("ingest", str(notice), "--db", source)
    _cli("store", "copy", "--from", source, "--to", pg_url)
    assert _docs(pg_url) == _docs(source)
    assert [d["duplicate_of"] for d in _docs(pg_url)] == [2, 3, None]


def test_a_new_database_opened_by_several_processes_at_once_is_migrated_once(pg_url):
    from concurrent.futures import ThreadPoolExecutor

    def version(_: int) -> int:
        db = open_db(pg_url)
        try:
            return db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.conn.close()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(version, range(4))) == [SCHEMA_VERSION] * 4


@pytest.mark.parametrize("command", [["docs"], ["runs"], ["search", "燃气"], ["track"], ["digest"],
                                     ["export", "--out", "x.csv"], ["notice", "--all-units", "--out", "d"],
                                     ["train", "--out", "m.json"], ["users", "list"]])
def test_every_db_option_takes_a_url_as_typed(command, tmp_path, monkeypatch):
    """A ``--db`` typed as a Path folds the ``//`` of ``postgresql://`` into a file name: every command must
    reach PostgreSQL (here a server that is not there) rather than refuse a missing file."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--db", f"postgresql://duban@/nowhere?host={tmp_path}&port=1"])
    assert "无法连接 PostgreSQL" in result.output and "数据库不存在" not in result.output, result.output


def test_the_run_lock_holds_across_processes_of_one_database(pg_url):
    from pipeline.nightly.lock import RunLock, RunLocked

    with RunLock(pg_url):
        with pytest.raises(RunLocked, match="另一个 duban"):
            RunLock(pg_url).acquire()
    with RunLock(pg_url):                       # released: the next run takes it
        pass


def test_a_server_that_cannot_be_reached_is_a_message_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["export", "--db", f"postgresql://duban@/nowhere?host={tmp_path}&port=1",
                                 "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "无法连接 PostgreSQL" in result.output and "Traceback" not in result.output


# ---- the translation (no server needed) ---------------------------------------------------------------

def test_placeholders_and_literals():
    stmt = translate("SELECT a FROM t WHERE x = ? AND y LIKE '%a?' AND \"q?\" = 'it''s ?'")
    assert stmt.sql == "SELECT a FROM t WHERE x = %s AND y ILIKE '%%a?' AND \"q?\" = 'it''s ?'"
    assert stmt.params == 1


def test_null_order_is_sqlites():
    sql = translate("SELECT * FROM (SELECT a FROM t ORDER BY a DESC LIMIT 5) AS s ORDER BY b, c DESC LIMIT ?").sql
    assert re.sub(r"\s+", " ", sql) == ("SELECT * FROM (SELECT a FROM t ORDER BY a DESC NULLS LAST LIMIT 5) AS s "
                                        "ORDER BY b NULLS FIRST , c DESC NULLS LAST LIMIT %s")


def test_inserts_and_joins():
    stmt = translate("INSERT OR IGNORE INTO search_pending (kind, id) SELECT 'directive', id FROM directives")
    assert stmt.conflict == "ignore" and stmt.table == "search_pending" and "OR IGNORE" not in stmt.sql
    stmt = translate('INSERT OR REPLACE INTO evidence (directive_id, doc_id, "end") VALUES (?,?,?)')
    assert stmt.conflict == "replace" and stmt.columns == ("directive_id", "doc_id", "end")
    assert "CROSS" not in translate("SELECT 1 FROM a CROSS JOIN b ON b.x = a.x").sql
    assert "CROSS" in translate("SELECT 1 FROM a CROSS JOIN b WHERE b.x = a.x").sql


def test_create_table_types_keys_and_rowid():
    sql = translate("CREATE TABLE t (id INTEGER PRIMARY KEY, doc INTEGER REFERENCES d(id) ON DELETE CASCADE, "
                    "name TEXT COLLATE NOCASE, blob BLOB, score REAL, word TEXT)").sql
    assert "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" in sql
    assert "ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE" in sql
    assert "name TEXT COLLATE NOCASE" in sql and "BYTEA" in sql and "DOUBLE PRECISION" in sql
    assert 'word TEXT COLLATE "C"' in sql and "rowid" not in sql
    sql = translate("CREATE TABLE p (url TEXT PRIMARY KEY, n INTEGER)").sql
    assert "rowid BIGINT GENERATED BY DEFAULT AS IDENTITY" in sql
    sql = translate("CREATE TABLE q (k TEXT, i INTEGER, PRIMARY KEY (k, i)) WITHOUT ROWID").sql
    assert "ROWID" not in sql.upper()
    assert "BIGINT" in translate("ALTER TABLE directives ADD COLUMN safety INTEGER NOT NULL DEFAULT 1").sql


def test_fts5_expressions_become_tsqueries():
    from pipeline.search.pgfts import split_match, tsvector

    assert split_match('"燃气"') == ("'燃气'", None)
    assert split_match('("燃气" AND "排查") NOT ("演练" OR "宣传")') == (
        "(('燃气' & '排查') & !('演练' | '宣传'))", None)
    text, facets = split_match('(("燃气")) AND facets : (("secx1" AND "secx2") OR "knd讲话")')
    assert text == "'燃气'" and facets == "(('secx1' & 'secx2') | 'knd讲话')"
    near, _ = split_match('NEAR("隐患" "排查", 2)')
    assert "'隐患' <1> '排查'" in near and "'排查' <3> '隐患'" in near and "<4>" not in near
    assert tsvector(("消防 安全 消防", "A"), ("燃气", "B")) == "'消防':1A,3A '安全':2A '燃气':104B"
