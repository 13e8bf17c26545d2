"""``budgetlod validate INPUT...|--store DIR``: SHACL report. INPUTs are documents
(converted first) or N-Quads files (.nq); ``--store`` validates every document graph of
an embedded store. Prints a readable summary, writes the report as Turtle with
-r/--report, exits 1 on violations only (warnings are source inconsistencies)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Iterator

from converter.batch import add_batch_options, failure_list, progress, write_stats
from converter.errors import InputError
from converter.inputs import expand_inputs
from converter.mapping.iris import VOCAB

DOCUMENT_GRAPH = VOCAB + "DocumentGraph"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate documents, N-Quads or a store with the SHACL shapes")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="document, .nq file or folder")
    p.add_argument("--store", metavar="DIR", help="validate the document graphs of an embedded store")
    p.add_argument("-r", "--report", metavar="FILE", help="write the SHACL validation report (Turtle)")
    p.add_argument("--base", help="IRI base for converting documents (default $BUDGETLOD_BASE)")
    add_batch_options(p)
    p.set_defaults(func=run)


def _open_store(path: str):
    import pyoxigraph as ox

    if not Path(path).is_dir():
        raise InputError(path, "no such store directory")
    try:
        return ox.Store.read_only(path)
    except OSError as err:
        raise InputError(path, f"cannot open store: {err}") from None


def _store_graphs(store) -> Iterator[tuple[str, bytes, str]]:
    """Each document graph of the store, one at a time (never the whole store at once)."""
    import pyoxigraph as ox

    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{DOCUMENT_GRAPH}> }} }} ORDER BY ?g"
    for row in store.query(query):
        g = row["g"]
        yield g.value, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g), "document"


def _jobs(args: argparse.Namespace, store, nq_files: list[Path], docs: list[Path],
          failures: list[str], bar) -> Iterator[tuple[str, bytes | str, str]]:
    """The graphs to validate, streamed: store graphs, then .nq files (each split by
    graph), then documents as the converter's pool delivers them."""
    from converter.pipeline import convert_paths
    from converter.validation import split_graphs

    if store is not None:
        yield from _store_graphs(store)
    for p in nq_files:
        try:
            yield from ((g, nt, "document") for g, nt in split_graphs(p.read_bytes()))
        except OSError as err:
            failures.append(f"{p}: {err.strerror or err}")
        except SyntaxError as err:
            failures.append(f"{p}: invalid N-Quads: {err}")
        bar.update(1)
    for result in convert_paths(docs, args.base, workers=args.workers):
        bar.update(1)
        if isinstance(result, InputError):
            bar.write(f"error: {result}", file=sys.stderr)
            failures.append(str(result))
        else:
            yield result.graph_iri, result.nquads, "document"


def run(args: argparse.Namespace) -> int:
    from converter.validation import validate_graphs

    if not args.inputs and not args.store:
        print("error: give INPUT files/folders or --store DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        store = _open_store(args.store) if args.store else None
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    paths = expand_inputs(args.inputs)
    nq_files = [p for p in paths if p.suffix.lower() == ".nq"]
    if args.inputs:
        nq_files += [p for p in map(Path, args.inputs) if p.is_dir() for p in sorted(p.rglob("*.nq"))]
    docs = [p for p in paths if p.suffix.lower() != ".nq"]
    failures: list[str] = []
    bar = progress(len(nq_files) + len(docs), "validate", args.progress)
    result = validate_graphs(_jobs(args, store, nq_files, docs, failures, bar), workers=args.workers)
    bar.close()
    print(result.summary)
    if args.report:
        Path(args.report).write_text(result.report_ttl, encoding="utf-8")
        print(f"report written to {args.report}")
    failure_list(failures)
    if args.stats:
        write_stats(args.stats, {"graphs": result.graphs, "violations": result.violations,
                                 "warnings": result.warnings, "failed": len(failures),
                                 "wall_seconds": round(time.perf_counter() - started, 3)})
    if result.graphs == 0 and failures:
        return 1
    return 1 if failures or not result.conforms else 0
