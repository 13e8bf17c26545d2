"""SERVICE (SSRF) hardening, issue 15 item 1: queries that a hand-written lexer read
differently from Oxigraph (a comment ended by a lone CR; SERVICE glued to a prefixed name)
made the server call any host and port. Every test here has a real listener on 127.0.0.1
that a refused query must never reach."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from endpoint.federation import FAILED, check_services
from endpoint.sparql_text import QueryRejected
from tests.endpoint_support import Server, fixture_store, free_port

PREFIX = "PREFIX bl: <https://w3id.org/budget-lod/def#> PREFIX ex: <http://example.org/> "


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def bypasses(target: str) -> dict[str, str]:
    return {
        "comment ended by a lone CR": PREFIX + f"SELECT * WHERE {{ ?s ?p ?o #x\rSERVICE <{target}> {{ ?a ?b ?c }} }}",
        "SERVICE glued to a prefixed name": PREFIX + f"SELECT * WHERE {{ [ a bl:Project]SERVICE <{target}> {{ ?a ?b ?c }} }}",
        "lower case": f"select * where {{ service <{target}> {{ ?a ?b ?c }} }}",
        "inside FILTER EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{target}> {{ ?a ?b ?c }} }} }}",
        "inside a subquery": f"SELECT * WHERE {{ {{ SELECT ?a WHERE {{ SERVICE SILENT <{target}> {{ ?a ?b ?c }} }} }} }}",
        "codepoint escape": f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?a ?b ?c }} }}",
        "ASK form": f"ASK {{ OPTIONAL {{ SERVICE <{target}> {{ ?a ?b ?c }} }} }}",
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return fixture_store(tmp_path_factory.mktemp("ssrf") / "oxi")


@pytest.fixture()
def evil():
    lst = Listener()
    yield lst
    lst.close()


def test_policy_decides_from_the_parsed_query():
    allowed = frozenset({"http://ok.example/sparql"})
    for name, q in bypasses("http://127.0.0.1:9/").items():
        for allow in (frozenset(), allowed):
            with pytest.raises(QueryRejected) as err:
                check_services(q, allow)
            assert err.value.status == 403, name
            assert "127.0.0.1" not in str(err.value)
    ok = "SELECT * WHERE { SERVICE <http://ok.example/sparql> { ?s ?p ?o } }"
    assert check_services(ok, allowed) is True
    assert check_services("SELECT * WHERE { ?s ?p ?o }", frozenset()) is False
    # an allowed SERVICE does not carry a second, hidden one
    two = ok[:-1] + "#x\rSERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }"
    with pytest.raises(QueryRejected):
        check_services(two, allowed)
    with pytest.raises(QueryRejected):  # a variable endpoint is never allowed
        check_services("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryRejected):  # nothing rdflib can parse, nothing to allow
        check_services("SELECT * WHERE { SERVICE <http://ok.example/sparql> { ?s ?p ", allowed)


def test_bypasses_never_reach_a_listener(store, evil):
    srv = Server("--store", str(store), "--timeout", "5", "--workers", "1")
    try:
        closed = f"http://127.0.0.1:{free_port()}/sparql"
        for name, q in bypasses(evil.url).items():
            r = httpx.post(srv.url + "/sparql", data={"query": q}, timeout=20)
            assert r.status_code == 403, (name, r.status_code, r.text)
            # the refusal is the same whether the target port is open or closed
            r2 = httpx.post(srv.url + "/sparql", data={"query": q.replace(evil.url, closed)}, timeout=20)
            assert (r2.status_code, r2.text) == (r.status_code, r.text), name
        time.sleep(0.5)
        assert evil.connections == []
    finally:
        srv.stop()


def test_allow_list_lets_only_its_targets_through_and_hides_failures(store, evil):
    allowed = Listener()  # accepts and hangs up: the SERVICE call fails
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    srv = Server("--store", str(store), "--timeout", "5", "--workers", "1",
                 "--allow-service", allowed.url, "--allow-service", closed)
    try:
        answers = []
        for target in (allowed.url, closed):
            q = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            r = httpx.post(srv.url + "/sparql", data={"query": q}, timeout=20)
            answers.append((r.status_code, r.text))
        assert answers[0] == answers[1] == (502, FAILED + "\n")  # open or closed: same words
        assert len(allowed.connections) == 1  # the allowed call was really made
        # the workers have network here, so only the parsed-query policy stops these
        for name, q in bypasses(evil.url).items():
            both = q.replace("SELECT * WHERE {", f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?x ?y ?z }}", 1)
            for query in (q, both):
                r = httpx.post(srv.url + "/sparql", data={"query": query}, timeout=20)
                assert r.status_code == 403, (name, r.status_code, r.text)
        time.sleep(0.5)
        assert evil.connections == []
        assert len(allowed.connections) == 1
    finally:
        srv.stop()
        allowed.close()


WORKER_PROBE = r"""
import sys, pyoxigraph as ox
from endpoint.worker import execute, isolate_network
if not isolate_network():
    print("unsupported"); sys.exit(0)
q = "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }"
print(execute(ox.Store(), {"query": q, "format": "json", "max_rows": 10})[0])
"""


def test_query_workers_have_no_network(evil):
    """Second line of defence: without an allow-list the query workers live in an empty
    network namespace, so even a SERVICE the policy missed cannot leave the process."""
    out = subprocess.run([sys.executable, "-c", WORKER_PROBE % evil.url], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    if out.stdout.strip() == "unsupported":
        pytest.skip("this kernel refuses unshare(CLONE_NEWNET) to this user")
    assert out.stdout.strip() == "error"
    time.sleep(0.5)
    assert evil.connections == []
