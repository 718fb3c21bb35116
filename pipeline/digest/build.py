"""Building the weekly digest from the store: what is new since a moment, as staff see it.

Every item is read through the lists' own path (``pipeline.notice.items``:
the search engine's conditions, corrected fields, derived statuses), so a
digest line says what the directive's page says. "Since" is about what the
store learned, and each section takes its time from the table that records it:

- new directives: their document's ``documents.ingested_at`` (directives have
  no time of their own, and re-extraction re-inserts them — the document's
  time does not move). A new version of a document repeats most of its
  predecessor: only the sentences the earlier version did not have count.
- new evidence (done / in progress): the reporting document's ``ingested_at``,
  not ``evidence.created_at`` — a re-extraction or a new tracker version
  deletes and re-creates evidence rows, which would report old news as new.
- corrected by staff: ``corrections_current.updated_at`` (kept when a
  correction is carried to a re-cut sentence, so a carry is not news), and
  the log's entries of the window say what was changed.
- became overdue: a status is derived, never stored (spec tracking.md §1), and
  no table records when one changed. Overdue is a function of the deadline and
  the day, so an item became overdue in the window exactly when it is overdue
  as of ``as_of`` and was not as of the day ``since`` falls on — both computed
  by the same read path; only a deadline inside the window can make that
  happen (evidence only accrues; a person's status or deadline change is in
  the corrections section).

The ``runs`` table says when tracking last finished and ``track_docs`` which
documents it has not read yet: their follow-ups are not in the digest, and the
digest says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..corrections import log as corrections_log
from ..parse.textnorm import readable
from ..notice.items import effective_units, listed_ids, load_records
from ..notice import wording
from ..search.records import EFFECTIVE_DEADLINE_DATE, Record
from .model import DEFAULT_BASE_URL, SECTION_TITLES, Digest, DigestItem, Section

PROGRESS = ("done", "in_progress")
PROGRESS_RANK = {"done": 2, "in_progress": 1}
FIELD_LABELS = {"verdict": "核实结论", "parties": "责任单位", "sectors": "涉及领域", "deadline": "完成时限",
                "status": "落实状态"}
TRACK_COMMANDS = ("track", "nightly", "demo")

# A directive a superseded earlier version of its document already had (the same sentence hash).
NOT_IN_EARLIER_VERSION = ("NOT EXISTS (SELECT 1 FROM documents e JOIN directives x ON x.doc_id = e.id "
                          "WHERE e.duplicate_of = doc.id AND e.ingested_at < ? AND x.text_sha256 = d.text_sha256)")
HAS_NEW_PROGRESS = ("EXISTS (SELECT 1 FROM evidence e JOIN documents ed ON ed.id = e.doc_id "
                    "WHERE e.directive_id = d.id AND ed.duplicate_of IS NULL AND ed.ingested_at >= ? "
                    "AND e.status IN ('done', 'in_progress'))")


def as_datetime(since: dt.datetime | dt.date) -> dt.datetime:
    """A moment: a date means its midnight (local time, like a naive datetime)."""
    if isinstance(since, dt.datetime):
        return since
    return dt.datetime.combine(since, dt.time.min)


def store_time(moment: dt.datetime) -> str:
    """``moment`` as the store writes times (UTC, ISO, seconds), so text comparison is time comparison.
    A naive datetime is local time."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day ``moment`` falls on where statuses are judged (local time, as ``date.today()``)."""
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def local_time(stored: str | None) -> str:
    """A store time (UTC ISO) as the reader's local 2026-12-05 13:32."""
    if not stored:
        return ""
    try:
        return dt.datetime.fromisoformat(stored).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stored[:16].replace("T", " ")


def _url(base_url: str, directive_id: int) -> str:
    return f"{base_url.rstrip('/')}/directive/{int(directive_id)}"


def _item(r: Record, base_url: str, notes: list[str], evidence_status: str | None = None) -> DigestItem:
    return DigestItem(id=r.id, text=(readable(r.text) or "").strip(), url=_url(base_url, r.id),
                      units=effective_units(r),
                      sectors=list(r.sectors), status=r.status, status_label=wording.status_label(r.status),
                      deadline=wording.deadline_line(r), source=wording.source_line(r), notes=notes,
                      evidence_status=evidence_status)


def _new_directives(db, since_utc: str, as_of: dt.date, base_url: str) -> list[DigestItem]:
    ids = listed_ids(db, where=["doc.ingested_at >= ?", NOT_IN_EARLIER_VERSION], params=[since_utc, since_utc])
    out = []
    for r in load_records(db, ids, as_of):
        meeting = wording.meeting_line(r)
        out.append(_item(r, base_url, [f"会议/讲话：{meeting}"] if meeting else []))
    return out


def _became_overdue(db, since_day: dt.date, as_of: dt.date, base_url: str) -> list[DigestItem]:
    if since_day >= as_of:
        return []
    ids = listed_ids(db, where=[f"{EFFECTIVE_DEADLINE_DATE} >= ?", f"{EFFECTIVE_DEADLINE_DATE} < ?"],
                     params=[since_day.isoformat(), as_of.isoformat()])
    now = [r for r in load_records(db, ids, as_of) if r.status == "overdue"]
    before = {r.id: r.status for r in load_records(db, [r.id for r in now], since_day)}
    out = []
    for r in now:
        if before.get(r.id) == "overdue":
            continue
        latest = wording.latest_evidence(r)
        notes = [f"完成时限已过，截至{wording.chinese_date(as_of)}未见完成"]
        notes.append(f"最新落实情况：{wording.evidence_line(latest)}" if latest else "最新落实情况：未见后续落实报告")
        out.append(_item(r, base_url, notes))
    return out


def _new_evidence(db, since_utc: str, as_of: dt.date, base_url: str) -> list[DigestItem]:
    ids = listed_ids(db, where=[HAS_NEW_PROGRESS], params=[since_utc])
    if not ids:
        return []
    new_docs = {row[0] for row in db.execute(
        "SELECT DISTINCT e.doc_id FROM evidence e JOIN documents ed ON ed.id = e.doc_id "
        "WHERE ed.ingested_at >= ? AND ed.duplicate_of IS NULL", [since_utc]).fetchall()}
    out = []
    for r in load_records(db, ids, as_of):
        # The record's evidence is what counts as of as_of (a report dated later does not count yet).
        fresh = [e for e in r.evidence if e.get("doc_id") in new_docs and e.get("status") in PROGRESS]
        if not fresh:
            continue
        best = max(fresh, key=lambda e: (PROGRESS_RANK[e["status"]], (e.get("date") or "")[:10], e.get("score") or 0))
        out.append(_item(r, base_url, [f"新报告：{wording.evidence_line(best)}"], evidence_status=best["status"]))
    return out


def _change_line(entry: dict[str, Any]) -> str:
    when = local_time(entry.get("at"))
    label = FIELD_LABELS.get(entry["field"], entry["field"])
    what = f"{label}恢复为程序结果" if entry.get("value") is None else f"{label}改为“{entry['display']}”"
    line = f"{what}（{entry.get('author') or ''}，{when}）"
    if entry.get("comment"):
        line += f"：{entry['comment']}"
    if entry.get("carried"):
        line += f"（{entry['carried']}）"
    return line


def _corrected(db, since_utc: str, as_of: dt.date, base_url: str) -> list[DigestItem]:
    # Rejected items too: that a person struck an item off is exactly what the week's reader should see.
    ids = listed_ids(db, include_rejected=True, where=["cc.updated_at >= ?"], params=[since_utc])
    out = []
    for r in load_records(db, ids, as_of):
        changes = [e for e in corrections_log.history(db, r.doc_sha256, r.text_sha256)
                   if (e.get("at") or "") >= since_utc]
        notes = [_change_line(e) for e in reversed(changes)] or ["已人工更正"]
        if r.verdict == "rejected":
            notes.insert(0, "已人工否决：不是督办事项，不再列入督办")
        out.append(_item(r, base_url, notes))
    return out


def _last_tracked(db) -> str | None:
    marks = ",".join("?" * len(TRACK_COMMANDS))
    row = db.execute(f"SELECT max(finished_at) FROM runs WHERE command IN ({marks}) AND status = 'ok'",
                     list(TRACK_COMMANDS)).fetchone()
    return row[0] if row else None


def _untracked_documents(db, since_utc: str) -> int:
    """Documents stored in the window that tracking has not read yet (their follow-ups are missing)."""
    return db.execute(
        "SELECT count(*) FROM documents doc WHERE doc.duplicate_of IS NULL AND doc.ingested_at >= ? "
        "AND NOT EXISTS (SELECT 1 FROM track_docs t WHERE t.doc_id = doc.id)", [since_utc]).fetchone()[0]


def build_digest(db, since: dt.datetime | dt.date, as_of: dt.date | None = None,
                 base_url: str = DEFAULT_BASE_URL) -> Digest:
    """The digest of what the store learned since ``since``, statuses as of ``as_of`` (default today).

    ``base_url`` is where ``duban serve`` answers; every item links to its
    page there (``/directive/<id>``).
    """
    moment = as_datetime(since)
    since_utc = store_time(moment)
    as_of = as_of or dt.date.today()
    since_day = local_day(moment)
    found = {
        "new": _new_directives(db, since_utc, as_of, base_url),
        "overdue": _became_overdue(db, since_day, as_of, base_url),
        "evidence": _new_evidence(db, since_utc, as_of, base_url),
        "corrected": _corrected(db, since_utc, as_of, base_url),
    }
    notes: list[str] = []
    untracked = _untracked_documents(db, since_utc)
    if untracked:
        notes.append(f"本期新收录的文档中有 {untracked} 篇尚未经跟踪比对，其中的落实进展要在下次跟踪"
                     "（duban track 或夜间任务）后才会计入。")
    if since_day >= as_of:
        notes.append("状态截至日期不晚于统计起始日，本期不统计新近逾期事项。")
    last = _last_tracked(db)
    return Digest(since=moment, as_of=as_of, base_url=base_url,
                  generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                  sections=[Section(key, SECTION_TITLES[key], items) for key, items in found.items()],
                  notes=notes, last_tracked=last)
