"""``budgetlod validate INPUT...|--store DIR``: SHACL report. INPUTs are documents
(converted first) or N-Quads files (.nq); ``--store`` validates every document graph of
an embedded store. Prints a readable summary, writes the report as Turtle with
-r/--report, exits 1 on violations only (warnings are source inconsistencies)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from converter.errors import InputError
from converter.inputs import expand_inputs

DOCUMENT_GRAPH = "https://w3id.org/budget-lod/def#DocumentGraph"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate documents, N-Quads or a store with the SHACL shapes")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="document, .nq file or folder")
    p.add_argument("--store", metavar="DIR", help="validate the document graphs of an embedded store")
    p.add_argument("-r", "--report", metavar="FILE", help="write the SHACL validation report (Turtle)")
    p.add_argument("--base", help="IRI base for converting documents (default $BUDGETLOD_BASE)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel worker processes")
    p.set_defaults(func=run)


def _store_nquads(path: str) -> bytes:
    import pyoxigraph as ox

    if not Path(path).is_dir():
        raise InputError(path, "no such store directory")
    try:
        store = ox.Store.read_only(path)
    except OSError as err:
        raise InputError(path, f"cannot open store: {err}") from None
    graphs = [s["g"] for s in store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{DOCUMENT_GRAPH}> }} }}")]
    return b"".join(
        ox.serialize((ox.Quad(q.subject, q.predicate, q.object, g) for q in store.quads_for_pattern(None, None, None, g)),
                     format=ox.RdfFormat.N_QUADS) or b""
        for g in graphs
    )


def run(args: argparse.Namespace) -> int:
    from converter.mapping import convert_paths
    from converter.validation import validate_nquads

    if not args.inputs and not args.store:
        print("error: give INPUT files/folders or --store DIR", file=sys.stderr)
        return 2
    failed = 0
    chunks: list[bytes] = []
    if args.store:
        try:
            chunks.append(_store_nquads(args.store))
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    paths = expand_inputs(args.inputs)
    nq_files = [p for p in paths if p.suffix.lower() == ".nq"]
    if args.inputs:
        nq_files += [p for p in map(Path, args.inputs) if p.is_dir() for p in sorted(p.rglob("*.nq"))]
    for p in nq_files:
        try:
            chunks.append(p.read_bytes())
        except OSError as err:
            print(f"error: {p}: {err.strerror or err}", file=sys.stderr)
            failed += 1
    docs = [p for p in paths if p.suffix.lower() != ".nq"]
    for result in convert_paths(docs, args.base, workers=min(args.jobs, 4)):
        if isinstance(result, InputError):
            print(f"error: {result}", file=sys.stderr)
            failed += 1
        else:
            chunks.append(result.nquads.encode("utf-8"))
    if not chunks:
        return 1
    try:
        result = validate_nquads(b"".join(chunks), workers=args.jobs)
    except SyntaxError as err:
        print(f"error: invalid N-Quads: {err}", file=sys.stderr)
        return 1
    print(result.summary)
    if args.report:
        Path(args.report).write_text(result.report_ttl, encoding="utf-8")
        print(f"report written to {args.report}")
    return 1 if failed or not result.conforms else 0
