"""``budgetlod dump --store DIR -o OUTDIR``: write a release (bulk RDF, CSV tables, VoID and
DCAT, SHA256SUMS, README) to OUTDIR/releases/<id>/ and point OUTDIR/latest at it."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dump", help="write a bulk release of the store (RDF, CSV, VoID/DCAT)")
    p.add_argument("--store", required=True, metavar="DIR", help="embedded Oxigraph store directory")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="release root: releases/<id>/ and the 'latest' symlink go here")
    p.add_argument("--base", help="IRI base of the dataset (default: the store's dcat:Dataset, "
                                  "else $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    p.add_argument("--download-base", metavar="URL",
                   help="public URL of OUTDIR, used in VoID/DCAT download links (default <base>dumps/)")
    p.add_argument("--keep", type=int, metavar="N", help="afterwards, keep only the N newest releases")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from converter.dumps.release import build_release, prune

    try:
        result = build_release(args.store, args.output, base=args.base, download_base=args.download_base)
    except (FileNotFoundError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    s = result.summary
    docs = sum(1 for g in s.graphs if g.is_document)
    state = "unchanged, re-used" if result.reused else "written"
    print(f"release {result.release_id} {state}: {result.path}")
    print(f"{docs} document(s), {s.quads} quads, {s.triples} distinct triples, "
          f"{len(result.files)} data files, {sum(result.csv_rows.values())} CSV rows "
          f"in {result.seconds:.1f} s ({s.quads / max(result.seconds, 1e-9):,.0f} quads/s)")
    if args.keep is not None:
        for name in prune(args.output, max(args.keep, 1)):
            print(f"removed old release {name}")
    return 0
