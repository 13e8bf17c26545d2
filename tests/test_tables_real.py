"""Hand-read facts of real 2025/2026 disclosures of other provinces (Jiangsu, Chongqing,
Guangdong, Shenzhen, Shaanxi, Fujian, Zhejiang): for each, the page, the table, a code
and its amounts as printed, read off the page by eye; the parser must give exactly
these. None of these files is in the hold-out set. The PDFs live outside the repository
(../shared/corpus-real/wide, or $BUDGETLOD_REAL_CORPUS/wide); without them the module is skipped."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.handchecked_real import real_corpus
from tests.real_corpus import outcome

WIDE = (real_corpus() or Path("/nonexistent")) / "wide"
FILES = {
    "suzhou": "苏州_2026年苏州市数据局部门预算.pdf",
    "wuxi": "无锡_商务局_2026年部门预算.pdf",
    "chongqing": "重庆_2026年重庆市商务委员会部门预算.pdf",
    "guangzhou": "广州_2026年广州市人民政府办公厅部门预算.pdf",
    "shenzhen": "深圳_2026年深圳市科技创新局部门预算.pdf",
    "xian": "西安_2026年西安市财政局部门预算.pdf",
    "xian2022": "西安_交通运输局_2026年部门预算.pdf",
    "fuzhou": "福州_2026年福州市民政局部门预算.pdf",
    "hangzhou": "杭州_2026年杭州市公安局部门预算.pdf",
}


@pytest.fixture(scope="module")
def docs():
    """(records, checks) by short name, from the session's one extraction (tests/real_corpus.py)."""
    if not all((WIDE / f).is_file() for f in FILES.values()):
        pytest.skip(f"real corpus not at {WIDE}")
    found = {key: outcome("wide/" + f) for key, f in FILES.items()}
    assert all(o.error is None for o in found.values()), {k: o.error for k, o in found.items() if o.error}
    return {key: (o.disclosure, o.checks) for key, o in found.items()}


def _line(d, table: str, code: str | None):
    found = [l for l in d.budget_lines if l.table == table and (l.code == code if code else l.is_total)]
    assert len(found) == 1, (table, code, [(l.code, l.name) for l in found])
    return found[0]


# (file, page, table, code (None = 合计 row), amounts as printed)
LINES = [
    # 苏州市数据局 p13 公开05表 财政拨款支出表（功能科目）: 2010301 行政运行 2,016.50 = 2,016.50 (基本: 1,756.23 + 260.27)
    ("suzhou", 13, "fiscal_expenditure", "2010301",
     {"total": "2016.50", "basic": "2016.50", "personnel": "1756.23", "public": "260.27"}),
    # 苏州市数据局 p9 公开03表 支出总表: 合计 64,090.74 | 基本 6,895.74 | 项目 57,195.00
    ("suzhou", 9, "expenditure", None, {"total": "64090.74", "basic": "6895.74", "project": "57195.00"}),
    # 苏州市数据局 p15 公开06表 财政拨款基本支出表（经济科目）: 30101 基本工资 767.78 (人员经费)
    ("suzhou", 15, "fiscal_basic", "30101", {"total": "767.78", "personnel": "767.78"}),
    # 重庆市商务委员会 p12 表三 (title printed as "年部门支出总体情况表" / "2026"): 201 23,103.76 | 15,177.15 | 7,926.61
    ("chongqing", 12, "expenditure", "201", {"total": "23103.76", "basic": "15177.15", "project": "7926.61"}),
    # 广州市人民政府办公厅 p8 表3 本年支出总体情况表: 2010301 行政运行 6,853.85 | 6,853.85 | 0.00 | 0.00 | 0.00 | 0.00
    ("guangzhou", 8, "expenditure", "2010301",
     {"total": "6853.85", "basic": "6853.85", "project": "0.00", "operating": "0.00", "subsidy": "0.00", "remit": "0.00"}),
    # 深圳市科技创新局 p22 表3 支出总表, the 支出总计 column: 2060101 行政运行 3,117.43 | 3,117.43 | 0.00 …
    ("shenzhen", 22, "expenditure", "2060101",
     {"total": "3117.43", "basic": "3117.43", "project": "0.00", "operating": "0.00", "subsidy": "0.00", "remit": "0.00"}),
    # 深圳市科技创新局 p36 表8 一般公共预算支出表（按经济分类）, a table of its own (not merged into
    # the function table of p33): 302 商品和服务支出 1,932.43 | 425.43 | 1,507.00
    ("shenzhen", 36, "gpb_economic", "302", {"total": "1932.43", "basic": "425.43", "project": "1507.00"}),
    ("shenzhen", 33, "gpb_expenditure", "2060101", {"total": "3117.43", "basic": "3117.43", "project": "0.00"}),
    # 西安市交通运输局 2022 p35 表5 一般公共预算支出明细表（按功能科目分）: 205 教育支出 179.17 | — | 91.39 | 87.78 (专项业务经费)
    ("xian2022", 35, "gpb_expenditure", "205", {"total": "179.17", "public": "91.39", "project": "87.78"}),
]


@pytest.mark.parametrize("key,page,table,code,amounts", LINES, ids=[f"{x[0]}-p{x[1]}-{x[2]}-{x[3]}" for x in LINES])
def test_budget_line_as_printed(docs, key, page, table, code, amounts) -> None:
    d, _ = docs[key]
    line = _line(d, table, code)
    assert line.loc.page == page
    assert line.amounts == {k: D(v) for k, v in amounts.items()}


def test_suzhou_tables_and_figures(docs) -> None:
    d, checks = docs["suzhou"]
    # the 13 公开NN表 of the Jiangsu template; each title is followed by 部门：/单位： lines
    assert {"overview", "income", "expenditure", "fiscal_overview", "fiscal_expenditure", "fiscal_basic",
            "gpb_expenditure", "basic", "three_public", "gov_fund", "soe_capital"} <= set(d.tables_found)
    assert d.currency_unit == "万元"
    # 基本/项目支出 from the all-funds 支出总表 (p9), not the general-budget table
    basic = next(f for f in d.figures if f.key == "basic_expenditure" and f.origin == "table")
    assert (basic.table, basic.value) == ("expenditure", D("6895.74"))
    assert d.figure("income_total") == D("64090.74")  # p7 收支总表 收入总计
    assert not [c for c in checks if c.status != "pass"]


def test_wuxi_three_public_without_meeting_and_training(docs) -> None:
    d, _ = docs["wuxi"]
    # p21 公开09表: “三公”经费合计 6.40 | 出国 0.00 | 公务用车 2.80 | 接待 3.60 | 会议费 2.80 | 培训费 10.00
    assert d.figure("three_public_total") == D("6.40")
    assert d.figure("three_public_reception") == D("3.60")
    assert d.figure("three_public_vehicles") == D("2.80")


def test_xian_three_public_current_year_in_yuan(docs) -> None:
    d, _ = docs["xian"]
    # p43 表13, in 元: 上年 合计 2,480,000.00 | 当年 合计 2,083,436.00 (with 会议费 461,836.00, 培训费 1,402,600.00)
    # of which the 当年 三公 小计 219,000.00 = 接待 80,000.00 + 公务用车 139,000.00
    assert d.table_units.get("three_public", d.currency_unit) == "元"
    assert d.figure("three_public_total") == D("219000.00")
    assert d.figure("three_public_reception") == D("80000.00")
    assert d.figure("three_public_vehicles") == D("139000.00")


def test_fuzhou_income_total_printed_as_heji(docs) -> None:
    d, _ = docs["fuzhou"]
    # p12 收支预算总表: 本年收入合计 2219.92, 上年结转结余 30.00, 收入合计 2249.92 | 支出合计 2249.92
    assert d.figure("current_year_income") == D("2219.92")
    assert d.figure("income_total") == D("2249.92")
    assert d.figure("expenditure_total") == D("2249.92")


def test_chongqing_scrambled_titles_recognised(docs) -> None:
    d, _ = docs["chongqing"]
    # 表一 … 表八: titles printed "年部门收支总体情况表" with the year on a line of its own, and the
    # 单位名称/单位 line as a one-row table between title and grid
    assert {"overview", "income", "expenditure", "fiscal_overview", "gpb_expenditure", "basic", "gov_fund",
            "three_public"} <= set(d.tables_found)
    assert d.currency_unit == "万元"
    tot = _line(d, "expenditure", None)  # p12 合计 174,900.64 | 56,633.49 | 118,267.14
    assert tot.amounts == {"total": D("174900.64"), "basic": D("56633.49"), "project": D("118267.14")}


def test_hangzhou_numbered_titles(docs) -> None:
    d, _ = docs["hangzhou"]
    # 表1：…表9： "2026年市级部门…预算表" titles, including 表2 收入 and 表3 支出预算总表
    assert {"overview", "income", "expenditure", "fiscal_overview", "gpb_expenditure", "basic", "three_public",
            "gov_fund", "soe_capital"} <= set(d.tables_found)
    # p29 表7 “三公”经费合计 4,112.82 (current year; the table prints no earlier year)
    assert d.figure("three_public_total") == D("4112.82")


def test_shenzhen_three_public_budget_year_row(docs) -> None:
    d, _ = docs["shenzhen"]
    # p39 表9 财政拨款“三公”经费支出表: rows 2025 年 | 2026 年 | 增减变化金额, columns per item and fund;
    # the 2026 row: 总计 118.20 | 因公出国(境)费 90.00 | 公务接待费 3.00 | 公务用车 25.20 (18.00 + 7.20), 一般公共预算
    got = {l.item: l.amounts.get("general_public_budget") for l in d.overview_lines if l.table == "three_public"}
    assert got == {"total": D("118.20"), "overseas": D("90.00"), "reception": D("3.00"), "vehicles": D("25.20"),
                   "vehicle_purchase": D("18.00"), "vehicle_operation": D("7.20")}
