"""Releases (`budgetlod dump`): round trip, byte-determinism, checksums, CSVs, metadata,
atomic publication and the /dumps/ router — on a store built from the five samples with
the real load path (conversion + store loading; SHACL validation is issue 4's and is
skipped here to keep the suite fast)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from converter.cli import main as cli_main
from converter.dumps.csvs import load_queries, money
from converter.dumps.release import build_release
from converter.mapping.iris import REGISTRY_GRAPH
from converter.store.embedded import open_store, replace_graphs
from converter.store.loading import store_prepared
from converter.pipeline import prepare

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus").glob("*.txt"))
MONEY = re.compile(r"^-?\d+\.\d{2,}$")
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("store") / "store"
    store = open_store(d)
    report = store_prepared(store, d, [prepare((str(p), None, False)) for p in SAMPLES])
    assert not report.failed, [f.message for f in report.failed]
    assert len(report.loaded) == len(SAMPLES)
    del store
    return d


@pytest.fixture(scope="module")
def outdir(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dumps") / "out"
    assert cli_main(["dump", "--store", str(store_dir), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def release(outdir: Path) -> Path:
    link = outdir / "latest"
    assert link.is_symlink()
    return link.resolve()


def store_quads(store: ox.Store, named_only: bool = True) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)
            if not (named_only and isinstance(q.graph_name, ox.DefaultGraph))}


def read_gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


# ---- RDF round trip

def test_all_nquads_round_trip_is_isomorphic(store_dir: Path, release: Path) -> None:
    original = ox.Store.read_only(str(store_dir))
    data = read_gz(release / "all.nq.gz")
    fresh = ox.Store()
    fresh.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    assert not any(isinstance(t, ox.BlankNode) for q in fresh for t in (q.subject, q.object))
    # no blank nodes: equal canonical quad sets == isomorphic datasets
    assert store_quads(fresh) == store_quads(original)
    # through the store's own load path: the same store (nothing stored in the default graph)
    reloaded = ox.Store()
    replace_graphs(reloaded, data)
    assert store_quads(reloaded, named_only=False) == store_quads(original, named_only=False)
    assert not any(isinstance(q.graph_name, ox.DefaultGraph) for q in original)
    # the merged N-Triples are the RDF merge of the graphs (the union default graph, each once)
    merged = {str(q.triple) for q in ox.parse(read_gz(release / "all.nt.gz"), format=ox.RdfFormat.N_TRIPLES)}
    assert merged == {str(q.triple) for q in original}


def test_rdflib_reads_dumps_to_the_same_graphs(store_dir: Path, release: Path, tmp_path: Path) -> None:
    import rdflib

    store = ox.Store.read_only(str(store_dir))
    named = {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
             for q in store if isinstance(q.graph_name, ox.NamedNode)}
    dumped = rdflib.Dataset()
    dumped.parse(data=read_gz(release / "all.nq.gz"), format="nquads")
    quads = set(dumped.quads())
    # without blank nodes, equal quad sets are isomorphic datasets
    assert not any(isinstance(t, rdflib.BNode) for q in quads for t in q[:3])
    assert {(str(s), str(p), str(o), str(g)) for s, p, o, g in quads} == named
    # JSON-LD with the published, relatively referenced context gives the same quads
    ld = rdflib.Dataset()
    shutil.copyfile(release / "context.jsonld", tmp_path / "context.jsonld")
    (tmp_path / "all.jsonld").write_bytes(read_gz(release / "all.jsonld.gz"))  # beside its context
    ld.parse(source=str(tmp_path / "all.jsonld"), format="json-ld")
    assert set(ld.quads()) == quads


def test_document_turtle_and_partitions(release: Path) -> None:
    quads = read_gz(release / "all.nq.gz").splitlines()
    by_graph: dict[str, set[bytes]] = {}
    for line in quads:
        g = line.rsplit(b" ", 2)[-2].decode()[1:-1]
        by_graph.setdefault(g, set()).add(line)
    docs = sorted((release / "documents").glob("*.ttl"))
    assert len(docs) == len(SAMPLES)
    for ttl in docs:
        triples = {str(q.triple) for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
        assert any(len(v) == len(triples) for v in by_graph.values())
    # 002 is a 2023 self-evaluation, 004 a 2023 budget, the others 2024 budgets
    for kind, expected in (("by-region", {"130110", "130190", "130811"}), ("by-year", {"2023", "2024"})):
        parts = sorted((release / kind).glob("*.nq.gz"))
        assert {p.name.removesuffix(".nq.gz") for p in parts} == expected
        union: list[bytes] = []
        for p in parts:
            union += read_gz(p).splitlines()
        # each document graph in exactly one; all.nq.gz also holds the derived registry graph
        # (so the canned queries answer on a store loaded from it), which no partition holds
        documents = [q for q in quads if q.rsplit(b" ", 2)[-2].decode()[1:-1] != REGISTRY_GRAPH]
        assert len(documents) < len(quads)
        assert len(union) == len(set(union)) == len(documents)
        assert set(union) == set(documents)


# ---- determinism, checksums, atomic publication

def test_two_runs_are_byte_identical(store_dir: Path, release: Path, tmp_path: Path) -> None:
    second = build_release(store_dir, tmp_path / "again")
    assert second.release_id == release.name
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second.path).as_posix() for p in second.path.rglob("*") if p.is_file())
    for n in names:
        assert (release / n).read_bytes() == (second.path / n).read_bytes(), n
    for n in ("all.nq.gz", "all.nt.gz", "all.jsonld.gz"):
        head = (release / n).read_bytes()[:10]
        assert head[3] & 0x08 == 0 and head[4:8] == b"\0\0\0\0"  # no FNAME, mtime 0


def test_sha256sum_check_passes(release: Path) -> None:
    if not shutil.which("sha256sum"):
        pytest.skip("sha256sum (GNU coreutils) not installed")
    run = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    listed = {line.split("  ", 1)[1] for line in (release / "SHA256SUMS").read_text().splitlines()}
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert listed == on_disk


def test_publication_is_atomic_and_reuses_identical_releases(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_release(store_dir, out)
    assert not first.reused and os.readlink(out / "latest") == f"releases/{first.release_id}"
    again = build_release(store_dir, out)
    assert again.reused and again.release_id == first.release_id
    # a failing dump leaves neither a temporary folder nor a changed `latest`
    broken = load_queries()
    broken[0].text = "SELECT ?nonsense WHERE {"
    with pytest.raises(SyntaxError):
        build_release(store_dir, out, queries=broken)
    assert sorted(p.name for p in (out / "releases").iterdir()) == [first.release_id]
    assert os.readlink(out / "latest") == f"releases/{first.release_id}"
    assert sorted(p.name for p in out.iterdir()) == ["latest", "releases"]


# ---- CSV tables

def test_csvs_open_in_pandas_and_csv_with_exact_amounts(release: Path) -> None:
    import pandas as pd

    queries = {q.file: q for q in load_queries()}
    assert {"csv/projects.csv", "csv/indicators.csv", "csv/funding_flows.csv", "csv/budget_lines.csv",
            "csv/procurement.csv", "csv/units.csv"} <= set(queries)
    for name, q in queries.items():
        path = release / name
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        assert list(df.columns) == [c.name for c in q.columns]
        assert len(df) > 0, name
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == len(df)
        for c in q.columns:
            values = [r[c.name] for r in rows if r[c.name]]
            if c.type == "money":
                assert all(MONEY.match(v) for v in values), (name, c.name, values[:5])
                assert all(str(Decimal(v)) == v for v in values)
            elif c.type in ("decimal", "integer"):
                assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values), (name, c.name)
    flows = list(csv.DictReader(open(release / "csv/funding_flows.csv", newline="", encoding="utf-8")))
    hit = [r for r in flows if r["document_number"] == "石财外〔2023〕39号"]
    assert [(r["department_name"], r["project_code"], r["amount"]) for r in hit] == [
        ("石家庄高新技术产业开发区投资服务局", "13019024P00PX8X10050W", "600.00")]
    assert any(r["document_number"] == "承财建〔2022〕110号" and r["project_name"] == "大气污染防治资金"
               for r in flows)
    df = pd.read_csv(release / "csv/funding_flows.csv", dtype=str, keep_default_na=False)
    assert df.loc[df.document_number == "石财外〔2023〕39号", "amount"].tolist() == ["600.00"]
    projects = list(csv.DictReader(open(release / "csv/projects.csv", newline="", encoding="utf-8")))
    p = next(r for r in projects if r["project_code"] == "13019024P00PX8X10050W")
    assert p["amount"] == "600.00" and "石财外〔2023〕39号" in p["funding_documents"].split()


def test_money_format_is_exact() -> None:
    assert money("600") == "600.00" and money("0.5") == "0.50" and money("1.125") == "1.125"
    assert money("-0") == "0.00" and money("12345678901234567890.1") == "12345678901234567890.10"


# ---- metadata

def test_dcat_and_void_describe_every_file(store_dir: Path, release: Path) -> None:
    sums = dict(reversed(line.split("  ", 1)) for line in (release / "SHA256SUMS").read_text().splitlines())
    dcat = ox.Store()
    dcat.load(path=str(release / "dcat.ttl"), format=ox.RdfFormat.TURTLE)
    rows = {r["t"].value: r for r in dcat.query(f"""
        PREFIX dcat: <{DCAT}> PREFIX spdx: <{SPDX}> PREFIX dct: <http://purl.org/dc/terms/> PREFIX void: <{VOID}>
        SELECT ?t ?size ?sha ?mt ?lic ?n ?url WHERE {{
          ?d a dcat:Distribution ; dct:title ?t ; dcat:byteSize ?size ; dcat:mediaType ?mt ; dct:license ?lic ;
             dcat:downloadURL ?url ; spdx:checksum/spdx:checksumValue ?sha .
          OPTIONAL {{ ?d void:triples ?n }} }}""")}
    data_files = set(sums) - {"void.ttl", "dcat.ttl", "README.md"}
    assert set(rows) == data_files
    for name, r in rows.items():
        assert int(r["size"].value) == (release / name).stat().st_size
        assert r["sha"].value == sums[name] == hashlib.sha256((release / name).read_bytes()).hexdigest()
        assert r["lic"].value == "https://creativecommons.org/licenses/by/4.0/"
        assert r["url"].value.endswith(f"/releases/{release.name}/{name}")
    assert rows["all.nq.gz"]["mt"].value.endswith("application/n-quads")
    assert rows["csv/projects.csv"]["mt"].value.endswith("text/csv")
    quads = len(read_gz(release / "all.nq.gz").splitlines())
    assert int(rows["all.nq.gz"]["n"].value) == quads
    assert int(rows["all.nt.gz"]["n"].value) == len(read_gz(release / "all.nt.gz").splitlines())
    # every source document with its SHA-256
    store = ox.Store.read_only(str(store_dir))
    expected = {(r["f"].value, r["s"].value) for r in store.query(
        "PREFIX bl: <https://w3id.org/budget-lod/def#> SELECT ?f ?s WHERE { GRAPH ?g { ?x bl:fileName ?f ; bl:sha256 ?s } }")}
    listed = {(r["f"].value, r["s"].value) for r in dcat.query(
        f"PREFIX bl: <https://w3id.org/budget-lod/def#> PREFIX spdx: <{SPDX}> SELECT ?f ?s WHERE "
        "{ ?x a bl:SourceDocument ; bl:fileName ?f ; spdx:checksum/spdx:checksumValue ?s }")}
    assert listed == expected and len(expected) == len(SAMPLES)
    assert sha_of(SAMPLES[0]) in {s for _, s in expected}
    void = ox.Store()
    void.load(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE)
    dumps = {r["u"].value.rsplit("/", 1)[1] for r in void.query(
        f"SELECT ?u WHERE {{ <https://w3id.org/budget-lod/dataset> <{VOID}dataDump> ?u }}")}
    assert dumps == {"all.nq.gz", "all.nt.gz", "all.jsonld.gz"}


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readme_documents_every_csv_column(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in text and "sha256sum -c SHA256SUMS" in text
    for q in load_queries():
        assert f"`{q.file}`" in text
        for c in q.columns:
            assert f"| `{c.name}` | {c.type} |" in text, (q.file, c.name)
    context = (release / "context.jsonld").read_text(encoding="utf-8")
    assert '"bl": "https://w3id.org/budget-lod/def#"' in context
    assert read_gz(release / "all.jsonld.gz").startswith(b'{"@context": "context.jsonld"')


# ---- HTTP

def test_router_serves_files_with_their_content_types(outdir: Path, release: Path) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from endpoint.dumps import dumps_router, void_dump_triples

    app = FastAPI()
    app.include_router(dumps_router(outdir))
    client = TestClient(app)
    page = client.get("/dumps/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "all.nq.gz" in page.text and release.name in page.text
    assert client.get("/dumps/", headers={"Accept": "application/json"}).json()["release"] == release.name
    nq = client.get("/dumps/all.nq.gz")
    assert nq.status_code == 200 and nq.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in nq.headers
    assert nq.content == (release / "all.nq.gz").read_bytes()
    assert nq.headers["etag"] == f'"{sha_of(release / "all.nq.gz")}"'
    assert client.get("/dumps/all.nq.gz", headers={"If-None-Match": nq.headers["etag"]}).status_code == 304
    expected = {"csv/projects.csv": "text/csv", "void.ttl": "text/turtle", "dcat.ttl": "text/turtle",
                "context.jsonld": "application/ld+json", "README.md": "text/markdown", "SHA256SUMS": "text/plain",
                "all.nt.gz": "application/gzip", "by-year/2024.nq.gz": "application/gzip"}
    for name, mt in expected.items():
        r = client.get(f"/dumps/{name}")
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == mt, name
        assert r.content == (release / name).read_bytes()
    assert "charset=utf-8" in client.get("/dumps/csv/units.csv").headers["content-type"]
    head = client.head("/dumps/all.nt.gz")
    assert head.status_code == 200 and int(head.headers["content-length"]) == (release / "all.nt.gz").stat().st_size
    pinned = client.get(f"/dumps/releases/{release.name}/all.nt.gz")
    assert pinned.status_code == 200 and "immutable" in pinned.headers["cache-control"]
    assert release.name in client.get("/dumps/releases/").text
    for bad in ("/dumps/../../etc/passwd", "/dumps/%2e%2e/%2e%2e/etc/passwd", "/dumps/nothing.csv",
                "/dumps/releases/0000000000000000/all.nq.gz", "/dumps/releases/..%2f..%2fetc/passwd"):
        assert client.get(bad).status_code == 404, bad
    assert client.get("/dumps", follow_redirects=False).status_code == 301
    lines = void_dump_triples(outdir, "http://example.org/.well-known/void#dataset", "http://example.org")
    parsed = list(ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES))
    assert {str(q.object) for q in parsed} >= {"<http://example.org/dumps/all.nq.gz>",
                                                 "<http://example.org/dumps/all.nt.gz>"}


def test_endpoint_serves_latest_release_and_lists_it_in_void(store_dir: Path, outdir: Path, release: Path) -> None:
    """`budgetlod serve --dumps DIR`: the real server publishes the release at /dumps/ and
    its VoID names the dumps (void:dataDump)."""
    import httpx

    from tests.endpoint_support import Server

    server = Server("--store", str(store_dir), "--workers", "1", "--dumps", str(outdir))
    try:
        nq = httpx.get(server.url + "/dumps/all.nq.gz", timeout=30)
        assert nq.status_code == 200 and nq.content == (release / "all.nq.gz").read_bytes()
        void = httpx.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
        assert void.status_code == 200
        assert "dataDump" in void.text and "/dumps/all.nq.gz" in void.text
    finally:
        server.stop()
