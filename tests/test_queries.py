"""The canned queries (DESIGN.md §4) on the converted samples, run with pyoxigraph on a
store filled the way `budgetlod load` fills it (each document's graph, nothing stored in the
default graph) and queried as the endpoint queries it (the default graph is the union of
the graphs); expected rows checked by hand against the sample texts. Then the same queries
on stores where samples were loaded again in other encodings (one document, one graph) and
where every sample is stated by two graphs (two sources of one disclosure: graphs stating
the same department, budget and projects): the same rows as on the RDF merge of the
graphs, none repeated."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
import pytest

from converter.mapping import ConvertedDocument
from converter.pipeline import convert_document
from converter.parsers.docnumbers import canonical_docnumber
from converter.store.embedded import bulk_load_documents
from endpoint.canned import bind, load_canned
from tests.test_mapping_support import QUERIES, SAMPLES, converted

HEADER = re.compile(r"^# (title|description|parameters):")
VARIABLES = {
    "funding-recipients": "department departmentName year project projectCode projectName amount",
    "funding-documents": "document number issuerPrefix year serial fiscal recipients total",
    "department-projects": "project projectCode projectName amount indicatorCount documents",
    "budget-lines": "scheme code name total basic project personnel public",
    "department-units": "unit unitName nature rank fundingForm",
    "procurement": "projectName item catalogCode unit quantity unitPrice amount",
    "department-summary": "key amount",
}
PARAMS = {
    "funding-recipients": ["doc"], "funding-documents": [], "department-projects": ["department", "year"],
    "budget-lines": ["department", "year"], "department-units": ["department"],
    "procurement": ["department", "year"], "department-summary": ["department", "year"],
}
BL = "https://w3id.org/budget-lod/def#"
GAOXIN = "石家庄高新技术产业开发区投资服务局"


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_query_file_header_and_variables(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    head = [l for l in text.splitlines() if HEADER.match(l)]
    assert [HEADER.match(l).group(1) for l in head] == ["title", "description", "parameters"]
    params = [p.strip() for p in head[2].split(":", 1)[1].split(",") if p.strip()]
    assert params == PARAMS[name]
    select = re.search(r"^SELECT (DISTINCT )?(.*?)\n(WHERE|\s*\()", text, re.M | re.S)
    projected = re.findall(r"(?:AS )?\?(\w+)\)?", re.search(r"^SELECT[^\n]*(?:\n\s+\(.*)*", text, re.M).group(0))
    assert select
    for var in VARIABLES[name].split():
        assert var in projected, (name, var)
    for p in params:
        assert f"?param_{p}" in text


MONEY = ("amount", "total", "basic", "personnel", "public", "unitPrice", "quantity")
CANNED = load_canned(QUERIES)


def load(docs: list[ConvertedDocument]) -> ox.Store:
    """An in-memory store filled by the loader's own bulk path (the documents' graphs)."""
    store = ox.Store()
    bulk_load_documents(store, [(d.graph_iri, d.nquads) for d in docs])
    return store


@lru_cache(maxsize=None)
def sample_store() -> ox.Store:
    return load([converted(p.name[:3]) for p in SAMPLES])


def _value(t: ox.Literal) -> object:
    dt = t.datatype.value.rsplit("#", 1)[-1]
    return (Decimal(t.value) if dt == "decimal" else int(t.value) if dt == "integer"
            else t.value == "true" if dt == "boolean" else t.value)


def run_query(name: str, store: ox.Store | None = None, union: bool = True,
              **params: str | int) -> list[dict[str, object]]:
    """Rows of a canned query: literals as Python values (with their datatype under
    ``name@type``), IRIs as str. ``union``: the default graph is the union of the named
    graphs, as the endpoint queries (False: the store's own default graph)."""
    query = bind(CANNED[name], {k: str(v) for k, v in params.items()})  # as the endpoint binds them
    result = (store or sample_store()).query(query, use_default_graph_as_union=union)
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        row: dict[str, object] = {}
        for n in names:
            t = sol[n]
            row[n] = None if t is None else _value(t) if isinstance(t, ox.Literal) else t.value
            if isinstance(t, ox.Literal):
                row[n + "@type"] = t.datatype.value.rsplit("#", 1)[-1]
        rows.append(row)
    return rows


def _rows(name, **params):
    rows = run_query(name, **params)
    for r in rows:  # amounts come back as xsd:decimal
        for k in MONEY + (("project",) if name == "budget-lines" else ()):
            if r.get(k) is not None:
                assert r[k + "@type"] == "decimal", (name, k, r)
    return rows


def test_funding_recipients_by_any_written_variant():
    for written in ("石财外[2023]39号", "石财外（2023）39 号", "石财外〔2023〕39号"):
        rows = _rows("funding-recipients", doc=canonical_docnumber(written))
        assert [(r["departmentName"], r["projectCode"], r["amount"], r["year"]) for r in rows] == [
            (GAOXIN, "13019024P00PX8X10050W", Decimal("600.00"), 2024)]
        assert rows[0]["projectName"] == "2024年省级吸引外商投资奖励（石财外[2023]39号）"


def test_funding_recipients_cited_only_in_the_basis_column():
    rows = _rows("funding-recipients", doc=canonical_docnumber("承财建[2022]110号"))
    assert [(r["departmentName"], r["projectCode"], r["projectName"], r["amount"]) for r in rows] == [
        ("承德高新技术产业开发区经济与科技发展局", "13081124P00005510003H", "大气污染防治资金", Decimal("33.27"))]


def test_funding_recipients_two_projects_of_one_document():
    rows = _rows("funding-recipients", doc="石财外〔2023〕43号")
    assert sorted((r["projectCode"], r["amount"]) for r in rows) == [
        ("13019023P00PX8X10048F", Decimal("62.87")), ("13019023P00PX8X100493", Decimal("437.76"))]


def test_funding_documents():
    rows = {r["number"]: r for r in _rows("funding-documents")}
    r = rows["石财外〔2023〕43号"]
    assert (r["issuerPrefix"], r["year"], r["serial"], r["fiscal"], r["recipients"], r["total"]) == (
        "石财外", 2023, 43, True, 1, Decimal("500.63"))
    assert rows["承财建〔2022〕110号"]["total"] == Decimal("33.27")
    assert rows["鹿政府办〔2022〕16号"]["fiscal"] is False
    assert rows["〔2017〕86号"]["issuerPrefix"] == ""
    # cited only in the prose of the self-evaluation report: no recipients, no total
    assert rows["鹿发〔2019〕8号"]["recipients"] == 0 and rows["鹿发〔2019〕8号"]["total"] is None
    assert len(rows) == 31


def test_funding_documents_reads_the_registry_the_store_keeps_current():
    """funding-documents lists documents from the registry graph, named in the query as
    converter/mapping/iris.py declares it; the registry follows the document graphs: a
    document whose last citing graph is replaced by one that no longer cites it leaves it
    at the next commit, and one cited anew enters it."""
    from converter.mapping.iris import REGISTRY_GRAPH
    from converter.store.embedded import replace_graph
    from converter.store.registry import rebuild_registry

    assert set(re.findall(r"GRAPH <([^>]+)>", CANNED["funding-documents"].text)) == {REGISTRY_GRAPH}
    store = load([converted(p.name[:3]) for p in SAMPLES])
    before = {r["number"] for r in run_query("funding-documents", store)}
    assert "石财外〔2023〕43号" in before and len(before) == 31
    doc = next(converted(p.name[:3]) for p in SAMPLES
               if "石财外〔2023〕43号" in converted(p.name[:3]).nquads)
    # the same graph citing 石财外〔2023〕4300号 instead (its document IRI and number renamed)
    iri = re.search(r"<([^>]+)> <http://data.europa.eu/eli/ontology#id_local> \"石财外〔2023〕43号\"", doc.nquads).group(1)
    renamed = doc.nquads.replace(iri, iri + "00").replace("石财外〔2023〕43号", "石财外〔2023〕4300号")
    replace_graph(store, doc.graph_iri, renamed)
    assert {r["number"] for r in run_query("funding-documents", store)} == before  # not rebuilt yet
    rebuild_registry(store)
    after = {r["number"] for r in run_query("funding-documents", store)}
    assert after == before - {"石财外〔2023〕43号"} | {"石财外〔2023〕4300号"}


def test_department_projects_with_year_as_integer_or_string():
    rows = _rows("department-projects", department=GAOXIN, year="2024")
    assert rows == _rows("department-projects", department=GAOXIN, year=2024)
    assert len(rows) == 14
    by_code = {r["projectCode"]: r for r in rows}
    r = by_code["13019024P0026X010063E"]
    assert (r["projectName"], r["amount"], r["indicatorCount"], r["documents"]) == ("日常招商接待经费", Decimal("5.00"), 6, "")
    assert by_code["13019024P00PX8X10050W"]["documents"] == "石财外〔2023〕39号"
    two = by_code["13019024P00PX8X10047A"]["documents"].split()
    assert sorted(two) == ["石投促〔2023〕60号", "石政办函〔2023〕17号", "石财外〔2023〕36号"]


def test_department_matches_every_name_form():
    long = _rows("department-projects", department="石家庄市鹿泉区科学技术和工业信息化局", year="2024")
    short = _rows("department-projects", department="鹿泉区科学技术和工业信息化局", year="2024")
    assert len(long) == len(short) == 26
    r = {x["projectCode"]: x for x in long}["13011024P00327710005P"]
    assert (r["projectName"], r["amount"]) == ("2024年企业奖补", Decimal("5000.32"))
    assert sorted(r["documents"].split()) == ["市委办政府办〔2021〕154号", "鹿政函〔2020〕21号"]


def test_budget_lines():
    rows = _rows("budget-lines", department=GAOXIN, year="2024")
    key = {(r["scheme"], r["code"]): r for r in rows}
    f = key[("function", "2011301")]
    assert (f["name"], f["total"], f["basic"], f["project"]) == ("行政运行", Decimal("814.85"), Decimal("814.85"), None)
    f = key[("function", "201")]
    assert (f["total"], f["basic"], f["project"]) == (Decimal("1823.38"), Decimal("932.38"), Decimal("891.00"))
    e = key[("economic", "302")]
    assert (e["name"], e["total"], e["personnel"], e["public"]) == (
        "商品和服务支出", Decimal("133.59"), Decimal("88.82"), Decimal("44.77"))
    assert len([r for r in rows if r["scheme"] == "function"]) == 26
    assert len([r for r in rows if r["scheme"] == "economic"]) == 24


def test_department_units():
    for name in ("鹿泉区投资促进局", "石家庄市鹿泉区投资促进局"):
        rows = _rows("department-units", department=name)
        assert sorted((r["unitName"], r["nature"]) for r in rows) == [
            ("石家庄市鹿泉区投资促进局(本级)", "行政"), ("石家庄市鹿泉区投资促进服务中心", "事业")]
    rows = _rows("department-units", department=GAOXIN)
    assert [(r["unitName"], r["nature"], r["rank"], r["fundingForm"]) for r in rows] == [
        ("石家庄高新技术产业开发区投资服务中心", "事业", "正科级", "财政性资金基本保证"),
        ("石家庄高新技术产业开发区投资服务局本级", "行政", "副处（县）级", "财政拨款")]


def test_procurement():
    rows = _rows("procurement", department=GAOXIN, year="2024")
    assert [(r["projectName"], r["item"], r["catalogCode"], r["unit"], r["quantity"], r["unitPrice"], r["amount"])
            for r in rows] == [
        ("公用类项目（三保）", "台式计算机", "A02010105", "台", Decimal(1), Decimal("0.50"), Decimal("0.50")),
        ("公用类项目（三保）", "便携式计算机", "A02010108", "台", Decimal(1), Decimal("0.60"), Decimal("0.60")),
        ("公用类项目（三保）", "文件柜", "A05010502", "组", Decimal(7), Decimal("0.08"), Decimal("0.56")),
        ("公用类项目（三保）", "其他办公用品", "A05049900", "批", Decimal(2), Decimal("5.77"), Decimal("11.54")),
        ("委托招商代理费", "其他商务服务", "C23990000", "次", Decimal(1), Decimal("17.00"), Decimal("17.00")),
        ("公用类项目（三保）", "其他办公用品", "A05049900", "批", Decimal(2), Decimal("1.80"), Decimal("3.60")),
    ]


def test_department_summary():
    rows = _rows("department-summary", department=GAOXIN, year=2024)
    got = {r["key"]: r["amount"] for r in rows}
    assert len(got) == len(rows)  # one value per key: table figures win over prose
    expected = {
        "income_total": "14991.60", "expenditure_total": "14991.60", "current_year_income": "14490.97",
        "current_year_expenditure": "14991.60", "general_public_budget_income": "14490.97",
        "carryover_income": "500.63", "basic_expenditure": "1109.97", "project_expenditure": "13881.63",
        "personnel_expenditure": "1063.54", "public_expenditure": "46.43", "operating_costs": "46.43",
        "three_public_total": "157.00", "three_public_overseas": "148.00", "three_public_reception": "9.00",
        "procurement_total": "33.80", "fixed_assets_total": "158.61",
    }
    for k, v in expected.items():
        assert got[k] == Decimal(v), k
    assert all(r["amount@type"] == "decimal" for r in rows)


def test_line_amounts_are_the_cells():
    """bl:lineTotal ... (query support) repeat exactly the line's cell of that column."""
    q = """PREFIX bl: <https://w3id.org/budget-lod/def#>
    SELECT ?line ?p ?direct ?cell WHERE {
      VALUES (?p ?col) { (bl:lineTotal "total") (bl:lineBasic "basic") (bl:lineProject "project")
                         (bl:linePersonnel "personnel") (bl:linePublic "public") }
      { ?line ?p ?direct } UNION { ?line bl:cell ?c . ?c bl:column ?col ; bl:amount ?cell }
    }"""
    direct: dict[tuple, set] = {}
    cells: dict[tuple, set] = {}
    for r in sample_store().query(q, use_default_graph_as_union=True):
        key = (r["line"].value, r["p"].value)
        if r["direct"] is not None:
            direct.setdefault(key, set()).add(r["direct"].value)
        if r["cell"] is not None:
            cells.setdefault(key, set()).add(r["cell"].value)
    assert len(direct) > 500 and direct == cells


def test_budget_part_links_mirror_bl_budget():
    """The budget's links to its parts (query support, BUDGET_PARTS) are exactly the
    converse of bl:budget for the parts of each class: none missing, none extra."""
    from converter.mapping.vocab import BUDGET_PARTS

    store = sample_store()
    for cls, prop in BUDGET_PARTS.items():
        forward = {(r["b"].value, r["x"].value) for r in store.query(
            f"SELECT ?b ?x WHERE {{ GRAPH ?g {{ ?x a <{BL}{cls}> ; <{BL}budget> ?b }} }}")}
        converse = {(r["b"].value, r["x"].value) for r in store.query(
            f"SELECT ?b ?x WHERE {{ GRAPH ?g {{ ?b <{BL}{prop}> ?x }} }}")}
        assert forward == converse, cls
        assert forward or cls == "ProjectEvaluation", cls  # the samples print no self-evaluation


# ---- the same documents loaded several times (other encodings: other bytes, one content)

# tag -> (line ending, codec): each gives other bytes for the same text
ENCODINGS = {"bom": ("\n", "utf-8-sig"), "gb18030": ("\n", "gb18030"), "crlf": ("\r\n", "utf-8")}


@pytest.fixture(scope="module")
def encodings_store(tmp_path_factory) -> ox.Store:
    """Each sample loaded, then each of its other encodings loaded over it as later load
    runs do (graph by graph replacement): one text is one document whatever its bytes, so
    it names one graph, and a later encoding replaces the graph instead of stating every
    triple a second time (which would multiply every join over the union default graph)."""
    from converter.store.embedded import replace_graph

    folder = tmp_path_factory.mktemp("encodings")
    store = load([converted(p.name[:3]) for p in SAMPLES])
    graphs = {converted(p.name[:3]).graph_iri for p in SAMPLES}
    for p in SAMPLES:
        text = p.read_text(encoding="utf-8")
        for tag, (newline, codec) in ENCODINGS.items():
            copy = folder / f"{p.stem}-{tag}.txt"
            copy.write_bytes(text.replace("\n", newline).encode(codec))
            doc = convert_document(copy)
            assert doc.sha256 != converted(p.name[:3]).sha256  # another source file ...
            assert doc.graph_iri == converted(p.name[:3]).graph_iri  # ... of the same document
            replace_graph(store, doc.graph_iri, doc.nquads)
    from converter.mapping.iris import REGISTRY_GRAPH
    assert {g.value for g in store.named_graphs()} == graphs | {REGISTRY_GRAPH}  # and the derived registry
    return store


def every_binding() -> list[tuple[str, dict[str, str | int]]]:
    """Each canned query with every parameter value the samples give: every name form of
    every department (prefLabel, altLabel, hiddenLabel) with each of its years and a year
    it has not, every cited document number."""
    q = """PREFIX bl: <https://w3id.org/budget-lod/def#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    SELECT DISTINCT ?name ?year ?doc WHERE {
      { ?d a bl:Department ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name .
        OPTIONAL { ?b a bl:Budget ; bl:department ?d ; bl:fiscalYear ?year } }
      UNION { ?x eli:id_local ?doc }
    }"""
    names: dict[str, set[int]] = {}
    docs: set[str] = set()
    for r in sample_store().query(q, use_default_graph_as_union=True):
        if r["doc"] is not None:
            docs.add(r["doc"].value)
        else:
            names.setdefault(r["name"].value, set()).update([int(r["year"].value)] if r["year"] else [])
    out: list[tuple[str, dict[str, str | int]]] = [("funding-documents", {})]
    out += [("funding-recipients", {"doc": d}) for d in sorted(docs)]
    for name, years in sorted(names.items()):
        out.append(("department-units", {"department": name}))
        for year in sorted(years) + [1999]:
            for q_name in ("department-projects", "budget-lines", "procurement", "department-summary"):
                out.append((q_name, {"department": name, "year": year}))
    return out


def _key(row: dict) -> tuple:
    # GROUP_CONCAT order is not specified: compare the documents column as a set
    return tuple(sorted((k, tuple(sorted(str(v).split())) if k == "documents" else str(v)) for k, v in row.items()))


def test_same_rows_when_documents_are_loaded_again_in_other_encodings(encodings_store):
    bindings = every_binding()
    assert len(bindings) > 80
    answered: Counter[str] = Counter()
    for name, params in bindings:
        once = [_key(r) for r in run_query(name, **params)]
        four = [_key(r) for r in run_query(name, encodings_store, **params)]
        repeated = [r for r, n in Counter(four).items() if n > 1]
        assert not repeated, (name, params, len(four), len(set(four)))
        assert sorted(four) == sorted(once), (name, params)
        answered[name] += bool(once)
    # every query answered for most of its bindings, so the comparison meant something
    assert set(answered) == set(VARIABLES) and min(answered.values()) >= 1, answered


@pytest.fixture(scope="module")
def two_sources_store(tmp_path_factory) -> ox.Store:
    """Every sample stated by two graphs: the sample, and another source of the same
    disclosure (its text with a note appended: other content, so another graph, stating
    the same department, budget, lines and projects)."""
    folder = tmp_path_factory.mktemp("two-sources")
    docs = [converted(p.name[:3]) for p in SAMPLES]
    for p in SAMPLES:
        copy = folder / f"{p.stem}-republished.txt"
        copy.write_text(p.read_text(encoding="utf-8") + "\n附注：本表为再次公开。\n", encoding="utf-8")
        docs.append(convert_document(copy))
    assert len({d.graph_iri for d in docs}) == 2 * len(SAMPLES)
    return load(docs)


def test_same_rows_when_every_document_is_stated_by_two_sources(two_sources_store):
    """The per-document patterns of the canned queries run within one graph: over the bare
    union default graph each further source multiplied every joined pattern (procurement
    took 100x longer with two sources, and four ran out of memory)."""
    for name, params in every_binding():
        once = [_key(r) for r in run_query(name, **params)]
        two = [_key(r) for r in run_query(name, two_sources_store, **params)]
        assert sorted(two) == sorted(once), (name, params)


# ---- over HTTP: paging (limit/offset) and the full row count (X-Total-Count)

@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    from converter.store.embedded import commit, open_store
    from tests.endpoint_support import Server

    path = tmp_path_factory.mktemp("samples") / "store"
    store = open_store(path)
    bulk_load_documents(store, [(converted(p.name[:3]).graph_iri, converted(p.name[:3]).nquads) for p in SAMPLES])
    commit(store, path)
    del store  # release the RocksDB lock before the server opens it
    srv = Server("--store", str(path), "--workers", "2")
    yield srv
    srv.stop()


def _http(server, name: str, accept: str = "application/sparql-results+json", **params):
    import httpx

    return httpx.get(f"{server.url}/queries/{name}", params=params, headers={"Accept": accept}, timeout=30)


def _bindings(r) -> list[dict]:
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


@pytest.mark.parametrize("name,params,total", [
    ("department-projects", {"department": GAOXIN, "year": "2024"}, 14),
    ("budget-lines", {"department": GAOXIN, "year": "2024"}, 50),
    ("funding-recipients", {"doc": "石财外[2023]43号"}, 2),
    ("funding-documents", {}, 31),
    ("procurement", {"department": GAOXIN, "year": "2024"}, 6),
])
def test_pages_cover_the_answer_once_with_its_total(sample_server, name, params, total):
    whole = _http(sample_server, name, **params)
    assert whole.headers["x-total-count"] == str(total) and len(_bindings(whole)) == total
    size = 5 if total > 5 else 1
    pages = []
    for offset in range(0, total + size, size):
        r = _http(sample_server, name, limit=size, offset=offset, **params)
        assert r.headers["x-total-count"] == str(total)
        pages.append(_bindings(r))
    assert [len(p) for p in pages] == [min(size, max(0, total - o)) for o in range(0, total + size, size)]
    assert [row for p in pages for row in p] == _bindings(whole)  # in order, nothing twice


def test_paging_in_every_format_and_bad_values(sample_server):
    params = {"department": GAOXIN, "year": "2024", "limit": "3", "offset": "2"}
    for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+xml", "text/html"):
        r = _http(sample_server, "department-projects", accept, **params)
        assert r.status_code == 200 and r.headers["x-total-count"] == "14", accept
    r = _http(sample_server, "department-projects", "text/csv", **params)
    assert len(r.text.strip().splitlines()) == 1 + 3
    assert _http(sample_server, "funding-documents", limit="0").headers["x-total-count"] == "31"
    for bad in ("-1", "abc", "1e3", "1.5", "9" * 12):
        r = _http(sample_server, "funding-documents", limit=bad)
        assert r.status_code == 400 and "limit" in r.text, bad
        assert _http(sample_server, "funding-documents", offset=bad).status_code == 400
    # a name form and a year written with a leading zero still find the department
    r = _http(sample_server, "department-projects", department=GAOXIN, year="02024", limit="1")
    assert len(_bindings(r)) == 1 and r.headers["x-total-count"] == "14"


# ---- at scale: every canned query on a store of a few hundred synthetic documents

SCALE_DOCS = 200
SLOW = 1.0  # seconds: the best of three runs of any canned query over HTTP must stay below


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    """A store of SCALE_DOCS synthetic documents (bench.synth), written by `budgetlod load`."""
    import subprocess
    import sys

    from bench.synth.generator import Synth
    from tests.endpoint_support import ROOT

    tmp = tmp_path_factory.mktemp("synthetic")
    corpus, store_dir = tmp / "corpus", tmp / "store"
    Synth(7, SCALE_DOCS).write(corpus, workers=2)
    r = subprocess.run([sys.executable, "-m", "converter.cli", "load", str(corpus), "--store", str(store_dir),
                        "--no-validate", "--no-progress", "--jobs", "2"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return store_dir


def test_every_canned_query_is_fast_on_a_few_hundred_documents(synthetic_store):
    """Synthetic corpus (bench.synth) -> `budgetlod load` -> `budgetlod serve`; every canned
    query with the parameters users send (a department by its shortest name form, the year of
    its largest budget, the most cited funding document), the first page where it pages."""
    import httpx

    from bench.scale_queries import NONE_IN_SYNTH, http_side, pick_bindings, time_queries
    from tests.endpoint_support import Server

    store_dir = synthetic_store
    store = ox.Store.read_only(str(store_dir))
    bindings = pick_bindings(store)
    del store
    srv = Server("--store", str(store_dir), "--workers", "2", "--timeout", "20")
    try:
        with httpx.Client(timeout=30) as client:
            timed = time_queries(bindings, {"http": http_side(client, srv.url)}, runs=3, budget=10)
    finally:
        srv.stop()
    slow = {name: round(t["http"]["min"], 3) for name, t in timed.items() if t["http"]["min"] > SLOW}
    assert not slow, slow
    # the bindings found something to answer for (a fast empty answer would prove nothing),
    # except where the corpus holds nothing to find (timed all the same: finding nothing
    # must be fast too)
    assert all(t["rows"]["http"] > 0 for n, t in timed.items() if n not in NONE_IN_SYNTH), \
        {n: t["rows"] for n, t in timed.items()}
    assert NONE_IN_SYNTH < set(timed)


# funding-recipients as a join over the citing graphs (what the registry's numbered rows stand
# for), ordered by its four keys in turn
FUNDING_RECIPIENTS_JOIN = """# title: funding-recipients by a join
# description: the join over the citing graphs
# parameters: doc
PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?department ?departmentName ?year ?project ?projectCode ?projectName ?amount WHERE {
  GRAPH ?g {
    ?document eli:id_local ?param_doc .
    ?project dcterms:references ?document ; bl:department ?department ; bl:projectName ?projectName .
    ?department skos:prefLabel ?departmentName .
    OPTIONAL { ?project bl:fiscalYear ?year }
    OPTIONAL { ?project bl:projectCode ?projectCode }
    OPTIONAL { ?project bl:amountWan ?amount }
  }
}
ORDER BY ?year ?departmentName ?projectCode ?projectName"""


def test_funding_recipients_rows_and_order_are_the_join_over_the_citing_graphs(synthetic_store):
    """funding-recipients reads numbered rows from the registry graph (derived at commit).
    Every cited document of a synthetic corpus: the rows are those of the join over the
    citing graphs, in the order of (year, departmentName, projectCode, projectName) compared
    in turn (an unbound code first), and every page (limit/offset) is the slice of them."""
    from converter.store.embedded import query as union_query
    from endpoint.canned import COUNT_VAR, Page, count_query, paged_query, parse_canned

    store = ox.Store.read_only(str(synthetic_store))
    canned = load_canned()["funding-recipients"]
    plain = parse_canned("funding-recipients", FUNDING_RECIPIENTS_JOIN)
    docs = sorted({row["n"].value for row in store.query(
        "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } }")})
    fields = ("year", "departmentName", "projectCode", "projectName", "project", "amount", "department")
    seen = 0
    most: tuple = ("", 0, [])
    for doc in docs:
        got, ref = ([tuple(None if row[v] is None else row[v].value for v in fields)
                     for row in union_query(store, bind(cq, {"doc": doc}))] for cq in (canned, plain))
        assert sorted(got, key=str) == sorted(ref, key=str), doc
        keys = [(int(y) if y is not None else -1, d, c or "", n) for y, d, c, n, *_ in got]
        assert keys == sorted(keys), doc
        assert keys == [(int(y) if y is not None else -1, d, c or "", n) for y, d, c, n, *_ in ref], doc
        seen += len(got)
        if len(got) > most[1]:
            most = (doc, len(got), got)
    assert seen > 100
    doc, n, rows = most
    counted = list(union_query(store, count_query(canned, {"doc": doc})))
    assert int(counted[0][COUNT_VAR].value) == n
    for offset in range(0, n + 7, 7):
        page = [tuple(None if row[v] is None else row[v].value for v in fields) for row in union_query(
            store, paged_query(bind(canned, {"doc": doc}), Page(7, offset)))]
        assert page == rows[offset:offset + 7], (doc, offset)


# funding-documents as it was before the registry stated each document's count and total:
# the page's documents joined with every citing graph and grouped; the reference the
# registry's figures are tested against
FUNDING_DOCUMENTS_JOIN = """# title: funding-documents by a join
# description: the join over the citing graphs
# parameters:
PREFIX bl: <https://w3id.org/budget-lod/def#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?document ?number ?issuerPrefix ?year ?serial ?fiscal
       (COUNT(DISTINCT ?department) AS ?recipients) (SUM(?amount) AS ?total)
WHERE {
  {
    # each (project, department, budget) once, however many graphs state it
    SELECT DISTINCT ?document ?number ?issuerPrefix ?year ?serial ?fiscal ?project ?department ?amount WHERE {
      {
        # the documents from the store's registry graph, which states each cited document's
        # facts once (every citing graph states them too: read there, the list cost a pass
        # over every citation in the store); one property per subquery, which Oxigraph joins
        # by hash (a join of the five in one GRAPH pattern looks each up row by row: 5x slower)
        SELECT ?document ?number ?issuerPrefix ?year ?serial ?fiscal WHERE {
          { SELECT ?document ?number WHERE { GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?document eli:id_local ?number } } }
          { SELECT ?document ?issuerPrefix WHERE { GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?document bl:issuerPrefix ?issuerPrefix } } }
          { SELECT ?document ?year WHERE { GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?document bl:documentYear ?year } } }
          { SELECT ?document ?serial WHERE { GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?document bl:serialNumber ?serial } } }
          { SELECT ?document ?fiscal WHERE { GRAPH <https://w3id.org/budget-lod/graph/cited-documents> { ?document bl:financeDocument ?fiscal } } }
        }
        ORDER BY ?issuerPrefix ?year ?serial ?document
        # PAGE
      }
      # only the page's documents are joined with their citing projects; a project without
      # a stated budget counts 0, and no citing project leaves ?amount (so ?total) unbound
      OPTIONAL {
        GRAPH ?h {
          ?project dcterms:references ?document ; bl:department ?department .
          OPTIONAL { ?project bl:amountWan ?stated }
        }
        BIND(COALESCE(?stated, 0.0) AS ?amount)
      }
    }
  }
}
GROUP BY ?document ?number ?issuerPrefix ?year ?serial ?fiscal
ORDER BY ?issuerPrefix ?year ?serial ?document
"""


@pytest.mark.parametrize("corpus", ["samples", "synthetic"])
def test_funding_documents_counts_and_totals_are_the_join_over_the_citing_graphs(corpus, synthetic_store):
    """funding-documents reads each document's count of departments and total from the
    registry (computed at commit from the funding-recipients rows); they are those of the
    grouped join over the citing graphs for every cited document, on the five samples and on
    a synthetic corpus, and a page (limit/offset) gives the same figures."""
    from converter.store.embedded import query as union_query
    from endpoint.canned import Page, paged_query, parse_canned

    store = (load([converted(p.name[:3]) for p in SAMPLES]) if corpus == "samples"
             else ox.Store.read_only(str(synthetic_store)))
    fields = ("document", "number", "issuerPrefix", "year", "serial", "fiscal", "recipients", "total")

    def answer(cq, page=None) -> list[tuple]:
        text = bind(cq, {}) if page is None else paged_query(bind(cq, {}), page)
        return [tuple(None if row[v] is None else row[v] for v in fields) for row in union_query(store, text)]

    canned, plain = load_canned()["funding-documents"], parse_canned("funding-documents", FUNDING_DOCUMENTS_JOIN)
    got = answer(canned)
    assert got == answer(plain)
    assert sum(1 for row in got if row[-1] is not None) > (20 if corpus == "samples" else 100)
    assert any(int(row[-2].value) > 1 for row in got) == (corpus == "synthetic")
    assert answer(canned, Page(9, 9)) == got[9:18]


def test_a_document_summary_counts_each_project_and_department_once():
    """The registry's count and total of a document: a (project, department, budget) stated by
    several rows (two names of the department, two years) once, a project without a stated
    budget counting 0, two projects of one department one department; decimals summed
    exactly and written as Oxigraph writes a SUM (no trailing zeros)."""
    from converter.store.registry import RECIPIENT_FIELDS, Recipient, summary_quads

    def row(project: str, department: str, name: str, amount: str | None, year: str = "2024") -> Recipient:
        terms = {"document": ox.NamedNode("http://x/doc"), "number": ox.Literal("石财外〔2023〕39号"),
                 "department": ox.NamedNode("http://x/" + department), "departmentName": ox.Literal(name),
                 "year": ox.Literal(year, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                 "project": ox.NamedNode("http://x/" + project), "projectCode": None,
                 "projectName": ox.Literal(project),
                 "amount": None if amount is None else ox.Literal(
                     amount, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))}
        return Recipient(tuple(terms[f] for f in RECIPIENT_FIELDS))

    rows = [row("p1", "d1", "高新区投资服务局", "600.10"), row("p1", "d1", "投资服务局", "600.10"),
            row("p1", "d1", "高新区投资服务局", "600.10", year="2025"), row("p2", "d1", "投资服务局", "0.90"),
            row("p3", "d2", "科技局", None), row("p4", "d2", "科技局", "0.005")]
    count, total = (q.object for q in summary_quads(ox.NamedNode("http://x/doc"), rows))
    assert (count.value, count.datatype.value.rsplit("#", 1)[1]) == ("2", "integer")
    assert (total.value, total.datatype.value.rsplit("#", 1)[1]) == ("601.005", "decimal")
    _, total = (q.object for q in summary_quads(ox.NamedNode("http://x/doc"), rows[4:5]))
    assert total.value == "0"


# ---- the union default graph: one department stated by many documents

# other graphs stating the same statements as a document: another source of the same
# disclosure (the same text in other encodings is one graph by construction, as its graph
# IRI is the content digest, so more identical copies no longer reach a store)
COPIES = 1
MENTIONS = 40  # other documents stating each department and region (its type, names, region)


def _copy(doc: ConvertedDocument, i: int) -> tuple[str, str]:
    """The document's statements in a graph of their own (as another encoding of the same
    text gives): every node shared with the original, the graph IRI renamed throughout."""
    g = f"{doc.graph_iri}-copy{i}"
    return g, doc.nquads.replace(f"<{doc.graph_iri}>", f"<{g}>")


def _mentions(store: ox.Store) -> list[tuple[str, str]]:
    """MENTIONS graphs, each stating what documents say about every department and region
    (as the other years' documents of a department do)."""
    q = """PREFIX bl: <https://w3id.org/budget-lod/def#>
    SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s a ?c ; ?p ?o } VALUES ?c { bl:Department bl:Region } }"""
    lines = [f"{r['s']} {r['p']} {r['o']}" for r in store.query(q)]
    out = []
    for i in range(MENTIONS):
        g = f"https://w3id.org/budget-lod/graph/mentions-{i}"
        out.append((g, "".join(f"{t} <{g}> .\n" for t in lines)))
    return out


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory) -> dict:
    """The samples, a synthetic department's budget and 部门决算 (plan-vs-actual) and a
    project self-evaluation (project-evaluations), each stated by COPIES + 1 graphs, and
    every department and region by MENTIONS more: loaded as `budgetlod load` does (the
    union store) and, as the reference, as it was loaded before issue 14: the same graphs
    and their RDF merge stored in the default graph, queried as it was (its default graph)."""
    from bench.synth.generator import Synth
    from tests.test_evaluation import TEMPLATE

    out = tmp_path_factory.mktemp("many")
    Synth(seed=11, n=1).write(out, final=True)
    evaluation = out / "xian.txt"
    evaluation.write_text("\n".join(["西安市卫生健康委员会2022年度部门决算", "", "项目支出绩效自评表", ""]
                                    + ["\t".join(r) for r in TEMPLATE]) + "\n", encoding="utf-8")
    docs = [converted(p.name[:3]) for p in SAMPLES]
    docs += [convert_document(p) for p in (out / "00000.txt", out / "00000.final.txt", evaluation)]
    graphs = [(d.graph_iri, d.nquads) for d in docs] + [_copy(d, i) for d in docs for i in range(COPIES)]
    union = ox.Store()
    bulk_load_documents(union, graphs)
    bulk_load_documents(union, _mentions(union))
    merge = ox.Store()  # the layout before issue 14: the same graphs, and their merge stored
    merge.bulk_load(ox.serialize(union, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    merge.bulk_load(ox.serialize({q.triple for q in union}, format=ox.RdfFormat.N_TRIPLES),
                    format=ox.RdfFormat.N_TRIPLES)
    fa = json.loads((out / "00000.final.truth.json").read_text(encoding="utf-8"))
    extra = [("plan-vs-actual", {"department": fa["departmentName"], "year": fa["fiscalYear"]}),
             ("project-evaluations", {"department": "西安市卫生健康委员会", "year": 2022})]
    return {"union": union, "merge": merge, "extra": extra}


def test_every_canned_query_on_the_union_of_many_documents(many_documents):
    """Each document is stated by 2 graphs and each department by 42 or more, which the
    union default graph does not deduplicate: every canned query still gives exactly the
    rows the RDF merge gives (same order, same multiplicity), none repeated."""
    union, merge = many_documents["union"], many_documents["merge"]
    assert sum(1 for _ in union.quads_for_pattern(None, None, None, ox.DefaultGraph())) == 0
    work = every_binding() + many_documents["extra"]
    answered: Counter[str] = Counter()
    for name, params in work:
        reference = [_key(r) for r in run_query(name, merge, union=False, **params)]
        got = [_key(r) for r in run_query(name, union, **params)]
        repeated = [r for r, n in Counter(got).items() if n > 1]
        assert not repeated, (name, params, len(got), len(set(got)))
        assert got == reference, (name, params)
        answered[name] += bool(reference)
    assert set(answered) == set(CANNED) and min(answered.values()) >= 1, answered


def test_page_mark_pages_the_marked_subquery_and_counts_its_rows():
    """A `# PAGE` mark puts LIMIT/OFFSET into its subquery (only the page's rows get the
    columns computed after it) and the count counts that subquery's rows."""
    from endpoint.canned import Page, count_query, paged_query, parse_canned

    text = ("# title: t\nPREFIX ex: <urn:ex:>\nSELECT ?s ?n WHERE {\n  { SELECT DISTINCT ?s WHERE { ?s ex:p ?o }\n"
            "    ORDER BY ?s\n    # PAGE\n  }\n  OPTIONAL { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?s }\n}\n"
            "ORDER BY ?s\n")
    cq = parse_canned("t", text)
    store = ox.Store()
    for i in range(7):
        store.add(ox.Quad(ox.NamedNode(f"urn:ex:s{i}"), ox.NamedNode("urn:ex:p"), ox.Literal(str(i))))
    paged = paged_query(text, Page(limit=3, offset=2))
    assert "LIMIT 3\nOFFSET 2\n  }" in paged and paged.rstrip().endswith("ORDER BY ?s")
    assert [r["s"].value for r in store.query(paged)] == [f"urn:ex:s{i}" for i in (2, 3, 4)]
    assert paged_query(text, Page()) == text.replace("    # PAGE\n", "\n")
    counted = count_query(cq, {})
    assert "OPTIONAL" not in counted
    assert next(iter(store.query(counted)))[0].value == "7"
    with pytest.raises(ValueError, match="PAGE"):
        count_query(parse_canned("u", "SELECT ?s WHERE {\n ?s ?p ?o\n # PAGE\n}\n"), {})
