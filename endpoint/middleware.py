"""HTTP behaviour every route shares: HEAD answered like GET without a body, CORS on
the read-only routes (anyone may query open data from a browser), gzip for large bodies."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """RFC 9110 §9.3.2: HEAD is GET without the content. FastAPI routes declare GET
    only, so HEAD would be 405: run the GET and drop the body, keeping its headers
    (Content-Length included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def install(app: FastAPI) -> None:
    # outermost last: HEAD is turned into GET before CORS and gzip see the request
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type"], expose_headers=["X-Total-Count", "Link"],
                       max_age=86400)
    app.add_middleware(HeadAsGet)
