"""The endpoint application: SPARQL 1.1 Protocol, canned queries, linked-data pages and
data, VoID and the YASGUI query UI, over the embedded store or an external SPARQL store."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from endpoint import browse, canned_routes, linkeddata, middleware, protocol, search
from endpoint.backends import Backend, BackendError, EmbeddedBackend, Limits, RemoteBackend, select
from endpoint.canned import load_canned
from converter.mapping.vocab import PREFIXES
from endpoint.config import VOCAB_ROOT, Settings
from endpoint.limits import RequestGuard

HERE = Path(__file__).parent



def make_backend(settings: Settings) -> Backend:
    limits = Limits(settings.timeout, settings.max_rows)
    if settings.endpoint:
        return RemoteBackend(settings.endpoint, limits, user=settings.endpoint_user,
                             password=settings.endpoint_password)
    if not settings.store:
        raise ValueError("serve needs --store DIR or --endpoint URL")
    if not Path(settings.store).is_dir():
        raise FileNotFoundError(f"{settings.store}: no store here (create one with budgetlod load)")
    return EmbeddedBackend(settings.store, limits, settings.workers,
                           network=bool(settings.service_allow), reserved=settings.reserved_workers)


def create_app(settings: Settings) -> FastAPI:
    backend = make_backend(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await backend.start()
        build = asyncio.create_task(app.state.search.build(backend))  # in the background: serving starts now
        try:
            yield
        finally:
            build.cancel()
            await backend.close()

    app = FastAPI(title="budget-lod endpoint", lifespan=lifespan, docs_url="/api", redoc_url=None)
    app.state.settings = settings
    app.state.backend = backend
    app.add_middleware(RequestGuard, settings=settings)
    app.state.canned = load_canned(settings.queries_dir)
    app.state.search = search.SearchIndex()
    prefixes = dict(PREFIXES)
    if settings.base != VOCAB_ROOT:
        prefixes["data"] = settings.base
    app.state.prefixes = prefixes
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    middleware.install(app)

    @app.exception_handler(BackendError)
    async def backend_error(request: Request, err: BackendError) -> Response:
        # a page, index or search whose query failed: the query's own status and message
        # (503 past the time limit, under load), not a 500 and a traceback
        return PlainTextResponse(str(err) + "\n", status_code=err.status)

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        # each document's graph describes itself (bl:DocumentGraph): an index lookup, where
        # counting the graphs of every quad scans the store
        rows = await select(backend, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a "
                                     "<https://w3id.org/budget-lod/def#DocumentGraph> } }")
        examples = await _examples(request)
        return app.state.templates.TemplateResponse(request, "home.html", {
            "settings": settings, "backend": backend.description,
            "graphs": rows[0]["n"].value if rows else 0, "examples": examples})

    @app.get("/ui", include_in_schema=False)
    async def ui(request: Request) -> Response:
        # queries without parameters first, so the opening tab runs as it stands; the
        # others show their ?param_… variables for the user to replace
        ordered = sorted(app.state.canned.values(), key=lambda cq: (bool(cq.parameters), cq.name))
        examples = [{"title": cq.title, "query": cq.text} for cq in ordered]
        return app.state.templates.TemplateResponse(request, "ui.html", {"settings": settings, "examples": examples})

    app.include_router(protocol.router)
    app.include_router(canned_routes.router)
    app.include_router(search.router)
    app.include_router(browse.router)
    if settings.dumps:
        from endpoint.dumps import dumps_router

        app.include_router(dumps_router(settings.dumps))  # follows the `latest` release
    app.include_router(linkeddata.router)  # last: its catch-all maps any other path to an IRI
    return app


async def _examples(request: Request) -> list[tuple[str, str]]:
    """A few resources of each common kind, to start browsing from the home page (found by
    class: scanning every subject's IRI took 16 s on 165 documents)."""
    return await browse.home_examples(request)
