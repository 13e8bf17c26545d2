"""Text-path extraction throughput: documents/s on one core, the five samples repeated.

Run: .venv/bin/python bench/bench_extract.py [--repeat 40]
Each document goes the full way: bytes -> layout IR -> section parsers -> records ->
reconciliation checks (files are read from disk every time)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converter.pipeline import extract  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=40)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    docs = sorted(CORPUS.glob("*.txt"))
    extract(docs[0])  # warm imports and regex caches
    start, cpu0 = time.perf_counter(), time.process_time()
    n = 0
    for _ in range(args.repeat):
        for d in docs:
            extract(d)
            n += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    size = sum(d.stat().st_size for d in docs) * args.repeat
    # CPU time is the per-core figure even when other work shares the machine
    print(f"text path: {n} documents in {elapsed:.2f} s wall, {cpu:.2f} s CPU = "
          f"{n / cpu:.1f} documents/s per core ({size / cpu / 1e6:.2f} MB/s); wall-clock {n / elapsed:.1f} documents/s")


if __name__ == "__main__":
    main()
