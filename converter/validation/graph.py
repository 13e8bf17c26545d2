"""The rdflib data graph pyshacl validates, built fast: Oxigraph parses the N-Triples
(rdflib's parser is ~10x slower) into a lean one-graph store (rdflib's Memory store spends
most of its time on context bookkeeping a single graph does not need). The graph holds the
same terms, in the same order, as ``Graph().parse(data=..., format="nt")``; where the two
parsers could read the input differently, rdflib's parser is used."""

from __future__ import annotations

import re
from typing import Any, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# what Oxigraph reads differently from rdflib: explicit ^^xsd:string (rdflib keeps it apart
# from a plain literal), language tags with upper case (Oxigraph lower-cases them) or a
# direction; false alarms (the text inside a literal) only cost the slow path
_XSD_STRING_IRI = b"XMLSchema#string>"
_LANG_NOT_LOWER = re.compile(rb'"@[a-z0-9-]*(?:[A-Z]|--)')  # one pattern alone: 10x faster search
_NO_CONTEXTS: tuple[()] = ()


class OneGraphStore(SimpleMemory):
    """Read-only (once built) store of one graph: spo/pos/osp dict indexes in insertion
    order, so pattern matches come in the order Memory gives; no contexts or events.
    Namespace bindings are SimpleMemory's (the same as Memory's: pyshacl's messages
    abbreviate IRIs with them). It claims context/graph awareness only because pyshacl
    wraps every data graph in a Dataset, which insists on it; all triples are in one graph."""

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self._spo: dict[Any, dict[Any, dict[Any, None]]] = {}
        self._pos: dict[Any, dict[Any, dict[Any, None]]] = {}
        self._osp: dict[Any, dict[Any, dict[Any, None]]] = {}
        self._len = 0

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        s, p, o = triple
        objects = self._spo.setdefault(s, {}).setdefault(p, {})
        if o not in objects:
            objects[o] = None
            self._pos.setdefault(p, {}).setdefault(o, {})[s] = None
            self._osp.setdefault(o, {}).setdefault(s, {})[p] = None
            self._len += 1

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[tuple[Any, Any, Any], Any]]:
        s, p, o = triple_pattern
        if s is not None:
            by_p = self._spo.get(s, {})
            for p2 in (by_p if p is None else (p,) if p in by_p else ()):
                objects = by_p[p2]
                for o2 in (objects if o is None else (o,) if o in objects else ()):
                    yield (s, p2, o2), _NO_CONTEXTS
        elif p is not None:
            by_o = self._pos.get(p, {})
            for o2 in (by_o if o is None else (o,) if o in by_o else ()):
                for s2 in by_o[o2]:
                    yield (s2, p, o2), _NO_CONTEXTS
        elif o is not None:
            for s2, preds in self._osp.get(o, {}).items():
                for p2 in preds:
                    yield (s2, p2, o), _NO_CONTEXTS
        else:
            for s2, by_p in self._spo.items():
                for p2, objects in by_p.items():
                    for o2 in objects:
                        yield (s2, p2, o2), _NO_CONTEXTS

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        raise NotImplementedError("OneGraphStore is read-only")

    def __len__(self, context: Any = None) -> int:
        return self._len


def same_reading(ntriples: bytes) -> bool:
    """False where Oxigraph could read ``ntriples`` differently from rdflib's parser."""
    return not (_XSD_STRING_IRI in ntriples or _LANG_NOT_LOWER.search(ntriples))


def kept_apart(held: int, ntriples: bytes) -> bool:
    """Whether a store holding ``held`` triples read every triple line of ``ntriples`` as a
    triple of its own. A store holds at most one triple per line, so holding as many as
    there are lines settles it without the set of lines (half of the reading checks' time)."""
    lines = ntriples.count(b"\n") + (1 if ntriples and not ntriples.endswith(b"\n") else 0)
    return held == lines or held == distinct_lines(ntriples)


def distinct_lines(ntriples: bytes) -> int:
    """Distinct non-blank, non-comment lines: the triples, where each is on a line of its own
    (Oxigraph's store holding fewer means it merged literals rdflib keeps apart)."""
    return len({line for line in ntriples.splitlines() if line.strip() and not line.lstrip().startswith(b"#")})


def parse(ntriples: bytes) -> list[ox.Quad] | None:
    """Oxigraph's reading of ``ntriples``; None where rdflib's parser must decide."""
    if not same_reading(ntriples):
        return None
    try:
        return list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None  # rdflib's parser decides (and reports) what Oxigraph rejects


def data_graph(ntriples: bytes, quads: list[ox.Quad] | None) -> Graph:
    """The graph of ``ntriples`` from its ``parse``d quads (terms converted once each)."""
    if quads is not None:
        terms: dict[object, Any] = {}

        def term(t: object) -> Any:
            r = terms.get(t)
            if r is None:
                if isinstance(t, ox.NamedNode):
                    r = URIRef(t.value)
                elif isinstance(t, ox.Literal):
                    if t.language:
                        r = Literal(t.value, lang=t.language)
                    elif t.datatype.value == XSD_STRING:
                        r = Literal(t.value)
                    else:
                        r = Literal(t.value, datatype=URIRef(t.datatype.value))
                elif isinstance(t, ox.BlankNode):
                    r = BNode()  # a fresh node per label, as rdflib's parser does
                else:
                    raise ValueError(f"unsupported term {t!r}")
                terms[t] = r
            return r

        try:
            store = OneGraphStore()
            for q in quads:
                store.add((term(q.subject), term(q.predicate), term(q.object)))
            return Graph(store=store)
        except ValueError:
            pass  # e.g. a triple term: rdflib's parser reports it
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")
