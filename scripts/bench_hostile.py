#!/usr/bin/env python3
"""Hostile input against its budget: 20,000 nested <div>s and a 45 MB text, ingested into a fresh store.

usage: scripts/bench_hostile.py

Each case runs `duban ingest` in a child process (wall time and peak resident memory from
the child's rusage) and, as the baseline of the same run, reading and decoding the same file
(`pipeline.ingest.readers.read_file`), so the ratio says how much the pipeline adds to merely
reading the bytes. Goals (issue 12): the nested page under 10 s; the 45 MB text under 60 s and
500 MB.
"""
from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINES = ["各乡镇要在12月20日前完成辖区内所有企业的隐患排查，建立整改台账，实行销号管理。",
         "今年以来，全县共排查企业1200家，发现隐患3400处，已整改3100处。",
         "要加强值班值守，落实24小时值班和领导带班制度，遇有突发情况及时报告。",
         "县应急管理局要会同县住建局开展燃气安全专项检查，9月底前全部整改到位。"]


def write_cases(folder: Path) -> dict[str, Path]:
    deep = folder / "deep.html"
    n = 20_000
    deep.write_text("<html><head><title>关于安全生产的通知</title></head><body>" + "<div>" * n
                    + "<p>" + LINES[0] + "</p>" + "</div>" * n + "</body></html>", encoding="utf-8")
    big = folder / "big.txt"
    rng = random.Random(1)
    with big.open("w", encoding="utf-8") as fh:
        fh.write("关于做好安全生产工作的通知\n")
        size = 0
        while size < 45 * 1024 * 1024:
            line = rng.choice(LINES) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
    return {"20,000 nested <div>s": deep, "45 MB text": big}


def child(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before.ru_maxrss) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in write_cases(Path(tmp)).items():
            read = [sys.executable, "-c", f"from pipeline.ingest.readers import read_file; read_file({str(path)!r})"]
            base, _ = child(read)
            db = Path(tmp) / (path.stem + ".db")
            spent, peak = child([sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--db", str(db)])
            print(f"{name:22} ingest {spent:6.1f} s  (reading alone {base:5.1f} s, ratio {spent / base:5.1f})  "
                  f"peak {peak:5.0f} MB")


if __name__ == "__main__":
    main()
