"""Stores for the graph: the embedded pyoxigraph store on disk and external SPARQL 1.1
stores, plus the ``load`` pipeline that fills them."""

from __future__ import annotations

import os

from converter.mapping.iris import DEFAULT_BASE


def default_base() -> str:
    """The IRI base the mapping mints under (env BUDGETLOD_BASE), always ending in '/'."""
    base = os.environ.get("BUDGETLOD_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"
