"""GET /queries (the list) and GET /queries/<name>?param=… (one canned query's results
as SPARQL JSON, XML, CSV or TSV by Accept, or an HTML table for browsers). Every canned
query pages with ``limit``/``offset``; the answer's full row count is in X-Total-Count."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from endpoint.backends import Backend, BackendError, Outcome
from endpoint.canned import COUNT_VAR, PAGE_MARK, CannedQuery, Page, bind, count_query, paged_query, take_page
from endpoint.conneg import choose
from endpoint.protocol import FORMAT_PARAM, error
from endpoint.results import media_type
from endpoint.sparql_text import QueryRejected

router = APIRouter()
OFFERED = ["json", "xml", "csv", "tsv", "html"]


@router.get("/queries")
async def list_queries(request: Request) -> Response:
    st = request.app.state
    items = [cq.summary() for cq in st.canned.values()]
    if choose(request.headers.get("accept"), ["json", "html"], "json") == "html":
        # --- presentation (endpoint/presentation.py): pickers and pre-filled examples ---
        from endpoint.presentation import form_context

        return st.templates.TemplateResponse(request, "queries.html", {
            "settings": st.settings, "queries": items, **await form_context(request, items)})
    return JSONResponse(items)


@router.get("/queries/{name}")
async def run_canned(request: Request, name: str) -> Response:
    st = request.app.state
    cq = st.canned.get(name)
    if cq is None:
        return error(404, f"no canned query {name!r}; see /queries")
    params = dict(parse_qsl(request.url.query, keep_blank_values=True))
    hint = params.pop("format", None)
    fmt = ("html" if hint == "html" else FORMAT_PARAM.get(hint.lower())) if hint else None
    if fmt not in OFFERED:
        fmt = choose(request.headers.get("accept"), OFFERED, "json")
    if fmt is None:
        return error(406, "canned query results are available as application/sparql-results+json, "
                          "application/sparql-results+xml, text/csv, text/tab-separated-values")
    try:
        page = take_page(params)
        bound = bind(cq, params)
        # one evaluation for the page and its total where the store can cut the page from the
        # whole answer (see endpoint/results.py Window); a # PAGE mark pages inside the query
        window = page.paged and st.backend.windows and not PAGE_MARK.search(bound)
        shown = paged_query(bound, page)  # the query as a client would send it for this page
        query = bound if window else shown
    except QueryRejected as err:
        return error(err.status, str(err))
    try:
        if window:
            size = page.limit if page.limit is not None else st.backend.limits.max_rows
            out = await st.backend.run(query, "json" if fmt == "html" else fmt, window=(page.offset, size))
            total = out.total
        else:
            out = await st.backend.run(query, "json" if fmt == "html" else fmt)
            total = await _total(st.backend, cq, params, page, out)
    except BackendError as err:
        return error(err.status, str(err))
    headers = {"Vary": "Accept"}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    if fmt != "html":
        return Response(out.body, media_type=media_type(fmt), headers=headers)
    # --- presentation (endpoint/presentation.py): the HTML table of the results ---
    from endpoint.presentation import results_page

    return await results_page(request, cq, name, params, out.body, shown, headers=headers)


async def _total(backend: Backend, cq: CannedQuery, params: dict[str, str], page: Page, out: Outcome) -> int | None:
    """The answer's full row count: read off the page when the page holds the answer's
    end, else from the count query (one more evaluation, only for a page of a longer list)."""
    if not out.truncated and (page.limit is None or out.count < page.limit) and (out.count or not page.offset):
        return page.offset + out.count
    query = count_query(cq, params)
    if query is None:
        return None
    counted = await backend.run(query, "json")
    sols = ox.parse_query_results(counted.body, format=ox.QueryResultsFormat.JSON)
    for row in sols:
        return int(row[COUNT_VAR].value)
    return None
