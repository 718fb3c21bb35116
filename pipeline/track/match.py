"""Does a later sentence speak of the same task as a directive? Features for many pairs at once.

Retrieval finds sentences that share vocabulary; the matcher asks the narrower
question of `spec/tracking.md` §2 — same task, not just the same sector. A
follow-up restates a part of a long directive (one clause of 深入实施城市安全韧性
提升行动，更新改造“四类管线”2000公里，…), so the features are asymmetric:

- ``cont``: how much of the directive's term weight the sentence contains
  (IDF weights, administrative words such as 加强/推进 weighing little);
- ``clause_cont``: the same for the directive's best clause, scaled by the
  clause's share of the directive (a clause like 下一步 carries nothing);
- ``head``: the same for its first substantial clause (where the task is named);
- ``rev``: how much of the sentence's best clause is about the directive;
- ``rare``: shared rare words; ``cos``: the retrieval cosine;
- from the texts, for the pairs that may still pass: shared quoted names
  (三查一曝光, 1351 — generic ones such as 十四五 aside), shared figures (90%,
  2000), shared sectors, and a place the directive names that the sentence
  does not (资兴市).

All term-based features are sparse row products over the index's matrices,
so millions of pairs cost seconds; the acting bodies and time words of a
directive (区应急管理局, 年底前) are left out of its terms first: they say who and
when, not what.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from ..resources import load_toml
from .index import Candidates, SentenceIndex
from .terms import HALF, N_FEATURES, bigram_id, bigrams, clauses, numbers, quoted_terms, weak_ids

PAIR_CHUNK = 100_000     # pairs per batch of row products (bounds memory)
TIME_ONLY_KINDS = ("date", "immediate", "vague")


# -- what a directive is matched by ----------------------------------------------
@lru_cache(maxsize=1)
def _organisation() -> re.Pattern[str]:
    return re.compile(load_toml("track_cues.toml")["parties"]["organisation"])


def not_the_task(parties: list[str], deadline_text: str | None, deadline_kind: str | None) -> list[str]:
    """Strings of a directive that say who and when, not what: organisations and a deadline that is
    only a time (年底前, 立即); a campaign span (三年行动) names the task and stays."""
    out = [p for p in parties if len(p) >= 2 and _organisation().search(p)]
    if deadline_text and len(deadline_text) >= 2 and deadline_kind in TIME_ONLY_KINDS:
        out.append(deadline_text)
    return out


@dataclass
class QuerySet:
    """Directives as the matcher reads them: term weights overall, per clause, and their rare words."""

    weights: sp.csr_matrix          # queries × terms, the index weight of each distinct term
    binary: sp.csr_matrix
    rare: sp.csr_matrix             # rare, non-administrative words
    clauses: sp.csr_matrix          # query clauses × terms
    clause_start: np.ndarray        # query q owns clauses clause_start[q]:clause_start[q+1]
    clause_binary: sp.csr_matrix
    clause_weight: np.ndarray
    clause_share: np.ndarray        # how far each clause may stand for its directive (0: too light)
    head_clause: np.ndarray         # the first substantial clause of each query (-1: none)
    total: np.ndarray


def query_set(index: SentenceIndex, terms: list[tuple[np.ndarray, np.ndarray]]) -> QuerySet:
    """Build the query matrices from (term ids, clause numbers) per directive."""
    cfg = load_toml("track_match.toml")
    rows, cols, c_rows = [], [], []
    clause_start = [0]
    for q, (ids, where) in enumerate(terms):
        ids_a = np.asarray(ids, dtype=np.int64)
        where_a = np.asarray(where, dtype=np.int64)
        rows.append(np.full(len(ids_a), q))
        cols.append(ids_a)
        n = int(where_a.max()) + 1 if len(where_a) else 0
        c_rows.append(clause_start[-1] + where_a)
        clause_start.append(clause_start[-1] + n)
    nq, nc = len(terms), clause_start[-1]
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    cr = np.concatenate(c_rows) if c_rows else np.zeros(0, np.int64)
    w = index.weight[c]
    binary = sp.csr_matrix((np.ones(len(c), np.float32), (r, c)), shape=(nq, N_FEATURES))
    binary.data[:] = 1.0                      # a term in two clauses is one term of the directive
    weights = binary.multiply(index.weight.reshape(1, -1)).tocsr()
    clauses = sp.csr_matrix((w, (cr, c)), shape=(nc, N_FEATURES))
    total = np.asarray(weights.sum(axis=1)).ravel()
    c_weight = np.asarray(clauses.sum(axis=1)).ravel()
    owner = np.repeat(np.arange(nq), np.diff(clause_start))
    heavy = c_weight >= float(cfg["min_clause_weight"])
    share = np.where(heavy, np.minimum(1.0, c_weight / np.maximum(total[owner], 1e-9) / float(cfg["clause_full_share"])), 0.0)
    head = np.full(nq, -1, np.int64)
    heavy_k = np.flatnonzero(heavy)
    first_owner, first_at = np.unique(owner[heavy_k], return_index=True)
    head[first_owner] = heavy_k[first_at]
    rare_mask = index.idf >= index.rare_idf()
    rare_mask[weak_ids()] = False
    rare_mask[HALF:] = False                  # words only: bigrams are fragments
    rare = binary.multiply(rare_mask.reshape(1, -1).astype(np.float32)).tocsr()
    clause_binary = clauses.copy()
    clause_binary.data[:] = 1.0
    return QuerySet(weights, binary, rare, clauses, np.asarray(clause_start), clause_binary, c_weight, share, head,
                    total)


# -- features of many pairs ----------------------------------------------------------
def _rowwise_dot(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Sum of the element-wise product of matching rows."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def _expand(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [starts[i], ends[i]): (owner i of each element, the element)."""
    counts = ends - starts
    owner = np.repeat(np.arange(len(starts)), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offset


@dataclass
class PairFeatures:
    """Features of candidate pairs (arrays over pairs) and, per pair, the sentence clauses that match."""

    values: dict[str, np.ndarray]
    clause_gain: np.ndarray         # per (pair, sentence clause): directive weight the clause holds
    clause_pair: np.ndarray         # the pair of each entry above
    clause_num: np.ndarray          # the clause's number inside its sentence

    def matched_clauses(self, pairs: np.ndarray) -> dict[int, list[int]]:
        """Per pair, the clause numbers of the sentence that hold at least half the best clause's
        share of the directive, best first."""
        take = np.isin(self.clause_pair, pairs)
        p, g, k = self.clause_pair[take], self.clause_gain[take], self.clause_num[take]
        out: dict[int, list[int]] = {int(x): [] for x in pairs}
        if not len(p):
            return out
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        best = np.maximum.reduceat(g, starts)
        best_each = np.repeat(best, np.diff(np.r_[starts, len(p)]))
        keep = (g > 0) & (g >= 0.5 * best_each)
        order = np.lexsort((-g[keep], p[keep]))
        for pair, num in zip(p[keep][order].tolist(), k[keep][order].tolist()):
            out[pair].append(num)
        return out


def pair_features(index: SentenceIndex, qs: QuerySet, cand: Candidates) -> PairFeatures:
    """The term-based features of every candidate pair, batch by batch."""
    cfg = load_toml("track_match.toml")
    n = len(cand.query)
    vals = {k: np.zeros(n, np.float64) for k in ("cont", "clause_cont", "head", "rev", "rare", "shared")}
    vals["cos"] = cand.score.astype(np.float64)
    gains, g_pair, g_num = [], [], []
    min_clause = float(cfg["min_clause_weight"])
    for lo in range(0, n, PAIR_CHUNK):
        q = cand.query[lo:lo + PAIR_CHUNK]
        r = cand.row[lo:lo + PAIR_CHUNK]
        s_bin = index.binary[r]
        shared = _rowwise_dot(qs.weights[q], s_bin)
        vals["shared"][lo:lo + len(q)] = shared
        vals["cont"][lo:lo + len(q)] = shared / np.maximum(qs.total[q], 1e-9)
        vals["rare"][lo:lo + len(q)] = np.minimum(_rowwise_dot(qs.rare[q], s_bin), 3) / 3.0
        # Directive clauses against the sentence.
        owner, qc = _expand(qs.clause_start[q], qs.clause_start[q + 1])
        if len(qc):
            inside = _rowwise_dot(qs.clauses[qc], s_bin[owner])
            c_w = np.asarray(qs.clauses[qc].sum(axis=1)).ravel()
            raw = inside / np.maximum(c_w, 1e-9)
            best = np.zeros(len(q))
            np.maximum.at(best, owner, raw * qs.clause_share[qc])
            vals["clause_cont"][lo:lo + len(q)] = best
            is_head = qc == qs.head_clause[q][owner]
            head = np.zeros(len(q))
            head[owner[is_head]] = raw[is_head]
            vals["head"][lo:lo + len(q)] = head
        # Sentence clauses against the directive.
        owner, sc = _expand(index.clause_start[r], index.clause_start[r + 1])
        if len(sc):
            inside = _rowwise_dot(index.clauses[sc], qs.binary[q[owner]])
            c_w = index.clause_weight[sc]
            rev = np.zeros(len(q))
            np.maximum.at(rev, owner, np.where(c_w >= min_clause, inside / np.maximum(c_w, 1e-9), 0.0))
            vals["rev"][lo:lo + len(q)] = rev
            gains.append(inside)
            g_pair.append(owner + lo)
            g_num.append(sc - index.clause_start[r][owner])
    cat = lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)
    return PairFeatures(vals, cat(gains, np.float64), cat(g_pair, np.int64), cat(g_num, np.int64))


def clause_pair(index: SentenceIndex, qs: QuerySet, cand: Candidates, pairs: np.ndarray) -> np.ndarray:
    """For the given pairs: the most of one substantial directive clause found in one sentence clause.

    A follow-up restates a clause in a clause (更新改造“四类管线”2000公里 → 完成年度“四类管线”
    改造任务); words of the directive scattered over a long sentence are chance. Every directive
    clause meets every sentence clause, so this is read only for the pairs that may still pass.
    """
    min_clause = float(load_toml("track_match.toml")["min_clause_weight"])
    out = np.zeros(len(pairs))
    step = max(1, PAIR_CHUNK // 8)
    for lo in range(0, len(pairs), step):
        sub = pairs[lo:lo + step]
        q, r = cand.query[sub], cand.row[sub]
        cq = qs.clause_start[q + 1] - qs.clause_start[q]
        cs = index.clause_start[r + 1] - index.clause_start[r]
        n = cq * cs
        owner = np.repeat(np.arange(len(sub)), n)
        local = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        qc = qs.clause_start[q][owner] + local // cs[owner]
        sc = index.clause_start[r][owner] + local % cs[owner]
        heavy = qs.clause_weight[qc] >= min_clause
        qc, sc, owner = qc[heavy], sc[heavy], owner[heavy]
        if not len(qc):
            continue
        value = _rowwise_dot(qs.clause_binary[qc], index.clauses[sc]) / qs.clause_weight[qc]
        best = np.zeros(len(sub))
        np.maximum.at(best, owner, value)
        out[lo:lo + len(sub)] = best
    return out


# -- features read from the texts ------------------------------------------------------
@lru_cache(maxsize=1)
def _place_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cfg = load_toml("track_cues.toml")["places"]
    return re.compile(cfg["anywhere"]), re.compile(cfg["after_boundary"]), re.compile(cfg["generic"])


def places(text: str) -> set[str]:
    """Named places (资兴市, 华容县, 青禾区): a name with an administrative suffix that jieba's
    dictionary knows, or that opens a phrase (在云岭乡、石桥镇); generic words (全区, 城中村) left out.

    Read with a dictionary lookup rather than by segmenting: it runs for every directive.
    """
    anywhere, after_boundary, generic = _place_patterns()
    known = _jieba_words()
    found = set()
    for m in anywhere.finditer(text):
        end = m.end()
        for size in (5, 4, 3):
            cand = text[max(0, end - size):end]
            if len(cand) == size and cand in known:
                found.add(cand)
                break
    found |= {m.group(1) for m in after_boundary.finditer(text)}
    return {p for p in found if not generic.search(p)}


def _jieba_words() -> dict[str, int]:
    from .terms import _jieba

    return _jieba().dt.FREQ


@lru_cache(maxsize=1)
def _generic_quoted() -> re.Pattern[str]:
    return re.compile(load_toml("track_cues.toml")["quoted"]["generic"])


def specificity(name: str, idf: np.ndarray) -> float:
    """How rare a quoted name is: the mean IDF of its bigrams (“十四五” is everywhere, “1351” is not)."""
    grams = bigrams(name)
    if not grams:
        return float(idf.max(initial=0.0))
    return float(np.mean([idf[bigram_id(g)] for g in grams]))


def specific_figures(text: str) -> set[str]:
    """Figures worth sharing: a percentage or a number of three or more digits."""
    return {n for n in numbers(text) if n.endswith("%") or len(n.rstrip("万亿%").replace(".", "")) >= 3}


@dataclass
class QueryText:
    """What the text features need of a directive, read once (its places only when asked)."""

    text: str
    quoted: list[str]           # specific quoted names
    figures: set[str]
    sectors: set[str]
    _places: set[str] | None = None

    @property
    def places(self) -> set[str]:
        """Named places, read only for pairs that get this far."""
        if self._places is None:
            self._places = places(self.text)
        return self._places


def query_text(text: str, sectors: set[str], idf: np.ndarray, high: float) -> QueryText:
    quoted = [q for q in quoted_terms(text) if not _generic_quoted().match(q) and specificity(q, idf) >= high]
    return QueryText(text, quoted, specific_figures(text), sectors)


def text_gain(qt: QueryText, weights: dict[str, float]) -> float:
    """Most the text features can add to this directive's rule score."""
    return (max(0.0, weights["quoted"]) * bool(qt.quoted) + max(0.0, weights["figures"]) * bool(qt.figures)
            + max(0.0, weights["sector"]) * bool(qt.sectors))


def text_features(qt: QueryText, s_text: str, s_sectors: set[str]) -> dict[str, float]:
    """quoted, figures, sector, place_missing for one pair."""
    quoted = 0.0
    if qt.quoted:
        s_quoted = quoted_terms(s_text)
        quoted = sum(1 for q in qt.quoted if q in s_text or any(q in x or x in q for x in s_quoted)) / len(qt.quoted)
    figures = 1.0 if qt.figures and qt.figures & specific_figures(s_text) else 0.0
    sector = len(qt.sectors & s_sectors) / len(qt.sectors | s_sectors) if qt.sectors and s_sectors else 0.0
    place_missing = 1.0 if qt.places and not any(p in s_text for p in qt.places) else 0.0
    return {"quoted": quoted, "figures": figures, "sector": sector, "place_missing": place_missing}


RUN_CAP = 8


def shared_run(directive: str, sentence: str) -> float:
    """The longest run of Chinese characters the two share, up to ``RUN_CAP``, over the cap.

    A review names a task by its name even where it rewrites everything around it
    (统筹实施城乡安居工程 → 全面展开城市生命线、全域水患治理、城乡安居三大工程): a shared run of
    four or more characters is a name, where shared words may be chance. Read with the
    sentence's character bigrams, one pass over the directive.
    """
    return run_in(set(bigrams(sentence)), directive)


def pairs_of(directive: str) -> tuple[str, ...]:
    """A directive's successive character pairs, what ``run_of`` scans (made once per directive).

    Interned: the tracker keeps the pairs of every directive it matches, and a hundred thousand
    directives repeat the same few thousand pairs (one string each, not one per directive)."""
    return tuple(sys.intern(a + b) for a, b in zip(directive, directive[1:]))


def run_in(grams: set[str], directive: str) -> float:
    """``shared_run`` against a sentence given by its set of character bigrams (read once per sentence)."""
    return run_of(grams, pairs_of(directive))


def run_of(grams: set[str], pairs: tuple[str, ...]) -> float:
    """``run_in`` with the directive's ``pairs_of`` made already: it is read for every candidate pair
    that may reach a threshold (millions at the scale bench's size), and the scan stops as soon as
    the run reaches the cap."""
    best = run = 0
    longest = RUN_CAP - 1
    for pair in pairs:
        if pair in grams:
            run += 1
            if run > best:
                best = run
                if best >= longest:
                    break
        else:
            run = 0
    return min(best + 1 if best else 0, RUN_CAP) / RUN_CAP


@lru_cache(maxsize=1)
def _safety_words() -> re.Pattern[str]:
    words = sorted(load_toml("track_cues.toml")["safety"]["words"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@lru_cache(maxsize=65536)
def safety_focus(directive: str) -> str:
    """The clauses of a directive that name a safety task (all of it when none or every one does)."""
    pattern = _safety_words()
    parts = [directive[a:b] for a, b in clauses(directive)]
    focus = [p for p in parts if pattern.search(p)]
    return "，".join(focus) if focus and len(focus) < len(parts) else directive


def blank(text: str, strings: list[str]) -> str:
    """``text`` with ``strings`` blanked out (same length: offsets stay valid)."""
    for p in sorted(strings, key=len, reverse=True):
        text = text.replace(p, " " * len(p))
    return text


