"""N-Quads terms written directly as canonical text (no blank nodes, canonical literal
forms as Oxigraph stores them), so a document's quads are a sorted, byte-deterministic set
of lines that rdflib and pyoxigraph read to the same graph."""

from __future__ import annotations

import re
from decimal import Decimal

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# one str.translate table: the named escapes, other control characters (and DEL) as \uXXXX
_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]} | {ord(k): v for k, v in _ESC.items()}
# characters an IRI reference cannot hold (RFC 3987 / N-Quads IRIREF): one regex search per
# IRI, as the mapper writes some hundred thousand of them per document
_IRI_BAD = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def iri(value: str) -> str:
    if _IRI_BAD.search(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def text(value: str, lang: str | None = "zh") -> str:
    """A string literal, language-tagged unless ``lang`` is None."""
    body = f'"{_escape(value)}"'
    return f"{body}@{lang}" if lang else body


def decimal(value: Decimal) -> str:
    """xsd:decimal in canonical form (XSD 1.1: 600.00 -> 600, 0.50 -> 0.5)."""
    if not value.is_finite():
        raise ValueError(f"not a finite decimal: {value}")
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return f'"{s}"^^<{XSD}decimal>'


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD}integer>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'


class QuadSet:
    """The quads of one named graph."""

    def __init__(self, graph_iri: str) -> None:
        self.graph = iri(graph_iri)
        self.lines: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        """``s``/``p`` are IRIs (plain strings); ``o`` is an already-written term."""
        self.lines.add(f"<{s}> <{p}> {o} {self.graph} .\n")

    def link(self, s: str, p: str, o: str) -> None:
        self.add(s, p, iri(o))

    def type(self, s: str, *classes: str) -> None:
        for c in classes:
            self.lines.add(f"<{s}> {RDF_TYPE} <{c}> {self.graph} .\n")

    def serialize(self) -> str:
        return "".join(sorted(self.lines))

    def __len__(self) -> int:
        return len(self.lines)
