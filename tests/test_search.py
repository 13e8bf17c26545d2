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
