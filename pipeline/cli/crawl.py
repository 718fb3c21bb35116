"""Commands of the crawl stage: ``crawl``, ``nightly`` and ``demo``.

Presentation only: the work is in :mod:`.nightly` (stages, lock, run record) and
below; here are the progress bars, the summary and the exit codes.

Exit codes: 0 the run finished (pages that failed are listed and retried on a
later run, or given up after ``max_failures`` runs in a row); 1 a stage failed;
2 the sites file is wrong; 75 another run holds the store (try later).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..crawl.config import ConfigError, SitesConfig, load_sites
from ..nightly.lock import LOCKED_EXIT_CODE, RunLocked
from ..parse.textnorm import readable
from ..track.status import LABELS
from .common import lit, shown

if TYPE_CHECKING:     # nightly pulls in the parser and extractor: imported when a command runs, not on --help
    from ..crawl.crawler import CrawlReport
    from ..nightly.orchestrate import Hooks, RunSummary

STAGE_LABELS = {"crawl": "抓取", "ingest": "导入", "extract": "提取", "track": "跟踪", "index": "索引"}
ALL_STAGES = tuple(STAGE_LABELS)

SitesOption = typer.Option(..., "--sites", help="站点配置文件（TOML，见 pipeline/crawl/sites.example.toml）")
MAX_ERRORS_SHOWN = 20


@contextmanager
def _progress(err: Console) -> Iterator[Hooks]:
    """Progress bars for the crawl and ingest stages (only on a terminal)."""
    columns = (SpinnerColumn(), TextColumn("[bold]{task.fields[stage]}[/bold]"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}", style="dim"))
    from ..nightly.orchestrate import Hooks

    with Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as progress:
        tasks: dict[str, int] = {}

        def crawl_step(done: int, queued: int, url: str) -> None:
            if "crawl" not in tasks:
                tasks["crawl"] = progress.add_task("", total=None, stage="抓取")
            progress.update(tasks["crawl"], completed=done, total=done + queued, description=url[-60:])

        def ingest_total(total: int) -> None:
            tasks["ingest"] = progress.add_task("", total=total, stage="导入")

        def ingest_step(url: str) -> None:
            progress.update(tasks["ingest"], advance=1, description=url[-60:])

        def stage(name: str) -> None:
            for other in ("track", "index"):          # a spinner for the stages that report no steps
                if other in tasks:
                    progress.update(tasks[other], visible=False)
            if name in ("track", "index"):
                tasks[name] = progress.add_task("", total=None, stage=STAGE_LABELS[name])

        yield Hooks(on_stage=stage, on_crawl=crawl_step, on_ingest_total=ingest_total, on_ingest=ingest_step)


def _load(sites: Path, err: Console) -> SitesConfig:
    try:
        return load_sites(sites)
    except ConfigError as exc:
        err.print(f"[red]配置错误[/red]：{lit(exc)}", highlight=False)
        raise typer.Exit(2) from None


def _run(db_path: str, config: SitesConfig, command: str, stages: tuple[str, ...], err: Console,
         executor=None) -> RunSummary:
    from ..nightly.orchestrate import run

    try:
        with _progress(err) as hooks:
            return run(db_path, config, command, stages, hooks, executor=executor)
    except RunLocked as exc:
        err.print(f"[red]未运行[/red]：{lit(exc)}", highlight=False)
        raise typer.Exit(LOCKED_EXIT_CODE) from None


STATUS_LABELS = {"ok": "完成", "partial": "完成（部分页面失败，将在下次运行时重试）", "failed": "有阶段出错",
                 "interrupted": "中断"}


def _status_label(summary: RunSummary) -> str:
    """The run's status in words; "retried next run" is not true of the pages this run gave up."""
    if summary.status == "partial" and summary.crawl and summary.crawl.given_up:
        return "完成（部分页面失败；放弃的不再重试，其余下次重试）"
    return STATUS_LABELS.get(summary.status, summary.status)


def print_summary(summary: RunSummary, out: Console, err: Console) -> None:
    """What the run did, stage by stage, in the words of the issue: fetched / not modified / failed …"""
    title = {"nightly": "夜间运行", "crawl": "抓取"}.get(summary.command, summary.command)
    out.print(f"[bold]{title} #{summary.run_id}[/bold]：{_status_label(summary)}，"
              f"用时 {summary.seconds:.1f} 秒", highlight=False)
    for stage in summary.stages:
        out.print(f"  {STAGE_LABELS[stage.name]}：{_stage_line(summary, stage)}", highlight=False)
        given_up = _given_up_line(summary.crawl) if stage.name == "crawl" and summary.crawl else None
        if given_up:
            out.print(f"  放弃：{given_up}", highlight=False)
    if summary.command == "nightly":
        track = summary.stage("track")
        overdue = track.counts.get("overdue") if track and track.status == "ok" else None
        out.print(f"  逾期督办事项：{'—（跟踪阶段未运行）' if overdue is None else f'{overdue} 条'}", highlight=False)
        digest = _digest_line(summary.db_path)
        if digest:
            out.print(f"  {digest}", highlight=False, soft_wrap=True)
    errors = summary.errors()
    given_up = set(summary.crawl.given_up) if summary.crawl else set()
    for url, reason in errors[:MAX_ERRORS_SHOWN]:
        label = "失败，已放弃" if url in given_up else "失败"
        err.print(f"  [yellow]{label}[/yellow]：{lit(url)}：{lit(reason)}", highlight=False)
    if len(errors) > MAX_ERRORS_SHOWN:
        err.print(f"  ……另有 {len(errors) - MAX_ERRORS_SHOWN} 个失败（见 duban runs 和 pages 表）", highlight=False)
    out.print(f"数据库：{lit(shown(summary.db_path))}", highlight=False)


DIGEST_DAYS = 7


def _digest_line(db_path: str) -> str | None:
    """The weekly digest's headline numbers, and the command that prints the digest itself.

    The same numbers as ``duban digest --since 7d``: a leader reading the night's log sees the
    week's news without running a second command. None when the store cannot be read for it
    (the run's own summary above still stands).
    """
    import datetime as dt

    from ..digest import COUNT_LABELS, build_digest, digest_counts
    from ..store import open_db

    try:
        database = open_db(db_path)
        try:
            counts = digest_counts(build_digest(database, dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=DIGEST_DAYS)))
        finally:
            database.conn.close()
    except Exception:   # noqa: BLE001 - the digest is a courtesy line; the run's result is already recorded
        return None
    numbers = (f"{COUNT_LABELS['new_directives']} {counts['new_directives']} 项，"
               f"{COUNT_LABELS['became_overdue']} {counts['became_overdue']} 项，"
               f"{COUNT_LABELS['new_evidence']} {counts['new_evidence']} 项（已完成 {counts['new_evidence_done']}、"
               f"推进中 {counts['new_evidence_in_progress']}），{COUNT_LABELS['corrected']} {counts['corrected']} 项")
    return f"近 {DIGEST_DAYS} 天摘要：{numbers}（全文：duban digest --since {DIGEST_DAYS}d --db {lit(shown(db_path))}）"


def _given_up_line(c: CrawlReport) -> str | None:
    """Pages given up (记为放弃), on a line of their own: this run's, and how many are held given up in all."""
    parts = []
    if c.given_up:
        parts.append(f"本次放弃 {len(c.given_up)} 页（连续失败达到 max_failures 次）")
    if c.given_up_total:
        parts.append(f"累计 {c.given_up_total} 页不再抓取")
    if c.revived:
        parts.append(f"重新尝试 {c.revived} 页（max_failures 已放宽）")
    return "，".join(parts) or None


def _stage_line(summary: RunSummary, stage) -> str:
    if stage.status == "failed":
        return f"[red]出错[/red]：{lit(stage.message)}"
    if stage.status == "skipped":
        return lit(stage.message)
    if stage.name == "crawl" and summary.crawl:
        c = summary.crawl
        extra = []
        if c.resumed:
            extra.append(f"接续上次未完成的 {c.resumed} 个")
        if c.disallowed:
            extra.append(f"robots.txt 禁止 {c.disallowed} 个")
        if c.capped:
            extra.append(f"达到 max_pages 上限：{'、'.join(c.capped)}")
        return (f"新抓取 {c.fetched} 页，未变化 {c.not_modified + c.unchanged} 页，失败 {c.failed} 页"
                f"（请求 {c.requests} 次，其中条件请求 {c.conditional_requests} 次）"
                + ("；" + "，".join(extra) if extra else ""))
    if stage.name == "ingest" and summary.ingest:
        n = summary.ingest.counts()
        return (f"新增文档 {n['new_documents']} 篇，重复转载 {n['duplicates']} 篇，"
                f"新增督办事项 {n['new_directives']} 条，出错 {n['errors']} 个")
    if stage.name == "extract":
        n = stage.counts.get("reextracted") or 0
        reparsed = stage.counts.get("reparsed") or 0
        failed = stage.counts.get("failed") or 0
        done = ([f"解析规则已更新，重新解析旧文档 {reparsed} 篇"] if reparsed else []) + (
            [f"提取规则已更新，重新提取旧文档 {n} 篇"] if n else [])
        return "随导入完成" + ("；" + "，".join(done) if done else "") + (
            f"，{failed} 篇出错（见 duban runs）" if failed else "")
    if stage.name == "track":
        c = stage.counts
        statuses = "，".join(f"{label} {c[key]}" for key, label in TRACK_STATUS_LABELS.items()
                            if isinstance(c.get(key), int))
        from .track import via_note

        return (f"新增落实线索 {c.get('new_evidence', 0)} 条{via_note(c.get('new_evidence_by_via'))}"
                + (f"（督办事项：{statuses}）" if statuses else ""))
    if stage.name == "index":
        parts = "，".join(f"{label} {stage.counts[key]} {unit}" for key, (label, unit) in INDEX_LABELS.items()
                         if isinstance(stage.counts.get(key), int))
        return "已更新" + (f"（{parts}）" if parts else "")
    return "完成"


# Status names of spec/tracking.md; other counts a stage returns are kept in runs, not printed.
TRACK_STATUS_LABELS = {k: v for k, v in LABELS.items() if k != "overdue"}   # overdue has a line of its own
INDEX_LABELS = {"documents": ("文档", "篇"), "directives": ("督办事项", "条")}


def _exit_code(summary: RunSummary) -> int:
    return 1 if summary.status == "failed" else 0


def register(app: typer.Typer) -> None:
    from .common import DEMO_CORPUS, DbOption, db_path, err, out
    from .documents import ExecutorOption, SchedulerOption, executor_choice

    @app.command()
    def crawl(sites: Path = SitesOption, db: Optional[str] = DbOption,
              ingest: bool = typer.Option(True, "--ingest/--no-ingest", help="抓取后导入新页面（默认导入）")) -> None:
        """抓取配置的站点并导入新文章和附件（遵守 robots.txt、限速、条件请求；中断后再次运行即续抓）。"""
        config = _load(sites, err)
        summary = _run(db_path(db), config, "crawl", ("crawl", "ingest") if ingest else ("crawl",), err)
        print_summary(summary, out, err)
        raise typer.Exit(_exit_code(summary))

    @app.command()
    def nightly(sites: Path = SitesOption, db: Optional[str] = DbOption, executor: Optional[str] = ExecutorOption,
                scheduler: Optional[str] = SchedulerOption) -> None:
        """夜间任务：抓取 → 导入 → 提取 → 跟踪 → 索引，打印摘要（记入 runs 表；同一数据库同时只运行一个）。"""
        from ..executor.choose import ExecutorChoice

        config = _load(sites, err)
        c = config.cluster
        choice = executor_choice(executor, scheduler, ExecutorChoice(c.executor, c.scheduler, c.workers))
        summary = _run(db_path(db), config, "nightly", ALL_STAGES, err, choice)
        print_summary(summary, out, err)
        raise typer.Exit(_exit_code(summary))

    @app.command()
    def demo(db: Optional[str] = typer.Option(None, "--db", parser=str,
                                              help="演示数据库：文件或 postgresql:// 地址（默认新建于临时目录的文件）")) -> None:
        """启动内置演示站点（corpus/demo）并对它运行夜间任务，打印摘要和数据库位置。"""
        from ..crawl.demo_site import DemoSite

        workdir = Path(tempfile.mkdtemp(prefix="duban-demo-"))
        store_path = str(db) if db else str(workdir / "duban.db")
        t0 = time.perf_counter()
        with DemoSite(DEMO_CORPUS) as site:
            n = site.counts()
            sites_file = workdir / "sites.toml"
            sites_file.write_text(site.sites_toml(), encoding="utf-8")
            out.print(f"[bold]演示站点[/bold]：{lit(site.start_url)}（{n['list_pages']} 个列表页、{n['articles']} 篇文章、"
                      f"{n['attachments']} 个附件，来自 {lit(DEMO_CORPUS)}）", highlight=False)
            if not n["articles"] and not n["attachments"]:
                err.print("[yellow]注意[/yellow]：演示语料为空，站点只有一个空列表页。", highlight=False)
            summary = _run(store_path, load_sites(sites_file), "nightly", ALL_STAGES, err)
        print_summary(summary, out, err)
        _print_documents(store_path, out)
        out.print(f"站点配置：{lit(sites_file)}（演示站点已关闭；用时 {time.perf_counter() - t0:.1f} 秒）", highlight=False)
        out.print("下一步（复制即可运行）：", highlight=False)
        for what, command in (("检索督办事项", f"duban search 燃气 --db {store_path}"),
                              ("导出督办台账", f"duban export --db {store_path} --out 督办台账.xlsx"),
                              ("打开网页", f"duban serve --db {store_path}"),
                              ("查看文档", f"duban docs --db {store_path}")):
            out.print(f"  {what}：{lit(command)}", highlight=False, soft_wrap=True)
        raise typer.Exit(_exit_code(summary))


def _print_documents(db_path: str, out: Console) -> None:
    from ..store import open_db
    from ..store.documents import SUPERSEDED_SQL, duplicate_note

    database = open_db(db_path)
    from ..search.records import KIND_LABELS

    rows = database.execute(
        f"SELECT d.id, d.title, d.kind, d.date, d.fmt, d.duplicate_of, {SUPERSEDED_SQL}, count(x.id) FROM documents d "
        "LEFT JOIN directives x ON x.doc_id = d.id GROUP BY d.id ORDER BY d.date, d.id").fetchall()
    # 编号 is the id `duban docs` lists and 重复（同 N） refers to; titles wrap rather than vanish at 80 columns.
    table = Table("编号", "文档", "类型", "日期", "格式", "事项")
    table.columns[0].no_wrap = True
    table.columns[1].overflow = "fold"
    table.columns[1].ratio = 1
    for doc_id, title, kind, date, fmt, duplicate_of, superseded, n in rows:
        table.add_row(str(doc_id), lit(readable(title) or ""), KIND_LABELS.get(kind or "", kind or ""), date or "",
                      fmt or "", duplicate_note(duplicate_of, bool(superseded)) or str(n))
    out.print(table)
    database.conn.close()

