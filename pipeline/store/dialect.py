"""SQLite's SQL, as the stages write it, translated for PostgreSQL.

Every stage writes SQLite's dialect with ``?`` placeholders. Rather than keep a
second copy of each statement, the PostgreSQL adapter (``pg.py``) passes every
statement through :func:`translate`, which makes the mechanical changes:

- ``?`` → ``%s`` and ``%`` → ``%%`` (psycopg's placeholders), outside string
  literals, quoted identifiers, dollar-quoted bodies and comments;
- ``CROSS JOIN t ON …`` (SQLite's hint for the join order) → ``JOIN t ON …``;
- ``LIKE`` → ``ILIKE`` (SQLite's LIKE ignores the case of ASCII letters);
- ``INSERT OR IGNORE`` → ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` is
  marked so that the adapter, which knows the table's keys, adds the upsert;
- ``ORDER BY x`` → ``ORDER BY x NULLS FIRST`` (``DESC``: ``NULLS LAST``), since
  SQLite sorts NULL as the smallest value and PostgreSQL as the largest: the
  sheet's order (documents without a date last) must not depend on the store;
  indexes are made in that order too (``CREATE INDEX … (date NULLS FIRST)``), so
  such an ORDER BY can still walk them; a bare ``id``/``rowid`` is left alone;
- in ``CREATE TABLE`` and ``ALTER TABLE … ADD COLUMN``: ``INTEGER`` → ``BIGINT``
  (SQLite's integers are 64-bit: the LSH band hashes need it), ``REAL`` → ``DOUBLE
  PRECISION``, ``BLOB`` → ``BYTEA``, ``TEXT`` → ``TEXT COLLATE "C"`` (SQLite compares
  text by its bytes, whatever the server's locale), ``id INTEGER PRIMARY KEY`` →
  an identity column, foreign keys made ``DEFERRABLE`` (still checked per
  statement, as in SQLite, unless a copy defers them), ``WITHOUT ROWID`` dropped,
  and a ``rowid`` identity column added to a table without an integer key, so
  ``ORDER BY rowid`` (insertion order) still means what it means in SQLite.

What cannot be translated word for word (FTS5, triggers) is written twice, next
to each other, behind ``db.dialect``. The module is pure: no connection, no
stage; the translations are cached per statement text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Statement", "dialect_of", "is_postgres", "pg_trigger", "split_statements", "translate"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>--[^\n]*|/\*.*?\*/)
  | (?P<str>'(?:[^']|'')*')
  | (?P<ident>"(?:[^"]|"")*")
  | (?P<dollar>\$(?P<tag>[A-Za-z_]*)\$.*?\$(?P=tag)\$)
  | (?P<param>\?)
  | (?P<word>[A-Za-z_][A-Za-z_0-9$]*)
  | (?P<num>[0-9]+(?:\.[0-9]*)?)
  | (?P<cast>::)
  | (?P<punct>[(),;.])
  | (?P<op>[^\sA-Za-z_0-9'"(),;.?$]+|\$)
    """,
    re.VERBOSE | re.DOTALL,
)

# Words that end an ORDER BY list at its own depth.
_ORDER_END = {"LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "EXCEPT", "INTERSECT", "RETURNING", "ON"}
_DML = {"INSERT", "UPDATE", "DELETE", "REPLACE"}
_TABLE_CONSTRAINTS = {"PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT", "EXCLUDE"}
_FK_ACTIONS = {"CASCADE", "RESTRICT"}


@dataclass(frozen=True)
class Statement:
    """One statement, translated; what the adapter still needs to know to finish it."""

    sql: str                      # for execution with parameters (%s placeholders, % doubled)
    plain: str                    # for execution without parameters (% as written)
    verb: str                     # the first keyword, upper case: SELECT, INSERT, PRAGMA, BEGIN …
    table: str | None = None      # INSERT: the target table
    columns: tuple[str, ...] = ()  # INSERT: the column list as written
    conflict: str | None = None   # INSERT OR …: "ignore" | "replace"
    returning: bool = False       # has its own RETURNING
    ddl: bool = False             # changes the schema (the adapter forgets what it knew of tables)
    params: int = 0               # how many ? placeholders


class _Tok:
    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str) -> None:
        self.kind, self.text = kind, text

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    def __repr__(self) -> str:     # pragma: no cover - debugging aid
        return f"{self.kind}:{self.text!r}"


def _lex(sql: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if m is None:               # a lone quote: keep the rest as it is and let the server complain
            out.append(_Tok("op", sql[pos:]))
            break
        kind = m.lastgroup if m.lastgroup != "tag" else "dollar"
        if kind == "comment":
            out.append(_Tok("ws", " "))
        else:
            out.append(_Tok(kind, m.group(0)))
        pos = m.end()
    return out


def _next(tokens: list[_Tok], i: int) -> int:
    """Index of the next token at or after ``i`` that is not white space (len when none)."""
    while i < len(tokens) and tokens[i].kind == "ws":
        i += 1
    return i


def _words(tokens: list[_Tok]) -> list[str]:
    return [t.upper for t in tokens if t.kind == "word"]


def _name(tok: _Tok) -> str:
    return tok.text[1:-1].replace('""', '"') if tok.kind == "ident" else tok.text.lower()


def _order_by_nulls(tokens: list[_Tok]) -> list[_Tok]:
    """Give every ORDER BY item SQLite's NULL order (first when ascending, last when descending)."""
    out: list[_Tok] = []
    depth = 0
    open_lists: list[int] = []            # depths at which an ORDER BY list is being read
    item_tokens: list[list[_Tok]] = []     # the current item of each open list

    def close_item() -> None:
        item = item_tokens[-1]
        words = [t.upper for t in item if t.kind == "word"]
        if item and "NULLS" not in words[-2:] and not _never_null(item):
            direction = words[-1] if words else ""
            out.append(_Tok("word", " NULLS LAST " if direction == "DESC" else " NULLS FIRST "))
        item_tokens[-1] = []

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.upper == "ORDER":
            j = _next(tokens, i + 1)
            if j < len(tokens) and tokens[j].upper == "BY":
                out.extend(tokens[i:j + 1])
                open_lists.append(depth)
                item_tokens.append([])
                i = j + 1
                continue
        if open_lists and depth == open_lists[-1]:
            ends = (tok.upper in _ORDER_END or tok.text == ";" or tok.text == ")")
            if ends:
                close_item()
                open_lists.pop()
                item_tokens.pop()
            elif tok.text == ",":
                close_item()
                out.append(tok)
                i += 1
                continue
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        out.append(tok)
        if open_lists and tok.kind != "ws":
            item_tokens[-1].append(tok)
        i += 1
    while open_lists:
        close_item()
        open_lists.pop()
        item_tokens.pop()
    return out


_JOIN_CLAUSE_END = {"JOIN", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "HAVING", "WINDOW", "EXCEPT", "INTERSECT"}


def _cross_join_on(tokens: list[_Tok]) -> list[_Tok]:
    """``CROSS JOIN t ON …`` → ``JOIN t ON …``: SQLite's way to fix the join order, an inner join
    with a condition; PostgreSQL allows no condition on a CROSS JOIN."""
    out = list(tokens)
    for i, tok in enumerate(tokens):
        if tok.upper != "CROSS":
            continue
        j = _next(tokens, i + 1)
        if j >= len(tokens) or tokens[j].upper != "JOIN":
            continue
        depth = 0
        for k in range(j + 1, len(tokens)):
            t = tokens[k]
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and (t.upper in _JOIN_CLAUSE_END or t.text == ";"):
                break
            elif depth == 0 and t.upper == "ON":
                out[i] = _Tok("ws", "")
                break
    return out


def _never_null(item: list[_Tok]) -> bool:
    """An ORDER BY item that is a bare ``id`` or ``rowid`` (of any table): a key, never NULL — left
    without a NULLS clause, which would keep PostgreSQL from reading it in its key index's order."""
    sig = [t for t in item if t.kind != "ws"]
    if sig and sig[-1].upper in ("ASC", "DESC"):
        sig = sig[:-1]
    if len(sig) == 3 and sig[1].text == ".":
        sig = sig[2:]
    return len(sig) == 1 and sig[0].kind == "word" and sig[0].text.lower() in ("id", "rowid")


def _index_nulls(tokens: list[_Tok]) -> list[_Tok]:
    """The columns of a CREATE INDEX in SQLite's NULL order (NULLS FIRST ascending), so that an
    ORDER BY in that order — ascending or, read backwards, descending — can walk the index."""
    words = _words(tokens)
    if "USING" in words:                    # GIN and the like: no order
        return tokens
    try:
        on = next(i for i, t in enumerate(tokens) if t.upper == "ON")
        open_at = next(i for i in range(on, len(tokens)) if tokens[i].text == "(")
    except StopIteration:
        return tokens
    close_at = _closing(tokens, open_at)
    if close_at is None:
        return tokens
    inner: list[_Tok] = []
    for n, part in enumerate(_split_top(tokens[open_at + 1:close_at])):
        if n:
            inner.append(_Tok("punct", ","))
        part_words = _words(part)
        inner.extend(part)
        if "NULLS" not in part_words:
            inner.append(_Tok("word", " NULLS LAST" if part_words[-1:] == ["DESC"] else " NULLS FIRST"))
    return tokens[:open_at + 1] + inner + tokens[close_at:]


def _split_top(tokens: list[_Tok]) -> list[list[_Tok]]:
    """The comma-separated parts of a parenthesised list's inside (depth 0 of ``tokens``)."""
    parts: list[list[_Tok]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if tok.text == "," and depth == 0:
            parts.append([])
            continue
        parts[-1].append(tok)
    return parts


def _column_def(part: list[_Tok]) -> tuple[list[_Tok], bool, str | None]:
    """A column definition in PostgreSQL's words; whether it is the table's integer key; its name."""
    sig = [i for i, t in enumerate(part) if t.kind != "ws"]
    if not sig:
        return part, False, None
    first = part[sig[0]]
    if first.upper in _TABLE_CONSTRAINTS:
        return part, False, None
    name = _name(first)
    words = _words(part)
    out = list(part)
    integer_key = False
    if len(sig) > 1:
        t = sig[1]
        type_word = part[t].upper
        rest = words[2:] if first.kind == "word" else words[1:]
        if type_word == "INTEGER" and rest[:2] == ["PRIMARY", "KEY"]:
            integer_key = True
            out[t] = _Tok("word", "BIGINT GENERATED BY DEFAULT AS IDENTITY" if name == "id" else "BIGINT")
        elif type_word == "INTEGER":
            out[t] = _Tok("word", "BIGINT")
        elif type_word == "REAL":
            out[t] = _Tok("word", "DOUBLE PRECISION")
        elif type_word == "BLOB":
            out[t] = _Tok("word", "BYTEA")
        elif type_word == "TEXT" and "COLLATE" not in rest:
            out[t] = _Tok("word", 'TEXT COLLATE "C"')
    return _deferrable(out), integer_key, name


def _deferrable(part: list[_Tok]) -> list[_Tok]:
    """``REFERENCES t(c) [ON DELETE …]`` + ``DEFERRABLE INITIALLY IMMEDIATE``: checked per statement
    as SQLite does, but a copy of a store may defer the check to its commit."""
    sig = [i for i, t in enumerate(part) if t.kind != "ws"]
    for n, i in enumerate(sig):
        if part[i].upper != "REFERENCES":
            continue
        k = n + 2                               # past the table name
        if k < len(sig) and part[sig[k]].text == "(":
            while k < len(sig) and part[sig[k]].text != ")":
                k += 1
            k += 1
        while k + 1 < len(sig) and part[sig[k]].upper == "ON" and part[sig[k + 1]].upper in ("DELETE", "UPDATE"):
            action = part[sig[k + 2]].upper if k + 2 < len(sig) else ""
            k += 3 if action in _FK_ACTIONS else 4
        end = sig[k - 1]
        return part[:end + 1] + [_Tok("word", " DEFERRABLE INITIALLY IMMEDIATE")] + part[end + 1:]
    return part


def _closing(tokens: list[_Tok], open_at: int) -> int | None:
    """Where the parenthesis opened at ``open_at`` closes; None when it never does."""
    depth = 0
    for i in range(open_at, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _create_table(tokens: list[_Tok]) -> list[_Tok]:
    """Column types, keys and the implicit rowid of a CREATE TABLE (see the module)."""
    try:
        open_at = next(i for i, t in enumerate(tokens) if t.text == "(")
    except StopIteration:
        return tokens
    close_at = _closing(tokens, open_at)
    if close_at is None:
        return tokens
    parts = [_column_def(p) for p in _split_top(tokens[open_at + 1:close_at])]
    tail = tokens[close_at + 1:]
    without_rowid = _words(tail)[:2] == ["WITHOUT", "ROWID"]
    if without_rowid:
        tail = []
    names = {name for _, _, name in parts if name}
    inner: list[_Tok] = []
    for n, (part, _, _) in enumerate(parts):
        if n:
            inner.append(_Tok("punct", ","))
        inner.extend(part)
    if not without_rowid and not any(key for _, key, _ in parts) and "rowid" not in names:
        inner.append(_Tok("word", ",\n    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY\n"))
    return tokens[:open_at + 1] + inner + [tokens[close_at]] + tail


def _alter_add_column(tokens: list[_Tok]) -> list[_Tok]:
    sig = [i for i, t in enumerate(tokens) if t.kind != "ws"]
    for n, i in enumerate(sig):
        if tokens[i].upper == "ADD":
            start = sig[n + 1] + 1 if n + 1 < len(sig) and tokens[sig[n + 1]].upper == "COLUMN" else i + 1
            part, _, _ = _column_def(tokens[start:])
            return tokens[:start] + part
    return tokens


def _insert_target(tokens: list[_Tok]) -> tuple[str | None, tuple[str, ...], int]:
    """The table and column list of an INSERT, and the index just after the column list."""
    sig = [i for i, t in enumerate(tokens) if t.kind != "ws"]
    for n, i in enumerate(sig):
        if tokens[i].upper == "INTO" and n + 1 < len(sig):
            table = _name(tokens[sig[n + 1]])
            k = n + 2
            columns: list[str] = []
            if k < len(sig) and tokens[sig[k]].text == "(":
                k += 1
                while k < len(sig) and tokens[sig[k]].text != ")":
                    if tokens[sig[k]].kind in ("word", "ident"):
                        columns.append(_name(tokens[sig[k]]))
                    k += 1
            return table, tuple(columns), (sig[k] + 1 if k < len(sig) else len(tokens))
    return None, (), len(tokens)


def _render(tokens: list[_Tok], with_params: bool) -> str:
    parts: list[str] = []
    for tok in tokens:
        if tok.kind == "param":
            parts.append("%s" if with_params else "?")
        elif with_params and "%" in tok.text and tok.kind in ("str", "op", "dollar", "ident"):
            parts.append(tok.text.replace("%", "%%"))
        else:
            parts.append(tok.text)
    return "".join(parts).strip().rstrip(";").rstrip()


@lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    """The PostgreSQL form of one SQLite statement (see the module for what changes)."""
    tokens = _lex(sql)
    words = _words(tokens)
    verb = words[0] if words else ""
    conflict = None
    table: str | None = None
    columns: tuple[str, ...] = ()
    ddl = verb in ("CREATE", "ALTER", "DROP")
    if verb in ("INSERT", "REPLACE"):
        sig = [i for i, t in enumerate(tokens) if t.kind != "ws"]
        if verb == "REPLACE":
            conflict = "replace"
            tokens[sig[0]] = _Tok("word", "INSERT")
        elif len(sig) > 2 and tokens[sig[1]].upper == "OR":
            conflict = {"IGNORE": "ignore", "REPLACE": "replace"}.get(tokens[sig[2]].upper)
            if conflict is None:
                raise ValueError(f"不支持的 INSERT OR {tokens[sig[2]].text}（PostgreSQL）")
            tokens = tokens[:sig[1]] + tokens[sig[2] + 1:]
        table, columns, _ = _insert_target(tokens)
        verb = "INSERT"
    elif verb == "CREATE" and "TABLE" in words[1:4] and "VIRTUAL" not in words[1:3]:
        tokens = _create_table(tokens)
    elif verb == "ALTER" and "ADD" in words:
        tokens = _alter_add_column(tokens)
    elif verb == "CREATE" and "INDEX" in words[1:3]:
        tokens = _index_nulls(tokens)
    if not ddl:
        tokens = _order_by_nulls(_cross_join_on(tokens))
        tokens = [_Tok("word", "ILIKE") if t.upper == "LIKE" else t for t in tokens]
    params = sum(1 for t in tokens if t.kind == "param")
    return Statement(sql=_render(tokens, True), plain=_render(tokens, False), verb=verb, table=table,
                     columns=columns, conflict=conflict, returning="RETURNING" in _words(tokens), ddl=ddl,
                     params=params)


def split_statements(script: str) -> list[str]:
    """A script's statements, split at the semicolons outside literals, bodies and comments."""
    out: list[str] = []
    current: list[str] = []
    for tok in _lex(script):
        if tok.text == ";":
            text = "".join(current).strip()
            if text:
                out.append(text)
            current = []
        else:
            current.append(tok.text)
    text = "".join(current).strip()
    if text:
        out.append(text)
    return out


def dialect_of(db: object) -> str:
    """``"postgresql"`` for the PostgreSQL adapter, else ``"sqlite"`` (a bare sqlite-utils database too)."""
    return getattr(db, "dialect", "sqlite")


def is_postgres(db: object) -> bool:
    """Whether ``db`` is the PostgreSQL store: the few statements that differ in kind ask this."""
    return dialect_of(db) == "postgresql"


def pg_trigger(name: str, event: str, body: str) -> list[str]:
    """A PostgreSQL row trigger that runs ``body`` (PL/pgSQL, NEW/OLD as in SQLite's triggers): its
    function, named as the trigger, and the trigger. SQLite's ``CREATE TRIGGER … BEGIN … END`` has
    no word-for-word translation, so the stages that own triggers write this second form."""
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$body$ BEGIN {body} RETURN NULL; END $body$",
            f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {name}()"]
