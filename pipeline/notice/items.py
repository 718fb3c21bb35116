"""Which safety directives each responsible unit is sent: overdue or without follow-up, as staff see them.

Everything is read through the same path as search, the sheet and the web page
(``pipeline.search.engine.where_clause`` for which directives are listed,
``pipeline.search.records.load`` for their corrected fields and status), so a
notice never says more or less than the page. The units of an item whose parties
were corrected are those of the corrected parties (``pipeline/corrections/units.py``):
a unit corrected away from an item is not sent the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from ..extract.parties_norm import PARTY_TYPES
from ..search import records
from ..search.engine import Filters, where_clause
from ..search.records import FROM, Record

# The statuses a notice is about: past the deadline without done, or never reported on.
OPEN_STATUSES = ("overdue", "no_evidence")
# Directive ids per call of records.load: its status query binds every id of the call at once.
CHUNK = 2000
NO_UNIT = "未明确责任单位"


def effective_units(record: Record) -> list[str]:
    """The normalised units of a directive after staff corrections, in the canonical order of the units."""
    rank = {u: i for i, u in enumerate(PARTY_TYPES)}
    return sorted(record.party_types, key=lambda u: rank.get(u, len(rank)))


def listed_ids(db, include_rejected: bool = False, where: Sequence[str] = (),
               params: Sequence[Any] = ()) -> list[int]:
    """Ids of the safety directives the lists show (newest version of each document; no rejected ones
    unless asked), by the search engine's own conditions, narrowed by ``where`` (fixed SQL over ``d``,
    ``doc`` and ``cc``) with its bound ``params``."""
    conds, bound = where_clause(Filters(include_rejected=include_rejected))
    sql = f"SELECT d.id {FROM} WHERE {' AND '.join([*conds, *where])} ORDER BY d.id"
    return [row[0] for row in db.execute(sql, [*bound, *params]).fetchall()]


def load_records(db, ids: Iterable[int], as_of: dt.date) -> list[Record]:
    """Records with corrections and statuses as of ``as_of``, loaded in chunks (a large store would
    otherwise bind more ids in one statement than SQLite allows)."""
    ids = list(ids)
    out: list[Record] = []
    for start in range(0, len(ids), CHUNK):
        out += records.load(db, ids[start:start + CHUNK], as_of=as_of)
    return out


def _order(record: Record) -> tuple:
    """Overdue first, then the earliest deadline, then the oldest document: the most pressing on top."""
    return (OPEN_STATUSES.index(record.status) if record.status in OPEN_STATUSES else len(OPEN_STATUSES),
            record.deadline_date or "9999", record.doc_date or "9999", record.id)


def open_items(db, as_of: dt.date | None = None) -> dict[str, list[Record]]:
    """Open safety directives per unit (units in canonical order, items most pressing first).

    An item naming several units is listed under each of them. Items naming no
    unit are under :data:`NO_UNIT`, which no notice is written for but callers
    can report.
    """
    as_of = as_of or dt.date.today()
    found: dict[str, list[Record]] = {}
    for record in load_records(db, listed_ids(db), as_of):
        if record.status not in OPEN_STATUSES or not record.safety:
            continue
        for unit in effective_units(record) or [NO_UNIT]:
            found.setdefault(unit, []).append(record)
    rank = {u: i for i, u in enumerate(PARTY_TYPES)}
    return {unit: sorted(found[unit], key=_order)
            for unit in sorted(found, key=lambda u: (u == NO_UNIT, rank.get(u, len(rank)), u))}


def known_units() -> tuple[str, ...]:
    """The normalised unit names a notice can be addressed to (``models/party_types.toml``)."""
    return PARTY_TYPES
