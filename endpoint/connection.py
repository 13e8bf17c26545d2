"""A header read timeout for the HTTP server (issue 15, item 4).

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but it has no
limit on how long a client may take to send a request's headers: a connection opened and
left silent, or fed one header byte at a time (slowloris), holds a socket and its buffers
for ever. This is uvicorn's h11 protocol with one more timer:

- armed when a connection opens, and when the first bytes of a next request arrive on a
  kept-alive connection (an idle kept-alive connection stays under uvicorn's own timer,
  which closes it silently as before);
- disarmed as soon as the request's headers are complete (a slow body or a long query is
  not its business: the body size and query time limits are);
- not reset by each byte, so a slowloris client gets the same deadline as a silent one;
- on expiry, while no request is in progress: ``408`` with a short plain-text message,
  then the connection is closed.

h11 is used whatever is installed (uvicorn's "auto" would pick httptools if present), so
the timeout holds in every deployment of ``budgetlod serve``."""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0  # seconds; endpoint.config.Settings.header_timeout
# after a 408, how long the connection's input is still read (and dropped) before the
# close: closing with unread input makes the kernel send a reset, which can destroy the
# 408 before a client still sending has read it (a "lingering close", as Apache does)
LINGER_SECONDS = 2.0


def timeout_response(seconds: float) -> bytes:
    """The whole 408 response, written raw: h11 cannot send a response to a request it
    has not seen."""
    body = f"request headers not received within {seconds:g} s\n".encode()
    head = (b"HTTP/1.1 408 Request Timeout\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"x-content-type-options: nosniff\r\n"
            b"connection: close\r\n\r\n")
    return head + body


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's H11Protocol with a header read timeout (see the module docstring);
    make a subclass with ``header_timeout`` set through :func:`protocol_class`."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None
    _lingering: asyncio.TimerHandle | None = None  # set once the 408 is written

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._lingering is not None:
            return  # after the 408: input is drained, not parsed
        super().data_received(data)
        self._watch_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_headers()  # a pipelined next request may already be half received

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        if self._lingering is not None:
            self._lingering.cancel()
        super().connection_lost(exc)

    def _watch_headers(self) -> None:
        if self.conn.their_state is not h11.IDLE:
            self._disarm_header_timer()  # headers complete: a request is being handled
        elif self.conn.trailing_data[0]:
            self._arm_header_timer()  # part of a next request: its headers are due

    def _arm_header_timer(self) -> None:
        if self._header_timer is None and self.header_timeout > 0:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_timed_out)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_timed_out(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.conn.their_state is not h11.IDLE or self.conn.our_state is not h11.IDLE:
            return  # a request is in progress after all
        if self.client:
            self.logger.info("%s:%d - request headers not received within %g s: 408", *self.client,
                             self.header_timeout)
        self.transport.write(timeout_response(self.header_timeout))
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the client sees the 408 and then the end
            self._lingering = self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()


def protocol_class(header_timeout: float) -> type[HeaderTimeoutProtocol]:
    """The protocol class to give uvicorn as ``http=`` (it builds one per connection)."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": header_timeout})
