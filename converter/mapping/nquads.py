"""N-Quads terms written directly as canonical text (no blank nodes, canonical literal
forms as Oxigraph stores them), so a document's quads are a sorted, byte-deterministic set
of lines that rdflib and pyoxigraph read to the same graph."""

from __future__ import annotations

from decimal import Decimal

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IRI_BAD = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)}


def iri(value: str) -> str:
    if any(c in _IRI_BAD for c in value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _escape(text: str) -> str:
    out = []
    for c in text:
        if c in _ESC:
            out.append(_ESC[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


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
