"""The standard tables: classification-coded tables (收入总表, 支出总表, 一般公共预算
支出表, 基本支出表, 政府性基金, 国有资本经营) and the uncoded ones (收支总表,
财政拨款收支总表, 三公). Columns are mapped by header label; split numbers are
repaired only where the table's arithmetic confirms them (``repair``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from converter.parsers.numbers import CellNumber, read_cell
from converter.parsers.repair import Relation, resolve
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import BudgetLine, Flag, OverviewLine, Repair

CODED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "income": [
        ("total", r"^合计$"), ("subtotal", r"^小计$"), ("fiscal", r"财政拨款"),
        ("special_account", r"财政专户"), ("business", r"^事业收入$"), ("operating", r"经营收入"),
        ("superior", r"上级补助"), ("subordinate", r"附属单位"), ("other", r"^其他收入$"),
        ("carryover", r"上年结转"),
    ],
    "expenditure": [
        ("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出"), ("operating", r"经营支出"),
        ("remit", r"上解上级|上缴上级"), ("subsidy", r"对附属单位补助"),
    ],
    "gpb_expenditure": [("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出")],
    "gov_fund": [("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出")],
    "soe_capital": [("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出")],
    "basic": [("total", r"^合计$"), ("personnel", r"人员经费"), ("public", r"公用经费")],
}
ROW_IDENTITIES: dict[str, list[tuple[str, list[str]]]] = {
    "income": [("total", ["subtotal", "carryover"]),
               ("subtotal", ["fiscal", "special_account", "business", "operating", "superior", "subordinate", "other"])],
    "expenditure": [("total", ["basic", "project", "operating", "remit", "subsidy"])],
    "gpb_expenditure": [("total", ["basic", "project"])],
    "gov_fund": [("total", ["basic", "project"])],
    "soe_capital": [("total", ["basic", "project"])],
    "basic": [("total", ["personnel", "public"])],
}
SCHEME = {"basic": "economic"}

_SEQ = re.compile(r"^\d{1,4}$")
_CODE = re.compile(r"^\d{3,9}$")


@dataclass
class TableResult:
    budget_lines: list[BudgetLine] = field(default_factory=list)
    overview_lines: list[OverviewLine] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _header_end(table: Table) -> int:
    """Index of the first data row: after the 栏次 row, or the first row whose first
    cell is a sequence number."""
    for i, row in enumerate(table.rows[:10]):
        if norm_key(row.cell(0)) == "栏次":
            return i + 1
    for i, row in enumerate(table.rows[:10]):
        if _SEQ.match(norm_key(row.cell(0))):
            return i
    return min(2, len(table.rows))


def _find(header: list[Row], pattern: str) -> int | None:
    rx = re.compile(pattern)
    for row in reversed(header):
        for i, c in enumerate(row.cells):
            if c.strip() and rx.search(norm_key(c)):
                return i
    return None


def _column_map(table: Table, spec: list[tuple[str, str]], first_amount_lane: int) -> dict[str, int]:
    """Column key -> cell index. With a 栏次 row and a header holding every label of
    the national template, the template order decides (extractions misplace header
    cells but never data cells); otherwise header label positions."""
    end = _header_end(table)
    header = table.rows[:end]
    lanes = next((r for r in header if norm_key(r.cell(0)) == "栏次"), None)
    found = {key: _find(header, pat) for key, pat in spec}
    if lanes is not None and all(v is not None for v in found.values()):
        pos = {norm_key(c): i for i, c in enumerate(lanes.cells) if c.strip()}
        mapped = {key: pos.get(str(first_amount_lane + n)) for n, (key, _) in enumerate(spec)}
        if all(v is not None for v in mapped.values()):
            return {k: v for k, v in mapped.items() if v is not None}
    return {k: v for k, v in found.items() if v is not None}


def _cell_number(row: Row, idx: int) -> CellNumber | None:
    return read_cell(row.cell(idx), continued=idx in row.continued)


def parse_coded(table: Table, kind: str, title: str) -> tuple[TableResult, dict]:
    """Budget lines of a coded table, plus the raw grid for cross-table confirmation."""
    spec = CODED_COLUMNS[kind]
    end = _header_end(table)
    header = table.rows[:end]
    code_idx = _find(header, r"科目编码|^编码$|^代码$")
    name_idx = _find(header, r"科目名称|^名称$")
    seq = norm_key(table.rows[0].cell(0)) == "序号" if table.rows else False
    if code_idx is None:
        code_idx = 1 if seq else 0
    if name_idx is None:
        name_idx = code_idx + 1
    cols = _column_map(table, spec, first_amount_lane=3)
    scheme = SCHEME.get(kind, "function")

    rows: list[tuple[Row, str | None, str, bool]] = []
    for row in table.rows[end:]:
        code = re.sub(r"\s+", "", row.cell(code_idx))
        name = squeeze_cjk(row.cell(name_idx))
        if not code and not name:
            continue
        is_total = not code and norm_key(name) in {"合计", "总计"}
        if code and not _CODE.match(code):
            continue
        if not code and not is_total:
            continue
        rows.append((row, code or None, name, is_total))

    cells: dict[tuple[int, str], CellNumber] = {}
    for r, (row, _code, _name, _tot) in enumerate(rows):
        for key, idx in cols.items():
            cn = _cell_number(row, idx)
            if cn is not None:
                cells[(r, key)] = cn

    relations: list[Relation] = []
    codes = {code: r for r, (_row, code, _n, _t) in enumerate(rows) if code}
    total_r = next((r for r, x in enumerate(rows) if x[3]), None)
    step = 2
    for code, r in codes.items():
        children = [codes[c] for c in codes if len(c) == len(code) + step and c.startswith(code)]
        if children:
            for key in cols:
                relations.append(Relation((r, key), [(c, key) for c in children], f"{title}: {code} = sum of its sub-codes"))
    if total_r is not None:
        tops = [r for code, r in codes.items() if len(code) == 3]
        if tops:
            for key in cols:
                relations.append(Relation((total_r, key), [(t, key) for t in tops], f"{title}: 合计 = sum of classes"))
    for r in range(len(rows)):
        for lhs, rhs in ROW_IDENTITIES.get(kind, []):
            if lhs in cols and all(k in cols for k in rhs if k in cols):
                relations.append(Relation((r, lhs), [(r, k) for k in rhs if k in cols], f"{title}: row {lhs} = {' + '.join(k for k in rhs if k in cols)}"))
    grid = {"rows": rows, "cells": cells, "relations": relations, "cols": cols, "kind": kind, "title": title}
    return TableResult(), grid


def finish_coded(grid: dict, external) -> TableResult:
    """Resolve repairs and build the BudgetLine records of one coded table."""
    kind, title, rows, cols = grid["kind"], grid["title"], grid["rows"], grid["cols"]
    res = resolve(grid["cells"], grid["relations"], external)
    out = TableResult()
    scheme = SCHEME.get(kind, "function")
    for r, (row, code, name, is_total) in enumerate(rows):
        seq = norm_key(row.cell(0))
        line = BudgetLine(
            table=kind, scheme=None if is_total else scheme, code=code, name=name,
            row=seq if _SEQ.match(seq) else None, is_total=is_total, loc=row.loc,
        )
        for key in cols:
            if (r, key) in res.values:
                line.amounts[key] = res.values[(r, key)]
                if (r, key) in res.evidence:
                    out.repairs.append(Repair(table=kind, row=line.row, column=key, raw=grid["cells"][(r, key)].raw,
                                              value=res.values[(r, key)], evidence=res.evidence[(r, key)], loc=row.loc))
            elif (r, key) in res.rejected:
                line.unparsed[key] = res.rejected[(r, key)]
                out.flags.append(Flag(kind="unconfirmed-number", raw=res.rejected[(r, key)], loc=row.loc,
                                      message=f"{title} row {line.row or '?'} {code or name} column {key}: "
                                              f"'{res.rejected[(r, key)]}' not confirmed by the table's arithmetic; kept as text"))
        out.budget_lines.append(line)
    return out


# ---- uncoded tables -------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|其中[:：])")

OVERVIEW_INCOME_ITEMS: list[tuple[str, str]] = [
    ("current_year_income", r"^本年收入合计"),
    ("income_total", r"^收入总计"),
    ("carryover_income", r"^(?:上年结转|年初.*结转)"),
    ("general_public_budget_income", r"^一般公共预算(?:拨款)?(?:收入)?$|^一般公共预算财政拨款"),
    ("gov_fund_income", r"^政府性基金"),
    ("soe_capital_income", r"^国有资本经营"),
    ("special_account_income", r"^财政专户"),
    ("unit_funds_income", r"^单位资金"),
    ("business_income", r"^事业收入"),
    ("operating_income", r"^事业单位经营收入|^经营收入"),
    ("superior_subsidy_income", r"^上级补助收入"),
    ("subordinate_remittance_income", r"^附属单位上缴收入"),
    ("other_income", r"^其他收入"),
]
OVERVIEW_EXPENDITURE_ITEMS: list[tuple[str, str]] = [
    ("current_year_expenditure", r"^本年支出合计"),
    ("expenditure_total", r"^支出总计"),
    ("year_end_carryover", r"^(?:年终|年末).*结转"),
]
THREE_PUBLIC_ITEMS: list[tuple[str, str]] = [
    ("total", r"^合计$"),
    ("subtotal", r"三公.*小计"),
    ("overseas_research", r"教学科研人员因公出国"),
    ("overseas_other", r"^其他因公出国"),
    ("overseas", r"因公出国"),
    ("vehicle_purchase", r"公务用车购置费$"),
    ("vehicle_operation", r"公务用车运行(?:维护)?费$"),
    ("vehicles", r"公务用车购置及运(?:行)?维(?:护)?费|公务用车购置及运行费"),
    ("reception", r"公务接待费"),
]
FISCAL_COLUMNS = [("total", r"^合计$|^预算数$|^金额$"), ("general_public_budget", r"一般公共预算"),
                  ("gov_fund", r"政府性基金"), ("soe_capital", r"国有资本经营")]


def item_key(label: str, rules: list[tuple[str, str]]) -> str | None:
    text = _NUMBERING.sub("", norm_key(label))
    text = re.sub(r"^其中[:：]", "", text)
    for key, pat in rules:
        if re.search(pat, text):
            return key
    return None


def _overview_cols(table: Table, end: int) -> tuple[int | None, list[int], int | None, dict[str, int]]:
    """(income label col, income amount cols, expenditure label col, expenditure amount cols)."""
    header = table.rows[:end]
    label_cols: list[int] = []
    for row in header:
        idx = [i for i, c in enumerate(row.cells) if norm_key(c) in {"项目", "项目名称"}]
        if len(idx) >= 2:
            label_cols = idx[:2]
            break
    if len(label_cols) < 2:
        label_cols = [1, 3]
    inc_label, exp_label = label_cols
    width = max(len(r.cells) for r in table.rows)
    inc_amounts = list(range(inc_label + 1, exp_label))
    exp_cols: dict[str, int] = {}
    for i in range(exp_label + 1, width):
        label = ""
        for row in header:
            if norm_key(row.cell(i)) and norm_key(row.cell(i)) not in {"栏次"} and not norm_key(row.cell(i)).isdigit():
                label = norm_key(row.cell(i))
        key = next((k for k, p in FISCAL_COLUMNS if label and re.search(p, label)), None)
        if key is None and i == exp_label + 1:
            key = "total"
        if key and key not in exp_cols:
            exp_cols[key] = i
    return inc_label, inc_amounts, exp_label, exp_cols


def parse_overview(table: Table, kind: str, title: str, external) -> TableResult:
    """收支总表 / 财政拨款收支总表: two-sided rows of (label, amount…)."""
    end = _header_end(table)
    inc_label, inc_amounts, exp_label, exp_cols = _overview_cols(table, end)
    lines: list[OverviewLine] = []
    cells: dict[tuple[int, str], CellNumber] = {}
    in_carryover = False
    for row in table.rows[end:]:
        seq = norm_key(row.cell(0))
        for side, label_idx, amount_cols in (
            ("income", inc_label, {"total": inc_amounts[0]} if inc_amounts else {}),
            ("expenditure", exp_label, exp_cols),
        ):
            label = squeeze_cjk(row.cell(label_idx))
            if not label:
                continue
            if side == "income":
                key = item_key(label, OVERVIEW_INCOME_ITEMS)
                if key == "carryover_income":
                    in_carryover = True
                elif key in {"current_year_income", "income_total"}:
                    in_carryover = False
                elif in_carryover and key:
                    key = "carryover_" + key.replace("_income", "")
            else:
                key = item_key(label, OVERVIEW_EXPENDITURE_ITEMS)
            line = OverviewLine(table=kind, label=label, item=key, side=side,
                                row=seq if _SEQ.match(seq) else None, loc=row.loc)
            n = len(lines)
            for col, idx in amount_cols.items():
                cn = _cell_number(row, idx)
                if cn is not None:
                    cells[(n, col)] = cn
            lines.append(line)
    relations = _overview_relations(lines, title)
    res = resolve(cells, relations, lambda k, v: external(k, v))
    return _finish_uncoded(lines, cells, res, kind, title)


def _overview_relations(lines: list[OverviewLine], title: str) -> list[Relation]:
    rels: list[Relation] = []
    by_item = {l.item: n for n, l in enumerate(lines) if l.item}
    inc = [n for n, l in enumerate(lines) if l.side == "income"]
    exp = [n for n, l in enumerate(lines) if l.side == "expenditure"]
    cy = by_item.get("current_year_income")
    if cy is not None:
        parts = [n for n in inc if n < cy and lines[n].item not in {"current_year_income"}]
        rels.append(Relation((cy, "total"), [(n, "total") for n in parts], f"{title}: 本年收入合计 = sum of income rows"))
    ce = by_item.get("current_year_expenditure")
    cols = ["total", "general_public_budget", "gov_fund", "soe_capital"]
    if ce is not None:
        parts = [n for n in exp if n < ce]
        for c in cols:
            rels.append(Relation((ce, c), [(n, c) for n in parts], f"{title}: 本年支出合计 = sum of expenditure rows"))
    it, co = by_item.get("income_total"), by_item.get("carryover_income")
    if it is not None and cy is not None:
        rels.append(Relation((it, "total"), [(cy, "total")] + ([(co, "total")] if co is not None else []),
                            f"{title}: 收入总计 = 本年收入合计 + 上年结转"))
    et, ye = by_item.get("expenditure_total"), by_item.get("year_end_carryover")
    if et is not None and ce is not None:
        for c in cols:
            rels.append(Relation((et, c), [(ce, c)] + ([(ye, c)] if ye is not None else []),
                                f"{title}: 支出总计 = 本年支出合计 + 年终结转"))
    if it is not None and et is not None:
        rels.append(Relation((it, "total"), [(et, "total")], f"{title}: 收入总计 = 支出总计"))
    return rels


def parse_three_public(table: Table, title: str, external) -> TableResult:
    end = _header_end(table)
    header = table.rows[:end]
    label_idx = _find(header, r"^项目$") or 1
    cols: dict[str, int] = {}
    for key, pat in FISCAL_COLUMNS:
        i = _find(header, pat)
        if i is not None and i != label_idx:
            cols[key] = i
    if "total" not in cols and label_idx + 1 < table.width:
        cols["total"] = label_idx + 1
    lines: list[OverviewLine] = []
    cells: dict[tuple[int, str], CellNumber] = {}
    for row in table.rows[end:]:
        label = squeeze_cjk(row.cell(label_idx))
        if not label:
            continue
        seq = norm_key(row.cell(0))
        line = OverviewLine(table="three_public", label=label, item=item_key(label, THREE_PUBLIC_ITEMS),
                            row=seq if _SEQ.match(seq) else None, loc=row.loc)
        n = len(lines)
        for col, idx in cols.items():
            cn = _cell_number(row, idx)
            if cn is not None:
                cells[(n, col)] = cn
        lines.append(line)
    by = {l.item: n for n, l in enumerate(lines) if l.item}
    rels: list[Relation] = []
    for c in cols:
        head = by.get("subtotal", by.get("total"))
        if "total" in by and "subtotal" in by:
            rels.append(Relation((by["total"], c), [(by["subtotal"], c)], f"{title}: 合计 = 小计"))
        if head is not None:
            veh = ["vehicles"] if "vehicles" in by else [k for k in ("vehicle_purchase", "vehicle_operation") if k in by]
            parts = [by[k] for k in ["overseas", *veh, "reception"] if k in by]
            if parts:
                rels.append(Relation((head, c), [(p, c) for p in parts], f"{title}: 三公 = 出国 + 公务用车 + 接待"))
        if "vehicles" in by:
            sub = [by[k] for k in ("vehicle_purchase", "vehicle_operation") if k in by]
            if sub:
                rels.append(Relation((by["vehicles"], c), [(s, c) for s in sub], f"{title}: 公务用车 = 购置 + 运行维护"))
    res = resolve(cells, rels, external)
    return _finish_uncoded(lines, cells, res, "three_public", title)


def _finish_uncoded(lines, cells, res, kind: str, title: str) -> TableResult:
    out = TableResult()
    for n, line in enumerate(lines):
        for (ln, col), cn in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if ln != n:
                continue
            key = (ln, col)
            if key in res.values:
                line.amounts[col] = res.values[key]
                if key in res.evidence:
                    out.repairs.append(Repair(table=kind, row=line.row, column=col, raw=cn.raw,
                                              value=res.values[key], evidence=res.evidence[key], loc=line.loc))
            elif key in res.rejected:
                line.unparsed[col] = res.rejected[key]
                out.flags.append(Flag(kind="unconfirmed-number", raw=cn.raw, loc=line.loc,
                                      message=f"{title} row {line.row or '?'} {line.label} column {col}: "
                                              f"'{cn.raw}' not confirmed by the table's arithmetic; kept as text"))
        out.overview_lines.append(line)
    return out
