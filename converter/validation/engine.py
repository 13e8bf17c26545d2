"""One SHACL run over one graph, no inference: the core constraints by pyshacl, the
SHACL-SPARQL constraints on Oxigraph (converter/validation/sparql.py), merged into one
report with findings extracted. Shapes are parsed once per process.

First, the core shapes compiled to SPARQL (converter/validation/compiled.py) run on the
graph in Oxigraph as a complete detector: where they prove pyshacl has nothing to report
(the usual case), pyshacl and the rdflib data graph are skipped; anywhere else the plain
path below runs, so every reported finding is still pyshacl's.

Speed (same results as the plain pyshacl run, tests/test_validation_speed.py): the data
graph is built by converter/validation/graph.py, and the property shapes of the node
shapes are handed to pyshacl as top-level shapes with the node shape's targets, which
pyshacl evaluates once over all focus nodes instead of once per focus node."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from converter.mapping import vocab
from converter.mapping.iris import VOCAB
from converter.resources import shapes_dir
from converter.validation.compiled import Compiled, compile_core, suspect
from converter.validation.graph import OneGraphStore, data_graph, kept_apart, parse, same_reading
from converter.validation.sparql import Constraint, add_to_report, constraints_of, evaluate, strip_sparql

SH = Namespace("http://www.w3.org/ns/shacl#")
BL = Namespace(VOCAB)
SKOS = vocab.SKOS
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
QB_DATASET = URIRef("http://purl.org/linked-data/cube#dataSet")
RDFS_CLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#Class")
OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

SHAPE_FILES = {"document": ("structure.ttl", "arithmetic.ttl"), "cross": ("cross.ttl",)}
# resources that several documents' graphs describe: checked together in the cross pass
SHARED_CLASSES = (str(BL.Document), str(BL.Project), str(BL.Department), str(BL.Region), str(BL.CodeConcept))


@dataclass
class Finding:
    severity: str  # Violation / Warning / Info
    document: str  # source file name (or the graph IRI when unknown)
    focus: str
    path: str
    value: str
    message: str
    shape: str
    table: str = ""  # title of the source table of the focus node, where it has one

    def line(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value and self.value not in self.message else ""
        message = self.message.removeprefix(f"{self.document}: ")
        table = f"{self.table}: " if self.table and self.table not in message else ""
        return f"{self.document}: {self.severity.upper()}: {table}{message}{value} — {self.focus}{where}"


@lru_cache(maxsize=None)
def shapes_graph(kind: str) -> Graph:
    g = Graph()
    for name in SHAPE_FILES[kind]:
        g.parse(shapes_dir() / name, format="turtle")
    return g


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def hoist_property_shapes(shapes: Graph) -> tuple[Graph, frozenset[tuple]]:
    """A copy of ``shapes`` where each property shape P of a targeted node shape N becomes a
    top-level shape with N's targets, and the target triples so added. Same focus nodes,
    value nodes and results (sourceShape P, P's own severity and messages), but pyshacl
    builds and runs P's constraints once per shape, not once per focus node (~3x faster).
    Only where nothing else can reach P or N: N is referenced by no triple, P only by N,
    neither has targets of its own or is deactivated, N has no implicit or SPARQL targets."""
    g = Graph()
    for t in shapes:
        g.add(t)
    added = set()
    for n, p in list(g.subject_objects(SH.property)):
        targets = [(pred, o) for pred in _TARGETS for o in g.objects(n, pred)]
        if (not targets or (None, None, n) in g or (n, SH.deactivated, None) in g or (n, SH.target, None) in g
                or any((n, RDF.type, c) in g for c in (RDFS_CLASS, OWL_CLASS))):
            continue
        if (len(set(g.subject_predicates(p))) != 1 or (p, SH.deactivated, None) in g
                or any((p, pred, None) in g for pred in _TARGETS)):
            continue
        g.remove((n, SH.property, p))
        for pred, o in targets:
            g.add((p, pred, o))
            added.add((p, pred, o))
    return g, frozenset(added)


@lru_cache(maxsize=None)
def _core(kind: str) -> tuple[Graph, frozenset[tuple]]:
    hoisted, added = hoist_property_shapes(strip_sparql(shapes_graph(kind)))
    lean = Graph(store=OneGraphStore())  # pyshacl reads the shapes on every run: the fast store
    for t in hoisted:
        lean.add(t)
    return lean, added


def core_shapes(kind: str) -> Graph:
    """The shapes pyshacl runs: no SPARQL constraints, property shapes hoisted."""
    return _core(kind)[0]


@lru_cache(maxsize=None)
def sparql_constraints(kind: str) -> list[Constraint]:
    return constraints_of(shapes_graph(kind))


def _short(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    for ns, prefix in ((str(BL), "bl:"), (SKOS, "skos:")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def _document_name(data: Graph, focus: object, fallback: str) -> str:
    """The source file a focus node was derived from (its graph's file, else the IRI)."""
    for src in data.objects(focus, PROV_DERIVED):  # type: ignore[arg-type]
        for name in data.objects(src, BL.fileName):
            return str(name)
    names = sorted(str(n) for n in data.objects(None, BL.fileName))
    return names[0] if len(names) == 1 else fallback


def _table_title(data: Graph, focus: object) -> str:
    tables = list(data.objects(focus, BL.sourceTable)) + list(data.objects(focus, QB_DATASET))  # type: ignore[arg-type]
    for table in tables:
        label = data.value(table, RDFS_LABEL)
        return str(label) if label is not None else str(data.value(table, BL.tableKey) or "")
    return ""


def core_report(data: Graph, kind: str) -> Graph:
    """pyshacl's report of the core (non-SPARQL) shapes."""
    _conforms, report, _text = validate(
        data, shacl_graph=core_shapes(kind), inference="none", allow_warnings=True,
        advanced=False, abort_on_first=False, meta_shacl=False, do_owl_imports=False,
    )
    if not isinstance(report, Graph):  # pyshacl refused the shapes graph
        raise RuntimeError(f"SHACL engine failure: {report}")
    if len(report) > 2:  # results: the report copies their blank-node source shapes, without our targets
        for t in _core(kind)[1]:
            report.remove(t)
    return report


def sparql_store(ntriples: bytes, quads: list[ox.Quad] | None) -> ox.Store:
    store = ox.Store()
    if quads is not None:
        store.extend(quads)  # already parsed: twice as fast as loading the text again
    else:
        store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def shared_triples(store: ox.Store) -> bytes:
    """What the graph says about the resources documents share (for the cross pass)."""
    values = " ".join(f"<{c}>" for c in SHARED_CLASSES)
    return store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?t . VALUES ?t { " + values + " } ?s ?p ?o }"
    ).serialize(format=ox.RdfFormat.N_TRIPLES) or b""


def findings_of(report: Graph, data: Graph, kind: str, graph_label: str) -> list[Finding]:
    findings: list[Finding] = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        severity = report.value(res, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        findings.append(Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            document=_document_name(data, focus, graph_label) if kind == "document" else "(cross-document)",
            focus=_short(focus),
            path=_short(report.value(res, SH.resultPath)),
            value=_short(report.value(res, SH.value)),
            message=messages[0] if messages else _short(report.value(res, SH.sourceConstraintComponent)),
            shape=_short(report.value(res, SH.sourceShape)),
            table=_table_title(data, focus) if kind == "document" else "",
        ))
    return findings


@lru_cache(maxsize=None)
def compiled_core(kind: str) -> Compiled | None:
    return compile_core(strip_sparql(shapes_graph(kind)))


def graph_store(ntriples: bytes) -> ox.Store:
    """The graph in an in-memory Oxigraph store. Lenient: no IRI syntax checks (half of the
    load time); the text is our mapping's or Oxigraph's own serialisation, and IRI syntax
    is no SHACL constraint of ours."""
    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


def fast_store(ntriples: bytes, kind: str) -> ox.Store | None:
    """The graph in Oxigraph where the compiled detector proves pyshacl has nothing to
    report on it; None where pyshacl must run (a suspect, a shape not compiled, or a graph
    Oxigraph reads differently from rdflib: other terms, or literals it merges)."""
    compiled = compiled_core(kind)
    if compiled is None or not same_reading(ntriples):
        return None
    try:
        store = graph_store(ntriples)
    except SyntaxError:
        return None
    if not kept_apart(len(store), ntriples) or suspect(store, compiled):
        return None
    return store


def run_shapes(ntriples: bytes, kind: str, graph_label: str) -> tuple[list[Finding], str, bytes]:
    """Findings, the report (N-Triples; empty without findings) and the triples about
    shared resources (for the cross-document pass) of one data graph."""
    store = fast_store(ntriples, kind)
    if store is not None:  # no core findings: the SPARQL constraints alone
        hits = evaluate(store, sparql_constraints(kind))
        shared = shared_triples(store) if kind == "document" else b""
        if not hits:
            return [], "", shared
        report = Graph()
        top = BNode()
        report.add((top, RDF.type, SH.ValidationReport))
        report.add((top, SH.conforms, Literal(True)))
        add_to_report(report, hits)
        data = data_graph(ntriples, parse(ntriples))  # findings name the file and table
        findings = findings_of(report, data, kind, graph_label)
        return findings, report.serialize(format="nt"), shared
    quads = parse(ntriples)
    data = data_graph(ntriples, quads)
    report = core_report(data, kind)
    store = sparql_store(ntriples, quads)
    add_to_report(report, evaluate(store, sparql_constraints(kind)))
    shared = shared_triples(store) if kind == "document" else b""
    findings = findings_of(report, data, kind, graph_label)
    return findings, report.serialize(format="nt") if findings else "", shared
