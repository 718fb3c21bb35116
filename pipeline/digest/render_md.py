"""The digest as Markdown (for mail and chat tools that render it).

Document text is web text we do not control: a sentence holding ``[x](javascript:…)``,
``<img onerror=…>`` or a ``|`` must not become a link, HTML or a table in the
reader's viewer. CommonMark lets any ASCII punctuation be escaped with a
backslash and then shows it literally, so every mark that can open a link, an
image, emphasis, code, raw HTML, an entity or a table cell is escaped, and line
breaks are folded so a text cannot start a line (a heading or a list) of its own.
"""

from __future__ import annotations

import re

from . import text
from .model import Digest, DigestItem

# The ASCII marks that open Markdown or HTML constructs inside a line (a line never starts with
# untrusted text here, so list and heading markers at a line's start cannot arise).
_PUNCT = re.compile(r"([\\`*_\[\]<>()#|!~&{}$])")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md_escape(value: str) -> str:
    """Untrusted text shown literally by any CommonMark renderer."""
    return _PUNCT.sub(r"\\\1", _BREAKS.sub(" ", value or ""))


def _link(item: DigestItem) -> str:
    label = md_escape(text.item_label(item))
    target = text.link_target(item)
    if not target:
        return label
    # The URL is ours (base URL and an integer id); percent-encode what could end the link anyway.
    url = target.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{label}]({url})"


def _item_lines(item: DigestItem) -> list[str]:
    lines = [f"- {_link(item)} {md_escape(item.text)}", f"  - {md_escape(text.item_facts(item))}"]
    lines += [f"  - {md_escape(note)}" for note in item.notes]
    return lines


def render_markdown(d: Digest) -> str:
    """The whole digest: period, headline numbers, then each section per unit (full items) and per sector
    (links only, so an item is read once per unit and found again by sector)."""
    out = [f"# {text.TITLE}", "", md_escape(text.period(d)), "", md_escape(text.tracked_line(d)), ""]
    out += [f"- {md_escape(line)}" for line in text.headline(d)]
    if d.notes:
        out.append("")
        out += [f"> 注：{md_escape(note)}" for note in d.notes]
    for n, section in enumerate(d.sections, 1):
        out += ["", f"## {md_escape(text.section_heading(n, section.title, len(section.items)))}", ""]
        if not section.items:
            out.append(text.EMPTY)
            continue
        out += [f"### {text.BY_UNIT}", ""]
        for unit, items in section.by_unit().items():
            out += [f"#### {md_escape(unit)}（{len(items)}）", ""]
            for item in items:
                out += _item_lines(item)
            out.append("")
        out += [f"### {text.BY_SECTOR}", ""]
        for sector, items in section.by_sector().items():
            out.append(f"- {md_escape(sector)}（{len(items)}）：" + "、".join(_link(i) for i in items))
    return "\n".join(out).rstrip() + "\n"
