"""The linked-data pages, index pages, search and data documents of two running servers
compared: the reference (the revision that stored the merged default graph, on its store)
and the union layout (this revision, on its store). Bodies are compared as served; a data
document (Turtle) is compared as a set of triples (a graph has no order).

    python -m bench.union_pages REFERENCE_URL UNION_URL STORE [--per-class 6]

IRIs are picked from STORE (either store: they hold the same documents): a few of each
class, the busiest department and region (stated by the most documents) first."""

from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import quote

import httpx
import pyoxigraph as ox

BL = "https://w3id.org/budget-lod/def#"
CLASSES = ("Department", "Region", "Budget", "FinalAccounts", "ProjectAllocation", "Project", "Document",
           "SubordinateUnit", "BudgetLine", "SummaryFigure", "ProcurementItem", "Citation")
_BUSIEST = """SELECT ?s (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a <%s> } }
GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT %d"""
SEARCHES = ("交通", "局", "区", "财", "〔2023〕", "教育", "投资促进", "卫生", "A02", "20")


def iris(store: ox.Store, per_class: int) -> list[str]:
    out: list[str] = []
    for cls in CLASSES:
        out += [r["s"].value for r in store.query(_BUSIEST % (BL + cls, per_class))]
    out += [r["g"].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g LIMIT 3")]
    return out


def paths(store: ox.Store, per_class: int, base: str) -> list[tuple[str, str]]:
    """(kind, path) to fetch on both servers."""
    out = [("html", p) for p in ("/", "/departments", "/documents", "/years", "/regions")]
    out += [("json", f"/{p}.json") for p in ("departments", "documents", "years", "regions")]
    out += [("json", f"/search.json?q={quote(q)}") for q in SEARCHES]
    for iri in iris(store, per_class):
        if iri.startswith(base):
            rest = iri[len(base):]
            out += [("html", "/page/" + rest), ("ttl", "/data/" + rest + ".ttl")]
    return out


def fetch(client: httpx.Client, url: str) -> tuple[int, bytes, float]:
    t0 = time.perf_counter()
    r = client.get(url)
    return r.status_code, r.content, time.perf_counter() - t0


def same(kind: str, a: bytes, b: bytes) -> bool:
    if kind != "ttl":
        return a == b
    def triples(body: bytes) -> set[str]:
        return {str(q.triple) for q in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    return triples(a) == triples(b)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference")
    ap.add_argument("union")
    ap.add_argument("store")
    ap.add_argument("--per-class", type=int, default=6)
    ap.add_argument("--base", default="https://w3id.org/budget-lod/")
    args = ap.parse_args(argv)
    store = ox.Store.read_only(args.store)
    todo = paths(store, args.per_class, args.base)
    del store
    differ, times = [], {"reference": 0.0, "union": 0.0}
    with httpx.Client(timeout=120) as client:
        for kind, path in todo:
            sa, a, ta = fetch(client, args.reference + path)
            sb, b, tb = fetch(client, args.union + path)
            times["reference"] += ta
            times["union"] += tb
            if sa != sb or not same(kind, a, b):
                differ.append(f"{path}: {sa} {len(a)} bytes / {sb} {len(b)} bytes")
    for d in differ:
        print("DIFFER", d)
    print(f"{len(todo)} responses compared, {len(differ)} differ; seconds: reference "
          f"{times['reference']:.1f}, union {times['union']:.1f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
