"""What every command shares: the consoles, the ``--db`` option, opening the store, error lines.

Kept free of heavy imports (the store, jieba, scikit-learn are imported where a
command runs) so that ``duban --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEMO_CORPUS = PROJECT_ROOT / "corpus" / "demo"

# parser=str: a postgresql:// URL must reach the store as typed (a Path would fold its "//").
DbOption = typer.Option(None, "--db", parser=str,
                        help="数据库文件，或 PostgreSQL 地址 postgresql://用户@主机/库名（默认取环境变量 DUBAN_DB，否则 ./duban.db）")


def db_path(db: Optional[str]) -> str:
    """The store's path or URL: ``--db``, else ``$DUBAN_DB``, else ``./duban.db``.

    Every ``--db`` option is read as text (``parser=str``): a ``Path`` would fold
    the ``//`` of ``postgresql://``.
    """
    from ..store import default_db_path

    return str(db) if db else default_db_path()


def lit(value) -> str:
    """A value from outside (a document's title or text, a party, an address, a path, an error's message) as
    rich prints it: as written. rich reads [b] and [a] in a string as markup and stops at a [/x] that closes
    no tag, and web pages and file names may hold them; the colours around the value stay markup."""
    from rich.markup import escape

    return escape("" if value is None else str(value))


def shown(path: str) -> str:
    """The store's path or URL as messages show it: a URL without its password."""
    from ..store.pg import display_url

    return display_url(path)


def open_db(path: str):
    """Open (creating when missing) and migrate the store: for commands that write."""
    from ..store import open_db as open_store

    return open_store(path)


def open_existing(db: Optional[str]):
    """The store to read; a path that holds none ends the command with its name, never an empty store."""
    from ..store.pg import is_postgres_url

    path = db_path(db)
    if not is_postgres_url(path) and not Path(path).is_file():
        err.print(f"[red]错误[/red]：数据库不存在：{lit(path)}（用 --db 指定数据库文件，或设置环境变量 DUBAN_DB；"
                  "先用 duban ingest 或 duban nightly 建立）", highlight=False)
        raise typer.Exit(2)
    return open_db(path)


def report_errors(errors: list[tuple[str, str]]) -> None:
    """One plain line per failed file, never wrapped: a file name must stay greppable in a cron log."""
    for path, reason in errors:
        print(f"错误：{path}：{reason}", file=sys.stderr)


def as_of_date(value: Optional[str]):
    """The ``--as-of`` day (YYYY-MM-DD), today when not given: when statuses and overdue are judged."""
    import datetime as dt

    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from None
