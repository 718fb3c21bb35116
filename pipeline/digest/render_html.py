"""The digest as one self-contained HTML page (mail bodies, an intranet share).

Everything that goes into the page is escaped with ``html.escape(quote=True)``
— document text, unit and sector names, the base URL — because documents are
untrusted web text and the base URL is a command-line value. Links are built
from the base URL and an integer id only, and only http(s) base URLs are
linked: anything else is shown as text. No script, no external resource: the
page must open offline and in mail clients that strip both.
"""

from __future__ import annotations

from html import escape

from . import text
from .model import Digest, DigestItem

STYLE = """
body { font-family: "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.6; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
.facts, .note { color: #444; font-size: 0.92em; } .notes { margin: 0.2em 0 0.6em 1.2em; }
.muted { color: #777; } .status-overdue { color: #b00020; } .status-done { color: #1b5e20; }
"""


def e(value: object) -> str:
    return escape(str(value if value is not None else ""), quote=True)


def _link(item: DigestItem) -> str:
    href = text.link_target(item)
    label = e(text.item_label(item))
    return f'<a href="{e(href)}">{label}</a>' if href else label


def _item(item: DigestItem) -> str:
    notes = "".join(f'<li class="note">{e(note)}</li>' for note in item.notes)
    return (f'<li>{_link(item)} {e(item.text)}<div class="facts status-{e(item.status)}">'
            f"{e(text.item_facts(item))}</div>" + (f'<ul class="notes">{notes}</ul>' if notes else "") + "</li>")


def render_html(d: Digest) -> str:
    """The digest as an HTML document (UTF-8), every text escaped."""
    parts = ['<!DOCTYPE html>', '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
             f"<title>{e(text.TITLE)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h1>{e(text.TITLE)}</h1>", f"<p>{e(text.period(d))}</p>",
             f'<p class="muted">{e(text.tracked_line(d))}</p>',
             "<ul>" + "".join(f"<li>{e(line)}</li>" for line in text.headline(d)) + "</ul>"]
    parts += [f'<p class="muted">注：{e(note)}</p>' for note in d.notes]
    for n, section in enumerate(d.sections, 1):
        heading = text.section_heading(n, section.title, len(section.items))
        parts.append(f'<section id="{e(section.key)}"><h2>{e(heading)}</h2>')
        if not section.items:
            parts.append(f"<p>{e(text.EMPTY)}</p></section>")
            continue
        parts.append(f"<h3>{e(text.BY_UNIT)}</h3>")
        for unit, items in section.by_unit().items():
            parts.append(f"<h4>{e(unit)}（{len(items)}）</h4><ul>" + "".join(_item(i) for i in items) + "</ul>")
        parts.append(f"<h3>{e(text.BY_SECTOR)}</h3><ul>")
        for sector, items in section.by_sector().items():
            parts.append(f"<li>{e(sector)}（{len(items)}）：" + "、".join(_link(i) for i in items) + "</li>")
        parts.append("</ul></section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
