"""Search (DESIGN.md §4): ``GET /search?q=`` (HTML) and ``GET /search.json?q=`` ->
``{"results": [{"label", "type", "iri", "page"}, …]}``, ranked.

Oxigraph has no full-text index, so the endpoint builds one when it starts: every
department (each of its name forms), subordinate unit, project (name and code), region
and document number (canonical form; any written variant of a query is canonicalised
first) goes into an in-memory SQLite table with an FTS5 trigram index, read from the
store through the backend (so it works over an external store too). Chinese has no word
boundaries: trigrams match any substring of three or more characters; shorter queries
scan the (small) key column instead.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import dataclass

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from converter.mapping.vocab import BL, ELI, RDFS, SKOS
from endpoint.backends import Backend, select




def _kind(cls: str, label: str, keys: str | None, extra: str = "") -> str:
    """A pattern binding ?s (of class ``cls``), ?label (its ``label``) and ?key (each value
    of the ``keys`` path; None: the label). The default graph is the union of the documents'
    graphs, where an entity's type and labels repeat once per document stating them: each
    (?s, ?label) pair is made distinct before the keys are joined, so the rows grow with the
    number of documents, not with its square (a region is stated by all of its documents)."""
    pairs = (f"{{ SELECT DISTINCT ?s ?label WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ ?s a <{cls}> }} }} "
             f"?s <{label}> ?label }} }}")
    key = f"?s {keys} ?key ." if keys else "BIND(?label AS ?key)"
    return f"{pairs} {key} {extra}"


# (type, SPARQL pattern binding ?s ?label ?key): the label shown, every key searched
KINDS: list[tuple[str, str]] = [
    ("document", _kind(f"{BL}Document", f"{ELI}id_local", None)),
    ("department", _kind(f"{BL}Department", f"{SKOS}prefLabel",
                         f"<{SKOS}prefLabel>|<{SKOS}altLabel>|<{SKOS}hiddenLabel>|<{BL}departmentCode>")),
    ("unit", _kind(f"{BL}SubordinateUnit", f"{SKOS}prefLabel", f"<{SKOS}prefLabel>|<{BL}unitCode>")),
    ("project", _kind(f"{BL}Project", f"{SKOS}altLabel", f"<{SKOS}altLabel>|<{BL}projectCode>")),
    ("project", _kind(f"{BL}ProjectAllocation", f"{RDFS}label", f"<{RDFS}label>|<{SKOS}altLabel>",
                      f"FILTER NOT EXISTS {{ ?s <{BL}project> ?p }}")),
    ("region", _kind(f"{BL}Region", f"{SKOS}prefLabel", f"<{SKOS}prefLabel>|<{SKOS}altLabel>")),
]
TYPE_ORDER = {t: i for i, t in enumerate(("document", "department", "unit", "project", "region"))}
PAGE = 50_000  # rows per request while building (under the backend's row cap)


def normalise(text: str) -> str:
    """Search key: no whitespace, full-width letters and digits folded, lower case."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass
class Hit:
    label: str
    type: str
    iri: str


class SearchIndex:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.lock = threading.Lock()
        self.ready = asyncio.Event()
        self.error: str | None = None
        try:
            self.db.execute("CREATE VIRTUAL TABLE keys USING fts5(key, iri UNINDEXED, tokenize='trigram')")
            self.fts = True
        except sqlite3.OperationalError:  # an SQLite without FTS5's trigram tokenizer
            self.db.execute("CREATE TABLE keys (key TEXT, iri TEXT)")
            self.fts = False
        self.db.execute("CREATE TABLE entities (iri TEXT PRIMARY KEY, label TEXT, type TEXT)")

    async def build(self, backend: Backend) -> None:
        try:
            for kind, pattern in KINDS:
                offset = 0
                while True:
                    rows = await select(backend, f"SELECT DISTINCT ?s ?label ?key WHERE {{ {pattern} }} "
                                                 f"ORDER BY ?s ?key LIMIT {PAGE} OFFSET {offset}")
                    self._add(kind, [(r["s"].value, r["label"].value, r["key"].value) for r in rows])
                    if len(rows) < PAGE:
                        break
                    offset += PAGE
        except Exception as exc:  # noqa: BLE001 - the endpoint keeps serving without search
            self.error = f"search index unavailable: {type(exc).__name__}"
        finally:
            self.ready.set()

    def _add(self, kind: str, rows: list[tuple[str, str, str]]) -> None:
        with self.lock:
            self.db.executemany("INSERT OR IGNORE INTO entities VALUES (?, ?, ?)", [(s, label, kind) for s, label, _ in rows])
            self.db.executemany("INSERT INTO keys VALUES (?, ?)", [(normalise(k), s) for s, _, k in rows])

    def search(self, q: str, limit: int = 50) -> list[Hit]:
        key = normalise(q)
        if not key:
            return []
        from converter.parsers.docnumbers import canonical_docnumber

        canonical = canonical_docnumber(q)
        keys = [normalise(canonical)] if canonical else []
        keys.append(key)
        found: dict[str, tuple[int, int, str, str]] = {}
        with self.lock:
            for k in keys:
                if self.fts and len(k) >= 3:
                    sql = "SELECT keys.key, keys.iri, label, type FROM keys JOIN entities USING (iri) WHERE keys MATCH ?"
                    args: tuple = ('"' + k.replace('"', '""') + '"',)
                else:
                    sql = ("SELECT keys.key, keys.iri, label, type FROM keys JOIN entities USING (iri) "
                           "WHERE instr(keys.key, ?) > 0")
                    args = (k,)
                for hit_key, iri, label, kind in self.db.execute(sql, args):
                    rank = 0 if hit_key == k else 1 if hit_key.startswith(k) else 2
                    best = found.get(iri)
                    if best is None or rank < best[0]:
                        found[iri] = (rank, TYPE_ORDER.get(kind, 9), label, kind)
        ordered = sorted(found.items(), key=lambda kv: (kv[1][0], kv[1][1], len(kv[1][2]), kv[1][2], kv[0]))
        return [Hit(label=v[2], type=v[3], iri=iri) for iri, v in ordered[:limit]]


router = APIRouter()


async def _hits(request: Request, q: str) -> tuple[list[Hit], str | None]:
    index: SearchIndex = request.app.state.search
    try:
        await asyncio.wait_for(index.ready.wait(), timeout=10)
    except asyncio.TimeoutError:
        return [], "the search index is still being built; try again in a moment"
    if index.error:
        return [], index.error
    return await asyncio.to_thread(index.search, q), None


def _page(request: Request, iri: str) -> str:
    from endpoint.urls import urls

    return urls(request).page(iri)


@router.get("/search.json", summary="Search departments, units, projects, regions and document numbers")
async def search_json(request: Request, q: str = Query("")) -> Response:
    # q's length is capped for every route at once (Settings.max_param_chars -> 400)
    hits, problem = await _hits(request, q)
    body: dict[str, object] = {"query": q, "results": [
        {"label": h.label, "type": h.type, "iri": h.iri, "page": _page(request, h.iri)} for h in hits]}
    if problem:
        body["error"] = problem
    return JSONResponse(body, status_code=503 if problem else 200)


@router.get("/search", include_in_schema=False)
async def search_html(request: Request, q: str = Query("")) -> Response:
    hits, problem = await _hits(request, q) if q.strip() else ([], None)
    rows = [{"label": h.label, "type": h.type, "iri": h.iri, "page": _page(request, h.iri)} for h in hits]
    return request.app.state.templates.TemplateResponse(request, "search.html", {
        "settings": request.app.state.settings, "q": q, "results": rows, "problem": problem},
        status_code=503 if problem else 200)
