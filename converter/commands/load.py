"""``budgetlod load INPUT... --store DIR``: convert + validate + load, idempotent.
``--endpoint URL`` pushes the named graphs to an external SPARQL 1.1 store instead."""

from __future__ import annotations

import argparse
import os
import sys
import time

from converter.batch import add_batch_options, failure_list, progress, write_stats
from converter.resources import ontology_dir
from converter.inputs import distinct_documents, expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="convert, validate and load documents into a store")
    # none: only migrate a store of the layout before issue 14 (and reload the vocabulary)
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="document file or folder")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", metavar="DIR", help="embedded Oxigraph store directory (created if missing)")
    where.add_argument("--endpoint", metavar="URL", help="external SPARQL 1.1 Update URL to push graphs to")
    p.add_argument("--gsp", metavar="URL", help="with --endpoint: Graph Store Protocol URL (PUT per graph)")
    p.add_argument("--user", help="with --endpoint: user name (HTTP digest or basic auth)")
    p.add_argument("--password", default=os.environ.get("BUDGETLOD_ENDPOINT_PASSWORD"),
                   help="with --endpoint: password (default $BUDGETLOD_ENDPOINT_PASSWORD)")
    p.add_argument("--auth", choices=("digest", "basic"), default="digest")
    p.add_argument("--base", help="IRI base (default $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    add_batch_options(p)
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (not recommended)")
    p.add_argument("--strict", action="store_true",
                   help="reject a document with a quarantined table (by default the table is left out, "
                        "reported as a warning, and the rest of the document is loaded)")
    p.add_argument("--no-vocabulary", action="store_true", help="do not (re)load ontology/*.ttl")
    p.add_argument("--bulk-threshold", type=int, default=20,
                   help="new documents in one batch from which Store.bulk_load is used")
    p.set_defaults(func=run)


WARNINGS_SHOWN = 10  # per document; `budgetlod validate` lists them all


def _printer(bar):
    """Per-document lines: all of them in logs; under a progress bar, only failures."""
    def show(doc) -> None:
        if doc.ok:
            if bar.disable:
                extra = f", {doc.warnings} warning(s)" if doc.warnings else ""
                print(f"loaded {doc.path}: {doc.triples} triples -> <{doc.graph_iri}>{extra}")
                for line in doc.warning_lines[:WARNINGS_SHOWN]:  # what they are: the source's own gaps
                    print(f"  warning: {line}")
                if len(doc.warning_lines) > WARNINGS_SHOWN:
                    print(f"  … {len(doc.warning_lines) - WARNINGS_SHOWN} more (budgetlod validate {doc.path})")
        else:
            bar.write(f"error: {doc.message}", file=sys.stderr)
        for note in getattr(doc, "quarantined", []):
            bar.write(f"warning: {doc.path}: {note}", file=sys.stderr)
    return show


def _prepared(paths, base: str, validate: bool, workers: int, bar, strict: bool = False):
    """Documents converted and validated by the worker pool, in input order, counted on
    the progress bar as they arrive."""
    from converter.batch import Pool, WorkerDied
    from converter.store.loading import Prepared, prepare

    failed = 0
    with Pool(prepare, workers) as pool:
        for (path, *_), doc in pool.map((str(p), base, validate, strict) for p in paths):
            if isinstance(doc, WorkerDied):
                doc = Prepared(path, False, f"{path}: {doc}")
            if not doc.ok:
                failed += 1
                bar.set_postfix(failed=failed, refresh=False)
            bar.update(1)
            yield doc


def run(args: argparse.Namespace) -> int:
    from converter.store import default_base
    from converter.store.loading import LoadReport, StoreFull, load_vocabulary, store_prepared

    base = args.base or default_base()
    paths, repeats = distinct_documents(expand_inputs(args.inputs))
    for dup, first in repeats:  # loading both would state every fact twice
        print(f"note: {dup} is the same document as {first}; not loaded again", file=sys.stderr)
    started = time.perf_counter()
    bar = progress(len(paths), "load", args.progress)
    docs = _prepared(paths, base, not args.no_validate, args.workers, bar, args.strict)
    if args.endpoint:
        return _push(args, docs, bar)
    from converter.store.embedded import commit, migrate_layout, open_store, store_open_problem

    # the first document is converted before the store opens: the worker pool then
    # forks without the store's handles and threads
    first = next(docs, None)
    try:
        store = open_store(args.store)
    except OSError as err:  # e.g. another process holds the store's lock
        bar.close()
        print(f"error: {args.store}: cannot open store: {store_open_problem(err)}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    dropped = migrate_layout(store)  # before anything is written: the old copy is never updated
    if dropped:
        commit(store, args.store)
        print(f"note: {args.store}: migrated to one copy per triple: dropped the stored merged default "
              f"graph ({dropped} triples) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    chained = docs if first is None else _chain(first, docs)
    try:
        report = store_prepared(store, args.store, chained, args.bulk_threshold, on_result=_printer(bar))
    except StoreFull as full:  # before the first document: nothing was written
        report = LoadReport(stopped=str(full))
    if report.stopped:
        docs.close()  # the pool's workers stop: nothing more can be written
        bar.close()
        return _stopped(args, report, paths, repeats, time.perf_counter() - started)
    bar.close()
    for g in report.recovered:
        print(f"note: removed <{g}>, left half-loaded by an interrupted load", file=sys.stderr)
    if not args.no_vocabulary:
        for g, n in load_vocabulary(store, ontology_dir(), base):
            print(f"loaded vocabulary: {n} triples -> <{g}>")
        commit(store, args.store)
    elapsed = time.perf_counter() - started
    print(f"{len(report.loaded)} loaded ({report.replaced} replaced, {report.bulk_loaded} bulk), "
          f"{len(report.failed)} failed, {len(repeats)} duplicate input(s) skipped, "
          f"{report.triples} triples in {elapsed:.1f} s")
    failure_list([d.message for d in report.failed])
    if args.stats:
        write_stats(args.stats, report.stats(elapsed))
    return 1 if report.failed else 0


NOT_ATTEMPTED_SHOWN = 20


def _stopped(args: argparse.Namespace, report, paths, repeats, elapsed: float) -> int:
    """A load the full disk stopped: one error that says so, and every document accounted
    for (loaded, failed, not attempted); no vocabulary load (it would fail the same way)."""
    done = {d.path for d in report.loaded + report.failed}
    not_attempted = [str(p) for p in paths if str(p) not in done]
    failure_list([d.message for d in report.failed])
    if not_attempted:
        print(f"{len(not_attempted)} document(s) not attempted:", file=sys.stderr)
        for p in not_attempted[:NOT_ATTEMPTED_SHOWN]:
            print(f"  {p}", file=sys.stderr)
        if len(not_attempted) > NOT_ATTEMPTED_SHOWN:
            print(f"  … {len(not_attempted) - NOT_ATTEMPTED_SHOWN} more", file=sys.stderr)
    print(f"{len(report.loaded)} loaded ({report.replaced} replaced, {report.bulk_loaded} bulk), "
          f"{len(report.failed)} failed, {len(not_attempted)} not attempted, {len(repeats)} duplicate input(s) "
          f"skipped, {report.triples} triples in {elapsed:.1f} s")
    from converter.store.loading import journal_path

    journal = journal_path(args.store)
    partial = (f"; the graphs of the bulk write it stopped are named in {journal} and removed by the next load"
               if journal.exists() else "")
    print(f"error: load stopped: {report.stopped}\n"
          f"  {len(report.loaded)} of {len(paths)} document(s) are in the store, each complete; a write that "
          f"failed changed nothing{partial}. Free disk space and run the same command again: loaded "
          f"documents are replaced, not duplicated.", file=sys.stderr)
    if args.stats:
        write_stats(args.stats, {**report.stats(elapsed), "not_attempted": len(not_attempted),
                                 "stopped": report.stopped})
    return 1


def _chain(first, rest):
    yield first
    yield from rest


def _push(args: argparse.Namespace, docs, bar) -> int:
    from converter.store.remote import RemoteStore, RemoteStoreError

    remote = RemoteStore(args.endpoint, args.gsp, args.user, args.password, args.auth)
    show = _printer(bar)
    failures: list[str] = []
    loaded = 0
    for doc in docs:
        if doc.ok:
            try:
                remote.replace_graph(doc.graph_iri, doc.nquads)
            except (RemoteStoreError, OSError, SyntaxError) as err:
                doc.ok, doc.message = False, f"{doc.path}: not pushed: {err}"
        show(doc)
        if doc.ok:
            loaded += 1
        else:
            failures.append(doc.message)
    bar.close()
    print(f"{loaded} pushed to {args.endpoint}, {len(failures)} failed")
    failure_list(failures)
    return 1 if failures else 0
