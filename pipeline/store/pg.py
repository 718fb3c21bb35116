"""The store in PostgreSQL, behind the interface the stages already use on SQLite.

An office that shares one store among several people runs it in PostgreSQL
(``--db postgresql://user@host/dbname``). The stages were written against
sqlite3 and sqlite-utils: ``db.execute``, ``db.conn.execute/executemany``,
``with db.conn:``, ``cursor.lastrowid``, ``?`` placeholders. Rewriting 244 call
sites for a second database would leave two code paths to keep in step, so this
module gives a psycopg 3 connection that interface instead:

- every statement goes through :func:`.dialect.translate` (placeholders, NULL
  order, INSERT OR …, column types of CREATE TABLE);
- transactions behave as in Python's sqlite3: autocommit until a data change
  (INSERT/UPDATE/DELETE) opens one, ``with db.conn:`` commits or rolls back, and
  ``BEGIN IMMEDIATE`` — which in SQLite takes the store's write lock — takes a
  transaction-scoped advisory lock, so the steps that count on being the only
  writer (schema migrations, the search index's queue) stay serialised;
- ``cursor.lastrowid`` comes from ``RETURNING id``, added to an INSERT into a
  table that has an ``id`` column;
- ``PRAGMA user_version`` is kept in a small ``duban_meta`` table, ``PRAGMA
  table_info`` reads the catalog, ``PRAGMA defer_foreign_keys`` defers the
  constraints, other pragmas do nothing;
- a few SQLite functions the SQL uses (``instr``, ``json_extract``, ``json_each``
  over text) and a case-insensitive collation ``nocase`` are created once in the
  database, so those statements need no second form;
- psycopg's errors are raised as sqlite3's of the same kind, so the stages'
  ``except sqlite3.IntegrityError`` hold for both stores.

The store imports no stage; the full-text search, which differs in kind
(FTS5 against tsvector), lives with the search stage behind ``db.dialect``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .dialect import Statement, split_statements, translate

__all__ = ["PgConnection", "PgDatabase", "PgConnectError", "WRITE_LOCK_KEY", "RUN_LOCK_KEY", "connect",
           "display_url", "is_postgres_url"]

URL_PREFIXES = ("postgresql://", "postgres://")

# Advisory lock keys (per database): the writers' lock of BEGIN IMMEDIATE, and the run lock of crawl/nightly.
WRITE_LOCK_KEY = 0x6475_6261_6E00_0001
RUN_LOCK_KEY = 0x6475_6261_6E00_0002

# Bump when COMPAT_SQL changes: a store made by an older duban gets the new functions on open.
COMPAT_VERSION = "1"

COMPAT_SQL = [
    "CREATE TABLE IF NOT EXISTS duban_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # instr(a, b): SQLite's substring position (1-based, 0 when absent).
    "CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS integer "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$",
    # json_extract(doc, '$.a.b'): the paths the SQL uses are plain member paths.
    "CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
    "$$ SELECT doc::json #>> string_to_array(nullif(substr(path, 3), ''), '.') $$",
    # json_each(text): the rows of a JSON array (key = index) or object, values as text — the
    # built-in takes json and returns json values, which would not compare with a bound string.
    "CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE (key text, value text) "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT (e.ord - 1)::text, e.v FROM json_array_elements_text(CASE WHEN json_typeof(doc::json) = 'array' "
    "THEN doc::json ELSE '[]'::json END) WITH ORDINALITY AS e(v, ord) "
    "UNION ALL SELECT o.key, o.value FROM json_each_text(CASE WHEN json_typeof(doc::json) = 'object' "
    "THEN doc::json ELSE '{}'::json END) AS o $$",
]
# SQLite's NOCASE (user names): ICU's case-insensitive comparison where the server has ICU.
NOCASE_ICU = ("CREATE COLLATION IF NOT EXISTS nocase "
              "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)")
NOCASE_FALLBACK = 'CREATE COLLATION IF NOT EXISTS nocase FROM "C"'


def is_postgres_url(target: object) -> bool:
    """Whether ``--db`` names a PostgreSQL database rather than a file."""
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


class PgConnectError(sqlite3.OperationalError, ConnectionError):
    """The server could not be reached or refused us (a user's error: message in Chinese)."""


def _as_sqlite_error(exc: Exception) -> sqlite3.Error:
    """psycopg's error as sqlite3's of the same kind (SQL errors are OperationalError in sqlite3)."""
    import psycopg

    kinds = ((psycopg.IntegrityError, sqlite3.IntegrityError), (psycopg.DataError, sqlite3.DataError),
             (psycopg.NotSupportedError, sqlite3.NotSupportedError), (psycopg.InternalError, sqlite3.InternalError),
             (psycopg.InterfaceError, sqlite3.InterfaceError))
    for theirs, ours in kinds:
        if isinstance(exc, theirs):
            return ours(str(exc).strip())
    return sqlite3.OperationalError(str(exc).strip())


def connect(url: str, **kwargs: Any):
    """A raw psycopg connection (autocommit), str bound as text like SQLite's TEXT."""
    try:
        import psycopg
        from psycopg.types.string import StrDumper
    except ImportError:
        raise PgConnectError("使用 PostgreSQL 数据库需要 psycopg：pip install 'duban[postgres]'"
                             "（或 pip install 'psycopg[binary]'）") from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=int(os.environ.get("DUBAN_PG_TIMEOUT", "10")),
                              application_name="duban", **kwargs)
    except psycopg.Error as exc:
        raise PgConnectError(f"无法连接 PostgreSQL 数据库 {display_url(url)}：{str(exc).strip()}") from None
    raw.adapters.register_dumper(str, StrDumper)
    return raw


def _param(value: Any) -> Any:
    """One bound value as SQLite would store it: booleans as integers; text without NUL (which
    PostgreSQL's text cannot hold) — replaced by U+FFFD, so character offsets stay right."""
    if value is True or value is False:
        return int(value)
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _params(params: Sequence[Any] | None) -> list[Any]:
    return [_param(v) for v in params] if params else []


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PgCursor:
    """What the stages read from a cursor: rows, ``rowcount`` and ``lastrowid``."""

    def __init__(self, raw: Any = None, rows: list[tuple] | None = None, rowcount: int = -1,
                 lastrowid: int | None = None) -> None:
        self._raw = raw
        self._rows = rows
        self.rowcount = rowcount if raw is None else raw.rowcount
        self.lastrowid = lastrowid

    @property
    def description(self):
        return self._raw.description if self._raw is not None else None

    def fetchone(self) -> tuple | None:
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        if self._raw is None or self._raw.description is None:
            return None
        return self._raw.fetchone()

    def fetchall(self) -> list[tuple]:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        if self._raw is None or self._raw.description is None:
            return []
        return self._raw.fetchall()

    def fetchmany(self, size: int = 1) -> list[tuple]:
        if self._rows is not None:
            rows, self._rows = self._rows[:size], self._rows[size:]
            return rows
        if self._raw is None or self._raw.description is None:
            return []
        return self._raw.fetchmany(size)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


_PRAGMA = re.compile(r"^\s*PRAGMA\s+(?:\w+\.)?(\w+)\s*(?:=\s*(.+?)|\(\s*['\"]?([\w.]+)['\"]?\s*\))?\s*;?\s*$",
                     re.IGNORECASE | re.DOTALL)


class PgConnection:
    """A psycopg connection that behaves towards the stages as a ``sqlite3.Connection``."""

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._id_tables: set[str] | None = None
        self._keys: dict[str, list[tuple[str, ...]]] = {}
        self._columns: dict[str, list[str]] = {}

    # -- transactions, as Python's sqlite3 runs them --------------------------------------------
    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def _begin(self, immediate: bool = False) -> None:
        self.raw.execute("BEGIN")
        if immediate:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])

    def commit(self) -> None:
        if self.in_transaction:
            try:
                self.raw.execute("COMMIT")
            except Exception as exc:
                raise _as_sqlite_error(exc) from exc

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> "PgConnection":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            self.commit()
        else:
            self.rollback()
        return False

    # -- what the connection knows of the schema (forgotten on DDL) -----------------------------
    def _forget_schema(self) -> None:
        self._id_tables = None
        self._keys.clear()
        self._columns.clear()

    def _has_id(self, table: str) -> bool:
        if self._id_tables is None:
            self._id_tables = {r[0] for r in self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id'").fetchall()}
        return table in self._id_tables

    def table_columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = [r[0] for r in self.raw.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s ORDER BY ordinal_position", [table]).fetchall()]
        return self._columns[table]

    def unique_keys(self, table: str) -> list[tuple[str, ...]]:
        """The table's primary key, then its unique constraints and indexes (column names)."""
        if table not in self._keys:
            rows = self.raw.execute(
                "SELECT i.indisprimary, array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i "
                "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE i.indrelid = to_regclass(%s) AND i.indisunique AND i.indpred IS NULL "
                "GROUP BY i.indexrelid, i.indisprimary ORDER BY i.indisprimary DESC, i.indexrelid",
                [_quote(table)]).fetchall()
            self._keys[table] = [tuple(r[1]) for r in rows]
        return self._keys[table]

    def _finish(self, stmt: Statement, sql: str, single: bool) -> tuple[str, bool]:
        """The statement with its upsert and RETURNING id; whether the ids come back."""
        if stmt.verb != "INSERT" or stmt.table is None:
            return sql, False
        if stmt.conflict == "ignore":
            sql += " ON CONFLICT DO NOTHING"
        elif stmt.conflict == "replace":
            columns = list(stmt.columns) or self.table_columns(stmt.table)
            keys = self.unique_keys(stmt.table)
            key = next((k for k in keys if set(k) <= set(columns)), keys[0] if keys else None)
            if key is None:
                raise sqlite3.OperationalError(f"INSERT OR REPLACE：表 {stmt.table} 没有主键或唯一约束")
            rest = [c for c in columns if c not in key]
            sql += f" ON CONFLICT ({', '.join(_quote(k) for k in key)}) DO " + (
                "UPDATE SET " + ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in rest) if rest else "NOTHING")
        if single and not stmt.returning and self._has_id(stmt.table):
            return sql + " RETURNING id", True
        return sql, False

    # -- statements -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        stmt = translate(sql)
        verb = stmt.verb
        if verb == "PRAGMA":
            return self._pragma(sql)
        if verb in ("BEGIN", "COMMIT", "END", "ROLLBACK") and "TO" not in sql.upper().split():
            return self._transaction(verb, sql)
        bound = _params(params)
        if verb in ("INSERT", "UPDATE", "DELETE") and not self.in_transaction:
            self._begin()
        text, returns_id = self._finish(stmt, stmt.sql if bound or stmt.params else stmt.plain, single=True)
        try:
            cur = self.raw.cursor()
            cur.execute(text, bound if (bound or stmt.params) else None)
        except Exception as exc:
            raise _as_sqlite_error(exc) from exc
        finally:
            if stmt.ddl:
                self._forget_schema()
        if returns_id:
            ids = cur.fetchall()
            return PgCursor(rows=[], rowcount=cur.rowcount, lastrowid=ids[-1][0] if ids else None)
        return PgCursor(cur)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        stmt = translate(sql)
        rows = [_params(p) for p in seq]
        if stmt.verb in ("INSERT", "UPDATE", "DELETE") and not self.in_transaction:
            self._begin()
        text, _ = self._finish(stmt, stmt.sql, single=False)
        cur = self.raw.cursor()
        if not rows:
            return PgCursor(rows=[], rowcount=0)
        try:
            cur.executemany(text, rows)
        except Exception as exc:
            raise _as_sqlite_error(exc) from exc
        return PgCursor(rows=[], rowcount=cur.rowcount)

    def executescript(self, script: str) -> PgCursor:
        for statement in split_statements(script):
            self.execute(statement)
        return PgCursor(rows=[])

    def _transaction(self, verb: str, sql: str) -> PgCursor:
        if verb == "BEGIN":
            if self.in_transaction:
                raise sqlite3.OperationalError("cannot start a transaction within a transaction")
            words = sql.upper().split()
            self._begin(immediate="IMMEDIATE" in words or "EXCLUSIVE" in words)
        elif verb in ("COMMIT", "END"):
            self.commit()
        else:
            self.rollback()
        return PgCursor(rows=[])

    def _pragma(self, sql: str) -> PgCursor:
        m = _PRAGMA.match(sql)
        if not m:
            return PgCursor(rows=[])
        name, value, arg = m.group(1).lower(), m.group(2), m.group(3)
        if name == "user_version":
            if value is None:
                row = self.raw.execute("SELECT value FROM duban_meta WHERE key = 'user_version'").fetchone()
                return PgCursor(rows=[(int(row[0]) if row else 0,)])
            self.raw.execute(
                "INSERT INTO duban_meta (key, value) VALUES ('user_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [str(int(value))])
            return PgCursor(rows=[])
        if name == "table_info" and arg:
            rows = self.raw.execute(
                "SELECT ordinal_position - 1, column_name::text, upper(data_type::text), "
                "(is_nullable = 'NO')::int, column_default::text, 0 FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                [arg]).fetchall()
            return PgCursor(rows=[tuple(r) for r in rows])
        if name == "defer_foreign_keys" and value and value.strip().upper() in ("ON", "1", "TRUE"):
            if self.in_transaction:
                self.raw.execute("SET CONSTRAINTS ALL DEFERRED")
            return PgCursor(rows=[])
        return PgCursor(rows=[])        # journal_mode, foreign_keys, busy_timeout …: nothing to do here


class _Table:
    """``db[name].columns_dict``, as sqlite-utils gives it (the migrations ask for it)."""

    def __init__(self, db: "PgDatabase", name: str) -> None:
        self.db, self.name = db, name

    @property
    def columns_dict(self) -> dict[str, str]:
        return {r[1]: r[2] for r in self.db.execute(f"PRAGMA table_info({self.name})").fetchall()}

    def exists(self) -> bool:
        return self.name in self.db.table_names()


class PgDatabase:
    """The store in PostgreSQL: ``db.execute``, ``db.conn``, ``db.table_names()``, ``db[name]``."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = PgConnection(connect(url))
        self._prepare()

    def __repr__(self) -> str:
        return f"<PgDatabase {display_url(self.url)}>"

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        return self.conn.execute(sql, params)

    def executescript(self, script: str) -> PgCursor:
        return self.conn.executescript(script)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.raw.execute(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]

    def __getitem__(self, name: str) -> _Table:
        return _Table(self, name)

    def close(self) -> None:
        self.conn.close()

    def _prepare(self) -> None:
        """The SQLite functions, the collation and ``duban_meta``, once per database (and per COMPAT_VERSION)."""
        raw = self.conn.raw
        if self._compat_version() == COMPAT_VERSION:
            return
        try:
            self.conn._begin(immediate=True)
            if self._compat_version() != COMPAT_VERSION:
                for statement in COMPAT_SQL:
                    raw.execute(statement)
                raw.execute("SAVEPOINT nocase")
                try:
                    raw.execute(NOCASE_ICU)
                except Exception:       # a server built without ICU: names compare case-sensitively
                    raw.execute("ROLLBACK TO SAVEPOINT nocase")
                    raw.execute(NOCASE_FALLBACK)
                raw.execute("INSERT INTO duban_meta (key, value) VALUES ('compat', %s) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [COMPAT_VERSION])
            raw.execute("COMMIT")
        except Exception as exc:
            self.conn.rollback()
            raise PgConnectError(f"无法在 PostgreSQL 数据库 {display_url(self.url)} 中建立 duban 的表和函数"
                                 f"（需要该库的建表权限，通常应是库的所有者）：{str(exc).strip()}") from exc

    def _compat_version(self) -> str | None:
        raw = self.conn.raw
        if raw.execute("SELECT to_regclass('duban_meta')").fetchone()[0] is None:
            return None
        row = raw.execute("SELECT value FROM duban_meta WHERE key = 'compat'").fetchone()
        return row[0] if row else None

    def sync_sequences(self) -> None:
        """Move every identity column's sequence past the largest id stored (after rows were written
        with their ids: a copied store, a table rebuilt by a migration). Only ever forward, so a
        writer that took ids meanwhile keeps them."""
        rows = self.conn.raw.execute(
            "SELECT table_name::text, column_name::text FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall()
        for table, column in rows:
            self.conn.raw.execute(
                "SELECT setval(s.seq, GREATEST(COALESCE(pg_sequence_last_value(s.seq), 0), "
                f"COALESCE((SELECT max({_quote(column)}) FROM {_quote(table)}), 0), 1), "
                "pg_sequence_last_value(s.seq) IS NOT NULL "
                f"OR EXISTS (SELECT 1 FROM {_quote(table)})) "
                "FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) AS s",
                [_quote(table), column])
