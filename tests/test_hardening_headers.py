"""Header read timeout (issue 15, item 4), over real sockets against `budgetlod serve`:
a client that connects and sends nothing, or sends its headers a byte at a time
(slowloris), gets 408 with a short message and the connection closed after
``--header-timeout`` seconds; a kept-alive connection that is idle between requests, and
a request whose headers are complete but whose body is slow, are not cut by it."""

from __future__ import annotations

import socket
import time

import pytest

from tests.endpoint_support import FIXTURE_QUERIES, Server, fixture_store

TIMEOUT = 1.5  # --header-timeout of the server under test
REQUEST = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: t\r\nAccept: application/sparql-results+json\r\n\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = fixture_store(tmp_path_factory.mktemp("headers") / "oxi")
    srv = Server("--store", str(store), "--queries", str(FIXTURE_QUERIES), "--workers", "1",
                 "--header-timeout", str(TIMEOUT))
    yield srv
    srv.stop()


def _connect(server: Server) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT * 6)
    return s


def _read_until_closed(s: socket.socket) -> bytes:
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    return out


def _read_response(s: socket.socket) -> bytes:
    """One response with a Content-Length (what the endpoint sends for these)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += s.recv(65536)
    return head + b"\r\n\r\n" + body


def test_silent_connection_gets_408_and_is_closed(server):
    with _connect(server) as s:
        started = time.monotonic()
        answer = _read_until_closed(s)  # the server closes: recv returns b""
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"request headers not received within 1.5 s" in answer
    assert b"connection: close" in answer.lower()
    assert TIMEOUT * 0.8 <= waited <= TIMEOUT * 4


def test_slowloris_is_not_kept_alive_by_each_byte(server):
    """One header byte every 0.2 s: the deadline counts from the connection, not from the
    last byte, so the client is cut after the timeout although bytes keep coming."""
    with _connect(server) as s:
        started = time.monotonic()
        s.sendall(b"GET /sparql HTTP/1.1\r\n")
        answer = b""
        s.settimeout(0.2)
        for byte in b"X-Slow: " + b"a" * 200:
            try:
                s.send(bytes([byte]))
            except OSError:  # the server closed the connection
                break
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            answer += chunk
            if not chunk:
                break
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert waited <= TIMEOUT * 4


def test_keep_alive_idle_between_requests_is_not_cut(server):
    """Idle longer than the header timeout (but less than uvicorn's keep-alive, 5 s)
    between two requests on one connection: the second is answered."""
    with _connect(server) as s:
        s.sendall(REQUEST)
        assert _read_response(s).startswith(b"HTTP/1.1 200 ")
        time.sleep(TIMEOUT + 1)
        s.sendall(REQUEST)
        assert _read_response(s).startswith(b"HTTP/1.1 200 ")


def test_next_request_on_a_kept_alive_connection_has_its_own_deadline(server):
    """After a response, the first bytes of a next request arm the timer again."""
    with _connect(server) as s:
        s.sendall(REQUEST)
        assert _read_response(s).startswith(b"HTTP/1.1 200 ")
        s.sendall(b"GET /sparql HTTP/1.1\r\nHost")
        started = time.monotonic()
        answer = _read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started <= TIMEOUT * 4


def test_slow_body_after_complete_headers_is_not_a_header_timeout(server):
    query = b"ASK { ?s ?p ?o }"
    with _connect(server) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/sparql-query\r\n"
                  b"Accept: application/sparql-results+json\r\nContent-Length: " + str(len(query)).encode()
                  + b"\r\n\r\n" + query[:4])
        time.sleep(TIMEOUT + 0.7)
        s.sendall(query[4:])
        answer = _read_response(s)
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    assert b'"boolean"' in answer
