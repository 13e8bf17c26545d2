"""python -m bench.synth --seed 1 --n 1000 --out DIR [--pdf] [--final-accounts]"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench.synth.generator import Synth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.synth", description="Write a synthetic disclosure corpus "
                                 "(NNNNN.txt + NNNNN.truth.json, and NNNNN.pdf with --pdf).")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pdf", action="store_true", help="also render each document as a PDF")
    ap.add_argument("--final-accounts", action="store_true",
                    help="also write each department-year's 部门决算 (NNNNN.final.txt + truth): budget/决算 pairs")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    Synth(args.seed, args.n).write(args.out, pdf=args.pdf, workers=args.workers, final=args.final_accounts)
    secs = time.perf_counter() - start
    print(f"{args.n} documents in {secs:.1f} s ({args.n / secs:.0f} documents/s) -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
