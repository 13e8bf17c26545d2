"""Records -> RDF: one named graph per source document, as sorted N-Quads.

``convert_document(path)`` is a pure function of the file's bytes (and the base IRI);
``convert_paths`` runs a batch, optionally in parallel, and keeps going past bad inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from converter.errors import InputError
from converter.mapping.build import map_disclosure
from converter.mapping.iris import Minter, resolve_base
from converter.records.model import Disclosure

__all__ = ["ConvertedDocument", "convert_document", "convert_disclosure", "convert_paths", "Minter"]


@dataclass
class ConvertedDocument:
    graph_iri: str
    nquads: str  # sorted N-Quads of this one named graph
    source_file: str
    sha256: str
    triples: int
    pages: int | None = None  # of the source, when the reader knows it (PDF)
    # tables kept out of the graph because their cells fail their shape (page and reason)
    quarantined: list[str] = field(default_factory=list)


def convert_disclosure(d: Disclosure, base: str | None = None) -> ConvertedDocument:
    mint = Minter(base)
    quads = map_disclosure(d, mint)
    return ConvertedDocument(
        graph_iri=mint.graph(d.graph_key),
        nquads=quads.serialize(),
        source_file=d.source_file,
        sha256=d.sha256,
        triples=len(quads),
        quarantined=[f.message for f in d.flags if f.kind == "quarantined-table"],
    )


def convert_document(path: str | Path, base: str | None = None) -> ConvertedDocument:
    """Extract and map one document; InputError for a document that cannot be read."""
    from converter.pipeline import extract  # parsers load lazily: mapping is usable alone

    base = resolve_base(base)
    result = extract(path)
    problem = result.disclosure.identity_problem()
    if problem:  # the one document-level reason to refuse a graph (a bad table never is)
        raise InputError(str(path), problem)
    doc = convert_disclosure(result.disclosure, base)
    doc.pages = result.pages
    return doc


def _convert_one(args: tuple[str, str]) -> ConvertedDocument | InputError:
    """Runs in a worker: a bad document comes back as its InputError, a converter bug as
    an InputError naming the file, so one document never ends the batch."""
    path, base = args
    try:
        return convert_document(path, base)
    except InputError as err:
        return err
    except Exception as err:
        return InputError(path, f"conversion failed: {type(err).__name__}: {err}")


def convert_paths(
    paths: Iterable[str | Path], base: str | None = None, workers: int | None = None
) -> Iterator[ConvertedDocument | InputError]:
    """Results in input order, streamed (a bounded number in flight): a
    ConvertedDocument or the InputError of that input."""
    from converter.batch import Pool, WorkerDied

    base = resolve_base(base)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    with Pool(_convert_one, workers) as pool:
        for (path, _), result in pool.map((str(p), base) for p in paths):
            yield InputError(path, str(result)) if isinstance(result, WorkerDied) else result


def merge_nquads(docs: Iterable[ConvertedDocument]) -> str:
    """Several documents' graphs as one sorted, duplicate-free N-Quads text (in memory;
    `convert` streams through converter.sortmerge instead, to the same bytes)."""
    from converter.sortmerge import SortedLines, split_lines

    lines = SortedLines(run_lines=2**62)  # never spills: the caller holds it all anyway
    for doc in docs:
        lines.add(split_lines(doc.nquads))
    return b"".join(lines).decode("utf-8")
