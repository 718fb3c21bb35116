"""The numbers of the overview page: directives by status × responsible unit, by sector, by deadline month,
and the overdue count of the last nightly runs.

Every number must equal the count of the list page a person reaches by
following its bar, so nothing here has a filter rule of its own. Which
directives are counted is the engine's ``where_clause`` (newest version of
each document, rejected ones left out, safety work only unless ``all_topics``);
their corrected fields and statuses are read through ``records.load``, as the
list reads them; a unit's or a sector's directives are the ids the engine's own
``party`` / ``sector`` condition selects (substrings and sector synonyms
included), and a month is the engine's ``due_after`` … ``due_before`` range
over the corrected deadline. Plain functions returning plain data: the web page
draws them (``pipeline/web/charts.py``), a test or a script can print them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import records
from .engine import Filters, where_clause
from .records import FROM, Record

# Stacking order of the statuses in a bar: overdue first, so the overdue parts of all bars share one baseline.
STATUS_ORDER = ("overdue", "no_evidence", "mentioned", "in_progress", "done")
# Directive ids per records.load call (its status query binds every id of the call).
CHUNK = 2000
MAX_ROWS = 20          # units or sectors drawn; the rest are counted in ``more``
MAX_MONTHS = 36        # deadline months drawn: the latest ones
MAX_RUNS = 30          # nightly runs in the overdue trend
# Commands whose runs recorded the track stage's counts (``pipeline/store/runs.py``; ``duban demo`` records
# "nightly"): nightly runs nest them under "track", ``duban track`` writes them at the top level.
TREND_COMMANDS = ("nightly", "demo", "track")
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass
class Row:
    """One bar: a unit, a sector or a month, its directives per status, and the list filters that show them."""

    label: str
    filters: dict[str, str]                       # Filters field → value (without status and all_topics)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class TrendPoint:
    """The overdue count one run recorded (machine statuses of safety directives as of ``as_of``)."""

    run_id: int
    command: str
    started_at: str
    as_of: str
    overdue: int


@dataclass
class Overview:
    as_of: dt.date
    all_topics: bool
    total: int
    by_status: dict[str, int]
    units: list[Row]
    sectors: list[Row]
    months: list[Row]
    trend: list[TrendPoint]
    no_unit: int = 0                # directives no unit bar counts
    no_sector: int = 0
    no_month: int = 0               # no deadline date (立即, 长期, vague …)
    more_units: int = 0             # units beyond MAX_ROWS, not drawn
    more_sectors: int = 0
    more_months: int = 0


def _base(all_topics: bool, **more: Any) -> Filters:
    return Filters(all_topics=all_topics, **more)


def listed_ids(db, filters: Filters) -> list[int]:
    """Ids of the directives the list shows for ``filters`` (status aside), by the engine's own conditions."""
    conds, params = where_clause(filters)
    sql = f"SELECT d.id {FROM} WHERE {' AND '.join(conds)} ORDER BY d.id"
    return [row[0] for row in db.execute(sql, params).fetchall()]


def load_records(db, ids: Iterable[int], as_of: dt.date) -> list[Record]:
    """Records with corrections and statuses, in chunks (one statement cannot bind every id of a big store)."""
    ids = list(ids)
    out: list[Record] = []
    for start in range(0, len(ids), CHUNK):
        out += records.load(db, ids[start:start + CHUNK], as_of=as_of)
    return out


def _count(ids: Iterable[int], status_of: dict[int, str]) -> dict[str, int]:
    """Directives per status, in STATUS_ORDER, statuses with none left out."""
    found = Counter(status_of[i] for i in ids if i in status_of)
    return {s: found[s] for s in STATUS_ORDER if found[s]}


def _rows_by_filter(db, values: Iterable[str], name: str, all_topics: bool,
                    status_of: dict[int, str]) -> tuple[list[Row], set[int]]:
    """A row per value, counted over the ids the engine's ``name`` filter selects; and every id counted."""
    rows: list[Row] = []
    seen: set[int] = set()
    for value in values:
        filters = _base(all_topics, **{name: value})
        ids = [i for i in listed_ids(db, filters) if i in status_of]
        if ids:
            seen.update(ids)
            rows.append(Row(label=value, filters={name: getattr(filters, name)}, counts=_count(ids, status_of)))
    rows.sort(key=lambda r: (-r.total, -r.counts.get("overdue", 0), r.label))
    return rows, seen


def _distinct(lists: Iterable[list[str]]) -> list[str]:
    """The non-blank values of the lists, each once (a blank value would be no filter at all)."""
    out: dict[str, None] = {}
    for values in lists:
        for v in values:
            if isinstance(v, str) and v.strip():
                out.setdefault(v.strip(), None)
    return list(out)


def month_range(month: str) -> tuple[str, str]:
    """The first and the last day of a ``YYYY-MM`` month, as the list's due_after / due_before values."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{month}-01", f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def _month_of(date: Any) -> str | None:
    """The month whose due_after … due_before range holds this deadline as the engine compares it (text)."""
    if not isinstance(date, str):
        return None
    m = _MONTH.match(date)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    month = date[:7]
    try:
        lo, hi = month_range(month)
        dt.date.fromisoformat(lo)          # a year the list's date filter refuses (0000) would be a broken link
    except ValueError:
        return None
    return month if lo <= date <= hi else None


def _month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"


def _months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``): a month without deadlines is an empty column,
    not a gap the eye does not see."""
    year, mon = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{year:04d}-{mon:02d}" <= last and len(out) <= MAX_MONTHS:
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return out


def month_rows(recs: list[Record]) -> tuple[list[Row], int]:
    """Rows per deadline month from the first to the last (empty months included), and how many directives
    have no usable deadline date."""
    by_month: dict[str, list[Record]] = {}
    undated = 0
    for r in recs:
        month = _month_of(r.deadline_date)
        if month is None:
            undated += 1
        else:
            by_month.setdefault(month, []).append(r)
    rows = []
    months = _months_between(min(by_month), max(by_month)) if by_month else []
    if len(months) > MAX_MONTHS:            # a span of years (or a mistyped year): the months that have deadlines
        months = sorted(by_month)
    for month in months:
        lo, hi = month_range(month)
        counts = Counter(r.status for r in by_month.get(month, []))
        rows.append(Row(label=_month_label(month), filters={"due_after": lo, "due_before": hi},
                        counts={s: counts[s] for s in STATUS_ORDER if counts[s]}))
    return rows, undated


def overdue_trend(db, limit: int = MAX_RUNS) -> list[TrendPoint]:
    """The overdue counts of the last ``limit`` runs that tracked, oldest first.

    Read from what each run wrote (``runs.counts``): the track stage's
    ``overdue`` — safety directives past their deadline without done, by the
    machine's statuses as of the run's day (``tracker.status_counts``). A run
    whose track stage did not run or failed has no such count and is left out.
    """
    marks = ",".join("?" * len(TREND_COMMANDS))
    rows = db.execute(f"SELECT id, command, started_at, counts FROM runs WHERE command IN ({marks}) "
                      "AND status != 'running' ORDER BY id DESC", list(TREND_COMMANDS)).fetchall()
    points: list[TrendPoint] = []
    for run_id, command, started_at, raw in rows:
        try:
            counts = json.loads(raw or "{}")
        except ValueError:
            continue
        track = counts if command == "track" else counts.get("track") if isinstance(counts, dict) else None
        if not isinstance(track, dict):
            continue
        overdue = track.get("overdue")
        if not isinstance(overdue, int) or isinstance(overdue, bool):
            continue
        as_of = track.get("as_of") if isinstance(track.get("as_of"), str) else None
        points.append(TrendPoint(run_id, command, started_at or "", (as_of or started_at or "")[:10], overdue))
        if len(points) >= limit:
            break
    return points[::-1]


def build(db, as_of: dt.date | None = None, all_topics: bool = False) -> Overview:
    """Everything the overview page shows, as of ``as_of`` (today when None)."""
    as_of = as_of or dt.date.today()
    recs = load_records(db, listed_ids(db, _base(all_topics)), as_of)
    status_of = {r.id: r.status for r in recs}
    units, with_unit = _rows_by_filter(db, _distinct(r.party_types for r in recs), "party", all_topics, status_of)
    sectors, with_sector = _rows_by_filter(db, _distinct(r.sectors for r in recs), "sector", all_topics, status_of)
    months, undated = month_rows(recs)
    found = Counter(status_of.values())
    return Overview(
        as_of=as_of, all_topics=all_topics, total=len(recs),
        by_status={s: found[s] for s in STATUS_ORDER},
        units=units[:MAX_ROWS], sectors=sectors[:MAX_ROWS], months=months[-MAX_MONTHS:],
        trend=overdue_trend(db), no_unit=len(status_of) - len(with_unit), no_sector=len(status_of) - len(with_sector),
        no_month=undated, more_units=max(0, len(units) - MAX_ROWS), more_sectors=max(0, len(sectors) - MAX_ROWS),
        more_months=max(0, len(months) - MAX_MONTHS))
