"""Just enough SPARQL lexing to police queries before they reach a store: the query form,
updates, nesting depth, and where to bind canned-query parameters. Strings, IRIs and
comments are skipped so that keywords inside them never count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Order matters: long strings before short ones; IRIREF cannot contain spaces, which keeps
# `?a < ?b` comparisons from being read as an IRI.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s{}()<>,;"']*)?|:[^\s{}()<>,;"']*)
  | (?P<punct>[{}()\[\],;.])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


class QueryRejected(ValueError):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def tokens(query: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def _keyword(tok: Token) -> str | None:
    if tok.kind == "word" and ":" not in tok.text:
        return tok.text.upper()
    return None


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    depth: int  # deepest nesting of { ( [ brackets


def inspect_query(query: str, max_depth: int | None = None) -> QueryInfo:
    """The query's form and nesting depth; raises QueryRejected for updates, for text that
    is not a query at all, and for nesting deeper than ``max_depth`` (a parser recursing
    10,000 levels would crash its worker). Which SERVICE calls are allowed is decided from
    the parsed query, in endpoint.federation, not here."""
    toks = tokens(query)
    form: str | None = None
    for tok in toks:
        kw = _keyword(tok)
        if kw in ("BASE", "PREFIX") or tok.kind == "iri" or (tok.kind == "word" and ":" in tok.text):
            continue
        if kw in QUERY_FORMS:
            form = kw
            break
        if kw in UPDATE_WORDS:
            raise QueryRejected("SPARQL Update is not allowed: this endpoint is read-only", 403)
        break
    if form is None:
        raise QueryRejected("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    deepest = max(_depth(t.text for t in toks), _depth(query))
    if max_depth is not None and deepest > max_depth:
        raise QueryRejected(f"query nested too deeply ({deepest} levels; at most {max_depth})")
    return QueryInfo(form, deepest)


_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")


def _depth(items) -> int:
    """Deepest bracket nesting over tokens, or over raw characters (which also counts
    brackets in strings and comments: with the token count, a bound that holds however
    the store's parser lexes the text)."""
    depth = deepest = 0
    for x in items:
        if x in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif x in _CLOSERS:
            depth = max(0, depth - 1)
    return deepest


def inject_values(query: str, bindings: dict[str, str]) -> str:
    """Bind ``?name`` variables to constant RDF terms (given in SPARQL/N-Triples syntax,
    already escaped) by a VALUES block at the start of the WHERE group of every SELECT or
    ASK (sub)query that mentions them. Nothing of the caller's input is parsed as query text:
    each value is one escaped term produced by the caller."""
    for pos, names in reversed(_value_slots(query, frozenset(bindings))):
        block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(
            bindings[n] for n in names
        ) + ") } "
        query = query[:pos] + block + query[pos:]
    return query


@lru_cache(maxsize=256)
def _value_slots(query: str, names: frozenset[str]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where inject_values puts its VALUES blocks: (offset, the bound names used there) in
    text order. It depends on the query text and the names only, and a canned query's text
    is the same on every request, so it is worked out once (tokenizing took a third of a
    millisecond a request, a tenth of an empty answer's time)."""
    toks = tokens(query)
    slots: list[tuple[int, tuple[str, ...]]] = []
    for i, tok in enumerate(toks):
        if _keyword(tok) not in ("SELECT", "ASK"):
            continue
        # the first "{" after SELECT/ASK opens its WHERE group (projections have no braces)
        j = i + 1
        while j < len(toks) and toks[j].text != "{":
            j += 1
        if j >= len(toks):
            continue
        depth, k, used = 0, j, set()
        while k < len(toks):
            t = toks[k]
            if t.text == "{":
                depth += 1
            elif t.text == "}":
                depth -= 1
                if depth == 0:
                    break
            elif t.kind == "var" and t.text[1:] in names:
                used.add(t.text[1:])
            k += 1
        if used:
            slots.append((toks[j].end, tuple(sorted(used))))
    return tuple(sorted(slots))
