"""Writing query results in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and RDF
graphs in Turtle, N-Triples, JSON-LD and RDF/XML.

Our own writers rather than pyoxigraph's, because the endpoint must stop reading
solutions at the row cap: pyoxigraph only serialises a whole result set."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from converter.dumps.rdf import compact_keys

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# format key -> media type (the first key of each kind is its default)
RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# media types clients send that mean one of ours
ALIASES: dict[str, str] = {
    "application/json": "json",
    "text/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
    "text/n-triples": "nt",
    "application/json+ld": "jsonld",
}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
CHARSET_TYPES = {"csv", "tsv", "ttl", "nt"}


def media_type(fmt: str) -> str:
    mt = RESULT_TYPES.get(fmt) or GRAPH_TYPES[fmt]
    return mt + ("; charset=utf-8" if fmt in CHARSET_TYPES else "")


@dataclass
class Capped:
    """Counts items pulled through it and stops after ``limit``; ``truncated`` tells
    whether more were available (the underlying query is simply not read further)."""

    items: Iterable
    limit: int
    count: int = 0
    truncated: bool = False

    def __iter__(self) -> Iterator:
        for item in self.items:
            if self.count >= self.limit:
                self.truncated = True
                return
            self.count += 1
            yield item


class Window:
    """The items from ``offset`` on, at most ``limit`` of them, and the number of all items:
    a canned query's page and its total from one evaluation. The query ends with its ORDER
    BY, so the engine evaluates every row before the first is read, and a second query
    counting the rows would evaluate them all again. ``count`` is the items passed on
    (what Outcome.count means); ``total`` all items, known once the iteration has ended."""

    def __init__(self, items: Iterable, offset: int, limit: int) -> None:
        self.items, self.offset, self.limit = items, offset, limit
        self.count = 0
        self.total = 0

    def __iter__(self) -> Iterator:
        for item in self.items:
            self.total += 1
            if self.offset < self.total <= self.offset + self.limit:
                self.count += 1
                yield item


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):  # RDF-star, as the JSON results draft writes it
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv_value(term: object) -> str:
    # N-Triples syntax; pyoxigraph escapes newlines and tabs inside literals
    return "" if term is None else str(term)


def write_solutions(variables: list[str], rows: Iterable, fmt: str) -> bytes:
    """``rows`` yields pyoxigraph QuerySolution objects (or dicts of name -> term)."""
    buf = io.StringIO()
    if fmt == "json":
        buf.write('{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":[')
        first = True
        for row in rows:
            binding = {}
            for v in variables:
                term = row[v]
                if term is not None:
                    binding[v] = _json_term(term)
            buf.write(("" if first else ",") + json.dumps(binding, ensure_ascii=False))
            first = False
        buf.write("]}}")
    elif fmt == "xml":
        buf.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
        buf.write("".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        buf.write("</head><results>")
        for row in rows:
            buf.write("<result>")
            for v in variables:
                term = row[v]
                if term is not None:
                    buf.write(f"<binding name={quoteattr(v)}>{_xml_term(term)}</binding>")
            buf.write("</result>")
        buf.write("</results></sparql>\n")
    elif fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_value(row[v]) for v in variables])
    elif fmt == "tsv":
        buf.write("\t".join("?" + v for v in variables) + "\n")
        for row in rows:
            buf.write("\t".join(_tsv_value(row[v]) for v in variables) + "\n")
    else:
        raise ValueError(f"not a result format: {fmt}")
    return buf.getvalue().encode("utf-8")


def write_boolean(value: bool, fmt: str) -> bytes:
    text = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":' + text + "}").encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                f'sparql-results#"><head/><boolean>{text}</boolean></sparql>\n').encode()
    # CSV/TSV have no boolean form in the standard; this is what Jena and others write
    return f"_askResult\r\n{text}\r\n".encode() if fmt == "csv" else f"?_askResult\n{text}\n".encode()


def write_graph(triples: Iterable[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    if fmt == "jsonld":  # a document with its @context (the prefixes), keys compacted by it
        expanded = (ox.serialize(triples, format=RDF_FORMATS[fmt]) or b"[]").strip()
        context = json.dumps({k: (prefixes or {})[k] for k in sorted(prefixes or {})}, ensure_ascii=False)
        return b'{"@context": ' + context.encode("utf-8") + b',\n "@graph": ' + \
            compact_keys(expanded, prefixes or {}) + b"}\n"
    kwargs = {"prefixes": prefixes} if prefixes and fmt in ("ttl", "rdfxml") else {}
    return ox.serialize(triples, format=RDF_FORMATS[fmt], **kwargs) or b""
