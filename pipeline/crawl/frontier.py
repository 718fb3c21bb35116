"""The crawl queue, in the store.

Each run is a *pass* (its ``runs.id``). A pass begins by taking over whatever an
earlier run left ``queued`` or ``failed`` — the unfinished work of a killed run,
the pages that failed last night — and by queueing the start URLs. A URL is
queued at most once per pass, so a list page linked from every other list page
is fetched once. Queue order is breadth first (``seq``).

A URL that failed ``max_failures`` runs in a row is ``given_up`` (记为放弃): no pass
takes it over and no link queues it again, so a dead link stops costing a request
a night. The count is ``pages.failures`` (failed fetches in a row, zeroed by any
success), so no column of its own is needed; raising the cap in the sites file
brings such URLs back (:func:`revive`).

All writers run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..store.runs import now_iso

__all__ = ["GIVEN_UP", "Item", "begin_pass", "enqueue", "finish", "given_up_count", "next_items", "pending_count",
           "revive", "seen_this_pass", "state_of"]

GIVEN_UP = "given_up"


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


def _settled(db, pass_id: int, url: str) -> bool:
    """Whether ``url`` must not be queued now: this pass has seen it, or it was given up."""
    row = db.conn.execute("SELECT pass, state FROM frontier WHERE url = ?", [url]).fetchone()
    return bool(row) and (row[0] >= pass_id or row[1] == GIVEN_UP)


def enqueue(db, pass_id: int, url: str, site: str, kind: str, referrer: str | None,
            state: str = "queued", reason: str | None = None) -> bool:
    """Queue ``url`` for this pass (or note it as ``skipped``) unless the pass has seen it or it was
    given up; True if it was queued or noted."""
    if _settled(db, pass_id, url):
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


def state_of(db, url: str) -> str | None:
    """The queue state of ``url`` (None: never queued)."""
    row = db.conn.execute("SELECT state FROM frontier WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def finish(db, url: str, state: str, reason: str | None = None) -> None:
    db.conn.execute("UPDATE frontier SET state = ?, reason = ?, done_at = ? WHERE url = ?",
                    [state, reason, now_iso(), url])


def revive(db, site: str, max_failures: int, starts: Iterable[str] = ()) -> int:
    """Hand given-up URLs of ``site`` back as ``failed`` (so the pass takes them over) where the cap no
    longer gives them up: it was raised above their failures or set to 0, or the URL is now a start URL.

    Returns how many came back.
    """
    urls = list(starts)
    placeholders = ",".join("?" for _ in urls) or "NULL"
    cur = db.conn.execute(
        "UPDATE frontier SET state = 'failed' WHERE state = ? AND site = ? AND (? = 0 OR url IN "
        f"({placeholders}) OR NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = frontier.url AND p.failures >= ?))",
        [GIVEN_UP, site, max_failures, *urls, max_failures])
    return cur.rowcount


def given_up_count(db, sites: Iterable[str]) -> int:
    """How many URLs of ``sites`` are given up now (not only by this run)."""
    names = list(sites)
    placeholders = ",".join("?" for _ in names) or "NULL"
    return int(db.conn.execute(f"SELECT count(*) FROM frontier WHERE state = ? AND site IN ({placeholders})",
                               [GIVEN_UP, *names]).fetchone()[0])


def pending_count(db, pass_id: int) -> int:
    return int(db.conn.execute("SELECT count(*) FROM frontier WHERE pass = ? AND state = 'queued'",
                               [pass_id]).fetchone()[0])
