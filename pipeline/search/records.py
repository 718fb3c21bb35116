"""A directive as people see it: machine fields with their corrections applied, and its status.

Search, the sheet and the web page all read directives through here, so a
person's correction shows — and filters — the same everywhere. The SQL joins
``corrections_current`` by the stable hashes; the status comes from the track
stage, a person's override winning. A correction carried over from a re-cut
sentence or an earlier version of the document (``pipeline/corrections/carry.py``)
is in ``corrections_current`` like any other; ``carried`` says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

# The statuses, their names and ranks are the track stage's (spec tracking.md §1); re-exported here.
from ..track.status import LABELS as STATUS_LABELS, RANK, VIA_LABELS  # noqa: F401

STATUS_BY_LABEL = {v: k for k, v in STATUS_LABELS.items()}
DEADLINE_KIND_LABELS = {"date": "明确日期", "immediate": "立即", "recurring": "长期/定期", "period": "阶段性",
                        "vague": "限期（未给日期）"}
KIND_LABELS = {"speech": "讲话", "notice": "通知", "plan": "规划/方案", "report": "报告", "news": "新闻",
               "interview": "访谈", "other": "其他"}
KIND_BY_LABEL = {v: k for k, v in KIND_LABELS.items()} | {"规划": "plan", "方案": "plan", "要点": "plan"}

# The effective columns; ``cc`` is corrections_current, joined by the two hashes.
SELECT = """
SELECT d.id, d.doc_id, d.start, d."end", d.text, d.text_sha256,
       COALESCE(cc.sectors, d.sectors), COALESCE(cc.parties, d.parties), COALESCE(cc.party_types, d.party_types),
       CASE WHEN cc.deadline IS NOT NULL THEN json_extract(cc.deadline, '$.text') ELSE d.deadline_text END,
       CASE WHEN cc.deadline IS NOT NULL THEN json_extract(cc.deadline, '$.kind') ELSE d.deadline_kind END,
       CASE WHEN cc.deadline IS NOT NULL THEN json_extract(cc.deadline, '$.date') ELSE d.deadline_date END,
       d.heading_path, d.score, d.extractor_version,
       doc.title, doc.date, doc.published, doc.source, doc.kind, doc.place, doc.speaker, doc.speaker_role,
       doc.meeting, doc.text_sha256,
       cc.verdict, cc.sectors IS NOT NULL, cc.parties IS NOT NULL, cc.deadline IS NOT NULL,
       cc.status, cc.status_comment, cc.updated_by, cc.updated_at,
       cr.from_doc_sha256 = doc.text_sha256, cr.fields,
       (SELECT substr(o.ingested_at, 1, 10) FROM documents o WHERE o.id = cr.from_doc_id),
       d.safety
"""
FROM = """
FROM directives d
JOIN documents doc ON doc.id = d.doc_id
LEFT JOIN corrections_current cc ON cc.doc_sha256 = doc.text_sha256 AND cc.text_sha256 = d.text_sha256
LEFT JOIN correction_carries cr ON cr.doc_sha256 = doc.text_sha256 AND cr.text_sha256 = d.text_sha256
"""
EFFECTIVE_DEADLINE_DATE = ("(CASE WHEN cc.deadline IS NOT NULL THEN json_extract(cc.deadline, '$.date') "
                           "ELSE d.deadline_date END)")


@dataclass
class Record:
    id: int
    doc_id: int
    start: int
    end: int
    text: str
    text_sha256: str
    sectors: list[str]
    parties: list[str]
    party_types: list[str]
    deadline_text: str | None
    deadline_kind: str | None
    deadline_date: str | None
    heading_path: list[str]
    score: float | None
    extractor_version: str
    title: str | None
    date: str | None
    published: str | None
    source: str
    kind: str | None
    place: str | None
    speaker: str | None
    speaker_role: str | None
    meeting: str | None
    doc_sha256: str
    verdict: str | None = None
    corrected: set[str] = field(default_factory=set)
    status_override: str | None = None
    status_comment: str | None = None
    corrected_by: str | None = None
    corrected_at: str | None = None
    carried: str | None = None          # where a carried-over correction came from, as people read it
    machine_status: str = "no_evidence"
    status: str = "no_evidence"
    evidence: list[dict[str, Any]] = field(default_factory=list)
    rank: float | None = None
    safety: bool = True                  # work safety in the broad sense (directives.safety)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def edited(self) -> list[str]:
        """The fields a person edited (not counting a verdict or a status)."""
        return sorted(self.corrected & {"parties", "sectors", "deadline"})

    @property
    def doc_date(self) -> str | None:
        return self.date or self.published

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "doc_id": self.doc_id, "text": self.text, "start": self.start, "end": self.end,
            "sectors": self.sectors, "parties": self.parties,
            "deadline": ({"text": self.deadline_text, "kind": self.deadline_kind, "date": self.deadline_date}
                         if (self.deadline_text or self.deadline_kind) else None),
            "heading": self.heading_path, "status": self.status, "status_label": self.status_label,
            "machine_status": self.machine_status, "verdict": self.verdict, "corrected": sorted(self.corrected),
            "corrected_by": self.corrected_by, "corrected_at": self.corrected_at, "carried": self.carried,
            "status_comment": self.status_comment, "safety": self.safety,
            "document": {"title": self.title, "date": self.date, "published": self.published, "source": self.source,
                         "kind": self.kind, "place": self.place, "speaker": self.speaker,
                         "speaker_role": self.speaker_role, "meeting": self.meeting},
            "evidence": self.evidence,
        }


def _list(value: str | None) -> list[str]:
    try:
        out = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in out] if isinstance(out, list) else []


def from_row(row: tuple) -> Record:
    """A Record from the columns of ``SELECT`` (in that order), before statuses are attached."""
    corrected = {name for name, flag in zip(("sectors", "parties", "deadline"), row[26:29]) if flag}
    if row[25]:
        corrected.add("verdict")
    if row[29]:
        corrected.add("status")
    return Record(
        id=row[0], doc_id=row[1], start=row[2], end=row[3], text=row[4], text_sha256=row[5],
        sectors=_list(row[6]), parties=_list(row[7]), party_types=_list(row[8]),
        deadline_text=row[9], deadline_kind=row[10], deadline_date=row[11], heading_path=_list(row[12]),
        score=row[13], extractor_version=row[14], title=row[15], date=row[16], published=row[17], source=row[18],
        kind=row[19], place=row[20], speaker=row[21], speaker_role=row[22], meeting=row[23], doc_sha256=row[24],
        verdict=row[25], corrected=corrected, status_override=row[29], status_comment=row[30],
        corrected_by=row[31], corrected_at=row[32], carried=_carried(row[33], row[34], row[35]),
        safety=bool(row[36]),
    )


def _carried(same_text: int | None, fields: str | None, version_date: str | None) -> str | None:
    """The note of a carried-over correction (None when nothing was carried)."""
    if same_text is None or not _list(fields):
        return None
    from ..corrections.carry import carry_note

    return carry_note(None if same_text else (version_date or ""))


def _fallback_statuses(db, ids: list[int], as_of: dt.date) -> dict[int, tuple[str, list[dict]]]:
    """Without the track stage: no evidence, overdue once the deadline has passed (spec tracking.md §1)."""
    out: dict[int, tuple[str, list[dict]]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        rows = db.execute(f"SELECT id, deadline_date FROM directives WHERE id IN ({','.join('?' * len(part))})",
                          part).fetchall()
        for i, date in rows:
            out[i] = ("overdue" if date and date < as_of.isoformat() else "no_evidence", [])
    return out


def machine_statuses(db, ids: list[int], as_of: dt.date) -> dict[int, tuple[str, list[dict]]]:
    """The track stage's status and evidence per directive id (best evidence first)."""
    if not ids:
        return {}
    try:
        from ..track.tracker import statuses
    except ImportError:
        return _fallback_statuses(db, ids, as_of)
    result = statuses(db, as_of=as_of, directive_ids=ids)
    out = {i: (s.status, list(s.evidence or [])) for i, s in result.items()}
    missing = [i for i in ids if i not in out]
    if missing:   # directives the tracker does not follow (e.g. of an undated document)
        out.update(_fallback_statuses(db, missing, as_of))
    return out


def derive_status(evidence: list[dict], deadline_date: str | None, as_of: dt.date) -> str:
    """The spec's rule, used when a person changed the deadline the tracker went by."""
    best = max((e.get("status") for e in evidence if e.get("status") in RANK), key=lambda s: RANK[s], default=None)
    status = best or "no_evidence"
    if status != "done" and deadline_date and deadline_date < as_of.isoformat():
        return "overdue"
    return status


def attach_statuses(db, records: list[Record], as_of: dt.date | None = None) -> list[Record]:
    """Fill machine status, evidence and the status shown (the person's override wins)."""
    as_of = as_of or dt.date.today()
    found = machine_statuses(db, [r.id for r in records], as_of)
    for r in records:
        status, evidence = found.get(r.id, ("no_evidence", []))
        r.evidence = evidence
        r.machine_status = status
        if "deadline" in r.corrected:
            status = derive_status(evidence, r.deadline_date, as_of)
        r.status = r.status_override or status
    return records


def load(db, ids: list[int], as_of: dt.date | None = None, with_status: bool = True) -> list[Record]:
    """Records for ``ids``, in the order given."""
    if not ids:
        return []
    rows: dict[int, Record] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for row in db.execute(f"{SELECT} {FROM} WHERE d.id IN ({','.join('?' * len(part))})", part).fetchall():
            rows[row[0]] = from_row(row)
    records = [rows[i] for i in ids if i in rows]
    return attach_statuses(db, records, as_of) if with_status else records
