"""``load``'s pipeline: convert and validate each document (in parallel processes), then
put the ones that pass into the store. A document that fails either step changes nothing.

Graphs new to the store go through Store.bulk_load when the batch is large; graphs already
present are replaced one transaction each, so a re-load is idempotent."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from converter.errors import InputError
from converter.store.embedded import bulk_load_new, commit, named_graphs, replace_graph

BULK_THRESHOLD = 20  # new documents in one batch before bulk loading pays off


@dataclass
class Prepared:
    """One document after convert + validate (or why it failed)."""

    path: str
    ok: bool
    message: str = ""
    graph_iri: str = ""
    nquads: str = ""
    triples: int = 0
    sha256: str = ""
    warnings: int = 0
    violations: int = 0


@dataclass
class LoadReport:
    loaded: list[Prepared] = field(default_factory=list)
    failed: list[Prepared] = field(default_factory=list)
    replaced: int = 0
    bulk_loaded: int = 0

    @property
    def triples(self) -> int:
        return sum(p.triples for p in self.loaded)


def prepare(path: str, base: str | None = None, validate: bool = True) -> Prepared:
    """Convert and validate one document; never raises for a bad document."""
    # imported here: the mapping and validation packages are heavy and optional for serve
    from converter.mapping import convert_document

    try:
        doc = convert_document(path, base=base)
    except InputError as err:
        return Prepared(path, False, str(err))
    except Exception as err:  # a converter bug must not stop the batch either
        return Prepared(path, False, f"{path}: conversion failed: {type(err).__name__}: {err}")
    prepared = Prepared(path, True, "", doc.graph_iri, doc.nquads, doc.triples, doc.sha256)
    if validate:
        from converter.validation import validate_nquads

        result = validate_nquads(doc.nquads)
        prepared.warnings, prepared.violations = result.warnings, result.violations
        if not result.conforms and result.violations:
            prepared.ok = False
            prepared.message = f"{path}: {result.violations} SHACL violation(s): {result.summary.strip()}"
            prepared.nquads = ""
    return prepared


def prepare_all(paths: list[Path], base: str | None, validate: bool, jobs: int) -> Iterator[Prepared]:
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield prepare(str(p), base, validate)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(prepare, [str(p) for p in paths], [base] * len(paths),
                            [validate] * len(paths), chunksize=4)


def store_prepared(store: ox.Store, store_dir: str | os.PathLike[str], docs: Iterable[Prepared],
                   bulk_threshold: int = BULK_THRESHOLD,
                   on_result: Callable[[Prepared], None] | None = None) -> LoadReport:
    report = LoadReport()
    existing = named_graphs(store)
    fresh: dict[str, Prepared] = {}  # graph IRI -> document; the last one given wins
    for doc in docs:
        if not doc.ok:
            report.failed.append(doc)
            if on_result:
                on_result(doc)
            continue
        if doc.graph_iri in existing:
            try:
                replace_graph(store, doc.graph_iri, doc.nquads)
            except (SyntaxError, OSError, RuntimeError, ValueError) as err:
                doc.ok, doc.message = False, f"{doc.path}: not loaded: {err}"
                report.failed.append(doc)
                if on_result:
                    on_result(doc)
                continue
            report.replaced += 1
            report.loaded.append(doc)
            if on_result:
                on_result(doc)
        else:
            fresh[doc.graph_iri] = doc
    if len(fresh) >= bulk_threshold:
        bulk_load_new(store, (d.nquads for d in fresh.values()))
        report.bulk_loaded = len(fresh)
        report.loaded.extend(fresh.values())
        if on_result:
            for d in fresh.values():
                on_result(d)
    else:
        for doc in fresh.values():
            try:
                replace_graph(store, doc.graph_iri, doc.nquads)
            except (SyntaxError, OSError, RuntimeError, ValueError) as err:
                doc.ok, doc.message = False, f"{doc.path}: not loaded: {err}"
                report.failed.append(doc)
            else:
                report.loaded.append(doc)
            if on_result:
                on_result(doc)
    commit(store, store_dir)
    return report


def vocabulary_graph_iri(path: Path, base: str) -> str:
    """The graph a vocabulary file goes into: its owl:Ontology or skos:ConceptScheme IRI
    when it declares exactly one (so the ontology IRI dereferences to the whole file), else
    one derived from the file name."""
    text = path.read_bytes()
    found: set[str] = set()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = {"http://www.w3.org/2002/07/owl#Ontology", "http://www.w3.org/2004/02/skos/core#ConceptScheme"}
    for q in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base):
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode) and q.object.value in kinds \
                and isinstance(q.subject, ox.NamedNode):
            found.add(q.subject.value)
    if len(found) == 1:
        return found.pop()
    return f"{base}graph/vocabulary/{path.stem}"


def load_vocabulary(store: ox.Store, directory: Path, base: str) -> list[tuple[str, int]]:
    """(Re)load the ontology and code-list Turtle files so that their terms dereference."""
    out = []
    for path in sorted(directory.glob("*.ttl")):
        g = vocabulary_graph_iri(path, base)
        graph = ox.NamedNode(g)
        quads = (ox.Quad(q.subject, q.predicate, q.object, graph)
                 for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=base))
        nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        out.append((g, replace_graph(store, g, nq)))
    return out
