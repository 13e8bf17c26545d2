"""Every canned query on two stores holding the same documents: a reference store queried
as it is (its default graph: the RDF merge the loader used to store) and a store queried
with the default graph as the union of its named graphs (the layout of issue 14). Rows are
compared as multisets per binding; each query's latency is timed on both.

    python -m bench.union_compare REFERENCE_STORE UNION_STORE [--reference-queries DIR]
                                  [--departments 40] [--runs 3]

The reference store is queried with the canned queries of ``--reference-queries`` (today's
answers: the queries of the revision that wrote it), the union store with this revision's.

Bindings: every name form of up to ``--departments`` departments (those stated by the most
documents first, where union mode repeats the most), each with its years and a year it has
not; every cited document number (up to 60). Exit status 1 when any answer differs or any
row repeats."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from endpoint.canned import bind, load_canned

_DEPTS = """PREFIX bl: <https://w3id.org/budget-lod/def#>
SELECT ?d (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a bl:Department } }
GROUP BY ?d ORDER BY DESC(?n) ?d"""
_NAMES = """PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name ?year WHERE {
  <%s> skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name .
  OPTIONAL { ?b a bl:Budget ; bl:department <%s> ; bl:fiscalYear ?year }
}"""
_DOCS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?doc WHERE { ?x eli:id_local ?doc } ORDER BY ?doc"""
BY_DEPARTMENT_YEAR = ("department-projects", "budget-lines", "procurement", "department-summary",
                      "plan-vs-actual", "project-evaluations")


def bindings(store: ox.Store, departments: int, docs: int) -> list[tuple[str, dict[str, str]]]:
    """Read from the reference store (queried as the endpoint queried it before)."""
    out: list[tuple[str, dict[str, str]]] = [("funding-documents", {})]
    out += [("funding-recipients", {"doc": r["doc"].value}) for r in list(store.query(_DOCS))[:docs]]
    ranked = [r["d"].value for r in store.query(_DEPTS)][:departments]
    for iri in ranked:
        names: dict[str, set[int]] = {}
        for r in store.query(_NAMES % (iri, iri)):
            names.setdefault(r["name"].value, set()).update([int(r["year"].value)] if r["year"] else [])
        for name, years in sorted(names.items()):
            out.append(("department-units", {"department": name}))
            for year in sorted(years) + [1999]:
                out += [(q, {"department": name, "year": str(year)}) for q in BY_DEPARTMENT_YEAR]
    return out


def _key(row: ox.QuerySolution, names: list[str]) -> tuple:
    # GROUP_CONCAT order is not specified: the documents column is compared as a set
    return tuple(" ".join(sorted(str(row[n]).split())) if n == "documents" else str(row[n]) for n in names)


def answer(store: ox.Store, query: str, union: bool) -> tuple[list[tuple], float]:
    t0 = time.perf_counter()
    res = store.query(query, use_default_graph_as_union=union)
    names = [v.value for v in res.variables]
    rows = [_key(r, names) for r in res]
    return rows, time.perf_counter() - t0


def compare(ref: ox.Store, new: ox.Store, work: list[tuple[str, dict[str, str]]], runs: int,
            reference_queries: Path | None = None) -> dict[str, Any]:
    canned = load_canned()
    before = load_canned(reference_queries) if reference_queries else canned
    per_query: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for name, params in work:
        q, q_old = bind(canned[name], params), bind(before[name], params)
        old_rows, _ = answer(ref, q_old, False)
        new_rows, _ = answer(new, q, True)
        stat = per_query.setdefault(name, {"bindings": 0, "rows": 0, "old": [], "new": [], "answered": 0})
        stat["bindings"] += 1
        stat["rows"] += len(old_rows)
        stat["answered"] += bool(old_rows)
        repeated = [r for r, n in Counter(new_rows).items() if n > 1]
        if repeated:
            problems.append(f"{name} {params}: {len(repeated)} repeated rows (of {len(new_rows)})")
        elif new_rows != old_rows:
            same_set = Counter(new_rows) == Counter(old_rows)
            problems.append(f"{name} {params}: {'order' if same_set else 'rows'} differ "
                            f"({len(old_rows)} before, {len(new_rows)} now)")
        for _ in range(runs):  # alternate the two sides, best of ``runs``
            stat["old"].append(answer(ref, q_old, False)[1])
            stat["new"].append(answer(new, q, True)[1])
    table = {}
    for name, s in per_query.items():
        old, new = sorted(s["old"]), sorted(s["new"])
        table[name] = {"bindings": s["bindings"], "answered": s["answered"], "rows": s["rows"],
                       "old_total_s": round(sum(old) / runs, 4), "new_total_s": round(sum(new) / runs, 4),
                       "old_max_ms": round(old[-1] * 1000, 2), "new_max_ms": round(new[-1] * 1000, 2),
                       "old_p50_ms": round(old[len(old) // 2] * 1000, 2),
                       "new_p50_ms": round(new[len(new) // 2] * 1000, 2),
                       "ratio_total": round(sum(new) / max(sum(old), 1e-9), 2)}
    return {"queries": table, "problems": problems}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference")
    ap.add_argument("union")
    ap.add_argument("--reference-queries", type=Path, help="canned queries for the reference store")
    ap.add_argument("--departments", type=int, default=40)
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    ref, new = ox.Store.read_only(args.reference), ox.Store.read_only(args.union)
    work = bindings(ref, args.departments, args.docs)
    out = compare(ref, new, work, args.runs, args.reference_queries)
    print(f"{'query':22} {'bind':>5} {'ans':>4} {'rows':>6} {'old p50':>8} {'new p50':>8} {'old max':>8} "
          f"{'new max':>8} {'new/old':>7}")
    for name, t in sorted(out["queries"].items()):
        print(f"{name:22} {t['bindings']:5} {t['answered']:4} {t['rows']:6} {t['old_p50_ms']:8.2f} "
              f"{t['new_p50_ms']:8.2f} {t['old_max_ms']:8.2f} {t['new_max_ms']:8.2f} {t['ratio_total']:7.2f}")
    for p in out["problems"][:40]:
        print("PROBLEM", p)
    print(f"{len(out['problems'])} problems over {len(work)} bindings")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
    return 1 if out["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
