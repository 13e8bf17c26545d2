"""Which SERVICE calls a query may make (SPARQL 1.1 Federated Query), decided from the
parsed query, never from a hand-written lexer that could read the text differently from
Oxigraph (a comment ended by a lone CR, SERVICE glued to a prefixed name, escapes).

The rule, safe whatever the two parsers disagree on:
- a query whose text never contains the letters "service" (in any case, also after
  \\u/\\U escape decoding) cannot name a SERVICE: it passes without parsing;
- otherwise, with no allow-list, it is refused;
- with an allow-list, rdflib parses it and every SERVICE node of the algebra (subqueries,
  OPTIONAL/MINUS, EXISTS filters included) must name an allow-listed IRI, and there must be
  at least as many of them as the text has occurrences of the word: a mention that rdflib
  did not read as a SERVICE clause (a comment, a string, a lexing difference) is refused
  rather than guessed about. A query rdflib cannot parse is refused too.

Refusals carry one fixed message, so they tell nothing about any target."""

from __future__ import annotations

import re

from endpoint.sparql_text import QueryRejected

REFUSED = ("SERVICE is not allowed here: federation is limited to an allow-list of endpoints "
           "(and the word SERVICE may appear only in an allowed SERVICE clause)")
FAILED = "a SERVICE call failed (details are not shown)"
_WORD = "service"
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """SPARQL's codepoint escapes decoded (the spec applies them before parsing)."""
    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _ESCAPE.sub(one, text)


def mentions(query: str) -> int:
    """How many times the word could be a SERVICE keyword, counting every occurrence."""
    return max(query.lower().count(_WORD), _unescape(query).lower().count(_WORD))


def service_targets(query: str) -> list[str | None]:
    """The IRIs of the SERVICE nodes rdflib finds in the query's algebra (None for a
    variable); raises QueryRejected when rdflib cannot parse the query."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:  # any parse failure (incl. RecursionError): no verdict, so no SERVICE
        raise QueryRejected(REFUSED, 403) from None
    out: list[str | None] = []
    stack: list[object] = [algebra]
    seen: set[int] = set()
    while stack:  # iterative: a deeply nested query must not exhaust the Python stack
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                out.append(str(term) if isinstance(term, URIRef) else None)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
    return out


def check_services(query: str, allowed: frozenset[str]) -> bool:
    """Raise QueryRejected (403) unless every SERVICE the query could make is allowed;
    True when the query does call an (allowed) SERVICE."""
    n = mentions(query)
    if n == 0:
        return False
    if not allowed:
        raise QueryRejected(REFUSED, 403)
    targets = service_targets(query)
    if len(targets) < n or any(t is None or t not in allowed for t in targets):
        raise QueryRejected(REFUSED, 403)
    return True
