"""Shared fixtures of the graph tests (test_mapping*, test_shapes*, test_queries*): the
five samples converted once per session. No tests here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from converter.mapping import ConvertedDocument, convert_document, merge_nquads

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))
QUERIES = ROOT / "endpoint" / "queries"


@lru_cache(maxsize=None)
def converted(name: str) -> ConvertedDocument:
    """One sample (by file-name prefix, e.g. "000") converted under the default base."""
    path = next(p for p in SAMPLES if p.name.startswith(name))
    return convert_document(path)


@lru_cache(maxsize=None)
def all_nquads() -> str:
    return merge_nquads(converted(p.name[:3]) for p in SAMPLES)


@lru_cache(maxsize=None)
def sample_store() -> ox.Store:
    store = ox.Store()
    store.load(all_nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _term(v: str | int) -> str:
    if isinstance(v, int):
        return str(ox.Literal(str(v), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    return str(ox.Literal(v))


def bind_values(query: str, params: dict[str, str | int]) -> str:
    """Bind parameters as the endpoint does: a VALUES block in each (sub)query group that uses them (ints as
    xsd:integer, as the endpoint binds `year`; strings as plain literals)."""
    if not params:
        return query
    from endpoint.canned import inject_values  # the endpoint's own placement of the VALUES block

    return inject_values(query, {f"param_{k}": _term(v) for k, v in params.items()})


def run_query(name: str, **params: str | int) -> list[dict[str, object]]:
    """Rows of a canned query on the converted samples: literals as Python values
    (xsd:decimal -> Decimal, xsd:integer -> int, xsd:boolean -> bool), IRIs as str."""
    from decimal import Decimal

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    result = sample_store().query(bind_values(text, params))
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        row: dict[str, object] = {}
        for n in names:
            t = sol[n]
            if t is None:
                row[n] = None
            elif isinstance(t, ox.Literal):
                dt = t.datatype.value.rsplit("#", 1)[-1]
                row[n] = (Decimal(t.value) if dt == "decimal" else int(t.value) if dt == "integer"
                          else t.value == "true" if dt == "boolean" else t.value)
                row[n + "@type"] = dt
            else:
                row[n] = t.value
        rows.append(row)
    return rows
