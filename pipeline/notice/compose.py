"""One unit's notice as a document: banner, number, title, addressee, items, closing, signature.

The order and type follow GB/T 9704-2012: the issuer's red banner and the
document number over a red rule, the title in 小标宋, the addressee flush
left, the body in 仿宋 indented two characters, first-level headings (一、) in
黑体 and second-level ones (（一）) in 楷体, the issuer and the date at the
end on the right (as a notice without a seal places them). Each item says what the unit was told to do, where and by
when, what its status is and what was last heard of it, so the unit can answer
item by item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH

from ..parse.textnorm import readable
from ..search.records import Record
from . import layout, wording
from .settings import NoticeSettings

SECTIONS = (("overdue", "已逾期事项"), ("no_evidence", "未见落实反馈事项"))


def document_number(settings: NoticeSettings, year: int, number: int) -> str:
    """安委办督〔2026〕1号: the prefix, the year in 六角括号, the sequence number (GB/T 9704 §7.2.4)."""
    return f"{settings.issuer.number_prefix}〔{year}〕{number}号"


def _fill(template: str, values: dict[str, object], name: str) -> str:
    """A wording template with its placeholders filled; a placeholder we do not know is the office's typo."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"通知单设置 [wording] {name} 中有无法识别的占位符：{exc}"
                         f"（可用：{'、'.join('{' + k + '}' for k in values)}）") from exc


def _labelled(doc, label: str, text: str, settings: NoticeSettings) -> None:
    """``label：text`` indented two characters, the label in the heading font so the eye finds it."""
    para = layout.paragraph(doc, settings=settings, indent_chars=2)
    layout.add_text(para, f"{label}：", settings, font=settings.fonts.heading1)
    layout.add_text(para, text, settings)


def _item(doc, n: int, r: Record, settings: NoticeSettings) -> None:
    layout.paragraph(doc, f"（{wording.chinese_number(n)}）督办事项第{r.id}号", font=settings.fonts.heading2,
                     settings=settings, indent_chars=2, keep_with_next=True)
    _labelled(doc, "任务内容", (readable(r.text) or "").strip(), settings)
    _labelled(doc, "来源文件", wording.source_line(r), settings)
    meeting = wording.meeting_line(r)
    if meeting:
        _labelled(doc, "会议/讲话", meeting, settings)
    _labelled(doc, "完成时限", wording.deadline_line(r), settings)
    _labelled(doc, "落实状态", wording.status_label(r.status), settings)
    override = wording.override_line(r)
    if override:
        _labelled(doc, "核定说明", override, settings)
    latest = wording.latest_evidence(r)
    _labelled(doc, "最新落实情况", wording.evidence_line(latest) if latest else "截至目前未见后续落实报告。", settings)


def compose(unit: str, items: Sequence[Record], settings: NoticeSettings, as_of: dt.date, number: int):
    """The notice to ``unit`` about ``items`` (already filtered and ordered), as a python-docx Document."""
    doc = layout.new_document(settings)
    s = settings
    if s.issuer.banner:
        layout.paragraph(doc, s.issuer.banner_text or s.issuer.name, font=s.fonts.title, size_pt=s.sizes.banner_pt,
                         settings=s, align=WD_ALIGN_PARAGRAPH.CENTER, color=layout.RED)
        layout.paragraph(doc, settings=s)
    number_line = layout.paragraph(doc, document_number(s, as_of.year, number), settings=s,
                                   align=WD_ALIGN_PARAGRAPH.CENTER)
    if s.issuer.banner:
        layout.red_rule(number_line)
    # The title two lines under the red rule, the addressee one line under the title (GB/T 9704 §7.3.1–2).
    layout.paragraph(doc, settings=s)
    layout.paragraph(doc, settings=s)
    layout.paragraph(doc, s.wording.title, font=s.fonts.title, size_pt=s.sizes.title_pt, settings=s,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    layout.paragraph(doc, settings=s)
    layout.paragraph(doc, f"{unit}：", settings=s)
    overdue = sum(1 for r in items if r.status == "overdue")
    values = {"unit": unit, "as_of": wording.chinese_date(as_of), "count": len(items), "overdue": overdue,
              "no_evidence": len(items) - overdue, "issuer": s.issuer.name, "reply_days": s.wording.reply_days}
    layout.paragraph(doc, _fill(s.wording.intro, values, "intro"), settings=s, indent_chars=2)
    heading = 0
    for status, title in SECTIONS:
        part = [r for r in items if r.status == status]
        if not part:
            continue
        heading += 1
        layout.paragraph(doc, f"{wording.chinese_number(heading)}、{title}（{len(part)}项）", font=s.fonts.heading1,
                         settings=s, indent_chars=2, keep_with_next=True)
        for n, r in enumerate(part, 1):
            _item(doc, n, r, s)
    layout.paragraph(doc, _fill(s.wording.closing, values, "closing"), settings=s, indent_chars=2)
    _signature(doc, s, as_of)
    if s.wording.contact:
        # 附注: under the date, two characters in, in parentheses (GB/T 9704 §7.3.6).
        layout.paragraph(doc, f"（{s.wording.contact}）", settings=s, indent_chars=2)
    return doc


def _width(text: str) -> float:
    """Width in characters of the body size: Arabic numerals and Latin letters are half-width."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def _signature(doc, s: NoticeSettings, as_of: dt.date) -> None:
    """Issuer and date of a notice without a seal (GB/T 9704 §7.3.5.3): one line under the body, the
    issuer two characters from the right; the date on the next line, its first character two to
    the right of the issuer's first."""
    date = wording.chinese_date(as_of)
    issuer_right = 2 + max(_width(date) - _width(s.issuer.name), 0)
    date_right = max(_width(s.issuer.name) - _width(date), 0)
    layout.paragraph(doc, settings=s)
    layout.paragraph(doc, s.issuer.name, settings=s, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_chars=issuer_right)
    layout.paragraph(doc, date, settings=s, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_chars=date_right)
