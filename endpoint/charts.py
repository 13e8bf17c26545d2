"""Charts on the pages. Vega-Lite specs (drawn in the browser by the vendored vega-embed,
endpoint/static/vega/) for amounts by category; the document -> departments -> projects
flow as server-drawn SVG, so it shows without JavaScript. Every chart sits beside a table
of the same figures (the charts are a view, the tables are the data)."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any


def function_class_spec(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Horizontal bars: spending by function class (类), one colour per year."""
    years = sorted({r["year"] for r in rows})
    values = [{"class": f'{r["code"]} {r["name"]}', "year": r["year"], "amount": float(r["total"])} for r in rows]
    enc: dict[str, Any] = {
        "y": {"field": "class", "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 220}},
        "x": {"field": "amount", "type": "quantitative", "title": "万元"},
        "tooltip": [{"field": "class", "title": "功能分类"}, {"field": "year", "title": "年度"},
                    {"field": "amount", "title": "万元", "format": ",.2f"}],
    }
    if len(years) > 1:
        enc["yOffset"] = {"field": "year"}
        enc["color"] = {"field": "year", "type": "nominal", "title": "年度"}
    else:
        enc["color"] = {"value": "#7a1f1f"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title, "title": {"text": title, "fontSize": 13},
        "width": 800, "height": {"step": 16 if len(years) == 1 else 10},
        "data": {"values": values}, "mark": {"type": "bar", "tooltip": True}, "encoding": enc,
    }


def flow_svg(document: str, departments: list[tuple[str, str, Decimal, list[tuple[str, str, Decimal | None]]]],
             unit: str = "万元") -> str:
    """document -> departments -> projects, band widths by amount. ``departments`` is
    [(label, href, total, [(project label, href, amount)])]."""
    W, row, top = 1160, 34, 26
    n = max(sum(len(ps) for *_, ps in departments), len(departments), 1)
    H = top + n * row + 6
    grand = sum((t for _, _, t, _ in departments), Decimal(0)) or Decimal(1)
    doc_x, doc_end, dept_x, dept_end, proj_x = 10, 200, 330, 600, 690
    mid = top + (H - top) / 2
    out = [f'<svg class="flow" role="group" viewBox="0 0 {W} {H}" width="100%" '
           f'aria-label="{escape(document)}: 资金流向 (flow to departments and projects)">',
           f"<title>{escape(document)} → 部门 → 项目</title>",
           f'<text x="{doc_x}" y="14" class="head">文件 document</text><text x="{dept_x + 6}" y="14">部门 department</text>'
           f'<text x="{proj_x + 6}" y="14">项目 project ({unit})</text>',
           f'<rect x="{doc_x}" y="{top}" width="6" height="{H - top - 6}" fill="#7a1f1f"/>',
           f'<text x="{doc_x + 12}" y="{mid + 4:.0f}">{escape(_short(document, 14))}</text>']
    py = top
    for label, href, total, ps in departments:
        span = max(len(ps), 1) * row
        dy = py + span / 2
        width = max(1.5, float(total / grand) * 16)
        out.append(f'<path d="M{doc_end},{mid:.0f} C{(doc_end + dept_x) / 2},{mid:.0f} {(doc_end + dept_x) / 2},{dy:.0f} '
                   f'{dept_x},{dy:.0f}" stroke="#c98b8b" stroke-width="{width:.1f}" fill="none" opacity=".8"/>')
        out.append(f'<a href="{escape(href)}"><text x="{dept_x + 6}" y="{dy - 2:.0f}">{escape(_short(label, 20))}</text></a>'
                   f'<text x="{dept_x + 6}" y="{dy + 12:.0f}" class="amt">{escape(_num(total))} {unit}</text>')
        for plabel, phref, amt in ps:
            y = py + row / 2
            w = max(1.0, float((amt or Decimal(0)) / grand) * 16)
            out.append(f'<path d="M{dept_end},{dy:.0f} C{(dept_end + proj_x) / 2},{dy:.0f} {(dept_end + proj_x) / 2},{y:.0f} '
                       f'{proj_x},{y:.0f}" stroke="#8ba7c9" stroke-width="{w:.1f}" fill="none" opacity=".8"/>')
            amount = f" ({_num(amt)})" if amt is not None else ""
            out.append(f'<a href="{escape(phref)}"><text x="{proj_x + 6}" y="{y + 4:.0f}">{escape(_short(plabel, 34))}{escape(amount)}</text></a>')
            py += row
        if not ps:
            py += row
    out.append("</svg>")
    return "".join(out)


def _num(v: Decimal | None) -> str:
    from endpoint.tables import money

    return money(v) if v is not None else ""


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
