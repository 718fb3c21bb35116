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

Then it measures sites side by side: ``--sites`` demo sites (8), each on its own
loopback address (127.0.0.2, 127.0.0.3 …: distinct hosts to the crawler, all this
machine on Linux), each with ``--site-articles`` articles, crawled in one night at
``--multi-delay`` (0.5 s) with ``[crawl] concurrency`` = ``--concurrency`` (8),
once with servers that answer at once and once with servers that take
``--latency`` seconds (0.3) to answer, as government servers do. For each it
prints the wall time against requests × delay (what the sites would cost one
after another; goal: ratio ≤ 0.35 for eight sites), and, from the servers' own
logs, the smallest gap between two requests to one host (start to start, and
quiet time: end of one answer to the next request; both must be ≥ the delay)
and the most requests in flight at once over all sites (must be ≤ concurrency).

    .venv/bin/python scripts/bench_crawl.py [--articles 40] [--per-page 10] [--delay 0.1]
        [--sites 8] [--site-articles 12] [--multi-delay 0.5] [--concurrency 8] [--latency 0.3]

``--sites 0`` skips the sites side by side (they take about 20 s at the defaults).

Exits non-zero if a request on night 2 or 3 was not conditional, or if the sites
side by side break the delay, the cap or the 0.35 goal.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.crawl.config import parse_sites  # noqa: E402
from pipeline.crawl.demo_site import DemoSite, Exchange, build_pages  # noqa: E402
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


# --------------------------------------------------------------------------- sites side by side

GOAL_RATIO = 0.35     # eight sites at delay 0.5 s: wall time ≤ 0.35 × requests × delay


def loopback_hosts(n: int) -> list[str]:
    """127.0.0.2 … 127.0.0.(n + 1), after checking that each can be bound here (Linux routes all of 127/8 to lo)."""
    hosts = [f"127.0.0.{i}" for i in range(2, n + 2)]
    for host in hosts:
        with socket.socket() as probe:
            probe.bind((host, 0))          # OSError where only 127.0.0.1 exists (macOS without aliases)
    return hosts


def host_gaps(exchanges: list[Exchange]) -> tuple[float, float]:
    """(smallest start-to-start gap, smallest quiet time: end of one answer to the next request) at one host."""
    ordered = sorted(exchanges, key=lambda e: e.start)
    pairs = list(zip(ordered, ordered[1:]))
    if not pairs:
        return float("inf"), float("inf")
    return min(b.start - a.start for a, b in pairs), min(b.start - a.end for a, b in pairs)


def peak_in_flight(exchanges: list[Exchange]) -> int:
    """The most exchanges open at one moment, over all servers (an answer that ended frees its slot first)."""
    events = sorted([(e.start, 1) for e in exchanges] + [(e.end, -1) for e in exchanges])
    peak = open_now = 0
    for _t, step in events:
        open_now += step
        peak = max(peak, open_now)
    return peak


def side_by_side(hosts: list[str], corpus: Path, per_page: int, delay: float, concurrency: int,
                 latency: float, tmp: Path) -> dict:
    """One night over one demo site per host, into a fresh store; what the servers saw."""
    routes = build_pages(corpus, per_page)
    with ExitStack() as stack:
        sites = [stack.enter_context(DemoSite(corpus, host=host, latency=latency, routes=routes)) for host in hosts]
        text = (f"[crawl]\nuser_agent = \"duban/0.1 (+https://example.org/duban)\"\ndelay = {delay}\n"
                f"timeout = 10\nretries = 2\nbackoff = {delay}\nconcurrency = {concurrency}\n\n"
                + "\n".join(site.site_table(f"演示站点{i + 1}") for i, site in enumerate(sites)))
        db = tmp / f"side-by-side-{concurrency}-{latency}.db"
        summary = run(str(db), parse_sites(text), "crawl", ("crawl",))
        exchanges = [list(site.exchanges) for site in sites]
    crawl = summary.crawl
    assert crawl is not None
    requests = sum(len(e) for e in exchanges)
    gaps = [host_gaps(e) for e in exchanges]
    return {"latency": latency, "requests": requests, "per_site": requests // len(hosts), "crawl_s": crawl.seconds,
            "floor_s": requests * delay, "ratio": crawl.seconds / (requests * delay),
            "min_gap": min(g[0] for g in gaps), "min_quiet": min(g[1] for g in gaps),
            "peak": peak_in_flight([x for e in exchanges for x in e]), "failed": crawl.failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--sites", type=int, default=8,
                        help="sites side by side, one loopback address each (0: skip that part)")
    parser.add_argument("--site-articles", type=int, default=12)
    parser.add_argument("--multi-delay", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds a slow server takes to answer")
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
    return 0 if side_by_side_report(args) and ok else 1


def side_by_side_report(args: argparse.Namespace) -> bool:
    """Print the sites-side-by-side table; False if the delay, the cap or the goal was broken."""
    if args.sites < 1:
        return True                                  # --sites 0: the single-site nights only
    try:
        hosts = loopback_hosts(args.sites)
    except OSError as exc:
        print(f"\nsites side by side: skipped, cannot bind the loopback addresses 127.0.0.2… here ({exc})")
        return True
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.site_articles)
        results = [side_by_side(hosts, corpus, 5, args.multi_delay, args.concurrency, latency, Path(tmp))
                   for latency in (0.0, args.latency)]
    print(f"\nsites side by side: {len(hosts)} sites on {hosts[0]}–{hosts[-1]}, {args.site_articles} articles "
          f"each; delay {args.multi_delay} s per host, concurrency {args.concurrency}")
    header = (f"{'server latency':<16}{'requests':>9}{'time s':>9}{'req×delay s':>13}{'ratio':>8}"
              f"{'min gap s':>11}{'min quiet s':>13}{'peak in flight':>16}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['latency']:<16g}{r['requests']:>9}{r['crawl_s']:>9.2f}{r['floor_s']:>13.2f}{r['ratio']:>8.3f}"
              f"{r['min_gap']:>11.3f}{r['min_quiet']:>13.3f}{r['peak']:>16}")
    print("ratio = time / (requests × delay), requests × delay being the night with the sites one after another; "
          "min gap / min quiet: between two requests to one host, start to start / end of the answer to the next "
          "request, from the servers' logs; peak in flight: over all servers at once")
    ok = True
    for r in results:
        if r["failed"]:
            print(f"FAIL: {r['failed']} pages failed (latency {r['latency']:g} s)")
            ok = False
        if min(r["min_gap"], r["min_quiet"]) < args.multi_delay:
            print(f"FAIL: two requests to one host closer than the delay (latency {r['latency']:g} s)")
            ok = False
        if r["peak"] > args.concurrency:
            print(f"FAIL: {r['peak']} requests in flight, over the cap of {args.concurrency}")
            ok = False
    if len(hosts) >= 8 and args.multi_delay >= 0.5:
        worst = max(r["ratio"] for r in results)
        verdict = "ok" if worst <= GOAL_RATIO else "FAIL"
        print(f"{verdict}: worst ratio {worst:.3f} (goal ≤ {GOAL_RATIO} for eight sites at delay 0.5 s)")
        ok = ok and worst <= GOAL_RATIO
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
