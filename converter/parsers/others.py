"""Units (机构设置), procurement (政府采购预算) and fixed-asset (固定资产占用情况) tables."""

from __future__ import annotations

import re

from converter.parsers.numbers import clean_amount
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import Figure, FixedAsset, Flag, ProcurementItem, Unit

_UNIT_COLS = {"name": r"单位名称", "nature": r"单位性质", "rank": r"单位规格|级别", "funding_form": r"经费保障形式|经费形式"}


def _cols(row: Row, spec: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, pat in spec.items():
        rx = re.compile(pat)
        for i, c in enumerate(row.cells):
            if c.strip() and rx.search(norm_key(c)) and key not in out:
                out[key] = i
    return out


def parse_units(table: Table) -> list[Unit]:
    units: list[Unit] = []
    cols: dict[str, int] | None = None
    for row in table.rows:
        found = _cols(row, _UNIT_COLS)
        if "name" in found and len(found) >= 2:
            cols = found
            continue
        if cols is None:
            continue
        name = squeeze_cjk(row.cell(cols["name"]))
        if not name:
            continue
        vals = {k: (squeeze_cjk(row.cell(i)) or None) for k, i in cols.items() if k != "name"}
        units.append(Unit(name=name, loc=row.loc, **vals))
    return units


def _money(text: str, row: Row, idx: int, flags: list[Flag], what: str):
    return clean_amount(text, idx in row.continued, lambda raw: flags.append(Flag(
        kind="unconfirmed-number", raw=raw, loc=row.loc,
        message=f"{what}: '{raw}' is not a clean number; kept out of the records")))


_PROC_SPEC = {
    "item": r"采购物品名称|采购品目|采购项目名称$",
    "catalog_code": r"采购目录序号|目录编码|品目编码",
    "measure_unit": r"计量单位",
    "quantity": r"^数量$",
    "unit_price": r"^单价",
}
_FUND_KEYS = [
    ("total", r"^合计$"), ("general_public_budget", r"一般公共预算"), ("gov_fund", r"基金"),
    ("soe_capital", r"国有资本"), ("special_account", r"财政专户"), ("unit_funds", r"单位资金"),
    ("fiscal_carryover", r"^财政拨款结转"), ("non_fiscal_carryover", r"非财政拨款结转"),
    ("carryover", r"上年结转"),
]


def parse_procurement(table: Table, flags: list[Flag]) -> tuple[list[ProcurementItem], list[Figure]]:
    rows = table.rows
    top = next((i for i, r in enumerate(rows[:6]) if "item" in _cols(r, _PROC_SPEC)), None)
    if top is None:
        return [], []
    cols = _cols(rows[top], _PROC_SPEC)
    sub = top + 1 if top + 1 < len(rows) else top
    sub_row = rows[sub]
    name_idx = next((i for i, c in enumerate(sub_row.cells) if norm_key(c) == "项目名称"), 0)
    budget_idx = next((i for i, c in enumerate(sub_row.cells) if "预算资金" in norm_key(c)), None)
    total_idx = next((i for i, c in enumerate(sub_row.cells) if norm_key(c) == "合计"), None)
    sme = any("中小" in norm_key(c) for r in rows[top:sub + 1] for c in r.cells)
    width = max(len(r.cells) for r in rows)
    fund_cols: dict[str, int] = {}
    if total_idx is not None:
        # sub-column labels are packed in template order; extractions shift them
        labels = [norm_key(c) for c in sub_row.cells[total_idx:] if norm_key(c)]
        for n, label in enumerate(labels):
            key = next((k for k, p in _FUND_KEYS if re.search(p, label)), None)
            if key and key not in fund_cols:
                fund_cols[key] = total_idx + n
    sme_idx = width - 1 if sme else None
    items: list[ProcurementItem] = []
    figures: list[Figure] = []
    unit_name = None
    for row in rows[sub + 1:]:
        label = squeeze_cjk(row.cell(name_idx))
        key = norm_key(label)
        if not key and not row.cell(cols["item"]).strip():
            continue
        if norm_key(row.cell(0)) in {"项目名称", "政府采购项目来源"}:
            continue
        amount = _money(row.cell(total_idx), row, total_idx, flags, "procurement amount") if total_idx is not None else None
        if key in {"合计", "总计"}:
            if amount is not None:
                figures.append(Figure(key="procurement_total", value=amount, origin="table", table="procurement", loc=row.loc))
            continue
        if key.endswith("小计") and not row.cell(cols["item"]).strip():
            unit_name = label[: -len("小计")].strip() or None
            if amount is not None:
                figures.append(Figure(key="procurement_unit_subtotal", value=amount, origin="table",
                                      table="procurement", row=unit_name, loc=row.loc))
            continue
        item = squeeze_cjk(row.cell(cols["item"]))
        if not item:
            continue
        rec = ProcurementItem(item=item, project_name=label or None, unit_name=unit_name, loc=row.loc)
        if budget_idx is not None:
            rec.project_budget = _money(row.cell(budget_idx), row, budget_idx, flags, "procurement project budget")
        if "catalog_code" in cols:
            rec.catalog_code = re.sub(r"\s+", "", row.cell(cols["catalog_code"])) or None
        if "measure_unit" in cols:
            rec.measure_unit = squeeze_cjk(row.cell(cols["measure_unit"])) or None
        for f in ("quantity", "unit_price"):
            if f in cols:
                setattr(rec, f, _money(row.cell(cols[f]), row, cols[f], flags, f"procurement {f}"))
        rec.amount = amount
        for fk, idx in fund_cols.items():
            if fk == "total":
                continue
            v = _money(row.cell(idx), row, idx, flags, f"procurement {fk}")
            if v is not None:
                rec.funds[fk] = v
        if sme_idx is not None and sme_idx not in fund_cols.values():
            rec.sme_reserved = _money(row.cell(sme_idx), row, sme_idx, flags, "procurement SME reserve")
        items.append(rec)
    return items, figures


def parse_fixed_assets(table: Table, flags: list[Flag]) -> tuple[list[FixedAsset], list[Figure]]:
    rows = table.rows
    hdr = next((i for i, r in enumerate(rows[:4]) if any("数量" in norm_key(c) for c in r.cells)), None)
    if hdr is None:
        return [], []
    qty_idx = next(i for i, c in enumerate(rows[hdr].cells) if "数量" in norm_key(c))
    val_idx = next((i for i, c in enumerate(rows[hdr].cells) if re.search(r"价值|金额", norm_key(c))), qty_idx + 1)
    assets: list[FixedAsset] = []
    figures: list[Figure] = []
    for row in rows[hdr + 1:]:
        item = squeeze_cjk(row.cell(0))
        if not item:
            continue
        asset = FixedAsset(item=item, loc=row.loc)
        asset.quantity = _money(row.cell(qty_idx), row, qty_idx, flags, "fixed-asset quantity")
        asset.value = _money(row.cell(val_idx), row, val_idx, flags, "fixed-asset value")
        assets.append(asset)
        if "资产总额" in norm_key(item) and asset.value is not None:
            figures.append(Figure(key="fixed_assets_total", value=asset.value, origin="table", table="fixed_assets", loc=row.loc))
    return assets, figures
