"""The core SHACL shapes compiled to SPARQL and run on Oxigraph, as a complete *detector*:
it answers "could pyshacl report anything on this graph?" in a few queries, never "no"
where pyshacl would report a result. Where it says "maybe" (or cannot compile a shape,
or the graph is one Oxigraph reads differently from rdflib), the caller runs pyshacl,
which stays the reference and writes every report; the common case -- a graph with no
core findings -- never builds an rdflib graph.

Compiled (anything else in a shapes graph makes ``compile_core`` return None):
node shapes with sh:targetClass or sh:targetSubjectsOf (and sh:severity, labels), whose sh:property shapes have
an IRI sh:path and sh:minCount, sh:maxCount, sh:datatype (xsd:string, rdf:langString,
xsd:decimal, xsd:integer, xsd:boolean), sh:class, sh:pattern (+ sh:flags "i"/"m", checked
with Python's re as pyshacl does), sh:in (IRIs, string literals, canonical booleans), sh:languageIn,
sh:minInclusive / sh:maxInclusive / sh:minExclusive / sh:maxExclusive (numeric).
Conservative where the engines could disagree: an Oxigraph-invalid typed literal, a
pattern over a non-string literal, an incomparable range value all count as suspects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

SH = Namespace("http://www.w3.org/ns/shacl#")

# predicates on a shape that do not validate anything
_INERT = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.name, SH.description,
          SH.order, SH.group}
_NODE_KEYS = _INERT | {SH.targetClass, SH.targetSubjectsOf, SH.property}
_PROPERTY_KEYS = _INERT | {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.pattern, SH.flags,
                           SH["in"], SH.languageIn, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
                           SH.maxExclusive}
_SHAPE_PREDICATES = _NODE_KEYS | _PROPERTY_KEYS | {SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                                                   SH.target, SH.node, SH["not"], SH["and"], SH["or"], SH.xone,
                                                   SH.qualifiedValueShape, SH.closed, SH.sparql, SH.deactivated}
# datatypes whose well-formedness both engines judge alike (Oxigraph's valid lexical
# forms are a subset of rdflib's); the cast test: Oxigraph keeps an invalid literal as an
# opaque typed string, which its own cast rejects
_CASTS = {XSD.decimal: "xsd:decimal", XSD.integer: "xsd:integer", XSD.boolean: "xsd:boolean"}
_NUMERIC = "(datatype(?v) IN (xsd:decimal, xsd:integer, xsd:double, xsd:float))"
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_BIG = 1_000_000_000


@dataclass(frozen=True)
class Compiled:
    checks: tuple[str, ...]  # ASK (or SELECT ... LIMIT 1) queries: true where a value may fail
    # per check, an ASK over every value of its predicates whatever the subject (None: none):
    # false proves the check false without joining the focus nodes' classes (2x cheaper;
    # a predicate is rarely used with another datatype or class elsewhere)
    prefilters: tuple[str | None, ...]
    # sh:maxCount 1: the (subject, predicate) pairs of the store with two values or more, of
    # which those whose subject is a focus node of a shape bounding that predicate fail;
    # one grouped scan, then a type lookup per row (a join per (class, path) pair was 12 %
    # of a document's validation)
    multi_valued: str | None
    bounded: dict[str, tuple[tuple[str, str], ...]]  # predicate IRI -> (target kind, term IRI)
    pattern_queries: tuple[str, ...]  # SELECT DISTINCT ?v: the values that must match ...
    patterns: tuple[tuple[re.Pattern[str], ...], ...]  # ... these patterns (one tuple per query)


def _term(t: object) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    assert isinstance(t, Literal)
    return t.n3()


def _values(cond_rows: list[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(r) + ")" for r in cond_rows)


_CLASS, _SUBJECT = "class", "subject"
# how each kind of target binds the focus node ?this from ?c
_FOCUS = {_CLASS: "?this a ?c .", _SUBJECT: "?this ?c ?_any ."}


def _focus(rows: list[tuple[str, ...]], tail: str, variables: str = "?c ?p") -> str:
    """A group pattern binding ?this (and ``variables``) for every (target kind, *values)
    row, then ``tail``: one UNION branch per kind of target."""
    kinds = sorted({r[0] for r in rows})
    return " UNION ".join(
        "{ VALUES (" + variables + ") { " + _values([r[1:] for r in rows if r[0] == k]) + " } "
        + _FOCUS[k] + " " + tail + " }" for k in kinds)


def compile_core(shapes: Graph) -> Compiled | None:
    """The detector of a core shapes graph (no sh:sparql), or None where it has anything
    this module does not compile."""
    node_shapes = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
    property_shapes = set(shapes.objects(None, SH.property))
    if any(isinstance(n, Literal) for n in property_shapes):
        return None
    # every node that acts as a shape must be one of ours, used in the one way we compile
    for s, p in set(shapes.subject_predicates(None)):
        if p in _SHAPE_PREDICATES - _INERT and s not in node_shapes and s not in property_shapes:
            return None
    count_rows: list[tuple[str, ...]] = []  # (class, path, min, max) beyond 0..1
    missing: list[tuple[str, str, str]] = []  # sh:minCount 1
    repeated: list[tuple[str, str, str]] = []  # sh:maxCount 1
    forbidden: list[tuple[str, str, str]] = []  # sh:maxCount 0
    by_condition: dict[str, list[tuple[str, str, str]]] = {}  # value condition -> (target kind, term, path)
    by_pattern: dict[tuple[re.Pattern[str], ...], list[tuple[str, str, str]]] = {}
    for n in node_shapes:
        if n in property_shapes or any(p not in _NODE_KEYS for p in shapes.predicates(n, None)):
            return None
        if (n, RDF.type, RDFS.Class) in shapes or (None, None, n) in shapes:
            return None  # implicit class target, or referenced from elsewhere
        # a target is (how the focus node is found, term): a class of it, or a predicate it is subject of
        targets = [(_CLASS, c) for c in sorted(shapes.objects(n, SH.targetClass))] + \
                  [(_SUBJECT, p) for p in sorted(shapes.objects(n, SH.targetSubjectsOf))]
        if not all(isinstance(c, URIRef) for _, c in targets):
            return None
        for ps in shapes.objects(n, SH.property):
            if any(p not in _PROPERTY_KEYS for p in shapes.predicates(ps, None)):
                return None
            if len(set(shapes.subjects(SH.property, ps))) != 1 or list(shapes.predicates(None, ps)) != [SH.property]:
                return None
            paths = list(shapes.objects(ps, SH.path))
            if len(paths) != 1 or not isinstance(paths[0], URIRef):
                return None
            path = _term(paths[0])
            pairs = [(k, _term(c), path) for k, c in targets]
            mins, maxs = list(shapes.objects(ps, SH.minCount)), list(shapes.objects(ps, SH.maxCount))
            if len(mins) > 1 or len(maxs) > 1:
                return None
            lo = int(mins[0]) if mins else 0
            hi = int(maxs[0]) if maxs else _BIG
            if lo == 1:
                missing += pairs
            if hi == 1:
                repeated += pairs
            if hi == 0:
                forbidden += pairs
            if lo > 1 or 1 < hi < _BIG:
                count_rows += [(k, c, p, str(lo), str(hi)) for k, c, p in pairs]
            conds = _value_conditions(shapes, ps)
            if conds is None:
                return None
            for cond in conds:
                by_condition.setdefault(cond, []).extend(pairs)
            pats = list(shapes.objects(ps, SH.pattern))
            if pats:
                compiled = _patterns(shapes, ps, pats)
                if compiled is None:
                    return None
                by_pattern.setdefault(compiled, []).extend(pairs)
    prefixes = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    branches: list[tuple[str, str | None]] = []  # (check, its prefilter)
    if missing:
        branches.append((_focus(missing, "FILTER NOT EXISTS { ?this ?p ?v }"), None))
    bounded: dict[str, set[tuple[str, str]]] = {}
    for kind, c, p in repeated:
        bounded.setdefault(p[1:-1], set()).add((kind, c[1:-1]))
    multi_valued = None
    if bounded:
        multi_valued = ("SELECT ?s ?p WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in sorted(bounded))
                        + " } ?s ?p ?o } GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?o) > 1)")
    if forbidden:
        branches.append((_focus(forbidden, "?this ?p ?v ."), None))
    if count_rows:
        branches.append(("SELECT ?this WHERE { " + _focus(count_rows, "OPTIONAL { ?this ?p ?v }", "?c ?p ?lo ?hi")
                         + " }\nGROUP BY ?this ?p ?lo ?hi\n"
                         "HAVING (COUNT(DISTINCT ?v) < ?lo || COUNT(DISTINCT ?v) > ?hi)", None))
    for cond, pairs in sorted(by_condition.items()):
        predicates = " ".join(sorted({p for _, _, p in pairs}))
        branches.append((_focus(sorted(set(pairs)), f"?this ?p ?v . FILTER({cond})"),
                          f"{prefixes}ASK {{ VALUES ?p {{ {predicates} }} ?s ?p ?v . FILTER({cond}) }}"))
    counts = [prefixes + "ASK { " + b + " }" if not b.startswith("SELECT") else prefixes + b + " LIMIT 1"
              for b, _ in branches]
    prefilters = [pre for _, pre in branches]
    pattern_queries = []
    patterns: list[tuple[re.Pattern[str], ...]] = []
    for pats, pairs in by_pattern.items():
        pattern_queries.append(prefixes + "SELECT DISTINCT ?v WHERE { " + _focus(sorted(set(pairs)), "?this ?p ?v .")
                               + " }")
        patterns.append(pats)
    return Compiled(tuple(counts), tuple(prefilters), multi_valued, {p: tuple(sorted(t)) for p, t in sorted(bounded.items())},
                    tuple(pattern_queries), tuple(patterns))


def _value_conditions(shapes: Graph, ps: object) -> list[str] | None:
    """SPARQL conditions true for a value node that may fail one of ps's value constraints."""
    out = []
    for dt in shapes.objects(ps, SH.datatype):
        if dt == XSD.string:
            ok = "isLiteral(?v) && datatype(?v) = xsd:string"
        elif dt == RDF.langString:
            ok = "isLiteral(?v) && lang(?v) != \"\""
        elif dt in _CASTS:
            ok = f"isLiteral(?v) && datatype(?v) = {_term(dt)} && COALESCE(sameTerm({_CASTS[dt]}(?v), ?v), false)"
        else:
            ok = "false"  # a datatype not compiled: every value is a suspect
        out.append(f"!({ok})")
    for cls in shapes.objects(ps, SH["class"]):
        if not isinstance(cls, URIRef):
            return None
        out.append(f"isLiteral(?v) || NOT EXISTS {{ ?v a {_term(cls)} }}")
    for head in shapes.objects(ps, SH["in"]):
        members = list(Collection(shapes, head))
        if not all(isinstance(m, URIRef) or (isinstance(m, Literal) and m.datatype in (None, XSD.string))
                   or (isinstance(m, Literal) and m.datatype == XSD.boolean and str(m) in ("true", "false"))
                   for m in members):
            # other typed members: Oxigraph's canonical values could equal where rdflib's terms
            # do not (a canonical boolean has one lexical form in both)
            return None
        out.append("!(" + (" || ".join(f"sameTerm(?v, {_term(m)})" for m in members) or "false") + ")")
    for head in shapes.objects(ps, SH.languageIn):
        tags = [str(m).lower() for m in Collection(shapes, head)]
        if any(not re.fullmatch(r"[a-z0-9-]+", t) for t in tags):
            return None
        listed = ", ".join(f'"{t}"' for t in tags)
        out.append(f"!(isLiteral(?v) && lang(?v) != \"\" && (LCASE(lang(?v)) IN ({listed}) "
                   f"|| LCASE(STRBEFORE(lang(?v), \"-\")) IN ({listed})))")
    for key, op in _RANGES.items():
        for bound in shapes.objects(ps, key):
            if not (isinstance(bound, Literal) and isinstance(bound.value, (int, Decimal)) and bound.datatype
                    in (XSD.integer, XSD.decimal)):
                return None
            out.append(f"!(isLiteral(?v) && {_NUMERIC} && COALESCE(?v {op} {_term(bound)}, false))")
    return out


def _patterns(shapes: Graph, ps: object, pats: list) -> tuple[re.Pattern[str], ...] | None:
    flags = 0
    for f in shapes.objects(ps, SH.flags):
        text = str(f).lower()
        if set(text) - {"i", "m"}:
            return None
        flags |= (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    if not all(isinstance(p, Literal) for p in pats):
        return None
    return tuple(re.compile(str(p), flags) for p in pats)


def _pattern_ok(v: object, pats: tuple[re.Pattern[str], ...]) -> bool:
    """pyshacl's test (match, else search) on the lexical form; only where Oxigraph kept
    the lexical form as written: IRIs and string literals."""
    if isinstance(v, ox.NamedNode):
        text = v.value
    elif isinstance(v, ox.Literal) and v.datatype.value in (str(XSD.string), str(RDF.langString)):
        text = v.value
    else:
        return False
    return all(p.match(text) or p.search(text) for p in pats)


_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = f"ASK {{ ?a <{RDFS.subClassOf}> ?b }}"


def multi_valued_suspect(store: ox.Store, compiled: Compiled) -> bool:
    """A focus node with two values of a predicate its shape bounds to one (sh:maxCount 1)."""
    if compiled.multi_valued is None:
        return False
    for row in store.query(compiled.multi_valued):
        for kind, term in compiled.bounded[row["p"].value]:
            pattern = (row["s"], _TYPE, ox.NamedNode(term)) if kind == _CLASS else (row["s"], ox.NamedNode(term), None)
            if next(store.quads_for_pattern(*pattern, ox.DefaultGraph()), None) is not None:
                return True
    return False


def suspect(store: ox.Store, compiled: Compiled) -> bool:
    """True where pyshacl might report a result on the store's default graph. Targets and
    sh:class follow rdfs:subClassOf in the data graph: a graph stating any is a suspect."""
    if store.query(_SUBCLASS):
        return True
    for pre, q in zip(compiled.prefilters, compiled.checks):
        if pre is not None and not store.query(pre):
            continue
        answer = store.query(q)
        if answer if isinstance(answer, ox.QueryBoolean) else any(True for _ in answer):
            return True
    if multi_valued_suspect(store, compiled):
        return True
    for q, pats in zip(compiled.pattern_queries, compiled.patterns):
        if not all(_pattern_ok(row["v"], pats) for row in store.query(q)):
            return True
    return False

