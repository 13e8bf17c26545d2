"""Tables shown on HTML pages, and their ``.csv`` / ``.json`` twins (datasette's
convention): one ``Table`` holds the rows; the HTML page, the CSV and the JSON are three
renderings of the same rows, sorted and paged by the same query parameters.

Column headings are declared once here (Chinese first, English second, unit) for every
variable name the pages and canned queries use. A totals row is shown only where the
amounts add up (a table of disjoint rows: projects, recipients, procurement items), never
under hierarchical code lines (类/款/项 would be counted twice).

Query parameters (``{prefix}`` is empty on index pages, ``NAME.`` for a page's table NAME):
  {prefix}_sort=COL  {prefix}_desc=1  {prefix}_page=N  {prefix}_size=N (max 1000)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import JSONResponse, Response

WANYUAN = "万元"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + "decimal", XSD + "integer", XSD + "double", XSD + "float"}
DEFAULT_SIZE, MAX_SIZE = 50, 1000

# variable -> (中文, English, unit); unit 万元 marks an amount
HEADINGS: dict[str, tuple[str, str, str]] = {
    "department": ("部门", "department", ""),
    "departmentName": ("部门名称", "department name", ""),
    "departments": ("部门数", "departments", ""),
    "region": ("地区", "region", ""),
    "regionCode": ("行政区划代码", "region code", ""),
    "year": ("年度", "year", ""),
    "years": ("年度", "years", ""),
    "project": ("项目", "project", ""),
    "projects": ("项目数", "projects", ""),
    "projectCode": ("项目编码", "project code", ""),
    "projectName": ("项目名称", "project name", ""),
    "amount": ("金额", "amount", WANYUAN),
    "indicatorCount": ("绩效指标数", "indicators", ""),
    "documents": ("引用文件", "documents cited", ""),
    "document": ("文件", "document", ""),
    "number": ("文号", "document number", ""),
    "issuerPrefix": ("发文机关代字", "issuer prefix", ""),
    "serial": ("序号", "serial", ""),
    "fiscal": ("财政文件", "finance document", ""),
    "recipients": ("部门数", "recipient departments", ""),
    "total": ("合计", "total", WANYUAN),
    "unit": ("单位", "unit", ""),
    "unitName": ("单位名称", "unit name", ""),
    "nature": ("单位性质", "nature", ""),
    "rank": ("单位规格", "rank", ""),
    "fundingForm": ("经费保障形式", "form of funding", ""),
    "key": ("项目", "figure", ""),
    "label": ("指标", "figure", ""),
    "scheme": ("分类", "classification", ""),
    "code": ("科目编码", "code", ""),
    "name": ("科目名称", "name", ""),
    "basic": ("基本支出", "basic expenditure", WANYUAN),
    "personnel": ("人员经费", "personnel", WANYUAN),
    "public": ("公用经费", "public costs", WANYUAN),
    "budget": ("预算数", "budget", WANYUAN),
    "actual": ("决算数", "actual", WANYUAN),
    "executed": ("执行数", "executed", WANYUAN),
    "rate": ("执行率", "execution rate", ""),
    "score": ("得分", "score", ""),
    "maxScore": ("分值", "points available", ""),
    "item": ("采购品目", "item", ""),
    "catalogCode": ("品目编码", "catalogue code", ""),
    "quantity": ("数量", "quantity", ""),
    "unitPrice": ("单价", "unit price", WANYUAN),
    "context": ("引用位置", "where cited", ""),
    "writtenAs": ("原文写法", "as written", ""),
    "line": ("行号", "source line", ""),
    "source": ("来源文件", "source document", ""),
    "income": ("收入总计", "income", WANYUAN),
    "expenditure": ("支出总计", "expenditure", WANYUAN),
    "three_public": ("三公经费", "three public costs", WANYUAN),
    "change": ("增减", "change", WANYUAN),
}
# a variable whose meaning differs in one query (budget-lines' project column is money)
QUERY_HEADINGS: dict[str, dict[str, tuple[str, str, str]]] = {
    "budget-lines": {"project": ("项目支出", "project expenditure", WANYUAN)},
    "plan-vs-actual": {"rate": ("执行率", "execution rate (actual ÷ budget)", "")},
}
# canned queries whose rows are disjoint, so their amounts add up to a total
ADDITIVE_QUERIES = {"funding-recipients", "department-projects", "procurement", "project-evaluations"}


@dataclass
class Column:
    key: str
    zh: str
    en: str
    unit: str = ""

    @property
    def money(self) -> bool:
        return self.unit == WANYUAN


def column(key: str, query: str | None = None) -> Column:
    zh, en, unit = QUERY_HEADINGS.get(query or "", {}).get(key) or HEADINGS.get(key, (key, key, ""))
    return Column(key, zh, en, unit)


@dataclass
class Value:
    """One cell: the text shown, a link, and the value CSV/JSON give and sorting uses."""
    text: str
    href: str | None = None
    iri: str | None = None
    value: Any = None
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # several links in one cell (text, href)

    @property
    def number(self) -> Decimal | None:
        return self.value if isinstance(self.value, Decimal) else None


def literal_value(term: object) -> Any:
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        try:
            return Decimal(term.value)
        except InvalidOperation:
            return term.value
    return getattr(term, "value", term)


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Value]] = field(default_factory=list)
    additive: bool = False
    note: str = ""
    # set by paginate()
    total_rows: int = 0
    page: int = 1
    size: int = DEFAULT_SIZE
    sort: str | None = None
    desc: bool = False
    base: str = ""  # URL of the page the table is on, for its links
    prefix: str = ""

    def totals(self, rows: list[dict[str, Value]] | None = None) -> dict[str, Decimal] | None:
        """Sum of each amount column over all rows (not just this page), if additive."""
        if not self.additive:
            return None
        out: dict[str, Decimal] = {}
        for c in self.columns:
            if c.money:
                nums = [r[c.key].number for r in (self.rows if rows is None else rows) if c.key in r]
                nums = [n for n in nums if n is not None]
                if nums:
                    out[c.key] = sum(nums, Decimal(0))
        return out or None

    def total_text(self, key: str) -> str:
        totals = self.totals() or {}
        return money(totals.get(key))

    def paginate(self, request: Request, prefix: str = "", size: int | None = None) -> "Table":
        """Sort and cut to the requested page; the page's rows replace ``rows`` in a copy."""
        q = request.query_params
        self.prefix = prefix
        sort = q.get(prefix + "_sort")
        keys = {c.key for c in self.columns}
        self.sort = sort if sort in keys else None
        self.desc = q.get(prefix + "_desc") == "1"
        size_text = q.get(prefix + "_size", "")
        self.size = size or (MAX_SIZE if size_text == "max" else _int(size_text, DEFAULT_SIZE, 1, MAX_SIZE))
        self.total_rows = len(self.rows)
        pages = max(1, -(-self.total_rows // self.size))
        self.page = _int(q.get(prefix + "_page", ""), 1, 1, pages)
        self._all = self.rows
        if self.sort:  # empty cells last in either direction
            key = self.sort
            stated = [r for r in self.rows if r.get(key) is not None and (r[key].value is not None or r[key].text)]
            empty = [r for r in self.rows if not (r.get(key) is not None and (r[key].value is not None or r[key].text))]
            self._all = sorted(stated, key=lambda r: _sort_key(r.get(key)), reverse=self.desc) + empty
        start = (self.page - 1) * self.size
        self.shown = self._all[start:start + self.size]
        self.base = request.url.path
        self._query = dict(q)
        return self

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_rows // self.size))

    def link(self, **changes: object) -> str:
        """This page's URL with the table's parameters changed (None removes one)."""
        from urllib.parse import urlencode

        q = dict(getattr(self, "_query", {}))
        for k, v in changes.items():
            if v is None:
                q.pop(self.prefix + k, None)
            else:
                q[self.prefix + k] = str(v)
        return self.base + ("?" + urlencode(q) if q else "")

    def sort_link(self, key: str) -> str:
        desc = "1" if self.sort == key and not self.desc else None
        return self.link(_sort=key, _desc=desc, _page=None)

    def twin(self, fmt: str) -> str:
        """The URL of this table's CSV or JSON twin (same sort and page)."""
        from urllib.parse import urlencode

        q = {k: v for k, v in getattr(self, "_query", {}).items()}
        if self.prefix:  # a table on a resource page: ?_table=NAME&_format=csv
            q["_table"], q["_format"] = self.name, fmt
            return self.base + "?" + urlencode(q)
        return self.base + "." + fmt + ("?" + urlencode(q) if q else "")

    # the twins -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        rows = getattr(self, "shown", self.rows)
        out: dict[str, Any] = {
            "table": self.name, "title": self.title,
            "columns": [{"name": c.key, "zh": c.zh, "en": c.en, **({"unit": c.unit} if c.unit else {})}
                        for c in self.columns],
            "rows": [{c.key: _json_value(r.get(c.key)) for c in self.columns} for r in rows],
            "total_rows": self.total_rows or len(self.rows), "page": self.page, "size": self.size,
        }
        totals = self.totals()
        if totals:
            out["totals"] = {k: str(v) for k, v in totals.items()}
        return out

    def to_csv(self) -> str:
        rows = getattr(self, "shown", self.rows)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        iri_cols = [c.key for c in self.columns if any(r.get(c.key) and r[c.key].iri for r in rows)]
        w.writerow([c.key + (f" ({c.unit})" if c.unit else "") for c in self.columns] + [k + "_iri" for k in iri_cols])
        for r in rows:
            w.writerow([_csv_value(r.get(c.key)) for c in self.columns] + [(r[k].iri or "") if r.get(k) else "" for k in iri_cols])
        return buf.getvalue()


def _int(text: str, default: int, lo: int, hi: int) -> int:
    try:
        return min(hi, max(lo, int(text)))
    except ValueError:
        return default


def _sort_key(v: Value | None) -> tuple:
    if v is None or v.value is None:
        return (2, 0, "")
    if isinstance(v.value, (Decimal, int)) and not isinstance(v.value, bool):
        return (0, v.value, "")
    return (1, 0, str(v.text))


def _json_value(v: Value | None) -> Any:
    if v is None or v.value is None and not v.text:
        return None
    val = str(v.value) if isinstance(v.value, Decimal) else (v.value if v.value is not None else v.text)
    if v.iri:
        return {"label": v.text, "iri": v.iri, "page": v.href}
    return val


def _csv_value(v: Value | None) -> str:
    if v is None:
        return ""
    return str(v.value) if isinstance(v.value, Decimal) else v.text


def twin_response(table: Table, fmt: str) -> Response:
    if fmt == "json":
        return JSONResponse(table.to_json(), headers={"X-Total-Count": str(table.total_rows)})
    return Response(table.to_csv(), media_type="text/csv; charset=utf-8; header=present",
                    headers={"X-Total-Count": str(table.total_rows)})


def money(amount: Decimal | None) -> str:
    """An amount as printed on the pages: the decimal as stated, thousands grouped."""
    if amount is None:
        return ""
    text = format(amount, "f")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}" if whole else "0"
    return sign + grouped + ("." + frac if frac else "")
