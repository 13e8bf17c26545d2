"""Linked data, VoID, canned queries and the query UI of `budgetlod serve`, through a
real uvicorn server over the fixture store (TEST DATA)."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import httpx
import pytest
import rdflib
import rdflib.compare

from tests.endpoint_support import FIXTURE_QUERIES, Server, fixture_store

B = "https://w3id.org/budget-lod/"
DOC_PATH = f"document/{quote('石财外')}/2023/39"
DEPT_PATH = f"department/{quote('鹿泉区投资促进局')}"
PROJECT_PATH = "project/13019024P00PX8X10050W"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = fixture_store(tmp_path_factory.mktemp("store") / "oxi")
    srv = Server("--store", str(store), "--queries", str(FIXTURE_QUERIES), "--workers", "2")
    yield srv
    srv.stop()


def get(server, path, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server.url + path, headers=headers, params=params or None)


@pytest.mark.parametrize("accept,target", [
    ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "/page/"),
    ("text/turtle", "/data/"),
    ("application/ld+json", "/data/"),
    ("application/n-triples", "/data/"),
])
def test_resource_iri_redirects_by_accept(server, accept, target):
    r = get(server, "/" + PROJECT_PATH, accept)
    assert r.status_code == 303 and "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    assert r.headers["location"].startswith(target + PROJECT_PATH)


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".jsonld", "json-ld"), (".nt", "nt"), (".rdf", "xml")])
def test_data_by_suffix(server, suffix, fmt):
    r = get(server, "/" + PROJECT_PATH + suffix)
    assert r.status_code == 303 and r.headers["location"] == f"/data/{PROJECT_PATH}{suffix}"
    r = httpx.get(server.url + r.headers["location"])
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    assert (rdflib.URIRef(B + PROJECT_PATH), rdflib.URIRef(B + "def#fundedBy"), rdflib.URIRef(B + DOC_PATH)) in g


def test_data_by_conneg_and_both_directions(server):
    r = get(server, "/data/" + DOC_PATH, "application/n-triples")
    assert r.headers["content-type"].startswith("application/n-triples")
    g = rdflib.Graph().parse(data=r.content, format="nt")
    doc = rdflib.URIRef(B + DOC_PATH)
    assert len(list(g.subjects(rdflib.URIRef(B + "def#fundedBy"), doc))) == 2  # incoming links
    assert (doc, rdflib.URIRef("http://data.europa.eu/eli/ontology#id_local"), None) in g


def test_named_graph_dereferences_to_its_content(server):
    r = get(server, "/data/graph/fixture002.nt")
    g = rdflib.Graph().parse(data=r.content, format="nt")
    assert len(g) == 18


def test_unknown_resource_404(server):
    assert get(server, "/project/NOPE", "text/turtle").status_code == 404
    r = get(server, "/page/project/NOPE", "text/html")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_raw_unicode_path_maps_to_percent_encoded_iri(server):
    r = httpx.get(server.url + "/page/department/鹿泉区投资促进局")
    assert r.status_code == 200 and "鹿泉区投资促进局" in r.text


def test_funding_document_page_lists_recipients_with_amounts(server):
    r = get(server, "/page/" + DOC_PATH, "text/html")
    assert r.status_code == 200
    html = r.text
    assert "石财外〔2023〕39号" in html
    for text in ("石家庄高新技术产业开发区投资服务局", "鹿泉区投资促进局", "13019024P00PX8X10050W", "600", "120.25"):
        assert text in html
    assert 'id="panel-funding-recipients"' in html
    assert f'href="/page/{PROJECT_PATH}"' in html  # incoming link back to the project


def test_department_page_has_units_and_incoming_projects(server):
    html = get(server, "/page/" + DEPT_PATH, "text/html").text
    assert "<h1 id=\"label\">鹿泉区投资促进局</h1>" in html
    assert "石家庄市鹿泉区投资促进局" in html  # altLabel
    assert "投资促进活动经费" in html  # a project pointing at the department
    assert 'id="answer"' in html  # the department view (the fixture has no budget, so no tables)


def test_void(server):
    r = get(server, "/.well-known/void", "text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(server.url + "/.well-known/void#dataset")
    assert (ds, void.sparqlEndpoint, rdflib.URIRef(server.url + "/sparql")) in g
    assert int(g.value(ds, void.triples)) == 64
    assert len(list(g.objects(ds, void.subset))) == 3
    assert get(server, "/.well-known/void", "application/ld+json").status_code == 200


def test_query_ui_is_vendored(server):
    html = get(server, "/ui", "text/html").text
    assert "/static/yasgui/yasgui.min.js" in html and "cdn" not in html.lower()
    assert "TEST FIXTURE" in html and "param_doc" in html  # canned queries as examples
    r = get(server, "/static/yasgui/yasgui.min.js")
    assert r.status_code == 200 and len(r.content) > 100_000


def test_canned_list(server):
    items = get(server, "/queries").json()
    fr = next(i for i in items if i["name"] == "funding-recipients")
    assert fr["parameters"] == ["doc"] and fr["title"] and fr["description"]
    assert "<form" in get(server, "/queries", "text/html").text


@pytest.mark.parametrize("variant", ["石财外[2023]39号", "石财外〔2023〕39号", "石财外（2023）39 号", "石财外 [2023] 39号"])
def test_canned_doc_variants(server, variant):
    r = get(server, "/queries/funding-recipients", "text/csv", doc=variant)
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert {(row["departmentName"], row["projectCode"], row["amount"]) for row in rows} == {
        ("石家庄高新技术产业开发区投资服务局", "13019024P00PX8X10050W", "600"),
        ("鹿泉区投资促进局", "13011024P00AB1C10001W", "120.25"),
    }


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_canned_formats(server, accept):
    r = get(server, "/queries/department-units", accept, department="石家庄市鹿泉区投资促进局")
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert "鹿泉区投资促进局机关" in r.text


@pytest.mark.parametrize("hostile", [
    '鹿泉区投资促进局" ) } UNION { ?unit ?p ?unitName } #',
    "鹿泉区投资促进局' } UNION { ?unit ?p ?unitName",
    '"} UNION {',
    "鹿泉区投资促进局\n} UNION { ?unit ?p ?unitName }",
    "{ ?unit ?p ?unitName }",
    '\\" } UNION { ?unit ?p ?unitName } #',
])
def test_canned_injection_attempts_stay_literals(server, hostile):
    r = get(server, "/queries/department-units", "application/sparql-results+json", department=hostile)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []


def test_canned_parameter_errors(server):
    assert get(server, "/queries/department-units").status_code == 400
    assert get(server, "/queries/department-units", department="x", dept="y").status_code == 400
    r = get(server, "/queries/funding-recipients", doc="not a number")
    assert r.status_code == 400 and "document number" in r.text
    assert get(server, "/queries/no-such-query").status_code == 404


def test_canned_html_table(server):
    r = get(server, "/queries/funding-recipients", "text/html", doc="石财外[2023]39号")
    assert "<table" in r.text and "鹿泉区投资促进局" in r.text


def test_jsonld_carries_its_context_and_means_what_turtle_says(server):
    r = httpx.get(f"{server.url}/data/{PROJECT_PATH}.jsonld")
    doc = r.json()
    assert set(doc) == {"@context", "@graph"} and doc["@context"]["bl"] == B + "def#"
    # keys written as compact IRIs of that context, datatypes too
    keys = {k for node in doc["@graph"] for k in node}
    assert "bl:fundedBy" in keys and not any(k.startswith(B + "def#") for k in keys)
    as_jsonld = rdflib.Graph().parse(data=r.content, format="json-ld")
    as_turtle = rdflib.Graph().parse(data=httpx.get(f"{server.url}/data/{PROJECT_PATH}.ttl").content, format="turtle")
    assert rdflib.compare.isomorphic(as_jsonld, as_turtle) and len(as_turtle) > 5
