"""``duban export``: the follow-up sheet (督办台账) for the same query and filters as ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    from .common import DbOption, err, lit, open_existing, out
    from .search import (AllTopicsOption, DueBeforeOption, FromOption, IncludeRejectedOption, KindOption,
                                   PartyOption, PlaceOption, SectorOption, StatusOption, ToOption, filters_from,
                                   join_query)

    @app.command()
    def export(
        query: Optional[list[str]] = typer.Argument(None, help="检索式（可省略：导出筛选条件下的全部事项）"),
        out_file: Path = typer.Option(..., "--out", help="输出文件：.xlsx 或 .csv"),
        sector: Optional[str] = SectorOption,
        party: Optional[str] = PartyOption,
        place: Optional[str] = PlaceOption,
        status: Optional[str] = StatusOption,
        date_from: Optional[str] = FromOption,
        date_to: Optional[str] = ToOption,
        due_before: Optional[str] = DueBeforeOption,
        kind: Optional[str] = KindOption,
        include_rejected: bool = IncludeRejectedOption,
        all_topics: bool = AllTopicsOption,
        limit: int = typer.Option(100_000, "--limit", min=1, help="最多导出多少条"),
        db: Optional[str] = DbOption,
    ) -> None:
        """导出督办台账（Excel 或 CSV），筛选条件与 search 相同。"""
        from ..search.query import QuerySyntaxError
        from ..export.writers import export as run_export

        suffix = out_file.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            err.print("[red]错误[/red]：--out 的文件名应以 .xlsx 或 .csv 结尾", highlight=False)
            raise typer.Exit(2)
        filters = filters_from(sector, party, place, status, date_from, date_to, due_before, kind, include_rejected,
                               all_topics)
        query = join_query(query)
        database = open_existing(db)
        try:
            if out_file.parent and not out_file.parent.exists():
                out_file.parent.mkdir(parents=True, exist_ok=True)
            n = run_export(database, str(out_file), suffix[1:], query, filters, limit=limit)
        except QuerySyntaxError as exc:
            err.print(f"[red]检索式有误[/red]：{lit(exc)}", highlight=False)
            raise typer.Exit(2)
        except OSError as exc:
            err.print(f"[red]错误[/red]：无法写入 {lit(out_file)}（{lit(exc.strerror or exc)}）；请换一个可写的位置，"
                      "或先关闭已在 Excel 中打开的同名文件", highlight=False)
            raise typer.Exit(2)
        out.print(f"已导出 {n} 条督办事项：{lit(out_file)}", highlight=False, soft_wrap=True)
