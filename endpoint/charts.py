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
        "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}, "height": {"step": 16 if len(years) == 1 else 10},
        "data": {"values": values}, "mark": {"type": "bar", "tooltip": True}, "encoding": enc,
    }


def flow_svg(document: str, departments: list[tuple[str, str, Decimal, list[tuple[str, str, Decimal | None]]]],
             unit: str = "万元") -> str:
    """document -> departments -> projects, band widths by amount. ``departments`` is
    [(label, href, total, [(project label, href, amount)])]."""
    W, row, pad = 980, 22, 6
    projects = [p for _, _, _, ps in departments for p in ps]
    n = max(len(projects), len(departments), 1)
    H = n * row + 2 * pad
    grand = sum((t for _, _, t, _ in departments), Decimal(0)) or Decimal(1)
    x0, x1, x2 = 10, 330, 600
    out = [f'<svg class="flow" role="img" viewBox="0 0 {W} {H}" width="100%" '
           f'aria-label="{escape(document)}: 资金流向 (flow to departments and projects)">',
           f"<title>{escape(document)} → 部门 → 项目</title>"]
    out.append(f'<rect x="{x0}" y="{pad}" width="12" height="{H - 2 * pad}" fill="#7a1f1f"/>')
    out.append(f'<text x="{x0 + 18}" y="{H / 2:.0f}">{escape(document)}</text>')
    py = pad
    dy_step = (H - 2 * pad) / max(len(departments), 1)
    for i, (label, href, total, ps) in enumerate(departments):
        dy = pad + i * dy_step + dy_step / 2
        width = max(1.5, float(total / grand) * 14)
        out.append(f'<path d="M{x0 + 12},{H / 2:.0f} C{(x0 + x1) / 2},{H / 2:.0f} {(x0 + x1) / 2},{dy:.0f} {x1},{dy:.0f}" '
                   f'stroke="#c98b8b" stroke-width="{width:.1f}" fill="none" opacity=".7"/>')
        out.append(f'<a href="{escape(href)}"><text x="{x1 + 6}" y="{dy + 4:.0f}">{escape(label)} '
                   f'({escape(_num(total))} {unit})</text></a>')
        for plabel, phref, amt in ps:
            y = py + row / 2
            w = max(1.0, float((amt or Decimal(0)) / grand) * 14)
            out.append(f'<path d="M{x1 + 250},{dy:.0f} C{x2 - 30},{dy:.0f} {x2 - 60},{y:.0f} {x2},{y:.0f}" '
                       f'stroke="#8ba7c9" stroke-width="{w:.1f}" fill="none" opacity=".7"/>')
            amount = f" ({_num(amt)} {unit})" if amt is not None else ""
            out.append(f'<a href="{escape(phref)}"><text x="{x2 + 6}" y="{y + 4:.0f}">{escape(_short(plabel))}{escape(amount)}</text></a>')
            py += row
    out.append("</svg>")
    return "".join(out)


def _num(v: Decimal | None) -> str:
    from endpoint.tables import money

    return money(v) if v is not None else ""


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
