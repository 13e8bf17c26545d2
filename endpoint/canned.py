"""The canned queries of DESIGN.md §4: ``endpoint/queries/<name>.rq`` files whose header
comments give a title, a description and parameters, which the endpoint binds as literals
in a VALUES block (never by splicing the caller's text into the query).

Every canned query also takes ``limit`` and ``offset`` (paging). SPARQL has no variables in
LIMIT/OFFSET, so those two are read as whole numbers here and written into the query as
the server's own integers; the full row count comes from ``count_query``.

A query whose rows are those of one ordered subquery (each row extended by columns computed
for it, e.g. aggregates) marks that subquery with a ``# PAGE`` comment line after its ORDER
BY: the page's LIMIT/OFFSET then go there, so only the page's rows get the costly columns,
and the count counts that subquery's rows alone. The query's own outer ORDER BY keeps the
page in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from endpoint.sparql_text import QueryRejected, inject_values, tokens

QUERIES_DIR = Path(__file__).parent / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\s*(title|description|parameters)\s*:\s*(.*)$", re.IGNORECASE)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# how a parameter's text becomes an RDF literal, by parameter name unless the header says
# `name:type`; doc numbers are canonicalised (GB/T 9704) so every written variant matches;
# a department name is bound as the @zh literal every name in the graph is (the shapes
# require it), so the queries match it by index lookup, never by a FILTER over all names
DEFAULT_TYPES = {"doc": "docnumber", "year": "integer", "department": "name"}
PAGING = ("limit", "offset")  # taken by every canned query, besides its own parameters
_WHOLE = re.compile(r"[0-9]{1,9}")
COUNT_VAR = "budgetlod_rows"  # the count query's variable: no canned query uses it
PAGE_MARK = re.compile(r"^[ \t]*#[ \t]*PAGE[ \t]*$", re.MULTILINE)  # see the module docstring


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
                "parameters": self.parameters, "paging": list(PAGING)}


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
        if not _WHOLE.fullmatch(value):
            raise QueryRejected(f"parameter {pname}: expected a whole number, got {value!r}")
        # canonical lexical form: the queries compare years by STR(), so 02024 must be 2024
        return str(ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer")))
    if ptype == "name":
        return str(ox.Literal(value, language="zh"))
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


@dataclass(frozen=True)
class Page:
    limit: int | None = None
    offset: int = 0

    @property
    def paged(self) -> bool:
        return self.limit is not None or self.offset > 0


def take_page(given: dict[str, str]) -> Page:
    """Remove ``limit`` and ``offset`` from the request's parameters and read them."""
    values: dict[str, int] = {}
    for key in PAGING:
        raw = given.pop(key, "").strip()
        if raw:
            if not _WHOLE.fullmatch(raw):
                raise QueryRejected(f"parameter {key}: expected a whole number, got {raw!r}")
            values[key] = int(raw)
    return Page(values.get("limit"), values.get("offset", 0))


def paged_query(query: str, page: Page) -> str:
    """A bound canned query with the page's solution modifiers appended (the canned
    queries end with their ORDER BY, so the pages of one answer are disjoint), or put at
    its ``# PAGE`` mark."""
    tail = f"\nOFFSET {int(page.offset)}" if page.paged and page.offset else ""
    if page.limit is not None:
        tail = f"\nLIMIT {int(page.limit)}" + tail
    if PAGE_MARK.search(query):
        return PAGE_MARK.sub(lambda m: tail.strip(), query, count=1)
    return query.rstrip() + tail if tail else query


def marked_subquery(text: str) -> tuple[int, int] | None:
    """The span of the ``{ SELECT ... }`` group that holds the ``# PAGE`` mark, or None."""
    mark = PAGE_MARK.search(text)
    if mark is None:
        return None
    toks = tokens(text)
    opened: list[int] = []  # indexes of the "{" tokens still open at the mark
    for i, tok in enumerate(toks):
        if tok.start >= mark.start():
            break
        if tok.text == "{":
            opened.append(i)
        elif tok.text == "}":
            opened.pop()
    for i in reversed(opened):
        if i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "SELECT":
            depth = 0
            for tok in toks[i:]:
                depth += tok.text == "{"
                depth -= tok.text == "}"
                if depth == 0:
                    return toks[i].start, tok.end
    raise ValueError("the # PAGE mark is not inside a { SELECT ... } subquery")


def _select_start(text: str) -> int | None:
    """Where the query's SELECT starts, after the PREFIX/BASE prologue (None: not a SELECT)."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            return tok.start if tok.text.upper() == "SELECT" else None
    return None


def count_query(cq: CannedQuery, given: dict[str, str]) -> str | None:
    """The number of rows the canned query answers, as one SELECT (COUNT(*)), bound like
    the query itself; None for a canned query that is not a SELECT. With a ``# PAGE``
    mark, the marked subquery's rows are counted (they are the answer's rows)."""
    start = _select_start(cq.text)
    if start is None:
        return None
    body = cq.text[start:]
    span = marked_subquery(cq.text)
    if span is not None:
        body = PAGE_MARK.sub("", cq.text[span[0] + 1:span[1] - 1])
    counted = CannedQuery(cq.name, cq.title, cq.description, cq.parameters, cq.types,
                          f"{cq.text[:start]}SELECT (COUNT(*) AS ?{COUNT_VAR}) WHERE {{\n{{\n{body}\n}}\n}}\n")
    return bind(counted, given)
