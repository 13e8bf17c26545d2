"""Records -> RDF: one named graph per source document, as sorted N-Quads
(``convert_disclosure``; the whole path from a file is converter/pipeline.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from converter.mapping.build import map_disclosure
from converter.mapping.iris import Minter
from converter.records.model import Disclosure

__all__ = ["ConvertedDocument", "convert_disclosure", "merge_nquads", "Minter"]


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


def merge_nquads(docs: Iterable[ConvertedDocument]) -> str:
    """Several documents' graphs as one sorted, duplicate-free N-Quads text (in memory;
    `convert` streams through converter.sortmerge instead, to the same bytes)."""
    from converter.sortmerge import SortedLines, split_lines

    lines = SortedLines(run_lines=2**62)  # never spills: the caller holds it all anyway
    for doc in docs:
        lines.add(split_lines(doc.nquads))
    return b"".join(lines).decode("utf-8")
