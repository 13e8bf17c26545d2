"""How canned queries look in a browser: their forms (pre-filled with a working example,
with pickers for the values the store knows: departments, years, document numbers) and
their result tables (Chinese headings with English and units, a totals row where the
amounts add up, CSV/JSON twins, and "did you mean" from the search index when a
department name matches nothing). canned_routes.py runs the queries; this module only
presents them."""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from endpoint import browse
from endpoint.backends import select
from endpoint.describe import labels_for
from endpoint.tables import ADDITIVE_QUERIES, MAX_SIZE, Table, Value, column, literal_value, money
from endpoint.urls import urls

PICKER_TTL = 60.0  # seconds: the store changes only when documents are loaded
NAME_PARAMS = ("department",)  # parameters holding a name the search index can suggest for


async def pickers(request: Request) -> dict[str, Any]:
    """Known values per parameter name, and one consistent example (a department with a
    budget in that year; the document cited by the most projects)."""
    st = request.app.state
    cached = getattr(st, "pickers", None)
    if cached and time.monotonic() - cached[0] < PICKER_TTL:
        return cached[1]
    backend = st.backend
    budgets, labels = await browse.all_budgets(request)
    docs = await select(backend, browse.PREFIXES + """
SELECT ?number (COUNT(DISTINCT ?project) AS ?n) WHERE { GRAPH ?g { ?document a bl:Document ; eli:id_local ?number .
  OPTIONAL { ?project dct:references ?document } } } GROUP BY ?number ORDER BY DESC(?n) ?number""")
    best = max(budgets, key=lambda b: (b.projects, b.year, b.department), default=None)
    values = {
        "department": sorted({labels.get(b.department, "") for b in budgets} - {""}),
        "year": sorted({b.year for b in budgets}, reverse=True),
        "doc": [r["number"].value for r in docs],
    }
    example = {"department": labels.get(best.department, "") if best else "", "year": best.year if best else "",
               "doc": values["doc"][0] if values["doc"] else ""}
    out = {"values": values, "example": example}
    st.pickers = (time.monotonic(), out)
    return out


async def form_context(request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"pickers": await pickers(request)}


def _heading_params(params: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items())


async def results_page(request: Request, cq: Any, name: str, params: dict[str, str], body: bytes,
                       query: str, headers: dict[str, str] | None = None) -> Response:
    """The HTML page of one canned query's results (``body``: SPARQL JSON results)."""
    st = request.app.state
    sols = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    variables = [v.value for v in sols.variables]
    rows = [[s[v] for v in variables] for s in sols]
    iris = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
    labels = await labels_for(st.backend, iris)
    u = urls(request)
    t = Table(name, cq.title, [column(v, name) for v in variables], additive=name in ADDITIVE_QUERIES)
    for row in rows:
        cells: dict[str, Value] = {}
        for v, term in zip(variables, row):
            if term is None:
                cells[v] = Value("")
            elif isinstance(term, ox.NamedNode):
                cells[v] = Value(labels.get(term.value, term.value), u.page(term.value), term.value, labels.get(term.value, term.value))
            else:
                val = literal_value(term)
                cells[v] = Value(money(val) if t.columns[variables.index(v)].money and not isinstance(val, str) else term.value,
                                 value=val)
        t.rows.append(cells)
    # one page of up to MAX_SIZE rows: the canned route takes no paging parameters of its own;
    # the CSV/JSON twins carry every row
    t.paginate(request, size=MAX_SIZE)
    suggestions: list[dict[str, str]] = []
    if not rows:
        suggestions = await did_you_mean(request, params)
    pages = await resource_links(request, params)
    twins = {fmt: "?" + "&".join(f"{k}={_q(v)}" for k, v in params.items()) + ("&" if params else "") + f"format={fmt}"
             for fmt in ("csv", "json")}
    return st.templates.TemplateResponse(request, "results.html", {
        "settings": st.settings, "query": cq, "table": t, "params": params, "sparql": query, "twins": twins,
        "suggestions": suggestions, "pickers": await pickers(request), "pages": pages}, headers=headers)


def _q(v: str) -> str:
    from urllib.parse import quote

    return quote(v, safe="")


async def resource_links(request: Request, params: dict[str, str]) -> list[dict[str, str]]:
    """Pages of the resources the parameters name (the document a number stands for, the
    department a name stands for), so a result table links back to them."""
    index = getattr(request.app.state, "search", None)
    if index is None or not index.ready.is_set() or index.error:
        return []
    out = []
    for p, kind in (("doc", "document"), ("department", "department")):
        if params.get(p, "").strip():
            hits = [h for h in index.search(params[p], limit=5) if h.type == kind]
            if hits and (kind == "document" or hits[0].label == params[p].strip()):
                out.append({"label": hits[0].label, "href": urls(request).page(hits[0].iri)})
    return out


async def did_you_mean(request: Request, params: dict[str, str]) -> list[dict[str, str]]:
    """Departments (and units) the search index finds for a name that matched nothing;
    each suggestion is the same query with that name."""
    index = getattr(request.app.state, "search", None)
    if index is None or not index.ready.is_set() or index.error:
        return []
    out: list[dict[str, str]] = []
    for p in NAME_PARAMS:
        given = params.get(p, "").strip()
        if not given:
            continue
        hits = [h for h in index.search(given, limit=20) if h.type == "department"]
        if not hits and len(given) > 3:  # try a shorter core: drop the city/district prefix characters
            hits = [h for h in index.search(given[-4:], limit=20) if h.type == "department"]
        for h in hits[:5]:
            changed = {**params, p: h.label}
            out.append({"label": h.label, "href": "?" + "&".join(f"{k}={_q(v)}" for k, v in changed.items()) + "&format=html"})
    return out
