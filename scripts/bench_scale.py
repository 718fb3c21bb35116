#!/usr/bin/env python3
"""Scale benchmark of the Dask executor: ingest and tracking in shards, against one process.

usage: .venv/bin/python scripts/bench_scale.py [--shards 8,32,128,512] [--docs-per-unit 4]
       [--workers 2] [--workdir DIR] [--keep]

Synthetic documents are written from templates (nothing is copied from ../shared): each
"unit" is a government with a plan of tasks, a notice of the level below passing some of
them down, and two later reports on them (done, in progress, or named among the problems);
two national documents (a plan and a review) span every unit. The units are made-up
cities (青阳市, 松川市 …) that a generated gazetteer (``models/places.toml`` in a copy of
``models/`` under ``$DUBAN_MODELS``) lists as provinces, so the store holds as many
tracking scopes as shards are asked for (the real gazetteer has 34 provinces).

The sweep is weak scaling: with S shards the store holds S units of the same size, so a
shard's work should stay the same as S grows — flat per-shard time and worker memory is
the goal. For each S it prints
- ingest on the cluster (documents per second, the client's single writer included),
- tracking on the cluster with S shards: each shard's time and peak memory added on its
  worker (median and max), the client's planning, merging and writing,
- tracking of the same store in this process (the baseline, same run) and the ratio,
- whether the two found the same evidence (they must).
Then the fixed cost of a task (an empty task's round trip; a shard of no documents), and a
projection to 10^7 documents on N workers from the measured rates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 3, 1)
ORDINALS = "一二三四五六七八九十"
TASKS = (
    "餐饮场所燃气报警器安装", "老旧燃气管网更新改造", "瓶装液化气供应站点整治", "危险化学品重大危险源包保责任落实",
    "化工园区安全风险评估", "有限空间作业专项检查", "高层建筑消防设施改造", "电动自行车集中充电设施建设",
    "建筑施工起重机械安全检查", "城市桥梁隧道安全隐患排查", "道路交通安全隐患路段整治", "农村公路安全生命防护工程建设",
    "非煤矿山安全专项整治", "尾矿库闭库治理", "防汛抗旱应急预案修订", "山洪灾害监测预警设施建设",
    "森林防火检查站建设", "应急避难场所建设", "自建房安全隐患排查", "工贸企业粉尘涉爆治理",
    "冶金企业煤气系统改造", "烟花爆竹经营网点检查", "渔船安全设备配备", "校园消防安全标准化建设",
    "养老机构消防设施改造", "文化旅游场所安全检查", "特种设备安全隐患排查", "油气长输管道隐患整治",
    "安全生产执法人员培训", "企业主要负责人安全培训", "基层应急救援队伍建设", "地质灾害隐患点搬迁避让",
    "城市生命线工程监测", "消防救援站建设", "重点行业领域安全生产标准化创建", "危险货物运输车辆动态监控",
)
UNITS_OF_COUNT = ("台", "处", "公里", "家", "人", "个")
FIRST = "青松云岭枫桥柳溪梅竹兰石泉川河湖江海山林峰谷金银玉翠白黄红紫东南西北"
SECOND = "阳安宁平丰源山江城州川德华兴昌盛"
FILLER = ("今年以来，{gov}认真贯彻落实党中央、国务院关于安全生产的决策部署，统筹发展和安全。",
          "全{lvl}安全生产形势总体平稳，但风险隐患依然不少，不容忽视。",
          "现将有关事项通知如下。")


# ----------------------------------------------------------------------------- the corpus
def unit_names(n: int) -> list[str]:
    """``n`` made-up city names (青阳市 …), the same for the same ``n``."""
    names = [a + b + "市" for a, b in itertools.product(FIRST, SECOND)]
    if n > len(names):
        raise SystemExit(f"at most {len(names)} units")
    return names[:n]


def _rng(*key: object) -> random.Random:
    return random.Random(hashlib.sha256(repr(key).encode()).hexdigest())


def _qty(rng: random.Random) -> str:
    return f"{rng.randrange(120, 9000)}{rng.choice(UNITS_OF_COUNT)}"


def unit_documents(gov: str, sub: str, year: int = 2025, seed: int = 7) -> list[tuple[str, str]]:
    """(file stem, text) of one unit's four documents: its plan, its sub-level's notice passing tasks
    down, the sub-level's half-year report, its own year-end review."""
    rng = _rng(seed, gov)
    tasks = rng.sample(TASKS, 6)
    qty = {t: _qty(rng) for t in tasks}
    plan_day = rng.randrange(5, 27)
    lines = [f"{gov}应急管理局关于印发{year}年安全生产工作要点的通知", f"{year}年2月{plan_day}日", "各区县应急管理局：",
             FILLER[0].format(gov=gov), FILLER[2]]
    for n, t in enumerate(tasks):
        month = rng.choice((5, 6, 9, 10, 11))
        form = n % 3
        if form == 0:
            lines.append(f"{ORDINALS[n]}、各区县要在{month}月底前完成{t}{qty[t]}。")
        elif form == 1:
            lines.append(f"{ORDINALS[n]}、要扎实推进{t}，{month}月底前完成{qty[t]}。")
        else:
            lines.append(f"{ORDINALS[n]}、各有关部门要全面开展{t}，建立问题隐患台账，年底前完成整改。")
    lines += [f"{gov}应急管理局", f"{year}年2月{plan_day}日"]
    plan = "\n".join(lines) + "\n"

    notice_day = rng.randrange(3, 28)
    lines = [f"{sub}应急管理局关于贯彻落实{year}年安全生产工作要点的通知", f"{year}年3月{notice_day}日",
             "各街道办事处：", FILLER[1].format(lvl="区"), FILLER[2]]
    for n, t in enumerate(tasks[:3]):
        lines.append(f"{ORDINALS[n]}、各街道要在{rng.choice((5, 6, 9))}月底前完成{t}。")
    notice = "\n".join(lines) + "\n"

    def report(who: str, month: int, picks: list[str]) -> str:
        day = rng.randrange(3, 28)
        out = [f"{who}应急管理局关于{year}年安全生产工作情况的报告", f"{year}年{month}月{day}日",
               FILLER[0].format(gov=who)]
        for n, t in enumerate(picks):
            kind = rng.random()
            if kind < 0.45:
                out.append(f"{ORDINALS[n]}、{t}已全部完成，共完成{_qty(rng)}。")
            elif kind < 0.8:
                out.append(f"{ORDINALS[n]}、{t}正在有序推进，完成率{rng.randrange(40, 95)}%。")
            else:
                out.append(f"{ORDINALS[n]}、{t}工作仍然存在短板，亟待加强。")
        return "\n".join(out) + "\n"

    return [("plan", plan), ("notice", notice), ("subreport", report(sub, 7, rng.sample(tasks[:3], 2))),
            ("review", report(gov, 12, rng.sample(tasks, 4)))]


def national_documents(year: int = 2025, seed: int = 7) -> list[tuple[str, str]]:
    """A national plan and the national review of it: their directives span every unit."""
    rng = _rng(seed, "national")
    tasks = rng.sample(TASKS, 8)
    lines = [f"国务院安全生产委员会关于印发{year}年全国安全生产工作要点的通知", f"{year}年1月20日",
             "各省、自治区、直辖市人民政府：", FILLER[2]]
    lines += [f"{ORDINALS[n]}、各地要在{rng.choice((6, 9, 11))}月底前完成{t}。" for n, t in enumerate(tasks)]
    review = [f"国务院安全生产委员会关于{year}年全国安全生产工作情况的通报", f"{year}年12月28日"]
    review += [f"{ORDINALS[n]}、{t}已全部完成。" for n, t in enumerate(tasks[:4])]
    return [("national_plan", "\n".join(lines) + "\n"), ("national_review", "\n".join(review) + "\n")]


def write_units(folder: Path, govs: list[tuple[str, str]], seed: int = 7) -> list[Path]:
    """Write the documents of ``govs`` ((unit government, its sub-level government) pairs) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for gov, sub in govs:
        for stem, text in unit_documents(gov, sub, seed=seed):
            path = folder / f"{gov}_{stem}.txt"
            path.write_text(text, encoding="utf-8")
            out.append(path)
    return out


def write_national(folder: Path, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for stem, text in national_documents(seed=seed):
        path = folder / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def synthetic_models(folder: Path, units: list[str]) -> Path:
    """A copy of models/ whose gazetteer lists the made-up units as provinces."""
    models = folder / "models"
    if models.exists():
        shutil.rmtree(models)
    shutil.copytree(ROOT / "models", models)
    lines = ["# Generated by scripts/bench_scale.py: made-up units as provinces.\n"]
    for n, name in enumerate(units):
        lines.append(f'[provinces."u{n:04d}"]\nnames = ["{name}", "{name[:-1]}"]\ncities = []\n')
    (models / "places.toml").write_text("".join(lines), encoding="utf-8")
    return models


# ----------------------------------------------------------------------------- measuring
def evidence_rows(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(
        "SELECT x.text, d.source, e.start, e.status, e.via, round(e.score, 4) FROM evidence e "
        "JOIN directives x ON x.id = e.directive_id JOIN documents d ON d.id = e.doc_id").fetchall())


def noop(x: int) -> int:
    return x


def _fmt_shards(per: list[dict]) -> str:
    secs = [p["seconds"] for p in per]
    mem = [p.get("rss_added_mb", 0.0) for p in per]
    docs = [p["docs"] for p in per]
    return (f"{statistics.median(docs):.0f} docs: time median {statistics.median(secs):.3f} s, max {max(secs):.3f} s; "
            f"memory added median {statistics.median(mem):.0f} MB, max {max(mem):.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", default="8,32,128,512", help="shard counts of the sweep (= units in the store)")
    ap.add_argument("--big-shards", type=int, default=8, help="shards of the last store, for a large-shard point")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--project", default="1e7", help="documents to project to")
    args = ap.parse_args()
    sizes = [int(s) for s in args.shards.split(",")]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="duban-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    units = unit_names(max(sizes))
    os.environ["DUBAN_MODELS"] = str(synthetic_models(work, units))   # before any worker starts

    from pipeline.executor.choose import ExecutorChoice, open_runner
    from pipeline.executor.extract_tasks import extract_batch
    from pipeline.executor.warm import warm_up
    from pipeline.ingest.pipeline import IngestReport, _entries, ingest_extracted, ingest_paths
    from pipeline.store import open_db
    from pipeline.track.tracker import track_store

    print(f"work dir {work}; cpus {os.cpu_count()}; workers {args.workers}; as of {AS_OF}")
    warm_up()                                  # the baseline's models loaded before it is timed, as a worker's are
    corpus = work / "corpus"
    t0 = time.perf_counter()
    with open_runner(ExecutorChoice("dask", None, args.workers)) as runner:
        print(f"cluster up in {time.perf_counter() - t0:.1f} s: {runner.describe}")
        laps = []
        for i in range(30):
            t = time.perf_counter()
            runner.pool.submit(noop, i).result()
            laps.append(time.perf_counter() - t)
        print(f"fixed cost of a task: empty task round trip median {statistics.median(laps) * 1000:.1f} ms "
              f"(p90 {sorted(laps)[26] * 1000:.1f} ms)")
        done_units, rows = 0, []
        store, twin = work / "cluster.db", work / "local.db"
        for s in sizes:
            files = write_units(corpus / f"u{s}", [(u, u + "城东区") for u in units[done_units:s]])
            if done_units == 0:
                files = write_national(corpus / "national") + files
            done_units = s
            # Ingest: on the cluster into the store; the same files in this process into a twin (the baseline).
            db, local = open_db(store), open_db(twin)
            t = time.perf_counter()
            report = ingest_paths(db, files, runner=runner)
            ingest_cluster = time.perf_counter() - t
            t = time.perf_counter()
            ingest_paths(local, files)
            ingest_local = time.perf_counter() - t
            assert not report.errors, report.errors[:3]
            n_docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            unplaced = db.execute("SELECT count(*) FROM documents WHERE place IS NULL AND level != '国家'").fetchone()[0]
            assert unplaced == 0, f"{unplaced} documents without a place: they would be in every shard"
            # Tracking, everything again (full), on the cluster in s shards, then in this process.
            t = time.perf_counter()
            counts = track_store(db, as_of=AS_OF, full=True, runner=runner, shards=s, details=True)
            track_cluster = time.perf_counter() - t
            t = time.perf_counter()
            track_store(local, as_of=AS_OF, full=True)
            track_local = time.perf_counter() - t
            same = evidence_rows(db) == evidence_rows(local)
            per = counts["shard_figures"]
            rows.append({"shards": s, "docs": n_docs, "files": len(files), "track_cluster": track_cluster,
                         "per": per, "seconds": counts["seconds"], "evidence": counts["new_evidence"]})
            print(f"S={s:4d} docs={n_docs:5d} | ingest +{len(files)} files: cluster {ingest_cluster:6.1f} s "
                  f"({len(files) / ingest_cluster:5.1f} docs/s), in-process {ingest_local:6.1f} s, "
                  f"ratio {ingest_cluster / ingest_local:4.2f}")
            print(f"         | track: cluster {track_cluster:6.1f} s, in-process {track_local:6.1f} s, "
                  f"ratio {track_cluster / track_local:4.2f}; client laps {json.dumps(counts['seconds'])}")
            print(f"         | per shard ({_fmt_shards(per)}); evidence {counts['new_evidence']}, "
                  f"same as in-process: {same}")
            db.conn.close()
            local.conn.close()
        first, last = rows[0], rows[-1]
        med = lambda r, k: statistics.median(p[k] for p in r["per"])   # noqa: E731
        print(f"flatness S={last['shards']} / S={first['shards']}: per-shard time {med(last, 'seconds'):.3f} / "
              f"{med(first, 'seconds'):.3f} s = {med(last, 'seconds') / med(first, 'seconds'):.2f}; memory added "
              f"{med(last, 'rss_added_mb'):.0f} / {med(first, 'rss_added_mb'):.0f} MB")
        # A large-shard point on the last store: what a document costs inside a shard.
        db = open_db(store)
        t = time.perf_counter()
        big = track_store(db, as_of=AS_OF, full=True, runner=runner, shards=args.big_shards, details=True)
        big_wall = time.perf_counter() - t
        print(f"same store in {args.big_shards} shards: {big_wall:.1f} s; per shard ({_fmt_shards(big['shard_figures'])})")
        small_docs, small_s = med(last, "docs"), med(last, "seconds")
        big_docs, big_s = statistics.median(p["docs"] for p in big["shard_figures"]), \
            statistics.median(p["seconds"] for p in big["shard_figures"])
        per_doc = max(0.0, (big_s - small_s) / max(1.0, big_docs - small_docs))
        fixed = max(0.0, small_s - per_doc * small_docs)
        print(f"shard cost model: {fixed:.3f} s fixed + {per_doc * 1000:.2f} ms per document")
        # The serial part of ingest: extraction (parallel) against saving (the one writer), in this process.
        # Synthetic documents are short (ten lines); the demo corpus has documents of real length.
        rates = {}
        for name, files in (("synthetic", sorted((corpus / f"u{last['shards']}").glob("*.txt"))[:400]),
                            ("demo corpus", [ROOT / "corpus" / "demo"])):
            entries = [e for e in _entries(files) if e.item is not None]
            t = time.perf_counter()
            ready = extract_batch([e.item for e in entries])
            extract_s = (time.perf_counter() - t) / len(ready)
            scratch = open_db(work / f"scratch-{len(rates)}.db")
            t = time.perf_counter()
            for r in ready:
                ingest_extracted(scratch, r, IngestReport())
            rates[name] = (extract_s, (time.perf_counter() - t) / len(ready))
            print(f"in this process, {name} ({len(ready)} docs): extract {rates[name][0] * 1000:.1f} ms/doc, "
                  f"save (the single writer) {rates[name][1] * 1000:.1f} ms/doc")
        extract_s, save_s = rates["demo corpus"]
        client = big["seconds"]
        serial_s = (client.get("plan", 0) + client.get("select", 0) + client.get("write", 0)) / last["docs"]
        print(f"tracking client (plan+select+write, serial) {serial_s * 1000:.2f} ms/doc; "
              "projection below uses the demo corpus's rates")
        target = float(args.project)
        # A shard is whole provinces (a province's directives need all of its documents): with the real
        # gazetteer's 34, a store of `target` documents has shards of at least target / 34 documents.
        provinces = 34
        shard_docs = target / provinces
        shard_s = fixed + per_doc * shard_docs
        for n in (2, 16, 34, 256):
            extract_h = target * extract_s / n / 3600
            write_h = target * save_s / 3600
            track_h = -(-provinces // min(n, provinces)) * shard_s / 3600
            print(f"projection {target:.0e} docs, {n:3d} workers: ingest max(extract {extract_h:5.1f} h, one writer "
                  f"{write_h:4.1f} h); tracking {provinces} province shards of {shard_docs:,.0f} docs, "
                  f"{shard_s / 3600:.2f} h each if linear: {track_h:4.1f} h + client {serial_s * target / 3600:.2f} h")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
