"""`duban ingest`, `duban docs` and `duban extract` end to end on real and own files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import open_db

from .conftest import DEMO, shared_file

runner = CliRunner()


def _docs(db: Path) -> list[dict]:
    result = runner.invoke(app, ["docs", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_same_file_twice_is_one_document(tmp_path, db_path):
    seed = shared_file("seeds", "002_dbaaf69f14cffc4e.txt")
    copy = tmp_path / "copy.txt"
    shutil.copy(seed, copy)
    assert runner.invoke(app, ["ingest", str(seed), "--db", str(db_path)]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(seed), str(copy), "--db", str(db_path)]).exit_code == 0
    docs = _docs(db_path)
    assert len(docs) == 1
    assert {"id", "title", "date", "published", "kind", "place", "partial", "duplicate_of"} <= docs[0].keys()
    assert docs[0]["path"].endswith("002_dbaaf69f14cffc4e.txt")
    assert docs[0]["date"] == "2021-06-11" and docs[0]["published"] == "2021-06-12"


def test_near_duplicate_repost_is_recorded_not_lost(tmp_path, db_path):
    seed = shared_file("seeds", "002_dbaaf69f14cffc4e.txt")
    text = seed.read_text(encoding="utf-8")
    repost = tmp_path / "repost.txt"
    body = text.split("临汾新闻网讯", 1)[1]
    repost.write_text("某某新闻网 首页\n临汾市召开安全生产专题电视电话会议\n2021-06-13 来源:某某新闻网\n"
                      "临汾新闻网讯" + body.replace("责任编辑:畅任杰", "责任编辑:李四") + "\n相关新闻\n其他链接",
                      encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(seed), str(repost), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    docs = _docs(db_path)
    assert len(docs) == 2
    first, second = docs
    assert first["duplicate_of"] is None and second["duplicate_of"] == first["id"]
    database = open_db(db_path)
    counts = dict(database.execute("SELECT doc_id, count(*) FROM directives GROUP BY doc_id").fetchall())
    assert counts.get(first["id"], 0) > 0 and second["id"] not in counts


def test_an_edited_file_is_a_new_version_and_lists_say_so(tmp_path, db_path, monkeypatch):
    """A new text from a stored source supersedes it: `duban docs` tells an old version from a re-post.
    The source is the file, however its path is written (relative first, absolute after the edit)."""
    notice = tmp_path / "notice.txt"
    notice.write_text("松林县安全生产委员会办公室关于开展隐患排查的通知\n各乡镇，县安委会各成员单位：\n"
                      "为有效防范化解安全风险，经县安委会同意，现就开展隐患排查通知如下。\n"
                      "一、各乡镇要在4月底前完成辖区生产经营单位安全隐患排查，建立隐患台账。\n"
                      "二、县应急管理局要加强督导检查，对排查出的重大隐患实行挂牌督办。\n"
                      "松林县安全生产委员会办公室\n2024年3月1日\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["ingest", "./notice.txt", "--db", str(db_path)]).exit_code == 0
    notice.write_text(notice.read_text(encoding="utf-8").replace("4月底前", "5月底前"), encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(notice), "--db", str(db_path)]).exit_code == 0
    old, new = _docs(db_path)
    assert old["duplicate_of"] == new["id"] and old["superseded"] and not new["superseded"]
    table = runner.invoke(app, ["docs", "--db", str(db_path)], env={"COLUMNS": "200"}).stdout
    assert f"旧版本（新版 {new['id']}）" in table and "重复" not in table


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path, db_path):
    good = shared_file("seeds", "000_ea4cc307c7408ef2.txt")
    assert runner.invoke(app, ["ingest", str(good), "--db", str(db_path)]).exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PK\x00" * 100)
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (bad / "notes.xyz").write_text("什么", encoding="utf-8")
    named_unknown = tmp_path / "named.xyz"
    named_unknown.write_text("什么", encoding="utf-8")
    ok = bad / "ok.txt"
    ok.write_text("关于做好汛期安全工作的通知\n各乡镇要于6月底前完成山洪灾害危险区排查，建立台账，落实24小时值班制度。"
                  "区应急管理局要加强督导检查。", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(bad), str(named_unknown), "--db", str(db_path)])
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.txt", "broken.docx", "broken.pdf", "named.xyz"):
        assert name in result.stderr, name
    assert "不支持的文件类型：.xyz" in result.stderr
    # An unknown file met while walking a folder is skipped and said, not an error.
    assert "notes.xyz" not in result.stderr and "跳过 1 个不支持的文件" in result.stdout
    titles = [d["title"] for d in _docs(db_path)]
    assert "区长在全区安全生产专项整治行动推进会上的讲话" in titles      # nothing stored was lost
    assert "关于做好汛期安全工作的通知" in titles                      # the good file went in


def test_extract_prints_the_contract_and_errors_per_file(tmp_path):
    seed = shared_file("seeds", "002_dbaaf69f14cffc4e.txt")
    missing = tmp_path / "nothing.docx"
    missing.write_bytes(b"not a zip")
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(seed), str(missing)])
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert lines[0]["source"] == str(seed) and lines[1]["source"] == str(missing) and "error" in lines[1]
    first = lines[0]
    assert set(first["meta"]) >= {"title", "date", "published", "place", "level", "speaker", "speaker_role",
                                  "meeting", "kind"}
    for d in first["directives"]:
        assert first["body"][d["start"]:d["end"]] == d["text"]
        assert set(d) >= {"text", "start", "end", "sectors", "parties", "deadline"}


def test_docx_and_txt_of_a_2025_report_give_the_same_body():
    for name in ("hunan-gwr-2025", "ningxia-gwr-2025", "sichuan-gwr-2025"):
        txt = shared_file("corpus", f"{name}.txt")
        docx = shared_file("corpus", f"{name}.docx")
        result = runner.invoke(app, ["extract", "--format", "jsonl", str(txt), str(docx)])
        assert result.exit_code == 0, result.output
        a, b = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
        assert "".join(a["body"].split()) == "".join(b["body"].split()), name


def test_demo_corpus_ingests_cleanly(db_path):
    if not DEMO.exists():
        return
    result = runner.invoke(app, ["ingest", str(DEMO), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    docs = _docs(db_path)
    assert len(docs) >= 10
    assert any(d["partial"] for d in docs)
    assert any(d["duplicate_of"] for d in docs)
