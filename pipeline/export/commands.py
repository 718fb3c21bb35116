"""``duban export``: the follow-up sheet (督办台账) for the same query and filters as ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    from ..cli import DbOption, _db_path, err, out
    from ..search.commands import KIND_HELP, PARTY_HELP, PLACE_HELP, SECTOR_HELP, STATUS_HELP, filters_from, join_query

    @app.command()
    def export(
        query: Optional[list[str]] = typer.Argument(None, help="检索式（可省略：导出筛选条件下的全部事项）"),
        out_file: Path = typer.Option(..., "--out", help="输出文件：.xlsx 或 .csv"),
        sector: Optional[str] = typer.Option(None, "--sector", help=SECTOR_HELP),
        party: Optional[str] = typer.Option(None, "--party", help=PARTY_HELP),
        place: Optional[str] = typer.Option(None, "--place", help=PLACE_HELP),
        status: Optional[str] = typer.Option(None, "--status", help=STATUS_HELP),
        date_from: Optional[str] = typer.Option(None, "--from", help="文件日期不早于（YYYY-MM-DD）"),
        date_to: Optional[str] = typer.Option(None, "--to", help="文件日期不晚于（YYYY-MM-DD）"),
        due_before: Optional[str] = typer.Option(None, "--due-before", help="完成时限不晚于（YYYY-MM-DD）"),
        kind: Optional[str] = typer.Option(None, "--kind", help=KIND_HELP),
        include_rejected: bool = typer.Option(False, "--include-rejected", help="包括人工否决的事项"),
        limit: int = typer.Option(100_000, "--limit", min=1, help="最多导出多少条"),
        db: Optional[Path] = DbOption,
    ) -> None:
        """导出督办台账（Excel 或 CSV），筛选条件与 search 相同。"""
        from ..search.query import QuerySyntaxError
        from ..store import open_db
        from .writers import export as run_export

        suffix = out_file.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            err.print("[red]错误[/red]：--out 的文件名应以 .xlsx 或 .csv 结尾", highlight=False)
            raise typer.Exit(2)
        filters = filters_from(sector, party, place, status, date_from, date_to, due_before, kind, include_rejected)
        query = join_query(query)
        database = open_db(_db_path(db))
        if out_file.parent and not out_file.parent.exists():
            out_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            n = run_export(database, str(out_file), suffix[1:], query, filters, limit=limit)
        except QuerySyntaxError as exc:
            err.print(f"[red]检索式有误[/red]：{exc}", highlight=False)
            raise typer.Exit(2)
        out.print(f"已导出 {n} 条督办事项：{out_file}", highlight=False, soft_wrap=True)
