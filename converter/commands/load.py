"""``budgetlod load INPUT... --store DIR``: convert + validate + load, idempotent.
``--endpoint URL`` pushes the named graphs to an external SPARQL 1.1 store instead."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from converter.inputs import expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="convert, validate and load documents into a store")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="document file or folder")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", metavar="DIR", help="embedded Oxigraph store directory (created if missing)")
    where.add_argument("--endpoint", metavar="URL", help="external SPARQL 1.1 Update URL to push graphs to")
    p.add_argument("--gsp", metavar="URL", help="with --endpoint: Graph Store Protocol URL (PUT per graph)")
    p.add_argument("--user", help="with --endpoint: user name (HTTP digest or basic auth)")
    p.add_argument("--password", default=os.environ.get("BUDGETLOD_ENDPOINT_PASSWORD"),
                   help="with --endpoint: password (default $BUDGETLOD_ENDPOINT_PASSWORD)")
    p.add_argument("--auth", choices=("digest", "basic"), default="digest")
    p.add_argument("--base", help="IRI base (default $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    p.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="parallel conversions")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (not recommended)")
    p.add_argument("--no-vocabulary", action="store_true", help="do not (re)load ontology/*.ttl")
    p.add_argument("--bulk-threshold", type=int, default=20,
                   help="new documents in one batch from which Store.bulk_load is used")
    p.set_defaults(func=run)


def _print_result(doc) -> None:
    if doc.ok:
        extra = f", {doc.warnings} warning(s)" if doc.warnings else ""
        print(f"loaded {doc.path}: {doc.triples} triples -> <{doc.graph_iri}>{extra}")
    else:
        print(f"error: {doc.message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from converter.store import default_base
    from converter.store.loading import load_vocabulary, prepare_all, store_prepared

    base = args.base or default_base()
    paths = expand_inputs(args.inputs)
    started = time.perf_counter()
    docs = prepare_all(paths, base, not args.no_validate, args.jobs)
    if args.endpoint:
        return _push(args, docs)
    from converter.store.embedded import commit, open_store

    store = open_store(args.store)
    report = store_prepared(store, args.store, docs, args.bulk_threshold, on_result=_print_result)
    vocab_dir = Path(__file__).resolve().parents[2] / "ontology"
    if not args.no_vocabulary and vocab_dir.is_dir():
        for g, n in load_vocabulary(store, vocab_dir, base):
            print(f"loaded vocabulary: {n} triples -> <{g}>")
        commit(store, args.store)
    elapsed = time.perf_counter() - started
    print(f"{len(report.loaded)} loaded ({report.replaced} replaced, {report.bulk_loaded} bulk), "
          f"{len(report.failed)} failed, {report.triples} triples in {elapsed:.1f} s")
    return 1 if report.failed else 0


def _push(args: argparse.Namespace, docs) -> int:
    from converter.store.remote import RemoteStore, RemoteStoreError

    remote = RemoteStore(args.endpoint, args.gsp, args.user, args.password, args.auth)
    failed = loaded = 0
    for doc in docs:
        if not doc.ok:
            _print_result(doc)
            failed += 1
            continue
        try:
            remote.replace_graph(doc.graph_iri, doc.nquads)
        except (RemoteStoreError, OSError, SyntaxError) as err:
            print(f"error: {doc.path}: not pushed: {err}", file=sys.stderr)
            failed += 1
            continue
        loaded += 1
        _print_result(doc)
    print(f"{loaded} pushed to {args.endpoint}, {failed} failed")
    return 1 if failed else 0
