"""The digest as a Word document, in the type and page of the office's notices.

It is printed and passed round like the notices, so it uses their layout
(``pipeline.notice.layout``: A4, GB/T 9704 margins, 仿宋 body, 黑体/楷体
headings, ``— 1 —`` page numbers) and their settings file for fonts. Text goes
into runs, never parsed, so document text cannot inject anything; each item's
number is a link to its page.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from ..notice import layout
from ..notice.settings import NoticeSettings, resolve
from ..notice.writer import save_docx
from . import text
from .model import Digest, DigestItem


def _item(doc, item: DigestItem, s: NoticeSettings) -> None:
    para = layout.paragraph(doc, settings=s, indent_chars=2)
    target = text.link_target(item)
    if target:
        layout.add_hyperlink(para, target, text.item_label(item), s)
    else:
        layout.add_text(para, text.item_label(item), s)
    layout.add_text(para, f"  {item.text}", s)
    layout.paragraph(doc, text.item_facts(item), settings=s, indent_chars=2)
    for note in item.notes:
        layout.paragraph(doc, note, settings=s, indent_chars=2)


def _compose(d: Digest, s: NoticeSettings):
    doc = layout.new_document(s)
    layout.paragraph(doc, text.TITLE, font=s.fonts.title, size_pt=s.sizes.title_pt, settings=s,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    layout.paragraph(doc, settings=s)
    layout.paragraph(doc, text.period(d), settings=s, indent_chars=2)
    layout.paragraph(doc, text.tracked_line(d), settings=s, indent_chars=2)
    for line in text.headline(d):
        layout.paragraph(doc, line, settings=s, indent_chars=2)
    for note in d.notes:
        layout.paragraph(doc, f"注：{note}", settings=s, indent_chars=2)
    for n, section in enumerate(d.sections, 1):
        layout.paragraph(doc, text.section_heading(n, section.title, len(section.items)), font=s.fonts.heading1,
                         settings=s, indent_chars=2, keep_with_next=True)
        if not section.items:
            layout.paragraph(doc, text.EMPTY, settings=s, indent_chars=2)
            continue
        layout.paragraph(doc, f"（一）{text.BY_UNIT}", font=s.fonts.heading2, settings=s, indent_chars=2,
                         keep_with_next=True)
        for unit, items in section.by_unit().items():
            layout.paragraph(doc, f"{unit}（{len(items)}项）", settings=s, indent_chars=2, bold=True,
                             keep_with_next=True)
            for item in items:
                _item(doc, item, s)
        layout.paragraph(doc, f"（二）{text.BY_SECTOR}", font=s.fonts.heading2, settings=s, indent_chars=2,
                         keep_with_next=True)
        for sector, items in section.by_sector().items():
            para = layout.paragraph(doc, settings=s, indent_chars=2)
            layout.add_text(para, f"{sector}（{len(items)}项）：", s)
            for k, item in enumerate(items):
                if k:
                    layout.add_text(para, "、", s)
                target = text.link_target(item)
                if target:
                    layout.add_hyperlink(para, target, text.item_label(item), s)
                else:
                    layout.add_text(para, text.item_label(item), s)
    return doc


def write_docx(d: Digest, path: str | Path, settings: NoticeSettings | str | Path | None = None) -> Path:
    """Write the digest to ``path`` (written beside it first and renamed, so no half file is left)."""
    target = Path(path)
    save_docx(_compose(d, resolve(settings)), target)
    return target
