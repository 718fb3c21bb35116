"""HTML pages into lines of text, keeping the page's own metadata.

Measured before writing this: trafilatura 2.x returned nothing for the NEA notice
fragment (`nea-dongchun-huozai-2021.html`) and folded the gov.cn page of
国办发〔2004〕7号 into a single table row, losing the paragraphs that the outline
needs. So the article box is chosen here by text density on the DOM, and the
line rules of ``boilerplate.py`` then remove what furniture remains inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

# gov.cn CMS pages describe themselves in <meta>; read those first.
META_NAMES = {
    "articletitle": "title",
    "pubdate": "published",
    "contentsource": "source_name",
    "columnname": "column",
    "sitename": "site",
    "description": "description",
    "author": "author",
}

REMOVE_TAGS = ("script", "style", "noscript", "iframe", "form", "select", "button",
               "nav", "header", "footer", "aside", "svg", "canvas", "object", "embed", "template")
BLOCK_TAGS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
              "ol", "table", "tbody", "thead", "tr", "blockquote", "pre", "dd", "dt", "dl",
              "center", "td", "th", "main", "body"}
FURNITURE_HINT = re.compile(
    r"(^|[\s_-])(nav|menu|header|footer|breadcrumb|crumb|share|bshare|sidebar|side|related|"
    r"relate|xgxw|xglj|copyright|banner|toolbar|print|pager|pagination|comment|weizhi|position)",
    re.I,
)
CJK_PUNCT = re.compile(r"[。！？；，、：]")


@dataclass
class HtmlText:
    lines: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    head_title: str | None = None
    h1: str | None = None
    box: str = ""      # where the article box sits in the page's template (see _box_key); "" for the whole body


def _hidden(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or tag.has_attr("hidden")


def _read_meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if name in META_NAMES and content and META_NAMES[name] not in meta:
            meta[META_NAMES[name]] = content
    return meta


def _text_score(tag: Tag) -> float:
    """Characters of prose directly under ``tag``'s blocks, less links."""
    text = tag.get_text(" ", strip=True)
    if not text:
        return 0.0
    link_chars = sum(len(a.get_text(strip=True)) for a in tag.find_all("a"))
    punct = len(CJK_PUNCT.findall(text))
    return (len(text) - 2 * link_chars) * min(1.0, punct / 5 + 0.1)


def _content_root(body: Tag) -> Tag:
    """The element that holds the article: the best-scoring container of paragraphs.

    Each prose block gives its length to its parent and, halved, to its
    grandparent, so the box that holds the paragraphs wins over the page.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for block in body.find_all(["p", "div", "td", "section", "article", "li", "font", "span"]):
        own = "".join(s for s in block.find_all(string=True, recursive=False)).strip()
        if len(own) < 20 or not CJK_PUNCT.search(own):
            continue
        weight = len(own)
        parent = block.parent if block.name in ("p", "font", "span") else block
        for k, anc in enumerate((parent, parent.parent if parent else None)):
            if isinstance(anc, Tag):
                scores[id(anc)] = scores.get(id(anc), 0.0) + weight / (1 + k)
                nodes[id(anc)] = anc
    if not scores:
        return body
    best = max(scores, key=scores.get)
    return nodes[best]


def _box_key(tag: Tag) -> str:
    """tag#id.class of ``tag`` and of its ancestors up to <body>: the article box's place in the template."""
    steps = []
    node: Tag | None = tag
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        ident = node.get("id")
        steps.append(node.name + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in node.get("class") or []))
        node = node.parent
    return " > ".join(reversed(steps))


def _box_like(body: Tag, key: str) -> Tag | None:
    """The first element in the place ``key`` names, if it holds any text."""
    if not key:
        return None
    for tag in body.find_all(True):
        if _box_key(tag) == key and tag.get_text(strip=True):
            return tag
    return None


def _lines(root: Tag) -> list[str]:
    """Text of ``root`` with a line break at every block boundary and <br>."""
    parts: list[str] = []
    # An explicit stack, not recursion: a page a few hundred elements deep must not end the batch.
    stack: list = [iter(root.children)]
    closers: list[bool] = [False]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if closers.pop():
                parts.append("\n")
            continue
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction"):
                continue
            parts.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                parts.append("\n")
                continue
            block = child.name in BLOCK_TAGS
            if block:
                parts.append("\n")
            if child.name in ("td", "th"):
                parts.append("\t")
            stack.append(iter(child.children))
            closers.append(block)
    text = "".join(parts)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", line).strip()
        if line:
            out.append(line)
    return out


# Real article pages nest a few dozen elements deep. A page nested deeper than this (20,000 <div>s:
# hostile or broken) is parsed flat: its wrapper tags are dropped before BeautifulSoup sees them,
# so parsing stays linear in the page's size instead of growing with the square of its depth.
MAX_DEPTH = 256
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# What a flat parse keeps: the page's frame, paragraphs, headings and line breaks.
FLAT_KEEP = frozenset("html head body title meta p br h1 h2 h3 h4 h5 h6 script style".split())


def markup_depth(markup: str, stop: int = MAX_DEPTH) -> int:
    """How deep the elements of ``markup`` nest (counting stops at ``stop``); a linear scan."""
    depth = deepest = 0
    for m in TAG.finditer(markup):
        name = m.group(2).lower()
        if name in VOID_TAGS or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop:
                    return deepest
    return deepest


def flatten(markup: str) -> str:
    """``markup`` without its wrapper elements: block wrappers become line breaks, the rest vanish."""
    def replace(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in FLAT_KEEP:
            return m.group(0)
        return "<br>" if name in BLOCK_TAGS else ""

    return TAG.sub(replace, markup)


def html_to_text(markup: str, box: str = "") -> HtmlText:
    """Lines of the article in ``markup`` and the page's metadata.

    ``box`` (the ``box`` of another page of one article) says where the article sits in
    the site's template: the continuation pages of a split article share page 1's
    template, and their last one may be too short for the text density to find the box.
    """
    flat = markup_depth(markup) >= MAX_DEPTH
    if flat:
        markup = flatten(markup)
    soup = BeautifulSoup(markup, "lxml")
    meta = _read_meta(soup)
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    h1_tag = soup.find("h1")
    h1 = h1_tag.get_text(" ", strip=True) if h1_tag else None
    for tag in soup.find_all(REMOVE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed if hasattr(tag, "decomposed") else False:
            continue
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        hint = " ".join([tag.get("id") or "", " ".join(tag.get("class") or [])])
        if _hidden(tag) or (hint.strip() and FURNITURE_HINT.search(hint) and tag.name not in ("body", "html")):
            tag.decompose()
    body = soup.body or soup
    if flat:
        return HtmlText(lines=_lines(body), meta=meta, head_title=head_title, h1=h1, box="")
    root = _box_like(body, box) or _content_root(body)
    return HtmlText(lines=_lines(root), meta=meta, head_title=head_title, h1=h1,
                    box=_box_key(root) if root is not body else "")
