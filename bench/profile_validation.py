"""Where validation's CPU time goes, per step of ``run_shapes`` on a conforming document.

    .venv/bin/python -m bench.profile_validation DIR [--n 20]

DIR holds synthetic documents (``python -m bench.synth``); the first N are converted, then
each step a load worker runs on a graph without core findings is timed in CPU seconds of
this process: the reading checks (same_reading, kept_apart), loading the graph into
Oxigraph, the compiled core detector (its rdfs:subClassOf test, its ASK checks, its
pattern queries), each SHACL-SPARQL constraint of the shapes, and the triples kept for the
cross-document pass. Prints CPU ms per document, largest first."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter.mapping import convert_disclosure  # noqa: E402
from converter.parsers import parse_document  # noqa: E402
from converter.readers import read_document  # noqa: E402
from converter.reconcile import reconcile  # noqa: E402
from converter.validation import own_triples, compiled, engine  # noqa: E402
from converter.validation.graph import kept_apart, same_reading  # noqa: E402


def profile(files: list[Path]) -> Counter[str]:
    spent: Counter[str] = Counter()
    core = engine.compiled_core("document")
    constraints = engine.sparql_constraints("document")
    if core is None:
        raise SystemExit("the document shapes do not compile to the detector")

    def lap(key: str, t: float) -> float:
        now = time.process_time()
        spent[key] += now - t
        return now

    for f in files:
        d = parse_document(read_document(f))
        reconcile(d)
        conv = convert_disclosure(d)
        nt = own_triples(conv.nquads)
        t = time.process_time()
        same_reading(nt)
        t = lap("reading checks", t)
        store = engine.graph_store(nt)
        t = lap("load into Oxigraph", t)
        kept_apart(len(store), nt)
        t = lap("reading checks", t)
        store.query(compiled._SUBCLASS)
        for pre, q in zip(core.prefilters, core.checks):
            if pre is not None and not store.query(pre):
                continue
            answer = store.query(q)
            if not isinstance(answer, ox.QueryBoolean):
                list(answer)
        t = lap(f"core detector: {len(core.checks)} checks", t)
        compiled.multi_valued_suspect(store, core)
        t = lap("core detector: sh:maxCount 1", t)
        for q in core.pattern_queries:
            list(store.query(q))
        t = lap(f"core detector: {len(core.pattern_queries)} pattern queries", t)
        for c in constraints:
            list(store.query(c.query))
            t = lap("constraint " + c.shape.rsplit("#", 1)[-1], t)
        engine.shared_triples(store)
        lap("shared triples", t)
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.txt"))[: args.n]
    if not files:
        raise SystemExit(f"{args.corpus}: no .txt documents")
    spent = profile(files)
    print("| step | CPU ms per document |\n|---|---:|")
    for key, v in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {key} | {1000 * v / len(files):.1f} |")
    print(f"| **total** | **{1000 * sum(spent.values()) / len(files):.1f}** |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
