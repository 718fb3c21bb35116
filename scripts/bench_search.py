#!/usr/bin/env python3
"""Search latency on a store of 10⁶ synthetic directives, against a plain LIKE scan.

    .venv/bin/python scripts/bench_search.py [--n 1000000] [--db PATH] [--repeat 5] [--dev]

Fills a store with synthetic directives — two or three clauses drawn from the
real documents at hand (corpus/demo, ../shared), so words are as common as in
real directives, plus a party, an order word and a deadline; seeded, so every
run builds the same store (templates stand in when no documents are found) —
indexes it, then times ``pipeline.search.engine.search`` —
what ``duban search`` and the web page call: FTS5 match, filters, corrections
join and statuses for the shown hits — on a fixed query set. The baseline
answers the same queries in the same run with LIKE '%词%' scans (same filters,
same joins, newest first). Goal: p95 ≤ 20 ms. ``--dev`` also prints the
tokenizer measurement on the shared dev set (pipeline/search/devset.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.search.engine import Filters, search, where_clause  # noqa: E402
from pipeline.search.index import update_index  # noqa: E402
from pipeline.search.query import compile_query  # noqa: E402
from pipeline.search.records import FROM, SELECT  # noqa: E402
from pipeline.store import open_db  # noqa: E402

PARTIES = ["区住建局", "各街道（乡镇）", "市应急管理局", "各县（市、区）", "区市场监管局", "区消防救援大队", "各化工企业",
           "各燃气经营企业", "区交通运输局", "区教育局", "各行业主管部门", "区安委办", "各级党政主要领导", "各生产经营单位",
           "区城管局", "区农业农村局", "区林业局", "区水务局", "各工业园区管委会", "区卫健委"]
ADVERBS = ["全面", "深入", "扎实", "立即", "抓紧", "严格", "持续", "集中", "切实", "认真"]
ACTIONS = ["排查", "整治", "建立", "开展", "落实", "制定", "签订", "安装", "检查", "演练", "清理", "更新改造", "督促整改",
           "挂牌督办", "加强", "完善", "推进", "组织"]
OBJECTS = {
    "城镇燃气": ["燃气管道占压隐患", "用户安全检查台账", "可燃气体报警装置", "瓶装液化气钢瓶", "燃气经营许可"],
    "消防": ["消防设施", "疏散通道", "消防通道", "九小场所火灾隐患", "高层建筑消防"],
    "危险化学品": ["危化品储罐", "重大危险源监测", "化工园区风险", "危险货物运输车辆"],
    "矿山": ["尾矿库", "非煤矿山", "煤矿瓦斯", "露天矿边坡"],
    "工贸": ["有限空间作业", "粉尘涉爆企业", "涉氨制冷", "冶金煤气"],
    "建筑施工": ["施工现场脚手架", "深基坑", "起重机械", "建筑工地"],
    "交通运输": ["道路交通事故隐患", "农村公路安全防护", "客运车辆", "渔船"],
    "城乡住房": ["自建房安全", "老旧小区改造", "危旧房"],
    "电动自行车": ["电动自行车充电设施", "电动自行车违规停放"],
    "森林草原防火": ["森林防火检查站", "野外用火", "林区巡护"],
    "自然灾害": ["防汛物资储备", "地质灾害隐患点", "山洪灾害危险区"],
    "应急救援": ["应急预案", "应急演练", "24小时值班制度", "应急救援队伍"],
    "特种设备": ["电梯", "锅炉", "压力容器"],
    "民爆和烟花爆竹": ["烟花爆竹", "民用爆炸物品"],
}
TAILS = ["隐患排查整治", "安全检查台账", "责任清单", "工作台账", "专项整治", "闭环管理", "长效机制", "督导检查"]
DEADLINES = [("6月底前", "date", "-06-30"), ("年底前", "date", "-12-31"), ("9月底前", "date", "-09-30"),
             ("立即", "immediate", None), ("每月", "recurring", None), ("常态化", "recurring", None),
             ("限期", "vague", None), (None, None, None), (None, None, None)]
PLACES = ["青禾区", "临汾市", "汾西县", "宁夏回族自治区", "湖南省", "四川省", "成都市", "长沙市", "银川市", "雁塔区"]
KINDS = ["speech", "notice", "plan", "report", "news"]

# (query, filters): what people search for — sector words, two-word tasks, a party, a period, the syntax.
QUERIES: list[tuple[str, dict]] = [
    ("消防", {}),
    ("燃气 排查", {}),
    ("危险化学品 企业", {}),
    ("应急预案 演练", {}),
    ("电动自行车 充电", {}),
    ("尾矿库", {}),
    ("隐患 整改 台账", {}),
    ("燃气 OR 消防", {}),
    ("燃气 -演练", {}),
    ('"管道 占压"', {}),
    ("有限空间", {"sector": "工贸"}),
    ("排查", {"party": "住建"}),
    ("自建房", {"date_from": "2024-01-01"}),
    ("安全", {}),
    ("落实", {}),
    ("", {"sector": "矿山"}),
    ("", {"due_before": "2023-06-30"}),
    ("森林防火", {"place": "四川"}),
    ("粉尘涉爆", {"kind": "notice"}),
    ("隐患 排查", {"status": "overdue"}),
]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


ROOT = Path(__file__).resolve().parents[1]
TEXT_DIRS = [ROOT / "corpus" / "demo", ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "seeds"]
SECTOR_WORDS = {"城镇燃气": ["燃气", "液化气"], "消防": ["消防", "火灾"], "危险化学品": ["危化", "化工", "危险化学品"],
                "矿山": ["矿山", "煤矿", "尾矿"], "工贸": ["有限空间", "粉尘"], "建筑施工": ["施工", "工地"],
                "交通运输": ["交通", "道路", "运输"], "城乡住房": ["自建房", "住房", "老旧小区"],
                "电动自行车": ["电动自行车", "电动车"], "森林草原防火": ["森林", "防火"],
                "自然灾害": ["防汛", "地质灾害", "洪涝", "自然灾害"], "应急救援": ["应急预案", "演练", "值班", "救援"],
                "特种设备": ["特种设备", "电梯", "锅炉"], "民爆和烟花爆竹": ["烟花爆竹", "民爆"]}


def load_clauses() -> list[str]:
    """Clauses of the real documents at hand (the demo corpus, ../shared): a realistic vocabulary."""
    import re

    clauses: list[str] = []
    for folder in TEXT_DIRS:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8", errors="ignore")
            for sent in re.split(r"[。！？；\n]", text):
                for clause in re.split(r"[，、：]", sent):
                    clause = clause.strip()
                    if 4 <= len(clause) <= 40 and re.search(r"[\u4e00-\u9fff]{4}", clause):
                        clauses.append(clause)
    return clauses


def real_sentence(rng: random.Random, clauses: list[str]) -> tuple[str, list[str], list[str], tuple]:
    """A directive made of two or three real clauses, with a party, an order word and a deadline."""
    party = rng.choice(PARTIES)
    deadline = rng.choice(DEADLINES)
    body = "，".join(rng.choice(clauses) for _ in range(rng.choice([2, 2, 3])))
    text = f"{party}要{body}，{deadline[0] or ''}{rng.choice(ACTIONS)}{rng.choice(TAILS)}。"
    sectors = [s for s, words in SECTOR_WORDS.items() if any(w in text for w in words)][:3]
    return text, sectors, [party], deadline


def sentence(rng: random.Random) -> tuple[str, list[str], list[str], tuple]:
    sectors = rng.sample(list(OBJECTS), k=rng.choice([1, 1, 1, 2]))
    party = rng.choice(PARTIES)
    parts = []
    for sector in sectors:
        parts.append(f"{rng.choice(ADVERBS)}{rng.choice(ACTIONS)}{rng.choice(OBJECTS[sector])}")
    deadline = rng.choice(DEADLINES)
    tail = rng.choice(TAILS)
    text = f"{party}要{'，'.join(parts)}，{deadline[0] or ''}{rng.choice(ACTIONS)}{tail}。"
    return text, sectors, [party], deadline


def fill(db, n: int, per_doc: int = 50, seed: int = 7) -> None:
    """n synthetic directives in n / per_doc documents, written in big transactions."""
    rng = random.Random(seed)
    clauses = load_clauses()
    make = (lambda: real_sentence(rng, clauses)) if len(clauses) >= 1000 else (lambda: sentence(rng))
    print(f"vocabulary: {'clauses of ' + str(len(clauses)) + ' real sentences' if len(clauses) >= 1000 else 'templates'}")
    docs = max(1, n // per_doc)
    start = dt.date(2019, 1, 1)
    with db.conn:
        for d in range(docs):
            date = start + dt.timedelta(days=rng.randrange(0, 2400))
            title = f"{rng.choice(PLACES)}关于安全生产工作的{['讲话', '通知', '方案', '报告', '新闻'][d % 5]}（{d}）"
            db.conn.execute(
                "INSERT INTO documents (id, source, fmt, raw_sha256, text_sha256, title, date, published, place, kind, "
                "body, analysis, parser_version, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [d + 1, f"bench/{d}.txt", "txt", f"raw{d}", _sha(f"doc{d}"), title, date.isoformat(), date.isoformat(),
                 rng.choice(PLACES), KINDS[d % 5], title, title, "bench", "2025-01-01T00:00:00+00:00"])
    batch: list[tuple] = []
    for i in range(n):
        doc_id = i // per_doc + 1
        text, sectors, parties, (dl_text, dl_kind, dl_suffix) = make()
        year = 2019 + (i * 7919) % 7
        batch.append((doc_id, i, i + len(text), text, _sha(text + str(i)), json.dumps(sectors, ensure_ascii=False),
                      json.dumps(parties, ensure_ascii=False), "[]", dl_text, dl_kind,
                      f"{year}{dl_suffix}" if dl_suffix else None, "[]", 0.9, "bench"))
        if len(batch) == 50_000 or i == n - 1:
            with db.conn:
                db.conn.executemany(
                    'INSERT INTO directives (doc_id, start, "end", text, text_sha256, sectors, parties, party_types, '
                    "deadline_text, deadline_kind, deadline_date, heading_path, score, extractor_version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            batch = []


def like_search(db, query: str, filters: Filters, limit: int = 20) -> list[tuple]:
    """The baseline: every query term as LIKE '%term%' over the directive text, same filters, newest first."""
    conds, params = where_clause(filters)
    compiled = compile_query(query)
    if compiled:
        terms = [t for t in compiled.highlight]
        joiner = " OR " if " OR " in query else " AND "
        conds.append("(" + joiner.join(["d.text LIKE ?"] * len(terms)) + ")")
        params += [f"%{t.replace(' ', '%')}%" for t in terms]
        if "-" in query:
            neg = query.split("-", 1)[1].split()[0]
            conds.append("d.text NOT LIKE ?")
            params.append(f"%{neg}%")
    sql = f"{SELECT} {FROM} WHERE {' AND '.join(conds) or '1'} ORDER BY COALESCE(doc.date, doc.published) DESC LIMIT ?"
    rows = db.execute(sql, params + [limit]).fetchall()
    if filters.status:       # statuses for the candidates, as the real search does
        from pipeline.search import records

        records.attach_statuses(db, [records.from_row(r) for r in rows])
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn, repeat: int) -> list[float]:
    fn()                                  # warm the page cache once
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="synthetic directives (default 10⁶)")
    ap.add_argument("--db", help="store to build (default: a temporary file, removed afterwards)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--baseline-repeat", type=int, default=2, help="timed runs per query for the LIKE scan")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the first indexing")
    ap.add_argument("--dev", action="store_true", help="also print the tokenizer measurement on ../shared")
    args = ap.parse_args()

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="duban-bench-")
        path = Path(tmp.name) / "bench.db"
    fresh = not path.exists()
    db = open_db(path)
    if fresh:
        t0 = time.perf_counter()
        fill(db, args.n)
        t1 = time.perf_counter()
        stats = update_index(db, workers=args.workers)
        t2 = time.perf_counter()
        db.execute("PRAGMA optimize")
        print(f"store: {args.n:,} directives written in {t1 - t0:.1f} s, indexed in {t2 - t1:.1f} s "
              f"({stats['directives']:,} rows, {args.workers} processes); {path.stat().st_size / 2**20:.0f} MiB")
    n = db.execute("SELECT count(*) FROM directives").fetchone()[0]
    as_of = dt.date(2025, 6, 30)

    fts_all: list[float] = []
    like_all: list[float] = []
    print(f"\n{'query':<28}{'filters':<26}{'hits':>6}{'FTS p50':>10}{'LIKE p50':>10}{'ratio':>8}")
    for query, kw in QUERIES:
        filters = Filters(**kw)
        hits = len(search(db, query, filters, limit=20, as_of=as_of, refresh=False).hits)
        fts = timed(lambda: search(db, query, filters, limit=20, as_of=as_of, refresh=False), args.repeat)
        like = timed(lambda: like_search(db, query, filters), args.baseline_repeat)
        fts_all += fts
        like_all += like
        label = ",".join(f"{k}={v}" for k, v in kw.items())
        print(f"{query or '（无）':<28}{label:<26}{hits:>6}{statistics.median(fts):>10.1f}{statistics.median(like):>10.1f}"
              f"{statistics.median(like) / statistics.median(fts):>8.0f}×")
    p50, p95 = percentile(fts_all, 50), percentile(fts_all, 95)
    b50, b95 = percentile(like_all, 50), percentile(like_all, 95)
    print(f"\n{n:,} directives, {len(QUERIES)} queries, limit 20, statuses attached")
    print(f"FTS5 (jieba words): p50 {p50:.1f} ms  p95 {p95:.1f} ms   (goal p95 ≤ 20 ms: {'met' if p95 <= 20 else 'NOT met'})")
    print(f"LIKE scan baseline: p50 {b50:.1f} ms  p95 {b95:.1f} ms")
    print(f"ratio LIKE/FTS: p50 {b50 / p50:.0f}×  p95 {b95 / p95:.0f}×")
    if args.dev:
        from pipeline.search.devset import measure

        print("\ntokenizer measurement on the dev set:")
        print(json.dumps(measure(), ensure_ascii=False, indent=1))
    db.conn.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
