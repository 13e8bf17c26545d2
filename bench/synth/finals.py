"""The 部门决算 (final accounts) of a synthetic department-year: the same department
and year as its budget document, with actual spending per function code that differs
from the budget (execution between 80 % and 102 % per leaf), so plan-vs-actual has a
known answer. Printed in the 决算 wording: 支出决算表 with 决算数 columns."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.synth import tables as T
from bench.synth.layout import STYLES, Writer
from bench.synth.spec import Budget, DocSpec
from converter.records.model import BudgetLine, Disclosure


def actual_budget(budget: Budget, rng: random.Random) -> Budget:
    """Actual spending: every leaf's basic and project amount scaled and rounded to the
    cent, so parents stay exact sums (the 决算 tables check themselves like the budget's)."""
    leaves = {}
    for code, a in sorted(budget.leaves.items()):
        rate = rng.randint(800, 1020) / 1000
        leaves[code] = {"basic": round(a["basic"] * rate), "project": round(a["project"] * rate), "carry": 0}
    return replace(budget, leaves=leaves)


def compose_final_accounts(spec: DocSpec, rng: random.Random) -> tuple[str, Disclosure, Budget]:
    """(text, truth, actual amounts) of the department-year's final accounts."""
    w = Writer(STYLES[spec.dept.region.style], rng)
    dept, year = spec.dept, spec.year
    actual = actual_budget(spec.budget, rng)
    w.heading(f"{dept.name}{year}年度部门决算", 1)
    w.heading("部门决算公开表")
    furniture = [f"{dept.code} {dept.name}", f"预算年度：{year}", "单位：万元"]
    w.heading(f"{year}年度部门支出决算表", 3)
    lines: list[BudgetLine] = T.coded_table(w, "expenditure", actual, furniture)
    d = Disclosure(source_file="", sha256="", kind="final_accounts", fiscal_year=year, department_code=dept.code,
                   department_name=dept.name, budget_lines=lines, currency_unit="万元")
    return "\n".join(w.lines) + "\n", d, actual
