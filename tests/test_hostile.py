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
