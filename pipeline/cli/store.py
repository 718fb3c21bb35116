"""``duban store``: the store itself — copying it into PostgreSQL (or back into a file).

Presentation only: the copy is :func:`pipeline.store.copy.copy_store`; the full-text
index of the target is built here afterwards, because the store knows no stage.
"""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    from .common import err, lit, out

    store_app = typer.Typer(no_args_is_help=True,
                            help="数据库本身：把 SQLite 数据库文件复制到共用的 PostgreSQL 数据库（或复制回文件）。")
    app.add_typer(store_app, name="store")

    @store_app.command("copy")
    def copy(source: str = typer.Option(..., "--from", help="源数据库：文件（如 duban.db）或 postgresql://… 地址"),
             target: str = typer.Option(..., "--to",
                                        help="目标数据库：postgresql://用户@主机/库名（须为空库），或新的数据库文件")) -> None:
        """复制整个数据库：全部表、编号不变（文档编号、事项编号照旧），之后建立目标库的全文索引。"""
        from ..search.index import update_index
        from ..store import open_db
        from ..store.copy import StoreCopyError, copy_store
        from ..store.pg import display_url, is_postgres_url

        if not is_postgres_url(source) and not Path(source).is_file():
            err.print(f"[red]错误[/red]：源数据库不存在：{lit(source)}", highlight=False)
            raise typer.Exit(2)
        shown = display_url(target) if is_postgres_url(target) else target

        def progress(table: str, rows: int) -> None:
            err.print(f"  {table}：{rows} 行", highlight=False)

        try:
            counts = copy_store(source, target, on_table=progress)
        except StoreCopyError as exc:
            err.print(f"[red]错误[/red]：{lit(exc)}", highlight=False)
            raise typer.Exit(2) from None
        database = open_db(target)
        try:
            indexed = update_index(database)
        finally:
            database.conn.close()
        out.print(f"已复制 {len(counts)} 张表、{sum(counts.values())} 行到 {lit(shown)}"
                  f"（文档 {counts.get('documents', 0)} 篇，督办事项 {counts.get('directives', 0)} 条）；"
                  f"已建立全文索引（事项 {indexed['directives']} 条，文档 {indexed['documents']} 篇）。",
                  highlight=False, soft_wrap=True)
