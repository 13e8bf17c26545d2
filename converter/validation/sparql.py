"""SHACL-SPARQL constraints (sh:sparql on node shapes with sh:targetClass) evaluated on
Oxigraph. pyshacl evaluates them on rdflib's pure-Python SPARQL engine once per focus
node, which takes minutes per document for the aggregate queries of the arithmetic checks;
here each constraint is one query over the whole graph with the focus nodes drawn from the
target class, which yields the same solutions as pre-binding $this to each focus node
(every constraint's pattern starts from $this). Message templates {?var} / {$this} are
filled from the solution, as SHACL-SPARQL specifies."""

from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{[?$](\w+)\}")
# the WHERE body opens with a triple pattern on $this, or with a subquery projecting $this
# (our shapes' subqueries bind it by a required pattern: "the sums first, the names after")
_STARTS_WITH_THIS = re.compile(r"\s*(?:\$this\s|\{\s*SELECT\s+(?:DISTINCT\s+)?\$this\s)")


@dataclass(frozen=True)
class Constraint:
    shape: str
    constraint: str  # the sh:sparql node (a blank node label, for the report)
    severity: str  # Violation / Warning / Info
    targets: tuple[str, ...]
    query: str  # prefixes + select with the target pattern injected
    messages: tuple[str, ...]


def _prefixes(shapes: Graph, node: object) -> str:
    out = []
    for decl_holder in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(decl_holder, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            ns = shapes.value(decl, SH.namespace)
            out.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(out)))


def constraints_of(shapes: Graph) -> list[Constraint]:
    out = []
    for shape, c in sorted(shapes.subject_objects(SH.sparql), key=lambda t: str(t[0])):
        if shapes.value(c, SH.deactivated) is not None and bool(shapes.value(c, SH.deactivated).toPython()):
            continue
        targets = tuple(sorted(str(t) for t in shapes.objects(shape, SH.targetClass)))
        select = str(shapes.value(c, SH.select))
        m = _WHERE.search(select)
        if not targets or m is None:
            raise ValueError(f"unsupported SPARQL constraint on {shape}: needs sh:targetClass and WHERE")
        target = "{ " + " UNION ".join(f"{{ $this a <{t}> }}" for t in targets) + " }"
        if len(targets) == 1 and _STARTS_WITH_THIS.match(select, m.end()):
            # $this is bound by the body's first (required) triple pattern, so the target as a
            # group filter keeps exactly the same solutions; Oxigraph plans the join with the
            # target block badly (100+ ms per query), the filter costs one lookup per solution
            target = f"FILTER EXISTS {{ $this a <{targets[0]}> }}"
        query = _prefixes(shapes, c) + "\n" + select[: m.end()] + "\n    " + target + "\n" + select[m.end():]
        sev = shapes.value(shape, SH.severity) or SH.Violation
        out.append(Constraint(
            shape=str(shape), constraint=str(c), severity=str(sev).rsplit("#", 1)[-1], targets=targets,
            query=query, messages=tuple(sorted(str(msg) for msg in shapes.objects(c, SH.message))),
        ))
    return out


def strip_sparql(shapes: Graph) -> Graph:
    """A copy of ``shapes`` without its SPARQL constraints (for the core-only engine)."""
    g = Graph()
    for t in shapes:
        if t[1] != SH.sparql:
            g.add(t)
    return g


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


_COUNTS = {"quantity", "n"}  # decimals that are not money: shown as stored


def _text(term: object, money: bool = True) -> str:
    """Lexical text; money (万元) shown with at least two decimals (11634.3 -> 11634.30)."""
    if isinstance(term, ox.Literal):
        if money and term.datatype.value == _DECIMAL:
            d = Decimal(term.value)
            return str(d.quantize(Decimal("0.01"))) if d.as_tuple().exponent > -2 else str(d)
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def fill(template: str, solution: ox.QuerySolution) -> str:
    def sub(m: re.Match[str]) -> str:
        try:
            value = solution[m.group(1)]
        except KeyError:
            return m.group(0)
        return _text(value, m.group(1) not in _COUNTS) if value is not None else ""
    return _TEMPLATE.sub(sub, template)


@dataclass
class Hit:
    constraint: Constraint
    focus: str
    value: str | None
    message: str


def evaluate(store: ox.Store, constraints: list[Constraint]) -> list[Hit]:
    hits = []
    for c in constraints:
        for sol in store.query(c.query):
            focus = sol["this"]
            if focus is None:
                continue
            value = sol["value"] if "value" in _names(c.query) else None
            for msg in c.messages or ("SPARQL constraint failed",):
                hits.append(Hit(c, _text(focus), _text(value) if value is not None else None, fill(msg, sol)))
    return hits


@lru_cache(maxsize=None)
def _names(query: str) -> frozenset[str]:
    head = query[: _WHERE.search(query).start()]  # type: ignore[union-attr]
    return frozenset(re.findall(r"[?$](\w+)", head))


def add_to_report(report: Graph, hits: list[Hit]) -> None:
    """One sh:ValidationResult per hit, linked from the report's sh:ValidationReport."""
    top = report.value(None, RDF.type, SH.ValidationReport, any=True)
    for h in hits:
        res = BNode()
        if top is not None:
            report.add((top, SH.result, res))
        report.add((res, RDF.type, SH.ValidationResult))
        report.add((res, SH.focusNode, URIRef(h.focus)))
        report.add((res, SH.resultSeverity, SH[h.constraint.severity]))
        report.add((res, SH.sourceShape, URIRef(h.constraint.shape)))
        report.add((res, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        report.add((res, SH.resultMessage, Literal(h.message)))
        if h.value is not None:
            report.add((res, SH.value, Literal(h.value)))
