"""The demo corpus's intended follow-ups (``corpus/demo/followups.json``), checked against a store.

The demo corpus is written with a list of the links and statuses it is meant
to show. Tests and ``train.py`` use this module to ask which of them a store's
tracking finds: a listed link is found when the directive and the evidence
sentence of a stored link are the listed texts (the same 60% longest-common-
substring rule the shared scorers use, so a directive cut slightly
differently still counts).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import sqlite_utils

from .tracker import statuses

SAME_TEXT = 0.6
SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return SPACE.sub("", text or "").rstrip("。；;！!？?，,")


def same_text(a: str, b: str) -> bool:
    """Whether two spans are the same sentence, give or take markers and cut points."""
    a, b = _flat(a), _flat(b)
    if not a or not b:
        return False
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= SAME_TEXT * max(len(a), len(b))


def load_followups(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "followups.json").read_text(encoding="utf-8"))


def _name(source: str) -> str:
    return Path(source).name


@dataclass
class DemoCheck:
    """What tracking found of the intended follow-ups."""

    found: list[dict[str, Any]] = field(default_factory=list)       # links found, with the status given
    missed: list[dict[str, Any]] = field(default_factory=list)      # links not found
    statuses: dict[str, str] = field(default_factory=dict)          # directive text -> derived status
    not_extracted: list[str] = field(default_factory=list)          # listed directives not in the store

    def directives_followed(self) -> set[str]:
        return {f["directive_text"] for f in self.found}


def check(db: sqlite_utils.Database, followups: list[dict[str, Any]], as_of: dt.date) -> DemoCheck:
    """Match the listed directives to stored ones, and their links to stored evidence."""
    rows = db.execute("SELECT x.id, x.text, d.source FROM directives x JOIN documents d ON d.id = x.doc_id "
                      "WHERE d.duplicate_of IS NULL").fetchall()
    st = statuses(db, as_of)
    out = DemoCheck()
    for item in followups:
        want = item["directive_text"]
        ids = [did for did, text, src in rows if _name(src) == item["directive_file"] and same_text(text, want)]
        if not ids:
            # The same document may be stored under its twin (the .txt of a .docx): match by text only.
            ids = [did for did, text, _ in rows if same_text(text, want)]
        if not ids:
            out.not_extracted.append(want)
            continue
        status = st[ids[0]].status
        out.statuses[want] = status
        if not item.get("evidence_text"):
            continue
        hit = next((e for did in ids for e in st[did].evidence
                    if same_text(e["text"], item["evidence_text"])), None)
        if hit is None:
            out.missed.append(item)
        else:
            out.found.append({**item, "found_status": hit["status"], "score": hit["score"]})
    return out
