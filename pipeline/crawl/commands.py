"""Commands of the crawl stage: demo (and, as they land, crawl and nightly)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table


def register(app: typer.Typer) -> None:
    from ..cli import DEMO_CORPUS, _print_ingest_summary, _report_errors, _run_ingest, out

    @app.command()
    def demo(db: Optional[Path] = typer.Option(None, "--db", help="演示数据库（默认新建于临时目录）")) -> None:
        """在内置演示语料上运行主流程，并打印结果和数据库位置。"""
        db_path = str(db) if db else str(Path(tempfile.mkdtemp(prefix="duban-demo-")) / "duban.db")
        if Path(db_path).exists():
            Path(db_path).unlink()
        t0 = time.perf_counter()
        database, report = _run_ingest([DEMO_CORPUS], db_path)
        _report_errors(report.errors)
        out.print(f"[bold]演示语料[/bold]：{DEMO_CORPUS}（用时 {time.perf_counter() - t0:.1f} 秒）", highlight=False)
        _print_ingest_summary(report, db_path)
        rows = database.execute(
            "SELECT d.title, d.kind, d.date, count(x.id) FROM documents d LEFT JOIN directives x ON x.doc_id = d.id "
            "GROUP BY d.id ORDER BY d.date, d.id").fetchall()
        table = Table("文档", "类型", "日期", "督办事项")
        for title, kind, date, n in rows:
            table.add_row(title or "", kind or "", date or "", str(n))
        out.print(table)
        raise typer.Exit(1 if report.errors else 0)
