"""Every canned query timed on a loaded store: the parameters users send (a department by
its shortest name form, the year of its largest budget, the funding document cited by the
most departments), bound by the endpoint's own code, run on bare pyoxigraph and over HTTP
(`budgetlod serve`, the canned-query route, first page where the query pages), and on
Virtuoso when one is given. Used by bench/scale.py (`make bench`) and by the bounded test
in tests/test_queries.py."""

from __future__ import annotations

import subprocess
import time
from typing import Any, Callable

import pyoxigraph as ox
from converter.store.embedded import query as union_query

from bench.scale_report import percentile

PAGE = 50  # the first page of the paged queries, as a browser would ask for it
PAGED = ("funding-recipients", "department-projects", "budget-lines", "funding-documents")

_PICK = """PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?d ?y (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a bl:ProjectAllocation ; bl:department ?d ; bl:fiscalYear ?y .
} GROUP BY ?d ?y ORDER BY DESC(?n) ?d ?y LIMIT 1"""
_NAMES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?l WHERE { <%s> skos:prefLabel|skos:altLabel|skos:hiddenLabel ?l }"""
_TOP_DOC = """PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id (COUNT(DISTINCT ?dept) AS ?n) WHERE {
  ?doc eli:id_local ?id . ?p dcterms:references ?doc ; bl:department ?dept .
} GROUP BY ?id ORDER BY DESC(?n) ?id LIMIT 1"""


# the synthetic corpus has no 部门决算 and no evaluations: these queries are timed finding
# no rows (at N = 1,000 plan-vs-actual once took 3 s to find none)
NONE_IN_SYNTH = frozenset({"plan-vs-actual", "project-evaluations"})


def pick_bindings(store: ox.Store) -> dict[str, dict[str, str]]:
    """Parameters for every canned query, chosen from the store (see the module docstring)."""
    top = next(iter(union_query(store, _PICK)), None)
    doc = next(iter(union_query(store, _TOP_DOC)), None)
    if top is None or doc is None:
        raise LookupError("the store has no project of a department, or no cited document")
    names = sorted((r["l"].value for r in union_query(store, _NAMES % top["d"].value)), key=lambda s: (len(s), s))
    dept = {"department": names[0], "year": top["y"].value}
    return {
        "funding-recipients": {"doc": doc["id"].value},
        "funding-documents": {},
        "department-projects": dict(dept),
        "budget-lines": dict(dept),
        "department-units": {"department": names[0]},
        "procurement": dict(dept),
        "department-summary": dict(dept),
        # see NONE_IN_SYNTH
        "plan-vs-actual": dict(dept),
        "project-evaluations": dict(dept),
    }


def request_params(name: str, params: dict[str, str]) -> dict[str, str]:
    """The HTTP parameters: the query's own, plus the first page where it pages."""
    return {**params, "limit": str(PAGE)} if name in PAGED else dict(params)


def stats(times: list[float]) -> dict[str, float]:
    return {"requests": len(times), "p50": percentile(times, 50), "p99": percentile(times, 99),
            "min": min(times), "max": max(times)}


def time_queries(bindings: dict[str, dict[str, str]], sides: dict[str, Callable[[str, dict[str, str]], int]],
                 runs: int, budget: float) -> dict[str, Any]:
    """Run each query ``runs`` times on every side (alternating), within ``budget`` seconds
    per query; each side is a callable (query name, HTTP parameters) -> rows."""
    out: dict[str, Any] = {}
    for name, params in bindings.items():
        req = request_params(name, params)
        try:
            rows = {side: fn(name, req) for side, fn in sides.items()}  # warm caches, count rows
        except Exception as err:  # one query failing (e.g. past the time limit) is reported, not fatal
            out[name] = {"params": req, "error": f"{type(err).__name__}: {err}"[:300]}
            continue
        times: dict[str, list[float]] = {side: [] for side in sides}
        started = time.perf_counter()
        for i in range(runs):
            if time.perf_counter() - started > budget and i >= 3:
                break
            order = list(sides.items())
            for side, fn in (order if i % 2 == 0 else order[::-1]):
                t0 = time.perf_counter()
                fn(name, req)
                times[side].append(time.perf_counter() - t0)
        out[name] = {"params": req, "rows": rows, **{side: stats(t) for side, t in times.items()}}
    return out


def bound_text(canned: dict, name: str, req: dict[str, str]) -> str:
    """The query text the endpoint sends for these HTTP parameters."""
    from endpoint.canned import bind, paged_query, take_page

    params = dict(req)
    page = take_page(params)
    return paged_query(bind(canned[name], params), page)


def bare_side(store: ox.Store, canned: dict) -> Callable[[str, dict[str, str]], int]:
    def run(name: str, req: dict[str, str]) -> int:
        return sum(1 for _ in union_query(store, bound_text(canned, name, req)))
    return run


def http_side(client: Any, url: str) -> Callable[[str, dict[str, str]], int]:
    def run(name: str, req: dict[str, str]) -> int:
        r = client.get(f"{url}/queries/{name}", params=req, headers={"Accept": "application/sparql-results+json"})
        if r.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {r.status_code}: {r.text[:200]}")
        return len(r.json()["results"]["bindings"])
    return run


def sparql_side(client: Any, url: str, canned: dict) -> Callable[[str, dict[str, str]], int]:
    """Another SPARQL service (Virtuoso) sent the same bound query text."""
    def run(name: str, req: dict[str, str]) -> int:
        r = client.post(url, data={"query": bound_text(canned, name, req)},
                        headers={"Accept": "application/sparql-results+json"})
        if r.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {r.status_code}: {r.text[:200]}")
        return len(r.json()["results"]["bindings"])
    return run


def virtuoso_load(store_path: str, directory: Any) -> tuple[Any, float]:
    """A Virtuoso (scripts/virtuoso.py) in ``directory`` holding the store's named graphs,
    loaded with its bulk loader (ld_dir + rdf_loader_run) from written N-Quads; returns
    (the running Virtuoso, load seconds). The caller stops it."""
    from pathlib import Path

    from scripts.virtuoso import Virtuoso, ensure_installed

    reason = ensure_installed()
    if reason:
        raise RuntimeError(f"Virtuoso unavailable: {reason}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(store_path)
    data = directory / "data"
    data.mkdir(exist_ok=True)
    with open(data / "store.nq", "wb") as fh:  # the documents' graphs, not the stored merge
        for g in store.named_graphs():
            fh.write(ox.serialize(store.quads_for_pattern(None, None, None, g), format=ox.RdfFormat.N_QUADS) or b"")
    del store
    # a page cache in proportion to the data (one 8 KB page per 4 KB of N-Quads), from the
    # tests' 20,000 pages up to the 680,000 virtuoso.ini suggests for 8 GB of free memory
    nq_bytes = (data / "store.nq").stat().st_size
    v = Virtuoso(directory, buffers=min(680_000, max(20_000, nq_bytes // 4096)))
    t0 = time.perf_counter()
    for statement in (f"ld_dir('{data}', '*.nq', 'urn:budgetlod:unused');", "rdf_loader_run();", "checkpoint;"):
        # isql directly: the bulk load outlasts Virtuoso.isql's 60 s limit at large N
        r = subprocess.run(["isql-vt", str(v.sql_port), "dba", "dba", f"exec={statement}"],
                           capture_output=True, text=True, timeout=6 * 3600)
        if r.returncode != 0:
            v.stop()
            raise RuntimeError(f"Virtuoso {statement}: {r.stdout[-300:]} {r.stderr[-300:]}")
    return v, time.perf_counter() - t0
