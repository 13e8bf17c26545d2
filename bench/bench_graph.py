"""Graph benchmarks: convert throughput (text path), SHACL validation time per document
and for the samples repeated (default x200 = 1,000 documents, each copy a distinct
named graph), peak memory.

    .venv/bin/python bench/bench_graph.py [--repeat 200] [--workers N] [--convert-rounds 20]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converter.mapping import ConvertedDocument, convert_disclosure  # noqa: E402
from converter.pipeline import extract  # noqa: E402
from converter.validation import validate_documents  # noqa: E402


def _peak_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest finished worker, in MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def copy_of(doc: ConvertedDocument, i: int) -> ConvertedDocument:
    """The same graph under a distinct source SHA-256 (so a distinct graph IRI and source)."""
    fake = hashlib.sha256(f"{doc.sha256}/{i}".encode()).hexdigest()
    return ConvertedDocument(doc.graph_iri.replace(doc.sha256, fake), doc.nquads.replace(doc.sha256, fake),
                             doc.source_file.replace(".txt", f"-{i}.txt"), fake, doc.triples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--convert-rounds", type=int, default=20)
    args = ap.parse_args()
    samples = sorted((ROOT / "corpus").glob("*.txt"))
    print(f"cpu cores: {os.cpu_count()}; samples: {len(samples)}")

    # 1. convert throughput, text path: mapping alone and extract + mapping
    disclosures = [extract(p).disclosure for p in samples]
    t0 = time.perf_counter()
    triples = 0
    for _ in range(args.convert_rounds):
        for d in disclosures:
            triples += convert_disclosure(d).triples
    t_map = time.perf_counter() - t0
    t0 = time.perf_counter()
    full_triples = 0
    for _ in range(max(1, args.convert_rounds // 4)):
        for p in samples:
            full_triples += convert_disclosure(extract(p).disclosure).triples
    t_full = time.perf_counter() - t0
    print(f"mapping (records -> sorted N-Quads): {triples} triples in {t_map:.2f} s = {triples / t_map:,.0f} triples/s "
          f"({args.convert_rounds * len(samples) / t_map:.1f} documents/s, one core)")
    print(f"convert (text -> records -> N-Quads): {full_triples} triples in {t_full:.2f} s = "
          f"{full_triples / t_full:,.0f} triples/s ({max(1, args.convert_rounds // 4) * len(samples) / t_full:.1f} "
          f"documents/s, one core)")

    # 2. validation per document (one process)
    docs = [convert_disclosure(d) for d in disclosures]
    for doc in docs:
        t0 = time.perf_counter()
        r = validate_documents([doc], workers=1)
        print(f"validate {doc.source_file}: {doc.triples} triples, {time.perf_counter() - t0:.2f} s, "
              f"{r.violations} violations, {r.warnings} warnings")

    # 3. the samples repeated: distinct graphs, parallel workers + cross-document pass
    n = args.repeat * len(docs)
    total = args.repeat * sum(d.triples for d in docs)
    batch = (copy_of(doc, i) for i in range(args.repeat) for doc in docs)  # made as consumed
    t0 = time.perf_counter()
    r = validate_documents(batch, workers=args.workers)
    dt = time.perf_counter() - t0
    print(f"validate x{args.repeat}: {n} documents, {total:,} triples in {dt:.1f} s "
          f"({n / dt:.1f} documents/s, {total / dt:,.0f} triples/s, {args.workers} workers); "
          f"{r.violations} violations, {r.warnings} warnings; report {len(r.report_ttl) / 1e6:.1f} MB")
    own, kids = _peak_mb()
    print(f"peak memory: main process {own:,.0f} MB, largest worker {kids:,.0f} MB")


if __name__ == "__main__":
    main()
