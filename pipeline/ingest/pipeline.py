"""The ingest stage: files in, parsed documents and their directives in the store.

Each file is read, parsed, extracted and saved in its own transaction, so a
bad file costs only itself: it is reported with its reason and the batch goes
on, and nothing already stored is touched.

Reading the bytes and saving happen here; parsing and extracting — pure functions of
the bytes — run where the ``runner`` runs things (``pipeline.executor``: this process by
default, or a Dask cluster), a few files a task, and come back in input order to this
process, the one writer, so the store gives the documents the same ids either way.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from ..corrections.carry import carry_forward
from ..executor.base import Runner, inline_runner
from ..executor.extract_tasks import Extracted, Source, extract_batch
from ..extract.extractor import EXTRACTOR_VERSION, Directive, extract_directives
from ..parse.document import PARSER_VERSION, ParsedDocument, parse_raw
from ..store.documents import SaveResult, save_document
from .decode import REPAIRED, replaced_characters
from .readers import (SUPPORTED_SUFFIXES, InputError, RawDocument,
                      checked_bytes, iter_files)

BATCH_FILES = 8                  # files per task on a cluster (one at a time in this process)
BATCH_BYTES = 16 << 20           # ... and no more bytes than this per task


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


# Where ``ingest_raw`` finds documents already parsed and extracted elsewhere (the nightly run's
# crawled pages on a cluster: ``pipeline.executor.prefetch``): (source, raw hash) → the result, or None.
PREPARED: ContextVar[Callable[[str, str], Extracted | None] | None] = ContextVar("duban_prepared", default=None)


def ingest_raw(db: sqlite_utils.Database, raw: RawDocument, report: IngestReport) -> ParsedDocument:
    """Parse, extract and store one raw document (from a file or the crawler)."""
    lookup = PREPARED.get()
    ready = lookup(raw.source, raw.raw_sha256) if lookup else None
    if ready is not None:
        return ingest_extracted(db, ready, report)
    if raw.encoding and raw.encoding.endswith(REPAIRED):
        report.repaired.append((raw.source, replaced_characters(raw.text)))
    return ingest_parsed(db, parse_raw(raw), report)


def ingest_extracted(db: sqlite_utils.Database, ready: Extracted, report: IngestReport) -> ParsedDocument:
    """Store what a worker read, parsed and extracted; its failure is raised as this process's would be."""
    if ready.repaired is not None:
        report.repaired.append((ready.source, ready.repaired))
    if ready.error is not None or ready.doc is None:
        raise _Failed(ready.error or "处理失败")
    return ingest_parsed(db, ready.doc, report, ready.directives)


class _Failed(InputError):
    """A worker's failure, already worded as the report shows it."""


def ingest_parsed(db: sqlite_utils.Database, doc: ParsedDocument, report: IngestReport,
                  directives: list[Directive] | None = None) -> ParsedDocument:
    """Extract (unless ``directives`` were extracted elsewhere) and store one parsed document (a crawled
    article split over pages is parsed from several)."""
    if directives is None:
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
                 on_file: Callable[[Path], None] | None = None, runner: Runner | None = None) -> IngestReport:
    """Ingest files and folders (recursively); bad files are reported, not fatal.

    ``runner``: where parsing and extraction run (this process by default); saving is here, in
    the order of the files, whatever runs them."""
    report = IngestReport()
    runner = runner or inline_runner()
    pending: deque[list[_Entry]] = deque()
    shipped: deque[list[Source]] = deque()

    def payloads() -> Iterator[list[Source]]:
        for batch in _batches(_entries(list(paths)), 1 if runner.in_process else BATCH_FILES):
            pending.append(batch)
            shipped.append([e.item for e in batch if e.item is not None])
            yield shipped[-1]

    for results in runner.map_ordered(extract_batch, payloads(), window=1 if runner.in_process else None):
        # The inputs' bytes are read: saving needs only what was made of them, so neither the batch
        # handed to the runner nor its entries keep them (a 45 MB upload held them through the save).
        shipped.popleft().clear()
        done = iter(results)
        for entry in pending.popleft():
            extracted, entry.item = entry.item is not None, None
            if not extracted:
                if entry.error:
                    report.errors.append((str(entry.path), entry.error))
                else:
                    report.skipped.append(str(entry.path))
            else:
                _save(db, entry.path, next(done), report)
            if on_file:
                on_file(entry.path)
    return report


@dataclass
class _Entry:
    """A path met while walking the input: to extract (``item``), or already decided (error, skipped)."""

    path: Path
    item: Source | None = None
    error: str | None = None


def _entries(paths: list[str | os.PathLike]) -> Iterator[_Entry]:
    """Every path in walking order, read (its bytes) or decided."""
    named = {_resolved(Path(p)) for p in paths if not Path(p).is_dir()}
    for path in iter_files(paths):
        real = _resolved(path)
        if real is None:
            yield _Entry(path, error="符号链接形成循环（或指向不存在的位置），无法读取")
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and real not in named:
            # A README or a data file beside the documents: not an error, but said.
            yield _Entry(path)
            continue
        try:
            # The stored source is the file's absolute path: the same file ingested again from another
            # folder (notice.txt, ./notice.txt, /home/…/notice.txt) is then the same source, and an edited
            # text of it is its new version rather than a second original.
            yield _Entry(path, _read_input(real))
        except InputError as exc:
            yield _Entry(path, error=str(exc))
        except Exception as exc:  # reading must not stop the batch either
            yield _Entry(path, error=f"处理失败：{type(exc).__name__}: {exc}")


def _read_input(real: Path) -> Source:
    """The file's bytes and format, checked as ``read_file`` checks them (the decoding runs where
    the file is parsed)."""
    source, data, fmt = checked_bytes(real)
    return Source(source, data, fmt=fmt)


def _batches(entries: Iterator[_Entry], files: int) -> Iterator[list[_Entry]]:
    """Consecutive entries, at most ``files`` inputs or ``BATCH_BYTES`` bytes to extract per batch."""
    batch: list[_Entry] = []
    count = size = 0
    for entry in entries:
        batch.append(entry)
        if entry.item is not None:
            count += 1
            size += len(entry.item.data)
        if count >= files or size >= BATCH_BYTES:
            yield batch
            batch, count, size = [], 0, 0
    if batch:
        yield batch


def _save(db: sqlite_utils.Database, path: Path, ready: Extracted, report: IngestReport) -> None:
    """Store one extracted file; its failure, there or here, is reported under its path."""
    try:
        ingest_extracted(db, ready, report)
    except InputError as exc:
        report.errors.append((str(path), str(exc)))
    except Exception as exc:  # a parser bug must not stop the night's batch
        report.errors.append((str(path), f"处理失败：{type(exc).__name__}: {exc}"))
