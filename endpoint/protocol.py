"""SPARQL 1.1 Protocol at /sparql: query via GET, POST form or POST sparql-query body;
results by Accept; dataset from default-graph-uri / named-graph-uri; read-only (updates
are refused with 403); a service description when there is no query."""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from endpoint import federation
from endpoint.backends import BackendError
from endpoint.config import Settings
from endpoint.conneg import choose
from endpoint.results import GRAPH_TYPES, RESULT_TYPES, media_type
from endpoint.sparql_text import QueryInfo, QueryRejected, inspect_query

T = TypeVar("T")

router = APIRouter()

SELECT_FORMATS = list(RESULT_TYPES)  # json first: the default
GRAPH_FORMATS = list(GRAPH_TYPES)  # turtle first
# the `format`/`output` parameter some clients (SPARQLWrapper, curl users) send
FORMAT_PARAM = {
    "json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "ttl": "ttl",
    "n3": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
    "jsonld": "jsonld", "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml",
}


def error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def pick_format(form: str, accept: str | None, hint: str | None) -> str | None:
    offered = SELECT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS
    if hint:
        key = FORMAT_PARAM.get(hint.lower())
        if key in offered:
            return key
        if key in SELECT_FORMATS and form not in ("SELECT", "ASK"):
            return offered[0]  # format=json for a CONSTRUCT: Turtle rather than an error
        if key in GRAPH_FORMATS and form in ("SELECT", "ASK"):
            return "json" if key == "jsonld" else "xml" if key == "rdfxml" else offered[0]
    return choose(accept, offered, offered[0])


class ClientGone(Exception):
    """The client closed the connection before its answer was ready."""


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """``work``'s result, or ClientGone as soon as the client disconnects: the work is then
    cancelled, which kills a query worker mid-query (endpoint/pool.py) and frees it."""
    task = asyncio.ensure_future(work)

    async def gone() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watch = asyncio.ensure_future(gone())
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not watch.done():
            watch.cancel()
    if task.done():
        return task.result()
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, Exception):
        pass
    raise ClientGone()


def police(query: str, settings: Settings, graphs: list[str]) -> tuple[QueryInfo, bool]:
    """Everything decided about a query before it runs (CPU work: called in a thread).
    Returns its form and nesting, and whether it calls an allow-listed SERVICE."""
    if len(query) > settings.max_query_chars:
        raise QueryRejected(f"query too long ({len(query)} characters; at most {settings.max_query_chars})", 413)
    for iri in graphs:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise QueryRejected(f"default-graph-uri/named-graph-uri: not an absolute IRI: {iri[:200]!r}") from None
    info = inspect_query(query, settings.max_query_depth)
    return info, federation.check_services(query, settings.service_allow)


async def run_query(request: Request, query: str, accept: str | None, hint: str | None = None,
                    default_graph: list[str] | None = None,
                    named_graphs: list[str] | None = None) -> Response:
    app = request.app.state
    try:
        info, calls_service = await run_in_threadpool(
            police, query, app.settings, (default_graph or []) + (named_graphs or []))
    except QueryRejected as err:
        return error(err.status, str(err))
    fmt = pick_format(info.form, accept, hint)
    if fmt is None:
        offered = SELECT_FORMATS if info.form in ("SELECT", "ASK") else GRAPH_FORMATS
        types = ", ".join((RESULT_TYPES.get(k) or GRAPH_TYPES[k]) for k in offered)
        return error(406, f"cannot produce any type in Accept for a {info.form} query; offered: {types}")
    try:
        out = await unless_disconnected(request, app.backend.run(
            query, fmt, default_graph or None, named_graphs or None, prefixes=app.prefixes, trusted=False))
    except ClientGone:
        return error(499, "client closed the request")  # nobody reads it; logs show why
    except BackendError as err:
        if calls_service and err.status not in (400, 503):
            # what went wrong talking to the target (refused, reset, DNS) stays here
            return error(502, federation.FAILED)
        return error(err.status, str(err))
    headers = {"Vary": "Accept", "X-Result-Count": str(out.count)}
    if out.truncated:
        # Virtuoso's header for the same situation; the body holds the first max_rows rows
        headers["X-SPARQL-MaxRows"] = str(app.backend.limits.max_rows)
    return Response(out.body, media_type=media_type(fmt), headers=headers)


def _params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


async def _dispatch(request: Request, params: dict[str, list[str]], body_query: str | None) -> Response:
    if "update" in params:
        return error(403, "SPARQL Update is not allowed: this endpoint is read-only")
    queries = params.get("query", [])
    if body_query is not None:
        queries = [body_query]
    if len(queries) > 1:
        return error(400, "more than one query parameter")
    if not queries:
        return await service_description(request)
    hint = (params.get("format") or params.get("output") or [None])[0]
    return await run_query(request, queries[0], request.headers.get("accept"), hint,
                           params.get("default-graph-uri"), params.get("named-graph-uri"))


@router.get("/sparql")
async def sparql_get(request: Request) -> Response:
    return await _dispatch(request, _params(parse_qsl(request.url.query, keep_blank_values=True)), None)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    url_params = _params(parse_qsl(request.url.query, keep_blank_values=True))
    if ctype == "application/sparql-update":
        return error(403, "SPARQL Update is not allowed: this endpoint is read-only")
    if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        return error(415, "POST needs Content-Type application/sparql-query or "
                          "application/x-www-form-urlencoded")
    body = await request.body()  # its size is capped by endpoint/limits.py
    try:
        text = body.decode("utf-8")  # invalid bytes are an error, never silently replaced
        form = parse_qsl(text, keep_blank_values=True, errors="strict") if ctype != "application/sparql-query" else []
    except UnicodeDecodeError:
        return error(400, "request body is not valid UTF-8")
    if ctype == "application/sparql-query":
        return await _dispatch(request, url_params, text)
    params = _params(form)
    for k, v in url_params.items():
        params.setdefault(k, v)
    return await _dispatch(request, params, None)


SD_TEMPLATE = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix formats: <http://www.w3.org/ns/formats/> .

<{endpoint}#service> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    dct:title "{title}" ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
        formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV,
        formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML ;
    sd:defaultDataset <{origin}/.well-known/void#dataset> .

<{origin}/.well-known/void#dataset> a sd:Dataset, void:Dataset ;
    sd:defaultGraph [ a sd:Graph ; dct:description "the union of all named graphs" ] .
"""


async def service_description(request: Request) -> Response:
    origin = str(request.base_url).rstrip("/")
    ttl = SD_TEMPLATE.format(endpoint=origin + "/sparql", origin=origin,
                             title=request.app.state.settings.title.replace('"', "'"))
    fmt = choose(request.headers.get("accept"), GRAPH_FORMATS + ["html"], "ttl")
    if fmt == "html":
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/ui", status_code=303)
    if fmt is None:
        return error(406, "the service description is available as Turtle, N-Triples, JSON-LD, RDF/XML")
    import pyoxigraph as ox

    if fmt == "ttl":
        return Response(ttl.encode(), media_type=media_type("ttl"))
    quads = ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE)
    from endpoint.results import write_graph

    return Response(write_graph((q.triple for q in quads), fmt), media_type=media_type(fmt))
