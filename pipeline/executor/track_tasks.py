"""The tracker's work as it runs on a worker: tokenising documents for the index, counting
terms and scoring a shard (``pipeline/track/shard.py`` says what; this says where).

A worker opens the store itself, read-only (``file:…?mode=ro``): what it reads is the state
the client committed before handing out the shards, and nothing a worker does can write.
The client process alone writes, in one transaction, after all shards are back. In this
process (the default runner) the caller's open store is used as it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import sqlite_utils

from ..track.index import TermDoc, TermStats
from ..track.scoring import Scorer
from ..track.shard import ShardResult, ShardSpec, score_shard, shard_stats
from .base import ExecutorError
from .probe import MemoryProbe

Store = str | sqlite_utils.Database       # a path for another process, the open store in this one


def store_ref(db: Any) -> str:
    """The path of the store's SQLite file, for workers to open read-only."""
    if getattr(db, "dialect", "sqlite") != "sqlite":
        raise ExecutorError("分布式执行（--executor dask）目前只支持 SQLite 数据库文件，不支持 PostgreSQL")
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            if not path:
                raise ExecutorError("内存数据库无法交给其他进程读取：请用数据库文件（--db 路径）")
            return path
    raise ExecutorError("找不到数据库文件的路径")


@contextmanager
def opened(store: Store) -> Iterator[sqlite_utils.Database]:
    """The store, read-only when opened from its path (closed again at the end)."""
    if not isinstance(store, str):
        yield store
        return
    conn = sqlite3.connect(f"file:{quote(store)}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield sqlite_utils.Database(conn)
    finally:
        conn.close()


def count_terms(spec: ShardSpec, store: Store) -> TermStats:
    """A shard's share of the whole store's term counts."""
    with opened(store) as db:
        return shard_stats(db, spec)


def score(spec: ShardSpec, store: Store, stats: TermStats | None, scorer: Scorer) -> ShardResult:
    """Score a shard, with the time and the memory it took on this worker."""
    with MemoryProbe() as probe, opened(store) as db:
        result = score_shard(db, spec, stats, scorer)
    result.probe = probe.figures()
    return result


def term_docs(jobs: list[Any]) -> list[TermDoc]:
    """The index form of a few documents (body and sentences shipped with them)."""
    from ..track.tracker import _term_doc_job

    return [_term_doc_job(job) for job in jobs]
