"""One SHACL run over one graph, no inference: the core constraints by pyshacl, the
SHACL-SPARQL constraints on Oxigraph (converter/validation/sparql.py), merged into one
report with findings extracted. Shapes are parsed once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from converter.validation.sparql import Constraint, add_to_report, constraints_of, evaluate, strip_sparql

SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
BL = Namespace("https://w3id.org/budget-lod/def#")
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
QB_DATASET = URIRef("http://purl.org/linked-data/cube#dataSet")

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
        g.parse(SHAPES_DIR / name, format="turtle")
    return g


@lru_cache(maxsize=None)
def core_shapes(kind: str) -> Graph:
    return strip_sparql(shapes_graph(kind))


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


def run_shapes(ntriples: bytes, kind: str, graph_label: str) -> tuple[list[Finding], str, bytes]:
    """Findings, the report (N-Triples) and the triples about shared resources (for the
    cross-document pass) of one data graph."""
    data = Graph()
    data.parse(data=ntriples.decode("utf-8"), format="nt")
    _conforms, report, _text = validate(
        data, shacl_graph=core_shapes(kind), inference="none", allow_warnings=True,
        advanced=False, abort_on_first=False, meta_shacl=False, do_owl_imports=False,
    )
    if not isinstance(report, Graph):  # pyshacl refused the shapes graph
        raise RuntimeError(f"SHACL engine failure: {report}")
    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    add_to_report(report, evaluate(store, sparql_constraints(kind)))
    shared = b""
    if kind == "document":
        values = " ".join(f"<{c}>" for c in SHARED_CLASSES)
        shared = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?t . VALUES ?t { " + values + " } ?s ?p ?o }"
        ).serialize(format=ox.RdfFormat.N_TRIPLES) or b""
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
    return findings, report.serialize(format="nt"), shared
