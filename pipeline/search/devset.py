"""Measuring how the full-text index should cut Chinese: jieba words or trigrams.

Two query sets over the real documents in ``../shared`` (no dependency on the
extractor, so the measurement is stable while extraction changes):

* **short**: what staff type into a search box — one to three words, many of
  them two characters long (消防, 燃气, 地震) — each with the gold directives of
  ``gold/track_dev.jsonl`` that it should find;
* **followup**: a sentence of a later report (the gold evidence) as the query,
  and the directive it reports on as the one item to find — what a person does
  when reading a report and asking "which task was this?".

The collection is every sentence of the documents that the gold directives come
from (the 2024/2025 work reports), so a hit list is judged against the
labelled directives among a few thousand sentences. Scores: MRR of the first
relevant hit and recall within the first ten.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .tokenize import fold, index_text, query_words

SHARED = Path(__file__).resolve().parents[3] / "shared"

# query → gold directive ids of track_dev.jsonl that it must find (written by reading the directives).
SHORT_QUERIES: dict[str, list[str]] = {
    "四类管线": ["ningxia-gwr-2025.txt#302"],
    "老旧管网改造": ["ningxia-gwr-2025.txt#302"],
    "河湖库固堤": ["ningxia-gwr-2025.txt#316"],
    "病险水库": ["ningxia-gwr-2025.txt#316", "hunan-gwr-2025.txt#403", "sichuan-gwr-2025.txt#484"],
    "治本攻坚": ["ningxia-gwr-2025.txt#340", "hunan-gwr-2025.txt#391", "sichuan-gwr-2025.txt#484",
                 "national-gwr-2024.txt#467"],
    "化工园区 风险": ["ningxia-gwr-2025.txt#341"],
    "煤矿 标准化": ["ningxia-gwr-2025.txt#341"],
    "防洪排涝": ["hunan-gwr-2025.txt#278", "hunan-gwr-2025.txt#403", "national-gwr-2024.txt#268"],
    "1351工程": ["ningxia-gwr-2025.txt#342"],
    "火区治理": ["ningxia-gwr-2025.txt#343"],
    "地质灾害 隐患点": ["ningxia-gwr-2025.txt#343", "hunan-gwr-2025.txt#404"],
    "防震减灾": ["ningxia-gwr-2025.txt#344"],
    "地震 监测预警": ["ningxia-gwr-2025.txt#344"],
    "应急指挥机制": ["ningxia-gwr-2025.txt#345", "hunan-gwr-2025.txt#394"],
    "救援队伍": ["ningxia-gwr-2025.txt#345", "hunan-gwr-2025.txt#395"],
    "六个严防": ["ningxia-gwr-2025.txt#355"],
    "自建房": ["ningxia-gwr-2025.txt#412", "hunan-gwr-2025.txt#392"],
    "老旧小区": ["ningxia-gwr-2025.txt#412", "sichuan-gwr-2025.txt#310", "national-gwr-2024.txt#379"],
    "城市生命线": ["hunan-gwr-2025.txt#278"],
    "消防站": ["hunan-gwr-2025.txt#366"],
    "三查一曝光": ["hunan-gwr-2025.txt#392"],
    "危化品": ["hunan-gwr-2025.txt#392"],
    "事前预防": ["hunan-gwr-2025.txt#393", "national-gwr-2024.txt#465"],
    "应急广播": ["hunan-gwr-2025.txt#395"],
    "切坡建房": ["hunan-gwr-2025.txt#404"],
    "预报预警": ["hunan-gwr-2025.txt#405"],
    "物资储备": ["hunan-gwr-2025.txt#406", "ningxia-gwr-2025.txt#344"],
    "靠前指挥": ["hunan-gwr-2025.txt#407"],
    "应急演练": ["hunan-gwr-2025.txt#408"],
    "灾后恢复重建": ["hunan-gwr-2025.txt#409"],
    "团洲垸": ["hunan-gwr-2025.txt#409"],
    "燃气 管道": ["sichuan-gwr-2025.txt#310"],
    "三管三必须": ["sichuan-gwr-2025.txt#483"],
    "主体责任": ["sichuan-gwr-2025.txt#483"],
    "尾矿库": ["sichuan-gwr-2025.txt#484"],
    "电动自行车": ["sichuan-gwr-2025.txt#484"],
    "减量遏大": ["sichuan-gwr-2025.txt#484"],
    "山洪泥石流": ["sichuan-gwr-2025.txt#487"],
    "揭榜挂帅": ["sichuan-gwr-2025.txt#487"],
    "航空救援": ["sichuan-gwr-2025.txt#488"],
    "避险搬迁": ["sichuan-gwr-2025.txt#489"],
    "森林草原防灭火": ["sichuan-gwr-2025.txt#490", "sichuan-gwr-2025.txt#487"],
    "城中村": ["hunan-gwr-2025.txt#278", "sichuan-gwr-2025.txt#310", "national-gwr-2024.txt#379"],
    "加装电梯": ["national-gwr-2024.txt#379"],
    # two characters: the common case for sector words, where trigrams need a fallback
    "电梯": ["national-gwr-2024.txt#379"],
    "台风": ["national-gwr-2024.txt#468"],
    "地震": ["ningxia-gwr-2025.txt#344", "national-gwr-2024.txt#468"],
    "干旱": ["hunan-gwr-2025.txt#405", "national-gwr-2024.txt#468"],
    "药品": ["national-gwr-2024.txt#469"],
    "消防": ["hunan-gwr-2025.txt#366", "hunan-gwr-2025.txt#392"],
    "矿山": ["hunan-gwr-2025.txt#392", "sichuan-gwr-2025.txt#484"],
    "燃气": ["hunan-gwr-2025.txt#392", "sichuan-gwr-2025.txt#310", "sichuan-gwr-2025.txt#484"],
    "洪涝": ["hunan-gwr-2025.txt#405", "national-gwr-2024.txt#468"],
    "韧性": ["ningxia-gwr-2025.txt#302", "hunan-gwr-2025.txt#278", "sichuan-gwr-2025.txt#310",
             "national-gwr-2024.txt#379"],
    "特种设备": ["national-gwr-2024.txt#469"],
    "台风 地震": ["national-gwr-2024.txt#468"],
}

SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


@dataclass
class Collection:
    ids: list[str]           # "file#n"
    texts: list[str]
    gold: dict[str, int]     # gold directive id → index of its sentence in the collection
    evidence: list[tuple[str, str]]   # (evidence text, gold directive id)


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s+", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def load_collection(shared: Path = SHARED) -> Collection:
    rows = [json.loads(line) for line in (shared / "gold" / "track_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    sources = sorted({r["source"] for r in rows})
    ids: list[str] = []
    texts: list[str] = []
    for name in sources:
        text = (shared / "corpus" / name).read_text(encoding="utf-8")
        for n, m in enumerate(SENTENCE.finditer(text)):
            sent = m.group(0).strip()
            if len(sent) >= 4:
                ids.append(f"{name}#{n}")
                texts.append(sent)
    grams = [_bigrams(t) for t in texts]
    gold: dict[str, int] = {}
    evidence: list[tuple[str, str]] = []
    for r in rows:
        g = _bigrams(r["text"])
        best, best_i = 0.0, -1
        for i, (sid, gs) in enumerate(zip(ids, grams)):
            if not sid.startswith(r["source"] + "#") or not gs:
                continue
            score = len(g & gs) / max(1, min(len(g), len(gs)))
            if score > best:
                best, best_i = score, i
        if best >= 0.6:
            gold[r["id"]] = best_i
            evidence.extend((e["text"], r["id"]) for e in r["evidence"])
    return Collection(ids, texts, gold, evidence)


# ---- the variants -------------------------------------------------------------------------------

Searcher = Callable[[str, bool], list[int]]


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def build_jieba(texts: list[str]) -> Searcher:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(w, tokenize='unicode61')")
    conn.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", [(i, index_text(x)) for i, x in enumerate(texts)])

    def search(query: str, long: bool) -> list[int]:
        if long:
            toks = sorted(set(w for w in index_text(query).split()))
            expr = " OR ".join(_fts_quote(t) for t in toks)
        else:
            parts = [w for term in query.split() for w in query_words(term)]
            expr = " AND ".join(_fts_quote(t) for t in parts)
        if not expr:
            return []
        return [r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", [expr])]
    return search


def build_trigram(texts: list[str]) -> Searcher:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    folded = [fold(x) for x in texts]
    conn.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(folded)))

    def search(query: str, long: bool) -> list[int]:
        q = fold(query)
        if long:
            flat = re.sub(r"[^0-9a-z\u3400-\u9fff]", "", q)
            grams = sorted({flat[i:i + 3] for i in range(len(flat) - 2)})
            if not grams:
                return []
            expr = " OR ".join(_fts_quote(g) for g in grams)
            return [r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", [expr])]
        terms = q.split()
        long_terms = [t for t in terms if len(t) >= 3]
        short_terms = [t for t in terms if len(t) < 3]
        where = " AND ".join(["instr(x, ?) > 0"] * len(short_terms)) or "1"
        if long_terms:
            expr = " AND ".join(_fts_quote(t) for t in long_terms)
            sql = f"SELECT rowid FROM t WHERE t MATCH ? AND {where} ORDER BY rank LIMIT 10"
            return [r[0] for r in conn.execute(sql, [expr, *short_terms])]
        # the fallback: a scan, ranked by how often the terms occur, shorter sentences first
        counts = " + ".join(["(length(x) - length(replace(x, ?, ''))) / length(?)"] * len(short_terms))
        sql = (f"SELECT rowid FROM t WHERE {where} ORDER BY ({counts}) DESC, length(x) LIMIT 10")
        params = [*short_terms] + [p for t in short_terms for p in (t, t)]
        return [r[0] for r in conn.execute(sql, params)]
    return search


def build_unicode61(texts: list[str]) -> Searcher:
    """SQLite's default tokenizer: a run of Han characters is one token (the baseline)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
    conn.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", [(i, fold(x)) for i, x in enumerate(texts)])

    def search(query: str, long: bool) -> list[int]:
        toks = re.findall(r"[0-9a-z\u3400-\u9fff]+", fold(query))
        if not toks:
            return []
        expr = (" OR " if long else " AND ").join(_fts_quote(t) for t in sorted(set(toks)))
        return [r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", [expr])]
    return search


VARIANTS: dict[str, Callable[[list[str]], Searcher]] = {
    "jieba": build_jieba,
    "trigram": build_trigram,
    "unicode61": build_unicode61,
}


def _score(results: list[tuple[list[int], set[int]]]) -> dict[str, float]:
    mrr = recall = 0.0
    for hits, relevant in results:
        rank = next((k for k, h in enumerate(hits, 1) if h in relevant), None)
        mrr += 1 / rank if rank else 0.0
        recall += len(relevant & set(hits[:10])) / len(relevant)
    n = max(1, len(results))
    return {"mrr": round(mrr / n, 3), "recall@10": round(recall / n, 3), "queries": len(results)}


def measure(shared: Path = SHARED) -> dict[str, dict[str, dict[str, float]]]:
    """MRR and recall@10 of every variant on both query sets (and the time per query)."""
    col = load_collection(shared)
    report: dict[str, dict[str, dict[str, float]]] = {}
    for name, build in VARIANTS.items():
        search = build(col.texts)
        out: dict[str, dict[str, float]] = {}
        t0 = time.perf_counter()
        short = [(search(q, False), {col.gold[g] for g in gold if g in col.gold}) for q, gold in SHORT_QUERIES.items()]
        out["short"] = _score([r for r in short if r[1]])
        two = [(search(q, False), {col.gold[g] for g in gold if g in col.gold})
               for q, gold in SHORT_QUERIES.items() if all(len(t) <= 2 for t in q.split())]
        out["short_1_2_chars"] = _score([r for r in two if r[1]])
        follow = [(search(text, True), {col.gold[g]}) for text, g in col.evidence if g in col.gold]
        out["followup"] = _score(follow)
        out["ms_per_query"] = {"ms": round((time.perf_counter() - t0) * 1000 / (len(short) + len(follow) + len(two)), 2)}
        report[name] = out
    report["collection"] = {"size": {"sentences": len(col.texts), "gold_found": len(col.gold)}}
    return report


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False, indent=1))
