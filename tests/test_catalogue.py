"""The table catalogue: every kind declared once and read everywhere (the shapes are pinned
to it); titles in their regional forms (numbered, split over two lines, followed by a
部门：/单位：/预算单位：/编制单位 line, under a running header) and headers whose title is
lost classify right; a new template is one entry; a bad table is quarantined and the rest
of the document loads."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from converter.mapping.vocab import OPERATION
from converter.parsers import catalogue as cat
from converter.parsers.classify import classify
from converter.parsers.tables import CODED_COLUMNS, ROW_IDENTITIES, SCHEME
from converter.pipeline import extract
from converter.readers.ir import Heading, Paragraph, Row, Table
from converter.records.model import TABLE_TITLES

ROOT = Path(__file__).resolve().parents[1]
T = "\t"


def _row(*cells: str) -> str:
    return T.join(cells)


# ---- declared once -----------------------------------------------------------------------

def _shape_lists() -> tuple[list[str], list[list[str]], list[str]]:
    text = (ROOT / "shapes" / "arithmetic.ttl").read_text(encoding="utf-8")
    shape = text[text.index("bls:RowIdentityShape"):text.index("bls:IncomeEqualsExpenditureShape")]
    # each list is one anchored alternation, REGEX(CONCAT(...), "^(?:a[|]b|c[|]d)$"): the keys it matches
    keys = lambda body: body.replace("[|]", "\0").split("|")  # noqa: E731
    alternation = lambda args: r'REGEX\(CONCAT\(\?tk, "\|", ' + args + r'\), "\^\(\?:([^"]*)\)\$"\)'  # noqa: E731
    unescape = lambda ks: [k.replace("\0", "|") for k in ks]  # noqa: E731
    lhs = unescape(keys(re.search(alternation(r'\?lhs'), shape).group(1)))
    rhs = [unescape(keys(b)) for b in re.findall(alternation(r'\?lhs, "\|", \?(?:pk|rhs)'), shape)]
    wholes = unescape(keys(re.search(alternation(r'\?rhs, "\|", \?wk'), shape).group(1)))
    return lhs, rhs, wholes


def test_row_identity_shape_is_the_catalogues() -> None:
    lhs, rhs_lists, wholes = _shape_lists()
    # plain keys only: then the anchored alternation matches exactly the listed strings (an IN list)
    assert all(re.fullmatch(r"[a-z_]+(?:\|[a-z_]+)+", k) for k in lhs + wholes + sum(rhs_lists, []))
    pairs = cat.identity_pairs()
    parts = cat.part_pairs()
    assert sorted(lhs) == sorted({f"{t}|{l}" for t, l, _ in pairs})
    direct = sorted(f"{t}|{l}|{r}" for t, l, r in pairs)
    by_part = sorted(f"{t}|{l}|{p}" for t, l, p, _ in parts)
    # the guard (a part stated in the table) and the sum, each over the direct and the part columns
    assert [sorted(r) for r in rhs_lists] == [direct, by_part, direct, by_part]
    assert sorted(wholes) == sorted({f"{t}|{p}|{w}" for t, _, p, w in parts})


def test_a_whole_the_table_does_not_print_is_the_sum_of_its_parts() -> None:
    present = {"subtotal", "fiscal_general_public_budget", "business"}
    assert cat.expand("income", ("fiscal", "business"), present) == [
        "fiscal_general_public_budget", "fiscal_gov_fund", "fiscal_soe_capital", "business"]
    assert cat.expand("income", ("fiscal", "business"), present | {"fiscal"}) == ["fiscal", "business"]


def test_parsers_reconcile_and_mapping_read_the_catalogue() -> None:
    coded = [k.key for k in cat.CATALOGUE if k.record == "budget_lines"]
    assert list(CODED_COLUMNS) == coded
    for key in coded:
        kind = cat.KINDS[key]
        assert CODED_COLUMNS[key] == list(kind.columns)
        assert ROW_IDENTITIES[key] == [(lhs, list(rhs)) for lhs, rhs in kind.identities]
        assert SCHEME[key] == kind.scheme
        for lhs, rhs in kind.identities:  # identities name only the table's own columns
            assert {lhs, *rhs} <= {c for c, _ in kind.columns}
    assert TABLE_TITLES == {k.key: k.title for k in cat.CATALOGUE}
    assert OPERATION == {k.key: k.operation for k in cat.CATALOGUE if k.operation}
    assert len({k.key for k in cat.CATALOGUE}) == len(cat.CATALOGUE)


@pytest.mark.parametrize("kind", [k for k in cat.CATALOGUE if k.titles], ids=lambda k: k.key)
def test_every_entry_recognises_its_own_title(kind) -> None:
    assert cat.title_kind(kind.title) == kind.key


# ---- titles in their regional forms (each printed so in a real 2025/2026 disclosure) ------

TITLES = [
    ("表1：2026年市级部门收支预算总表", "overview"),
    ("表2：2026年市级部门收入预算总表", "income"),
    ("表3：2026年市级部门支出预算总表", "expenditure"),
    ("公开01表收支总表", "overview"),
    ("收入总表", "income"),
    ("财政拨款支出表（功能科目）", "fiscal_expenditure"),
    ("财政拨款基本支出表（经济科目）", "fiscal_basic"),
    ("一般公共预算“三公”经费、会议费、培训费支出表", "three_public"),
    ("政府采购支出表", "procurement"),
    ("2026年部门收支总体情况表", "overview"),
    ("本年支出总体情况表", "expenditure"),
    ("一般公共预算支出情况表（按功能分类科目）", "gpb_expenditure"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "basic"),
    ("一般公共预算项目支出情况表（按经济分类科目）", "project_economic"),
    ("一般公共预算支出表（按经济分类）", "gpb_economic"),
    ("表5 2022年部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "gpb_expenditure"),
    ("表6 2022年部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "gpb_economic"),
    ("表7 2022年部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "basic_function"),
    ("8．部门一般公共预算基本支出部门预算经济分类预算表", "basic"),
    ("预算单位财务收支预算总表", "overview"),
    ("收入支出决算总表", "overview"),
    ("财政拨款收入支出决算总表", "fiscal_overview"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
    ("基本支出预算情况表", "basic_all_funds"),
    ("基本支出总表", "basic_all_funds"),
    ("部门预算基本支出预算表", "basic_all_funds"),
    ("财政拨款安排的行政经费及“三公”经费预算表", "three_public"),
    ("部门预算项目支出及其他支出预算表", "project_list"),
    ("市级部门项目支出预算表", "project_list"),
    ("部门项目支出预算明细表", "project_list"),
    ("部门预算财政拨款收支情况表", "fiscal_overview"),
    ("财政拨款支出情况表", "fiscal_expenditure"),
    # a continuation mark, a year or a part number after the title
    ("项目支出绩效目标表（2025年度）", "project"),
    ("2025年项目支出绩效目标表（一）", "project"),
    ("项目支出预算表（续表）", "project_list"),
    ("一般公共预算支出表（按功能分类科目）（续）", "gpb_expenditure"),
    # whose funds a project table lists, and the 申报 (submitted) form of the target table
    ("项目支出绩效目标表（本级下达）", "project"),
    ("2026年项目支出绩效目标表（对下转移支付）", "project"),
    ("项目支出绩效目标申报表", "project"),
    ("部门基本支出预算明细表", "basic_all_funds"),
    # the table's currency unit printed on its title's line
    ("2026年项目支出预算表 单位：万元", "project_list"),
    ("部门收支总表（单位：元）", "overview"),
    # 安徽 unit budgets print the unit's name and the year before each title
    ("某县某镇财政所2026年收入总表", "income"),
    ("某县某镇财政所2026年支出总表", "expenditure"),
    ("某县某镇财政所2026年基本支出总表", "basic_all_funds"),
    ("某区综合行政执法局（某区城市管理局）2026年收入总表", "income"),
    # 广西: the general budget's 支出总表, the project target table 公开表
    ("六、一般公共预算支出总表", "gpb_expenditure"),
    ("2026年度预算项目绩效目标公开表", "project"),
    ("表十一：自治区对下转移支付项目绩效目标公开表", "project"),
    # 云南 决算 titles without 总, titles in 《》 (江西, 天津), 广西's tail and 财政预算拨款
    ("收入支出决算表", "overview"),
    ("财政拨款收入支出决算表", "fiscal_overview"),
    ("一般公共预算财政拨款收入支出决算表", None),  # the general budget's, by function: not read as the fiscal overview
    ("《项目支出绩效目标表》", "project"),
    ("《收入决算表（按功能分类列示）》", "income"),
    ("自治区本级项目绩效目标公开表（预算公开10表）", "project"),
    ("财政预算拨款收支总体情况表", "fiscal_overview"),
    ("财政拨款收支预算表", "fiscal_overview"),
    # the prose about a table is no table
    ("1.关于2026年收支总表的说明", None),
    ("关于部门收入总表的说明", None),
    # not standard tables, never taken for one
    ("一般公共预算机关运行经费支出预算表", None),
    ("项目支出绩效目标表", "project"),
    ("部门整体支出绩效目标表", None),
]


@pytest.mark.parametrize("title,kind", TITLES)
def test_regional_title_forms(title: str, kind: str | None) -> None:
    assert cat.title_kind(re.sub(r"\s+", "", title)) == kind


def _table(*rows: list[str]) -> Table:
    return Table(rows=[Row(cells=list(r)) for r in rows])


GPB_GRID = _table(["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                  ["", "合计", "30.00", "20.00", "10.00"], ["201", "一般公共服务支出", "30.00", "20.00", "10.00"])


@pytest.mark.parametrize("before,kind", [
    # a 部门/单位/预算单位/编制单位 line and a unit line between the title and the grid
    ([Heading("一般公共预算支出表", 2), Paragraph("部门：苏州市某局"), Paragraph("单位：万元")], "gpb_expenditure"),
    ([Paragraph("公开 07 表"), Heading("一般公共预算支出表", 2), Paragraph("预算单位：上海市某中心")], "gpb_expenditure"),
    ([Heading("一般公共预算支出表", 2), Paragraph("编制单位：某局"), Paragraph("金额单位：元")], "gpb_expenditure"),
    # a title split over two lines, in either order, and a year on a line of its own
    ([Heading("2022年部门综合预算一般公共预算支出明细表", 2), Paragraph("（按支出经济分类科目）")], "gpb_economic"),
    ([Heading("年部门收支总体情况表", 2), Heading("2026", 2)], "overview"),
    # the compiling unit and the currency unit printed as a one-row table of their own
    ([Heading("年一般公共预算支出情况表", 2), Heading("2026", 2),
      _table(["单位名称重庆市某委员会:", "单位万元:"])], "gpb_expenditure"),
    # … with the unit's name in a cell of its own after its label
    ([Heading("年一般公共预算支出情况表", 2), Heading("2026", 2),
      _table(["单位名称:", "重庆市某委员会", "单位万元:"])], "gpb_expenditure"),
    ([Heading("一般公共预算支出表", 2), _table(["部门：", "某市某局", "单位：万元"])], "gpb_expenditure"),
])
def test_title_found_through_label_lines(before, kind) -> None:
    blocks = [Paragraph("2026年某局部门预算"), *before, GPB_GRID]
    assert classify(blocks, len(blocks) - 1) == kind


def test_a_label_value_strip_is_title_furniture_but_a_labelled_amount_is_not() -> None:
    title = Heading("一般公共预算支出表", 2)
    assert classify([title, _table(["单位名称:", "重庆市某委员会", "单位万元:"])], 1) == "toc"
    assert classify([title, _table(["单位名称:", "30.00", "单位万元:"])], 1) != "toc"
    assert classify([title, _table(["重庆市某委员会", "单位名称:", "单位万元:"])], 1) != "toc"


@pytest.mark.parametrize("header,kind", [
    ([["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]], "overview"),
    ([["收入", "", "支出", "", "", ""], ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"]],
     "fiscal_overview"),
    ([["科目", "", "总计", "一般公共预算拨款收入", "事业收入", "上级补助收入", "其他收入"]], "income"),
    ([["科目编码", "科目名称", "合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出"]], "expenditure"),
    ([["经济分类科目", "", "基本支出", ""], ["科目编码", "科目名称", "人员经费", "公用经费"]], "basic"),
    ([["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]], "three_public"),
    ([["科目编码", "科目名称", "一般公共预算支出", "基本支出", "项目支出"]], "gpb_expenditure"),
    ([["科目编码", "科目名称", "总计", "基本支出", "项目支出"]], None),  # ambiguous: not guessed
])
def test_title_lost_header_roles_classify(header, kind) -> None:
    blocks = [Paragraph("其他说明文字，本段不是标题。"), _table(*header, ["", "合计", "1.00", "1.00", "0.00"])]
    assert classify(blocks, 1) == kind


def test_titled_table_of_unknown_kind_is_not_guessed_from_header() -> None:
    blocks = [Heading("部门预算专项资金分配表", 2),
              _table(["科目编码", "科目名称", "合计", "基本支出", "项目支出", "上缴上级支出"])]
    assert classify(blocks, 1) is None


def test_header_roles() -> None:
    assert cat.roles_of({"本年一般公共预算基本支出", "人员经费", "公用经费"}) >= {"gpb", "basic", "personnel", "public",
                                                                                 "current_year"}


# ---- end to end: a Jiangsu-style table section (公开NN表 / title / 部门： / 单位：) ------------

JIANGSU = "\n".join([
    "# 2026年度某市某局部门预算公开",
    "",
    "公开 05 表", "", "财政拨款支出表（功能科目）", "", "部门：某市某局", "", "单位：万元", "",
    _row("科目编码", "科目名称", "合计", "基本支出", "", "", "项目支出"),
    _row("", "", "", "小计", "人员经费", "公用经费", ""),
    _row("合计", "", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("201", "一般公共服务支出", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("20103", "政府办公厅（室）及相关机构事务", "300.00", "200.00", "150.00", "50.00", "100.00"),
    _row("2010301", "行政运行", "200.00", "200.00", "150.00", "50.00", ""),
    _row("2010302", "一般行政管理事务", "100.00", "", "", "", "100.00"),
    "",
    "公开 09 表", "", "一般公共预算“三公”经费、会议费、培训费支出表", "", "部门：某市某局", "", "单位：万元", "",
    _row("“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "会议费", "培训费"),
    _row("", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""),
    _row("6.40", "0.00", "2.80", "0.00", "2.80", "3.60", "2.80", "10.00"),
    "",
])


def test_jiangsu_numbered_tables(tmp_path) -> None:
    path = tmp_path / "js.txt"
    path.write_text(JIANGSU, encoding="utf-8")
    r = extract(path)
    d = r.disclosure
    assert d.tables_found == ["fiscal_expenditure", "three_public"]
    assert d.currency_unit == "万元"
    line = next(l for l in d.budget_lines if l.code == "2010301")
    assert (line.table, line.scheme, line.amounts) == (
        "fiscal_expenditure", "function",
        {"total": D("200.00"), "basic": D("200.00"), "personnel": D("150.00"), "public": D("50.00")})
    # the 三公 total as printed: 会议费 and 培训费 are not parts of it
    assert d.figure("three_public_total") == D("6.40")
    assert d.figure("three_public_reception") == D("3.60")
    assert all(c.status == "pass" for c in r.checks)


# ---- three_public: current-year columns; the 三公 subtotal where 合计 covers 会议费/培训费 ------

XIAN_THREE = "\n".join([
    "# 2026年某市某局部门预算",
    "",
    "表13", "", "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "", "单位：元", "",
    _row("单位编码", "单位名称", "上年", "", "", "", "", "", "", "", "", "当年", "", "", "", "", "", "", "", ""),
    _row("", "", "合计", "一般公共预算拨款安排的“三公”经费预算", "", "", "", "", "", "会议费", "培训费",
         "合计", "一般公共预算拨款安排的“三公”经费预算", "", "", "", "", "", "会议费", "培训费"),
    _row("", "", "", "小计", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", "", "", "",
         "", "小计", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", "", "", ""),
    _row("", "", "", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "",
         "", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", ""),
    _row("合计", "", "2,480,000.00", "265,000.00", "", "90,000.00", "175,000.00", "", "175,000.00", "506,800.00",
         "1,708,200.00", "2,083,436.00", "219,000.00", "", "80,000.00", "139,000.00", "", "139,000.00",
         "461,836.00", "1,402,600.00"),
    "",
])


def test_three_public_current_year_and_subtotal(tmp_path) -> None:
    path = tmp_path / "xa.txt"
    path.write_text(XIAN_THREE, encoding="utf-8")
    d = extract(path).disclosure
    assert d.currency_unit == "元"
    assert d.figure("three_public_total") == D("219000.00")  # not 上年, not the 合计 with 培训费
    assert d.figure("three_public_reception") == D("80000.00")
    assert d.figure("three_public_vehicles") == D("139000.00")


# ---- overview: 收入合计 / 支出合计 as the totals; numbered rows add up -----------------------

FUJIAN_OVERVIEW = "\n".join([
    "# 2026年度某市某局部门预算",
    "",
    "一、收支预算总表", "", "单位：万元", "",
    _row("收入", "", "支出", ""),
    _row("项目", "预算数", "项目", "预算数"),
    _row("一、财政拨款收入", "100.00", "一、一般公共服务支出", "120.00"),
    _row("一般公共预算收入", "90.00", "二、教育支出", "10.00"),
    _row("国有资本经营预算收入", "10.00", "", ""),
    _row("二、事业收入", "30.00", "", ""),
    _row("收入合计", "130.00", "支出合计", "130.00"),
    "",
])


def test_income_total_printed_as_shouju_heji(tmp_path) -> None:
    path = tmp_path / "fj.txt"
    path.write_text(FUJIAN_OVERVIEW, encoding="utf-8")
    r = extract(path)
    d = r.disclosure
    assert d.figure("income_total") == D("130.00")
    assert d.figure("expenditure_total") == D("130.00")
    assert {c.name: c.status for c in r.checks} == {"overview.balance": "pass"}


# ---- quarantine: one bad table never costs the document its good ones ---------------------

GOOD_AND_BAD = "\n".join([
    "# 2026年某市应急管理局部门预算",
    "",
    "一般公共预算支出表", "", "单位：万元", "",
    _row("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
    _row("", "合计", "30.00", "20.00", "10.00"),
    _row("201", "一般公共服务支出", "30.00", "20.00", "10.00"),
    _row("20103", "政府办公厅（室）及相关机构事务", "30.00", "20.00", "10.00"),
    "",
    "一般公共预算基本支出表", "", "单位：万元", "",
    _row("科目编码", "科目名称", "合计", "人员经费", "公用经费"),
    _row("", "合计", "20.00", "15.00", "5.00"),
    _row("301", "工资福利支出", "20.00", "5.00", "40.00"),  # cells out of their columns
    _row("30101", "基本工资", "7.00", "15.00", "1.00"),
    _row("30102", "津贴补贴", "3.00", "9.00", "9.00"),
    "",
])


def test_bad_table_quarantined_rest_loads(tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    d = extract(path).disclosure
    assert {l.table for l in d.budget_lines} == {"gpb_expenditure"}
    flags = [f for f in d.flags if f.kind == "quarantined-table"]
    assert len(flags) == 1 and "一般公共预算基本支出表" in flags[0].message
    assert "identities broken beyond rounding" in flags[0].message
    # the document loads (the good table is in the store); --strict rejects it, naming the table
    store = tmp_path / "store"
    run = lambda *a: subprocess.run([sys.executable, "-m", "converter.cli", "load", str(path), "--store", str(store),  # noqa: E731
                                     "--no-vocabulary", *a], capture_output=True, text=True, cwd=ROOT)
    strict = run("--strict")
    assert strict.returncode == 1 and "quarantined" in strict.stderr
    ok = run()
    assert ok.returncode == 0, ok.stderr
    assert "1 loaded" in ok.stdout


# ---- the shape agrees with the reconciliation, in our engine and in pyshacl ----------------

JIANGSU_INCOME = "\n".join([
    "# 苏州市某某局2026年度部门预算公开",
    "",
    "公开 02 表", "", "收入总表", "", "部门：苏州市某某局", "", "单位：万元", "",
    _row("科目编码", "科目名称", "合计", "本年收入", "", "", "上年结转结余"),
    _row("", "", "", "小计", "一般公共预算", "事业收入", "小计"),
    _row("合计", "", "130.00", "130.00", "100.00", "30.00", ""),
    _row("201", "一般公共服务支出", "130.00", "130.00", "100.00", "30.00", ""),
    _row("20103", "政府办公厅（室）及相关机构事务", "130.00", "130.00", "100.00", "30.00", ""),
    _row("2010301", "行政运行", "90.00", "90.00", "60.00", "30.00", ""),
    _row("2010302", "一般行政管理事务", "40.00", "40.00", "30.00", "", ""),  # 30 ≠ 40: the source's fault
    "",
])


def test_income_subtotal_is_the_sum_of_the_fiscal_split(tmp_path) -> None:
    """No 财政拨款 column: 本年收入 小计 = 一般公共预算 + 事业收入; the reconciliation, our
    SHACL-SPARQL engine and pyshacl all report exactly the broken row."""
    import pyoxigraph as ox
    import rdflib
    from pyshacl import validate

    from converter.pipeline import convert_document
    from converter.reconcile import reconcile
    from converter.validation.engine import shapes_graph
    from converter.validation.sparql import constraints_of, evaluate

    path = tmp_path / "income.txt"
    path.write_text(JIANGSU_INCOME, encoding="utf-8")
    d = extract(path).disclosure
    failed = [c.subject for c in reconcile(d) if c.status != "pass" and c.name == "income.row"]
    assert failed == ["部门预算收入总表: 2010302 subtotal = fiscal_general_public_budget + fiscal_gov_fund + "
                      "fiscal_soe_capital + special_account + business + operating + superior + subordinate + other"]

    full = shapes_graph("document")
    shape = rdflib.URIRef("https://w3id.org/budget-lod/shapes#RowIdentityShape")
    shapes = rdflib.Graph()
    todo, seen = [shape, rdflib.URIRef("https://w3id.org/budget-lod/shapes#prefixes")], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in full.triples((node, None, None)):
            shapes.add(t)
            if isinstance(t[2], rdflib.BNode) or (isinstance(t[2], rdflib.URIRef) and "shapes#" in str(t[2])
                                                  and t[1] != rdflib.RDF.type):
                todo.append(t[2])
    data = rdflib.Dataset()
    data.parse(data=convert_document(path).nquads, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        g.add((s, p, o))
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    _, report, _ = validate(g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    theirs = {str(report.value(r, SH.focusNode)) for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}
    store = ox.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ours = {h.focus for h in evaluate(store, constraints_of(shapes))}
    assert ours == theirs and len(ours) == 1, (ours, theirs)
    assert next(iter(ours)).endswith("/table/income/row/i4")  # the 2010302 row


FINAL = "\n".join([
    "# 苏州市某某局2024年度部门决算",
    "",
    "收入决算表", "", "部门：苏州市某某局", "", "单位：万元", "",
    _row("科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"),
    _row("", "合计", "100.00", "90.00", "10.00"),
    _row("201", "一般公共服务支出", "100.00", "90.00", "10.00"),
    "",
    "支出决算表", "", "部门：苏州市某某局", "", "单位：万元", "",
    _row("科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"),
    _row("", "合计", "95.00", "60.00", "35.00"),
    _row("201", "一般公共服务支出", "95.00", "60.00", "35.00"),
    "",
])


def test_final_accounts_income_and_expenditure_may_differ(tmp_path) -> None:
    """A 决算's income and expenditure differ by the year's balance: neither the
    reconciliation nor the shapes compare them (a budget's must agree)."""
    from converter.pipeline import convert_document
    from converter.validation import validate_nquads

    for kind, title, expect in (("final", "2024年度部门决算", False), ("budget", "2024年度部门预算公开", True)):
        path = tmp_path / f"{kind}.txt"
        path.write_text(FINAL.replace("2024年度部门决算", title), encoding="utf-8")
        r = extract(path)
        assert r.disclosure.kind == ("final_accounts" if kind == "final" else "budget")
        cross = [c for c in r.checks if c.name == "cross.income_expenditure"]
        assert bool(cross) == expect and all(c.status == "fail" for c in cross)
        report = validate_nquads(convert_document(path).nquads, workers=1)
        assert ("CrossTableTotalsShape" in report.report_ttl) == expect, report.report_ttl


# ---- the currency unit as printed, wherever the table prints it ----------------------------

@pytest.mark.parametrize("before,first_row,unit", [
    ([Heading("收支总表", 2), Paragraph("部门：某局"), Paragraph("注：本表为示例"), Paragraph("金额单位：元")], None, "元"),
    ([Heading("收支总表", 2), _table(["单位名称重庆市某委员会:", "单位万元:"])], None, "万元"),
    ([Heading("收支总表", 2)], ["", "", "", "单位：元"], "元"),  # inside the grid, above its header
    ([Heading("收支总表", 2)], None, None),  # not printed: not guessed
])
def test_unit_found_where_printed(before, first_row, unit) -> None:
    from converter.parsers import _unit_of

    rows = ([first_row] if first_row else []) + [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    blocks = [*before, _table(*rows)]
    assert _unit_of(blocks, len(blocks) - 1) == unit


def test_quarantine_reasons() -> None:
    from converter.parsers.quarantine import coded_fault, procurement_fault
    from converter.records.model import BudgetLine, ProcurementItem

    def line(code, total, basic, project, name="x"):
        amounts = {k: D(v) for k, v in (("total", total), ("basic", basic), ("project", project)) if v is not None}
        return BudgetLine(table="gpb_expenditure", scheme="function", code=code, name=name, amounts=amounts)

    good = [line("201", "30.00", "20.00", "10.00"), line("20103", "30.00", "20.00", "10.00"),
            line("2010301", "30.00", "20.00", "10.00")]
    assert coded_fault(good) is None
    # a 0.01 gap is the source's rounding, not a broken table
    assert coded_fault([line("201", "30.01", "20.00", "10.00"), *good[1:]]) is None
    # identities broken beyond rounding in most checks: columns read out of place
    shifted = [line("201", "30.00", "10.00", "3.00"), line("20103", "20.00", "30.00", "1.00"),
               line("2010301", "10.00", "20.00", "30.00")]
    assert "identities broken beyond rounding" in coded_fault(shifted)
    assert "not a function classification code" in coded_fault([line("20A", "1.00", "1.00", None)])
    # cells of several columns run together into one (a borderless rendering)
    garbled = ProcurementItem(item="公用类项目（三保）22.13台式计算机A02010105台10.500.50")
    assert "run together" in procurement_fault([ProcurementItem(item="台式计算机", catalog_code="A02010105"), garbled])
    assert procurement_fault([ProcurementItem(item="台式计算机", catalog_code="A02010105", amount=D("10.50"))]) is None


@pytest.mark.parametrize("title,header,kind", [
    ("一般公共预算支出表", ["经济分类科目", "科目名称", "合计", "基本支出", "项目支出"], "gpb_economic"),
    ("一般公共预算支出表", ["功能分类科目", "科目名称", "合计", "基本支出", "项目支出"], "gpb_expenditure"),
    ("一般公共预算支出表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], "gpb_expenditure"),
    ("一般公共预算基本支出表", ["支出功能分类科目", "科目名称", "合计", "人员经费", "公用经费"], "basic_function"),
    ("一般公共预算基本支出表", ["部门预算支出经济分类科目", "科目名称", "合计", "人员经费", "公用经费"], "basic"),
])
def test_header_scheme_decides_between_function_and_economic_twins(title, header, kind) -> None:
    """The economic-classification table is never merged into the function table."""
    blocks = [Heading(title, 2), _table(header, ["", "合计", "1.00", "1.00", "0.00"])]
    assert classify(blocks, 1) == kind
