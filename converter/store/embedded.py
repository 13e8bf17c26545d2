"""The embedded store: a pyoxigraph (RocksDB) store on disk, one named graph per source
document. Replacing a document's graph is one SPARQL Update, which Oxigraph runs as one
transaction, so readers see the old graph or the new, never neither.

Each triple is stored once, in its document's graph: the store's default graph stays empty,
and queries take the union of the named graphs as their default graph (Oxigraph's
``use_default_graph_as_union``, see endpoint/worker.py). That union does not deduplicate
(a department label stated by 200 documents matches 200 times), so the canned and page
queries are written to collapse what documents share (DISTINCT, a property path, a
subquery); tests/test_queries.py checks them on a store where one department is stated by
many documents.

Stores written before (issue 14) also held the RDF merge of all graphs in the default
graph. ``layout_problem`` detects one; ``migrate_layout`` drops that copy (the loader does
so when it opens such a store); readers refuse it (see ``OLD_LAYOUT``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from converter.store.generation import bump_generation
from converter.store.registry import rebuild_registry, registry_missing

OLD_LAYOUT = ("holds a merged copy of its graphs in the default graph (the layout before issue 14); "
              "queries now read the union of the named graphs, so every statement would count twice. "
              "Migrate it with `budgetlod load --store {path}` (with no documents: it drops the copy "
              "and keeps the documents' graphs)")


NO_REGISTRY = ("has documents citing funding documents but no registry graph of them, or not a complete one "
               "(written before the registry existed or before it held the rows of funding-recipients), which "
               "funding-documents and funding-recipients read. Add it with `budgetlod load --store {path}` "
               "(with no documents: it rebuilds the registry and keeps the documents' graphs)")


def open_store(path: str | os.PathLike[str]) -> ox.Store:
    Path(path).mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def has_default_triples(store: ox.Store) -> bool:
    """Whether anything is stored in the default graph: one index seek."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def layout_problem(store: ox.Store, path: str | os.PathLike[str]) -> str | None:
    """Why readers must not serve this store (None: it is in the current layout). A store
    whose default graph holds triples beside named graphs is one written before issue 14:
    the union of all graphs would count each of its statements twice."""
    if has_default_triples(store) and next(iter(store.named_graphs()), None) is not None:
        return f"{path}: the store " + OLD_LAYOUT.format(path=path)
    if registry_missing(store):
        return f"{path}: the store " + NO_REGISTRY.format(path=path)
    return None


def migrate_layout(store: ox.Store) -> int:
    """Drop a stored merged default graph (the layout before issue 14); returns the
    number of triples removed (0: nothing to do). Only call it on a store that has named
    graphs: its default graph is then the derived merge, never data of its own."""
    if not has_default_triples(store) or next(iter(store.named_graphs()), None) is None:
        return 0
    removed = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    store.clear_graph(ox.DefaultGraph())
    return removed


def store_open_problem(err: OSError) -> str:
    """What went wrong opening a store, in words: RocksDB's lock message for a store that
    another process (a second load, a running writer) holds names only a LOCK file."""
    text = str(err)
    if "LOCK" in text and ("Resource temporarily unavailable" in text or "lock" in text.lower()):
        return "another process (a load or other writer) is using this store; wait for it to finish"
    return text


def query(store: ox.Store, text: str, **kwargs: object) -> object:
    """A SPARQL query as the endpoint runs it: the default graph is the union of the
    store's graphs (nothing is stored in it). For scripts and benchmarks that query a
    store directly."""
    return store.query(text, use_default_graph_as_union=True, **kwargs)  # type: ignore[arg-type]


def parse_nquads(nquads: str | bytes) -> list[ox.Quad]:
    return list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def _triple_text(q: ox.Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def replacement_update(graph_iri: str, quads: Iterable[ox.Quad]) -> str:
    """One update request: DROP the document's graph and INSERT its new content. Quads
    that the document puts in other named graphs are added to those (never dropped): only
    the document's own graph belongs to it. Default-graph quads go into the document's
    graph: the default graph is never stored (it is the union of the named graphs)."""
    by_graph: dict[str, list[str]] = {}
    own = str(ox.NamedNode(graph_iri))
    for q in quads:
        g = q.graph_name
        by_graph.setdefault(own if isinstance(g, ox.DefaultGraph) else str(g), []).append(_triple_text(q))
    parts = [removal_update(graph_iri)]
    blocks = [f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()]
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
    """Take a document's graph out (one transaction)."""
    return f"DROP SILENT GRAPH {ox.NamedNode(graph_iri)}"


def remove_graph(store: ox.Store, graph_iri: str) -> None:
    store.update(removal_update(graph_iri))


def bulk_load_new(store: ox.Store, nquads_chunks: Iterable[str | bytes]) -> None:
    """Fast path for graphs not yet in the store: Store.bulk_load writes SST files directly.
    Not transactional, so callers only give it validated documents whose graphs are new."""
    data = b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in nquads_chunks)
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)


def bulk_load_documents(store: ox.Store, docs: Iterable[tuple[str, str]]) -> None:
    """bulk_load_new for converter output, (graph IRI, N-Quads) per document, in one
    bulk_load call. Lenient parsing (no IRI re-validation) is safe here: the converter's
    writer only emits checked IRIs."""
    data = b"".join(nquads.encode("utf-8") for _, nquads in docs)
    if data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        rebuild_registry(store)


def bulk_load_file(store: ox.Store, path: str | os.PathLike[str]) -> None:
    """bulk_load_documents for converter output spooled to an N-Quads file: Oxigraph's loader
    reads it in batches, so the text never sits in this process's memory."""
    store.bulk_load(path=os.fspath(path), format=ox.RdfFormat.N_QUADS, lenient=True)


def named_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def commit(store: ox.Store, path: str | os.PathLike[str], registry: bool = True) -> None:
    """Bring the registry graph up to date with the writes (``registry``: False only after
    writes that cite nothing, e.g. the vocabulary), make them durable and tell running
    servers to reopen their read-only handles."""
    if registry:
        rebuild_registry(store)
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
