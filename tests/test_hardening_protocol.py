"""Limits and protocol details (issue 15 items 3, 4 and 7), through a real server:
body size 413, URL length 414 (not a reset), parameter length 400, invalid UTF-8 400,
invalid default-graph-uri 400 (was 500), a 10,000-deep query refused before it reaches a
worker (it crashed one), security headers, UTF-16 text input; canned queries answered
while hostile /sparql queries hold every worker, and a query whose client went away
stops at once."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.endpoint_support import FIXTURE_QUERIES, Server, fixture_store

ROOT = Path(__file__).resolve().parents[1]
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = fixture_store(tmp_path_factory.mktemp("proto") / "oxi")
    srv = Server("--store", str(store), "--queries", str(FIXTURE_QUERIES), "--workers", "2", "--timeout", "4")
    yield srv
    srv.stop()


def test_body_too_large_is_413_and_not_read(server):
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (2 * 1024 * 1024)
    r = httpx.post(server.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 413 and "too large" in r.text

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(64):
            yield b"#" + b"y" * 65535

    r = httpx.post(server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 413


def test_long_url_is_414_not_a_reset(server):
    r = httpx.get(server.url + "/sparql", params={"query": COUNT_ALL + " #" + "x" * 20_000}, timeout=30)
    assert r.status_code == 414 and "POST" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_long_parameter_is_400(server):
    r = httpx.get(server.url + "/queries/funding-recipients", params={"doc": "石" * 500}, timeout=30)
    assert r.status_code == 400 and "too long" in r.text


def test_invalid_utf8_is_400(server):
    r = httpx.get(server.url + "/sparql?query=SELECT%20%FF%FE", timeout=30)
    assert r.status_code == 400 and "UTF-8" in r.text
    r = httpx.post(server.url + "/sparql", content=b"SELECT * WHERE { ?s ?p \xff\xfe }",
                   headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 400 and "UTF-8" in r.text
    r = httpx.post(server.url + "/sparql", content=b"query=SELECT%20%FF", timeout=30,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


def test_invalid_default_graph_uri_is_400(server):
    for name in ("default-graph-uri", "named-graph-uri"):
        r = httpx.get(server.url + "/sparql", params={"query": COUNT_ALL, name: "not an iri"}, timeout=30)
        assert r.status_code == 400 and "IRI" in r.text, (name, r.status_code, r.text)


def test_deep_nesting_refused_before_a_worker_sees_it(server):
    before = server.children()
    deep = "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000
    r = httpx.post(server.url + "/sparql", content=deep.encode(), timeout=30,
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "nested too deeply" in r.text
    assert server.children() == before  # no worker died and was replaced
    fine = "SELECT * WHERE " + "{ " * 20 + "?s ?p ?o" + " }" * 20 + " LIMIT 1"
    assert httpx.post(server.url + "/sparql", content=fine.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-query"}).status_code == 200


def test_security_headers(server):
    page = httpx.get(server.url + "/", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    err = httpx.get(server.url + "/queries/no-such-query", timeout=30)
    assert err.status_code == 404 and err.headers["x-content-type-options"] == "nosniff"


def _canned(url: str) -> float:
    t0 = time.monotonic()
    r = httpx.get(url + "/queries/funding-recipients", params={"doc": "石财外〔2023〕39号"},
                  headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200
    return time.monotonic() - t0


def test_canned_queries_answer_while_hostile_queries_run(server):
    """Eight cartesian-product queries at once (more than the workers): canned queries and
    pages still answer, from the reserved worker."""
    statuses: list[int] = []

    def attack() -> None:
        statuses.append(httpx.get(server.url + "/sparql", params={"query": HOSTILE}, timeout=120).status_code)

    attackers = [threading.Thread(target=attack) for _ in range(8)]
    for t in attackers:
        t.start()
    time.sleep(1.0)
    latencies = [_canned(server.url) for _ in range(15)]
    page = httpx.get(server.url + "/", timeout=60)
    assert page.status_code == 200
    latencies.sort()
    # the target: p99 <= 1 s. The reserved worker runs at the server's CPU priority and the
    # general ones (the hostile queries') at nice 10 (endpoint/pool.py), so even on 2 shared
    # cores it is answered in tens of ms (bench/reliability.py); without reserved capacity
    # they wait out the 4 s time limit
    assert latencies[-1] <= 1.0, latencies
    for t in attackers:
        t.join(150)
    assert statuses.count(503) >= 1  # they did run into the time limit meanwhile


def test_pages_whose_queries_run_past_the_limit_are_503_not_500(tmp_path):
    """Under hostile load a page's own query can run past the time limit: the page must say
    so (503, the limit's message), not fail with a 500 and a traceback (and a reset for the
    next request on that connection), as the reliability bench found."""
    store = fixture_store(tmp_path / "oxi")
    srv = Server("--store", str(store), "--workers", "1", "--timeout", "0.0001")
    try:
        dept = "/page/department/%E6%89%BF%E5%BE%B7%E9%AB%98%E6%96%B0%E5%8C%BA%E7%8E%AF%E5%A2%83%E4%BF%9D%E6%8A%A4%E5%B1%80"
        for path in ("/", dept, "/departments"):
            r = httpx.get(srv.url + path, headers={"Accept": "text/html"}, timeout=60)
            assert r.status_code == 503 and "time limit" in r.text, (path, r.status_code, r.text[:200])
            assert r.headers["content-type"].startswith("text/plain")
        # search has its own page for it
        assert httpx.get(srv.url + "/search?q=环境", timeout=60).status_code == 503
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory):
    store = fixture_store(tmp_path_factory.mktemp("patient") / "oxi")
    srv = Server("--store", str(store), "--workers", "1", "--timeout", "60")
    yield srv
    srv.stop()


def test_disconnected_client_frees_its_worker(patient_server):
    """A client that goes away mid-query: its worker is killed and replaced at once, not
    after the 60 s time limit."""
    server = patient_server
    before = server.children()
    body = f"query={HOSTILE}".encode()
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        time.sleep(1.5)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(server.children() - before) == 0:
        time.sleep(0.2)
    after = server.children()
    assert len(before - after) == 1 and len(after - before) == 1
    with ThreadPoolExecutor(3) as ex:
        codes = list(ex.map(lambda _: httpx.get(server.url + "/sparql", params={"query": COUNT_ALL}).status_code,
                            range(3)))
    assert codes == [200] * 3


def test_utf16_text_with_bom_reads_like_utf8(tmp_path):
    from converter.pipeline import extract
    from converter.records.jsonify import to_data

    src = (ROOT / "corpus" / "000_4b57f9589128d5bb.txt").read_text(encoding="utf-8")
    utf8 = tmp_path / "a.txt"
    utf8.write_text(src, encoding="utf-8")
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        p = tmp_path / f"{enc}.txt"
        bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(enc, "")
        p.write_bytes((bom + src).encode(enc))
        a, b = to_data(extract(utf8).disclosure), to_data(extract(p).disclosure)
        for d in (a, b):
            for key in ("sha256", "source_file", "sourceFile"):
                d.pop(key, None)
        assert a == b, enc
