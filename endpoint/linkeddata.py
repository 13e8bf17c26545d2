"""Linked data: every IRI under the served namespaces dereferences.

Scheme (one for all resources; ``{path}`` is the IRI minus the namespace, e.g.
``department/…``, ``document/石财外/2023/39``, ``def``):
  /{path}                  the resource itself: 303 See Other to /page/{path} (browsers,
                           Accept text/html) or /data/{path}.{ext} (RDF by Accept)
  /{path}.ttl|.nt|.jsonld|.rdf   suffix form of the same: 303 to /data/{path}.{ext}
  /page/{path}             HTML about it (labels, every property, links both ways)
  /data/{path}             RDF about it, by Accept (Vary: Accept)
  /data/{path}.{ext}       RDF about it in one format
Hash IRIs (ontology terms …/def#Term) are served by their document, /page/def#Term.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote, unquote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from endpoint.backends import BackendError, select
from endpoint.conneg import choose
from endpoint.describe import resource_triples
from endpoint.results import media_type, write_graph
from endpoint.urls import DATA, PAGE, urls

router = APIRouter()

SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "rdfxml"}
EXT = {v: k for k, v in SUFFIXES.items()}
RDF_KEYS = ["ttl", "jsonld", "nt", "rdfxml"]
_PCT = re.compile(r"%[0-9a-fA-F]{2}")


def raw_path(request: Request, strip: str = "") -> str:
    """The request path as it was sent (percent-encoding kept, since minted IRIs are
    percent-encoded), with any raw non-ASCII encoded the way the minter encodes it."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    text = raw.decode("utf-8", errors="replace").split("?", 1)[0]
    text = quote(text, safe="/%-._~!$&'()*+,;=:@")
    text = _PCT.sub(lambda m: m.group().upper(), text)
    if strip and text.startswith(strip):
        text = text[len(strip):]
    return text.lstrip("/")


def candidates(request: Request, path: str) -> list[str]:
    return urls(request).candidates(path)


async def _exists(request: Request, iri: str) -> bool:
    try:
        node = str(ox.NamedNode(iri))
    except ValueError:
        return False
    rows = await select(request.app.state.backend,
                        f"SELECT (1 AS ?x) WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} "
                        f"UNION {{ GRAPH {node} {{ ?s ?p ?o }} }} }} LIMIT 1")
    return bool(rows)


async def resolve(request: Request, path: str) -> str | None:
    for iri in candidates(request, path):
        if await _exists(request, iri):
            return iri
    return None


def not_found(request: Request, path: str) -> Response:
    iris = ", ".join(candidates(request, path))
    if choose(request.headers.get("accept"), ["html", "ttl"], "ttl") == "html":
        return request.app.state.templates.TemplateResponse(
            request, "notfound.html", {"iris": iris, "settings": request.app.state.settings},
            status_code=404)
    return PlainTextResponse(f"no resource {iris} in this dataset\n", status_code=404)


@router.get(PAGE + "{rest:path}")
async def page(request: Request, rest: str) -> Response:
    path = raw_path(request, PAGE)
    iri = await resolve(request, path)
    if iri is None:
        return not_found(request, path)
    from endpoint.pages import render_resource

    return await render_resource(request, iri)


@router.get(DATA + "{rest:path}")
async def data(request: Request, rest: str) -> Response:
    path = raw_path(request, DATA)
    fmt = None
    for suffix, key in SUFFIXES.items():
        if path.endswith(suffix):
            path, fmt = path[: -len(suffix)], key
            break
    if fmt is None:
        fmt = choose(request.headers.get("accept"), RDF_KEYS, "ttl")
        if fmt is None:
            return PlainTextResponse("available as text/turtle, application/ld+json, "
                                     "application/n-triples, application/rdf+xml\n", status_code=406)
    iri = await resolve(request, path)
    if iri is None:
        return not_found(request, path)
    triples = await resource_triples(request.app.state.backend, iri)
    body = write_graph(triples, fmt, request.app.state.prefixes)
    return Response(body, media_type=media_type(fmt),
                    headers={"Vary": "Accept", "Link": f'<{iri}>; rel="describedby"'})


_void_cache: dict[str, tuple[float, bytes]] = {}


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    fmt = choose(request.headers.get("accept"), RDF_KEYS + ["html"], "ttl")
    if fmt == "html":
        fmt = "ttl"  # VoID is for machines; browsers get readable Turtle
    if fmt is None:
        return PlainTextResponse("VoID is available as Turtle, JSON-LD, N-Triples, RDF/XML\n", status_code=406)
    origin = str(request.base_url).rstrip("/")
    cached = _void_cache.get(origin)
    if cached is None or time.monotonic() - cached[0] > 60:
        ttl = await void_turtle(request, origin)
        _void_cache[origin] = (time.monotonic(), ttl)
    else:
        ttl = cached[1]
    if fmt == "ttl":
        return Response(ttl, media_type=media_type("ttl"))
    triples = [q.triple for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]
    return Response(write_graph(triples, fmt, request.app.state.prefixes), media_type=media_type(fmt))


async def void_turtle(request: Request, origin: str) -> bytes:
    """The dataset's VoID description: size, namespace, endpoint, one subset per named
    graph with its triple count and source, and example resources."""
    st = request.app.state
    backend, settings = st.backend, st.settings
    graphs = await select(backend, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    total = sum(int(r["n"].value) for r in graphs)
    ds = f"<{origin}/.well-known/void#dataset>"
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"{ds} a void:Dataset ;",
        f"    dct:title {ox.Literal(settings.title)} ;",
        f"    dct:description {ox.Literal('Chinese government budget disclosures (部门预算信息公开) as linked open data', language='en')} ;",
        f"    void:sparqlEndpoint <{origin}/sparql> ;",
        f"    void:uriSpace {ox.Literal(settings.base)} ;",
        f"    void:uriLookupEndpoint <{origin}/data/> ;",
        "    void:feature <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, "
        "<http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML> ;",
        "    void:vocabulary <http://www.w3.org/ns/org#>, <http://purl.org/linked-data/cube#>, "
        "<http://www.w3.org/2004/02/skos/core#>, <http://data.europa.eu/eli/ontology#>, "
        "<http://www.w3.org/ns/prov#>, <http://purl.org/dc/terms/> ;",
        f"    foaf:homepage <{origin}/> ;",
        f'    void:triples "{total}"^^xsd:integer ;',
        f'    void:documents "{len(graphs)}"^^xsd:integer ;',
    ]
    for r in graphs[:5000]:
        lines.append(f"    void:subset <{origin}/.well-known/void#graph-{quote(r['g'].value, safe='')}> ;")
    lines[-1] = lines[-1][:-2] + " ."
    for r in graphs[:5000]:
        g = r["g"].value
        lines.append(f"<{origin}/.well-known/void#graph-{quote(g, safe='')}> a void:Dataset ; "
                     f"dct:source <{g}> ; void:triples \"{r['n'].value}\"^^xsd:integer .")
    if settings.dumps:
        from endpoint.dumps import void_dump_triples

        lines += void_dump_triples(settings.dumps, f"{origin}/.well-known/void#dataset", origin)
    return ("\n".join(lines) + "\n").encode("utf-8")


@router.get("/{rest:path}")
async def resource(request: Request, rest: str) -> Response:
    """A resource IRI (or its suffix form): 303 to its page or its data."""
    path = raw_path(request)
    if not path:
        return RedirectResponse("/", status_code=303)
    fmt = None
    for suffix, key in SUFFIXES.items():
        if path.endswith(suffix):
            path, fmt = path[: -len(suffix)], key
            break
    try:
        iri = await resolve(request, path)
    except BackendError as err:
        return PlainTextResponse(str(err) + "\n", status_code=err.status)
    if iri is None:
        return not_found(request, unquote(path))
    if fmt is None:
        fmt = choose(request.headers.get("accept"), ["html"] + RDF_KEYS, "html")
        if fmt is None:
            return PlainTextResponse("available as text/html, text/turtle, application/ld+json, "
                                     "application/n-triples, application/rdf+xml\n", status_code=406)
    target = PAGE + path if fmt == "html" else DATA + path + EXT[fmt]
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
