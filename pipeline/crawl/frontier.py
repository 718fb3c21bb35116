"""The crawl queue, in the store.

Each run is a *pass* (its ``runs.id``). A pass begins by taking over whatever an
earlier run left ``queued`` or ``failed`` — the unfinished work of a killed run,
the pages that failed last night — and by queueing the start URLs. A URL is
queued at most once per pass, so a list page linked from every other list page
is fetched once. Queue order is breadth first (``seq``).

All writers run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .runs import now_iso

__all__ = ["Item", "begin_pass", "enqueue", "finish", "next_items", "pending_count", "seen_this_pass"]


@dataclass(frozen=True)
class Item:
    url: str
    site: str
    kind: str
    referrer: str | None


def _next_seq(db) -> int:
    return int(db.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM frontier").fetchone()[0])


def begin_pass(db, pass_id: int, sites: Iterable[str], starts: Iterable[tuple[str, str]]) -> int:
    """Take over the leftovers of earlier passes for ``sites`` and queue ``starts`` ((url, site) pairs).

    Returns how many leftovers were taken over.
    """
    names = list(sites)
    placeholders = ",".join("?" for _ in names)
    cur = db.conn.execute(
        f"UPDATE frontier SET pass = ?, state = 'queued', reason = NULL "
        f"WHERE state IN ('queued', 'failed') AND pass < ? AND site IN ({placeholders})",
        [pass_id, pass_id, *names])
    for url, site in starts:
        enqueue(db, pass_id, url, site, "list", None)
    return cur.rowcount


def seen_this_pass(db, pass_id: int, url: str) -> bool:
    row = db.conn.execute("SELECT pass FROM frontier WHERE url = ?", [url]).fetchone()
    return bool(row) and row[0] >= pass_id


def enqueue(db, pass_id: int, url: str, site: str, kind: str, referrer: str | None,
            state: str = "queued", reason: str | None = None) -> bool:
    """Queue ``url`` for this pass (or note it as ``skipped``) unless the pass has seen it; True if it had not."""
    if seen_this_pass(db, pass_id, url):
        return False
    db.conn.execute(
        "INSERT INTO frontier (url, site, kind, state, pass, seq, referrer, reason, queued_at, done_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,NULL) ON CONFLICT(url) DO UPDATE SET site = excluded.site, "
        "kind = excluded.kind, state = excluded.state, pass = excluded.pass, seq = excluded.seq, "
        "referrer = excluded.referrer, reason = excluded.reason, queued_at = excluded.queued_at, done_at = NULL",
        [url, site, kind, state, pass_id, _next_seq(db), referrer, reason, now_iso()])
    return True


def next_items(db, pass_id: int, sites: Iterable[str]) -> list[Item]:
    """The head of the queue of each of ``sites`` that has one (an index lookup per site)."""
    items = []
    for site in sites:
        row = db.conn.execute(
            "SELECT url, site, kind, referrer FROM frontier WHERE pass = ? AND state = 'queued' AND site = ? "
            "ORDER BY seq LIMIT 1", [pass_id, site]).fetchone()
        if row:
            items.append(Item(*row))
    return items


def finish(db, url: str, state: str, reason: str | None = None) -> None:
    db.conn.execute("UPDATE frontier SET state = ?, reason = ?, done_at = ? WHERE url = ?",
                    [state, reason, now_iso(), url])


def pending_count(db, pass_id: int) -> int:
    return int(db.conn.execute("SELECT count(*) FROM frontier WHERE pass = ? AND state = 'queued'",
                               [pass_id]).fetchone()[0])
