"""The ingest stage: files in, parsed documents and their directives in the store.

Each file is read, parsed, extracted and saved in its own transaction, so a
bad file costs only itself: it is reported with its reason and the batch goes
on, and nothing already stored is touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from ..corrections.carry import carry_forward
from ..extract.extractor import EXTRACTOR_VERSION, extract_directives
from ..parse.document import PARSER_VERSION, ParsedDocument, parse_raw
from ..store.documents import SaveResult, save_document
from .decode import REPAIRED, replaced_characters
from .readers import SUPPORTED_SUFFIXES, InputError, RawDocument, iter_files, read_file


@dataclass
class IngestReport:
    new: list[SaveResult] = field(default_factory=list)
    same: list[SaveResult] = field(default_factory=list)
    duplicates: list[SaveResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    no_body: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # unsupported files met while walking a folder
    repaired: list[tuple[str, int]] = field(default_factory=list)   # (file, bytes replaced) of texts with bad bytes

    @property
    def directives(self) -> int:
        return sum(r.directives for r in self.new)

    def counts(self) -> dict[str, int]:
        return {"new_documents": len(self.new), "unchanged": len(self.same), "duplicates": len(self.duplicates),
                "errors": len(self.errors), "no_body": len(self.no_body), "partial": len(self.partial),
                "new_directives": self.directives}


def ingest_raw(db: sqlite_utils.Database, raw: RawDocument, report: IngestReport) -> ParsedDocument:
    """Parse, extract and store one raw document (from a file or the crawler)."""
    if raw.encoding and raw.encoding.endswith(REPAIRED):
        report.repaired.append((raw.source, replaced_characters(raw.text)))
    return ingest_parsed(db, parse_raw(raw), report)


def ingest_parsed(db: sqlite_utils.Database, doc: ParsedDocument, report: IngestReport) -> ParsedDocument:
    """Extract and store one parsed document (a crawled article split over pages is parsed from several)."""
    directives = extract_directives(doc) if not doc.no_body else []
    result = save_document(db, doc, directives, PARSER_VERSION, EXTRACTOR_VERSION, after_write=carry_forward)
    {"new": report.new, "same": report.same, "duplicate": report.duplicates}[result.status].append(result)
    if result.status == "new":
        if doc.no_body:
            report.no_body.append(doc.source)
        if doc.partial:
            report.partial.append(doc.source)
    return doc


def _resolved(path: Path) -> Path | None:
    """The real path, or None for a link that loops (a → b → a, a self-link)."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):
        return None


def ingest_paths(db: sqlite_utils.Database, paths: Iterable[str | os.PathLike],
                 on_file: Callable[[Path], None] | None = None) -> IngestReport:
    """Ingest files and folders (recursively); bad files are reported, not fatal."""
    report = IngestReport()
    paths = list(paths)
    named = {_resolved(Path(p)) for p in paths if not Path(p).is_dir()}
    for path in iter_files(paths):
        real = _resolved(path)
        if real is None:
            report.errors.append((str(path), "符号链接形成循环（或指向不存在的位置），无法读取"))
            if on_file:
                on_file(path)
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and real not in named:
            # A README or a data file beside the documents: not an error, but said.
            report.skipped.append(str(path))
            if on_file:
                on_file(path)
            continue
        try:
            # The stored source is the file's absolute path: the same file ingested again from another
            # folder (notice.txt, ./notice.txt, /home/…/notice.txt) is then the same source, and an edited
            # text of it is its new version rather than a second original.
            raw = read_file(real)
            ingest_raw(db, raw, report)
        except InputError as exc:
            report.errors.append((str(path), str(exc)))
        except Exception as exc:  # a parser bug must not stop the night's batch
            report.errors.append((str(path), f"处理失败：{type(exc).__name__}: {exc}"))
        if on_file:
            on_file(path)
    return report
