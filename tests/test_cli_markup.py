"""Documents from the web are untrusted on the terminal too: rich reads [b], [a] and [/x] in a string as
markup, so a title, task, body or address that holds them would print wrongly ([b] bolds the rest, [a]
vanishes) or stop the command ([/x] closes no tag: MarkupError). Every table and message prints them as
written."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()

# An invented notice whose title and orders carry what rich would read as markup.
NOTICE = """青禾县[/x]安委办关于开展燃气安全[b]检查的通知

各乡镇[a]，县直各部门：

2025年6月3日

一、各乡镇[a]要于6月底前全面排查燃气用户安全隐患[/x]，建立问题台账，逐项整改销号。

二、县住建局要加强瓶装液化气经营企业监管[img]，严格落实安全责任。

青禾县安委办
2025年6月3日
"""
LATER = """青禾县[/x]安委办关于燃气安全检查情况的通报

2025年7月20日

各乡镇[a]已全面排查燃气用户安全隐患[/x]，建立问题台账，整改销号1200处。
"""


def _ok(result, *shown: str) -> None:
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.output
    flat = result.output.replace("│", "").replace(" ", "").replace("\n", "")
    for text in shown:
        assert text in flat, (text, result.output)


def test_markup_in_documents_prints_as_written(tmp_path):
    notice, later = tmp_path / "notice[b].txt", tmp_path / "later.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    later.write_text(LATER, encoding="utf-8")
    db = str(tmp_path / "duban.db")
    wide, narrow = {"COLUMNS": "200"}, {"COLUMNS": "100"}
    _ok(runner.invoke(app, ["extract", str(notice), "--format", "table"], env=wide), "[/x]安委办", "隐患[/x]",
        "各乡镇[a]", "监管[img]")
    _ok(runner.invoke(app, ["ingest", str(notice), str(later), "--db", db], env=wide))
    _ok(runner.invoke(app, ["docs", "--db", db], env=wide), "[/x]安委办", "燃气安全[b]检查")
    for env in (wide, narrow):
        _ok(runner.invoke(app, ["search", "燃气", "--db", db], env=env), "隐患[/x]", "[/x]安委办")
    _ok(runner.invoke(app, ["search", "燃气", "--db", db], env=wide), "各乡镇[a]")
    _ok(runner.invoke(app, ["track", "--db", db, "--as-of", dt.date(2025, 8, 1).isoformat()], env=wide))
    _ok(runner.invoke(app, ["followup", str(notice), "--later", str(later), "--as-of", "2025-08-01",
                            "--format", "table"], env=wide), "隐患[/x]")
    missing = tmp_path / "[" / "x].txt"         # a path that reads as a closing tag: …/[/x].txt
    result = runner.invoke(app, ["ingest", str(missing), "--db", db], env=wide)
    assert "Traceback" not in result.output and "[/x].txt" in result.output.replace("\n", "")
