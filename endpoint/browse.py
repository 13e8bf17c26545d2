"""Index pages, so a reader can browse without SPARQL: departments by region and year,
funding documents (how many departments and projects cite each, and their total), years,
regions. Each is paged and sortable, with ``.csv`` and ``.json`` twins of the same rows
(``/departments``, ``/departments.csv``, ``/departments.json`` …).

Also the data the department and funding-document pages open with (their totals, projects,
recipients and citations), read by IRI, so a department's page never depends on how its
name is spelt."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Awaitable

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from converter.mapping.vocab import BL, sparql_prefixes
from endpoint.backends import Backend, select
from endpoint.describe import iri_term, labels_for
from endpoint.tables import Table, Value, column, literal_value, money, twin_response
from endpoint.urls import urls

PREFIXES = sparql_prefixes("bl", "eli", "dct", "org", "prov", "skos")

# the year's totals a department page opens with: summary-figure key -> column
TOTAL_KEYS: list[tuple[str, str, str, str]] = [
    ("income_total", "income", "收入总计", "income"),
    ("expenditure_total", "expenditure", "支出总计", "expenditure"),
    ("basic_expenditure", "basic", "基本支出", "basic expenditure"),
    ("project_expenditure", "project_expenditure", "项目支出", "project expenditure"),
    ("three_public_total", "three_public", "三公经费", "three public costs"),
]
# where a citation was found (bl:contextKey) -> 中文 (English)
CONTEXTS = {"project_name": "项目名称 (project name)", "goal": "绩效目标 (goal)", "purpose": "项目用途 (purpose)",
            "basis": "指标值确定依据 (basis column)", "indicator": "绩效指标 (indicator)", "prose": "情况说明 (prose)"}


def _dec(term: object) -> Decimal | None:
    v = literal_value(term) if term is not None else None
    return v if isinstance(v, Decimal) else None


def _year(term: object) -> str:
    return term.value if isinstance(term, ox.Literal) else ""


def link(request: Request, iri: str, labels: dict[str, str], text: str | None = None) -> Value:
    return Value(text or labels.get(iri, iri), urls(request).page(iri), iri, labels.get(iri, iri))


def amount(v: Decimal | None) -> Value:
    return Value(money(v), value=v) if v is not None else Value("")


# data ------------------------------------------------------------------------------------
@dataclass
class BudgetRow:
    budget: str
    department: str
    year: str
    region: str | None
    figures: dict[str, Decimal]
    projects: int


async def figures(backend: Backend, budgets: str = "") -> dict[str, dict[str, Decimal]]:
    """budget IRI -> {figure key: amount}; a figure printed in a table wins over the prose."""
    keys = " ".join(f'"{k}"' for k, *_ in TOTAL_KEYS)
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?figure ?budget ?key ?origin ?amount WHERE {{ {budgets}
  ?figure a bl:SummaryFigure ; bl:budget ?budget ; bl:figureKey ?key ; bl:origin ?origin ; bl:amountWan ?amount .
  VALUES ?key {{ {keys} }} }}""")
    best: dict[str, dict[str, tuple[bool, Decimal]]] = defaultdict(dict)
    for r in rows:
        b, k, table = r["budget"].value, r["key"].value, r["origin"].value == "table"
        a = _dec(r["amount"])
        if a is None:
            continue
        prev = best[b].get(k)
        if prev is None or (table and not prev[0]):
            best[b][k] = (table, a)
    return {b: {k: v[1] for k, v in d.items()} for b, d in best.items()}


async def budget_rows(backend: Backend, department: str | None = None) -> list[BudgetRow]:
    """Every (department, year) budget, or one department's, with its totals and project count."""
    where = f"BIND({iri_term(department)} AS ?department)" if department else ""
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?budget ?department ?year ?region WHERE {{ {where}
  GRAPH ?g {{ ?budget a bl:Budget ; bl:department ?department ; bl:fiscalYear ?year }}
  OPTIONAL {{ ?department bl:region ?region }} }}""")
    counts = await select(backend, PREFIXES + f"""
SELECT ?department ?year (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {where}
  ?p a bl:ProjectAllocation ; bl:department ?department ; bl:fiscalYear ?year }} GROUP BY ?department ?year""")
    n = {(r["department"].value, _year(r["year"])): int(r["n"].value) for r in counts}
    vals = " ".join(iri_term(r["budget"].value) for r in rows)
    figs = await figures(backend, f"VALUES ?budget {{ {vals} }}") if department and rows else (
        await figures(backend) if rows else {})
    out = []
    for r in rows:
        d, y = r["department"].value, _year(r["year"])
        out.append(BudgetRow(r["budget"].value, d, y, r["region"].value if r.get("region") else None,
                             figs.get(r["budget"].value, {}), n.get((d, y), 0)))
    return out


async def department_projects(backend: Backend, department: str, year: str | None) -> list[dict[str, Any]]:
    flt = f'FILTER(STR(?year) = "{int(year)}")' if year else ""
    rows = await select(backend, PREFIXES + f"""
SELECT ?project ?year ?projectCode ?projectName ?amount ?document ?number ?unitName WHERE {{
  GRAPH ?g {{ ?project a bl:ProjectAllocation ; bl:department {iri_term(department)} ; bl:fiscalYear ?year ;
             bl:projectName ?projectName .
    OPTIONAL {{ ?project bl:projectCode ?projectCode }} OPTIONAL {{ ?project bl:amountWan ?amount }}
    OPTIONAL {{ ?project bl:unitName ?unitName }}
    OPTIONAL {{ ?project dct:references ?document . ?document eli:id_local ?number }} }} {flt} }}""")
    by: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = by.setdefault(r["project"].value, {
            "project": r["project"].value, "year": _year(r["year"]), "code": r["projectCode"].value if r.get("projectCode") else "",
            "name": r["projectName"].value, "amount": _dec(r.get("amount")), "docs": {},
            "unit": r["unitName"].value if r.get("unitName") else ""})
        if r.get("document"):
            p["docs"][r["document"].value] = r["number"].value
    return sorted(by.values(), key=lambda p: (p["year"], p["code"], p["name"]))


async def department_units(backend: Backend, department: str) -> list[dict[str, str]]:
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?unit ?unitName ?nature ?rank ?fundingForm WHERE {{
  GRAPH ?g {{ ?unit a bl:SubordinateUnit ; org:subOrganizationOf {iri_term(department)} ; skos:prefLabel ?unitName .
    OPTIONAL {{ ?unit bl:unitNature/skos:notation ?nature }} OPTIONAL {{ ?unit bl:unitRank/skos:notation ?rank }}
    OPTIONAL {{ ?unit bl:fundingForm/skos:notation ?fundingForm }} }} }} ORDER BY ?unitName""")
    return [{k: (v.value if v is not None else "") for k, v in r.items()} for r in rows]


async def function_classes(backend: Backend, department: str) -> list[dict[str, Any]]:
    """Spending by function class (支出功能分类 类, the 3-digit codes) per year, from the
    budget's 支出总表 (expenditure table) 'total' column."""
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?year ?code ?name ?total WHERE {{
  GRAPH ?g {{ ?budget a bl:Budget ; bl:department {iri_term(department)} ; bl:fiscalYear ?year .
    FILTER NOT EXISTS {{ ?budget a bl:FinalAccounts }}
    ?line a bl:BudgetLine ; bl:budget ?budget ; bl:code ?code ; bl:table/bl:tableKey "expenditure" ;
          bl:lineTotal ?total .
    OPTIONAL {{ ?line bl:rowLabel ?name }} FILTER(STRLEN(?code) = 3) }} }} ORDER BY ?year ?code""")
    return [{"year": _year(r["year"]), "code": r["code"].value, "name": r["name"].value if r.get("name") else r["code"].value,
             "total": _dec(r["total"])} for r in rows if _dec(r["total"]) is not None]


async def recipients(backend: Backend, document: str) -> list[dict[str, Any]]:
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?project ?department ?year ?projectCode ?projectName ?amount ?region WHERE {{
  GRAPH ?g {{ ?project dct:references {iri_term(document)} ; bl:department ?department ; bl:projectName ?projectName .
    OPTIONAL {{ ?project bl:fiscalYear ?year }} OPTIONAL {{ ?project bl:projectCode ?projectCode }}
    OPTIONAL {{ ?project bl:amountWan ?amount }} }}
  OPTIONAL {{ ?department bl:region ?region }} }}""")
    out = [{"project": r["project"].value, "department": r["department"].value, "year": _year(r.get("year")),
            "code": r["projectCode"].value if r.get("projectCode") else "", "name": r["projectName"].value,
            "amount": _dec(r.get("amount")), "region": r["region"].value if r.get("region") else None} for r in rows]
    return sorted(out, key=lambda x: (x["year"], x["department"], x["code"], x["name"]))


async def citations(backend: Backend, document: str) -> list[dict[str, Any]]:
    rows = await select(backend, PREFIXES + f"""
SELECT DISTINCT ?citation ?project ?key ?written ?line ?source WHERE {{
  GRAPH ?g {{ ?citation a bl:Citation ; bl:cites {iri_term(document)} .
    OPTIONAL {{ ?citation bl:citingProject ?project }} OPTIONAL {{ ?citation bl:contextKey ?key }}
    OPTIONAL {{ ?citation bl:writtenAs ?written }} OPTIONAL {{ ?citation bl:sourceLine ?line }}
    OPTIONAL {{ ?citation prov:wasDerivedFrom ?source }} }} }}""")
    out = [{k: (v.value if v is not None else None) for k, v in r.items()} for r in rows]
    return sorted(out, key=lambda c: (c.get("source") or "", int(c["line"]) if c.get("line") else 0, c["citation"]))


# index pages -----------------------------------------------------------------------------
router = APIRouter()
INDEX_TTL = 60.0  # seconds an index's rows are reused: the store changes only when documents are loaded


async def cached(request: Request, key: str, make: Callable[[], Awaitable[Any]]) -> Any:
    """``make()``'s result, reused for INDEX_TTL seconds (sorting and paging an index
    must not re-read every budget of the store)."""
    import time

    st = request.app.state
    cache: dict[str, tuple[float, Any]] = getattr(st, "index_cache", None) or {}
    st.index_cache = cache
    hit = cache.get(key)
    if hit and time.monotonic() - hit[0] < INDEX_TTL:
        return hit[1]
    value = await make()
    cache[key] = (time.monotonic(), value)
    return value


async def all_budgets(request: Request) -> tuple[list[BudgetRow], dict[str, str]]:
    """Every budget with its totals, and the labels of their departments and regions."""
    async def make() -> tuple[list[BudgetRow], dict[str, str]]:
        backend = request.app.state.backend
        rows = await budget_rows(backend)
        labels = await labels_for(backend, {r.department for r in rows} | {r.region for r in rows if r.region})
        return rows, labels

    return await cached(request, "budgets", make)
INDEXES: dict[str, tuple[str, str]] = {  # path -> (中文 title, English)
    "departments": ("部门", "departments by region and year"),
    "documents": ("资金文件", "funding documents"),
    "years": ("年度", "years"),
    "regions": ("地区", "regions"),
}


async def departments_table(request: Request) -> Table:
    rows, labels = await all_budgets(request)
    cols = [column("region"), column("year"), column("department"), column("income"), column("expenditure"),
            column("projects")]
    t = Table("departments", "部门 (departments)", cols)
    for r in sorted(rows, key=lambda r: (labels.get(r.region or "", "~"), r.year, labels.get(r.department, r.department))):
        t.rows.append({
            "region": link(request, r.region, labels) if r.region else Value("", value=None),
            "year": Value(r.year, f"{urls(request).page(r.department)}?year={r.year}", value=r.year),
            "department": link(request, r.department, labels),
            "income": amount(r.figures.get("income_total")), "expenditure": amount(r.figures.get("expenditure_total")),
            "projects": Value(str(r.projects), value=int(r.projects))})
    return t


async def documents_table(request: Request) -> Table:
    backend = request.app.state.backend
    rows = await cached(request, "documents", lambda: select(backend, PREFIXES + """
SELECT DISTINCT ?document ?number ?fiscal ?project ?department ?amount WHERE {
  { SELECT DISTINCT ?document ?number ?fiscal WHERE { GRAPH ?g { ?document a bl:Document ; eli:id_local ?number .
      OPTIONAL { ?document bl:financeDocument ?fiscal } } } }
  OPTIONAL { GRAPH ?h { ?project dct:references ?document ; bl:department ?department .
      OPTIONAL { ?project bl:amountWan ?amount } } } }"""))
    docs: dict[str, dict[str, Any]] = {}
    for r in rows:
        d = docs.setdefault(r["document"].value, {"number": r["number"].value, "fiscal": r.get("fiscal"),
                                                  "departments": set(), "projects": {}})
        if r.get("project"):
            d["departments"].add(r["department"].value)
            d["projects"][r["project"].value] = _dec(r.get("amount"))
    t = Table("documents", "资金文件 (funding documents)",
              [column("number"), column("fiscal"), column("departments"), column("projects"), column("total")],
              note="合计为引用该文件的项目预算数之和 (total of the citing projects' budgets)")
    for iri, d in sorted(docs.items(), key=lambda kv: kv[1]["number"]):
        stated = [a for a in d["projects"].values() if a is not None]
        fiscal = d["fiscal"].value == "true" if d["fiscal"] is not None else None
        t.rows.append({
            "number": Value(d["number"], urls(request).page(iri), iri, d["number"]),
            "fiscal": Value({True: "是 yes", False: "否 no", None: ""}[fiscal], value=fiscal),
            "departments": Value(str(len(d["departments"])), value=int(len(d["departments"]))),
            "projects": Value(str(len(d["projects"])), value=int(len(d["projects"]))),
            "total": amount(sum(stated, Decimal(0)) if stated else None)})
    return t


async def years_table(request: Request) -> Table:
    rows, _ = await all_budgets(request)
    by: dict[str, list[BudgetRow]] = defaultdict(list)
    for r in rows:
        by[r.year].append(r)
    t = Table("years", "年度 (years)", [column("year"), column("departments"), column("projects"), column("expenditure")],
              additive=True, note="支出为已载入部门预算的支出总计之和 (sum of the loaded budgets' total expenditure)")
    for y in sorted(by):
        exp = [r.figures["expenditure_total"] for r in by[y] if "expenditure_total" in r.figures]
        t.rows.append({"year": Value(y, f"/departments?year={y}", value=y),
                       "departments": Value(str(len({r.department for r in by[y]})), value=int(len({r.department for r in by[y]}))),
                       "projects": Value(str(sum(r.projects for r in by[y])), value=int(sum(r.projects for r in by[y]))),
                       "expenditure": amount(sum(exp, Decimal(0)) if exp else None)})
    return t


async def regions_table(request: Request) -> Table:
    backend = request.app.state.backend
    regions = await select(backend, PREFIXES + "SELECT DISTINCT ?region ?code WHERE { GRAPH ?g { ?region a bl:Region . "
                                               "OPTIONAL { ?region bl:regionCode ?code } } }")
    rows, labels = await all_budgets(request)
    labels = {**labels, **await labels_for(backend, {r["region"].value for r in regions} - labels.keys())}
    t = Table("regions", "地区 (regions)", [column("region"), column("regionCode"), column("departments"), column("years"),
                                             column("expenditure")], additive=True)
    for r in sorted(regions, key=lambda r: (r["code"].value if r.get("code") else "", r["region"].value)):
        iri = r["region"].value
        mine = [b for b in rows if b.region == iri]
        exp = [b.figures["expenditure_total"] for b in mine if "expenditure_total" in b.figures]
        n = len({b.department for b in mine})
        t.rows.append({"region": link(request, iri, labels), "regionCode": Value(r["code"].value if r.get("code") else ""),
                       "departments": Value(str(n), f"/departments?region={iri}", value=int(n)),
                       "years": Value(" ".join(sorted({b.year for b in mine}))),
                       "expenditure": amount(sum(exp, Decimal(0)) if exp else None)})
    return t


BUILDERS: dict[str, Callable[[Request], Awaitable[Table]]] = {
    "departments": departments_table, "documents": documents_table, "years": years_table, "regions": regions_table}


def _filter(request: Request, t: Table) -> Table:
    """?year= and ?region= narrow the departments index (the links from /years and /regions)."""
    year, region = request.query_params.get("year"), request.query_params.get("region")
    if year:
        t.rows = [r for r in t.rows if r["year"].text == year]
    if region:
        t.rows = [r for r in t.rows if r["region"].iri == region]
    return t


async def index(request: Request, name: str, fmt: str | None) -> Response:
    t = _filter(request, await BUILDERS[name](request))
    t.paginate(request)
    t.base = "/" + name
    if fmt in ("csv", "json"):
        return twin_response(t, fmt)
    zh, en = INDEXES[name]
    return request.app.state.templates.TemplateResponse(request, "index.html", {
        "settings": request.app.state.settings, "table": t, "zh": zh, "en": en, "indexes": INDEXES, "current": name})


def _route(name: str) -> None:
    async def html(request: Request) -> Response:
        return await index(request, name, None)

    async def twin(request: Request, fmt: str) -> Response:
        if fmt not in ("csv", "json"):
            return Response(f"/{name}.{fmt}: no such format (csv or json)\n", status_code=404, media_type="text/plain")
        return await index(request, name, fmt)

    router.add_api_route(f"/{name}", html, methods=["GET"], include_in_schema=False)
    router.add_api_route(f"/{name}.{{fmt}}", twin, methods=["GET"], summary=f"{INDEXES[name][1]} as CSV or JSON")


for _name in INDEXES:
    _route(_name)


async def home_examples(request: Request) -> list[tuple[str, str]]:
    """A few departments, projects and funding documents to start browsing from, found by
    class (an index lookup) rather than by scanning every subject's IRI; for the home page
    (app.py's ``_examples`` can return this)."""
    backend = request.app.state.backend
    out: list[tuple[str, str]] = []
    for cls in ("Department", "Project", "FundingDocument"):
        rows = await select(backend, f"SELECT DISTINCT ?s WHERE {{ ?s a <{BL}{cls}> }} LIMIT 5")
        iris = [r["s"].value for r in rows]
        labels = await labels_for(backend, set(iris))
        out += [(urls(request).page(i), labels.get(i, i)) for i in iris]
    return out
