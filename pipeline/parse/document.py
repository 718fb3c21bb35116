"""One raw document in, one parsed document out: the parse stage's entry point."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .clean import clean_lines, split_lines
from .html import html_to_text
from .metadata import extract_metadata
from .outline import Sentence, outline
from .textnorm import analysis_form

PARSER_VERSION = "parse-1"


@dataclass
class ParsedDocument:
    source: str
    fmt: str
    raw_sha256: str
    meta: dict[str, Any]
    body: str
    partial: bool = False
    no_body: bool = False
    sentences: list[Sentence] = field(default_factory=list)
    analysis: str = ""

    @property
    def text_sha256(self) -> str:
        """Hash of the analysis form without white space: equal for the same text re-typeset."""
        flat = re.sub(r"\s+", "", self.analysis)
        return hashlib.sha256(flat.encode("utf-8")).hexdigest()

    def sentence_text(self, sent: Sentence) -> str:
        return self.body[sent.start:sent.end]


def _strip_site(head_title: str | None) -> str | None:
    """<title> is often "文章标题-网站名" or "文章标题_网站名": keep the article's part."""
    if not head_title:
        return None
    return re.split(r"\s*[-_|—–]{1,2}\s*(?=[^-_|—–]*$)", head_title.strip())[0] or None


def parse_text(text: str, fmt: str, source: str = "", raw_sha256: str = "") -> ParsedDocument:
    """Clean ``text`` (HTML markup for fmt "html", else plain text) and describe it."""
    html_meta: dict[str, str] = {}
    if fmt == "html":
        page = html_to_text(text)
        raw_lines = page.lines
        html_meta = page.meta
        known_title = page.meta.get("title") or page.h1 or _strip_site(page.head_title)
    else:
        raw_lines = split_lines(text)
        known_title = None
    cleaned = clean_lines(raw_lines, known_title)
    body = "\n".join(cleaned.paragraphs)
    # Metadata cues are written in simplified characters: read the analysis form.
    meta = extract_metadata(cleaned.title, [analysis_form(p) for p in cleaned.paragraphs],
                            [analysis_form(x) for x in raw_lines], html_meta)
    if not meta["title"] and fmt == "html":
        meta["title"] = page.head_title
    return ParsedDocument(
        source=source,
        fmt=fmt,
        raw_sha256=raw_sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=meta,
        body=body,
        partial=cleaned.partial,
        no_body=cleaned.no_body,
        sentences=outline(body),
        analysis=analysis_form(body),
    )


def parse_raw(raw: Any) -> ParsedDocument:
    """Parse a ``pipeline.ingest.readers.RawDocument``."""
    return parse_text(raw.text, raw.fmt, raw.source, raw.raw_sha256)
