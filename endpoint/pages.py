"""HTML pages for resources: Chinese labels first, every property, incoming and outgoing
links, and, where a canned query fits the resource (a funding document's recipients, a
department's units), its rows as a table."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from endpoint.backends import BackendError, select
from endpoint.canned import bind
from converter.mapping.vocab import BL, ORG, XSD
from endpoint.describe import RDF_TYPE, Described, describe, iri_term, labels_for
from endpoint.sparql_text import QueryRejected
from endpoint.urls import urls

ELI_ID_LOCAL = "http://data.europa.eu/eli/ontology#id_local"
DEPARTMENT_TYPES = {ORG + "Organization", ORG + "FormalOrganization", ORG + "GovernmentOrganization",
                    BL + "Department"}


@dataclass
class Cell:
    text: str
    href: str | None = None
    note: str = ""  # language tag or datatype, shown small
    iri: str | None = None


class Renderer:
    """Turns terms into cells: local links for IRIs under our namespaces, labels beside
    IRIs, CURIEs for properties."""

    def __init__(self, request: Request, labels: dict[str, str]) -> None:
        self.request = request
        self.labels = labels
        self.prefixes: dict[str, str] = request.app.state.prefixes
        self.urls = urls(request)

    def href(self, iri: str) -> str:
        return self.urls.page(iri)

    def curie(self, iri: str) -> str:
        best = None
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                best = p
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def _iri_cell(self, iri: str) -> Cell:
        # label as the link text; the CURIE beside it when there is a short one (the full
        # IRI is in the link's title, not on the page)
        label, curie = self.labels.get(iri), self.curie(iri)
        note = curie if label and curie != iri else ""
        return Cell(label or curie, self.href(iri), note, iri)

    def prop(self, iri: str) -> Cell:
        return self._iri_cell(iri)

    def term(self, term: object) -> Cell:
        if isinstance(term, ox.NamedNode):
            return self._iri_cell(term.value)
        if isinstance(term, str):  # an IRI or "_:" blank node id from describe()
            if term.startswith("_:"):
                return Cell(term)
            return self.term(ox.NamedNode(term))
        if isinstance(term, ox.BlankNode):
            return Cell("_:" + term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Cell(term.value, note="@" + term.language)
            dt = term.datatype.value
            if dt == XSD + "string":
                return Cell(term.value)
            return Cell(term.value, note=self.curie(dt))
        return Cell(str(term))


async def panels(request: Request, d: Described) -> list[dict]:
    """Canned-query tables that fit this resource."""
    st = request.app.state
    canned = st.canned
    out: list[dict] = []
    types = {o.value for p, o in d.outgoing if p == RDF_TYPE and isinstance(o, ox.NamedNode)}
    wanted: list[tuple[str, dict[str, str]]] = []
    numbers = [o.value for p, o in d.outgoing if p == ELI_ID_LOCAL and isinstance(o, ox.Literal)]
    if numbers and "funding-recipients" in canned:
        wanted.append(("funding-recipients", {"doc": numbers[0]}))
    label = d.labels.get(d.iri)
    if label and types & DEPARTMENT_TYPES and "/unit/" not in d.iri and "department-units" in canned:
        wanted.append(("department-units", {"department": label}))
    for name, params in wanted:
        cq = canned[name]
        try:
            rows = await select(st.backend, bind(cq, params))
        except (QueryRejected, BackendError, SyntaxError):
            continue
        if not rows:
            continue
        variables = list(rows[0].keys())
        out.append({"name": name, "title": cq.title, "params": params, "variables": variables, "rows": rows})
    return out


IN_PAGE = 100  # incoming links per page
BL_DOCUMENT = BL + "Document"


async def render_resource(request: Request, iri: str) -> Response:
    from endpoint import views
    from endpoint.tables import twin_response

    st = request.app.state
    try:
        in_page = max(1, int(request.query_params.get("in_page", "1")))
    except ValueError:
        in_page = 1
    rows = await select(st.backend, f"SELECT DISTINCT ?t WHERE {{ {iri_term(iri)} a ?t }}")
    types_iris = {r["t"].value for r in rows if isinstance(r["t"], ox.NamedNode)}
    view = None
    if types_iris & DEPARTMENT_TYPES and "/unit/" not in iri:
        view = await views.department_view(request, iri)
    elif BL_DOCUMENT in types_iris:
        label = (await labels_for(st.backend, {iri})).get(iri, iri)
        view = await views.document_view(request, iri, label)
    if view:
        for name, t in view["tables"].items():
            t.paginate(request, name + ".")
        wanted = request.query_params.get("_table")
        fmt = request.query_params.get("_format")
        if wanted in view["tables"] and fmt in ("csv", "json"):
            return twin_response(view["tables"][wanted], fmt)
    d = await describe(st.backend, iri, (in_page - 1) * IN_PAGE, IN_PAGE)
    label = d.labels.get(iri)
    tables = [] if view else await panels(request, d)
    extra = {t.value for tb in tables for row in tb["rows"] for t in row.values() if isinstance(t, ox.NamedNode)}
    if extra - d.labels.keys():
        d.labels.update(await labels_for(st.backend, extra - d.labels.keys()))
    r = Renderer(request, d.labels)
    types = [r.term(o) for p, o in d.outgoing if p == RDF_TYPE]
    groups: dict[str, list] = {}
    for p, o in sorted(d.outgoing, key=lambda po: (po[0] != RDF_TYPE, r.curie(po[0]), str(po[1]))):
        groups.setdefault(p, []).append(r.term(o))
    outgoing = [(r.prop(p), values) for p, values in groups.items()]
    incoming_groups: dict[str, list] = {}
    for s, p in sorted(d.incoming, key=lambda sp: (r.curie(sp[1]), d.labels.get(sp[0], sp[0]))):
        related = [(r.prop(rp), r.term(ro)) for rp, ro in d.related.get(s, [])]
        incoming_groups.setdefault(p, []).append((r.term(s), related))
    incoming = [(r.prop(p), items) for p, items in incoming_groups.items()]
    rendered_tables = [{
        "title": t["title"], "name": t["name"], "params": t["params"], "variables": t["variables"],
        "rows": [[r.term(row[v]) if row[v] is not None else Cell("") for v in t["variables"]] for row in t["rows"]],
    } for t in tables]
    path = urls(request).local_path(iri)
    in_pages = max(1, -(-d.incoming_total // IN_PAGE))
    context = {
        "settings": st.settings, "iri": iri, "label": label, "types": types,
        "outgoing": outgoing, "incoming": incoming, "tables": rendered_tables,
        "graphs": [r.term(g) for g in d.graphs], "is_graph": d.is_graph,
        "hash_members": [r.term(m) for m in d.hash_members], "data_path": path,
        "outgoing_total": d.outgoing_total, "outgoing_shown": len(d.outgoing),
        "incoming_total": d.incoming_total, "in_page": min(in_page, in_pages), "in_pages": in_pages,
        "view": view, "collapse": bool(view and (view.get("years") or view.get("projects"))),
    }
    return st.templates.TemplateResponse(request, "resource.html", context)
