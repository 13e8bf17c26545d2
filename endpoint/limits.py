"""Request limits and response headers for every route, in one ASGI middleware:

- URL longer than ``max_url_bytes`` -> 414; a URL whose percent-decoding is not UTF-8 -> 400;
- a parameter longer than ``max_param_chars`` on any route but /sparql (canned queries,
  search, pages; /sparql has its own query limits) -> 400, before any handler runs, so no
  normaliser ever sees hostile input of unbounded length;
- a body longer than ``max_body_bytes`` (declared or streamed) -> 413, read no further;
- security headers: nosniff on every response; on HTML a Content-Security-Policy (with
  frame-ancestors), Referrer-Policy and X-Frame-Options.

Limits come from endpoint.config.Settings; messages are short plain text."""

from __future__ import annotations

from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, unquote_to_bytes

from endpoint.config import Settings

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# same-origin only; YASGUI's page has one inline script and inline styles; Vega compiles
# its chart expressions with new Function ('unsafe-eval': without it no chart is drawn)
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
HTML_HEADERS = [(b"content-security-policy", CSP.encode()), (b"referrer-policy", b"same-origin"),
                (b"x-frame-options", b"DENY")]
UNCAPPED_PATHS = ("/sparql",)


class BodyTooLarge(Exception):
    pass


async def plain(send: Send, status: int, message: str) -> None:
    body = (message + "\n").encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


class RequestGuard:
    def __init__(self, app: Callable[..., Awaitable[None]], settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        s = self.settings
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        if len(raw_path) + len(query) > s.max_url_bytes:
            return 414, f"request URL too long (at most {s.max_url_bytes} bytes; POST a long query)"
        if not _utf8(raw_path) or not _utf8(query):
            return 400, "the URL is not valid UTF-8 after percent-decoding"
        if not scope["path"].startswith(UNCAPPED_PATHS):
            for name, value in parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True):
                if len(value) > s.max_param_chars:
                    return 400, f"parameter {name[:40]!r} too long (at most {s.max_param_chars} characters)"
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return 400, "invalid Content-Length"
                if declared > s.max_body_bytes:
                    return 413, f"request body too large (at most {s.max_body_bytes} bytes)"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal:
            await plain(send, *refusal)
            return
        limit = self.settings.max_body_bytes
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return msg

        async def headed_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in msg.get("headers", []) if k.lower() != b"x-content-type-options"]
                headers.append((b"x-content-type-options", b"nosniff"))
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    headers += HTML_HEADERS
                msg = {**msg, "headers": headers}
            await send(msg)

        try:
            await self.app(scope, counted_receive, headed_send)
        except BodyTooLarge:
            if not started:
                await plain(send, 413, f"request body too large (at most {limit} bytes)")
