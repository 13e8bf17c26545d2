"""SHACL validation of converted documents: every named graph alone (in parallel worker
processes) against shapes/structure.ttl + shapes/arithmetic.ttl, then one cross-document
pass over the resources documents share (documents, projects, departments, code concepts)
against shapes/cross.ttl. No OWL/RDFS inference is run.

Violations are structural errors (the graph is wrong); warnings are the arithmetic checks
of the source tables (the document is inconsistent) and never make validation fail."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF

from converter.batch import Pool, WorkerDied
from converter.mapping.iris import VOCAB as BL
from converter.validation.engine import Finding, run_shapes

if TYPE_CHECKING:
    from converter.mapping import ConvertedDocument

__all__ = ["ValidationResult", "Finding", "validate_nquads", "validate_documents"]

SH = Namespace("http://www.w3.org/ns/shacl#")
_DEFAULT = "(default graph)"


@dataclass
class ValidationResult:
    conforms: bool  # no violations (warnings allowed)
    violations: int
    warnings: int
    report_ttl: str  # one sh:ValidationReport over all graphs, Turtle
    summary: str  # readable lines: document, table, values
    graphs: int = 0
    findings: list[Finding] = field(default_factory=list)


def _split_graphs(nquads: str | bytes) -> list[tuple[str, bytes]]:
    """Each named graph's triples as N-Triples bytes (plus default-graph triples, if any)."""
    store = ox.Store()
    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    store.load(data, format=ox.RdfFormat.N_QUADS)
    parts = []
    for g in sorted(store.named_graphs(), key=lambda n: n.value):
        parts.append((g.value, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)))
    default = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    if default.strip():
        parts.append((_DEFAULT, default))
    return parts


def own_triples(nquads: str | bytes) -> bytes:
    """The converter's own output (one graph, one canonical quad per line) as N-Triples:
    its one graph term cut from every line at once where every line ends in it (a literal
    holds no raw line break, so only line ends match), else line by line."""
    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    first = data[: data.find(b"\n") + 1]
    graph = first[first.rfind(b" <", 0, len(first) - 3):] if first.endswith(b"> .\n") else b""
    if graph and data.count(graph) == data.count(b"\n") and data.endswith(b"\n"):
        return data.replace(graph, b" .\n")
    return b"".join(line.rsplit(b" ", 2)[0] + b" .\n" for line in data.splitlines() if line)



def _job(args: tuple[str, bytes | str, str]) -> tuple[str, list[Finding], str, bytes]:
    """One graph: ``payload`` is N-Triples bytes, or the converter's own N-Quads text."""
    graph_iri, payload, kind = args
    ntriples = own_triples(payload) if isinstance(payload, str) else payload
    findings, report_nt, shared = run_shapes(ntriples, kind, graph_iri)
    return graph_iri, findings, report_nt, shared


def _outputs(jobs: Iterable[tuple[str, bytes | str, str]], workers: int) -> Iterator[tuple]:
    """_job over the graphs in the batch pool (bounded in flight, input order). A graph
    whose worker died twice was not validated: that is reported as its violation."""
    with Pool(_job, workers) as pool:
        for (graph_iri, _, _), out in pool.map(jobs):
            if isinstance(out, WorkerDied):
                out = (graph_iri, [Finding("Violation", graph_iri, graph_iri, "", "",
                                           f"not validated: {out}", "")], "", b"")
            yield out


def _run(jobs: Iterable[tuple[str, bytes | str, str]], workers: int | None) -> ValidationResult:
    jobs = iter(jobs)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    first = list(islice(jobs, 2))
    jobs = chain(first, jobs)
    results: list[tuple[str, list[Finding], str, bytes]] = []
    shared: dict[bytes, None] = {}  # the triples graphs share, each once (first-seen order)

    def collect(outputs: Iterable[tuple[str, list[Finding], str, bytes]]) -> None:
        for graph_iri, findings, report_nt, shared_nt in outputs:
            shared.update(dict.fromkeys(shared_nt.splitlines(keepends=True)))
            results.append((graph_iri, findings, report_nt, b""))

    collect(_outputs(jobs, workers if len(first) > 1 else 1))  # one graph: no pool to start
    graphs = len(results)
    if graphs > 1:  # the cross-document pass over what the graphs share
        results.append(_job(("(cross-document)", b"".join(shared), "cross")))
    findings = [f for _, fs, _, _ in results for f in fs]
    findings.sort(key=lambda f: (f.document, f.severity != "Violation", f.message, f.focus))
    violations = sum(1 for f in findings if f.severity == "Violation")
    warnings = sum(1 for f in findings if f.severity == "Warning")
    return ValidationResult(
        conforms=violations == 0,
        violations=violations,
        warnings=warnings,
        report_ttl=_merge_reports([r[2] for r in results], violations == 0),
        summary=_summary(findings, graphs, violations, warnings),
        graphs=graphs,
        findings=findings,
    )


def validate_nquads(nquads: str | bytes, workers: int | None = None) -> ValidationResult:
    """Validate every named graph of ``nquads`` alone, then the cross-document links."""
    return _run(((g, nt, "document") for g, nt in _split_graphs(nquads)), workers)


def validate_documents(docs: Iterable[ConvertedDocument], workers: int | None = None) -> ValidationResult:
    """The same for converted documents (any iterable, consumed lazily), without
    re-splitting one big N-Quads text."""
    return _run(((d.graph_iri, d.nquads, "document") for d in docs), workers)


def _merge_reports(reports: list[str], conforms: bool) -> str:
    g = Graph()
    g.bind("sh", SH)
    g.bind("bl", Namespace(BL))
    report = BNode("report")
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(conforms)))
    for nt in reports:
        if not nt:  # a graph without findings
            continue
        part = Graph().parse(data=nt, format="nt")
        for old in list(part.subjects(RDF.type, SH.ValidationReport)):
            part.remove((old, None, None))
        for res in part.subjects(RDF.type, SH.ValidationResult):
            g.add((report, SH.result, res))
        for t in part:
            g.add(t)
    return g.serialize(format="turtle")


def _summary(findings: list[Finding], graphs: int, violations: int, warnings: int) -> str:
    lines = [f"validated {graphs} document graph(s) + cross-document pass: "
             f"{violations} violation(s), {warnings} warning(s)"]
    for f in findings:
        lines.append(f.line())
    return "\n".join(lines)


def validate_graphs(jobs: Iterable[tuple[str, bytes | str, str]], workers: int | None = None) -> ValidationResult:
    """The same for a stream of (graph IRI, N-Triples bytes or the converter's N-Quads
    text, "document") jobs, consumed lazily with a bounded number in flight."""
    return _run(jobs, workers)


def split_graphs(nquads: str | bytes) -> list[tuple[str, bytes]]:
    """Each named graph of an N-Quads text as N-Triples (SyntaxError if unreadable)."""
    return _split_graphs(nquads)
