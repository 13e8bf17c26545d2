"""Endpoint settings (from ``budgetlod serve`` options or the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from converter.store import default_base

# vocabulary terms and fixed code lists live here whatever the deployment base (see
# converter/mapping/iris.py), so the server dereferences this namespace too
from converter.mapping.iris import VOCAB_ROOT  # noqa: F401  (re-exported for the endpoint)


@dataclass
class Settings:
    store: str | None = None  # embedded store directory
    endpoint: str | None = None  # external SPARQL 1.1 query URL (instead of the store)
    endpoint_user: str | None = None
    endpoint_password: str | None = None
    base: str = field(default_factory=default_base)
    timeout: float = 30.0  # seconds per query
    max_rows: int = 100_000  # rows (or triples) per result
    workers: int = 4  # query worker processes (embedded store)
    reserved_workers: int = 1  # more, kept for pages and canned queries (never /sparql)
    service_allow: frozenset[str] = frozenset()  # SERVICE IRIs that queries may call
    queries_dir: Path = Path(__file__).parent / "queries"
    title: str = "budget-lod: 部门预算信息公开 linked data"
    dumps: str | None = None  # OUTDIR of `budgetlod dump`: its latest release is served at /dumps/
    # request limits, enforced once for every route (endpoint/limits.py) or where a query
    # is policed (endpoint/protocol.py); each answered with a short message, never a reset
    max_url_bytes: int = 8_192  # request target, path and query string (414 above)
    max_body_bytes: int = 1_048_576  # request body, e.g. a POSTed query (413 above)
    max_param_chars: int = 200  # one canned-query, search or page parameter (400 above)
    max_query_chars: int = 100_000  # one SPARQL query's text (413 above)
    max_query_depth: int = 128  # bracket nesting of a query (Oxigraph's parser recurses)
    # seconds a client has to send a request's headers, from connecting (or from the first
    # byte of a next request on a kept-alive connection); 408 and closed after (endpoint/connection.py)
    header_timeout: float = 10.0

    def namespaces(self) -> list[str]:
        """IRI prefixes the server answers for, most specific first."""
        out = [self.base]
        if VOCAB_ROOT not in out:
            out.append(VOCAB_ROOT)
        return out
