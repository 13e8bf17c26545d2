"""Units (机构设置), procurement (政府采购预算) and fixed-asset (固定资产占用情况) tables."""

from __future__ import annotations

import re

from converter.parsers.catalogue import KINDS, PROCUREMENT_FUNDS, units_header
from converter.parsers.numbers import clean_amount
from converter.parsers.units import split_nature
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import Figure, FixedAsset, Flag, ProcurementItem, Unit

_UNIT_FIELDS = ("name", "nature", "rank", "funding_form", "code")  # the columns a Unit keeps


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
        found = units_header([norm_key(c) for c in row.cells])
        if found is not None:
            cols = {k: i for k, i in found.items() if k in _UNIT_FIELDS}
            continue
        if cols is None:
            continue
        name = squeeze_cjk(row.cell(cols["name"]))
        if not name:
            continue
        vals = {k: (re.sub(r"\s+", "", row.cell(i)) if k == "code" else squeeze_cjk(row.cell(i))) or None
                for k, i in cols.items() if k != "name"}
        name, nature = split_nature(name)  # "…执法大队（下属参公事业单位）" in the name cell
        if nature and not vals.get("nature"):
            vals["nature"] = nature
        units.append(Unit(name=name, loc=row.loc, table="units", **vals))
    return units


def _money(text: str, row: Row, idx: int, flags: list[Flag], what: str):
    return clean_amount(text, idx in row.continued, lambda raw: flags.append(Flag(
        kind="unconfirmed-number", raw=raw, loc=row.loc,
        message=f"{what}: '{raw}' is not a clean number; kept out of the records")))


# the procurement columns are the catalogue's (one declaration): row fields, then the fund sources
_PROC_COLS = dict(KINDS["procurement"].columns)
_FUND_KEYS = [(k, _PROC_COLS[k]) for k in PROCUREMENT_FUNDS]
_PROC_SPEC = {k: p for k, p in _PROC_COLS.items() if k not in PROCUREMENT_FUNDS}
_AMOUNT = re.compile(r"^-?[\d,，]+(?:\.\d+)?$")
_CLASSES = {"货物", "工程", "服务"}  # the procurement catalogue's classes (A / B / C)
_ORDINAL = re.compile(r"^\d{1,4}$")
_UNIT_CODE = re.compile(r"^\d{6,}$")
_CODED_ITEM = re.compile(r"^([ABC]\d{2,})\s*(\S.*)$")


def _is_data(row: Row) -> bool:
    """A row past the header: it prints an amount, or its first label is the 合计/总计 row."""
    first = next((norm_key(c) for c in row.cells if c.strip()), "")
    return first in {"合计", "总计"} or any(_AMOUNT.match(norm_key(c)) for c in row.cells if c.strip())


def parse_procurement(table: Table, flags: list[Flag]) -> tuple[list[ProcurementItem], list[Figure]]:
    """The rows of a procurement table. Two layouts: the Hebei form, whose 政府采购金额 group
    prints 合计 and its fund sources on a second header row (labels packed, shifted by text
    extractions), and a header whose every column carries its own label over one or two rows
    (苏州 政府采购支出表, 重庆 政府采购预算明细表)."""
    rows = table.rows
    top = next((i for i, r in enumerate(rows[:6]) if "item" in _cols(r, _PROC_SPEC)), None)
    if top is None:
        return [], []
    end = next((i for i in range(top + 1, len(rows)) if _is_data(rows[i])), len(rows))
    if any(norm_key(c) == "合计" for r in rows[top + 1:end] for c in r.cells):
        return _packed_layout(table, top, flags)
    return _column_layout(table, top, end, flags)


def _column_roles(header: list[Row], width: int) -> dict[str, int]:
    """Column key -> index: each column's lowest label that names a key (a group label such
    as 资金来源 over its funds names none); the first column a key claims keeps it."""
    rules = list(_PROC_COLS.items())
    out: dict[str, int] = {}
    for i in range(width):
        for row in reversed(header):
            label = norm_key(row.cell(i))
            key = next((k for k, p in rules if label and re.search(p, label)), None)
            if key is not None:
                if key not in out:
                    out[key] = i
                break
    return out


def _column_layout(table: Table, top: int, end: int, flags: list[Flag]) -> tuple[list[ProcurementItem], list[Figure]]:
    cols = _column_roles(table.rows[top:end], max(len(r.cells) for r in table.rows))
    if "total" not in cols:
        return [], []
    total_idx = cols["total"]
    funds = {k: i for k, i in cols.items() if k in PROCUREMENT_FUNDS and k != "total"}
    items: list[ProcurementItem] = []
    figures: list[Figure] = []
    unit_name = None
    for row in table.rows[end:]:
        item = squeeze_cjk(row.cell(cols["item"]))
        # the row's label: its first cell that is not a 序号 ("1 | 合计 | … ", 西安)
        label = squeeze_cjk(next((c for c in row.cells[:total_idx] if c.strip() and not _ORDINAL.match(c.strip())), ""))
        amount = _money(row.cell(total_idx), row, total_idx, flags, "procurement amount")
        if norm_key(label) in {"合计", "总计"}:
            if amount is not None:
                figures.append(Figure(key="procurement_total", value=amount, origin="table", table="procurement",
                                      loc=row.loc))
            continue
        if not item:
            if "unit_code" in cols:
                # a unit's row (its code in 单位编码, its name in the next cell) opens the unit's
                # purchases; a 经费形式 row (全额 / 差额, coded 1 / 2) names no unit. Its amount is
                # not kept as the unit's subtotal: a unit recurs under each function class
                k = cols["unit_code"]
                if _UNIT_CODE.match(norm_key(row.cell(k))):
                    unit_name = squeeze_cjk(next((c for c in row.cells[k + 1:total_idx] if c.strip()), "")) or unit_name
                continue
            # a 货物/工程/服务 class row or a unit's row (苏州: the unit's purchases in that
            # class follow), printed in the first (class) column; its amount is a subtotal
            head = squeeze_cjk(row.cell(cols.get("category", 0)))
            if head and norm_key(head) not in _CLASSES:
                unit_name = head
            continue
        code = re.sub(r"\s+", "", row.cell(cols["catalog_code"])) if "catalog_code" in cols else ""
        if not code and (m := _CODED_ITEM.match(item)):  # "A02020400多功能一体机": code and name in one cell
            code, item = m.group(1), m.group(2)
        rec = ProcurementItem(item=item, unit_name=unit_name, loc=row.loc, amount=amount, catalog_code=code or None)
        if "project_name" in cols:
            rec.project_name = squeeze_cjk(row.cell(cols["project_name"])) or None
        if "measure_unit" in cols:
            rec.measure_unit = squeeze_cjk(row.cell(cols["measure_unit"])) or None
        for f in ("quantity", "unit_price", "project_budget"):
            if f in cols:
                setattr(rec, f, _money(row.cell(cols[f]), row, cols[f], flags, f"procurement {f}"))
        for fk, idx in funds.items():
            v = _money(row.cell(idx), row, idx, flags, f"procurement {fk}")
            if v is not None:
                rec.funds[fk] = v
        items.append(rec)
    return items, figures


def _packed_layout(table: Table, top: int, flags: list[Flag]) -> tuple[list[ProcurementItem], list[Figure]]:
    rows = table.rows
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
