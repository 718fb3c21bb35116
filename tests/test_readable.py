"""What staff read: a re-hosted page's pinyin glosses (生產(chǎn)) are left out of the page, the sheet, the
terminal and the notices, while the store and ``extract`` keep the body as the document has it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.parse.textnorm import readable

runner = CliRunner()

# An invented notice as a traditional-script re-host writes it, glosses and all.
NOTICE = """青禾區安全生產(chǎn)委員會辦公室關(guān)于開展燃氣安全檢查的通知

各街道（鄉鎮），區安委會各成員單位：

2025年6月3日

為切實做好燃氣安全工作，現將有關事項通知如下。

一、各街道要於6月底前全面排查轄區燃氣用戶安全隱患(yǐn huàn)，建立問題臺賬，逐項整改銷號。

二、區住建局要加強瓶裝液化氣經營企業監管，嚴格落實(shí)安全責任。

三、各鄉(xiāng)鎮(zhèn)要限時(shí)整改燃氣管道隱患。

青禾區安全生產(chǎn)委員會辦公室
2025年6月3日
"""
AS_OF = dt.date(2025, 7, 1)
GLOSS = re.compile(r"\((?:chǎn|guān|yǐn huàn|shí|xiāng|zhèn)\)")


def test_readable_drops_glosses_and_keeps_the_rest():
    assert readable("嚴格落實(shí)安全責任") == "嚴格落實安全責任"    # the script stays traditional
    assert readable("安全隱患(yǐn huàn)”為主題") == "安全隱患”為主題"
    assert readable("工作方案（试行）(2022年版)") == "工作方案（试行）(2022年版)"  # brackets that say something stay
    assert readable("(ABC)与(GB 50016)") == "(ABC)与(GB 50016)"
    assert readable(None) is None and readable("") == ""


@pytest.fixture
def store(tmp_path):
    from pipeline.ingest.pipeline import ingest_paths
    from pipeline.store import open_db
    from pipeline.track.tracker import track_store

    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    db_path = tmp_path / "duban.db"
    db = open_db(db_path)
    assert not ingest_paths(db, [path]).errors
    track_store(db, as_of=AS_OF)
    stored = [r[0] for r in db.execute("SELECT text FROM directives ORDER BY id").fetchall()]
    db.conn.close()
    assert any(GLOSS.search(t) for t in stored)       # the store keeps the body as the page has it
    return db_path


@pytest.fixture
def client(store):
    from pipeline.web.app import create_app

    flask_app = create_app(str(store), secret_key="test", as_of=AS_OF)
    flask_app.testing = True
    return flask_app.test_client()


def test_pages_show_no_glosses(client):
    docs = client.get("/", query_string={"scope": "documents"}).get_data(as_text=True)
    assert "青禾區安全生產委員會辦公室關于開展燃氣安全檢查的通知" in docs and not GLOSS.search(docs)
    hits = client.get("/", query_string={"q": "安全"}).get_data(as_text=True)
    words = re.sub(r"<[^>]+>", "", hits)                       # the words, without the search's <mark>s
    assert "安全隱患，建立問題臺賬" in words and "嚴格落實安全責任" in words and not GLOSS.search(hits)
    url = re.search(r'href="(/d/[0-9a-f]{64}/[0-9a-f]{64})"', hits).group(1)
    page = client.get(url).get_data(as_text=True)
    assert "安全隱患，建立問題臺賬" in page and not GLOSS.search(page)
    doc_url = re.search(r'href="(/document/\d+)"', docs).group(1)
    body = client.get(doc_url).get_data(as_text=True)
    assert "嚴格落實安全責任" in body and not GLOSS.search(body)


def test_document_count_is_one_phrase(client):
    """找到 N 篇文档 is one item of the summary line, which spreads its items apart (flex, space-between):
    bare words and the number would stand at its two ends and its middle."""
    docs = client.get("/", query_string={"scope": "documents"}).get_data(as_text=True)
    assert re.search(r'<p class="summary"><span>找到 <strong>1</strong> 篇文档</span></p>', docs)


def test_sheet_shows_no_glosses(client):
    text = client.get("/export.csv", query_string={"q": "燃氣"}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    tasks = [r[header.index("任务内容")] for r in body]
    assert "一、各街道要於6月底前全面排查轄區燃氣用戶安全隱患，建立問題臺賬，逐項整改銷號。" in tasks
    assert not any(GLOSS.search(cell) for r in body for cell in r)


def test_terminal_shows_no_glosses_but_extract_keeps_the_body(store, tmp_path):
    listed = runner.invoke(cli_app, ["docs", "--db", str(store)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "青禾區安全生產委員會辦公室" in listed.output and not GLOSS.search(listed.output)
    found = runner.invoke(cli_app, ["search", "燃氣", "--db", str(store)], env={"COLUMNS": "200"})
    assert found.exit_code == 0 and "安全隱患" in found.output and not GLOSS.search(found.output)
    path = tmp_path / "again.txt"
    path.write_text(NOTICE, encoding="utf-8")
    printed = runner.invoke(cli_app, ["extract", str(path), "--format", "jsonl"])
    record = json.loads(printed.output.splitlines()[0])
    assert GLOSS.search(record["meta"]["title"])              # what is scored is the body as it stands
    for d in record["directives"]:
        assert record["body"][d["start"]:d["end"]] == d["text"]
    assert any(GLOSS.search(d["text"]) for d in record["directives"])


def test_notice_and_digest_show_no_glosses(store, tmp_path):
    from docx import Document

    out = tmp_path / "notices"
    made = runner.invoke(cli_app, ["notice", "--all-units", "--out", str(out), "--as-of", "2025-07-10",
                                   "--db", str(store)])
    assert made.exit_code == 0, made.output
    files = sorted(out.glob("*.docx"))
    assert files
    text = "\n".join(p.text for f in files for p in Document(str(f)).paragraphs)
    assert "全面排查轄區燃氣用戶安全隱患，建立問題臺賬" in text and not GLOSS.search(text)
    digest = runner.invoke(cli_app, ["digest", "--since", "2000-01-01", "--as-of", "2025-07-10", "--db", str(store)])
    assert digest.exit_code == 0, digest.output
    assert "安全隱患，建立問題臺賬" in digest.output and not GLOSS.search(digest.output)
