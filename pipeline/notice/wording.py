"""How an item's fields read in a notice: dates, numbers, deadline, source, latest evidence.

Kept apart from the layout so the weekly digest words an item the same way in
Markdown, HTML and DOCX. The texts are the store's (untrusted web text):
nothing here interprets them, the renderers escape them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..parse.textnorm import readable
from ..search.records import DEADLINE_KIND_LABELS, STATUS_LABELS, VIA_LABELS, Record

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """一 … 九十九 … 九百九十九, for 一、 and （一） headings (the numbers official documents count with)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    if ones:
        out += DIGITS[ones]
    return out


def chinese_date(value: dt.date | str | None) -> str:
    """2025年6月30日 (GB/T 9704 writes dates with Arabic numerals, without leading zeros)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def deadline_line(r: Record) -> str:
    """The date and the document's own words: 2025年6月30日（原文：6月底前）; the wording alone when undated."""
    kind = DEADLINE_KIND_LABELS.get(r.deadline_kind or "", "")
    words = (readable(r.deadline_text) or "").strip()
    if r.deadline_date:
        date = chinese_date(r.deadline_date)
        return f"{date}（原文：{words}）" if words and words != r.deadline_date else date
    if words:
        # The kind in parentheses after the wording, flattened: 时间节点（限期，未给日期）, not nested brackets.
        kind = kind.replace("（", "，").replace("）", "")
        return f"{words}（{kind}）" if kind and kind != words else words
    return "未明确时限"


def source_line(r: Record) -> str:
    """《title》（date）, or the source address when the document has no title."""
    title = readable(r.title) or r.source or ""
    date = chinese_date(r.doc_date)
    return f"《{title}》" + (f"（{date}）" if date else "")


def meeting_line(r: Record) -> str:
    """The meeting and who spoke, where the document says."""
    speaker = r.speaker or ""
    if r.speaker and r.speaker_role:
        speaker = f"{r.speaker_role}{r.speaker}"
    elif r.speaker_role:
        speaker = r.speaker_role
    if r.meeting and speaker:
        return f"{readable(r.meeting)}（{speaker}讲话）"
    return readable(r.meeting) or (f"{speaker}讲话" if speaker else "")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def latest_evidence(r: Record) -> dict[str, Any] | None:
    """The most recent follow-up by its document's date (the best-scored among one day's): what was
    last heard of the task, which is what a unit is asked to go on from."""
    if not r.evidence:
        return None
    return max(r.evidence, key=lambda e: ((e.get("date") or "")[:10], e.get("score") or 0.0))


def evidence_line(e: dict[str, Any]) -> str:
    """“quote”（《document》，date；what linked it）."""
    where = f"《{readable(e.get('title')) or e.get('source') or ''}》"
    date = chinese_date(e.get("date"))
    how = "·".join(x for x in (STATUS_LABELS.get(e.get("status") or "", ""), VIA_LABELS.get(e.get("via") or "", ""))
                   if x)
    tail = "，".join(x for x in (where, date) if x) + (f"；{how}" if how else "")
    return f"“{(readable(e.get('text')) or '').strip()}”（{tail}）"


def override_line(r: Record) -> str:
    """A person's status with their comment (the evidence a unit should see first)."""
    if not (r.status_override and r.status_comment):
        return ""
    who = "，".join(x for x in (r.corrected_by or "", chinese_date(r.corrected_at)) if x)
    return f"人工核定为“{status_label(r.status_override)}”：{r.status_comment}" + (f"（{who}）" if who else "")
