"""What a weekly digest holds: four sections of items, each viewable per unit and per sector.

The digest is data first and text later, so the Markdown, HTML and DOCX
renderers and the nightly summary's headline numbers all read one object and
cannot disagree. An item keeps only what is shown (plain strings), never a
database row, so rendering needs no store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..notice.items import NO_UNIT  # one name for "no unit" in notices and digests

NO_SECTOR = "未标明领域"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# Section keys in the order they are shown, with their Chinese titles.
SECTIONS = (
    ("new", "新增安全生产督办事项"),
    ("overdue", "新近逾期事项"),
    ("evidence", "新的落实进展"),
    ("corrected", "人工核实与更正"),
)
SECTION_TITLES = dict(SECTIONS)

# The headline numbers (digest_counts) and how the nightly summary may name them.
COUNT_LABELS = {
    "new_directives": "新增安全生产督办事项",
    "became_overdue": "新近逾期",
    "new_evidence": "有新落实进展的事项",
    "new_evidence_done": "其中新报已完成",
    "new_evidence_in_progress": "其中新报推进中",
    "corrected": "人工核实与更正",
    "units": "涉及责任单位",
}


@dataclass
class DigestItem:
    """One directive as a digest line: the task, who, which sectors, its status, and what is new about it."""

    id: int
    text: str
    url: str
    units: list[str]
    sectors: list[str]
    status: str
    status_label: str
    deadline: str
    source: str
    notes: list[str] = field(default_factory=list)   # the evidence quoted, the corrections made …
    evidence_status: str | None = None               # for new evidence: done or in_progress


@dataclass
class Section:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)

    def by_unit(self) -> dict[str, list[DigestItem]]:
        """Items per responsible unit (an item of several units under each; NO_UNIT last)."""
        return _group(self.items, lambda i: i.units, NO_UNIT)

    def by_sector(self) -> dict[str, list[DigestItem]]:
        """Items per sector (an item of several sectors under each; NO_SECTOR last)."""
        return _group(self.items, lambda i: i.sectors, NO_SECTOR)


def _group(items: list[DigestItem], keys, missing: str) -> dict[str, list[DigestItem]]:
    out: dict[str, list[DigestItem]] = {}
    for item in items:
        for key in keys(item) or [missing]:
            out.setdefault(key, []).append(item)
    # Biggest groups first, as a reader scans for where the work piles up; the catch-all last.
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == missing, -len(kv[1]), kv[0])))


@dataclass
class Digest:
    since: dt.datetime
    as_of: dt.date
    base_url: str
    generated_at: dt.datetime
    sections: list[Section]
    notes: list[str] = field(default_factory=list)   # what a reader must know to read the numbers right
    last_tracked: str | None = None                  # when the track stage last finished (store time, UTC)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def digest_counts(d: Digest) -> dict[str, int]:
    """The headline numbers (distinct directives per section) for the nightly summary."""
    evidence = d.section("evidence").items
    units = {u for s in d.sections for i in s.items for u in i.units}
    return {
        "new_directives": len(d.section("new").items),
        "became_overdue": len(d.section("overdue").items),
        "new_evidence": len(evidence),
        "new_evidence_done": sum(1 for i in evidence if i.evidence_status == "done"),
        "new_evidence_in_progress": sum(1 for i in evidence if i.evidence_status == "in_progress"),
        "corrected": len(d.section("corrected").items),
        "units": len(units),
    }
