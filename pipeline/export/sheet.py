"""The follow-up sheet (督办台账): the same columns for XLSX and CSV.

Staff open this in Excel, so it is written for Excel: Chinese headers, real
dates, a status drop-down, overdue rows in red, and no cell that Excel could
take for a formula. Text comes from web pages we do not control, so any cell
starting with = + - @ or a tab/CR is prefixed with an apostrophe (OWASP's
advice against CSV/formula injection) — in the CSV and in the XLSX alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..parse.textnorm import readable
from ..search.records import DEADLINE_KIND_LABELS, STATUS_LABELS, VIA_LABELS, Record

HEADERS = ["序号", "任务内容", "责任单位", "涉及领域", "完成时限", "时限类型", "来源文件", "会议/讲话", "讲话人",
           "日期", "落实状态", "落实依据（后续报告摘录）", "依据来源", "备注", "事项编号"]
WIDTHS = [6, 60, 22, 16, 12, 16, 30, 26, 16, 12, 10, 56, 28, 34, 10]
WRAPPED = {"任务内容", "责任单位", "涉及领域", "时限类型", "来源文件", "会议/讲话", "讲话人", "落实依据（后续报告摘录）",
           "依据来源", "备注"}
DATE_COLUMNS = {"完成时限", "日期"}
STATUS_COLUMN = "落实状态"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
EVIDENCE_SHOWN = 2
NEAR_DAYS = 30


def neutralise(value: Any) -> Any:
    """A string Excel could run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _speaker(r: Record) -> str:
    if r.speaker and r.speaker_role:
        return f"{r.speaker}（{r.speaker_role}）"
    return r.speaker or r.speaker_role or ""


def _deadline(r: Record) -> tuple[Any, str]:
    """完成时限 (a date where there is one, else the wording) and 时限类型 (kind, with the wording)."""
    kind = DEADLINE_KIND_LABELS.get(r.deadline_kind or "", r.deadline_kind or "")
    date = _date(r.deadline_date)
    wording = readable(r.deadline_text)
    if date:
        return date, f"{kind}（{wording}）" if wording and r.deadline_text != r.deadline_date else kind
    return (wording or ""), kind


def _evidence(r: Record) -> tuple[str, str]:
    """The best follow-up quotes and where they come from; a person's comment when they set the status."""
    quotes, sources = [], []
    if r.status_override and r.status_comment:
        quotes.append(f"【人工】{r.status_comment}")
        sources.append(f"{r.corrected_by or ''} {(r.corrected_at or '')[:10]}".strip())
    for e in r.evidence[:EVIDENCE_SHOWN]:
        label = "·".join(x for x in (STATUS_LABELS.get(e.get("status") or "", ""), VIA_LABELS.get(e.get("via") or "", ""))
                         if x)
        quotes.append((f"【{label}】" if label else "") + (readable(e.get("text")) or ""))
        where = " ".join(x for x in (readable(e.get("title")) or e.get("source") or "", e.get("date") or "") if x)
        if where and where not in sources:
            sources.append(where)
    return "\n".join(quotes), "\n".join(sources)


def _notes(r: Record) -> str:
    notes = []
    if r.verdict == "confirmed":
        notes.append("已人工确认")
    elif r.verdict == "rejected":
        notes.append("已人工否决（不是督办事项）")
    edited = [name for key, name in (("parties", "责任单位"), ("sectors", "涉及领域"), ("deadline", "完成时限"))
              if key in r.corrected]
    if edited:
        notes.append("人工更正：" + "、".join(edited))
    if r.status_override:
        notes.append(f"落实状态人工设定（机器判断：{STATUS_LABELS.get(r.machine_status, r.machine_status)}）")
    if notes and r.carried:
        notes.append(r.carried)
    if notes and r.corrected_by:
        notes.append(f"更正人：{r.corrected_by}，{(r.corrected_at or '')[:16].replace('T', ' ')}")
    return "；".join(notes)


def row(n: int, r: Record) -> list[Any]:
    """One sheet row, unneutralised (the writers neutralise). Texts as staff read them (``readable``): a
    re-hosted page's pinyin glosses are left out; the row's 事项编号 leads back to the stored sentence."""
    due, due_kind = _deadline(r)
    quotes, sources = _evidence(r)
    return [n, readable(r.text), "、".join(map(readable, r.parties)), "、".join(r.sectors), due, due_kind,
            readable(r.title) or r.source, readable(r.meeting) or "",
            _speaker(r), _date(r.doc_date) or (r.doc_date or ""), STATUS_LABELS.get(r.status, r.status), quotes,
            sources, _notes(r), r.id]


def rows(records: Iterable[Record]) -> Iterable[list[Any]]:
    """Neutralised rows for CSV (dates as ISO text, which Excel reads as dates)."""
    for n, r in enumerate(records, 1):
        yield [neutralise(v.isoformat() if isinstance(v, dt.date) else v) for v in row(n, r)]


def due_soon(r: Record, as_of: dt.date) -> bool:
    """Not done, not yet overdue, and due within NEAR_DAYS: the sheet's amber light."""
    date = _date(r.deadline_date)
    return bool(date) and r.status not in ("done", "overdue") and as_of <= date <= as_of + dt.timedelta(days=NEAR_DAYS)
