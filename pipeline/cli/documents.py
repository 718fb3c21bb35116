"""``duban ingest``, ``extract``, ``docs``, ``runs`` and ``reread``: documents in, what the store holds,
and the stored documents read again by a newer parser or extractor."""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..parse.textnorm import readable
from .common import DbOption, db_path, err, lit, open_db, open_existing, out, report_errors, shown


def register(app: typer.Typer) -> None:
    for command in (ingest, extract, docs, runs, reread):
        app.command()(command)


# Where ingest and tracking run (pipeline/executor): shared by ingest, track and nightly.
ExecutorOption = typer.Option(None, "--executor", help="执行方式：local（本进程，默认）或 dask（Dask 集群）")
SchedulerOption = typer.Option(None, "--scheduler",
                               help="Dask 调度器地址（如 tcp://10.0.0.5:8786）；不给则在本机启动 LocalCluster（2 个工作进程）")


def executor_choice(kind: Optional[str], scheduler: Optional[str], configured=None):
    """The executor the options (over the sites file's ``[cluster]``) ask for; a wrong one ends the command (2)."""
    from ..executor.base import ExecutorError
    from ..executor.choose import choose

    try:
        return choose(kind, scheduler, configured=configured)
    except ExecutorError as exc:
        err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False)
        raise typer.Exit(2) from None


@contextmanager
def runner_for(choice):
    """The runner for ``choice``; a cluster that cannot be reached ends the command (2) with why."""
    from ..executor.base import ExecutorError
    from ..executor.choose import open_runner

    try:
        context = open_runner(choice)
        runner = context.__enter__()
    except ExecutorError as exc:
        err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False)
        raise typer.Exit(2) from None
    try:
        yield runner
    finally:
        context.__exit__(None, None, None)


def _run_ingest(paths: list[Path], path: str, quiet: bool = False, runner=None):
    from ..ingest.pipeline import ingest_paths
    from ..ingest.readers import iter_files
    from ..store.runs import record_run

    database = open_db(path)
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    files = list(iter_files(paths))
    with Progress(TextColumn("[bold]导入[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal, transient=True) as progress:
        task = progress.add_task("", total=len(files))
        report = ingest_paths(database, paths, on_file=lambda p: progress.update(task, advance=1, description=p.name),
                              runner=runner)
    record_run(database, "ingest", started, report.counts(), [list(e) for e in report.errors],
               "failed" if report.errors else "ok")
    return database, report


def _print_ingest_summary(report, path: str) -> None:
    c = report.counts()
    out.print(f"新增文档 {c['new_documents']} 篇，未变 {c['unchanged']} 篇，重复转载 {c['duplicates']} 篇，"
              f"新增督办事项 {c['new_directives']} 条，出错 {c['errors']} 个文件。", highlight=False)
    for src in report.partial:
        out.print(f"  [yellow]不完整[/yellow]：{lit(src)}（页面只给出部分正文，或正文过长只读入了前 200 万字）", highlight=False)
    for src in report.no_body:
        out.print(f"  [yellow]无正文[/yellow]：{lit(src)}（页面中没有找到文章正文）", highlight=False)
    for src, n in report.repaired:
        out.print(f"  [yellow]已修复[/yellow]：{lit(src)}（编码不一致或含坏字节，已逐行修复，替换 {n} 处）", highlight=False)
    if report.skipped:
        out.print(f"  跳过 {len(report.skipped)} 个不支持的文件（如 {lit(Path(report.skipped[0]).name)}）", highlight=False)
    out.print(f"数据库：{lit(shown(path))}", highlight=False)


def ingest(paths: list[Path] = typer.Argument(..., help="文件或文件夹（.txt .html .htm .docx .pdf）"),
           db: Optional[str] = DbOption, executor: Optional[str] = ExecutorOption,
           scheduler: Optional[str] = SchedulerOption) -> None:
    """导入本地文件：清洗正文、识别元数据和提纲、提取督办事项，存入数据库。"""
    path = db_path(db)
    with runner_for(executor_choice(executor, scheduler)) as runner:
        _, report = _run_ingest(paths, path, runner=runner)
    report_errors(report.errors)
    _print_ingest_summary(report, path)
    raise typer.Exit(1 if report.errors else 0)


def reread(db: Optional[str] = DbOption) -> None:
    """解析或提取规则更新后，重新处理库中由旧版本处理的文档（夜间任务会自动进行）；人工更正随句保留。"""
    from ..extract.stage import reextract_store

    database = open_existing(db)
    try:
        counts = reextract_store(database)
    finally:
        database.conn.close()
    for line in counts["failed_documents"]:
        doc_id, _, reason = line.partition(": ")
        print(f"错误：文档 {doc_id}：{reason}", file=sys.stderr)
    out.print(f"重新解析旧文档 {counts['reparsed']} 篇，重新提取督办事项 {counts['reextracted']} 篇，"
              f"出错 {counts['failed']} 篇", highlight=False)
    raise typer.Exit(1 if counts["failed"] else 0)


def extract(files: list[Path] = typer.Argument(..., help="要分析的文件"),
            format: str = typer.Option("jsonl", "--format", help="jsonl 或 table")) -> None:
    """分析文件并打印元数据、正文和督办事项（不写数据库）。"""
    from ..extract.extractor import extract_directives
    from ..ingest.readers import InputError, read_file
    from ..parse.document import parse_raw

    failed = False
    for path in files:
        try:
            doc = parse_raw(read_file(path))
            directives = extract_directives(doc) if not doc.no_body else []
        except Exception as exc:   # one file's failure is its own: the batch goes on
            failed = True
            reason = str(exc) if isinstance(exc, InputError) else f"处理失败：{type(exc).__name__}: {exc}"
            print(f"错误：{path}：{reason}", file=sys.stderr)
            if format == "jsonl":
                print(json.dumps({"source": str(path), "error": reason}, ensure_ascii=False))
            continue
        if format == "jsonl":
            record = {"source": str(path), "meta": doc.meta, "body": doc.body, "partial": doc.partial,
                      "no_body": doc.no_body, "directives": [d.as_json() for d in directives]}
            print(json.dumps(record, ensure_ascii=False))
        else:
            _print_doc_table(path, doc, directives)
    raise typer.Exit(1 if failed else 0)


def _print_doc_table(path: Path, doc, directives) -> None:
    m = doc.meta
    out.print(f"[bold]{lit(readable(m.get('title')) or path.name)}[/bold]  {m.get('kind')}  {m.get('date') or ''}  "
              f"{lit(m.get('place'))}", highlight=False)
    if doc.no_body:
        out.print("  [yellow]没有找到文章正文[/yellow]")
    table = Table("#", "督办事项", "责任主体", "领域", "时限", show_lines=True)
    for i, d in enumerate(directives, 1):
        dl = d.deadline
        table.add_row(str(i), lit(readable(d.text)), lit("、".join(map(readable, d.parties))),
                      "、".join(d.sectors), lit(f"{readable(dl.text)}（{dl.date or dl.kind}）") if dl else "")
    out.print(table)


def docs(db: Optional[str] = DbOption, format: str = typer.Option("table", "--format", help="table 或 jsonl"),
         limit: int = typer.Option(200, "--limit")) -> None:
    """列出数据库中的文档。"""
    from ..store.documents import SUPERSEDED_SQL, duplicate_note

    database = open_existing(db)
    rows = database.execute(
        "SELECT d.id, d.source, d.title, d.date, d.published, d.kind, d.place, d.level, d.partial, d.no_body, "
        "d.duplicate_of, (SELECT count(*) FROM directives x WHERE x.doc_id = d.id), "
        f"{SUPERSEDED_SQL} FROM documents d "
        "ORDER BY d.id LIMIT ?", [limit]).fetchall()
    keys = ["id", "source", "title", "date", "published", "kind", "place", "level", "partial", "no_body",
            "duplicate_of", "directives", "superseded"]
    if format == "jsonl":
        for row in rows:
            rec = dict(zip(keys, row))
            rec["partial"], rec["no_body"] = bool(rec["partial"]), bool(rec["no_body"])
            rec["superseded"] = bool(rec["superseded"])      # an older version of its source, not a re-post
            if "://" in rec["source"]:
                rec["url"] = rec["source"]
            else:
                rec["path"] = rec["source"]
            print(json.dumps(rec, ensure_ascii=False))
        return
    from ..search.records import KIND_LABELS

    # Readable at 80 columns: titles and notes wrap, the place column only where there is room.
    wide = out.width >= 100
    table = Table("编号", "标题", "类型", "日期", *(["地点"] if wide else []), "事项", "备注")
    table.columns[0].no_wrap = True
    table.columns[1].overflow = "fold"
    table.columns[1].ratio = 3
    table.columns[-1].overflow = "fold"
    for row in rows:
        rec = dict(zip(keys, row))
        notes = []
        if rec["duplicate_of"]:
            notes.append(duplicate_note(rec["duplicate_of"], bool(rec["superseded"])))
        if rec["partial"]:
            notes.append("不完整")
        if rec["no_body"]:
            notes.append("无正文")
        table.add_row(str(rec["id"]), lit(readable(rec["title"]) or Path(rec["source"]).name),
                      KIND_LABELS.get(rec["kind"] or "", rec["kind"] or ""), rec["date"] or "",
                      *([lit(rec["place"])] if wide else []), str(rec["directives"]), "，".join(notes))
    out.print(table)


def runs(db: Optional[str] = DbOption, limit: int = typer.Option(10, "--limit")) -> None:
    """显示最近的运行记录。"""
    database = open_existing(db)
    table = Table("编号", "命令", "开始", "结束", "状态", "做了什么", "错误")
    for row in database.execute("SELECT id, command, started_at, finished_at, status, counts, errors FROM runs "
                                "ORDER BY id DESC LIMIT ?", [limit]).fetchall():
        errors = json.loads(row[6])
        started, finished = (str(x or "")[:16].replace("T", " ") for x in (row[2], row[3]))
        table.add_row(str(row[0]), lit(row[1]), started, finished, row[4], summarise_counts(json.loads(row[5])),
                      str(len(errors)))
    out.print(table)


RUN_COUNT_LABELS = (
    ("pages_fetched", "抓取"), ("pages_not_modified", "未变化"), ("pages_failed", "失败"), ("pages_given_up", "放弃"),
    ("new_documents", "新文档"), ("duplicates", "重复"), ("new_directives", "新事项"),
    ("track.new_evidence", "新跟踪依据"), ("track.overdue", "逾期"), ("errors", "出错"),
)


def summarise_counts(counts: dict) -> str:
    """The few counts a person reads first, in Chinese, from a run's counts JSON."""
    parts = []
    for key, label in RUN_COUNT_LABELS:
        value = counts
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, int):
            parts.append(f"{label} {value}")
    return "，".join(parts)
