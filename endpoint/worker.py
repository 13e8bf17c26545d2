"""A query worker process: opens the store read-only and answers queries sent over a pipe.

Workers exist because a running pyoxigraph query cannot be interrupted from Python; the
pool kills a worker whose query outlives the time limit and starts a fresh one. Keep this
module's imports light: every worker imports it at spawn."""

from __future__ import annotations

import ctypes
import os
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from converter.store.embedded import layout_problem
from converter.store.generation import generation_stamp
from endpoint.results import Capped, Window, write_boolean, write_graph, write_solutions

Request = dict[str, Any]
# ("ok", body, truncated, count[, total]) | ("error", status, message); total: with a window
Response = tuple


class _ReadOnlyStore:
    """The store as of its last completed load: reopened when a loader bumps the stamp,
    because a read-only RocksDB handle sees a snapshot taken at open."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stamp: str | None = None
        self.store: ox.Store | None = None
        self.problem: str | None = None  # why the store is not served (old layout)

    def get(self) -> ox.Store:
        stamp = generation_stamp(self.path)
        if self.store is None or stamp != self.stamp:
            self.store = None  # release the old handle before opening a new one
            self.store = ox.Store.read_only(self.path)
            self.stamp = stamp
            # `serve` refuses such a store at start; this catches one swapped in under a
            # running server, whose answers would otherwise count every statement twice
            self.problem = layout_problem(self.store, self.path)
        return self.store


def _graphs(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return [ox.NamedNode(i) for i in iris] if iris else None


def execute(store: ox.Store, req: Request) -> Response:
    """The default graph is the union of the store's graphs (nothing is stored in it, see
    converter/store/embedded.py) unless the request names its graphs (default-graph-uri);
    named-graph-uri restricts GRAPH patterns only, as before."""
    kwargs: dict[str, Any] = {}
    default_graph = _graphs(req.get("default_graph"))
    if default_graph:
        kwargs["default_graph"] = default_graph
    else:
        kwargs["use_default_graph_as_union"] = True
    named = _graphs(req.get("named_graphs"))
    if named:
        kwargs["named_graphs"] = named
    try:
        result = store.query(req["query"], **kwargs)
    except SyntaxError as err:
        return ("error", 400, f"SPARQL syntax error: {err}")
    except (OSError, RuntimeError, ValueError) as err:  # e.g. a SERVICE call that failed
        return ("error", 500, f"query evaluation failed: {err}")
    fmt = req["format"]
    limit = int(req["max_rows"])
    try:
        if isinstance(result, ox.QueryBoolean):
            return ("ok", write_boolean(bool(result), fmt), False, 1)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            if req.get("window"):  # a page of the solutions and their number (endpoint/results.py)
                offset, size = req["window"]
                window = Window(result, int(offset), min(int(size), limit))
                body = write_solutions(variables, window, fmt)  # reads every solution
                # a page asked larger than the row cap is cut at the cap
                truncated = int(size) > limit and window.total - int(offset) > limit
                return ("ok", body, truncated, window.count, window.total)
            capped = Capped(result, limit)
            return ("ok", write_solutions(variables, capped, fmt), capped.truncated, capped.count)
        capped = Capped(result, limit)
        return ("ok", write_graph(capped, fmt, req.get("prefixes")), capped.truncated, capped.count)
    except (OSError, RuntimeError, ValueError) as err:
        return ("error", 500, f"query evaluation failed: {err}")


_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace (only a loopback that is
    down): no SERVICE call can reach any host, whatever a query says. Needs CAP_SYS_ADMIN
    or unprivileged user namespaces; False where the kernel refuses (the federation
    policy of endpoint/federation.py still holds there)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


def worker_main(conn: Connection, store_path: str, network: bool = False, nice: int = 0) -> None:
    if not network:
        isolate_network()  # before any thread exists: unshare needs a single-threaded process
    if nice:
        try:  # lower priority only (endpoint/pool.py: the general workers)
            os.nice(nice)
        except OSError:
            pass
    store = _ReadOnlyStore(store_path)
    while True:
        try:
            req = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if req.get("op") == "ping":
            conn.send(("ok", str(os.getpid()).encode(), False, 0))
            continue
        try:
            handle = store.get()
            resp = ("error", 503, store.problem) if store.problem else execute(handle, req)
        except Exception as err:  # a worker must answer every request it took
            resp = ("error", 500, f"{type(err).__name__}: {err}")
        conn.send(resp)
