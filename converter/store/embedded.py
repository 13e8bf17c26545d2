"""The embedded store: a pyoxigraph (RocksDB) store on disk, one named graph per source
document. Replacing a document's graph is one SPARQL Update, which Oxigraph runs as one
transaction, so readers see the old graph or the new, never neither.

The store's default graph holds the RDF merge (set union) of all named graphs, kept in step
by every load. Queries use it as their default graph: Oxigraph's "union default graph" mode
does not deduplicate, so a triple stated by 200 documents (a department's label) would
match 200 times in every join and multiply results and work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from converter.store.generation import bump_generation


def open_store(path: str | os.PathLike[str]) -> ox.Store:
    Path(path).mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def store_open_problem(err: OSError) -> str:
    """What went wrong opening a store, in words: RocksDB's lock message for a store that
    another process (a second load, a running writer) holds names only a LOCK file."""
    text = str(err)
    if "LOCK" in text and ("Resource temporarily unavailable" in text or "lock" in text.lower()):
        return "another process (a load or other writer) is using this store; wait for it to finish"
    return text


def parse_nquads(nquads: str | bytes) -> list[ox.Quad]:
    return list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def _triple_text(q: ox.Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def replacement_update(graph_iri: str, quads: Iterable[ox.Quad]) -> str:
    """One update request: take the document's old triples out of the merged default
    graph (unless another graph states them too), DROP its graph, INSERT its new content
    into its graph and the merge. Quads that the document puts in other named graphs are
    added to those (never dropped): only the document's own graph belongs to it."""
    by_graph: dict[str, list[str]] = {}
    merged: list[str] = []
    for q in quads:
        g = q.graph_name
        text = _triple_text(q)
        if not isinstance(g, ox.DefaultGraph):
            by_graph.setdefault(str(g), []).append(text)
        merged.append(text)
    parts = [removal_update(graph_iri)]
    blocks = [f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()]
    if merged:
        blocks.append("\n".join(merged))
    if blocks:
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(parts)


def replace_graph(store: ox.Store, graph_iri: str, nquads: str | bytes) -> int:
    """Atomically replace ``graph_iri`` with the document's quads; returns the quad count.
    Raises SyntaxError (bad N-Quads) or OSError before anything changes."""
    quads = parse_nquads(nquads)
    store.update(replacement_update(graph_iri, quads))
    return len(quads)


def removal_update(graph_iri: str) -> str:
    """Take a document's graph out: its triples leave the merge unless another graph
    states them too, then the graph is dropped (one transaction)."""
    g_node = str(ox.NamedNode(graph_iri))
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g_node} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g_node}) }} }} ;\n"
            f"DROP SILENT GRAPH {g_node}")


def remove_graph(store: ox.Store, graph_iri: str) -> None:
    store.update(removal_update(graph_iri))


def bulk_load_new(store: ox.Store, nquads_chunks: Iterable[str | bytes]) -> None:
    """Fast path for graphs not yet in the store: Store.bulk_load writes SST files directly.
    Not transactional, so callers only give it validated documents whose graphs are new."""
    data = b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in nquads_chunks)
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        store.bulk_load(merged_triples(data), format=ox.RdfFormat.N_TRIPLES)


def bulk_load_documents(store: ox.Store, docs: Iterable[tuple[str, str]]) -> None:
    """bulk_load_new for converter output, (graph IRI, N-Quads) per document, in one
    bulk_load call: the document's quads, and the same statements as default-graph lines
    for the merge. Every line of the converter's output ends with " <graph> .\n" (a
    literal cannot hold a raw newline), so dropping that suffix gives the merge's lines
    without re-parsing in Python; a text where that does not account for every line goes
    through the parser. Lenient parsing (no IRI re-validation) is safe here: the
    converter's writer only emits checked IRIs."""
    parts: list[bytes] = []
    for graph_iri, nquads in docs:
        suffix = f" <{graph_iri}> .\n"
        lines = nquads.count("\n")
        merged = nquads.replace(suffix, " .\n")
        data = nquads.encode("utf-8")
        if nquads.count(suffix) == lines and nquads.endswith("\n"):
            parts += [data, merged.encode("utf-8")]
        else:
            parts += [data, merged_triples(data)]
    data = b"".join(parts)
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)


def merged_triples(nquads: bytes) -> bytes:
    """N-Quads -> the same statements as N-Triples, for the merged default graph."""
    return ox.serialize((q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)),
                        format=ox.RdfFormat.N_TRIPLES) or b""


def named_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def commit(store: ox.Store, path: str | os.PathLike[str]) -> None:
    """Make writes durable and tell running servers to reopen their read-only handles."""
    store.flush()
    bump_generation(path)


def replace_graphs(store: ox.Store, nquads: str | bytes) -> dict[str, int]:
    """Replace every named graph found in ``nquads`` (e.g. a `budgetlod convert` output
    or a dump), each in its own transaction; returns graph -> quad count."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in parse_nquads(nquads):
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(q)
    for g, quads in by_graph.items():
        store.update(replacement_update(g, quads))
    return {g: len(q) for g, q in by_graph.items()}
