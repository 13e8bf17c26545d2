"""Every canned query's latency with the parameters users send (bench/scale_queries.py's
bindings), on the reference store (stored merged default graph, its revision's queries) and
on the union store (this revision), bare pyoxigraph and, when server URLs are given, over
HTTP; the sides alternate run by run.

    python -m bench.union_latency REFERENCE_STORE UNION_STORE --reference-queries DIR
                                  [--reference-url URL --union-url URL] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from bench.scale_queries import bound_text, http_side, pick_bindings, time_queries
from endpoint.canned import load_canned

EXTRA = ("plan-vs-actual", "project-evaluations")  # not in scale_queries' bindings


def bare(store: ox.Store, canned: dict, union: bool):
    def run(name: str, req: dict[str, str]) -> int:
        return sum(1 for _ in store.query(bound_text(canned, name, req), use_default_graph_as_union=union))
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("union")
    ap.add_argument("--reference-queries", type=Path, required=True)
    ap.add_argument("--reference-url")
    ap.add_argument("--union-url")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    ref, new = ox.Store.read_only(args.reference), ox.Store.read_only(args.union)
    bindings = pick_bindings(ref)
    dept = bindings["budget-lines"]
    bindings.update({name: dict(dept) for name in EXTRA})
    sides = {"old bare": bare(ref, load_canned(args.reference_queries), False),
             "new bare": bare(new, load_canned(), True)}
    client = None
    if args.reference_url and args.union_url:
        import httpx

        client = httpx.Client(timeout=120)
        sides.update({"old http": http_side(client, args.reference_url), "new http": http_side(client, args.union_url)})
    out = time_queries(bindings, sides, args.runs, args.budget)
    if client:
        client.close()
    names = list(sides)
    print(f"{'query':20} {'rows':>5} " + " ".join(f"{n + ' p50':>13}" for n in names) + "  new/old bare" +
          ("  new/old http" if client else ""))
    for name, t in out.items():
        if "error" in t:
            print(f"{name:20} ERROR {t['error']}")
            continue
        rows = set(t["rows"].values())
        p50 = [t[n]["p50"] * 1000 for n in names]
        line = f"{name:20} {'/'.join(map(str, sorted(rows))):>5} " + " ".join(f"{v:13.1f}" for v in p50)
        line += f"  {p50[1] / p50[0]:12.2f}"
        if client:
            line += f"  {p50[3] / p50[2]:12.2f}"
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
