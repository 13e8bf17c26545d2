"""``budgetlod convert INPUT... -o OUT.nq``: RDF of documents, one named graph each, as
sorted, byte-deterministic N-Quads."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from converter.batch import add_batch_options, failure_list, progress, write_stats
from converter.errors import InputError
from converter.inputs import expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("convert", help="convert documents to RDF (N-Quads, one named graph per document)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="document file or folder")
    p.add_argument("-o", "--output", metavar="OUT.nq", required=True, help="N-Quads file to write ('-' for stdout)")
    p.add_argument("--base", help="IRI base (default $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    add_batch_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from converter.pipeline import convert_paths
    from converter.mapping.iris import resolve_base
    from converter.sortmerge import SortedLines, split_lines

    try:
        base = resolve_base(args.base)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    paths = expand_inputs(args.inputs)
    bar = progress(len(paths), "convert", args.progress)
    failures: list[str] = []
    seen: dict[str, str] = {}
    triples = pages = 0
    merged = SortedLines()  # bounded memory: each graph's text is dropped once added
    for result in convert_paths(paths, base, workers=args.workers):
        bar.update(1)
        if isinstance(result, InputError):
            bar.write(f"error: {result}", file=sys.stderr)
            failures.append(str(result))
            bar.set_postfix(failed=len(failures), refresh=False)
            continue
        if result.graph_iri in seen:  # the same content (bytes, or text in another encoding): one graph
            bar.write(f"note: {result.source_file} has the same content as {seen[result.graph_iri]}; skipped",
                      file=sys.stderr)
            continue
        seen[result.graph_iri] = result.source_file
        merged.add(split_lines(result.nquads))
        triples += result.triples
        pages += result.pages or 0
        if bar.disable:
            print(f"converted {result.source_file}: {result.triples} triples -> <{result.graph_iri}>",
                  file=sys.stderr)
    bar.close()
    if args.output == "-":
        merged.write_to(sys.stdout.buffer)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        with open(tmp, "wb") as f:
            merged.write_to(f)
        os.replace(tmp, out)  # readers never see a half-written file
    elapsed = time.perf_counter() - started
    print(f"{len(seen)} converted, {len(failures)} failed, {triples} triples in {elapsed:.1f} s", file=sys.stderr)
    failure_list(failures)
    if args.stats:
        write_stats(args.stats, {"documents": len(paths), "converted": len(seen), "failed": len(failures),
                                 "triples": triples, "pages": pages, "wall_seconds": round(elapsed, 3)})
    return 1 if failures else 0
