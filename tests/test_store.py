"""The embedded store and `budgetlod load`: atomic, idempotent replacement of a document's
named graph; failing documents leave the store untouched; bulk loading for large batches;
each triple stored once (the default graph is the union of the graphs, at query time), and
a store in the layout before that (a stored merged default graph) migrated or refused."""

from __future__ import annotations

import pyoxigraph as ox

from converter.store.embedded import (layout_problem, migrate_layout, named_graphs, open_store, replace_graph,
                                      replace_graphs)
from converter.store.generation import generation_stamp
from converter.store.loading import store_prepared
from converter.pipeline import Prepared
from tests.endpoint_support import FIXTURE_NQ

G = "https://w3id.org/budget-lod/graph/t1"
NQ_V1 = (f'<urn:a> <urn:p> "one"@zh <{G}> .\n'
         f'<urn:a> <urn:amount> "600.00"^^<http://www.w3.org/2001/XMLSchema#decimal> <{G}> .\n')
NQ_V2 = f'<urn:a> <urn:p> "two"@zh <{G}> .\n'


def quads(store: ox.Store, g: str = G) -> set[str]:
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))}


def named_count(store: ox.Store) -> int:
    return sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))


def default_graph(store: ox.Store) -> set[str]:
    """What is stored in the default graph: nothing, in the current layout."""
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def union(store: ox.Store) -> list[str]:
    """The default graph as queries see it: the union of the named graphs (a multiset)."""
    return sorted(f"{r['s']} {r['p']} {r['o']}" for r in
                  store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True))


def doc(path: str, graph: str, nquads: str, ok: bool = True, message: str = "") -> Prepared:
    return Prepared(path, ok, message, graph, nquads, nquads.count("\n"))


def test_replace_is_idempotent_and_replaces(tmp_path):
    store = open_store(tmp_path / "s")
    replace_graph(store, G, NQ_V1)
    first = quads(store)
    replace_graph(store, G, NQ_V1)
    assert quads(store) == first and len(first) == 2
    replace_graph(store, G, NQ_V2)
    assert quads(store) == {'<urn:a> <urn:p> "two"@zh'}


def test_replace_keeps_other_graphs(tmp_path):
    store = open_store(tmp_path / "s")
    counts = replace_graphs(store, FIXTURE_NQ.read_text(encoding="utf-8"))
    before = named_count(store)
    replace_graph(store, G, NQ_V1)
    assert named_count(store) == before + 2 and sum(counts.values()) == before


def test_each_triple_is_stored_once_and_the_union_is_the_default_graph(tmp_path):
    """A triple stated by two documents is stored in each of their graphs and nowhere
    else; queries see it in the union once per graph stating it, until both drop it."""
    store = open_store(tmp_path / "s")
    g2 = G + "-other"
    replace_graph(store, G, NQ_V1)
    replace_graph(store, g2, NQ_V1.replace(f"<{G}>", f"<{g2}>"))
    assert named_count(store) == 4 and default_graph(store) == set() and len(union(store)) == 4
    replace_graph(store, G, NQ_V2)
    assert default_graph(store) == set()
    assert union(store) == sorted(quads(store, g2) | {'<urn:a> <urn:p> "two"@zh'})
    replace_graph(store, g2, NQ_V2.replace(f"<{G}>", f"<{g2}>"))
    assert union(store) == ['<urn:a> <urn:p> "two"@zh'] * 2
    assert sum(1 for _ in store) == 2  # nothing but the two graphs' one triple each


def test_default_graph_quads_of_a_document_go_into_its_graph(tmp_path):
    store = open_store(tmp_path / "s")
    replace_graph(store, G, '<urn:a> <urn:p> "x" .\n')
    assert quads(store) == {'<urn:a> <urn:p> "x"'} and default_graph(store) == set()


def _old_layout(path) -> ox.Store:
    """A store as `budgetlod load` wrote it before issue 14: the graphs and their merge."""
    store = open_store(path)
    replace_graphs(store, FIXTURE_NQ.read_text(encoding="utf-8"))
    store.bulk_load(ox.serialize((q.triple for q in list(store)), format=ox.RdfFormat.N_TRIPLES),
                    format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return store


def test_old_layout_is_detected_and_migrated(tmp_path):
    path = tmp_path / "s"
    store = _old_layout(path)
    graphs = {g: quads(store, g) for g in named_graphs(store)}
    merge = default_graph(store)
    assert merge and len(merge) < named_count(store)  # the fixture's graphs share triples
    problem = layout_problem(store, path)
    assert problem and "default graph" in problem and f"budgetlod load --store {path}" in problem
    assert migrate_layout(store) == len(merge)
    assert default_graph(store) == set() and layout_problem(store, path) is None
    assert {g: quads(store, g) for g in named_graphs(store)} == graphs  # the documents are kept
    assert migrate_layout(store) == 0  # nothing left to do
    # a store holding only default-graph triples (no document graph) is data, never migrated
    plain = open_store(tmp_path / "plain")
    plain.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
    assert layout_problem(plain, tmp_path / "plain") is None and migrate_layout(plain) == 0


def _serve_refuses_and_load_mends(path, why: str) -> str:
    """`serve` refuses the store at ``path``, saying ``why`` and naming the fix; `load --store`
    with no documents then succeeds. Returns load's stderr."""
    import subprocess
    import sys

    from tests.endpoint_support import ROOT

    cli = [sys.executable, "-m", "converter.cli"]
    r = subprocess.run(cli + ["serve", "--store", str(path), "--port", "1"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 1 and why in r.stderr and f"budgetlod load --store {path}" in r.stderr
    r = subprocess.run(cli + ["load", "--store", str(path), "--no-vocabulary", "--no-progress"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stderr


def test_load_migrates_an_old_store_and_serve_refuses_one(tmp_path):
    path = tmp_path / "s"
    del_store = _old_layout(path)
    graphs = named_graphs(del_store)
    del del_store  # release the RocksDB lock
    assert "migrated to one copy per triple" in _serve_refuses_and_load_mends(path, "layout before issue 14")
    store = ox.Store.read_only(str(path))
    assert default_graph(store) == set() and named_graphs(store) == graphs and layout_problem(store, path) is None


def _registry_refused_then_rebuilt(path) -> ox.Store:
    """`serve` refuses the store at ``path`` for its registry and `load --store` rebuilds it:
    the store, read-only, with no layout problem left."""
    _serve_refuses_and_load_mends(path, "no registry graph")
    store = ox.Store.read_only(str(path))
    assert layout_problem(store, path) is None
    return store


def test_serve_refuses_a_store_without_the_registry_and_load_adds_it(tmp_path):
    """A store whose documents cite funding documents but that lacks the registry graph
    (written before it existed) would answer funding-documents with nothing: serve refuses
    it and names the fix, and `load --store` with no documents adds the registry."""
    from converter.mapping.iris import REGISTRY_GRAPH
    from tests.test_mapping_support import converted

    path = tmp_path / "s"
    store = open_store(path)
    doc = converted("000")
    store.load(doc.nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)  # as an older version wrote it
    store.flush()
    assert layout_problem(store, path) is not None
    del store
    store = _registry_refused_then_rebuilt(path)
    registry = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(
        None, ox.NamedNode("http://data.europa.eu/eli/ontology#id_local"), None, ox.NamedNode(REGISTRY_GRAPH))}
    cited = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(
        None, ox.NamedNode("http://data.europa.eu/eli/ontology#id_local"), None, ox.NamedNode(doc.graph_iri))}
    assert registry == cited and len(cited) >= 5


def test_serve_refuses_a_registry_without_the_recipient_rows_and_load_completes_it(tmp_path):
    """A registry as the version before funding-recipients' rows wrote it (the documents'
    facts alone, by the SPARQL update), or one a load stopped between its two writes: the
    description is written last with the rows, so its absence marks the registry incomplete;
    serve refuses the store and `load --store` completes the registry."""
    from converter.mapping.iris import REGISTRY_GRAPH, VOCAB
    from converter.store.registry import UPDATE
    from tests.test_mapping_support import converted

    path = tmp_path / "s"
    store = open_store(path)
    store.load(converted("000").nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.update(UPDATE)
    store.flush()
    order, registry = ox.NamedNode(VOCAB + "recipientNumber"), ox.NamedNode(REGISTRY_GRAPH)
    assert not list(store.quads_for_pattern(None, order, None, registry))
    assert layout_problem(store, path) is not None
    del store
    store = _registry_refused_then_rebuilt(path)
    assert len(list(store.quads_for_pattern(None, order, None, registry))) >= 5


def test_serve_refuses_a_registry_without_the_counts_and_load_completes_it(tmp_path):
    """A registry as the version before funding-documents' counts wrote it: the rows and
    their description, no bl:recipientCount or bl:recipientTotal (funding-documents would
    answer 0 recipients and no total for every document). Its description is that version's
    text, so the registry reads as incomplete: serve refuses it, `load --store` rebuilds it."""
    from converter.mapping.iris import REGISTRY_GRAPH, VOCAB
    from converter.store.registry import DESCRIPTION, rebuild_registry
    from tests.test_mapping_support import converted

    path = tmp_path / "s"
    store = open_store(path)
    store.load(converted("000").nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    rebuild_registry(store)
    registry, count = ox.NamedNode(REGISTRY_GRAPH), ox.NamedNode(VOCAB + "recipientCount")
    assert layout_problem(store, path) is None and list(store.quads_for_pattern(None, count, None, registry))
    described = ox.NamedNode("http://purl.org/dc/terms/description")
    older = ("Every document the disclosures cite, once, with its canonical number, issuer prefix, year, "
             "serial and finance flag, and every project citing it (the rows of funding-recipients, "
             "numbered in their order): derived from the document graphs by budget-lod")
    assert older != DESCRIPTION
    for quad in [*store.quads_for_pattern(None, count, None, registry),
                 *store.quads_for_pattern(None, ox.NamedNode(VOCAB + "recipientTotal"), None, registry),
                 *store.quads_for_pattern(registry, described, None, registry)]:
        store.remove(quad)
    store.add(ox.Quad(registry, described, ox.Literal(older, language="en"), registry))
    store.flush()
    assert layout_problem(store, path) is not None
    del store
    store = _registry_refused_then_rebuilt(path)
    assert len(list(store.quads_for_pattern(None, count, None, registry))) >= 5


def test_failing_documents_leave_store_untouched(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    store_prepared(store, path, [doc("a.txt", G, NQ_V1)])
    snapshot = set(map(str, store))
    g_before = quads(store)
    stamp = generation_stamp(path)
    broken = NQ_V2 + f'<urn:a> <urn:p> "unterminated <{G}> .\n'
    report = store_prepared(store, path, [
        doc("bad-input.pdf", "", "", ok=False, message="bad-input.pdf: not a budget disclosure"),
        doc("shacl.txt", G, "", ok=False, message="shacl.txt: 2 SHACL violation(s)"),
        doc("broken.txt", G, broken),
        doc("good.txt", "https://w3id.org/budget-lod/graph/t2", NQ_V2.replace(G, "https://w3id.org/budget-lod/graph/t2")),
    ])
    assert [d.path for d in report.failed] == ["bad-input.pdf", "shacl.txt", "broken.txt"]
    assert [d.path for d in report.loaded] == ["good.txt"]  # the batch went on
    assert quads(store) == g_before  # neither the SHACL failure nor the broken N-Quads touched it
    assert snapshot <= set(map(str, store))
    assert generation_stamp(path) != stamp  # running servers are told to reopen


def test_bulk_load_for_large_batches_then_idempotent_reload(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    def docs():  # fresh each time: the loader drops a document's text once it is stored
        return [doc(f"d{i}.txt", f"{G}-{i}", NQ_V1.replace(f"<{G}>", f"<{G}-{i}>")) for i in range(30)]

    report = store_prepared(store, path, docs(), bulk_threshold=20)
    assert report.bulk_loaded == 30 and named_count(store) == 60 and default_graph(store) == set()
    report = store_prepared(store, path, docs(), bulk_threshold=20)
    assert report.replaced == 30 and report.bulk_loaded == 0 and named_count(store) == 60
    assert default_graph(store) == set() and sum(1 for _ in store) == 60
    assert len(named_graphs(store)) == 30


def test_duplicate_graph_in_one_batch_last_wins(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    store_prepared(store, path, [doc("a", G, NQ_V1), doc("b", G, NQ_V2)], bulk_threshold=1)
    assert quads(store) == {'<urn:a> <urn:p> "two"@zh'}


def test_load_cli_with_real_documents(tmp_path):
    """`budgetlod load` on a corpus document and a broken file: exit 1, the good one in
    the store with the ontology, and a second run changes nothing."""
    from pathlib import Path

    from converter.cli import main

    # the project's own code and samples: a failure to import them is a failure, not a skip
    from converter.pipeline import convert_document  # noqa: F401
    from converter.validation import validate_nquads  # noqa: F401

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    samples = sorted(corpus.glob("*.txt"), key=lambda p: p.stat().st_size)[:1]  # the smallest: CI time
    assert samples, f"no corpus samples in {corpus}"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    store_dir = tmp_path / "store"
    args = ["load", *map(str, samples), str(bad), "--store", str(store_dir), "--jobs", "1"]
    assert main(args) == 1
    store = ox.Store.read_only(str(store_dir))
    first = named_count(store)
    graphs = named_graphs(store)
    del store
    assert first > 1000 and len(graphs) >= 2  # the document's graph and the vocabulary
    assert main(args) == 1
    store = ox.Store.read_only(str(store_dir))
    assert named_count(store) == first and named_graphs(store) == graphs


def _capped_sparql_service(store: ox.Store, cap: int):
    """A SPARQL service over ``store`` (httpx transport) that, like Virtuoso with
    ResultSetMaxRows set, silently answers at most ``cap`` rows of any SELECT."""
    import json

    import httpx
    from urllib.parse import parse_qs

    def handle(request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode("utf-8"))
        results = store.query(form["query"][0])
        body = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))
        body["results"]["bindings"] = body["results"]["bindings"][:cap]
        return httpx.Response(200, json=body, headers={"Content-Type": "application/sparql-results+json"})

    return httpx.MockTransport(handle)


def test_remote_registry_rows_are_refused_from_a_service_that_caps_its_rows(monkeypatch):
    """`load --endpoint` reads funding-recipients' rows back from the store in blocks and
    counts each: a capped service must give an error naming it, never a short registry."""
    import httpx
    import pytest

    from converter.store import remote as remote_mod
    from converter.store.registry import RECIPIENTS, recipient_rows
    from tests.test_mapping_support import converted

    store = ox.Store()
    store.load(converted("000").nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    expected = recipient_rows(store.query(RECIPIENTS))
    documents = {row.get("document") for row in expected}
    assert len(expected) > len(documents) >= 2  # more rows than documents: the caps below fall between
    url = "http://sparql.example/sparql"
    remote = remote_mod.RemoteStore(url)
    for cap, answer in [(len(expected), expected), (len(documents), "rows of funding-recipients"),
                        (len(documents) - 1, "cited documents")]:
        monkeypatch.setattr(remote_mod.RemoteStore, "client",
                            lambda self, cap=cap: httpx.Client(transport=_capped_sparql_service(store, cap)))
        with remote.client() as client:
            if isinstance(answer, list):
                assert remote.recipient_rows(client) == answer
            else:
                with pytest.raises(remote_mod.RemoteStoreError, match=f"{url} returned .*{answer}.*ResultSetMaxRows"):
                    remote.recipient_rows(client)


def test_registry_rows_read_in_blocks_are_the_rows_of_the_query_over_every_citation(monkeypatch):
    """The rebuild reads the rows a block of cited documents at a time (the query over every
    citation at once took ~12 min at 10,000 documents): blocks of 2 documents give the same
    rows, in the same order, as RECIPIENTS."""
    from converter.store import registry
    from tests.test_mapping_support import converted

    store = ox.Store()
    store.load(converted("000").nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    expected = registry.recipient_rows(store.query(registry.RECIPIENTS))
    monkeypatch.setattr(registry, "RECIPIENT_BLOCK", 2)
    documents = sorted(s["document"].value for s in store.query(registry.cited_documents_query()))
    assert len(documents) > 2 * registry.RECIPIENT_BLOCK
    assert registry.read_recipient_rows(lambda q: list(store.query(q)), documents) == expected
    registry.rebuild_registry(store)
    graph = ox.NamedNode(registry.REGISTRY_GRAPH)
    number = ox.NamedNode(registry.VOCAB + "recipientNumber")
    assert len(list(store.quads_for_pattern(None, number, None, graph))) == len(expected)
