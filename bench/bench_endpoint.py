"""Endpoint benchmarks, one run, side by side, on the samples repeated x200 (distinct graph
IRIs per copy):

  * load rate (triples/s): Store.bulk_load of the whole batch, and transactional
    per-document replacement (the re-load path) on a slice of it;
  * funding-recipients latency p50/p99: through HTTP (`budgetlod serve`, canned-query
    route) vs the same bound query on pyoxigraph directly;
  * every canned query likewise (bench/scale_queries.py: the parameters users send, the
    first page where it pages), HTTP vs bare pyoxigraph, on this store where every
    department appears in --copies documents;
  * throughput with 16 concurrent HTTP clients (bounded: a fixed number of requests each).

    .venv/bin/python bench/bench_endpoint.py [--copies 200] [--runs 200] [--requests 40]

Uses the corpus converted by the real converter when it works, else the test fixture
(says which)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converter.store.embedded import query as union_query  # noqa: E402
from converter.store.embedded import bulk_load_new, commit, open_store, replace_graph  # noqa: E402
from bench import scale_queries as sq  # noqa: E402
from endpoint.canned import bind, load_canned  # noqa: E402
from tests.endpoint_support import FIXTURE_NQ, FIXTURE_QUERIES, Server  # noqa: E402

DOC = "石财外[2023]39号"


def samples(fixture_only: bool = False) -> tuple[str, list[tuple[str, str]], Path]:
    """(source description, [(graph IRI, N-Quads)], canned-queries folder)."""
    queries = ROOT / "endpoint" / "queries"
    real_queries = (queries / "funding-recipients.rq").exists() and not fixture_only
    try:
        if not real_queries:
            raise LookupError("endpoint/queries/funding-recipients.rq missing (or --fixture)")
        from converter.pipeline import convert_document

        docs = []
        for p in sorted((ROOT / "corpus").glob("*.txt")):
            d = convert_document(p)
            docs.append((d.graph_iri, d.nquads))
        if docs and real_queries:
            return f"corpus ({len(docs)} documents, real converter and queries)", docs, queries
    except Exception as err:  # the converter may be mid-change; say so and go on
        print(f"note: real conversion unavailable ({type(err).__name__}: {err}); using the test fixture")
    by_graph: dict[str, list[str]] = {}
    for line in FIXTURE_NQ.read_text(encoding="utf-8").splitlines():
        by_graph.setdefault(line.rsplit(" ", 2)[-2].strip("<>"), []).append(line)
    return "test fixture (3 graphs)", [(g, "\n".join(ls) + "\n") for g, ls in by_graph.items()], FIXTURE_QUERIES


def copies(docs: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        for g, nq in docs:
            g2 = f"{g}-copy{i:03d}" if i else g
            out.append((g2, nq.replace(f"<{g}>", f"<{g2}>")))
    return out


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=40, help="requests per client")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--fixture", action="store_true", help="use the test fixture, not the corpus")
    args = ap.parse_args()

    source, docs, qdir = samples(args.fixture)
    batch = copies(docs, args.copies)
    triples = sum(nq.count("\n") for _, nq in batch)
    rows: list[tuple[str, str]] = [("data", f"{source} x{args.copies} = {len(batch)} graphs, {triples:,} quads")]

    with tempfile.TemporaryDirectory(prefix="bench-endpoint-") as tmp:
        store_dir = Path(tmp) / "store"
        store = open_store(store_dir)
        t0 = time.perf_counter()
        bulk_load_new(store, (nq for _, nq in batch))
        commit(store, store_dir)
        dt = time.perf_counter() - t0
        rows.append(("load: Store.bulk_load", f"{triples / dt:,.0f} triples/s ({dt:.1f} s)"))
        part = batch[: min(len(batch), 50)]
        part_triples = sum(nq.count("\n") for _, nq in part)
        t0 = time.perf_counter()
        for g, nq in part:
            replace_graph(store, g, nq)
        commit(store, store_dir)
        dt = time.perf_counter() - t0
        rows.append((f"load: transactional replace ({len(part)} docs)", f"{part_triples / dt:,.0f} triples/s"))
        named = sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
        assert named == triples, "re-load changed the quad count"
        del store

        all_canned = load_canned(qdir)
        canned = all_canned["funding-recipients"]
        query = bind(canned, {"doc": DOC})
        ro = ox.Store.read_only(str(store_dir))
        n_rows = len(list(union_query(ro, query)))
        direct = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            res = union_query(ro, query)
            sum(1 for _ in res)
            direct.append(time.perf_counter() - t0)
        bindings = sq.pick_bindings(ro) if qdir == ROOT / "endpoint" / "queries" else {}

        srv = Server("--store", str(store_dir), "--queries", str(qdir), "--workers", str(args.workers))
        try:
            url = f"{srv.url}/queries/funding-recipients"
            http = []
            with httpx.Client(timeout=60) as c:
                for _ in range(5):
                    c.get(url, params={"doc": DOC})
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    r = c.get(url, params={"doc": DOC})
                    http.append(time.perf_counter() - t0)
                    assert r.status_code == 200
            rows.append((f"funding-recipients ({n_rows} rows) pyoxigraph direct",
                         f"p50 {pct(direct, 50) * 1000:.2f} ms  p99 {pct(direct, 99) * 1000:.2f} ms"))
            rows.append(("funding-recipients through HTTP",
                         f"p50 {pct(http, 50) * 1000:.2f} ms  p99 {pct(http, 99) * 1000:.2f} ms"))
            with httpx.Client(timeout=60) as c:
                timed = sq.time_queries(bindings, {"http": sq.http_side(c, srv.url),
                                                   "bare": sq.bare_side(ro, all_canned)}, args.runs, 30.0)
            for name, q in timed.items():
                if "error" in q:
                    rows.append((f"{name}", f"FAILED: {q['error']}"))
                    continue
                rows.append((f"{name} ({q['rows']['http']} rows) HTTP / bare",
                             f"p50 {q['http']['p50'] * 1000:.2f} / {q['bare']['p50'] * 1000:.2f} ms  "
                             f"p99 {q['http']['p99'] * 1000:.2f} / {q['bare']['p99'] * 1000:.2f} ms"))

            lat: list[float] = []
            errors = 0
            lock = threading.Lock()

            def client() -> None:
                nonlocal errors
                with httpx.Client(timeout=60) as c:
                    for _ in range(args.requests):
                        t0 = time.perf_counter()
                        r = c.get(url, params={"doc": DOC})
                        d = time.perf_counter() - t0
                        with lock:
                            lat.append(d)
                            errors += r.status_code != 200

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            rows.append((f"throughput, {args.clients} clients x {args.requests} requests "
                         f"({args.workers} workers)",
                         f"{len(lat) / wall:,.0f} req/s  p50 {pct(lat, 50) * 1000:.1f} ms  "
                         f"p99 {pct(lat, 99) * 1000:.1f} ms  errors {errors}"))
        finally:
            srv.stop()
            del ro

    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
