"""Writing notices to files: one unit's, or one per unit that has open items.

A unit with nothing open gets no notice (a notice with no item is not one to
send), and the result says so instead. Files are written to a temporary name
beside the target and renamed, so a failure never leaves half a notice that
looks finished. Unit names become file names on Windows shares too, so the
characters Windows refuses are replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.parties_norm import normalise_party
from ..search.records import Record
from .compose import compose, document_number
from .items import NO_UNIT, known_units, open_items
from .settings import NoticeSettings, resolve

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 60
FILE_PREFIX = "督办通知单_"
FALLBACK_UNITS = ("行业主管部门", "其他")


@dataclass
class NoticeResult:
    """What one call wrote: for which unit, where (None when nothing was open), which items, what number."""

    unit: str
    path: Path | None
    item_ids: list[int] = field(default_factory=list)
    overdue: int = 0
    no_evidence: int = 0
    doc_number: str = ""

    @property
    def written(self) -> bool:
        return self.path is not None

    @property
    def count(self) -> int:
        return len(self.item_ids)


def safe_filename(unit: str) -> str:
    """A file name (without suffix) from a unit name, safe on Linux and Windows alike."""
    name = UNSAFE.sub("_", unit or "").strip(" .")[:MAX_NAME].strip(" .")
    if not name:
        name = "单位"
    if name.upper() in WINDOWS_RESERVED:
        name = f"_{name}"
    return name


def resolve_unit(unit: str) -> str:
    """The normalised unit a name means: a known unit as it is, or the one specific type a party name
    normalises to (区应急管理局 → 应急管理部门); otherwise a Chinese error listing the units."""
    unit = (unit or "").strip()
    units = known_units()
    if unit in units:
        return unit
    types = [t for t in normalise_party(unit) if t in units] if unit else []
    # The normaliser's fallbacks (any …办/…局 is 行业主管部门, anything else 其他) would turn a typo
    # into a real addressee: those two must be asked for by name.
    if len(types) == 1 and types[0] not in FALLBACK_UNITS:
        return types[0]
    raise ValueError(f"未知的责任单位：“{unit}”（可用：{'、'.join(units)}）")


def save_docx(doc, path: Path) -> None:
    """Save a python-docx document beside ``path`` and rename it there: no half-written file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".notice-", suffix=".docx", dir=path.parent)
    os.close(fd)
    try:
        doc.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(unit: str, items: list[Record], path: Path, settings: NoticeSettings, as_of: dt.date,
           number: int) -> NoticeResult:
    if not items:
        return NoticeResult(unit=unit, path=None)
    save_docx(compose(unit, items, settings, as_of, number), path)
    overdue = sum(1 for r in items if r.status == "overdue")
    return NoticeResult(unit=unit, path=path, item_ids=[r.id for r in items], overdue=overdue,
                        no_evidence=len(items) - overdue, doc_number=document_number(settings, as_of.year, number))


def write_notice(db, unit: str, out_path: str | Path, settings: NoticeSettings | str | Path | None = None,
                 as_of: dt.date | None = None, number: int = 1) -> NoticeResult:
    """Write the notice of ``unit``'s open safety directives to ``out_path`` (nothing when none is open).

    ``settings``: a NoticeSettings, a TOML path, or None for ``models/notice.toml``.
    ``number`` is the sequence number of the document number (安委办督〔year〕number号).
    """
    resolved = resolve(settings)
    as_of = as_of or dt.date.today()
    unit = resolve_unit(unit)
    items = open_items(db, as_of).get(unit, [])
    return _write(unit, items, Path(out_path), resolved, as_of, number)


def write_all_notices(db, out_dir: str | Path, settings: NoticeSettings | str | Path | None = None,
                      as_of: dt.date | None = None, first_number: int = 1,
                      grouped: dict[str, list[Record]] | None = None) -> list[NoticeResult]:
    """One notice per unit with open items in ``out_dir``, numbered on from ``first_number`` in the units'
    canonical order. ``grouped``: :func:`open_items` already computed for the same ``as_of``.

    Items naming no unit get no notice; ``open_items(...)[NO_UNIT]`` lists them.
    """
    resolved = resolve(settings)
    as_of = as_of or dt.date.today()
    grouped = grouped if grouped is not None else open_items(db, as_of)
    out = Path(out_dir)
    results: list[NoticeResult] = []
    used: set[str] = set()
    number = first_number
    for unit, items in grouped.items():
        if unit == NO_UNIT or not items:
            continue
        name = FILE_PREFIX + safe_filename(unit)
        stem, k = name, 2
        while stem.lower() in used:
            stem, k = f"{name}_{k}", k + 1
        used.add(stem.lower())
        results.append(_write(unit, items, out / f"{stem}.docx", resolved, as_of, number))
        number += 1
    return results
