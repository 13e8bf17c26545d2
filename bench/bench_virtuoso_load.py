"""Writing the same converted documents into Virtuoso by per-document SPARQL Update, into
Virtuoso by its bulk loader, and into the embedded Oxigraph store: triples/s of the store
stage alone (documents converted beforehand, not timed), and optionally (--cli) the whole
`budgetlod load` (convert + validate + store) for each.

Each Virtuoso run gets a fresh server (scripts/virtuoso.py: 20,000 buffers, on 127.0.0.1);
the counts in every store are checked against the documents' triples.

    .venv/bin/python bench/bench_virtuoso_load.py --docs DIR [--n 200] [--cli] [--workdir /tmp/bench-vload]

DIR holds NNNNN.txt documents (python -m bench.synth --seed 1 --n 200 --out DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from converter.pipeline import convert_document  # noqa: E402
from converter.pipeline import Prepared  # noqa: E402
from scripts.virtuoso import Virtuoso, ensure_installed  # noqa: E402

GRAPH_PREFIX = "https://w3id.org/budget-lod/graph/"


def virtuoso_triples(v: Virtuoso) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\")) }}"
    r = httpx.get(v.sparql, params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=600)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def prepared(paths: list[Path]) -> list[Prepared]:
    out = []
    for p in paths:
        d = convert_document(p)
        out.append(Prepared(str(p), True, "", d.graph_iri, d.nquads, d.triples, d.sha256))
    return out


def fresh(docs: list[Prepared]) -> list[Prepared]:
    """Copies: the store paths drop a document's text once written."""
    return [Prepared(d.path, True, "", d.graph_iri, d.nquads, d.triples, d.sha256) for d in docs]


def embedded(docs: list[Prepared], work: Path) -> float:
    from converter.store.embedded import open_store
    from converter.store.loading import store_prepared

    store_dir = work / "oxi"
    store = open_store(store_dir)
    started = time.perf_counter()
    report = store_prepared(store, store_dir, iter(fresh(docs)))
    seconds = time.perf_counter() - started
    assert len(report.loaded) == len(docs), report.failed[:3]
    del store
    return seconds


def per_document(docs: list[Prepared], v: Virtuoso) -> float:
    from converter.store.remote import RemoteStore

    remote = RemoteStore(v.sparql)
    started = time.perf_counter()
    for d in docs:
        remote.replace_graph(d.graph_iri, d.nquads)
    return time.perf_counter() - started


def bulk(docs: list[Prepared], v: Virtuoso) -> float:
    """What `load --bulk-dir` does with the documents (commands/load.py _bulk_push)."""
    from converter.store.virtuoso_bulk import BulkLoader, Isql

    loader = BulkLoader(Isql(f"127.0.0.1:{v.sql_port}", "dba", "dba"), v.dir / "bulk")
    started = time.perf_counter()
    loader.preflight()
    batch = loader.new_batch()
    for d in docs:
        batch.add(d, [d.graph_iri], d.nquads)
        if batch.quads >= loader.batch_quads:
            assert not [f.error for f in batch.run() if f.error]
            batch = loader.new_batch()
    assert not [f.error for f in batch.run() if f.error]
    return time.perf_counter() - started


def cli(docs_dir: Path, args: list[str]) -> float:
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(docs_dir), *args, "--workers", "2",
                        "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(f"load {' '.join(args)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--cli", action="store_true", help="also time the whole `budgetlod load` for each")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench-vload"))
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    reason = ensure_installed()
    if reason:
        raise SystemExit(reason)
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    paths = sorted(args.docs.glob("*.txt"))[:args.n]
    docs_dir = args.workdir / "docs"
    docs_dir.mkdir()
    for p in paths:
        os.symlink(p.resolve(), docs_dir / p.name)
    docs = prepared(paths)
    triples = sum(d.triples for d in docs)
    results: dict[str, dict[str, float]] = {}

    def record(name: str, seconds: float) -> None:
        results[name] = {"seconds": round(seconds, 2), "triples_per_s": round(triples / seconds)}
        print(f"{name:40} {seconds:8.1f} s {triples / seconds:12,.0f} triples/s", flush=True)

    print(f"{len(docs)} documents, {triples:,} triples", flush=True)
    record("store stage: embedded Oxigraph", embedded(docs, args.workdir))
    for name, fn in (("store stage: Virtuoso per-document update", per_document),
                     ("store stage: Virtuoso bulk loader", bulk)):
        v = Virtuoso(args.workdir / name.split()[-2])
        try:
            record(name, fn(fresh(docs), v))
            got = virtuoso_triples(v)
            assert got == triples, (name, got, triples)
        finally:
            v.stop()
    if args.cli:
        del docs
        record("budgetlod load --store", cli(docs_dir, ["--store", str(args.workdir / "cli-oxi"), "--no-vocabulary"]))
        for name, bulk_args in (("per-document", []), ("bulk", ["--bulk-dir", "BULK", "--isql", "ISQL"])):
            v = Virtuoso(args.workdir / f"cli-{name}")
            try:
                extra = [a.replace("BULK", str(v.dir / "bulk")).replace("ISQL", f"127.0.0.1:{v.sql_port}")
                         for a in bulk_args]
                if extra:
                    extra += ["--isql-password", "dba"]
                record(f"budgetlod load --endpoint ({name})", cli(docs_dir, ["--endpoint", v.sparql, *extra]))
                assert virtuoso_triples(v) == triples
            finally:
                v.stop()
    if args.json:
        args.json.write_text(json.dumps({"documents": len(paths), "triples": triples, **results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
