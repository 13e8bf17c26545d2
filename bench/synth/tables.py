"""The nine standard tables: printed rows and the records they state."""

from __future__ import annotations

from bench.synth.budget import economic_name, economic_rows, function_rows
from bench.synth.catalog import CLASSES, CN_NUM, FUNCTION_NAMES
from bench.synth.damage import cjk_spaces, split_number
from bench.synth.layout import Writer
from bench.synth.money import cell, dec
from bench.synth.spec import Budget
from converter.records.model import BudgetLine, OverviewLine

LANES = lambda n: ["栏次", *[str(i) for i in range(1, n)]]  # noqa: E731

INCOME_KEYS = ["total", "subtotal", "fiscal", "special_account", "business", "operating", "superior", "subordinate",
               "other", "carryover"]
INCOME_HEADER = [
    ["序号", "功能分类科目", "", "合计", "本年收入", "", "", "", "", "", "", "", "上年结转"],
    ["", "科目编码", "科目名称", "", "小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入", "上级补助收入",
     "附属单位上缴收入", "其他收入", ""],
    LANES(13),
]
EXP_KEYS = ["total", "basic", "project", "operating", "remit", "subsidy"]
EXP_HEADER = [
    ["序号", "功能分类科目", "", "合计", "基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出"],
    ["", "科目编码", "科目名称", "", "", "", "", "", ""],
    LANES(9),
]
GPB_KEYS = ["total", "basic", "project"]
GPB_HEADER = [["序号", "功能分类科目", "", "合计", "基本支出", "项目支出"], ["", "科目编码", "科目名称", "", "", ""], LANES(6)]
BASIC_KEYS = ["total", "personnel", "public"]
BASIC_HEADER = [["序号", "支出部门经济分类科目", "", "一般公共预算基本支出", "", ""],
                ["", "科目编码", "科目名称", "合计", "人员经费", "公用经费"], LANES(6)]


def _function_amounts(kind: str, a: dict[str, int]) -> dict[str, int]:
    total = a["basic"] + a["project"]
    if kind == "income":
        return {"total": total, "subtotal": total - a["carry"], "fiscal": total - a["carry"], "carryover": a["carry"]}
    return {"total": total, "basic": a["basic"], "project": a["project"]}


def coded_table(w: Writer, kind: str, budget: Budget, furniture: list[str]) -> list[BudgetLine]:
    """收入总表 / 支出总表 / 一般公共预算支出表 (function) or 基本支出表 (economic)."""
    keys, header = {"income": (INCOME_KEYS, INCOME_HEADER), "expenditure": (EXP_KEYS, EXP_HEADER),
                    "gpb_expenditure": (GPB_KEYS, GPB_HEADER), "basic": (BASIC_KEYS, BASIC_HEADER)}[kind]
    if kind == "basic":
        items = [(c, {"total": a["personnel"] + a["public"], **a}, economic_name(c)) for c, a in economic_rows(budget.economic)]
        scheme = "economic"
    else:
        items = [(c, _function_amounts(kind, a), CLASSES[c] if len(c) == 3 else FUNCTION_NAMES[c])
                 for c, a in function_rows(budget.leaves)]
        scheme = "function"
    totals: dict[str, int] = {}
    for c, a, _ in items:
        if len(c) == 3:
            for k, v in a.items():
                totals[k] = totals.get(k, 0) + v
    rows: list[list[str]] = []
    lines: list[BudgetLine] = []
    all_rows = [(None, totals, "合计")] + items
    for n, (code, a, name) in enumerate(all_rows, start=1):
        amounts = [cell(a.get(k)) for k in keys]
        if code is None:
            cells = [str(n), "", w.bold("合计"), *[w.bold(x) for x in amounts]]
        else:
            amounts = [split_number(x, w.rng) if x and w.rng.random() < w.style.split_rate else x for x in amounts]
            cells = [str(n), code, cjk_spaces(name, w.rng, w.style.name_spaces), *amounts]
        if len(cells) < len(header[0]):
            cells += [""] * (len(header[0]) - len(cells))
        rows.append(cells)
        lines.append(BudgetLine(table=kind, scheme=None if code is None else scheme, code=code, name=name, row=str(n),
                                amounts={k: dec(a[k]) for k in keys if a.get(k)}, is_total=code is None))
    splittable = [1, 2, *range(3, 3 + len(keys))]
    w.table(header, rows, furniture, (8, 16), splittable=splittable, lane_row=True)
    return lines


def empty_coded_table(w: Writer, kind: str, furniture: list[str]) -> None:
    """政府性基金 / 国有资本经营 tables: printed empty with a note."""
    w.table(GPB_HEADER, [], furniture, (10, 10))
    what = "政府性基金" if kind == "gov_fund" else "国有资本经营"
    w.para(f"注：无{what}预算财政拨款预算，空表列示。")


# ---- uncoded tables ---------------------------------------------------------------

OVERVIEW_HEADER = [["序号", "收入", "", "支出", ""], ["", "项目", "预算数", "项目", "预算数"], LANES(5)]
_INCOME_ROWS = [("一、一般公共预算拨款收入", "general_public_budget_income"), ("二、政府性基金预算拨款收入", "gov_fund_income"),
                ("三、国有资本经营预算拨款收入", "soe_capital_income"), ("四、财政专户管理资金收入", "special_account_income"),
                ("五、单位资金", "unit_funds_income")]


def _class_rows(budget: Budget) -> list[tuple[str, int]]:
    by_class = {c: a["basic"] + a["project"] for c, a in function_rows(budget.leaves) if len(c) == 3}
    return [(f"{CN_NUM[i]}、{name}", by_class.get(code, 0)) for i, (code, name) in enumerate(CLASSES.items())]


def overview_table(w: Writer, budget: Budget, furniture: list[str]) -> list[OverviewLine]:
    """部门预算收支总表: income rows beside the 31 expenditure classes."""
    carry = sum(a["carry"] for a in budget.leaves.values())
    total = sum(a["basic"] + a["project"] for a in budget.leaves.values())
    fiscal = total - carry
    classes = _class_rows(budget)
    rows: list[list[str]] = []
    lines: list[OverviewLine] = []

    def add(inc: tuple[str, str | None, int] | None, exp: tuple[str, str | None, int] | None, bold: bool = False) -> None:
        n = str(len(rows) + 1)
        b = w.bold if bold else (lambda x: x)
        cells = [n, "", "", "", ""]
        for side, item, (lc, ac) in (("income", inc, (1, 2)), ("expenditure", exp, (3, 4))):
            if item is None:
                continue
            label, key, cents = item
            cells[lc], cells[ac] = b(label), b(cell(cents))
            lines.append(OverviewLine(table="overview", label=label, item=key, side=side, row=n,
                                      amounts={"total": dec(cents)} if cents else {}))
        rows.append(cells)

    incomes = {0: fiscal}
    for i, (label, cents) in enumerate(classes):
        inc = (_INCOME_ROWS[i][0], _INCOME_ROWS[i][1], incomes.get(i, 0)) if i < len(_INCOME_ROWS) else None
        add(inc, (label, None, cents))
    add(("本年收入合计", "current_year_income", fiscal), ("本年支出合计", "current_year_expenditure", total), bold=True)
    add(("上年结转结余", "carryover_income", carry), ("年终结转结余", "year_end_carryover", 0))
    add(("收入总计", "income_total", total), ("支出总计", "expenditure_total", total), bold=True)
    w.table(OVERVIEW_HEADER, rows, furniture, (10, 22), splittable=[3], lane_row=True)
    return lines


FISCAL_HEADER = [["序号", "收入", "", "支出", "", "", "", ""],
                 ["", "项目", "金额", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
                 LANES(8)]


def fiscal_overview_table(w: Writer, budget: Budget, furniture: list[str]) -> list[OverviewLine]:
    """部门预算财政拨款收支总表."""
    carry = sum(a["carry"] for a in budget.leaves.values())
    total = sum(a["basic"] + a["project"] for a in budget.leaves.values())
    fiscal = total - carry
    rows: list[list[str]] = []
    lines: list[OverviewLine] = []

    def add(inc, exp, bold: bool = False) -> None:
        n = str(len(rows) + 1)
        b = w.bold if bold else (lambda x: x)
        cells = [n] + [""] * 7
        if inc is not None:
            label, key, cents = inc
            cells[1], cells[2] = b(label), b(cell(cents))
            lines.append(OverviewLine(table="fiscal_overview", label=label, item=key, side="income", row=n,
                                      amounts={"total": dec(cents)} if cents else {}))
        if exp is not None:
            label, key, cents = exp
            cells[3], cells[4], cells[5] = b(label), b(cell(cents)), b(cell(cents))
            lines.append(OverviewLine(table="fiscal_overview", label=label, item=key, side="expenditure", row=n,
                                      amounts={"total": dec(cents), "general_public_budget": dec(cents)} if cents else {}))
        rows.append(cells)

    incomes = [("一、一般公共预算拨款", "general_public_budget_income", fiscal), ("二、政府性基金预算拨款", "gov_fund_income", 0),
               ("三、国有资本经营预算拨款", "soe_capital_income", 0)]
    for i, (label, cents) in enumerate(_class_rows(budget)):
        add(incomes[i] if i < len(incomes) else None, (label, None, cents))
    add(("本年收入合计", "current_year_income", fiscal), ("本年支出合计", "current_year_expenditure", total), bold=True)
    add(("年初财政拨款结转和结余", "carryover_income", carry), ("年末财政拨款结转和结余", "year_end_carryover", 0))
    add(("一、一般公共预算拨款", "carryover_general_public_budget", carry), None)
    add(("二、政府性基金预算拨款", "carryover_gov_fund", 0), None)
    add(("三、国有资本经营预算拨款", "carryover_soe_capital", 0), None)
    add(("收入总计", "income_total", total), ("支出总计", "expenditure_total", total), bold=True)
    w.table(FISCAL_HEADER, rows, furniture, (6, 20), splittable=[3], lane_row=True)
    return lines


THREE_HEADER = [["序号", "项目", "资金性质", "", "", ""],
                ["", "", "合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"], LANES(6)]


def three_public_table(w: Writer, budget: Budget, furniture: list[str]) -> list[OverviewLine]:
    t = budget.three_public
    vehicles = t["vehicle_purchase"] + t["vehicle_operation"]
    total = t["overseas"] + vehicles + t["reception"]
    spec = [("合计", "total", total), ("“三公”经费小计", "subtotal", total), ("一、因公出国（境）费", "overseas", t["overseas"]),
            ("二、公务用车购置及运维费", "vehicles", vehicles), ("其中：公务用车购置费", "vehicle_purchase", t["vehicle_purchase"]),
            ("公务用车运行维护费", "vehicle_operation", t["vehicle_operation"]), ("三、公务接待费", "reception", t["reception"])]
    rows, lines = [], []
    for n, (label, key, cents) in enumerate(spec, start=1):
        b = w.bold if n == 1 else (lambda x: x)
        rows.append([str(n), b(label), b(cell(cents)), b(cell(cents)), "", ""])
        lines.append(OverviewLine(table="three_public", label=label, item=key, row=str(n),
                                  amounts={"total": dec(cents), "general_public_budget": dec(cents)} if cents else {}))
    w.table(THREE_HEADER, rows, furniture, (10, 10))
    return lines

