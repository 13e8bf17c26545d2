"""``budgetlod serve --store DIR [--host --port]``: the SPARQL endpoint and linked-data
site (``--endpoint URL`` serves from an external SPARQL 1.1 store instead)."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from endpoint.config import Settings

    p = sub.add_parser("serve", help="SPARQL endpoint, linked-data pages and query UI")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", metavar="DIR", help="embedded Oxigraph store directory")
    where.add_argument("--endpoint", metavar="URL", help="external SPARQL 1.1 query URL")
    p.add_argument("--user", help="with --endpoint: user name")
    p.add_argument("--password", default=os.environ.get("BUDGETLOD_ENDPOINT_PASSWORD"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--base", help="IRI base served (default $BUDGETLOD_BASE or https://w3id.org/budget-lod/)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per query (default 30)")
    p.add_argument("--max-rows", type=int, default=100_000, help="rows per result (default 100000)")
    p.add_argument("--header-timeout", type=float, default=Settings.header_timeout, metavar="SECONDS",
                   help=f"seconds a client has to send a request's headers, then 408 "
                        f"(default {Settings.header_timeout:g})")
    p.add_argument("--workers", type=int, default=4, help="query worker processes (default 4)")
    p.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                   help="a SERVICE endpoint queries may call (repeatable; default none)")
    p.add_argument("--dumps", metavar="DIR", help="release folder of `budgetlod dump` to serve at /dumps/")
    p.add_argument("--queries", metavar="DIR", help="canned queries folder (default endpoint/queries)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from converter.store import default_base
    from endpoint.app import create_app
    from endpoint.config import Settings

    base = args.base or default_base()
    settings = Settings(store=args.store, endpoint=args.endpoint, endpoint_user=args.user,
                        endpoint_password=args.password, base=base if base.endswith(("/", "#")) else base + "/",
                        timeout=args.timeout, max_rows=args.max_rows, workers=args.workers,
                        service_allow=frozenset(args.allow_service), dumps=args.dumps,
                        header_timeout=args.header_timeout)
    if args.queries:
        from pathlib import Path

        settings.queries_dir = Path(args.queries)
    if args.store:
        problem = _layout_problem(args.store)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        from converter.store.loading import journal_path

        if journal_path(args.store).exists():
            print(f"warning: {args.store}: a load was interrupted in the middle of a bulk flush; the graphs "
                  f"named in {journal_path(args.store)} may be incomplete until the next `budgetlod load` "
                  "into this store removes them", file=sys.stderr)
    try:
        app = create_app(settings)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    from endpoint.connection import protocol_class

    # h11 with a header read timeout: uvicorn has none of its own
    uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                http=protocol_class(settings.header_timeout))
    return 0


def _layout_problem(path: str) -> str | None:
    """A store in the layout before issue 14 is refused (see converter/store/embedded.py)."""
    from pathlib import Path

    import pyoxigraph as ox

    from converter.store.embedded import layout_problem

    if not Path(path).is_dir():
        return None  # the app reports a missing store
    try:
        store = ox.Store.read_only(path)
    except OSError:
        return None  # nor can the workers open it: they report why
    return layout_problem(store, path)
