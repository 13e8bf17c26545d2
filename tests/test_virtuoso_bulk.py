"""`budgetlod load --endpoint URL --bulk-dir DIR --isql HOST:PORT`: documents into a real
Virtuoso (the one tests/test_virtuoso.py starts, scripts/virtuoso.py) by its bulk loader.
The graphs must hold what the embedded store holds after `load --store`; a re-load
replaces (same rows, nothing duplicated); a file the loader rejects is reported by name
and leaves nothing behind (graph, file, LOAD_LIST row); without bulk options the same
command still pushes one SPARQL Update per document."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from scripts.virtuoso import Virtuoso
from tests.test_virtuoso import virtuoso  # noqa: F401  (the fixture: one Virtuoso per module, started alike)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GRAPH_PREFIX = "https://w3id.org/budget-lod/graph/"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter.cli", "load", *args, "--workers", "1", "--no-progress"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, "BUDGETLOD_ISQL_PASSWORD": "dba"})


def _bulk_args(v: Virtuoso) -> list[str]:
    # the server's own directory is in its DirsAllowed (scripts/virtuoso.py)
    return ["--endpoint", v.sparql, "--bulk-dir", str(v.dir / "bulk"), "--isql", f"127.0.0.1:{v.sql_port}"]


def _term(t: dict) -> tuple:
    """A SPARQL JSON term, compared by value where Virtuoso and Oxigraph print differently."""
    v, dt = t["value"], t.get("datatype", "")
    if dt.endswith(("#decimal", "#integer", "#double", "#float", "#int", "#long")):
        try:
            v = str(Decimal(v).normalize())
        except InvalidOperation:
            pass
    if dt.endswith("#boolean"):
        v = str(v in ("1", "true"))
    kind = "literal" if t["type"] in ("literal", "typed-literal") else t["type"]
    return (kind, v, t.get("xml:lang", "").lower())


def _ox_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value, "datatype": t.datatype.value}
    if t.language:
        out["xml:lang"] = t.language
    return out


def virtuoso_graphs(v: Virtuoso) -> dict[str, set[tuple]]:
    q = (f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\")) }}")
    r = httpx.post(v.sparql, data={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=120)
    r.raise_for_status()
    out: dict[str, set[tuple]] = {}
    for b in r.json()["results"]["bindings"]:
        out.setdefault(b["g"]["value"], set()).add((_term(b["s"]), _term(b["p"]), _term(b["o"])))
    return out


def embedded_graphs(store_dir: Path) -> dict[str, set[tuple]]:
    store = ox.Store.read_only(str(store_dir))
    out: dict[str, set[tuple]] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and g.value.startswith(GRAPH_PREFIX):
            out.setdefault(g.value, set()).add(tuple(_term(_ox_term(t)) for t in (q.subject, q.predicate, q.object)))
    return out


def load_list_rows(v: Virtuoso) -> int:
    out = v.isql("SELECT concat('N|', cast(count(*) AS varchar)) FROM DB.DBA.LOAD_LIST;")
    return int(next(line for line in out.splitlines() if line.startswith("N|")).split("|")[1])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> dict[str, set[tuple]]:
    store = tmp_path_factory.mktemp("embedded") / "oxi"
    r = _cli(str(CORPUS), "--store", str(store), "--no-vocabulary")
    assert r.returncode == 0, r.stderr
    return embedded_graphs(store)


def test_bulk_load_same_graphs_as_embedded_and_reload_replaces(virtuoso, embedded):
    # first the per-document path (no bulk options): one SPARQL Update per document
    r = _cli(str(CORPUS), "--endpoint", virtuoso.sparql)
    assert r.returncode == 0, r.stderr
    assert "5 pushed" in r.stdout
    per_document = virtuoso_graphs(virtuoso)
    assert per_document == embedded
    # then the bulk loader over the same graphs: a re-load replaces, twice over
    for _ in range(2):
        r = _cli(str(CORPUS), *_bulk_args(virtuoso))
        assert r.returncode == 0, r.stdout + r.stderr
        assert "5 bulk-loaded" in r.stdout and "0 failed" in r.stdout
        assert virtuoso_graphs(virtuoso) == embedded
    # nothing left behind: no files, no LOAD_LIST rows
    assert list((virtuoso.dir / "bulk").iterdir()) == []
    assert load_list_rows(virtuoso) == 0


def test_broken_file_reported_by_name_and_nothing_half_written(virtuoso):
    from converter.store.virtuoso_bulk import BulkLoader, Isql

    good_g, bad_g = GRAPH_PREFIX + "bulk-test-good", GRAPH_PREFIX + "bulk-test-bad"
    # the bad document had an earlier version in the store, and its broken line comes after
    # thousands of good ones, so the loader has inserted some of it before the error
    virtuoso.isql(f"SPARQL INSERT DATA {{ GRAPH <{bad_g}> {{ <urn:x> <urn:p> \"old\" }} }};")
    good = "".join(f"<urn:s{i}> <urn:p> \"{i}\" <{good_g}> .\n" for i in range(50))
    bad = "".join(f"<urn:s{i}> <urn:p> \"{i}\" <{bad_g}> .\n" for i in range(20000)) + \
        f"<urn:s> <urn:p> \"unterminated <{bad_g}> .\n"
    loader = BulkLoader(Isql(f"127.0.0.1:{virtuoso.sql_port}", "dba", "dba"), virtuoso.dir / "bulk")
    loader.preflight()
    batch = loader.new_batch()
    batch.add("bad", [bad_g], bad)
    batch.add("good", [good_g], good)
    files = {f.key: f for f in batch.run()}
    assert files["good"].error == ""
    assert batch.server_dir + "/000000.nq" in files["bad"].error
    assert "Unterminated" in files["bad"].error or "SP029" in files["bad"].error
    counts = {g: len(t) for g, t in virtuoso_graphs(virtuoso).items()}
    assert counts.get(good_g) == 50
    assert bad_g not in counts  # neither the old version nor a part of the new one
    assert not batch.local_dir.exists()
    assert load_list_rows(virtuoso) == 0


def test_bulk_dir_the_server_may_not_read_is_refused_before_converting(virtuoso, tmp_path):
    # /usr is outside the server's DirsAllowed (Virtuoso allows /tmp besides the ini's list)
    r = _cli(str(CORPUS), "--endpoint", virtuoso.sparql, "--bulk-dir", str(tmp_path / "bulk"),
             "--bulk-server-dir", "/usr", "--isql", f"127.0.0.1:{virtuoso.sql_port}")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "DirsAllowed" in r.stderr and "FA003" in r.stderr and "loaded" not in r.stdout


def test_bulk_server_dir_that_is_another_directory_is_refused(virtuoso, tmp_path):
    r = _cli(str(CORPUS), "--endpoint", virtuoso.sparql, "--bulk-dir", str(tmp_path / "bulk"),
             "--bulk-server-dir", str(virtuoso.dir), "--isql", f"127.0.0.1:{virtuoso.sql_port}")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "--bulk-server-dir must be --bulk-dir as the Virtuoso server sees it" in r.stderr


def test_bulk_options_need_each_other():
    r = _cli(str(CORPUS), "--endpoint", "http://127.0.0.1:9/sparql", "--bulk-dir", "/tmp")
    assert r.returncode == 2 and "--isql" in r.stderr


def test_isql_address_and_graph_iris_are_checked():
    from converter.store.virtuoso_bulk import BulkLoadError, checked_iri, parse_isql_address, sql_string

    assert parse_isql_address("db.example:1111") == "db.example:1111"
    assert parse_isql_address("1111") == "localhost:1111"
    with pytest.raises(ValueError):
        parse_isql_address("db.example")
    assert sql_string("/data/it's") == "'/data/it''s'"
    for bad in ("urn:a> ; DELETE FROM DB.DBA.RDF_QUAD ; <urn:b", "urn:a'b", "urn:a b", ""):
        with pytest.raises(BulkLoadError):
            checked_iri(bad)
