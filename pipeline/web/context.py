"""A directive in its document: neighbouring sentences, and the body with its marks.

People judge a machine-found order by reading around it, so the directive
page shows the sentences before and after it under its heading path, and the
document page shows the whole body with every directive (and one evidence
span, when a link asks for it) marked. All text is escaped here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

NEIGHBOURS = 2


@dataclass
class Snippet:
    text: str
    current: bool
    new_para: bool = False     # starts a paragraph of its own (a heading, a new item)


def neighbours(db, doc_id: int, start: int, end: int, around: int = NEIGHBOURS) -> list[Snippet]:
    """The sentences before and after [start, end) in the same document, and the sentence itself."""
    body_row = db.execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()
    body = body_row[0] if body_row else ""
    row = db.execute('SELECT idx FROM sentences WHERE doc_id = ? AND start <= ? ORDER BY start DESC LIMIT 1',
                     [doc_id, start]).fetchone()
    if row is None:
        return [Snippet(body[max(0, start - 120):start], False), Snippet(body[start:end], True),
                Snippet(body[end:end + 120], False)]
    idx = row[0]
    rows = db.execute('SELECT idx, start, "end", para FROM sentences WHERE doc_id = ? AND idx BETWEEN ? AND ? '
                      "ORDER BY idx", [doc_id, idx - around - 1, idx + around + 3]).fetchall()
    current_para = next((p for _, s, e, p in rows if s <= start < max(e, s + 1)), None)
    before = [(s, e, p) for _, s, e, p in rows if e <= start][-around:]
    after = [(s, e, p) for _, s, e, p in rows if s >= end][:around]
    out: list[Snippet] = []
    last_para = None
    for s, e, p in before:
        out.append(Snippet(body[s:e], False, last_para is not None and p != last_para))
        last_para = p
    out.append(Snippet(body[start:end], True, last_para is not None and current_para != last_para))
    last_para = current_para
    for s, e, p in after:
        out.append(Snippet(body[s:e], False, p != last_para))
        last_para = p
    return out


@dataclass
class Mark:
    start: int
    end: int
    css: str
    href: str | None = None
    anchor: str | None = None
    title: str | None = None


def render_body(body: str, marks: list[Mark]) -> Markup:
    """The body as escaped paragraphs, with non-overlapping marks as <a>/<span> around their text."""
    marks = sorted((m for m in marks if 0 <= m.start < m.end <= len(body)), key=lambda m: (m.start, -m.end))
    kept: list[Mark] = []
    for m in marks:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    out: list[str] = []
    pos = 0
    for m in kept:
        out.append(str(escape(body[pos:m.start])))
        attrs = f' class="{escape(m.css)}"'
        if m.title:
            attrs += f' title="{escape(m.title)}"'
        pieces = []
        for k, piece in enumerate(body[m.start:m.end].split("\n")):
            piece_attrs = attrs + (f' id="{escape(m.anchor)}"' if m.anchor and k == 0 else "")
            inner = str(escape(piece))
            if not inner:
                pieces.append("")
            elif m.href:
                pieces.append(f'<a href="{escape(m.href)}"{piece_attrs}>{inner}</a>')
            else:
                pieces.append(f"<span{piece_attrs}>{inner}</span>")
        out.append("\n".join(pieces))   # a mark never straddles a paragraph's <p>
        pos = m.end
    out.append(str(escape(body[pos:])))
    html = "".join(out)
    paragraphs = [p for p in html.split("\n") if p.strip()]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))
