#!/usr/bin/env python3
"""Benchmark: what a second night over an unchanged site costs.

Serves a synthetic corpus through duban's demo site (pipeline.crawl.demo_site) on
127.0.0.1 and crawls it three times into a fresh store (crawl stage only: ingest
is not what is measured here):

  night 1  everything is new: plain GETs
  night 2  nothing changed, recheck_days = 0: every stored page is asked again,
           conditionally, and answers 304
  night 3  nothing changed, recheck_days = 7 (the default): stored articles are not
           asked at all; robots.txt and the list pages are, conditionally

For each night it prints the requests (as the server saw them), how many were
conditional, the 304s, the wall time, and the ratio measured time / (requests ×
delay): the per-host delay is the floor a polite crawler cannot go under, so a
ratio close to 1 means the crawler spends its time being polite, not working.
(The first request to a host does not wait, so the floor is really (requests − 1)
× delay; the ratio can dip just under 1 for that reason.)

    .venv/bin/python scripts/bench_crawl.py [--articles 40] [--per-page 10] [--delay 0.1]

Exits non-zero if a request on night 2 or 3 was not conditional.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.crawl.config import parse_sites  # noqa: E402
from pipeline.crawl.demo_site import DemoSite  # noqa: E402
from pipeline.nightly.orchestrate import run  # noqa: E402

WORDS = ("安全 生产 排查 整治 隐患 燃气 消防 管道 设施 企业 街道 乡镇 部门 督导 检查 台账 清单 方案 预案 演练 "
         "培训 宣传 教育 责任 落实 监管 执法 风险 防控 应急 救援 物资 储备 值班 值守 信息 报送 通报 考核").split()


def make_corpus(folder: Path, n: int) -> None:
    """``n`` distinct notices, dated one day apart."""
    rng = random.Random(7)
    for i in range(n):
        day = time.strftime("%Y-%m-%d", time.gmtime(1735700000 + i * 86400))
        lines = [f"关于做好第{i + 1}批安全生产重点工作的通知", "各街道（乡镇），区直各部门："]
        lines += ["".join(rng.choice(WORDS) for _ in range(16)) + "。" for _ in range(6)]
        (folder / f"{day}_notice_{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def night(label: str, site: DemoSite, db: Path, delay: float, recheck_days: float) -> dict:
    config = parse_sites(site.sites_toml(delay=delay, timeout=10, retries=2, recheck_days=recheck_days))
    start = len(site.hits)
    t0 = time.perf_counter()
    summary = run(str(db), config, "crawl", ("crawl",))
    seconds = time.perf_counter() - t0
    hits = site.hits[start:]
    crawl = summary.crawl
    assert crawl is not None
    return {"night": label, "requests": len(hits), "conditional": sum(1 for h in hits if h[1]),
            "304": sum(1 for h in hits if h[2] == 304), "200": sum(1 for h in hits if h[2] == 200),
            "crawl_s": crawl.seconds, "run_s": seconds, "floor_s": len(hits) * delay,
            "ratio": crawl.seconds / (len(hits) * delay) if hits and delay else float("nan")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        corpus, db = Path(tmp) / "corpus", Path(tmp) / "duban.db"
        corpus.mkdir()
        make_corpus(corpus, args.articles)
        with DemoSite(corpus, per_page=args.per_page) as site:
            results = [night("1 (new site)", site, db, args.delay, 0),
                       night("2 (unchanged, recheck all)", site, db, args.delay, 0),
                       night("3 (unchanged, recheck_days=7)", site, db, args.delay, 7)]

    print(f"site: {args.articles} articles, {args.per_page} per list page; delay {args.delay} s per host")
    header = f"{'night':<32}{'requests':>9}{'cond.':>7}{'304':>6}{'200':>6}{'time s':>9}{'req×delay s':>13}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['night']:<32}{r['requests']:>9}{r['conditional']:>7}{r['304']:>6}{r['200']:>6}"
              f"{r['crawl_s']:>9.2f}{r['floor_s']:>13.2f}{r['ratio']:>8.3f}")
    print("ratio = time / (requests × delay); the first request to a host does not wait, so a night of few "
          "requests sits near (requests − 1) / requests")
    first, second, third = results
    print(f"night 2 / night 1 time: {second['crawl_s'] / first['crawl_s']:.3f} "
          f"(same number of requests; bodies not sent, nothing stored)")
    print(f"night 3 / night 1 time: {third['crawl_s'] / first['crawl_s']:.3f} "
          f"({third['requests']} of {first['requests']} requests)")
    ok = all(r["conditional"] == r["requests"] == r["304"] for r in (second, third))
    print("second night: only conditional requests, all answered 304" if ok
          else "FAIL: a request on night 2 or 3 was not conditional or not a 304")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
