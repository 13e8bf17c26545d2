"""What a department page and a funding-document page open with: the answer first.

Department: the year's totals (收入, 支出, 基本, 项目, 三公, 万元), a chart of spending by
function class, the projects with their amounts and the documents they cite, the units,
and year over year where several years are loaded.
Funding document: who received it (by department, region and year, with totals), a flow
chart document -> departments -> projects, and where each citation was found.

Each table is an ``endpoint.tables.Table``; its twins are ``?_table=NAME&_format=csv|json``."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from fastapi import Request

from endpoint import browse
from endpoint.charts import flow_svg, function_class_spec
from endpoint.describe import labels_for
from endpoint.tables import Column, Table, Value, column, money
from endpoint.urls import urls


def _money_col(key: str, zh: str, en: str) -> Column:
    return Column(key, zh, en, "万元")


async def department_view(request: Request, iri: str) -> dict[str, Any]:
    backend = request.app.state.backend
    u = urls(request)
    budgets = sorted(await browse.budget_rows(backend, iri), key=lambda b: b.year)
    years = [b.year for b in budgets]
    asked = request.query_params.get("year")
    year = asked if asked in years else (years[-1] if years else None)
    current = next((b for b in budgets if b.year == year), None)
    totals = [{"zh": zh, "en": en, "value": money(current.figures.get(key)) if current and key in current.figures else None}
              for key, _, zh, en in browse.TOTAL_KEYS]
    classes = await browse.function_classes(backend, iri)
    chart_rows = [r for r in classes if r["year"] == year] or classes
    spec = function_class_spec(chart_rows, f"{year or ''} 支出功能分类 (spending by function class, 万元)") if chart_rows else None

    projects = await browse.department_projects(backend, iri, year)
    pt = Table("projects", "项目 (projects)", [column("projectCode"), column("projectName"), column("unitName"),
                                              column("amount"), column("documents")], additive=True)
    for p in projects:
        pt.rows.append({
            "projectCode": Value(p["code"], value=p["code"]),
            "projectName": Value(p["name"], u.page(p["project"]), p["project"], p["name"]),
            "unitName": Value(p["unit"], value=p["unit"]),
            "amount": Value(money(p["amount"]), value=p["amount"]) if p["amount"] is not None else Value(""),
            "documents": Value(" ".join(sorted(p["docs"].values())), value=" ".join(sorted(p["docs"].values())),
                               links=[(n, u.page(d)) for d, n in sorted(p["docs"].items(), key=lambda kv: kv[1])])})

    ft = Table("functions", "支出功能分类 (spending by function class)",
               [column("year"), column("code"), column("name"), column("total")], additive=False,
               note="类 (3-digit classes) of the 支出总表")
    for r in classes:
        ft.rows.append({"year": Value(r["year"], value=r["year"]), "code": Value(r["code"], value=r["code"]),
                        "name": Value(r["name"], value=r["name"]), "total": Value(money(r["total"]), value=r["total"])})

    units = await browse.department_units(backend, iri)
    ut = Table("units", "单位 (units)", [column("unitName"), column("nature"), column("rank"), column("fundingForm")])
    for x in units:
        ut.rows.append({"unitName": Value(x["unitName"], u.page(x["unit"]), x["unit"], x["unitName"]),
                        **{k: Value(x.get(k, ""), value=x.get(k, "")) for k in ("nature", "rank", "fundingForm")}})

    yt = Table("years", "逐年比较 (year over year)", [column("year")] + [_money_col(c, zh, en) for _, c, zh, en in browse.TOTAL_KEYS]
               + [column("projects")])
    for b in budgets:
        row = {"year": Value(b.year, f"?year={b.year}", value=b.year), "projects": Value(str(b.projects), value=b.projects)}
        for key, c, _, _ in browse.TOTAL_KEYS:
            row[c] = Value(money(b.figures[key]), value=b.figures[key]) if key in b.figures else Value("")
        yt.rows.append(row)
    region = budgets[0].region if budgets else None
    region_label = (await labels_for(backend, {region})).get(region) if region else None
    return {"kind": "department", "year": year, "years": years, "totals": totals,
            "spec": json.dumps(spec, ensure_ascii=False) if spec else None,
            "region": (region_label or region, u.page(region)) if region else None,
            "tables": {"projects": pt, "functions": ft, "units": ut, "years": yt}, "several_years": len(years) > 1}


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r[key] or ""].append(r)
    return out


def _sum(rows: list[dict[str, Any]]) -> Decimal | None:
    stated = [r["amount"] for r in rows if r["amount"] is not None]
    return sum(stated, Decimal(0)) if stated else None


async def document_view(request: Request, iri: str, label: str) -> dict[str, Any]:
    backend = request.app.state.backend
    u = urls(request)
    rows = await browse.recipients(backend, iri)
    cites = await browse.citations(backend, iri)
    labels = await labels_for(backend, {r["department"] for r in rows} | {r["region"] for r in rows if r["region"]}
                              | {c["project"] for c in cites if c.get("project")} | {c["source"] for c in cites if c.get("source")})

    def dept(r: dict[str, Any]) -> Value:
        return browse.link(request, r["department"], labels)

    rt = Table("recipients", "受款项目 (recipient projects)", [column("department"), column("region"), column("year"),
                                                               column("projectCode"), column("projectName"), column("amount")],
               additive=True)
    for r in rows:
        rt.rows.append({"department": dept(r),
                        "region": browse.link(request, r["region"], labels) if r["region"] else Value(""),
                        "year": Value(r["year"], value=r["year"]), "projectCode": Value(r["code"], value=r["code"]),
                        "projectName": Value(r["name"], u.page(r["project"]), r["project"], r["name"]),
                        "amount": Value(money(r["amount"]), value=r["amount"]) if r["amount"] is not None else Value("")})

    def by(key: str, name: str, title: str) -> Table:
        t = Table(name, title, [column(key), column("projects"), column("amount")], additive=True)
        for k, group in sorted(_grouped(rows, key).items(), key=lambda kv: labels.get(kv[0], kv[0])):
            total = _sum(group)
            cell = browse.link(request, k, labels) if k and key != "year" else Value(k, value=k)
            t.rows.append({key: cell, "projects": Value(str(len(group)), value=len(group)),
                           "amount": Value(money(total), value=total) if total is not None else Value("")})
        return t

    ct = Table("citations", "引用位置 (where each citation was found)",
               [column("project"), column("context"), column("writtenAs"), column("source"), column("line")])
    for c in cites:
        proj = c.get("project")
        src = c.get("source")
        ct.rows.append({
            "project": browse.link(request, proj, labels) if proj else Value(""),
            "context": Value(browse.CONTEXTS.get(c.get("key") or "", c.get("key") or ""), value=c.get("key")),
            "writtenAs": Value(c.get("written") or "", value=c.get("written")),
            "source": Value(labels.get(src, "来源文件 source"), u.page(src), src, src) if src else Value(""),
            "line": Value(c.get("line") or "", value=int(c["line"]) if c.get("line") else None)})

    flows = []
    for d, group in sorted(_grouped(rows, "department").items(), key=lambda kv: -(_sum(kv[1]) or 0)):
        flows.append((labels.get(d, d), u.page(d), _sum(group) or Decimal(0),
                      [(f'{g["year"]} {g["name"]}', u.page(g["project"]), g["amount"]) for g in group]))
    total = _sum(rows)
    return {"kind": "document", "departments": len({r["department"] for r in rows}), "projects": len(rows),
            "total": money(total) if total is not None else None,
            "flow": flow_svg(label, flows) if flows else None,
            "tables": {"recipients": rt, "by_department": by("department", "by_department", "按部门 (by department)"),
                       "by_region": by("region", "by_region", "按地区 (by region)"),
                       "by_year": by("year", "by_year", "按年度 (by year)"), "citations": ct}}
