"""The embedded store: a pyoxigraph (RocksDB) store on disk, one named graph per source
document. Replacing a document's graph is one SPARQL Update (DROP + INSERT DATA), which
Oxigraph runs as one transaction, so readers see the old graph or the new, never neither."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from converter.store.generation import bump_generation


def open_store(path: str | os.PathLike[str]) -> ox.Store:
    Path(path).mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def parse_nquads(nquads: str | bytes) -> list[ox.Quad]:
    return list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def _triple_text(q: ox.Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def replacement_update(graph_iri: str, quads: Iterable[ox.Quad]) -> str:
    """DROP the document's graph and INSERT its new content, as one update request.
    Quads that the document puts in other graphs are added to those (never dropped):
    only the document's own graph belongs to it."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        g = q.graph_name
        key = "" if isinstance(g, ox.DefaultGraph) else str(g)
        by_graph.setdefault(key, []).append(_triple_text(q))
    parts = [f"DROP SILENT GRAPH <{graph_iri}>"]
    blocks = []
    for g, lines in by_graph.items():
        body = "\n".join(lines)
        blocks.append(f"GRAPH {g} {{\n{body}\n}}" if g else body)
    if blocks:
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(parts)


def replace_graph(store: ox.Store, graph_iri: str, nquads: str | bytes) -> int:
    """Atomically replace ``graph_iri`` with the document's quads; returns the quad count.
    Raises SyntaxError (bad N-Quads) or OSError before anything changes."""
    quads = parse_nquads(nquads)
    store.update(replacement_update(graph_iri, quads))
    return len(quads)


def bulk_load_new(store: ox.Store, nquads_chunks: Iterable[str | bytes]) -> None:
    """Fast path for graphs not yet in the store: Store.bulk_load writes SST files directly.
    Not transactional, so callers only give it validated documents whose graphs are new."""
    data = b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in nquads_chunks)
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)


def named_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def commit(store: ox.Store, path: str | os.PathLike[str]) -> None:
    """Make writes durable and tell running servers to reopen their read-only handles."""
    store.flush()
    bump_generation(path)
