"""The command line as a new user meets it: no traceback for any user error, a missing store named,
an unwritable export path explained, tables readable at 80 columns, --help quick to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)
# These run until stopped (a server) or run the whole demo: only their argument errors are walked here.
LONG_RUNNING = {"serve", "demo", "nightly", "crawl"}


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (result.output, result.exception)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_meets_bad_arguments_without_a_traceback(command, tmp_path):
    cases = [[command, "--no-such-option"], [command, str(tmp_path / "missing.txt")]]
    if command not in LONG_RUNNING:
        cases.append([command, "--db", str(tmp_path / "nowhere" / "x.db")])
    for args in cases:
        result = runner.invoke(app, args, input="\n")
        _no_traceback(result)
        if args[1] == "--no-such-option":
            assert result.exit_code != 0, (args, result.output)


@pytest.mark.parametrize("command", [["search", "燃气"], ["export", "--out", "x.xlsx"], ["docs"], ["runs"], ["track"],
                                     ["reread"]])
def test_reading_commands_refuse_a_store_that_does_not_exist(command, tmp_path):
    missing = tmp_path / "mistyped.db"
    result = runner.invoke(app, command + ["--db", str(missing)])
    assert result.exit_code == 2
    assert "数据库不存在" in result.output and "DUBAN_DB" in result.output
    assert not missing.exists()


def test_an_unwritable_export_path_is_explained(tmp_path):
    db = tmp_path / "duban.db"
    assert runner.invoke(app, ["ingest", str(ROOT / "corpus" / "demo" / "2024-02-26_speech_quzhang.txt"),
                               "--db", str(db)]).exit_code == 0
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(blocker / "sub" / "台账.xlsx")])
    _no_traceback(result)
    assert result.exit_code == 2 and "无法写入" in result.output


def test_docs_is_readable_at_80_columns(tmp_path):
    db = tmp_path / "duban.db"
    runner.invoke(app, ["ingest", str(ROOT / "corpus" / "demo"), "--db", str(db)])
    result = runner.invoke(app, ["docs", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "在2024年全区安全生产工" in result.output.replace("│", "").replace(" ", "")   # titles wrap, not cut to five characters
    assert all(len(line) <= 80 for line in result.output.splitlines())
    found = runner.invoke(app, ["search", "燃气", "--db", str(db), "--limit", "3"], env={"COLUMNS": "80"})
    assert found.exit_code == 0 and all(len(line) <= 80 for line in found.output.splitlines())
    assert "状态" in found.output and "时限" in found.output


def test_help_does_not_import_the_pipeline():
    """`duban --help` loads typer and rich only: the store, scipy and jieba are imported where used."""
    code = ("import sys, pipeline.cli; heavy = [m for m in ('scipy', 'datasketch', 'jieba', 'sqlite_utils', "
            "'sklearn') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


NOTICE = "关于做好安全生产工作的通知\n各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账，实行销号管理。\n"


def test_paths_that_cannot_be_read_are_reported_and_the_batch_goes_on(tmp_path):
    """A missing file, a dangling link and (when not root) a file without read permission, named on the
    command line beside a good file: each is named with its reason, the good one is stored."""
    import os

    (tmp_path / "ok.txt").write_text(NOTICE, encoding="utf-8")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    names = ["ok.txt", "missing.txt", "dangling.txt"]
    if os.geteuid() != 0:          # root reads any file: the permission case only means something for a user
        (tmp_path / "locked.txt").write_text(NOTICE, encoding="utf-8")
        (tmp_path / "locked.txt").chmod(0)
        names.append("locked.txt")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", *names, "--db", "x.db"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in names[1:]:
        assert f"错误：{name}：" in result.stderr, (name, result.stderr)
    assert "新增文档 1 篇" in result.stdout


def test_library_chatter_only_with_verbose(tmp_path):
    """jieba announces its dictionary on standard error: silent by default, shown with ``duban --verbose``."""
    (tmp_path / "ok.txt").write_text(NOTICE, encoding="utf-8")

    def stderr_of(*options: str) -> str:
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *options, "ingest", "ok.txt", "--db",
                               f"{len(options)}.db"], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300, check=True).stderr

    assert stderr_of() == ""
    assert "prefix dict" in stderr_of("--verbose")


def test_reread_upgrades_what_an_older_parser_read_and_says_how_much(tmp_path):
    """A store of local files (no nightly run) is upgraded by ``duban reread``: documents an older
    parser read are parsed and extracted again, and the summary says how many."""
    import sqlite3

    from pipeline.parse.document import PARSER_VERSION

    notice = tmp_path / "notice.txt"
    notice.write_text("关于开展汛前安全检查的通知\n各乡镇人民政府：\n"
                      "一、各乡镇要在4月底前完成辖区山洪灾害危险区排查，建立隐患台账。\n", encoding="utf-8")
    db = tmp_path / "duban.db"
    assert runner.invoke(app, ["ingest", str(notice), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET parser_version = 'parse-1', title = '首页'")
    result = runner.invoke(app, ["reread", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "重新解析旧文档 1 篇" in result.output and "出错 0 篇" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT title, parser_version FROM documents").fetchone() == (
            "关于开展汛前安全检查的通知", PARSER_VERSION)
    again = runner.invoke(app, ["reread", "--db", str(db)])
    assert "重新解析旧文档 0 篇" in again.output
