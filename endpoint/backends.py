"""Where queries run: the embedded Oxigraph store (through the worker pool) or an external
SPARQL 1.1 service (through SPARQLWrapper). Both return bytes in the requested format with
the row cap applied, so the protocol layer does not care which one it talks to."""

from __future__ import annotations

import asyncio
import socket
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from endpoint.pool import QueryPool, QueryTimeout, WorkerCrashed
from endpoint.results import Capped, write_boolean, write_graph, write_solutions


class BackendError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    body: bytes
    fmt: str
    truncated: bool
    count: int
    total: int | None = None  # all solutions, where a window was asked for


@dataclass
class Limits:
    timeout: float = 30.0
    max_rows: int = 100_000


class Backend(Protocol):
    limits: Limits
    description: str
    windows: bool  # run() takes window=(offset, size): a page of the solutions and their total

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def run(self, query: str, fmt: str, default_graph: list[str] | None = None,
                  named_graphs: list[str] | None = None, prefixes: dict[str, str] | None = None,
                  timeout: float | None = None, trusted: bool = True,
                  window: tuple[int, int] | None = None) -> Outcome: ...


async def select(backend: Backend, query: str) -> list[dict[str, object]]:
    """Rows of a SELECT as dicts of variable -> pyoxigraph term (for pages and VoID)."""
    out = await backend.run(query, "json")
    sols = ox.parse_query_results(out.body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in sols.variables]
    return [{n: s[n] for n in names} for s in sols]


async def construct(backend: Backend, query: str) -> list[ox.Triple]:
    out = await backend.run(query, "nt")
    return [q.triple for q in ox.parse(out.body, format=ox.RdfFormat.N_TRIPLES)]


class EmbeddedBackend:
    windows = True

    def __init__(self, store_path: str, limits: Limits, workers: int = 4, network: bool = False,
                 reserved: int = 1) -> None:
        self.limits = limits
        self.pool = QueryPool(store_path, workers, network=network, reserved=reserved)
        self.description = f"embedded Oxigraph store at {store_path}"

    async def start(self) -> None:
        await self.pool.start()

    async def close(self) -> None:
        await self.pool.close()

    async def run(self, query: str, fmt: str, default_graph: list[str] | None = None,
                  named_graphs: list[str] | None = None, prefixes: dict[str, str] | None = None,
                  timeout: float | None = None, trusted: bool = True,
                  window: tuple[int, int] | None = None) -> Outcome:
        limit = timeout or self.limits.timeout
        req = {"op": "query", "query": query, "format": fmt, "default_graph": default_graph,
               "named_graphs": named_graphs, "max_rows": self.limits.max_rows, "prefixes": prefixes,
               "window": window}
        try:
            resp = await self.pool.run(req, limit, trusted)
        except QueryTimeout:
            raise BackendError(503, f"query stopped: it ran past the time limit of {limit:g} s") from None
        except WorkerCrashed as err:
            raise BackendError(500, f"query worker failed: {err}") from None
        if resp[0] == "error":
            raise BackendError(resp[1], resp[2])
        return Outcome(resp[1], fmt, resp[2], resp[3], resp[4] if len(resp) > 4 else None)


class RemoteBackend:
    """An external SPARQL 1.1 service. The time limit is enforced client-side (the HTTP
    request is abandoned); the service's own limits (Virtuoso: MaxQueryExecutionTime)
    stop its side."""

    # no windows: the service pages (LIMIT/OFFSET) and counts, where its own row cap
    # (Virtuoso: ResultSetMaxRows) would otherwise cut a whole answer short unseen
    windows = False

    def __init__(self, url: str, limits: Limits, concurrency: int = 8,
                 user: str | None = None, password: str | None = None, reserved: int = 2) -> None:
        self.url = url
        self.limits = limits
        self.user, self.password = user, password
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sparql-remote")
        # as the embedded pool: client-written queries leave ``reserved`` threads to pages
        self._untrusted_slots = max(1, concurrency - reserved)
        self._untrusted: asyncio.Semaphore | None = None
        self.description = f"external SPARQL service at {url}"

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _fetch(self, query: str, graph: bool, default_graph: list[str] | None,
               named_graphs: list[str] | None, timeout: float) -> bytes:
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        w = SPARQLWrapper(self.url)
        w.setMethod(POST)
        w.setQuery(query)
        w.setTimeout(int(max(1, timeout)))
        # SPARQLWrapper sets Accept (and format parameters) from the return format
        w.setReturnFormat(TURTLE if graph else JSON)
        if self.user:
            w.setCredentials(self.user, self.password or "")
        for g in default_graph or []:
            w.addDefaultGraph(g)
        for g in named_graphs or []:
            w.addNamedGraph(g)
        try:
            return w.query().response.read()
        except QueryBadFormed as err:
            raise BackendError(400, f"the SPARQL service rejected the query: {err}") from None
        except (socket.timeout, TimeoutError):
            raise QueryTimeout() from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout() from None
            raise BackendError(502, f"SPARQL service unreachable: {err.reason}") from None
        except SPARQLWrapperException as err:
            raise BackendError(502, f"SPARQL service error: {err}") from None

    def _run_sync(self, query: str, fmt: str, default_graph: list[str] | None,
                  named_graphs: list[str] | None, prefixes: dict[str, str] | None,
                  timeout: float) -> Outcome:
        from endpoint.sparql_text import inspect_query

        form = inspect_query(query).form
        limit = self.limits.max_rows
        if form in ("SELECT", "ASK"):
            body = self._fetch(query, False, default_graph, named_graphs, timeout)
            res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(res, ox.QueryBoolean):
                return Outcome(write_boolean(bool(res), fmt), fmt, False, 1)
            capped = Capped(res, limit)
            data = write_solutions([v.value for v in res.variables], capped, fmt)
            return Outcome(data, fmt, capped.truncated, capped.count)
        body = self._fetch(query, True, default_graph, named_graphs, timeout)
        capped = Capped((q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)), limit)
        data = write_graph(capped, fmt, prefixes)
        return Outcome(data, fmt, capped.truncated, capped.count)

    async def run(self, query: str, fmt: str, default_graph: list[str] | None = None,
                  named_graphs: list[str] | None = None, prefixes: dict[str, str] | None = None,
                  timeout: float | None = None, trusted: bool = True,
                  window: tuple[int, int] | None = None) -> Outcome:
        if window is not None:
            raise ValueError("an external SPARQL service pages with LIMIT/OFFSET (windows = False)")
        if trusted:
            return await self._run(query, fmt, default_graph, named_graphs, prefixes, timeout)
        if self._untrusted is None:
            self._untrusted = asyncio.Semaphore(self._untrusted_slots)
        async with self._untrusted:
            return await self._run(query, fmt, default_graph, named_graphs, prefixes, timeout)

    async def _run(self, query: str, fmt: str, default_graph: list[str] | None,
                   named_graphs: list[str] | None, prefixes: dict[str, str] | None,
                   timeout: float | None) -> Outcome:
        limit = timeout or self.limits.timeout
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._threads, self._run_sync, query, fmt, default_graph,
                                     named_graphs, prefixes, limit),
                limit + 1,
            )
        except (QueryTimeout, asyncio.TimeoutError):
            raise BackendError(503, f"query stopped: it ran past the time limit of {limit:g} s") from None
