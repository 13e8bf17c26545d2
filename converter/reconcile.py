"""Reconciliation: every arithmetic check of DESIGN.md over one document's records,
with pass/fail and the values. Real inconsistencies of the source are reported here
(and as SHACL warnings), never "fixed"."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from converter.parsers.catalogue import KINDS, TABLE_TITLES, expand
from converter.parsers.tables import summed_rows
from converter.readers.ir import Loc
from converter.records.model import BudgetLine, Check, Disclosure

ZERO = Decimal(0)


def _check(out: list[Check], name: str, subject: str, expected: Decimal, actual: Decimal,
           table: str | None = None, loc: Loc | None = None) -> None:
    diff = actual - expected
    out.append(Check(name=name, status="pass" if diff == 0 else "fail", subject=subject, expected=expected,
                     actual=actual, difference=diff, table=table, loc=loc or Loc()))


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def reconcile(d: Disclosure) -> list[Check]:
    out: list[Check] = []
    _overview(d, out)
    _coded(d, out)
    _figures(d, out)
    _projects(d, out)
    _procurement(d, out)
    _three_public(d, out)
    _assets(d, out)
    return out


def _overview(d: Disclosure, out: list[Check]) -> None:
    for table in ("overview", "fiscal_overview"):
        lines = [l for l in d.overview_lines if l.table == table]
        if not lines:
            continue
        title = TABLE_TITLES[table]
        by = {l.item: l for l in lines if l.item}
        tot = lambda item: by[item].amounts.get("total", ZERO) if item in by else None  # noqa: E731
        if "income_total" in by and "expenditure_total" in by:
            _check(out, f"{table}.balance", f"{title}: 收入总计 = 支出总计", tot("income_total"),
                   tot("expenditure_total"), table, by["expenditure_total"].loc)
        if "income_total" in by and "current_year_income" in by:
            _check(out, f"{table}.income_total", f"{title}: 收入总计 = 本年收入合计 + 上年结转",
                   tot("income_total"), tot("current_year_income") + (tot("carryover_income") or ZERO),
                   table, by["income_total"].loc)
        for side, label in (("income", "本年收入合计"), ("expenditure", "本年支出合计")):
            item = f"current_year_{side}"
            if item in by:  # the year's total = the rows of its side it adds up
                parts = summed_rows(lines, side, by[item])
                _check(out, f"{table}.{item}", f"{title}: {label} = sum of {side} rows",
                       tot(item), _sum(l.amounts.get("total") for l in parts), table, by[item].loc)


def _coded(d: Disclosure, out: list[Check]) -> None:
    tables: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in d.budget_lines:
        tables[line.table].append(line)
    for table, lines in tables.items():
        out.extend(coded_checks(lines))


def coded_checks(lines: list[BudgetLine]) -> list[Check]:
    """The checks of one coded table's lines: sub-codes, 合计, row identities (catalogue)."""
    out: list[Check] = []
    if lines:
        table = lines[0].table
        title = TABLE_TITLES.get(table, table)
        kind = KINDS[table]
        cols = [k for k, _ in kind.columns]
        codes = {l.code: l for l in lines if l.code}
        # a code printed on several rows stands for the sum of its rows: a listing split by
        # a second classification (西安 prints each 部门经济科目 once per 政府经济科目 beside
        # it: 30101 基本工资 | 50101 and 30101 基本工资 | 50501) or repeated per unit; its
        # parent adds up all of them (as the SHACL shape sums every row of a sub-code)
        rows_of: dict[str, list[BudgetLine]] = defaultdict(list)
        for l in lines:
            if l.code:
                rows_of[l.code].append(l)

        def code_sum(of: list[str], col: str) -> Decimal:
            return _sum(r.amounts.get(col) for k in of for r in rows_of[k])
        # a row kept without a code (a name the code lists could not resolve) may be a
        # child of the coded row above it or of any of that row's ancestors: their sums
        # are incomplete, not checked
        open_codes: set[str] = set()
        above: str | None = None
        for l in lines:
            if l.code:
                above = l.code
            elif not l.is_total:
                open_codes |= {above[:n] for n in range(3, len(above) + 1)} if above else set()
                open_codes.add("")
        for code, line in codes.items():
            kids = [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]
            if not kids or code in open_codes:
                continue
            for col in cols:
                if not any(col in r.amounts for k in [code, *kids] for r in rows_of[k]):
                    continue
                _check(out, f"{table}.children", f"{title}: {code} {line.name} [{col}] = sum of sub-codes",
                       code_sum([code], col), code_sum(kids, col), table, rows_of[code][0].loc)
        total = next((l for l in lines if l.is_total), None)
        tops = [l for c, l in codes.items() if len(c) == 3]
        if total is not None and tops and "" not in open_codes:
            for col in cols:
                if col not in total.amounts and not any(col in r.amounts for t in tops for r in rows_of[t.code]):
                    continue
                _check(out, f"{table}.total", f"{title}: 合计 [{col}] = sum of classes",
                       total.amounts.get(col, ZERO), code_sum([c for c in codes if len(c) == 3], col), table, total.loc)
        # an identity over columns the table does not have is not checked (regional
        # layouts without 小计, gpb tables without the 人员/公用 split)
        present = {k for l in lines for k in l.amounts}
        idents = [(lhs, expand(table, rhs, present)) for lhs, rhs in kind.identities]
        inner = {lhs for lhs, _ in idents}
        idents = [(lhs, rhs) for lhs, rhs in idents
                  if any(k in present for k in rhs) and all(k in present for k in rhs if k in inner)]
        for line in lines:
            for lhs, rhs in idents:
                if lhs not in line.amounts:
                    continue
                _check(out, f"{table}.row", f"{title}: {line.code or line.name} {lhs} = {' + '.join(rhs)}",
                       line.amounts[lhs], _sum(line.amounts.get(k) for k in rhs), table, line.loc)
    return out


def _figures(d: Disclosure, out: list[Check]) -> None:
    """The same figure stated in a table and in the prose; cross-table totals."""
    by_key: dict[str, dict[str, tuple[Decimal, str | None]]] = defaultdict(dict)  # key -> origin -> (value, unit)
    locs: dict[str, Loc] = {}
    for f in d.figures:
        if f.key == "procurement_unit_subtotal" or f.origin in by_key[f.key]:
            continue
        by_key[f.key][f.origin] = (f.value, d.figure_unit(f))
        locs.setdefault(f.key, f.loc)
    for key, vals in sorted(by_key.items()):
        if "table" in vals and "prose" in vals:
            (prose, prose_unit), (table, table_unit) = vals["prose"], vals["table"]
            if (prose_unit == "元") != (table_unit == "元"):
                # one printed in 元, the other in 万元: both in 万元, the finer rounded as the coarser is printed
                prose, table = (v.scaleb(-4) if u == "元" else v for v, u in ((prose, prose_unit), (table, table_unit)))
                step = Decimal(1).scaleb(min(0, max(prose.as_tuple().exponent, table.as_tuple().exponent)))
                prose, table = (v.quantize(step, rounding=ROUND_HALF_UP) for v in (prose, table))
            _check(out, "prose.matches_table", f"{key}: prose figure = table figure", table, prose, None, locs[key])
    # 基本 = 人员 + 公用 within one table: the split's own table's 合计 (the all-funds 基本支出
    # of the 支出总表 is not the split of the general budget's)
    pf = next((f for f in d.figures if f.key == "personnel_expenditure" and f.origin == "table"), None)
    basic = pers = pub = None
    if pf is not None:
        pers, pub = d.figure("personnel_expenditure"), d.figure("public_expenditure")
        basic = next((l.amounts.get("total") for l in d.budget_lines if l.table == pf.table and l.is_total), None)
    else:
        basic, pers, pub = d.figure("basic_expenditure"), d.figure("personnel_expenditure"), d.figure("public_expenditure")
    if basic is not None and pers is not None and pub is not None:
        _check(out, "basic.split", "基本支出 = 人员经费 + 公用经费", basic, pers + pub)
    if d.kind == "final_accounts":
        return  # a 决算's income and expenditure differ by the year's balance (结余): no cross-table equality
    totals = {t: next((l.amounts.get("total") for l in d.budget_lines if l.table == t and l.is_total), None)
              for t in ("income", "expenditure")}
    inc_total = d.figure("income_total")
    if totals["income"] is not None and totals["expenditure"] is not None:
        _check(out, "cross.income_expenditure", "收入总表 合计 = 支出总表 合计", totals["income"], totals["expenditure"])
    if inc_total is not None and totals["expenditure"] is not None:
        _check(out, "cross.overview_expenditure", "收支总表 支出总计 = 支出总表 合计",
               d.figure("expenditure_total") or inc_total, totals["expenditure"])


def _projects(d: Disclosure, out: list[Check]) -> None:
    for p in d.projects:
        if p.budget is not None and p.funds:  # a list's fund-source columns: the row's own sum
            _check(out, "project.funds", f"project {p.code or p.name}: 预算数 = sum of its fund sources "
                   f"({' + '.join(p.funds)})", p.budget, _sum(p.funds.values()), "project", p.loc)
        elif p.budget is not None and (p.fiscal_funds is not None or p.other_funds is not None):
            _check(out, "project.funds", f"project {p.code or p.name}: 预算数 = 财政资金 + 其他资金",
                   p.budget, (p.fiscal_funds or ZERO) + (p.other_funds or ZERO) + (p.carryover_funds or ZERO),
                   "project", p.loc)
    budgets = [p.budget for p in d.projects if p.budget is not None]
    rec = d.figure_record("project_expenditure")
    proj_exp = rec.value if rec is not None else None
    # only a complete list in one unit can add up to 项目支出 (some amounts come from other tables)
    units = {p.currency_unit for p in d.projects} - {None}
    same_unit = len(units) <= 1 and (d.currency_unit is None or units <= {d.currency_unit})
    if rec is not None and d.figure_unit(rec) not in (None, *(units or {d.currency_unit})):
        same_unit = False  # 项目支出 stated in another unit (a prose figure in 元)
    # prose sections describe selected projects only: a project stated in prose alone means the
    # records hold a selection (a project a table lists as well is part of that table's list)
    some = any(p.sources and all(s.layout == "prose" for s in p.sources) for p in d.projects)
    if budgets and len(budgets) == len(d.projects) and same_unit and not some and proj_exp is not None:
        _check(out, "projects.sum", f"Σ project budgets ({len(budgets)} projects) = 项目支出", proj_exp, _sum(budgets))


def _procurement(d: Disclosure, out: list[Check]) -> None:
    for it in d.procurement:
        if it.quantity is not None and it.unit_price is not None and it.amount is not None:
            _check(out, "procurement.line", f"procurement {it.item} ({it.project_name}): 数量 × 单价 = 金额",
                   it.amount, it.quantity * it.unit_price, "procurement", it.loc)
        if it.amount is not None and it.funds:
            _check(out, "procurement.funds", f"procurement {it.item}: 合计 = sum of fund sources",
                   it.amount, _sum(it.funds.values()), "procurement", it.loc)
    amounts = [it.amount for it in d.procurement if it.amount is not None]
    for f in d.figures:
        # the item table's 合计 (a grid by function classification has its own checks)
        if f.key == "procurement_total" and f.origin == "table" and f.table == "procurement":
            _check(out, "procurement.total", "政府采购 合计 = sum of items", f.value, _sum(amounts), "procurement", f.loc)
        if f.key == "procurement_unit_subtotal":
            unit = [it.amount for it in d.procurement if it.unit_name == f.row and it.amount is not None]
            _check(out, "procurement.subtotal", f"政府采购 {f.row} 小计 = sum of its items", f.value, _sum(unit),
                   "procurement", f.loc)


def _three_public(d: Disclosure, out: list[Check]) -> None:
    lines = {l.item: l for l in d.overview_lines if l.table == "three_public" and l.item}
    head = lines.get("subtotal") or lines.get("total")
    if head is None or "total" not in head.amounts:
        return
    veh = ["vehicles"] if "vehicles" in lines else ["vehicle_purchase", "vehicle_operation"]
    parts = [lines[k].amounts.get("total") for k in ["overseas", *veh, "reception"] if k in lines]
    _check(out, "three_public.parts", "“三公”经费 = 因公出国（境） + 公务用车 + 公务接待", head.amounts["total"],
           _sum(parts), "three_public", head.loc)


def _assets(d: Disclosure, out: list[Check]) -> None:
    total = next((a for a in d.fixed_assets if "资产总额" in a.item), None)
    if total is None or total.value is None:
        return
    parts = [a.value for a in d.fixed_assets if a is not total and not a.item.startswith("其中") and a.value is not None]
    _check(out, "fixed_assets.total", "资产总额 = sum of asset classes", total.value, _sum(parts), "fixed_assets", total.loc)


def format_report(d: Disclosure, checks: list[Check], all_checks: bool = False) -> str:
    """A human-readable coverage and reconciliation report for one document."""
    lines = [f"# {d.source_file}", f"kind: {d.kind}; fiscal year: {d.fiscal_year}; department: "
             f"{d.department_code or '-'} {d.department_name or '-'}; region: {d.region_name or '-'} {d.region_code or ''}".rstrip()]
    lines.append(f"standard tables recognised: {', '.join(d.tables_found) or 'none'}")
    lines.append(f"budget lines: {len(d.budget_lines)}; overview rows: {len(d.overview_lines)}; units: {len(d.units)}; "
                 f"projects: {len(d.projects)} ({sum(len(p.indicators) for p in d.projects)} indicators); "
                 f"procurement rows: {len(d.procurement)}; fixed-asset rows: {len(d.fixed_assets)}; "
                 f"department goals: {len(d.goals)}")
    canon = sorted({r.canonical for r in d.doc_refs})
    lines.append(f"document numbers ({len(canon)}): {' '.join(canon) or 'none'}")
    lines.append(f"repairs confirmed by arithmetic: {len(d.repairs)}; flags: {len(d.flags)}")
    for f in d.flags:
        lines.append(f"  flag: {f.message}")
    passed = sum(1 for c in checks if c.status == "pass")
    failed = [c for c in checks if c.status != "pass"]
    rounding = [c for c in failed if is_rounding_gap(c)]
    lines.append(f"reconciliation: {passed} pass, {len(failed) - len(rounding)} fail, "
                 f"{len(rounding)} off by 0.01 (the source's own rounding)")
    for c in checks:
        if c.status == "pass" and all_checks:
            lines.append(f"  pass {c.name}: {c.subject}: {c.expected}")
    for label, group in (("FAIL", [c for c in failed if not is_rounding_gap(c)]), ("ROUNDING", rounding)):
        for c in group:
            where = f" (line {c.loc.line})" if c.loc.line else (f" (page {c.loc.page})" if c.loc.page else "")
            lines.append(f"  {label} {c.name}: {c.subject}: expected {c.expected}, got {c.actual} "
                         f"(difference {c.difference}){where}")
    return "\n".join(lines)


def is_rounding_gap(check: Check) -> bool:
    """A failed check off by one cent: the printed parts were rounded separately from the
    printed total — the source's practice, reported apart from real discrepancies."""
    return check.difference is not None and abs(check.difference) == Decimal("0.01")
