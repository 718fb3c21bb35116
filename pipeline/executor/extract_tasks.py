"""Reading, parsing and extracting as it runs on a worker: bytes in, a parsed document and its
directives out.

These are pure functions of the bytes (and the models, which each worker process loads
once: the stages keep them in module-level caches, and ``warm.py`` fills those before the
first task), so a batch can run anywhere and give what this process would. Nothing here
touches the store: the client saves the results, one writer, in input order, through the
same ``save_document`` as always, so the ids a document gets do not depend on where it was
extracted. A bad input is an outcome, not an exception: the rest of the batch goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..extract.extractor import Directive, extract_directives
from ..ingest.decode import REPAIRED, replaced_characters
from ..ingest.readers import InputError, read_bytes
from ..parse.document import ParsedDocument, parse_raw


@dataclass(frozen=True)
class Source:
    """One input: its bytes and how to read them (a file's format from its suffix, a page's
    Content-Type)."""

    source: str                       # the stored source: a file's absolute path, a page's URL
    data: bytes
    fmt: str | None = None
    content_type: str | None = None


@dataclass
class Extracted:
    """What a worker made of one input: the document and its directives, or why it failed."""

    source: str
    raw_sha256: str | None = None
    doc: ParsedDocument | None = None
    directives: list[Directive] = field(default_factory=list)
    repaired: int | None = None       # bytes replaced in a text with bad bytes (None: none)
    error: str | None = None          # the reason, as the ingest report shows it

    @property
    def ok(self) -> bool:
        return self.error is None


def extract_one(item: Source) -> Extracted:
    """Read, parse and extract one input; failures are reported in the result."""
    out = Extracted(item.source)
    try:
        raw = read_bytes(item.data, item.source, fmt=item.fmt, content_type=item.content_type)
        out.raw_sha256 = raw.raw_sha256
        if raw.encoding and raw.encoding.endswith(REPAIRED):
            out.repaired = replaced_characters(raw.text)
        out.doc = parse_raw(raw)
        out.directives = extract_directives(out.doc) if not out.doc.no_body else []
    except InputError as exc:
        out.doc, out.error = None, str(exc)
    except Exception as exc:  # a parser bug must not stop the night's batch
        out.doc, out.error = None, f"处理失败：{type(exc).__name__}: {exc}"
    return out


def extract_batch(items: list[Source]) -> list[Extracted]:
    """A few inputs per task: the fixed cost of a task is spread over them."""
    return [extract_one(item) for item in items]


def sizes(items: list[Any]) -> int:
    """Bytes a batch ships (to keep batches of large PDFs small)."""
    return sum(len(getattr(i, "data", b"")) for i in items)
