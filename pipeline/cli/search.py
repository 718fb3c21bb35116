"""``duban search``: full-text search over directives (or documents) from the terminal."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer

from ..parse.textnorm import readable
from ..search.engine import FilterError, Filters
from ..search.query import QuerySyntaxError
from .common import lit

SECTOR_HELP = "按涉及领域筛选（如 消防、危险化学品；同义词亦可，如 危化品）"
PARTY_HELP = "按责任单位筛选（包含该文字即可，如 住建）"
PLACE_HELP = "按地点筛选（如 临汾）"
STATUS_HELP = "按落实状态筛选：已完成 推进中 再部署 未见反馈 已逾期（或 done in_progress mentioned no_evidence overdue）"
KIND_HELP = "按文档类型筛选：讲话 通知 规划/方案 报告 新闻 访谈（或 speech notice plan report news interview）"

# The filter options, declared once: ``search`` and ``export`` take the same filters (as DbOption is shared).
SectorOption = typer.Option(None, "--sector", help=SECTOR_HELP)
PartyOption = typer.Option(None, "--party", help=PARTY_HELP)
PlaceOption = typer.Option(None, "--place", help=PLACE_HELP)
StatusOption = typer.Option(None, "--status", help=STATUS_HELP)
FromOption = typer.Option(None, "--from", help="文件日期不早于（YYYY-MM-DD）")
ToOption = typer.Option(None, "--to", help="文件日期不晚于（YYYY-MM-DD）")
DueBeforeOption = typer.Option(None, "--due-before", help="完成时限不晚于（YYYY-MM-DD）")
KindOption = typer.Option(None, "--kind", help=KIND_HELP)
IncludeRejectedOption = typer.Option(False, "--include-rejected", help="包括人工否决的事项")
AllTopicsOption = typer.Option(False, "--all", help="包括非安全生产事项（如工作报告中的经济、社会任务）")


def filters_from(sector: str | None, party: str | None, place: str | None, status: str | None,
                 date_from: str | None, date_to: str | None, due_before: str | None, kind: str | None,
                 include_rejected: bool = False, all_topics: bool = False) -> Filters:
    """Filters from command-line options; a bad value ends the command with a message, exit 2."""
    from .common import err

    try:
        return Filters(sector=sector, party=party, place=place, status=status, date_from=date_from, date_to=date_to,
                       due_before=due_before, kind=kind, include_rejected=include_rejected, all_topics=all_topics)
    except FilterError as exc:
        err.print(f"[red]筛选条件有误[/red]：{lit(exc)}", highlight=False)
        raise typer.Exit(2)


# An argument that holds the query language's own words or signs is a query, not a phrase.
QUERY_SYNTAX = re.compile(r"(?:^|\s)(?:OR|NOT|或|非|\||-\S)|[()]")


def join_query(parts: list[str] | None) -> str:
    """The words given on the command line, as one query.

    An argument with spaces is a phrase (``duban search "隐患 排查"``), unless it
    is written in the query language (``duban search "燃气 NOT 演练"``, ``"燃气 OR 消防"``):
    people quote the whole query as often as a phrase, and a phrase never holds OR or NOT.
    """
    return " ".join(f'"{p}"' if (" " in p.strip() and '"' not in p and not QUERY_SYNTAX.search(p)) else p
                    for p in (parts or []))


def register(app: typer.Typer) -> None:
    from .common import DbOption, err, open_existing, out

    @app.command()
    def search(
        query: Optional[list[str]] = typer.Argument(None, help='检索式：空格分隔表示同时包含；OR 表示或；-词 表示排除；"短语"'),
        sector: Optional[str] = SectorOption,
        party: Optional[str] = PartyOption,
        place: Optional[str] = PlaceOption,
        status: Optional[str] = StatusOption,
        date_from: Optional[str] = FromOption,
        date_to: Optional[str] = ToOption,
        due_before: Optional[str] = DueBeforeOption,
        kind: Optional[str] = KindOption,
        limit: int = typer.Option(20, "--limit", min=1, max=10000, help="最多显示多少条"),
        format: str = typer.Option("table", "--format", help="table、json 或 csv"),
        documents: bool = typer.Option(False, "--documents", help="检索文档而不是督办事项"),
        include_rejected: bool = IncludeRejectedOption,
        all_topics: bool = AllTopicsOption,
        db: Optional[str] = DbOption,
    ) -> None:
        """全文检索督办事项（或文档），按相关度排序，表格中高亮命中的词。"""
        from ..search.engine import search as run_search, search_documents

        if format not in ("table", "json", "csv"):
            err.print("[red]错误[/red]：--format 只能是 table、json 或 csv", highlight=False)
            raise typer.Exit(2)
        filters = filters_from(sector, party, place, status, date_from, date_to, due_before, kind, include_rejected,
                               all_topics)
        query = join_query(query)
        database = open_existing(db)
        try:
            if documents:
                hits, terms = search_documents(database, query, filters, limit=limit)
                _print_documents(hits, terms, format, out)
                return
            result = run_search(database, query, filters, limit=limit)
        except QuerySyntaxError as exc:
            err.print(f"[red]检索式有误[/red]：{lit(exc)}", highlight=False)
            raise typer.Exit(2)
        if format == "json":
            print(json.dumps([r.as_json() | {"rank": r.rank} for r in result.hits], ensure_ascii=False, indent=1))
        elif format == "csv":
            from ..export.sheet import HEADERS, rows

            writer = csv.writer(sys.stdout)
            writer.writerow(HEADERS)
            writer.writerows(rows(result.hits))
        else:
            _print_table(result, out, err)


def _print_table(result, out, err) -> None:
    from rich.table import Table

    from ..search.highlight import to_rich

    if result.capped:
        from ..search.engine import CAP

        err.print(f"匹配的事项很多：以下是最近入库的 {CAP} 条匹配中相关度最高的，可加词或用筛选条件缩小范围。",
                  highlight=False)
    if result.relaxed:
        err.print("没有同时包含全部词语的事项，以下按相关度列出包含部分词语的事项。", highlight=False)
    if not result.hits:
        out.print("没有找到符合条件的督办事项。", highlight=False)
        return
    # At 80 columns seven columns leave each a few characters: the narrow layout keeps the task, its
    # deadline and status as columns and puts who, sector and source under the task.
    wide = out.width >= 120
    table = Table(show_lines=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("督办事项", ratio=5, overflow="fold", min_width=20)
    if wide:
        for name in ("责任单位", "领域"):
            table.add_column(name, ratio=1, overflow="fold")
    table.add_column("时限", ratio=1, overflow="fold", min_width=8)
    table.add_column("状态", no_wrap=True)
    if wide:
        table.add_column("来源", ratio=2, overflow="fold")
    for r in result.hits:
        deadline = lit(readable(r.deadline_text))
        if r.deadline_date:
            deadline += f"（{r.deadline_date}）"
        heading = " › ".join(r.heading_path[-2:])
        text = to_rich(readable(r.text), result.terms)
        if heading:
            text += f"\n[dim]{to_rich(heading, result.terms, 'bold yellow')}[/dim]"
        status = r.status_label + ("（人工）" if r.status_override else "")
        title = readable(r.title) or Path(r.source).name
        parties = "、".join(map(readable, r.parties))
        if wide:
            table.add_row(str(r.id), text, lit(parties), "、".join(r.sectors), deadline, status,
                          lit(f"{title}\n{r.doc_date or ''}"))
        else:
            who = "　".join(x for x in (parties, "、".join(r.sectors)) if x)
            source = f"{title} {r.doc_date or ''}".strip()
            text += "\n" + "\n".join(f"[dim]{lit(x)}[/dim]" for x in (who, source) if x)
            table.add_row(str(r.id), text, deadline, status)
    out.print(table)


def _print_documents(hits, terms, format: str, out) -> None:
    from rich.table import Table

    from ..search.highlight import to_rich

    keys = ["id", "title", "date", "kind", "place", "source", "directives", "snippet"]
    if format == "json":
        print(json.dumps([{k: getattr(h, k) for k in keys} for h in hits], ensure_ascii=False, indent=1))
        return
    if format == "csv":
        from ..export.sheet import neutralise

        writer = csv.writer(sys.stdout)
        writer.writerow(["编号", "标题", "日期", "类型", "地点", "来源", "督办事项数", "摘录"])
        for h in hits:
            writer.writerow([neutralise(getattr(h, k)) for k in keys])
        return
    if not hits:
        out.print("没有找到符合条件的文档。", highlight=False)
        return
    table = Table(show_lines=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("标题", ratio=2, overflow="fold")
    table.add_column("日期", no_wrap=True)
    table.add_column("摘录", ratio=4, overflow="fold")
    table.add_column("督办事项", no_wrap=True)
    for h in hits:
        table.add_row(str(h.id), lit(readable(h.title) or Path(h.source).name), h.date or "",
                      to_rich(readable(h.snippet).replace("\n", " "), terms), str(h.directives))
    out.print(table)
