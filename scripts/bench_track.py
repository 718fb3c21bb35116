#!/usr/bin/env python3
"""Time `track` on a synthetic store, at full size and at a tenth, and report the growth.

usage: .venv/bin/python scripts/bench_track.py [--scale 1.0] [--directives 100000] [--docs 10000]
       [--sentences 40] [--workdir DIR] [--single]

The store is written directly (no parsing: what is timed is tracking) from the
demo corpus's vocabulary: every synthetic sentence is a demo sentence whose
content words were swapped for others drawn by their demo frequency, so the
texts keep the shape of orders and reports (要…, 已完成…) without repeating
the demo. One directive in ten gets a planted follow-up (most of its words and
a status cue) in a later document. Each size runs in its own process, so the
peak memory (ru_maxrss) is that size's. Then one more night is timed: 1% new
documents on top of the full store (the incremental case the nightly run
meets). The figure of merit is the growth ratio: time at full size / time at a
tenth (goal ≤ 12 for 10× the data; ≤ 5 min and ≤ 4 GB at full size on 2 cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Documents belong to one of these governments, so outcome figures link within a government only.
PLACES = [f"第{n}区" for n in range(1, 21)]
CUES_DONE = ["已全部完成", "已于6月完成", "已建成", "全面完成"]
CUES_PROGRESS = ["正在持续推进，完成率76%", "正在有序推进", "持续推进，已完成"]


def demo_material(seed: int = 7):
    """(directive templates, sentence templates, vocabulary words, their weights) from corpus/demo."""
    import jieba

    from pipeline.extract.extractor import extract_directives
    from pipeline.ingest.readers import iter_files, read_file
    from pipeline.parse.document import parse_raw

    jieba.setLogLevel(60)
    directives, sentences, freq = [], [], {}
    for path in iter_files([ROOT / "corpus" / "demo"]):
        try:
            doc = parse_raw(read_file(path))
        except Exception:
            continue
        directives += [d.text for d in extract_directives(doc)]
        for s in doc.sentences:
            text = doc.sentence_text(s)
            if len(text) >= 12:
                sentences.append(text)
                for w in jieba.lcut(text):
                    if len(w) >= 2 and "\u4e00" <= w[0] <= "\u9fff":
                        freq[w] = freq.get(w, 0) + 1
    words = sorted(freq)
    return directives, sentences, words, [freq[w] for w in words]


class Synth:
    """Sentences in the demo's shape with their content words swapped."""

    def __init__(self, seed: int = 7) -> None:
        import jieba

        self.rng = random.Random(seed)
        self.directives, self.sentences, self.words, weights = demo_material(seed)
        total = float(sum(weights))
        acc, self.cum = 0.0, []
        for w in weights:
            acc += w / total
            self.cum.append(acc)
        self.split = {t: jieba.lcut(t) for t in set(self.directives) | set(self.sentences)}

    def word(self) -> str:
        import bisect

        return self.words[min(len(self.words) - 1, bisect.bisect_left(self.cum, self.rng.random()))]

    def vary(self, template: str, swap: float = 0.8) -> str:
        parts = [w if len(w) < 2 or self.rng.random() > swap else self.word() for w in self.split[template]]
        return "".join(parts)

    def directive(self) -> str:
        return self.vary(self.rng.choice(self.directives))

    def sentence(self) -> str:
        return self.vary(self.rng.choice(self.sentences))

    def follow_up(self, directive: str) -> str:
        import jieba

        kept = [w for w in jieba.lcut(directive) if self.rng.random() < 0.7 and w not in "要必须，。；"]
        cue = self.rng.choice(CUES_DONE + CUES_PROGRESS)
        return "".join(kept).rstrip("。") + "，" + cue + "。"


def build_store(path: Path, n_directives: int, n_docs: int, per_doc: int, seed: int = 7) -> dict:
    """Write the synthetic store; returns what was written."""
    from pipeline.store import open_db

    synth = Synth(seed)
    rng = synth.rng
    db = open_db(path)
    per_source = 50
    n_sources = max(1, n_directives // per_source)
    start = dt.date(2023, 1, 1)
    src_dates = [start + dt.timedelta(days=rng.randrange(0, 540)) for _ in range(n_sources)]
    later_dates = [start + dt.timedelta(days=rng.randrange(30, 900)) for _ in range(n_docs)]
    planted: dict[int, list[str]] = {}
    directive_rows = []
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    doc_id = 0

    def insert_doc(sentences: list[str], date: dt.date, kind: str) -> tuple[int, list[tuple[int, int]]]:
        nonlocal doc_id
        doc_id += 1
        place = PLACES[rng.randrange(len(PLACES))]
        body = "\n".join(sentences)
        spans, off = [], 0
        for s in sentences:
            spans.append((off, off + len(s)))
            off += len(s) + 1
        sha = hashlib.sha256(f"{doc_id}".encode()).hexdigest()
        db.conn.execute(
            "INSERT INTO documents (id, source, fmt, raw_sha256, text_sha256, date, place, kind, body, analysis, "
            "parser_version, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, f"synthetic/{doc_id}.txt", "txt", sha, sha, date.isoformat(), place, kind, body, body, "bench", now])
        db.conn.executemany('INSERT INTO sentences (doc_id, idx, start, "end", para, heading_level, heading_path) '
                            "VALUES (?,?,?,?,?,?,?)",
                            [(doc_id, i, a, b, i, None, "[]") for i, (a, b) in enumerate(spans)])
        return doc_id, spans

    with db.conn:
        for k in range(n_sources):
            texts = [synth.directive() for _ in range(per_source)]
            did, spans = insert_doc(texts, src_dates[k], "speech")
            for t, (a, b) in zip(texts, spans):
                directive_rows.append((did, a, b, t))
                if rng.random() < 0.1:
                    later = [j for j in rng.sample(range(n_docs), min(n_docs, 20)) if later_dates[j] > src_dates[k]]
                    if later:
                        planted.setdefault(later[0], []).append(t)
        planted_rows = []
        for k in range(n_docs):
            texts = [synth.sentence() for _ in range(per_doc)]
            slots = rng.sample(range(len(texts)), min(len(texts), len(planted.get(k, []))))
            for slot, t in zip(slots, planted.get(k, [])):
                texts[slot] = synth.follow_up(t)
            later_id, _ = insert_doc(texts, later_dates[k], "report")
            planted_rows += [(t, later_id) for t in planted.get(k, [])]
        db.conn.executemany(
            'INSERT INTO directives (doc_id, start, "end", text, text_sha256, extractor_version) VALUES (?,?,?,?,?,?)',
            [(d, a, b, t, hashlib.sha256(t.encode()).hexdigest(), "bench") for d, a, b, t in directive_rows])
        db.conn.execute("CREATE TABLE bench_planted (text TEXT, doc_id INTEGER)")
        db.conn.executemany("INSERT INTO bench_planted VALUES (?, ?)", planted_rows)
    return {"directives": len(directive_rows), "documents": doc_id, "later_documents": n_docs,
            "sentences": n_docs * per_doc + len(directive_rows), "planted": len(planted_rows)}


def planted_found(db) -> float:
    """Share of the planted follow-ups (directive, later document) that tracking linked."""
    total, found = db.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM evidence e JOIN directives x ON x.id = e.directive_id "
        "WHERE x.text = p.text AND e.doc_id = p.doc_id)) FROM bench_planted p").fetchone()
    return round((found or 0) / max(1, total), 3)


def add_night(path: Path, n_docs: int, per_doc: int, seed: int = 8) -> int:
    """Append ``n_docs`` new later documents (the next night's crawl)."""
    from pipeline.store import open_db

    synth = Synth(seed)
    db = open_db(path)
    first = db.execute("SELECT max(id) FROM documents").fetchone()[0] + 1
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with db.conn:
        for doc_id in range(first, first + n_docs):
            texts = [synth.sentence() for _ in range(per_doc)]
            body = "\n".join(texts)
            sha = hashlib.sha256(f"night-{doc_id}".encode()).hexdigest()
            db.conn.execute(
                "INSERT INTO documents (id, source, fmt, raw_sha256, text_sha256, date, place, kind, body, analysis, "
                "parser_version, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [doc_id, f"synthetic/{doc_id}.txt", "txt", sha, sha, "2025-07-01", PLACES[doc_id % len(PLACES)],
                 "report", body, body, "bench", now])
            off, rows = 0, []
            for i, t in enumerate(texts):
                rows.append((doc_id, i, off, off + len(t), i, None, "[]"))
                off += len(t) + 1
            db.conn.executemany('INSERT INTO sentences (doc_id, idx, start, "end", para, heading_level, heading_path) '
                                "VALUES (?,?,?,?,?,?,?)", rows)
    return n_docs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_single(args) -> dict:
    """Build one store and time tracking on it (this process's peak memory is the figure)."""
    from pipeline.store import open_db
    from pipeline.track.tracker import track_store

    own_dir = not args.workdir
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="duban-bench-"))
    path = workdir / f"bench-{args.scale}.db"
    if path.exists():
        path.unlink()
    n_dir, n_docs = int(args.directives * args.scale), int(args.docs * args.scale)
    t0 = time.perf_counter()
    written = build_store(path, n_dir, n_docs, args.sentences)
    built = time.perf_counter() - t0
    before = peak_mb()
    db = open_db(path)
    t0 = time.perf_counter()
    counts = track_store(db, as_of=dt.date(2025, 12, 31))
    first = time.perf_counter() - t0
    result = {"scale": args.scale, **written, "build_s": round(built, 1), "track_s": round(first, 1),
              "peak_mb": round(peak_mb(), 0), "peak_mb_before_track": round(before, 0),
              "new_evidence": counts["new_evidence"], "planted_found": planted_found(db),
              "evidence_by_via": dict(db.execute("SELECT via, count(*) FROM evidence GROUP BY via").fetchall()),
              "phases_s": counts["seconds"]}
    if args.night:
        n = add_night(path, max(1, n_docs // 100), args.sentences)
        t0 = time.perf_counter()
        counts = track_store(db, as_of=dt.date(2025, 12, 31))
        result.update({"night_new_documents": n, "night_track_s": round(time.perf_counter() - t0, 1),
                       "night_phases_s": counts["seconds"],
                       "night_new_evidence": counts["new_evidence"], "peak_mb": round(peak_mb(), 0)})
    if not args.keep:
        db.conn.close()
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--directives", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--sentences", type=int, default=40, help="sentences per later document")
    ap.add_argument("--workdir")
    ap.add_argument("--single", action="store_true", help="run one size in this process (used internally)")
    ap.add_argument("--night", action="store_true", help="also time one incremental night (1%% new documents)")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic store")
    args = ap.parse_args()
    if args.single:
        print(json.dumps(run_single(args)))
        return
    results = []
    for scale, night in ((args.scale / 10, False), (args.scale, True)):
        cmd = [sys.executable, __file__, "--single", "--scale", str(scale), "--directives", str(args.directives),
               "--docs", str(args.docs), "--sentences", str(args.sentences)] + (["--night"] if night else [])
        if args.workdir:
            cmd += ["--workdir", args.workdir]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        if proc.returncode:
            sys.exit(proc.stderr)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    small, full = results
    ratio = full["track_s"] / max(small["track_s"], 1e-9)
    print(f"track: {small['track_s']} s at {small['directives']} directives × {small['later_documents']} documents, "
          f"{full['track_s']} s at {full['directives']} × {full['later_documents']}; growth ×{ratio:.1f} "
          f"for ×{full['directives'] / max(1, small['directives']):.0f} the data; peak memory {full['peak_mb']:.0f} MB; "
          f"one night (+{full.get('night_new_documents')} documents): {full.get('night_track_s')} s")


if __name__ == "__main__":
    main()
