"""The canned queries of DESIGN.md §4: ``endpoint/queries/<name>.rq`` files whose header
comments give a title, a description and parameters, which the endpoint binds as literals
in a VALUES block (never by splicing the caller's text into the query)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from endpoint.sparql_text import QueryRejected, inject_values

QUERIES_DIR = Path(__file__).parent / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\s*(title|description|parameters)\s*:\s*(.*)$", re.IGNORECASE)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# how a parameter's text becomes an RDF literal, by parameter name unless the header says
# `name:type`; doc numbers are canonicalised (GB/T 9704) so every written variant matches
DEFAULT_TYPES = {"doc": "docnumber", "year": "integer"}


@dataclass
class CannedQuery:
    name: str
    title: str
    description: str
    parameters: list[str]
    types: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def summary(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": self.parameters}


def parse_canned(name: str, text: str) -> CannedQuery:
    meta: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            last = m.group(1).lower()
            meta[last] = m.group(2).strip()
        elif last == "description" and line[1:].strip():
            meta[last] += " " + line[1:].strip()  # a wrapped description
    params, types = [], {}
    for item in filter(None, (p.strip() for p in meta.get("parameters", "").split(","))):
        if item in ("-", "—", "none"):
            continue
        pname, _, ptype = item.partition(":")
        pname = pname.strip()
        params.append(pname)
        types[pname] = ptype.strip() or DEFAULT_TYPES.get(pname, "string")
    return CannedQuery(name, meta.get("title", name), meta.get("description", ""), params, types, text)


def load_canned(directory: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    out = {}
    for path in sorted(directory.glob("*.rq")):
        if _NAME.match(path.stem):
            out[path.stem] = parse_canned(path.stem, path.read_text(encoding="utf-8"))
    return out


def _canonical_doc(text: str) -> str | None:
    # imported lazily: the parsers package belongs to the converter and may be mid-edit
    from converter.parsers.docnumbers import canonical_docnumber

    return canonical_docnumber(text)


def literal_for(pname: str, ptype: str, raw: str) -> str:
    """The parameter as one escaped RDF term in SPARQL syntax."""
    value = raw.strip()
    if ptype == "docnumber":
        canon = _canonical_doc(value)
        if canon is None:
            raise QueryRejected(f"parameter {pname}: {value!r} is not a document number (发文字号)")
        return str(ox.Literal(canon))
    if ptype == "integer":
        if not re.fullmatch(r"[0-9]{1,9}", value):
            raise QueryRejected(f"parameter {pname}: expected a whole number, got {value!r}")
        return str(ox.Literal(value, datatype=ox.NamedNode(XSD + "integer")))
    return str(ox.Literal(value))  # pyoxigraph escapes quotes, backslashes and newlines


def bind(cq: CannedQuery, given: dict[str, str]) -> str:
    unknown = sorted(set(given) - set(cq.parameters))
    if unknown:
        raise QueryRejected(f"unknown parameter(s) {', '.join(unknown)}; {cq.name} takes: "
                            f"{', '.join(cq.parameters) or 'none'}")
    missing = [p for p in cq.parameters if not given.get(p, "").strip()]
    if missing:
        raise QueryRejected(f"missing parameter(s): {', '.join(missing)}")
    terms = {"param_" + p: literal_for(p, cq.types[p], given[p]) for p in cq.parameters}
    return inject_values(cq.text, terms)
