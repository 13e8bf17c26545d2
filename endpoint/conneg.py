"""Accept-header negotiation (RFC 9110 q-values) over the formats a response can take."""

from __future__ import annotations

from endpoint.results import ALIASES, GRAPH_TYPES, RESULT_TYPES

_ALL = {**{v: k for k, v in RESULT_TYPES.items()}, **{v: k for k, v in GRAPH_TYPES.items()}, **ALIASES}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) sorted best first; specific ranges beat wildcards."""
    if not header:
        return [("*/*", 1.0, 0)]
    out = []
    for pos, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((mt, q, pos))
    out.sort(key=lambda t: (-t[1], t[0].count("*"), t[2]))
    return out


def choose(header: str | None, offered: list[str], default: str | None = None) -> str | None:
    """The offered format key (e.g. "json", "ttl", "html") the client prefers; ``default``
    when it accepts anything; None when nothing offered is acceptable (406)."""
    for mt, q, _ in parse_accept(header):
        if q <= 0:
            continue
        if mt in ("*/*", "*"):
            return default or offered[0]
        if mt.endswith("/*"):
            major = mt[:-1]
            for key in offered:
                full = "text/html" if key == "html" else RESULT_TYPES.get(key) or GRAPH_TYPES.get(key, "")
                if full.startswith(major):
                    return key
            continue
        key = "html" if mt in ("text/html", "application/xhtml+xml") else _ALL.get(mt)
        if key == "json" and key not in offered and "jsonld" in offered:
            key = "jsonld"  # plain JSON asked of a graph: its JSON form is JSON-LD
        if key in offered:
            return key
    return None
