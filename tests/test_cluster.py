"""Ingest and tracking on a Dask cluster give what one process gives (issue 13, parts 2, 4 and 5).

The corpus is the demo's (its places are unknown to the gazetteer: shared by every shard)
plus documents written from the scale benchmark's templates for eight provinces and the
nation, so that shards hold different provinces and national directives span them. Each
run is compared with the in-process run on content (documents, directives, evidence,
statuses, the exported sheet without its running numbers), never on ids alone; the
cluster's ingest must also give every document the id the in-process run gave it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from pipeline.crawl.config import ConfigError, parse_sites  # noqa: E402
from pipeline.executor.choose import ExecutorChoice, open_runner  # noqa: E402
from pipeline.ingest.pipeline import ingest_paths  # noqa: E402
from pipeline.store import open_db  # noqa: E402
from pipeline.track.tracker import statuses, track_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo"
AS_OF = dt.date(2026, 3, 1)
PROVINCES = [("山东省", "山东省济南市"), ("江苏省", "江苏省南京市"), ("浙江省", "浙江省杭州市"), ("河北省", "河北省石家庄市"),
             ("广东省", "广东省广州市"), ("四川省", "四川省成都市"), ("湖南省", "湖南省长沙市"), ("河南省", "河南省郑州市")]
KILLER = '''
import os, signal
from pathlib import Path


def dask_setup(worker):
    """Each armed task kills its own worker process the first time it runs anywhere (marker files)."""
    from pipeline.executor import extract_tasks, track_tasks

    marks = Path(os.environ["DUBAN_TEST_KILL_DIR"])

    def arm(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            if (marks / f"{name}.armed").exists():
                try:
                    os.close(os.open(marks / f"{name}.fired", os.O_CREAT | os.O_EXCL))
                except FileExistsError:
                    pass
                else:
                    os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        setattr(module, name, wrapper)

    arm(extract_tasks, "extract_batch")
    arm(track_tasks, "score")
'''


def _bench():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "scripts" / "bench_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- what is compared
def content(db) -> dict[str, list]:
    """Everything a run stored, as sorted tuples of content (no ids)."""
    docs = sorted((s, t, hashlib.sha256(b.encode()).hexdigest(), d is not None, p, n) for s, t, b, d, p, n in db.execute(
        "SELECT source, title, body, duplicate_of, partial, no_body FROM documents").fetchall())
    directives = sorted(tuple(r) for r in db.execute(
        "SELECT d.source, x.start, x.text, x.sectors, x.parties, x.deadline_date, x.safety FROM directives x "
        "JOIN documents d ON d.id = x.doc_id").fetchall())
    evidence = sorted(tuple(r) for r in db.execute(
        "SELECT x.text, xd.source, d.source, e.start, e.status, e.via, round(e.score, 4) FROM evidence e "
        "JOIN directives x ON x.id = e.directive_id JOIN documents xd ON xd.id = x.doc_id "
        "JOIN documents d ON d.id = e.doc_id").fetchall())
    where = {k: (s, st, t) for k, s, st, t in db.execute(
        "SELECT x.id, d.source, x.start, x.text FROM directives x JOIN documents d ON d.id = x.doc_id").fetchall()}
    status = sorted((*where[k], s.status) for k, s in statuses(db, AS_OF).items())
    return {"documents": docs, "directives": directives, "evidence": evidence, "statuses": status, "sheet": sheet(db)}


def sheet(db) -> list[list[str]]:
    """The exported sheet (every topic) as CSV rows, without the columns that number rows or items."""
    from pipeline.export.writers import export
    from pipeline.search.engine import Filters

    buf = io.BytesIO()
    export(db, buf, "csv", filters=Filters(all_topics=True), as_of=AS_OF)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"))))
    keep = [i for i, name in enumerate(rows[0]) if name not in ("序号", "事项编号")]
    return [[rows[0][i] for i in keep]] + sorted([r[i] for i in keep] for r in rows[1:])


def document_ids(db) -> list[tuple]:
    return db.execute("SELECT id, source, raw_sha256 FROM documents ORDER BY id").fetchall()


def assert_same(got: dict, want: dict) -> None:
    for key in want:
        assert got[key] == want[key], key
    assert got["evidence"] and len(set(got["evidence"])) == len(got["evidence"])


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    bench = _bench()
    folder = tmp_path_factory.mktemp("provinces")
    return [DEMO] + bench.write_national(folder) + bench.write_units(folder, PROVINCES)


@pytest.fixture(scope="module")
def baseline(corpus, tmp_path_factory):
    """The in-process run: one shard, this process."""
    db = open_db(tmp_path_factory.mktemp("base") / "duban.db")
    assert not ingest_paths(db, corpus).errors
    counts = track_store(db, as_of=AS_OF)
    assert counts["shards"] == 1 and counts["new_evidence"] > 0
    return {"content": content(db), "ids": document_ids(db)}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker processes; a task armed by a marker file kills its worker the first time it runs."""
    folder = tmp_path_factory.mktemp("killer")
    (folder / "killer.py").write_text(KILLER, encoding="utf-8")
    os.environ["DUBAN_TEST_KILL_DIR"] = str(folder)
    try:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                           preload=[str(folder / "killer.py")], silence_logs=50)
    finally:
        del os.environ["DUBAN_TEST_KILL_DIR"]
    yield cluster, folder
    cluster.close()


# ----------------------------------------------------------------------------- in one process
@pytest.mark.parametrize("shards", [1, 7])
def test_shards_in_one_process_find_what_one_index_finds(corpus, baseline, tmp_path, shards):
    db = open_db(tmp_path / "duban.db")
    ingest_paths(db, corpus)
    counts = track_store(db, as_of=AS_OF, shards=shards, details=True)
    assert counts["shards"] == shards
    if shards > 1:   # provinces apart, the shared documents (national, the demo's) in every shard
        figures = counts["shard_figures"]
        assert len({f["docs"] for f in figures}) >= 1 and all(f["docs"] < len(baseline["ids"]) for f in figures)
    assert_same(content(db), baseline["content"])


def test_incremental_sharded_run_agrees_with_one_process(corpus, tmp_path):
    """Half the corpus tracked, then the rest: old directives against new documents, in shards."""
    runs = {}
    for shards in (1, 5):
        db = open_db(tmp_path / f"s{shards}.db")
        ingest_paths(db, corpus[1:6])
        track_store(db, as_of=AS_OF, shards=shards)
        ingest_paths(db, [corpus[0]] + corpus[6:])
        step = track_store(db, as_of=AS_OF, shards=shards)
        assert step["new_documents"] > 0
        runs[shards] = content(db)
    assert_same(runs[5], runs[1])


# ----------------------------------------------------------------------------- on a cluster
def test_local_cluster_gives_the_same_store(corpus, baseline, tmp_path):
    """duban's own LocalCluster (two worker processes): same ids, same content, shards by province."""
    db = open_db(tmp_path / "duban.db")
    with open_runner(ExecutorChoice("dask")) as runner:
        assert runner.workers == 2 and not runner.in_process
        assert not ingest_paths(db, corpus, runner=runner).errors
        assert document_ids(db) == baseline["ids"]
        counts = track_store(db, as_of=AS_OF, runner=runner, shards=7, details=True)
        assert counts["shards"] == 7
        assert len({f["pid"] for f in counts["shard_figures"]}) == 2    # both workers took shards
    assert_same(content(db), baseline["content"])


def test_killed_worker_is_retried_without_duplicates(corpus, baseline, cluster, tmp_path):
    local, marks = cluster
    for name in ("extract_batch", "score"):
        (marks / f"{name}.armed").touch()
    db = open_db(tmp_path / "duban.db")
    try:
        with open_runner(ExecutorChoice("dask", local.scheduler_address)) as runner:
            assert not ingest_paths(db, corpus, runner=runner).errors
            track_store(db, as_of=AS_OF, runner=runner, shards=4)
    finally:
        for name in ("extract_batch", "score"):
            (marks / f"{name}.armed").unlink()
    assert (marks / "extract_batch.fired").exists() and (marks / "score.fired").exists()
    assert document_ids(db) == baseline["ids"]
    assert_same(content(db), baseline["content"])


def test_models_load_once_per_worker(corpus, cluster, tmp_path):
    """jieba's dictionary and the directive model are loaded once per worker process, not per task."""
    local, _ = cluster
    db = open_db(tmp_path / "duban.db")
    with open_runner(ExecutorChoice("dask", local.scheduler_address)) as runner:
        ingest_paths(db, corpus, runner=runner)
        track_store(db, as_of=AS_OF, runner=runner, shards=3)

    def loads() -> tuple[int, int, int]:
        from pipeline.extract.classifier import _load
        from pipeline.track.scoring import load_model
        from pipeline.track.terms import _jieba

        return _jieba.cache_info().misses, _load.cache_info().misses, load_model.cache_info().currsize

    with distributed.Client(local.scheduler_address) as client:
        per_worker = client.run(loads)
    assert len(per_worker) == 2
    for jieba_loads, model_loads, track_models in per_worker.values():
        assert jieba_loads == 1 and model_loads == 1 and track_models <= 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address: str, n: int, timeout: float = 90) -> None:
    with distributed.Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=timeout)


def test_cli_against_a_scheduler_and_two_workers(corpus, baseline, tmp_path):
    """`dask scheduler` and two `dask worker` processes; duban ingest and track pointed at the scheduler."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], cwd=ROOT, **quiet)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                           "--nthreads", "1", "--nworkers", "1", "--no-dashboard"], cwd=ROOT, **quiet))
        _wait_for_workers(address, 2)
        store = tmp_path / "duban.db"
        cli = [sys.executable, "-m", "pipeline.cli"]
        done = subprocess.run(cli + ["ingest", *map(str, corpus), "--db", str(store), "--executor", "dask",
                                     "--scheduler", address], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        done = subprocess.run(cli + ["track", "--db", str(store), "--as-of", AS_OF.isoformat(), "--executor", "dask",
                                     "--scheduler", address, "--shards", "7"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "新增落实证据" in done.stdout
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    db = open_db(store)
    assert document_ids(db) == baseline["ids"]
    assert sheet(db) == baseline["content"]["sheet"]
    assert content(db)["evidence"] == baseline["content"]["evidence"]


def test_nightly_on_a_cluster_stores_what_one_process_stores(cluster, tmp_path):
    """Crawled pages are extracted ahead on the workers and tracked in shards; the store is the same."""
    from pipeline.crawl.demo_site import DemoSite
    from pipeline.nightly.orchestrate import ALL_STAGES, run

    local, _ = cluster
    results = {}
    with DemoSite(DEMO) as site:
        config = parse_sites(site.sites_toml(delay=0.01))
        for name, choice in (("local", None), ("dask", ExecutorChoice("dask", local.scheduler_address))):
            path = tmp_path / f"{name}.db"
            summary = run(str(path), config, "nightly", ALL_STAGES, as_of=AS_OF, executor=choice)
            assert summary.stage("ingest").status == "ok" and summary.stage("track").status == "ok", summary.errors()
            db = open_db(path)
            results[name] = content(db)
            db.conn.close()
    assert results["local"]["evidence"]
    assert_same(results["dask"], results["local"])


# ----------------------------------------------------------------------------- settings
SITE = '[[site]]\nname = "甲"\nstart = ["http://127.0.0.1:9/"]\n'


def test_cluster_table_of_the_sites_file():
    cfg = parse_sites('[cluster]\nexecutor = "dask"\nscheduler = "tcp://10.0.0.5:8786"\nshards = 16\n' + SITE)
    assert (cfg.cluster.executor, cfg.cluster.scheduler, cfg.cluster.shards) == ("dask", "tcp://10.0.0.5:8786", 16)
    assert parse_sites(SITE).cluster.executor == "local"
    for table, words in (('executor = "spark"', "executor"), ('scheduler = "tcp://a:1"', "只在"),
                         ('executor = "dask"\nworkers = 0', "workers"), ("nodes = 3", "不认识"),
                         ('executor = "dask"\nscheduler = "地址 有误"', "调度器地址")):
        with pytest.raises(ConfigError, match=words):
            parse_sites(f"[cluster]\n{table}\n" + SITE)


def test_wrong_executor_options_exit_2_with_a_message(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(DEMO), "--db", str(tmp_path / "x.db"), "--executor", "spark"])
    assert result.exit_code == 2 and "local 或 dask" in result.output
    result = runner.invoke(app, ["track", "--db", str(tmp_path / "x.db"), "--executor", "local",
                                 "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--scheduler" in result.output
    port = _free_port()
    t0 = time.perf_counter()
    result = runner.invoke(app, ["ingest", str(DEMO), "--db", str(tmp_path / "x.db"),
                                 "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 2 and "无法连接" in result.output and time.perf_counter() - t0 < 60
