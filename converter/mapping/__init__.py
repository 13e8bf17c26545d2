"""Records -> RDF: one named graph per source document, as sorted N-Quads.

``convert_document(path)`` is a pure function of the file's bytes (and the base IRI);
``convert_paths`` runs a batch, optionally in parallel, and keeps going past bad inputs.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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


def convert_disclosure(d: Disclosure, base: str | None = None) -> ConvertedDocument:
    mint = Minter(base)
    quads = map_disclosure(d, mint)
    return ConvertedDocument(
        graph_iri=mint.graph(d.sha256),
        nquads=quads.serialize(),
        source_file=d.source_file,
        sha256=d.sha256,
        triples=len(quads),
    )


def convert_document(path: str | Path, base: str | None = None) -> ConvertedDocument:
    """Extract and map one document; InputError for a document that cannot be read."""
    from converter.pipeline import extract  # parsers load lazily: mapping is usable alone

    base = resolve_base(base)
    result = extract(path)
    return convert_disclosure(result.disclosure, base)


def _convert_one(args: tuple[str, str]) -> ConvertedDocument | tuple[str, str]:
    """Runs in a worker: an InputError travels back as (path, problem), since exceptions
    with extra constructor arguments do not survive pickling."""
    path, base = args
    try:
        return convert_document(path, base)
    except InputError as err:
        return (err.path, err.problem)


def _result(r: ConvertedDocument | tuple[str, str]) -> ConvertedDocument | InputError:
    return InputError(*r) if isinstance(r, tuple) else r


def convert_paths(
    paths: Iterable[str | Path], base: str | None = None, workers: int | None = None
) -> Iterator[ConvertedDocument | InputError]:
    """Results in input order: a ConvertedDocument or the InputError of that input."""
    base = resolve_base(base)
    jobs = [(str(p), base) for p in paths]
    workers = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        yield from map(_result, map(_convert_one, jobs))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from map(_result, pool.map(_convert_one, jobs, chunksize=4))


def merge_nquads(docs: Iterable[ConvertedDocument]) -> str:
    """Several documents' graphs as one sorted, duplicate-free N-Quads text."""
    lines: set[str] = set()
    for doc in docs:
        lines.update(doc.nquads.splitlines(keepends=True))
    return "".join(sorted(lines))
