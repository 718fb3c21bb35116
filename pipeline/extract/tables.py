"""Task tables: a plan's rows (task │ responsible unit │ time limit) give each task its parties and deadline.

A plan often lists its tasks in a table whose header names the columns (序号 │ 工作任务 │ 责任单位 │
完成时限). The parser keeps each row on a line of its own with its cells apart (``pipeline/parse/clean.py``:
a reader's cells between " │ ", a page's between " | "). A task sentence in a row takes its bodies
from the row's responsibility cell and its time from the time cell, as the annotation guide reads a
table row (``corpus/annotations/extract_guide.md``, notes for plans). Rows with merged cells on the
left (a category spanning several rows) have fewer cells than the header: the columns are counted
from the right, where the responsibility and time columns stand. The column names are data
(``models/parties.toml``: ``table_party_column``, ``table_time_column``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_toml

CELL_SEP = re.compile(r"\s*[|│]\s*")
HEADER_CELL_CHARS = 12        # a header cell is a column's name, not a task
FIELD_CHARS = 40              # a responsibility or time cell names, it does not tell
PROSE = re.compile(r"[，。；！？,;!?]")


@dataclass(frozen=True)
class TableHeader:
    party_from_right: int | None     # the responsibility column, counted from the right (0: last)
    time_from_right: int | None


@lru_cache(maxsize=1)
def _columns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_toml("parties.toml")
    return re.compile(data["table_party_column"]), re.compile(data["table_time_column"])


def cells(line: str) -> list[tuple[int, int, str]]:
    """The non-empty cells of a row: (start, end, text) within the line."""
    out, pos = [], 0
    for m in list(CELL_SEP.finditer(line)) + [None]:
        end = m.start() if m else len(line)
        text = line[pos:end].strip()
        if text:
            start = pos + (len(line[pos:end]) - len(line[pos:end].lstrip()))
            out.append((start, start + len(text), text))
        if m:
            pos = m.end()
    return out


def header_of(line: str) -> TableHeader | None:
    """The header a row is, when its cells are column names and one names who or when."""
    row = cells(line)
    if len(row) < 2 or any(len(text) > HEADER_CELL_CHARS for _, _, text in row):
        return None
    party, time = _columns()
    party_at = next((len(row) - 1 - i for i in range(len(row) - 1, -1, -1) if party.search(row[i][2])), None)
    time_at = next((len(row) - 1 - i for i in range(len(row) - 1, -1, -1) if time.search(row[i][2])), None)
    if party_at is None and time_at is None:
        return None
    return TableHeader(party_at, time_at)


def row_fields(line: str, header: TableHeader, start: int, end: int) -> tuple[str | None, str | None] | None:
    """(responsibility cell, time cell) of the row for a sentence at [start, end) of the line, or None
    when the sentence starts in one of those cells or the row is not as wide as those columns."""
    row = cells(line)

    def cell(from_right: int | None) -> tuple[int, int, str] | None:
        return row[len(row) - 1 - from_right] if from_right is not None and from_right < len(row) else None

    party, time = cell(header.party_from_right), cell(header.time_from_right)
    # A field is a list of names or a time, not prose: a row broken over lines counts its cells wrong.
    party = party if party is not None and len(party[2]) <= FIELD_CHARS and not PROSE.search(party[2]) else None
    time = time if time is not None and len(time[2]) <= FIELD_CHARS and not PROSE.search(time[2]) else None
    if party is None and time is None:
        return None
    # The task stands left of the fields, in a cell of its own (a sentence may run over the whole row).
    first_field = min(f[0] for f in (party, time) if f is not None)
    if start >= first_field:
        return None
    return (party[2] if party else None), (time[2] if time else None)
