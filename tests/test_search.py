"""Search (DESIGN.md §4) over the bundled samples, loaded with `budgetlod load` and served
by a real `budgetlod serve` on 127.0.0.1: departments by any name form, units, projects by
name or code, regions and document numbers in any written variant, ranked."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from endpoint.search import SearchIndex, normalise
from tests.endpoint_support import ROOT, Server

B = "https://w3id.org/budget-lod/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "oxi"
    load = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(ROOT / "corpus"), "--store", str(store),
                           "--workers", "2", "--no-progress"], capture_output=True, text=True, timeout=600)
    assert load.returncode == 0, load.stderr
    srv = Server("--store", str(store), "--workers", "2")
    yield srv
    srv.stop()


def search(server, q: str) -> list[dict]:
    r = httpx.get(server.url + "/search.json", params={"q": q}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["query"] == q
    for hit in body["results"]:
        assert set(hit) == {"label", "type", "iri", "page"}
    return body["results"]


@pytest.mark.parametrize("written", ["石财外〔2023〕39号", "石财外[2023]39号", "石财外（2023）39 号", "石财外(2023)39号"])
def test_document_number_in_any_written_form(server, written):
    hits = search(server, written)
    assert hits[0]["type"] == "document" and hits[0]["label"] == "石财外〔2023〕39号"
    assert hits[0]["page"] == "/page/" + hits[0]["iri"][len(B):]
    assert httpx.get(server.url + hits[0]["page"], timeout=30).status_code == 200


def test_department_by_short_and_full_name(server):
    short = search(server, "鹿泉区投资促进局")
    full = search(server, "石家庄市鹿泉区投资促进局")
    assert short[0]["type"] == "department" and short[0]["iri"] == full[0]["iri"]


def test_project_by_code_and_by_part_of_its_name(server):
    by_code = search(server, "13019024P00PX8X10050W")
    assert by_code[0]["type"] == "project" and by_code[0]["iri"] == B + "project/13019024P00PX8X10050W"


def test_two_character_query_and_ranking(server):
    hits = search(server, "鹿泉")
    assert hits, "a two-character query scans the keys"
    types = [h["type"] for h in hits]
    assert "department" in types
    exact = search(server, "石家庄市鹿泉区")
    assert exact[0]["type"] == "region" and exact[0]["label"] == "石家庄市鹿泉区"  # exact match ranks first


def test_nothing_found_and_html_page(server):
    assert search(server, "不存在的机构名称") == []
    r = httpx.get(server.url + "/search", params={"q": "投资"}, timeout=30)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert 'href="/page/department/' in r.text
    home = httpx.get(server.url + "/", timeout=30)
    assert 'action="/search"' in home.text  # the search box is in every page header


def test_overlong_query_is_refused(server):
    r = httpx.get(server.url + "/search.json", params={"q": "局" * 201}, timeout=30)
    assert r.status_code == 422


def test_index_ranks_exact_then_prefix_then_substring():
    index = SearchIndex()
    index._add("department", [("urn:a", "财政局", "财政局"), ("urn:b", "财政局机关服务中心", "财政局机关服务中心"),
                              ("urn:c", "市财政局", "市财政局")])
    assert [h.iri for h in index.search("财政局")] == ["urn:a", "urn:b", "urn:c"]
    assert normalise("ＡＢ ｃ") == "abc"


def test_head_cors_gzip_and_json_on_every_route(server):
    """issue 13's protocol polish: HEAD like GET without a body, CORS on reads, gzip,
    Accept: application/json answered (SPARQL JSON for queries, JSON-LD for resources)."""
    for path in ("/", "/search?q=投资", "/sparql?query=ASK%7B%7D", "/queries"):
        get = httpx.get(server.url + path, timeout=30)
        head = httpx.head(server.url + path, timeout=30)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    pre = httpx.options(server.url + "/sparql", headers={"Origin": "https://example.org",
                                                          "Access-Control-Request-Method": "GET"}, timeout=30)
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "*"
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    big = httpx.get(server.url + "/queries", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert big.headers.get("content-encoding") == "gzip"
    doc = search(server, "石财外〔2023〕39号")[0]
    data = httpx.get(server.url + "/" + doc["iri"][len(B):], headers={"Accept": "application/json"},
                     follow_redirects=True, timeout=30)
    assert data.status_code == 200 and "json" in data.headers["content-type"]
    sparql = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                       headers={"Accept": "application/json"}, timeout=30)
    assert sparql.status_code == 200 and "results" in sparql.json()
