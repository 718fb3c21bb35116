"""Copying a whole store to another: a SQLite file into PostgreSQL (or back).

An office that outgrows its file moves to a shared PostgreSQL database without
losing anything: every table is copied with its ids, so the numbers people
know (文档编号, 事项编号 in the sheets they exported) and every reference
between rows stay the same. Both stores are opened through ``open_db``, so
both are at the current schema step first, and the copy runs through the same
interface every stage uses — hence in both directions.

What is not copied is what the target rebuilds itself: the full-text index
(FTS5 in SQLite, tsvectors in PostgreSQL) and its queue. The target's triggers
queue every copied directive and document, and the caller (``duban store
copy``) builds the index after the copy.

The copy is one transaction with the foreign keys checked at its end (a
document may point at a newer version, inserted after it); the identity
sequences of the target are then moved past the copied ids.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from typing import Any

from .dialect import is_postgres

__all__ = ["StoreCopyError", "copy_store", "copied_tables"]

BATCH = 500
# Rebuilt by the target, never copied: the full-text index, its queue and what built it, the adapter's meta.
NOT_COPIED_PREFIXES = ("directives_fts", "documents_fts", "sqlite_")
NOT_COPIED = {"search_pending", "search_meta", "duban_meta"}


class StoreCopyError(ValueError):
    """A copy that cannot be made (message in Chinese)."""


def copied_tables(db) -> list[str]:
    """The tables of ``db`` that a copy carries, referenced tables before the tables that refer to them."""
    names = [t for t in db.table_names() if t not in NOT_COPIED and not t.startswith(NOT_COPIED_PREFIXES)]
    deps = {t: _references(db, t) & set(names) - {t} for t in names}
    ordered: list[str] = []
    while deps:
        ready = sorted(t for t, d in deps.items() if not d - set(ordered))
        if not ready:                       # a cycle: the deferred constraints take care of it
            ready = sorted(deps)
        for t in ready:
            ordered.append(t)
            deps.pop(t)
    return ordered


def _references(db, table: str) -> set[str]:
    if is_postgres(db):
        return {r[0] for r in db.execute(
            "SELECT DISTINCT ccu.table_name::text FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
            "AND ccu.constraint_schema = tc.constraint_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?",
            [table]).fetchall()}
    return {r[2] for r in db.execute(f"PRAGMA foreign_key_list({_quote(table)})").fetchall()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(db, table: str) -> dict[str, str]:
    """Column name → declared type (upper case)."""
    return {r[1]: (r[2] or "").upper() for r in db.execute(f"PRAGMA table_info({_quote(table)})").fetchall()}


def _has_rowid(db, table: str) -> bool:
    """Whether SQLite's implicit rowid can be read (not a WITHOUT ROWID table)."""
    if is_postgres(db):
        return "rowid" in _columns(db, table)
    try:
        db.execute(f"SELECT rowid FROM {_quote(table)} LIMIT 0").fetchall()
        return True
    except sqlite3.OperationalError:
        return False


def _coerce(value: Any, kind: str) -> Any:
    """A SQLite value (typed per row, not per column) as the target column's type wants it."""
    if value is None:
        return None
    if kind in ("BIGINT", "INTEGER", "SMALLINT") and isinstance(value, (str, float)):
        try:
            return int(value)
        except ValueError:
            return value
    if kind.startswith("DOUBLE") and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if kind.startswith(("TEXT", "CHARACTER")) and isinstance(value, (int, float)):
        return str(value)
    if kind == "TEXT" and isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if kind == "BYTEA" and isinstance(value, str):
        return value.encode("utf-8")
    return value


def _check_empty(target, tables: list[str]) -> None:
    for table in tables:
        if target.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone():
            raise StoreCopyError(f"目标数据库不是空的（表 {table} 已有数据）：请复制到新建的空数据库")


def copy_store(source: str | os.PathLike, target: str | os.PathLike,
               on_table: Callable[[str, int], object] | None = None, batch: int = BATCH) -> dict[str, int]:
    """Copy every table of ``source`` into the empty store ``target``, ids kept; rows per table.

    ``on_table(name, rows)`` is called after each table (for progress). The
    target's full-text index is left to be built (its queue holds everything).
    """
    from .db import open_db

    if os.fspath(source) == os.fspath(target):
        raise StoreCopyError("源数据库和目标数据库是同一个")
    src = open_db(source)
    try:
        dst = open_db(target)
    except BaseException:
        src.conn.close()
        raise
    try:
        return _copy(src, dst, on_table, batch)
    finally:
        src.conn.close()
        dst.conn.close()


def _copy(src, dst, on_table: Callable[[str, int], object] | None, batch: int) -> dict[str, int]:
    target_tables = set(dst.table_names())
    tables = [t for t in copied_tables(src) if t in target_tables]
    missing = [t for t in copied_tables(src) if t not in target_tables]
    if missing:
        raise StoreCopyError(f"目标数据库缺少这些表：{'、'.join(missing)}（两边的 duban 版本不同？）")
    _check_empty(dst, tables)
    counts: dict[str, int] = {}
    dst.execute("BEGIN")
    try:
        dst.execute("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            counts[table] = _copy_table(src, dst, table, batch)
            if on_table is not None:
                on_table(table, counts[table])
        dst.conn.commit()
    except BaseException:
        dst.conn.rollback()
        raise
    if is_postgres(dst):
        dst.sync_sequences()
    return counts


def _copy_table(src, dst, table: str, batch: int) -> int:
    source_columns = _columns(src, table)
    target_columns = _columns(dst, table)
    names = [c for c in source_columns if c in target_columns]
    # SQLite's implicit rowid (insertion order, which ORDER BY rowid reads) becomes PostgreSQL's rowid column.
    if "rowid" in target_columns and "rowid" not in names and not is_postgres(src) and _has_rowid(src, table):
        names.append("rowid")
    if "id" in names:
        order = " ORDER BY id"
    elif _has_rowid(src, table):
        order = " ORDER BY rowid"
    else:
        order = ""
    kinds = [target_columns.get(c, "") for c in names]
    column_list = ", ".join(_quote(c) for c in names)
    select = f"SELECT {column_list} FROM {_quote(table)}{order}"
    insert = f"INSERT INTO {_quote(table)} ({column_list}) VALUES ({', '.join('?' * len(names))})"
    cursor = src.execute(select)
    n = 0
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return n
        dst.conn.executemany(insert, [[_coerce(v, k) for v, k in zip(row, kinds)] for row in rows])
        n += len(rows)
