"""``budgetlod convert INPUT... -o OUT.nq``: RDF of documents, one named graph each, as
sorted, byte-deterministic N-Quads."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from converter.errors import InputError
from converter.inputs import expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("convert", help="convert documents to RDF (N-Quads, one named graph per document)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="document file or folder")
    p.add_argument("-o", "--output", metavar="OUT.nq", required=True, help="N-Quads file to write ('-' for stdout)")
    p.add_argument("--base", help="IRI base (default $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="parallel conversions")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from converter.mapping import convert_paths, merge_nquads
    from converter.mapping.iris import resolve_base

    try:
        base = resolve_base(args.base)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    failed, docs, seen = 0, [], {}
    for result in convert_paths(expand_inputs(args.inputs), base, workers=args.jobs):
        if isinstance(result, InputError):
            print(f"error: {result}", file=sys.stderr)
            failed += 1
            continue
        if result.sha256 in seen:  # identical bytes: one source, one named graph
            print(f"note: {result.source_file} has the same content as {seen[result.sha256]}; skipped", file=sys.stderr)
            continue
        seen[result.sha256] = result.source_file
        docs.append(result)
        print(f"converted {result.source_file}: {result.triples} triples -> <{result.graph_iri}>", file=sys.stderr)
    text = merge_nquads(docs)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    print(f"{len(docs)} converted, {failed} failed, {sum(d.triples for d in docs)} triples", file=sys.stderr)
    return 1 if failed else 0
