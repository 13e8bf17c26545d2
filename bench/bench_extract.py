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
    start = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for d in docs:
            extract(d)
            n += 1
    elapsed = time.perf_counter() - start
    size = sum(d.stat().st_size for d in docs) * args.repeat
    print(f"text path: {n} documents in {elapsed:.2f} s = {n / elapsed:.1f} documents/s "
          f"({size / elapsed / 1e6:.2f} MB/s) on one core")


if __name__ == "__main__":
    main()
