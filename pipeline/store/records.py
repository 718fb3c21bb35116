"""The shapes the store writes, owned by the store so that it imports no stage.

Structural types (``typing.Protocol``): the parser's ``ParsedDocument`` and the
extractor's ``Directive`` satisfy them without knowing of them, and a test or a
tool can hand the store any object with these attributes. Only what the store
reads is named here; a stage may carry more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class SentenceRecord(Protocol):
    """A sentence of a document's outline: its offsets in the body and the headings above it."""

    idx: int
    start: int
    end: int
    para: int
    heading_level: int | None
    heading_path: Sequence[str]


class DocumentRecord(Protocol):
    """A parsed document: the raw bytes' hash, the body, its analysis form and metadata."""

    source: str
    fmt: str
    raw_sha256: str
    meta: Mapping[str, Any]
    body: str
    partial: bool
    no_body: bool
    sentences: Sequence[SentenceRecord]
    analysis: str

    @property
    def text_sha256(self) -> str: ...


class DeadlineRecord(Protocol):
    """A deadline as written, its kind and (where computable) its date."""

    text: str
    kind: str
    date: str | None


class DirectiveRecord(Protocol):
    """A directive found in a document, traceable to its character offsets."""

    text: str
    start: int
    end: int
    sectors: Sequence[str]
    parties: Sequence[str]
    party_types: Sequence[str]
    deadline: DeadlineRecord | None
    heading_path: Sequence[str]
    same_task_as: int | None
    score: float
    safety: bool

    @property
    def text_sha256(self) -> str: ...
