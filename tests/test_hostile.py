"""Hostile and careless input: every case gets a clear Chinese error or is read, the rest of the batch
goes on, nothing hangs. The inputs are generated here, never committed as files.

Timings and memory are measured by scripts/bench_hostile.py, not asserted here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest.pipeline import ingest_paths
from pipeline.parse.document import MAX_BODY_CHARS, parse_text
from pipeline.parse.html import MAX_DEPTH, html_to_text, markup_depth
from pipeline.store import open_db

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
NOTICE = "关于做好安全生产工作的通知\n" + "各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账，实行销号管理。\n" * 6


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "ok.txt").write_text(NOTICE, encoding="utf-8")
    return d


def test_symlink_loops_are_reported_per_file_and_the_batch_goes_on(folder, tmp_path):
    os.symlink(folder / "b", folder / "a")
    os.symlink(folder / "a", folder / "b")
    os.symlink(folder / "self", folder / "self")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "up")          # a loop inside the folder: not followed
    db_path = tmp_path / "duban.db"
    result = runner.invoke(app, ["ingest", str(folder), str(folder / "a"), "--db", str(db_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "符号链接形成循环" in result.output
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM runs WHERE command = 'ingest'").fetchone()[0] == 1
    extract = runner.invoke(app, ["extract", str(folder / "a"), str(folder / "ok.txt"), "--format", "jsonl"])
    assert extract.exit_code == 1 and '"error"' in extract.output and "各乡镇" in extract.output


def test_deeply_nested_html_is_parsed_flat():
    deep = ("<html><head><title>关于安全生产的通知</title></head><body>" + "<div>" * 20_000
            + "<p>各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账。</p>" + "</div>" * 20_000 + "</body></html>")
    assert markup_depth(deep) >= MAX_DEPTH
    assert html_to_text(deep).lines == ["各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账。"]
    shallow = "<html><body>" + "<div>" * 50 + "<p>正文。</p>" + "</div>" * 50 + "</body></html>"
    assert markup_depth(shallow) < MAX_DEPTH


@pytest.mark.parametrize("name, data", [
    ("utf8-ff.txt", NOTICE.encode("utf-8")[:60] + b"\xff" + NOTICE.encode("utf-8")[60:]),
    ("gbk-ff.txt", NOTICE.encode("gbk")[:60] + b"\xff" + NOTICE.encode("gbk")[60:]),
    ("mixed.txt", NOTICE.encode("utf-8") + "这一行是GBK编码的文字。\n".encode("gbk") + NOTICE.encode("utf-8")),
])
def test_a_few_stray_bytes_do_not_reject_a_text(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    db = open_db(tmp_path / "duban.db")
    report = ingest_paths(db, [path])
    assert report.errors == [] and len(report.new) == 1
    assert [src for src, _ in report.repaired] == [str(path.resolve())]
    body = db.execute("SELECT body FROM documents").fetchone()[0]
    assert "各乡镇要在12月20日前" in body
    if name == "mixed.txt":
        assert "这一行是GBK编码的文字。" in body


def test_binary_noise_is_still_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 40)
    report = ingest_paths(open_db(tmp_path / "duban.db"), [path])
    assert report.errors and "二进制" in report.errors[0][1]


def test_a_huge_text_is_read_up_to_the_cap_and_flagged():
    line = "各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账，实行销号管理。\n"
    text = "关于做好安全生产工作的通知\n" + line * (MAX_BODY_CHARS // len(line) + 500)
    doc = parse_text(text, "txt", "huge.txt", "sha-huge")
    assert doc.partial and 0 < len(doc.body) <= MAX_BODY_CHARS


def test_a_huge_input_is_stored_a_slice_at_a_time_as_the_same_json(monkeypatch):
    # pack_inputs writes a text into the compressor a slice at a time (a 45 MB upload is never one JSON
    # string); what it stores reads back as json.dumps of the whole list, escapes cut anywhere included.
    import json
    import zlib

    from pipeline.store import documents

    monkeypatch.setattr(documents, "PACK_CHUNK_CHARS", 3)
    inputs = ['他说"好"\\n', "", "a\tb\x00c\u2028中文😀/" * 5, "<p>安全</p>"]
    packed = documents.pack_inputs(inputs)
    assert zlib.decompress(packed).decode("utf-8") == json.dumps(inputs, ensure_ascii=False)
    assert documents.pack_inputs([]) and json.loads(zlib.decompress(documents.pack_inputs([]))) == []


def test_two_ingests_at_once_on_a_new_store(tmp_path):
    """Both finish without spurious errors; each document is stored once."""
    db_path = tmp_path / "duban.db"
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(ROOT / "corpus" / "demo"), "--db", str(db_path)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert not any("Error" in o for o in outputs), outputs
    db = open_db(db_path)
    files = [p for p in (ROOT / "corpus" / "demo").iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf")]
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(files)


def test_a_transient_failure_leaves_the_crawled_page_pending(tmp_path, monkeypatch):
    import sqlite3

    import pipeline.crawl.ingest as crawl_ingest

    db = open_db(tmp_path / "duban.db")
    crawl_ingest.ensure(db)
    with db.conn:
        db.conn.execute("INSERT INTO pages (url, site, kind, raw, content_type, sha256) VALUES (?, 'demo', 'article', ?, ?, ?)",
                        ["http://127.0.0.1/a.html", NOTICE.encode("utf-8"), "text/plain; charset=utf-8", "abc"])
    calls = {"n": 0}
    real = crawl_ingest.ingest_raw

    def busy_once(db_, raw, report):
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(db_, raw, report)

    monkeypatch.setattr(crawl_ingest, "ingest_raw", busy_once)
    first = crawl_ingest.ingest_pages(db)
    assert first.errors and "下次运行重试" in first.errors[0][1]
    assert crawl_ingest.pending_pages(db) == ["http://127.0.0.1/a.html"]
    second = crawl_ingest.ingest_pages(db)
    assert second.errors == [] and crawl_ingest.pending_pages(db) == []


# --------------------------------------------------------------------------- kill -9 during a nightly run

def _count(db_path: Path, sql: str) -> int:
    """A count read beside a running night (WAL: the reader never blocks the writer)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:                 # the store or the table does not exist yet
        return 0


def _sheet(db_path: Path) -> list[tuple[str, ...]]:
    """The follow-up sheet as sorted rows, without the columns that number rows (ids differ between stores)."""
    import csv
    import io

    from pipeline.export.sheet import HEADERS
    from pipeline.export.writers import export
    from pipeline.search.engine import Filters

    buffer = io.BytesIO()
    export(open_db(db_path), buffer, "csv", filters=Filters(all_topics=True))
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    keep = [i for i, h in enumerate(HEADERS) if h not in ("序号", "事项编号")]
    assert rows[0] == HEADERS
    return sorted(tuple(row[i] for i in keep) for row in rows[1:])


# Where each kill lands, read from the store the killed run writes: mid-crawl, mid-ingest, mid-track.
KILL_POINTS = [
    ("crawl", "SELECT count(*) FROM pages WHERE raw IS NOT NULL", 3),
    ("ingest", "SELECT count(*) FROM documents", 4),
    ("track", "SELECT count(*) FROM evidence", 1),
]


def test_kill_9_at_several_points_of_a_nightly_run_then_a_clean_finish(tmp_path):
    """Each kill loses nothing and duplicates nothing: after a clean finish the store gives the same sheet,
    documents and runs record as one uninterrupted night."""
    import signal
    import time

    from pipeline.cli.common import DEMO_CORPUS
    from pipeline.crawl.demo_site import DemoSite

    with DemoSite(DEMO_CORPUS) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(site.sites_toml(), encoding="utf-8")
        reference = tmp_path / "reference.db"
        assert runner.invoke(app, ["nightly", "--sites", str(sites), "--db", str(reference)]).exit_code == 0

        killed = tmp_path / "killed.db"
        cmd = [sys.executable, "-m", "pipeline.cli", "nightly", "--sites", str(sites), "--db", str(killed)]
        landed = []
        for stage, sql, at_least in KILL_POINTS:
            before = _count(killed, sql)
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 240
            while proc.poll() is None and time.monotonic() < deadline and _count(killed, sql) < before + at_least:
                time.sleep(0.01)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                landed.append(stage)
        # A kill that came too late (the run had finished) proves nothing: most must land.
        assert len(landed) >= 2, landed

        final = runner.invoke(app, ["nightly", "--sites", str(sites), "--db", str(killed)])
        assert final.exit_code == 0, final.output

    db = open_db(killed)
    assert db.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM runs WHERE status = 'interrupted'").fetchone()[0] == len(landed)
    ref = open_db(reference)
    docs = "SELECT raw_sha256, duplicate_of IS NULL FROM documents ORDER BY raw_sha256"
    assert db.execute(docs).fetchall() == ref.execute(docs).fetchall()
    evidence = ("SELECT d.text, doc.raw_sha256, e.start, e.status FROM evidence e JOIN directives d ON d.id = e.directive_id "
                "JOIN documents doc ON doc.id = e.doc_id ORDER BY 1, 2, 3")
    assert db.execute(evidence).fetchall() == ref.execute(evidence).fetchall()
    assert _sheet(killed) == _sheet(reference)
