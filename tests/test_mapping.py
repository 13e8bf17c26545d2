"""Records -> RDF: determinism, parse equivalence, IRIs, provenance, funding documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.errors import InputError
from converter.mapping import convert_disclosure, merge_nquads
from converter.pipeline import convert_document, convert_paths
from converter.mapping.iris import DEFAULT_BASE, Minter, name_key, resolve_base
from converter.pipeline import extract
from tests.test_mapping_support import ROOT, SAMPLES, all_nquads, converted

BL = "https://w3id.org/budget-lod/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
IRI = re.compile(r"<([^>]*)>")


def _quads_rdflib(text: str) -> set[tuple]:
    ds = rdflib.Dataset()
    ds.parse(data=text, format="nquads")
    out = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if isinstance(o, rdflib.Literal):
            obj = ("L", str(o), str(o.datatype) if o.datatype else None, o.language)
        else:
            obj = ("I", str(o))
        out.add((str(s), str(p), obj, str(g.identifier if hasattr(g, "identifier") else g)))
    return out


def _quads_oxigraph(text: str) -> set[tuple]:
    out = set()
    for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        o = q.object
        if isinstance(o, ox.Literal):
            lang = o.language
            obj = ("L", o.value, None if lang else o.datatype.value, lang)
        else:
            obj = ("I", o.value)
        out.add((q.subject.value, q.predicate.value, obj, q.graph_name.value))
    return out


def test_nquads_parse_to_the_same_graph_with_rdflib_and_pyoxigraph():
    text = all_nquads()
    a, b = _quads_rdflib(text), _quads_oxigraph(text)
    # RDF 1.1: a simple literal is an xsd:string; rdflib leaves its datatype unset
    a = {(s, p, (o[0], o[1], None if o[3] else (o[2] or XSD + "string"), o[3]) if o[0] == "L" else o, g)
         for s, p, o, g in a}
    assert a == b
    assert len(a) == len(text.splitlines())  # no duplicate lines, no blank nodes
    assert "_:" not in text


def test_output_is_sorted_and_byte_deterministic():
    first = converted("000").nquads
    again = convert_document(next(p for p in SAMPLES if p.name.startswith("000"))).nquads
    assert first == again
    assert first.splitlines() == sorted(first.splitlines())


def test_iris_identical_across_input_order():
    forward = merge_nquads(r for r in convert_paths(SAMPLES, workers=1))
    backward = merge_nquads(r for r in convert_paths(list(reversed(SAMPLES)), workers=2))
    assert forward == backward == all_nquads()


def test_iris_are_ascii_and_under_the_base():
    quads = list(ox.parse(all_nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                assert term.value.isascii(), term.value
    assert all(q.subject.value.startswith(DEFAULT_BASE) for q in quads)


def test_base_is_configurable(monkeypatch):
    d = extract(next(p for p in SAMPLES if p.name.startswith("002"))).disclosure
    other = convert_disclosure(d, "http://example.org/lod").nquads
    assert "https://w3id.org/budget-lod/source/" not in other
    assert "<http://example.org/lod/source/" in other
    monkeypatch.setenv("BUDGETLOD_BASE", "http://example.net/x/")
    assert resolve_base() == "http://example.net/x/"
    assert "<http://example.net/x/graph/" in convert_disclosure(d).nquads
    with pytest.raises(ValueError):
        resolve_base("not an iri with spaces")


def test_department_is_one_resource_across_name_forms_and_years():
    m = Minter()
    a = m.department("鹿泉区投资促进局", "鹿泉区")
    assert a == m.department("石家庄市鹿泉区投资促进局", "石家庄市鹿泉区")
    assert a == m.department("石家庄市鹿泉区投资促进局", None)
    assert name_key("石家庄高新技术产业开发区投资服务局", "石家庄高新技术产业开发区") == "石家庄高新技术产业开发区投资服务局"
    assert m.budget(a, 2023) != m.budget(a, 2024)
    # 002 (self-evaluation, 鹿泉区投资促进局) and 003 share their region resource
    region = m.region("石家庄市鹿泉区")
    assert f"<{region}>" in converted("002").nquads and f"<{region}>" in converted("003").nquads
    d = extract(next(p for p in SAMPLES if p.name.startswith("002"))).disclosure
    d2 = extract(next(p for p in SAMPLES if p.name.startswith("002"))).disclosure
    d2.fiscal_year, d2.sha256 = 2024, "0" * 64
    g1, g2 = convert_disclosure(d).nquads, convert_disclosure(d2).nquads
    dept = m.department("鹿泉区投资促进局", "鹿泉区")
    assert f"<{m.budget(dept, 2023)}> <{BL}department> <{dept}>" in g1
    assert f"<{m.budget(dept, 2024)}> <{BL}department> <{dept}>" in g2


def test_every_name_form_is_a_label():
    text = converted("002").nquads
    dept = Minter().department("鹿泉区投资促进局", "鹿泉区")
    labels = set(re.findall(rf"<{re.escape(dept)}> <http://www.w3.org/2004/02/skos/core#altLabel> \"([^\"]+)\"@zh", text))
    assert {"鹿泉区投资促进局", "石家庄市鹿泉区投资促进局"} <= labels


def test_funding_document_is_shared_and_citations_are_reified():
    m = Minter()
    doc = m.document("承财建", 2022, 110)
    text = converted("001").nquads
    alloc = m.project_allocation(m.project("13081124P00005510003H"), extract(
        next(p for p in SAMPLES if p.name.startswith("001"))).disclosure.fiscal_year)
    assert f'<{doc}> <http://data.europa.eu/eli/ontology#id_local> "承财建〔2022〕110号"' in text
    assert f"<{alloc}> <{BL}fundedBy> <{doc}>" in text
    assert f"<{alloc}> <http://purl.org/dc/terms/references> <{doc}>" in text
    # the citation node carries the place (basis column) and the written form
    cites = re.findall(rf"^(<[^>]+>) <{BL}cites> <{re.escape(doc)}>", text, re.M)
    assert len(cites) == 1
    block = [l for l in text.splitlines() if l.startswith(cites[0] + " ")]
    assert any(f"<{BL}citationContext> <https://w3id.org/budget-lod/def/code/citation-context/basis>" in l for l in block)
    assert any(f'<{BL}writtenAs> "承财建[2022]110号"@zh' in l for l in block)
    assert any(f"<{BL}citingProject> <{alloc}>" in l for l in block)
    # one IRI for a canonical number, whatever the graph: 石财外〔2023〕43号 in 000 only, but
    # the IRI does not depend on the citing document
    d43 = m.document("石财外", 2023, 43)
    assert converted("000").nquads.count(f"<{d43}> <http://data.europa.eu/eli/ontology#id_local>") == 1


def test_amounts_are_decimals_and_provenance_is_on_records():
    text = converted("000").nquads
    amounts = re.findall(rf"<{BL}amount> (\S+)", text)
    assert amounts and all(a.endswith(f"^^<{XSD}decimal>") for a in amounts)
    assert f'"600"^^<{XSD}decimal>' in text  # 600.00 万元, canonical xsd:decimal
    ds = rdflib.Dataset()
    ds.parse(data=text, format="nquads")
    g = rdflib.ConjunctiveGraph(store=ds.store)
    rows = list(g.query(f"""SELECT ?s ?file ?sha WHERE {{
        ?s a <{BL}BudgetLine> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src ; <{BL}sourceLine> ?l .
        ?src <{BL}fileName> ?file ; <{BL}sha256> ?sha }}"""))
    assert len(rows) > 100
    assert {str(r.file) for r in rows} == {"000_4b57f9589128d5bb.txt"}


def test_absent_values_are_absent():
    # 004's project tables print no project code and no 预算数
    text = converted("004").nquads
    assert f"<{BL}ProjectAllocation>" in text
    assert f"<{BL}Project>" not in text and f"<{BL}projectCode>" not in text
    d = extract(next(p for p in SAMPLES if p.name.startswith("004"))).disclosure
    with_budget = sum(1 for p in d.projects if p.budget is not None)
    assert len(re.findall(rf"/project/[^>]*> <{BL}amount>", text)) == with_budget


def test_bad_input_raises_input_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 not a document")
    with pytest.raises(InputError):
        convert_document(bad)
    results = list(convert_paths([bad, next(p for p in SAMPLES if p.name.startswith("002"))], workers=2))
    assert isinstance(results[0], InputError) and not isinstance(results[1], InputError)


def test_ontology_declares_every_own_term_with_labels_and_comment():
    onto = rdflib.Graph().parse(ROOT / "ontology" / "budget-lod.ttl")
    rdflib.Graph().parse(ROOT / "ontology" / "codelists.ttl")
    used = set(re.findall(r"https://w3id\.org/budget-lod/def#(\w+)", all_nquads()))
    for f in list((ROOT / "shapes").glob("*.ttl")) + list((ROOT / "endpoint" / "queries").glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        used |= set(re.findall(r"https://w3id\.org/budget-lod/def#(\w+)", text))
        used |= set(re.findall(r"\bbl:(\w+)", text))
    RDFS = rdflib.RDFS
    for term in sorted(used):
        iri = rdflib.URIRef(BL + term)
        langs = {l.language for l in onto.objects(iri, RDFS.label)}
        assert {"zh", "en"} <= langs, f"bl:{term} lacks zh/en labels"
        assert onto.value(iri, RDFS.comment) is not None, f"bl:{term} lacks a comment"


def test_vocabulary_has_no_blank_nodes():
    """The vocabulary is loaded into the store and dumped with the documents: a blank node
    there gets a store-internal label, and the dumps would differ from store to store."""
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        g = rdflib.Graph().parse(f)
        blank = [t for t in g for term in t if isinstance(term, rdflib.BNode)]
        assert not blank, f"{f.name}: {blank[:3]}"


def test_cli_convert(tmp_path):
    out = tmp_path / "out.nq"
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sample = next(p for p in SAMPLES if p.name.startswith("002"))
    proc = subprocess.run([sys.executable, "-m", "converter.cli", "convert", str(bad), str(sample), "-o", str(out)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr.count("error: ") == 1 and "empty.txt" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == converted("002").nquads


# ---- the N-Quads term writers against a character-by-character reference

_REFERENCE_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _reference_escape(text: str) -> str:
    return "".join(_REFERENCE_ESC.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                   for c in text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x9FFF), max_size=40))
def test_literal_escaping_and_iri_check_match_the_reference(value: str) -> None:
    from converter.mapping import nquads

    assert nquads._escape(value) == _reference_escape(value)
    bad = any(c in '<>"{}|^`\\' or ord(c) <= 0x20 for c in value)
    try:
        nquads.iri(value)
        assert not bad, value
    except ValueError:
        assert bad, value
    # what we write, Oxigraph reads back as the same string
    line = f"<urn:s> <urn:p> {nquads.text(value, None)} .\n"
    assert next(iter(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))).object.value == value
