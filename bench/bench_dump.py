"""Dump throughput: the five samples repeated ×N (default 200 = 1,000 documents) with
distinct graph IRIs, loaded through the store's load path, then `budgetlod dump`.

Each copy gets a distinct fake SHA-256 (so distinct source and graph IRIs), while shared
resources (departments, projects, documents, code lists) keep their IRIs, as they would
across many real documents.

    .venv/bin/python bench/bench_dump.py [--copies 200] [--workdir /tmp/bench-dump] [--keep]

Beside it, the bare baseline (bench/bare.py): pyoxigraph's own ``Store.dump`` of every quad
as N-Quads, gzip-compressed at the release's level (no sorting, no other file), timed on
the same store. The release's all.nq.gz rate (quads / seconds until that file was complete)
is reported as a fraction of the bare rate (issue 14: at least 0.8).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bare import bare_baselines  # noqa: E402
from converter.dumps.gz import LEVEL  # noqa: E402
from converter.pipeline import convert_document  # noqa: E402
from converter.store.embedded import open_store  # noqa: E402
from converter.store.loading import store_prepared  # noqa: E402
from converter.pipeline import Prepared  # noqa: E402


def copies(n: int) -> list[Prepared]:
    docs = [convert_document(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    out = []
    for i in range(n):
        for d in docs:
            fake = hashlib.sha256(f"{d.sha256}/{i}".encode()).hexdigest() if i else d.sha256
            nq = d.nquads.replace(d.sha256, fake)
            out.append(Prepared(f"{d.source_file}#{i}", True, "", d.graph_iri.replace(d.sha256, fake),
                                nq, d.triples, fake))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--workdir", default="/tmp/bench-dump")
    ap.add_argument("--keep", action="store_true", help="keep the store and the release")
    ap.add_argument("--reuse", action="store_true", help="reuse the store a --keep run left in --workdir")
    args = ap.parse_args()

    from converter.dumps.release import build_release

    work = Path(args.workdir)
    store_dir, out_dir = work / "store", work / "out"
    shutil.rmtree(out_dir, ignore_errors=True)
    if args.reuse and store_dir.is_dir():
        print(f"store: reusing {store_dir}")
    else:
        shutil.rmtree(work, ignore_errors=True)
        t0 = time.perf_counter()
        docs = copies(args.copies)
        store = open_store(store_dir)
        report = store_prepared(store, store_dir, docs)
        del store, docs
        t_load = time.perf_counter() - t0
        print(f"store: {len(report.loaded)} documents, {report.triples:,} triples, built in {t_load:.1f} s")

    bare = bare_baselines(store_dir, work / "bare", load=False)
    t_bare, bare_quads = bare["dump_seconds"], bare["quads"]
    t1 = time.perf_counter()
    result = build_release(store_dir, out_dir)
    t_dump = time.perf_counter() - t1
    s = result.summary
    size = sum(r.size for r in result.files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"dump: release {result.release_id}: {s.quads:,} quads ({s.triples:,} distinct triples), "
          f"{len(result.files)} files, {size / 2**20:,.1f} MiB, {sum(result.csv_rows.values()):,} CSV rows")
    print(f"dump time {t_dump:.1f} s -> {s.quads / t_dump:,.0f} triples/s (quads of the named graphs); "
          f"peak RSS {peak:,.0f} MiB; {os.cpu_count()} CPUs")
    t_nq, t_nt = s.seconds["all.nq.gz"], s.seconds["all.nt.gz"]
    print(f"bare pyoxigraph dump (N-Quads, gzip level {LEVEL}): {bare_quads:,} quads in {t_bare:.1f} s -> "
          f"{bare_quads / t_bare:,.0f} quads/s")
    print(f"all.nq.gz complete after {t_nq:.1f} s -> {s.quads / t_nq:,.0f} quads/s = "
          f"{(s.quads / t_nq) / (bare_quads / t_bare):.2f}x the bare rate; all.nt.gz after {t_nt:.1f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
