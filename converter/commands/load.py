"""``budgetlod load INPUT... --store DIR``: convert + validate + load, idempotent.
``--endpoint URL`` pushes the named graphs to an external SPARQL 1.1 store instead, one
SPARQL Update (or Graph Store PUT) per document; with ``--bulk-dir DIR --isql HOST:PORT``
into Virtuoso by its bulk loader (converter/store/virtuoso_bulk.py)."""

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
    bulk = p.add_argument_group(
        "Virtuoso bulk loader (with --endpoint; both --bulk-dir and --isql, else one SPARQL Update per document)")
    bulk.add_argument("--bulk-dir", metavar="DIR",
                      help="write each document's N-Quads here and load them with Virtuoso's bulk loader "
                           "(ld_dir + rdf_loader_run + checkpoint over isql); the server must be allowed to "
                           "read DIR (DirsAllowed in virtuoso.ini); files are removed once loaded")
    bulk.add_argument("--bulk-server-dir", metavar="PATH",
                      help="DIR as the Virtuoso server sees it, when it differs (a container, a shared mount); "
                           "default DIR")
    bulk.add_argument("--isql", metavar="HOST:PORT", help="Virtuoso's SQL port (ServerPort in [Parameters], e.g. localhost:1111)")
    bulk.add_argument("--isql-user", default="dba", help="SQL user allowed to run the bulk loader (default dba)")
    bulk.add_argument("--isql-password", default=os.environ.get("BUDGETLOD_ISQL_PASSWORD"),
                      help="its password (default $BUDGETLOD_ISQL_PASSWORD; isql takes it as an argument)")
    bulk.add_argument("--isql-command", default="isql-vt", help="Virtuoso's isql client (default isql-vt, "
                                                                 "Debian's name; upstream builds call it isql)")
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
    from converter.pipeline import Prepared, prepare

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
    loader = None
    if args.bulk_dir or args.isql:
        loader = _bulk_loader(args)
        if loader is None:
            return 2
    paths, repeats = distinct_documents(expand_inputs(args.inputs))
    for dup, first in repeats:  # loading both would state every fact twice
        print(f"note: {dup} is the same document as {first}; not loaded again", file=sys.stderr)
    started = time.perf_counter()
    bar = progress(len(paths), "load", args.progress)
    docs = _prepared(paths, base, not args.no_validate, args.workers, bar, args.strict)
    if loader is not None:
        return _bulk_push(args, loader, docs, bar, len(paths))
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
        commit(store, args.store, registry=False)  # the vocabulary cites nothing
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
    if loaded:
        try:
            remote.rebuild_registry()
        except (RemoteStoreError, OSError) as err:
            failures.append(f"{args.endpoint}: the registry graph of cited documents was not rebuilt: {err}")
    print(f"{loaded} pushed to {args.endpoint}, {len(failures)} failed")
    failure_list(failures)
    return 1 if failures else 0


def _bulk_loader(args: argparse.Namespace):
    """The bulk loader the options ask for, checked against the server before any document
    is converted; None (after saying why) when the options or the server are wrong."""
    from pathlib import Path

    from converter.store.virtuoso_bulk import BulkLoader, BulkLoadError, Isql, parse_isql_address

    problem = ""
    if not args.endpoint:
        problem = "--bulk-dir and --isql load into Virtuoso: give --endpoint URL too"
    elif not (args.bulk_dir and args.isql):
        problem = "the bulk loader needs both --bulk-dir DIR and --isql HOST:PORT"
    elif args.gsp:
        problem = "--gsp and --bulk-dir are two ways to load: give one"
    if not problem:
        try:
            isql = Isql(parse_isql_address(args.isql), args.isql_user, args.isql_password or "", args.isql_command)
            loader = BulkLoader(isql, Path(args.bulk_dir), args.bulk_server_dir)
            loader.preflight()
            return loader
        except (ValueError, OSError, BulkLoadError) as err:
            problem = str(err)
    print(f"error: {problem}", file=sys.stderr)
    return None


def _bulk_push(args: argparse.Namespace, loader, docs, bar, total: int) -> int:
    """Documents into Virtuoso by its bulk loader, in batches of at most loader.batch_quads
    quads. A file the loader fails is its document's failure; a batch that fails as a whole
    (isql or the server) stops the load, as every later batch would fail the same way."""
    from converter.store.virtuoso_bulk import BulkLoadError

    show = _printer(bar)
    failures: list[str] = []
    loaded = triples = 0
    started = time.perf_counter()
    batch = loader.new_batch()

    def flush() -> str:
        nonlocal batch, loaded, triples
        stopped = ""
        try:
            batch.run()
        except BulkLoadError as err:
            stopped = str(err)
            for f in batch.files:
                f.error = f"not loaded: {err}"
        for f in batch.files:
            doc = f.key
            if f.error:
                doc.ok, doc.message = False, f"{doc.path}: {f.error}"
            show(doc)
            if doc.ok:
                loaded += 1
                triples += doc.triples
            else:
                failures.append(doc.message)
        batch = loader.new_batch()
        return stopped

    stopped = ""
    seen = 0
    for doc in docs:
        seen += 1
        if not doc.ok:
            show(doc)
            failures.append(doc.message)
            continue
        if batch.holds_graph(doc.graph_iri):  # one graph loaded twice in a batch would be merged
            stopped = flush()
            seen -= bool(stopped)  # this document was not attempted
        if not stopped:
            batch.add(doc, [doc.graph_iri], doc.nquads)
            doc.nquads = ""  # on disk now; memory stays bounded
            if batch.quads >= loader.batch_quads:
                stopped = flush()
        if stopped:
            docs.close()
            break
    else:
        stopped = flush()
    if loaded and not stopped:
        from converter.store.remote import RemoteStore, RemoteStoreError

        remote = RemoteStore(args.endpoint, None, args.user, args.password, args.auth)
        try:
            with remote.client() as client:
                recipients = remote.recipient_rows(client)
            loader.rebuild_registry(recipients)
        except (BulkLoadError, RemoteStoreError, OSError) as err:
            failures.append(f"{args.endpoint}: the registry graph of cited documents was not rebuilt: {err}")
    bar.close()
    elapsed = time.perf_counter() - started
    not_attempted = total - seen if stopped else 0
    print(f"{loaded} bulk-loaded into {args.endpoint}, {len(failures)} failed"
          + (f", {not_attempted} not attempted" if not_attempted else "")
          + f", {triples} triples in {elapsed:.1f} s")
    failure_list(failures)
    if stopped:
        print(f"error: bulk load stopped: {stopped}", file=sys.stderr)
    return 1 if failures or stopped else 0
