"""``duban track`` (the store, incremental) and ``duban followup`` (files given, no store)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer

from ..parse.textnorm import readable
from ..track.status import LABELS, VIA_LABELS


def via_note(by_via: dict[str, int] | None) -> str:
    """How many new links were made by structure, not words: （其中成效指标 4 条、所属清单 5 条）."""
    parts = [f"{VIA_LABELS[k]} {n} 条" for k, n in sorted((by_via or {}).items()) if k in VIA_LABELS and n]
    return f"（其中{'、'.join(parts)}）" if parts else ""


def _via(evidence: dict) -> str:
    """What linked a piece of evidence, when not its words (·成效指标, ·所属清单)."""
    label = VIA_LABELS.get(evidence.get("via") or "")
    return f"·{label}" if label else ""


def register(app: typer.Typer) -> None:
    from .common import DbOption, as_of_date, err, lit, open_existing, out
    from .documents import ExecutorOption, SchedulerOption, executor_choice, runner_for

    AsOf = typer.Option(None, "--as-of", help="按此日期判断是否逾期（YYYY-MM-DD，默认今天）")

    @app.command()
    def track(db: Optional[str] = DbOption, as_of: Optional[str] = AsOf,
              full: bool = typer.Option(False, "--full", help="清除已有跟踪结果，全部重新比对"),
              executor: Optional[str] = ExecutorOption, scheduler: Optional[str] = SchedulerOption,
              shards: Optional[int] = typer.Option(None, "--shards", min=1,
                                                   help="按省份分片比对的片数（默认：本进程 1 片，集群每个工作进程 2 片）")
              ) -> None:
        """跟踪落实情况：把督办事项与其后发布的文档比对，更新落实证据和状态（只处理上次运行以来的新内容）。"""
        from ..executor.base import ExecutorError
        from ..store.runs import record_run
        from ..track.tracker import track_store

        date = as_of_date(as_of)
        choice = executor_choice(executor, scheduler)
        database = open_existing(db)
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with runner_for(choice) as runner:
            try:
                counts = track_store(database, as_of=date, full=full, runner=runner, shards=shards)
            except ExecutorError as exc:
                err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False)
                raise typer.Exit(2) from None
        record_run(database, "track", started, counts, [], "ok")
        out.print(f"新读入文档 {counts['new_documents']} 篇，新跟踪督办事项 {counts['new_directives']} 条，"
                  f"新增落实证据 {counts['new_evidence']} 条{via_note(counts.get('new_evidence_by_via'))}。",
                  highlight=False)
        out.print(f"截至 {date.isoformat()}：" + "，".join(
            f"{LABELS[k]} {counts[k]}" for k in ("done", "in_progress", "mentioned", "no_evidence", "overdue")) + "。",
            highlight=False)
        if counts.get("undated_directives"):
            err.print(f"[yellow]提示[/yellow]：{counts['undated_directives']} 条督办事项所在文档没有日期，无法判断哪些文档在其之后。",
                      highlight=False)

    @app.command()
    def followup(source: Path = typer.Argument(..., help="提出督办事项的文档"),
                 more_later: Optional[list[Path]] = typer.Argument(
                     None, help="更多其后的文档（spec 的写法 --later a.txt b.txt 中 a.txt 之后的文件）"),
                 later: list[Path] = typer.Option(..., "--later", help="其后的文档（可多次给出，或在其后列出）"),
                 as_of: Optional[str] = AsOf,
                 format: str = typer.Option("jsonl", "--format", help="jsonl 或 table")) -> None:
        """不写数据库：列出 SOURCE 中每条督办事项在 --later 文档中的落实证据和状态。"""
        from rich.table import Table

        from ..ingest.readers import InputError
        from ..track.follow import followup as run_followup, load

        date = as_of_date(as_of)
        try:
            src = load(source)
        except InputError as exc:
            err.print(f"[red]错误[/red]：{lit(source)}：{lit(exc)}", highlight=False)
            raise typer.Exit(1)
        docs, failed = [], False
        for path in [*later, *(more_later or [])]:
            try:
                docs.append(load(path))
            except InputError as exc:
                failed = True
                err.print(f"[red]错误[/red]：{lit(path)}：{lit(exc)}", highlight=False)
        records = run_followup(src, docs, as_of=date)
        if format == "jsonl":
            for rec in records:
                print(json.dumps(rec, ensure_ascii=False))
        else:
            table = Table("#", "督办事项", "状态", "落实证据", show_lines=True)
            for i, rec in enumerate(records, 1):
                ev = "\n".join(lit(f"[{LABELS[e['status']]}{_via(e)}] {readable(e['text'])}（{Path(e['source']).name}）")
                               for e in rec["evidence"][:3])
                table.add_row(str(i), lit(readable(rec["text"])), LABELS[rec["status"]], ev)
            out.print(table)
        raise typer.Exit(1 if failed else 0)
