"""Scoring extraction against gold annotations, with the rules of the shared scorer.

Directives pair one-to-one inside a document when, with white space and
leading outline markers dropped, their longest common substring covers at
least 60% of the longer text (spec/directives.md §5); sectors and parties are
scored on matched pairs (a party matches when one string contains the other),
deadlines by kind and, where gold has one, date.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

MATCH_RATIO = 0.6
OUTLINE = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[一二三四五六七八九十]+(?:是要?|要)|[（(]\d+[）)]|\d+[、.．)）]"
    r"|首先|其次|再次|最后|此外|同时|另外)+"
)


def norm(text: str | None) -> str:
    text = re.sub(r"\s+", "", text or "")
    return OUTLINE.sub("", text).rstrip("。；;！!？?，,")


def overlap(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size / max(len(a), len(b))


def pair(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    gn, pn = [norm(d.get("text")) for d in gold], [norm(d.get("text")) for d in pred]
    cands = sorted(((overlap(g, p), i, j) for i, g in enumerate(gn) for j, p in enumerate(pn)
                    if overlap(g, p) >= MATCH_RATIO), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def pr(self) -> tuple[float, float]:
        return (self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0,
                self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0)


def _sets(gold, pred, same, prf: PRF) -> None:
    used, tp = set(), 0
    for g in gold or []:
        for k, p in enumerate(pred or []):
            if k not in used and same(g, p):
                used.add(k)
                tp += 1
                break
    prf.tp += tp
    prf.fp += len(pred or []) - tp
    prf.fn += len(gold or []) - tp


def _party(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return bool(a and b) and (a in b or b in a)


@dataclass
class Scores:
    directive: PRF = field(default_factory=PRF)
    sector: PRF = field(default_factory=PRF)
    party: PRF = field(default_factory=PRF)
    deadline: PRF = field(default_factory=PRF)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        p, r = self.directive.pr()
        return (f"summary: directive_f1={self.directive.f1():.3f} (p={p:.3f} r={r:.3f}) "
                f"sector_f1={self.sector.f1():.3f} party_f1={self.party.f1():.3f} "
                f"deadline_f1={self.deadline.f1():.3f}")


def score(gold_docs: dict[str, dict], pred_docs: dict[str, dict]) -> Scores:
    s = Scores()
    for key, g in gold_docs.items():
        gd = g.get("directives", [])
        p = pred_docs.get(key)
        if p is None or "error" in p:
            s.directive.fn += len(gd)
            continue
        pd = p.get("directives") or []
        pairs = pair(gd, pd)
        s.directive.tp += len(pairs)
        s.directive.fp += len(pd) - len(pairs)
        s.directive.fn += len(gd) - len(pairs)
        hit_g, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
        s.errors += [f"MISS {key}: {norm(d['text'])[:60]}" for i, d in enumerate(gd) if i not in hit_g]
        s.errors += [f"EXTRA {key}: {norm(d['text'])[:60]}" for j, d in enumerate(pd) if j not in hit_p]
        for i, j in pairs:
            a, b = gd[i], pd[j]
            _sets(a.get("sectors"), b.get("sectors"), lambda x, y: x == y, s.sector)
            _sets(a.get("parties"), b.get("parties"), _party, s.party)
            ga, pb = a.get("deadline"), b.get("deadline")
            ok = bool(ga and pb) and ga.get("kind") == pb.get("kind") and (not ga.get("date") or ga["date"] == pb.get("date"))
            s.deadline.tp += int(ok)
            s.deadline.fp += int(bool(pb) and not ok)
            s.deadline.fn += int(bool(ga) and not ok)
            if not ok and (ga or pb):
                s.errors.append(f"DEADLINE {key}: gold {ga} pred {pb}: {norm(a['text'])[:40]}")
    return s


def load_jsonl(path: Path) -> dict[str, dict]:
    docs = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            docs[os.path.basename(obj.get("source") or f"line{n}")] = obj
    return docs


def labelled_directives(path: Path, annotations: bool = False):
    """(directive record, reference date) of every gold directive in ``path``.

    ``annotations``: ``path`` is our ``corpus/annotations/sentences.jsonl``; its
    positive rows are the directives, with no document date.
    """
    import datetime as dt

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if annotations:
            if row.get("label") == 1:
                yield row, None
            continue
        meta = row.get("meta") or {}
        ref = meta.get("date") or meta.get("published")
        for d in row.get("directives", []):
            yield d, dt.date.fromisoformat(ref) if ref else None
