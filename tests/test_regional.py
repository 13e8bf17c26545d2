"""Regional variants of the national table set, as small text extractions (tab-separated,
like corpus/*.txt): 总体情况表 titles, 编制部门/部门（单位） lines between title and
table, amounts in 元 with thousands separators, 类/款/项 code columns, tables without
序号, 三公 tables laid out across, 决算 tables with 行次 and 预算数/决算数, and
row-per-project performance tables. Each asserts exact records."""

from __future__ import annotations

import pytest
from decimal import Decimal as D
from pathlib import Path

from converter.pipeline import extract
from converter.records.model import Disclosure

T = "\t"


def _doc(tmp_path: Path, text: str, name: str = "doc.txt") -> tuple[Disclosure, list]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = extract(path)
    return r.disclosure, r.checks


def _lines(d: Disclosure, table: str) -> list[tuple]:
    return [(l.code, l.name, l.row, l.is_total, dict(l.amounts)) for l in d.budget_lines if l.table == table]


def _row(*cells: str) -> str:
    return T.join(cells)


BUDGET_YUAN = "\n".join([
    "# 上海市某区某委员会2025年部门预算",
    "",
    "2025年部门收入总体情况表",
    "",
    "编制部门：上海市某区某委员会",
    "",
    "单位：元",
    "",
    _row("项目", "", "", "", "收入预算", "", ""),
    _row("功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入", "其他收入"),
    _row("类", "款", "项", "", "", "", ""),
    _row("201", "", "", "一般公共服务支出", "1,200,000.00", "1,000,000.00", "200,000.00"),
    _row("201", "13", "", "商贸事务", "1,200,000.00", "1,000,000.00", "200,000.00"),
    _row("201", "13", "01", "行政运行", "1,200,000.00", "1,000,000.00", "200,000.00"),
    _row("", "", "", "合计", "1,200,000.00", "1,000,000.00", "200,000.00"),
    "",
])


def test_overall_titles_yuan_thousands_and_split_codes(tmp_path) -> None:
    d, checks = _doc(tmp_path, BUDGET_YUAN)
    assert d.tables_found == ["income"]
    assert d.currency_unit == "元"  # recorded as printed, never converted
    amounts = {"total": D("1200000.00"), "fiscal": D("1000000.00"), "other": D("200000.00")}
    assert _lines(d, "income") == [
        ("201", "一般公共服务支出", None, False, amounts),
        ("20113", "商贸事务", None, False, amounts),
        ("2011301", "行政运行", None, False, amounts),
        (None, "合计", None, True, amounts),
    ]
    assert checks and all(c.status == "pass" for c in checks)


NO_SEQ = "\n".join([
    "一般公共预算支出情况表",
    "",
    "部门（单位）：某市某局",
    "",
    "单位：万元",
    "",
    _row("科目编码", "", "", "科目名称", "合计", "基本支出", "", "", "项目支出"),
    _row("类", "款", "项", "", "", "小计", "人员支出", "日常公用支出", ""),
    _row("", "", "", "合计", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("204", "", "", "公共安全支出", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("", "02", "", "公安", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("", "", "01", "行政运行", "200.00", "200.00", "150.00", "50.00", ""),
    _row("", "", "02", "一般行政管理事务", "100.00", "", "", "", "100.00"),
    "",
    "2026年部门支出总体情况表",
    "",
    "单位名称：某市某局",
    "",
    "单位：万元",
    "",
    _row("科目编码", "科目名称", "总计", "基本支出", "项目支出"),
    _row("合计", "", "300.00", "200.00", "100.00"),
    _row("204", "公共安全支出", "300.00", "200.00", "100.00"),
    _row("20402", "公安", "300.00", "200.00", "100.00"),
    _row("2040201", "行政运行", "200.00", "200.00", ""),
    _row("2040202", "一般行政管理事务", "100.00", "", "100.00"),
    "",
])


def test_no_sequence_column_and_implied_class(tmp_path) -> None:
    d, checks = _doc(tmp_path, NO_SEQ)
    assert d.tables_found == ["gpb_expenditure", "expenditure"]
    full = {"total": D("300.00"), "basic": D("200.00"), "personnel": D("150.00"), "public": D("50.00"),
            "project": D("100.00")}
    assert _lines(d, "gpb_expenditure") == [
        (None, "合计", None, True, full),
        ("204", "公共安全支出", None, False, full),
        ("20402", "公安", None, False, full),  # 类 printed once above: implied by the layout
        ("2040201", "行政运行", None, False,
         {"total": D("200.00"), "basic": D("200.00"), "personnel": D("150.00"), "public": D("50.00")}),
        ("2040202", "一般行政管理事务", None, False, {"total": D("100.00"), "project": D("100.00")}),
    ]
    # the code column is never read as an amount (no 序号: columns are not shifted)
    assert _lines(d, "expenditure")[0] == (None, "合计", None, True,
                                           {"total": D("300.00"), "basic": D("200.00"), "project": D("100.00")})
    assert [l[0] for l in _lines(d, "expenditure")] == [None, "204", "20402", "2040201", "2040202"]
    assert d.currency_unit == "万元"
    assert all(c.status == "pass" for c in checks), [c for c in checks if c.status != "pass"]


THREE_PUBLIC_ACROSS = "\n".join([
    "2026 年财政拨款“三公”经费支出情况表",
    "",
    "单位名称：某市某局",
    "",
    "单位：万元",
    "",
    _row("合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"),
    _row("", "", "小计", "公务用车购置费", "公务用车运行费", ""),
    _row("308.00", "20.00", "248.50", "", "248.50", "39.50"),
    "",
])


def test_three_public_laid_out_across(tmp_path) -> None:
    d, checks = _doc(tmp_path, THREE_PUBLIC_ACROSS)
    assert d.tables_found == ["three_public"]
    got = [(l.item, dict(l.amounts)) for l in d.overview_lines]
    assert got == [("total", {"total": D("308.00")}), ("overseas", {"total": D("20.00")}),
                   ("vehicles", {"total": D("248.50")}), ("vehicle_purchase", {}),
                   ("vehicle_operation", {"total": D("248.50")}), ("reception", {"total": D("39.50")})]
    assert {c.name: c.status for c in checks} == {"three_public.parts": "pass"}
    assert d.figure("three_public_total") == D("308.00")


FINAL = "\n".join([
    "# 某市某局2022年度部门决算",
    "",
    "收入支出决算总表",
    "",
    "公开01表",
    "",
    "编制部门：某市某局",
    "",
    "金额单位：万元",
    "",
    _row("收入", "", "", "支出", "", ""),
    _row("项目", "行次", "决算数", "项目", "行次", "决算数"),
    _row("栏次", "", "1", "栏次", "", "2"),
    _row("一、一般公共预算财政拨款收入", "1", "90.00", "一、一般公共服务支出", "31", "100.00"),
    _row("二、其他收入", "2", "10.00", "", "32", ""),
    _row("本年收入合计", "3", "100.00", "本年支出合计", "33", "100.00"),
    "",
    "财政拨款“三公”经费支出决算表",
    "",
    "公开09表",
    "",
    "金额单位：万元",
    "",
    _row("项目", "财政拨款安排的“三公”经费", "", "", "", "", ""),
    _row("", "小计", "因公出国（境）费用", "公务用车购置及运行维护费", "", "", "公务接待费"),
    _row("", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""),
    _row("栏次", "1", "2", "3", "4", "5", "6"),
    _row("预算数", "6.00", "", "5.00", "", "5.00", "1.00"),
    _row("决算数", "5.50", "", "5.00", "", "5.00", "0.50"),
    "",
])


def test_final_accounts_tables(tmp_path) -> None:
    d, checks = _doc(tmp_path, FINAL)
    assert d.kind == "final_accounts"
    assert d.tables_found == ["overview", "three_public"]
    overview = [(l.side, l.label, l.item, dict(l.amounts)) for l in d.overview_lines if l.table == "overview"]
    assert overview == [  # the 行次 columns are not amounts
        ("income", "一、一般公共预算财政拨款收入", "general_public_budget_income", {"total": D("90.00")}),
        ("expenditure", "一、一般公共服务支出", None, {"total": D("100.00")}),
        ("income", "二、其他收入", "other_income", {"total": D("10.00")}),
        ("income", "本年收入合计", "current_year_income", {"total": D("100.00")}),
        ("expenditure", "本年支出合计", "current_year_expenditure", {"total": D("100.00")}),
    ]
    tp = [(l.item, dict(l.amounts)) for l in d.overview_lines if l.table == "three_public"]
    assert tp == [  # 决算数 is the stated amount ("total"), 预算数 kept beside it
        ("total", {"budget": D("6.00"), "total": D("5.50")}), ("overseas", {}),
        ("vehicles", {"budget": D("5.00"), "total": D("5.00")}), ("vehicle_purchase", {}),
        ("vehicle_operation", {"budget": D("5.00"), "total": D("5.00")}),
        ("reception", {"budget": D("1.00"), "total": D("0.50")}),
    ]
    assert all(c.status == "pass" for c in checks), [c for c in checks if c.status != "pass"]


ROW_PROJECTS = "\n".join([
    "2026年项目支出绩效目标表",
    "",
    "部门名称：某市某局",
    "",
    "单位：万元",
    "",
    _row("单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标", "", "", "", ""),
    _row("", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "度量单位"),
    _row("合计", "", "300.00", "", "", "", "", "", ""),
    _row("106001", "某市某局", "300.00", "", "", "", "", "", ""),
    _row("106001", "执法办案经费", "200.00", "保障执法办案", "产出指标", "数量指标", "办案数量", "100", "件"),
    _row("", "", "", "", "", "质量指标", "结案率", "95", "%"),
    _row("106001", "信息化运维", "100.00", "系统稳定运行", "效益指标", "社会效益指标", "系统可用率", "99", "%"),
    "",
])


def test_row_per_project_performance_table(tmp_path) -> None:
    d, _ = _doc(tmp_path, ROW_PROJECTS)
    got = [(p.name, p.unit_code, p.unit_name, p.budget, p.goal,
            [(i.level1, i.level2, i.level3, i.target_raw) for i in p.indicators]) for p in d.projects]
    assert got == [
        ("执法办案经费", "106001", "某市某局", D("200.00"), "保障执法办案",
         [("产出指标", "数量指标", "办案数量", "100 件"), ("产出指标", "质量指标", "结案率", "95 %")]),
        ("信息化运维", "106001", "某市某局", D("100.00"), "系统稳定运行",
         [("效益指标", "社会效益指标", "系统可用率", "99 %")]),
    ]


# ---- currency unit: the one most tables print (Shanghai: 元, but the 三公 table in 万元) ----


def test_tables_in_yuan_with_three_public_in_wan(tmp_path) -> None:
    """上海市级单位预算: every standard table prints 单位：元 except the 三公 table (单位:万元).
    The document's unit is 元; the 三公 table keeps its own."""
    d, _ = _doc(tmp_path, NO_SEQ.replace("单位：万元", "单位：元") + "\n" + THREE_PUBLIC_ACROSS.replace("单位：", "单位:"))
    assert d.tables_found == ["gpb_expenditure", "expenditure", "three_public"]
    assert d.currency_unit == "元"
    assert d.table_units == {"gpb_expenditure": "元", "expenditure": "元", "three_public": "万元"}
    assert d.figure("three_public_total") == D("308.00")


def test_as_many_tables_in_each_unit_state_no_document_unit(tmp_path) -> None:
    d, _ = _doc(tmp_path, BUDGET_YUAN + "\n" + THREE_PUBLIC_ACROSS)
    assert d.currency_unit is None
    assert d.table_units == {"income": "元", "three_public": "万元"}


# ---- 浙江 收支总表: the expenditure side as a hierarchy of names; 本年支出合计 printed first ----

_ZJ_FUNCTIONS = [("一般公共服务支出", "120.00"), ("政府办公厅（室）及相关机构事务", "120.00"), ("行政运行", "100.00"),
                 ("一般行政管理事务", "20.00"), ("公共安全支出", "180.00"), ("公安", "180.00"), ("行政运行", "180.00")]
ZHEJIANG_OVERVIEWS = "\n".join([
    "# 某市某局2026年度部门预算",
    "",
    "表1：2026年市级部门收支预算总表", "", "部门名称：某市某局单位：万元", "",
    _row("收入", "", "支出", ""),
    _row("项目", "预算数", "项目", "预算数"),
    _row("一、财政拨款", "300.00", *_ZJ_FUNCTIONS[0]),
    _row("一般公共预算", "300.00", *_ZJ_FUNCTIONS[1]),
    *[_row("", "", *f) for f in _ZJ_FUNCTIONS[2:]],
    _row("本年收入合计", "300.00", "本年支出合计", "300.00"),
    _row("上年结转结余", "", "年终结转结余", ""),
    _row("收入总计", "300.00", "支出总计", "300.00"),
    "",
    "表4：2026年市级部门财政拨款收支预算总表", "", "部门名称：某市某局单位：万元", "",
    _row("收入", "", "支出", ""),
    _row("项目", "预算数", "项目", "预算数"),
    _row("一、财政拨款", "300.00", "一、本年支出合计", "300.00"),
    _row("一般公共预算", "300.00", *_ZJ_FUNCTIONS[0]),
    *[_row("", "", *f) for f in _ZJ_FUNCTIONS[1:]],
    _row("", "", "二、年终结转结余", ""),
    _row("收入总计", "300.00", "支出总计", "300.00"),
    "",
])


def test_zhejiang_overview_sums_function_classes_only(tmp_path) -> None:
    """杭州/湖州 表1 prints 类, 款 and 项 names on the expenditure side (no codes, no
    numbering): 本年支出合计 is the sum of the 类 rows (120 + 180), not of every row. 表4
    prints "一、本年支出合计" above its rows: it adds up the rows below it."""
    d, checks = _doc(tmp_path, ZHEJIANG_OVERVIEWS)
    assert d.tables_found == ["overview", "fiscal_overview"]
    got = {c.name: (c.status, c.actual) for c in checks if c.name.endswith("current_year_expenditure")}
    assert got == {"overview.current_year_expenditure": ("pass", D("300.00")),
                   "fiscal_overview.current_year_expenditure": ("pass", D("300.00"))}


def test_a_side_listing_classes_only_is_summed_whole(tmp_path) -> None:
    """A side that names 类 rows only is summed whole, as before."""
    classes_only = "\n".join([
        "# 某市某局2026年度部门预算",
        "",
        "表1：2026年市级部门收支预算总表", "", "部门名称：某市某局单位：万元", "",
        _row("收入", "", "支出", ""),
        _row("项目", "预算数", "项目", "预算数"),
        _row("一、财政拨款", "300.00", "一般公共服务支出", "120.00"),
        _row("一般公共预算", "300.00", "公共安全支出", "180.00"),
        _row("本年收入合计", "300.00", "本年支出合计", "300.00"),
        _row("收入总计", "300.00", "支出总计", "300.00"),
        "",
    ])
    d, checks = _doc(tmp_path, classes_only)
    got = {c.name: (c.status, c.actual) for c in checks if c.name == "overview.current_year_expenditure"}
    assert got == {"overview.current_year_expenditure": ("pass", D("300.00"))}


# 深圳: tables listed by 预算单位, the unit's row standing for the 合计 the table does not
# print; 三公 items split by fund under 总计 with 2025年 / 2026年 / 增减变化金额 rows; the
# 项目支出总表 a project list.
SHENZHEN = "\n".join([
    "# 2026 年深圳市某局（本级）部门预算",
    "",
    "表 3",
    "",
    "支出总表",
    "",
    "部门名称：深圳市某局（本级）",
    "",
    "单位：万元",
    "",
    _row("预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "事业单位经营支出"),
    _row("深圳市某局（本级）", "", "", "300.00", "120.00", "180.00", "0.00"),
    _row("", "206", "科学技术支出", "300.00", "120.00", "180.00", "0.00"),
    _row("", "20601", "科学技术管理事务", "300.00", "120.00", "180.00", "0.00"),
    _row("", "2060101", "行政运行", "120.00", "120.00", "0.00", "0.00"),
    _row("", "2060199", "其他科学技术管理事务支出", "180.00", "0.00", "180.00", "0.00"),
    "",
    "表 5",
    "",
    "项目支出总表",
    "",
    "部门名称：深圳市某局（本级）",
    "",
    "单位：万元",
    "",
    _row("支出项目类别", "总计", "一般公共预算拨款", "政府性基金预算拨款"),
    _row("深圳市某局（本级）", "180.00", "180.00", "0.00"),
    _row("科技创新工作经费", "130.00", "130.00", "0.00"),
    _row("评审工作经费", "50.00", "50.00", "0.00"),
    "",
    "表 9",
    "",
    "财政拨款“三公”经费支出表",
    "",
    "部门名称：深圳市某局（本级）",
    "",
    "单位：万元",
    "",
    _row("预算单位", "年度", "总计", "", "", "因公出国(境)费", "", "", "公务接待费", "", ""),
    _row("", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", "一般公共预算", "政府性基金预算",
         "国有资本经营预算", "一般公共预算", "政府性基金预算", "国有资本经营预算"),
    _row("深圳市某局（本级）", "2025 年", "12.00", "0.00", "0.00", "7.00", "0.00", "0.00", "5.00", "0.00", "0.00"),
    _row("", "2026 年", "10.00", "0.00", "0.00", "7.00", "0.00", "0.00", "3.00", "0.00", "0.00"),
    _row("", "增减变化金额", "-2.00", "0.00", "0.00", "0.00", "0.00", "0.00", "-2.00", "0.00", "0.00"),
    "",
])


def test_shenzhen_unit_row_is_the_total_three_public_by_fund_and_project_list(tmp_path) -> None:
    d, _ = _doc(tmp_path, SHENZHEN)
    assert d.tables_found == ["expenditure", "three_public"]
    lines = _lines(d, "expenditure")
    assert lines[0] == (None, "深圳市某局（本级）", None, True,
                        {"total": D("300.00"), "basic": D("120.00"), "project": D("180.00"), "operating": D("0.00")})
    assert [l[0] for l in lines[1:]] == ["206", "20601", "2060101", "2060199"]
    assert (d.figure("basic_expenditure"), d.figure("project_expenditure")) == (D("120.00"), D("180.00"))
    # the budget year's row; each item printed by fund only, the other funds 0.00
    assert d.figure("three_public_total") == D("10.00")
    assert d.figure("three_public_reception") == D("3.00")
    # 项目支出总表 is a project list: the unit row is its subtotal, not a project
    assert [(p.name, p.budget, p.unit_name) for p in d.projects] == [
        ("科技创新工作经费", D("130.00"), "深圳市某局（本级）"), ("评审工作经费", D("50.00"), "深圳市某局（本级）")]


def test_several_unit_rows_state_no_total_and_two_funds_with_money_no_three_public_total(tmp_path) -> None:
    text = SHENZHEN.replace(
        _row("", "2060199", "其他科学技术管理事务支出", "180.00", "0.00", "180.00", "0.00"),
        _row("", "2060199", "其他科学技术管理事务支出", "180.00", "0.00", "180.00", "0.00") + "\n"
        + _row("深圳市某中心", "", "", "50.00", "50.00", "0.00", "0.00") + "\n"
        + _row("", "2060101", "行政运行", "50.00", "50.00", "0.00", "0.00"),
    ).replace(_row("", "2026 年", "10.00", "0.00", "0.00"), _row("", "2026 年", "10.00", "1.00", "0.00"))
    d, _ = _doc(tmp_path, text)
    assert not any(l.is_total for l in d.budget_lines if l.table == "expenditure")
    assert d.figure("basic_expenditure") is None
    assert d.figure("three_public_total") is None  # 10.00 + 1.00: no single printed amount
    assert d.figure("three_public_reception") == D("3.00")


# 广州: 表12 部门预算项目支出及其他支出预算表, unit rows then indented project rows with a
# 绩效目标 each; the title lines above it are 表12 / title / 单位名称 / 单位.
GUANGZHOU_LIST = "\n".join([
    "# 2026年广州市某局部门预算",
    "",
    "表12",
    "",
    "部门预算项目支出及其他支出预算表",
    "",
    "单位名称：广州市某局",
    "",
    "单位：万元",
    "",
    _row("支出项目类别（资金使用单位）", "总计", "财政拨款", "", "", "其他资金", "绩效目标"),
    _row("", "", "合计", "一般公共预算", "政府性基金预算", "", ""),
    _row("合计", "2,591.99", "2,591.99", "215.51", "2,376.48", "0.00", ""),
    _row("广州市某局", "2,591.99", "2,591.99", "215.51", "2,376.48", "0.00", ""),
    _row("　　车船运行维护费", "28.00", "28.00", "28.00", "0.00", "0.00", "确保船舶设施正常运转。"),
    _row("　　污水处理费征收工作经费", "2,376.48", "2,376.48", "0.00", "2,376.48", "0.00", "根据《水利统计管理办法》（水规计〔2014〕321号）代征。"),
    # a name wrapped at the dash of a year range: the reader joins the lines with a space
    _row("　　广州市某局2025- 2026年信息化运维项目", "187.51", "187.51", "187.51", "0.00", "0.00", "保障系统运行。"),
    "",
])


def test_guangzhou_project_list_reaches_the_project_parser(tmp_path) -> None:
    d, _ = _doc(tmp_path, GUANGZHOU_LIST)
    assert [(p.name, p.budget, p.fiscal_funds, p.unit_name, p.currency_unit) for p in d.projects] == [
        ("车船运行维护费", D("28.00"), D("28.00"), "广州市某局", "万元"),
        ("污水处理费征收工作经费", D("2376.48"), D("2376.48"), "广州市某局", "万元"),
        ("广州市某局2025-2026年信息化运维项目", D("187.51"), D("187.51"), "广州市某局", "万元")]
    assert [(r.canonical, r.project_name) for r in d.doc_refs] == [("水规计〔2014〕321号", "污水处理费征收工作经费")]


# 西安 一般公共预算支出明细表（按经济分类科目）: each 部门经济科目 is printed once per 政府经济科目
# beside it, so a code stands on two rows with different amounts; 301 is the sum of all of them.
XIAN_ECONOMIC = "\n".join([
    "# 西安市某局2026年部门预算",
    "",
    "表6",
    "",
    "部门综合预算一般公共预算支出明细表（按支出经济分类科目）",
    "",
    "单位：元",
    "",
    _row("部门经济科目编码", "部门经济科目名称", "政府经济科目编码", "政府经济科目名称", "合计", "人员经费支出",
         "公用经费支出", "专项业务经费支出"),
    _row("合计", "", "", "", "1,000.00", "700.00", "100.00", "200.00"),
    _row("301", "工资福利支出", "", "", "700.00", "700.00", "", ""),
    _row("30101", "基本工资", "50101", "工资奖金津补贴", "400.00", "400.00", "", ""),
    _row("30101", "基本工资", "50501", "工资福利支出", "100.00", "100.00", "", ""),
    _row("30102", "津贴补贴", "50101", "工资奖金津补贴", "150.00", "150.00", "", ""),
    _row("30102", "津贴补贴", "50501", "工资福利支出", "50.00", "50.00", "", ""),
    _row("302", "商品和服务支出", "", "", "300.00", "", "100.00", "200.00"),
    _row("30201", "办公费", "50201", "办公经费", "120.00", "", "60.00", "60.00"),
    _row("30201", "办公费", "50502", "商品和服务支出", "180.00", "", "40.00", "140.00"),
    "",
])


def test_an_economic_code_listed_once_per_government_code_adds_up_with_all_its_rows(tmp_path) -> None:
    d, checks = _doc(tmp_path, XIAN_ECONOMIC)
    assert d.tables_found == ["gpb_economic"]
    # every printed row is kept: 30101 twice, each with its own amounts
    assert [(l.code, l.amounts.get("total")) for l in d.budget_lines if l.code and l.code.startswith("301")] == [
        ("301", D("700.00")), ("30101", D("400.00")), ("30101", D("100.00")), ("30102", D("150.00")),
        ("30102", D("50.00"))]
    children = [c for c in checks if c.name == "gpb_economic.children"]
    assert children and all(c.status == "pass" for c in children), [c.subject for c in children if c.status != "pass"]
    assert {c.actual for c in children if c.subject.startswith(("一般公共预算支出表（按经济分类科目）: 301",))} == {D("700.00")}
    assert all(c.status == "pass" for c in checks), [(c.subject, c.expected, c.actual) for c in checks if c.status != "pass"]


# 西安 收支总表: no 序号 column; the label columns are 项目 and 支出功能分类科目（按大类）, then two
# panels by economic classification; income rows nested 一、 > 1、 > (1); amounts in 元. The
# prose states the totals in 万元.
XIAN_OVERVIEW = "\n".join([
    "# 西安市某局2026年部门预算",
    "",
    "五、收支预算总体情况说明",
    "",
    "本部门当年预算收入30.00万元，其中：一般公共预算拨款30.00万元。",
    "",
    "表1",
    "",
    "部门综合预算收支总表",
    "",
    "单位：元",
    "",
    _row("收入", "", "支出", "", "", ""),
    _row("项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）", "预算数"),
    _row("一、部门预算", "300,000.00", "一、部门预算", "300,000.00", "一、部门预算", "300,000.00"),
    _row("1、财政拨款", "300,000.00", "1、一般公共服务支出", "200,000.00", "1、人员经费和公用经费支出", "100,000.00"),
    _row("(1)一般公共预算拨款", "300,000.00", "2、外交支出", "", "(1)工资福利支出", "100,000.00"),
    _row("其中：专项资金列入部门预算的项目", "50,000.00", "3、教育支出", "100,000.00", "2、专项业务经费支出", "200,000.00"),
    _row("2、上级补助收入", "", "", "", "", ""),
    _row("本年收入合计", "300,000.00", "本年支出合计", "300,000.00", "本年支出合计", "300,000.00"),
    _row("上年结转", "", "结转下年", "", "结转下年", ""),
    _row("收入总计", "300,000.00", "支出总计", "300,000.00", "支出总计", "300,000.00"),
    "",
])

# 深圳 收支总表: income rows numbered 一、 over 1. (a parent followed by its children), the
# function classes numbered over their unnumbered 款/项 rows, carry-over as 上年结余、结转.
SHENZHEN_OVERVIEW = "\n".join([
    "# 2026 年深圳市某局部门预算",
    "",
    "表 1",
    "",
    "收支总表",
    "",
    "单位：万元",
    "",
    _row("收入", "", "支出", ""),
    _row("项目", "2026 年预算数", "项目", "2026 年预算数"),
    _row("一、财政拨款", "400.00", "一、教育支出", "50.00"),
    _row("1.一般公共预算拨款", "100.00", "进修及培训", "50.00"),
    _row("2.政府性基金预算拨款", "0.00", "二、资源勘探工业信息等支出", "360.00"),
    _row("3.国有资本经营预算拨款", "300.00", "国有资产监管", "360.00"),
    _row("二、财政专户管理资金", "0.00", "", ""),
    _row("三、单位资金", "0.00", "", ""),
    _row("1.事业收入", "0.00", "", ""),
    _row("本年收入合计", "400.00", "本年支出合计", "410.00"),
    _row("上年结余、结转", "10.00", "结转下年", "0.00"),
    _row("1.财政拨款结余、结转", "10.00", "", ""),
    _row("收入总计", "410.00", "支出总计", "410.00"),
    "",
])


@pytest.mark.parametrize("text", [XIAN_OVERVIEW, SHENZHEN_OVERVIEW], ids=["xian", "shenzhen"])
def test_overview_sums_only_its_outermost_rows(tmp_path, text: str) -> None:
    d, checks = _doc(tmp_path, text)
    assert d.tables_found == ["overview"]
    got = {c.name: c.status for c in checks if c.name.startswith("overview.")}
    assert got == {"overview.balance": "pass", "overview.income_total": "pass",
                   "overview.current_year_income": "pass", "overview.current_year_expenditure": "pass"}
    assert not d.flags, [f.message for f in d.flags]
    assert all(c.status == "pass" for c in checks), [(c.subject, c.expected, c.actual) for c in checks
                                                     if c.status != "pass"]


def test_xian_overview_labels_are_read_without_a_sequence_column(tmp_path) -> None:
    d, checks = _doc(tmp_path, XIAN_OVERVIEW)
    income = {l.label: l.amounts.get("total") for l in d.overview_lines if l.side == "income"}
    assert income["一、部门预算"] == D("300000.00") and income["(1)一般公共预算拨款"] == D("300000.00")
    expenditure = {l.label: l.amounts.get("total") for l in d.overview_lines if l.side == "expenditure"}
    assert expenditure["3、教育支出"] == D("100000.00")
    # the table's 元 figures and the prose's 万元 figures are one figure each (预算收入, 一般公共预算拨款)
    got = sorted((c.subject, c.status, c.expected, c.actual) for c in checks if c.name == "prose.matches_table")
    assert got == [("general_public_budget_income: prose figure = table figure", "pass", D("30.00"), D("30.00")),
                   ("income_total: prose figure = table figure", "pass", D("30.00"), D("30.00"))]


def test_zhejiang_income_table_listed_by_unit_reads_its_total_column(tmp_path) -> None:
    """浙江 收入预算总表: 单位名称 | 总计 | 本年收入 (小计 | 一般公共预算 | …) | 上年结转结余, the rows
    合计 then the units. The labels are in the 单位名称 column: 总计 is the 合计 row's total
    (it was read as the row's name, and the total lost)."""
    text = "\n".join([
        "# 某市某局2026年部门预算", "", "表2：2026年市级部门收入预算总表", "", "部门名称：某市某局", "", "单位：万元", "",
        _row("单位名称", "总计", "本年收入", "", "", "", "上年结转结余"),
        _row("", "", "小计", "一般公共预算", "政府性基金预算", "其他收入", "小计"),
        _row("合计", "1,500.00", "1,400.00", "1,200.00", "150.00", "50.00", "100.00"),
        _row("某市某局", "1,000.00", "950.00", "900.00", "", "50.00", "50.00"),
        _row("某市某中心", "500.00", "450.00", "300.00", "150.00", "", "50.00"), ""])
    d, checks = _doc(tmp_path, text)
    assert _lines(d, "income") == [(None, "合计", None, True, {
        "total": D("1500.00"), "subtotal": D("1400.00"), "fiscal_general_public_budget": D("1200.00"),
        "fiscal_gov_fund": D("150.00"), "other": D("50.00"), "carryover": D("100.00")})]
    assert not [c for c in checks if c.status != "pass"]


# ---- 三公 tables laid out down (one row per item) that say which column is the year's ----

THREE_PUBLIC_DOWN_FINAL = "\n".join([
    "# 某县某局2024年度部门决算",
    "",
    "一般公共预算财政拨款“三公”经费支出决算表",
    "",
    "金额单位：万元",
    "",
    _row("项目", "预算数", "决算数"),
    _row("合计", "12.00", "9.50"),
    _row("1.因公出国（境）费", "0.00", "0.00"),
    _row("2.公务用车购置及运行维护费", "8.00", "7.00"),
    _row("3.公务接待费", "4.00", "2.50"),
    "",
])

THREE_PUBLIC_DOWN_YEARS = "\n".join([
    "# 某市某局2026年部门预算",
    "",
    "2026年一般公共预算“三公”经费支出预算表",
    "",
    "单位：万元",
    "",
    _row("项目", "2025年预算数", "2026年预算数"),
    _row("合计", "20.00", "16.00"),
    _row("1、因公出国（境）费用", "5.00", "3.00"),
    _row("2、公务接待费", "5.00", "4.00"),
    _row("3、公务用车购置及运行费", "10.00", "9.00"),
    "",
])


@pytest.mark.parametrize("text,total,parts", [
    (THREE_PUBLIC_DOWN_FINAL, "9.50", {"three_public_overseas": "0.00", "three_public_vehicles": "7.00",
                                       "three_public_reception": "2.50"}),
    (THREE_PUBLIC_DOWN_YEARS, "16.00", {"three_public_overseas": "3.00", "three_public_vehicles": "9.00",
                                        "three_public_reception": "4.00"}),
])
def test_three_public_down_the_years_or_the_actuals_column(tmp_path, text, total, parts) -> None:
    """A 三公 table with one row per item whose amount columns are 预算数 | 决算数 (a 决算: the
    决算数 is the year's figure) or two budget years (the later is the budget year's): never
    the first amount column."""
    d, checks = _doc(tmp_path, text)
    assert d.figure("three_public_total") == D(total)
    assert {k: d.figure(k) for k in parts} == {k: D(v) for k, v in parts.items()}
    assert all(c.status == "pass" for c in checks if c.name.startswith("three_public")), checks


@pytest.mark.parametrize("label,key", [
    # 重庆 部门收支总体情况表: fund sources printed as …资金
    ("一、一般公共预算资金", "general_public_budget_income"),
    ("二、政府性基金预算资金", "gov_fund_income"),
    ("五、事业收入资金", "business_income"),
    ("九、其他收入资金", "other_income"),
    # 长沙 部门收支总体情况表
    ("三、事业单位经营服务收入", "operating_income"),
    ("五、其它收入", "other_income"),
    # what is not one of them
    ("一、本级财政拨款收入", None),
    ("一、预算拨款", None),
    ("一般公共预算支出", None),
])
def test_overview_income_labels_of_other_templates(label: str, key: str | None) -> None:
    from converter.parsers.tables import OVERVIEW_INCOME_ITEMS, item_key

    assert item_key(label, OVERVIEW_INCOME_ITEMS) == key


# 云南 项目支出绩效目标表（本级下达）: one row per indicator, the unit's row first, each
# project's name and 项目年度目标 on its first indicator row; no amount column
YUNNAN_TARGETS = "\n".join([
    "云南省某某厅2025年部门预算",
    "",
    "项目支出绩效目标表（本级下达）",
    "",
    "单位名称：云南省某某厅",
    "",
    _row("单位名称、项目名称", "项目年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
         "指标属性", "指标内容"),
    _row("云南省某某厅", "", "", "", "", "", "", "", "", ""),
    _row("专项工作经费", "完成年度各项专项工作", "产出指标", "数量指标", "开展专项检查次数", ">=", "12", "次", "定量指标",
         "全年开展专项检查"),
    _row("", "", "", "质量指标", "检查覆盖率", ">=", "95", "%", "定量指标", "覆盖全省"),
    _row("", "", "满意度指标", "服务对象满意度指标", "群众满意度", ">=", "90", "%", "定量指标", "满意度调查"),
    _row("信息化运维经费", "保障系统稳定运行", "产出指标", "时效指标", "故障响应时间", "<=", "2", "小时", "定量指标", "及时响应"),
    "",
])


def test_yunnan_indicator_rows_without_amounts(tmp_path) -> None:
    d, _ = _doc(tmp_path, YUNNAN_TARGETS)
    got = [(p.name, p.budget, p.goal, [(i.level1, i.level2, i.level3, i.target_raw) for i in p.indicators])
           for p in d.projects]
    assert got == [
        ("专项工作经费", None, "完成年度各项专项工作",
         [("产出指标", "数量指标", "开展专项检查次数", ">= 12 次"), ("产出指标", "质量指标", "检查覆盖率", ">= 95 %"),
          ("满意度指标", "服务对象满意度指标", "群众满意度", ">= 90 %")]),
        ("信息化运维经费", None, "保障系统稳定运行", [("产出指标", "时效指标", "故障响应时间", "<= 2 小时")]),
    ]


def test_row_per_project_table_reads_every_list_amount_label(tmp_path) -> None:
    """A row-per-project target table reads the same amount labels as a project list
    (项目金额 was one only lists read)."""
    text = "\n".join([
        "某市某局2025年部门预算",
        "",
        "2025年项目支出绩效目标表",
        "",
        _row("项目名称", "项目金额（万元）", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"),
        _row("执法办案经费", "200.00", "保障执法办案", "产出指标", "数量指标", "办案数量", "≥100件"),
        _row("", "", "", "效益指标", "社会效益指标", "群众满意度", "≥90%"),
        "",
    ])
    d, _ = _doc(tmp_path, text)
    assert [(p.name, p.budget, p.goal, len(p.indicators)) for p in d.projects] == [
        ("执法办案经费", D("200.00"), "保障执法办案", 2)]


# 四川 部门预算项目绩效目标表（2025年度）: a labelled form per project, its amount split by
# label in the second column (年度资金总额 / 财政拨款 / 其他资金), the unit as 部门（单位）
SICHUAN_FORM = "\n".join([
    "四川省某某厅2025年部门预算",
    "",
    "表6",
    "",
    "部门预算项目绩效目标表（2025年度）",
    "",
    "单位：万元",
    "",
    _row("项目名称", "信息化运维经费", "", "", "", "", "", "", ""),
    _row("部门（单位）", "四川省某某厅", "", "", "", "", "", "", ""),
    _row("项目资金（万元）", "年度资金总额", "150.00", "", "", "", "", "", ""),
    _row("", "财政拨款", "150.00", "", "", "", "", "", ""),
    _row("", "其他资金", "", "", "", "", "", "", ""),
    _row("总体目标", "保障全省业务系统稳定运行。", "", "", "", "", "", "", ""),
    _row("绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重（%）", "指标方向性"),
    _row("", "产出指标", "数量指标", "运维系统数量", "≥", "5", "个", "20", "正向指标"),
    _row("", "", "质量指标", "系统可用率", "≥", "99", "%", "20", "正向指标"),
    _row("", "满意度指标", "服务对象满意度指标", "用户满意度", "≥", "90", "%", "10", "正向指标"),
    "",
])


def test_sichuan_project_form(tmp_path) -> None:
    d, _ = _doc(tmp_path, SICHUAN_FORM)
    (p,) = d.projects
    assert (p.name, p.budget, p.fiscal_funds, p.unit_name, p.goal) == (
        "信息化运维经费", D("150.00"), D("150.00"), "四川省某某厅", "保障全省业务系统稳定运行。")
    assert [(i.level1, i.level2, i.level3, i.target_raw) for i in p.indicators] == [
        ("产出指标", "数量指标", "运维系统数量", "≥5个"), ("产出指标", "质量指标", "系统可用率", "≥99%"),
        ("满意度指标", "服务对象满意度指标", "用户满意度", "≥90%")]


# 云南 部门项目支出预算表: a project over several rows, one per economic class
YUNNAN_LIST = "\n".join([
    "云南省某某厅2025年部门预算",
    "",
    "部门项目支出预算表",
    "",
    "单位名称：云南省某某厅  单位：万元",
    "",
    _row("项目分类", "项目单位", "项目代码", "项目名称", "经济科目编码", "经济科目名称", "本年拨款", "财政拨款", "其他资金"),
    _row("", "", "", "合计", "", "", "115.00", "115.00", ""),
    _row("专项业务类", "云南省某某厅", "53000021T000000000001", "专项工作经费", "30201", "办公费", "10.00", "10.00", ""),
    _row("专项业务类", "云南省某某厅", "53000021T000000000001", "专项工作经费", "30211", "差旅费", "5.00", "5.00", ""),
    _row("专项业务类", "云南省某某厅", "53000021T000000000002", "信息化运维经费", "30213", "维修（护）费", "100.00", "100.00",
         ""),
    "",
])


def test_a_project_listed_by_economic_class_is_one_project_of_its_rows_sum(tmp_path) -> None:
    d, _ = _doc(tmp_path, YUNNAN_LIST)
    got = [(p.name, p.code, p.budget, p.fiscal_funds, p.unit_name) for p in d.projects]
    assert got == [("专项工作经费", "53000021T000000000001", D("15.00"), D("15.00"), "云南省某某厅"),
                   ("信息化运维经费", "53000021T000000000002", D("100.00"), D("100.00"), "云南省某某厅")]


@pytest.mark.parametrize("line, unit", [("单位：万元", "万元"), ("金额单位:元", "元"), ("单位（万元）", "万元"),
                                        ("（单位：人民币元）", "元"), ("编制单位：某局 单位：万元", "万元")])
def test_a_tables_unit_line_forms(tmp_path, line: str, unit: str) -> None:
    text = "\n".join(["某市某局2025年部门预算", "", "部门收支总表", "", line, "",
                      _row("收入", "", "支出", ""), _row("项目", "预算数", "项目", "预算数"),
                      _row("一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00"),
                      _row("收入总计", "100.00", "支出总计", "100.00"), ""])
    d, _ = _doc(tmp_path, text)
    assert d.currency_unit == unit and d.figure("income_total") == D("100.00")


def test_kangxi_radicals_and_compatibility_ideographs_read_as_ordinary_characters(tmp_path) -> None:
    """Some PDF producers print ⼀ (U+2F00), ⽀ (U+2F40), ⽣ … for 一, 支, 生 (a real instance:
    广州市生态环境局's goal texts, tests/test_pdf_real.py): titles, names and labels so
    printed read as the ordinary characters; full-width punctuation stays as printed."""
    text = "\n".join(["某市⽣态环境局2025年部门预算", "", "⼀般公共预算⽀出表", "", "单位：万元", "",
                      _row("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
                      _row("", "合计", "10.00", "10.00", ""),
                      _row("211", "节能环保⽀出", "10.00", "10.00", ""), ""])
    d, _ = _doc(tmp_path, text)
    assert d.department_name == "某市生态环境局"
    assert [(l.code, l.name) for l in d.budget_lines if l.table == "gpb_expenditure"] == [
        (None, "合计"), ("211", "节能环保支出")]
