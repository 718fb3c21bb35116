"""Rows of the ``runs`` table: what each command and nightly run did.

A row is written when the run starts (status ``running``) and completed when it
ends, so a run killed half-way is still on record: the next run, holding the lock,
marks such rows ``interrupted`` — only it can know the earlier one is dead.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

__all__ = ["finish_run", "mark_interrupted", "now_iso", "record_run", "start_run"]

CRAWL_COMMANDS = ("crawl", "nightly", "demo")


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def mark_interrupted(db) -> int:
    """Close the rows of crawl runs that died without finishing (call with the run lock held)."""
    placeholders = ",".join("?" for _ in CRAWL_COMMANDS)
    with db.conn:
        cur = db.conn.execute(
            f"UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND command IN ({placeholders})",
            list(CRAWL_COMMANDS))
    return cur.rowcount


def start_run(db, command: str) -> int:
    with db.conn:
        cur = db.conn.execute("INSERT INTO runs (command, started_at, status) VALUES (?, ?, 'running')",
                              [command, now_iso()])
    return int(cur.lastrowid)


def finish_run(db, run_id: int, status: str, counts: dict[str, Any], errors: list[Any]) -> None:
    with db.conn:
        db.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
            [now_iso(), status, json.dumps(counts, ensure_ascii=False), json.dumps(errors, ensure_ascii=False),
             run_id])


def record_run(db, command: str, started: str, counts: dict[str, Any], errors: list[Any], status: str) -> int:
    """A finished run in one row (a command that cannot be interrupted half-way: ``track``, ``ingest``)."""
    with db.conn:
        cur = db.conn.execute(
            "INSERT INTO runs (command, started_at, finished_at, status, counts, errors) VALUES (?,?,?,?,?,?)",
            [command, started, now_iso(), status, json.dumps(counts, ensure_ascii=False),
             json.dumps(errors, ensure_ascii=False)])
    return int(cur.lastrowid)
