"""Project self-evaluation tables (项目支出绩效自评表): facts read off the pages of the
real 西安市卫生健康委员会 2022 部门决算 (../shared/corpus-real, file name says 2026 budget;
SOURCES.md), and label-driven parsing on variants of the national template."""

from __future__ import annotations

from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest

from converter.parsers.evaluation import is_project_evaluation, parse_project_evaluation
from converter.readers.ir import Row, Table
from converter.records.model import Flag

XIAN = Path("卫生健康委员会_2026年部门预算.pdf")  # in ../shared/corpus-real

TEMPLATE = [
    ["项目名称", "", "2022年卫生健康考试考务费", "", "", "", "", "", "", "", ""],
    ["主管部门", "", "西安市卫生健康委员会", "", "", "", "实施单位", "", "西安市卫生健康委员会", "", ""],
    ["项目资金（万元）", "", "", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "", "得分"],
    ["", "", "年度资金总额", "", "458", "364.97", "364.97", "10", "100.00%", "", "10.00"],
    ["", "", "其中：当年财政拨款", "", "458", "364.97", "364.97", "—", "", "", "—"],
    ["年度总体目标完成情况", "预期目标（年初设定）", "", "", "", "", "实际完成情况", "", "", "", ""],
    ["", "高质量完成考试工作。", "", "", "", "", "已完成。", "", "", "", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施", ""],
    ["", "产出指标（50分）", "数量指标", "指标1：参加考试人数", "", "37500", "37500", "12.5", "12.5", "", ""],
    ["", "", "成本指标", "指标1：考试费用", "", "458万元", "364.97万元", "12.5", "12.5", "", ""],
    ["", "满意度指标（10分）", "服务对象满意度指标", "指标1：考试满意率", "", "≥95%", "≥95%", "10", "9", "个别投诉", ""],
    ["总分", "", "", "", "", "", "", "100", "99", "", ""],
]


def _table(rows: list[list[str]]) -> Table:
    return Table(rows=[Row(cells=list(r)) for r in rows])


def test_template_reads_by_labels():
    t = _table(TEMPLATE)
    assert is_project_evaluation(t)
    ev = parse_project_evaluation(t)
    assert ev is not None
    assert (ev.project_name, ev.department, ev.implementing_unit, ev.unit) == (
        "2022年卫生健康考试考务费", "西安市卫生健康委员会", "西安市卫生健康委员会", "万元")
    assert (ev.budget_initial, ev.budget_full_year, ev.executed, ev.execution_rate) == (
        Decimal("458"), Decimal("364.97"), Decimal("364.97"), Decimal("100.00"))
    assert (ev.goal_planned, ev.goal_actual) == ("高质量完成考试工作。", "已完成。")
    assert [(i.level1, i.level2, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in ev.indicators] == [
        ("产出指标", "数量指标", "参加考试人数", "37500", "37500", Decimal("12.5"), Decimal("12.5")),
        ("产出指标", "成本指标", "考试费用", "458万元", "364.97万元", Decimal("12.5"), Decimal("12.5")),
        ("满意度指标", "服务对象满意度指标", "考试满意率", "≥95%", "≥95%", Decimal("10"), Decimal("9")),
    ]
    assert ev.indicators[2].deviation == "个别投诉"
    assert (ev.max_score, ev.score) == (Decimal("100"), Decimal("99"))


def test_columns_found_by_label_not_position():
    """A regional variant: the 分值/得分 columns swapped and an extra column inserted."""
    rows = [list(r) for r in TEMPLATE]
    for r in rows[2:]:
        r.insert(5, "")
    for idx in (2, 7):
        header = rows[idx]
        a, b = header.index("分值"), header.index("得分")
        header[a], header[b] = header[b], header[a]
    for r in rows[8:]:
        a, b = 8, 9
        r[a], r[b] = r[b], r[a]
    ev = parse_project_evaluation(_table(rows))
    assert ev is not None and ev.budget_full_year == Decimal("364.97")
    assert [(i.weight, i.score) for i in ev.indicators][-1] == (Decimal("10"), Decimal("9"))


def test_blank_template_is_not_a_record():
    rows = [list(r) for r in TEMPLATE]
    rows[0][2] = ""
    assert parse_project_evaluation(_table(rows)) is None


def test_rate_glued_to_its_neighbour_is_reported_not_published():
    """p141 of the real file prints "1000%" where 分值 10 and 执行率 100% ran together."""
    rows = [list(r) for r in TEMPLATE]
    rows[3][7], rows[3][8] = "", "1000%"
    flags: list[Flag] = []
    ev = parse_project_evaluation(_table(rows), flags)
    assert ev is not None and ev.execution_rate is None
    assert [f.kind for f in flags] == ["inconsistent-rate"] and "1000" in flags[0].message


def test_a_project_table_without_execution_is_not_an_evaluation():
    rows = [["项目名称", "信息化运维"], ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "系统数", "3个"]]
    assert not is_project_evaluation(_table(rows))


@pytest.fixture(scope="module")
def xian():
    from tests.real_corpus import outcome

    found = outcome(XIAN.name)
    assert found.error is None, found.error
    return found.disclosure


def test_real_self_evaluations(xian):
    """p56 and p57, read off the pages; 88 tables from p55 to p143."""
    evs = {e.project_name: e for e in xian.project_evaluations}
    assert len(xian.project_evaluations) == 88
    e = evs["2022年事业单位离休人员和保健对象医疗费"]
    assert e.loc.page == 56
    assert (e.budget_initial, e.budget_full_year, e.executed, e.execution_rate, e.max_score, e.score) == (
        Decimal("4043"), Decimal("4043"), Decimal("4043"), Decimal("100.00"), Decimal("100"), Decimal("100"))
    assert [i.level3 for i in e.indicators][:2] == ["事业单位离休人员和保健对象医疗费报销覆盖率", "报销及时率"]
    e = evs["2022年卫生健康考试考务费"]
    assert e.loc.page == 57 and (e.budget_initial, e.executed) == (Decimal("458"), Decimal("364.97"))
    cost = next(i for i in e.indicators if i.level2 == "成本指标")
    assert (cost.target_raw, cost.actual_raw) == ("458万元", "364.97万元")


def test_scores_are_queryable_per_project(tmp_path):
    """A small 决算 text with two self-evaluation tables, through convert and the
    project-evaluations canned query."""
    import pyoxigraph as ox

    from converter.pipeline import convert_document
    from endpoint.canned import bind, load_canned

    second = [list(r) for r in TEMPLATE]
    second[0][2] = "2022年病媒生物防制"
    second[3][4:7] = ["240", "229.19", "229.19"]
    second[-1][8] = "96.5"
    lines = ["西安市卫生健康委员会2022年度部门决算", "", "项目支出绩效自评表", ""]
    for t in (TEMPLATE, second):
        lines += ["\t".join(r) for r in t] + [""]
    path = tmp_path / "xian.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = ox.Store()
    store.load(convert_document(path).nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    q = bind(load_canned()["project-evaluations"], {"department": "西安市卫生健康委员会", "year": "2022"})
    rows = [{k: sol[k].value if sol[k] is not None else None for k in
             ("projectName", "budget", "executed", "rate", "score", "maxScore", "indicatorCount")}
            for sol in store.query(q, use_default_graph_as_union=True)]
    assert rows == [
        {"projectName": "2022年卫生健康考试考务费", "budget": "364.97", "executed": "364.97", "rate": "100",
         "score": "99", "maxScore": "100", "indicatorCount": "3"},
        {"projectName": "2022年病媒生物防制", "budget": "229.19", "executed": "229.19", "rate": "100",
         "score": "96.5", "maxScore": "100", "indicatorCount": "3"},
    ]


# 四川's 部门预算项目支出绩效自评表: 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 under
# a rowspanned 预算执行情况 label, the total row labelled 总额; indicators with 完成值 and 权重
SICHUAN = [
    ["项目名称", "51000024R000000012345-村级公益事业补助", "", "", "", "", "", "", ""],
    ["主管部门", "某县财政局", "", "", "", "实施单位", "某县财政局", "", ""],
    ["预算执行情况（10分）", "年度预算数（万元）", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
    ["", "总额", "40.00", "52.50", "50.40", "96.00%", "10", "9.6", ""],
    ["", "其中：财政资金", "40.00", "52.50", "50.40", "96.00%", "/", "/", ""],
    ["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重"],
    ["", "产出指标", "数量指标", "补助村数", "≥", "12", "个", "12", "50"],
]


@pytest.mark.parametrize("dropped", [False, True])
def test_sichuan_template_reads_by_its_labels(dropped: bool) -> None:
    """The same facts when a text extraction leaves out the rowspanned label's empty cells
    (the funds rows start one cell further left than their header)."""
    rows = [list(r) for r in SICHUAN]
    if dropped:
        rows[3], rows[4] = rows[3][1:], rows[4][1:]
    t = _table(rows)
    assert is_project_evaluation(t)
    ev = parse_project_evaluation(t)
    assert ev is not None and ev.unit == "万元"
    assert (ev.budget_initial, ev.budget_full_year, ev.executed, ev.execution_rate, ev.funds_weight, ev.funds_score) == (
        D("40.00"), D("52.50"), D("50.40"), D("96.00"), D("10"), D("9.6"))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight) for i in ev.indicators] == [("补助村数", "12", "12", D("50"))]


def test_a_half_width_colon_after_the_total_label() -> None:
    rows = [list(r) for r in TEMPLATE]
    rows[3][2] = "年度资金总额:"
    ev = parse_project_evaluation(_table(rows))
    assert ev is not None and (ev.budget_full_year, ev.executed) == (Decimal("364.97"), Decimal("364.97"))


def test_budget_and_executed_without_their_year_words():
    """云南: 预算数（A） | 执行数（B） | 执行率（B/A） | 得分, the total row 年度财政资金总额, and
    实际完成值（B） over the indicators."""
    rows = [
        ["项目名称", "某县耕地质量提升补助资金", "", "", ""],
        ["主管部门", "某县农业农村局", "项目实施单位", "某县土肥站", ""],
        ["预算执行情况（万元）（20分）", "预算数（A）", "执行数（B）", "执行率（B/A）", "得分（20分*执行率）"],
        ["年度财政资金总额", "150.00", "120.00", "80.00%", "16.00"],
        ["年度绩效目标（80分）", "一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "得分"],
    ]
    t = _table(rows)
    assert is_project_evaluation(t)
    ev = parse_project_evaluation(t)
    assert ev is not None and ev.unit == "万元"
    assert (ev.budget_full_year, ev.executed, ev.execution_rate) == (D("150.00"), D("120.00"), D("80.00"))


@pytest.mark.parametrize("name_label, dept_label", [("转移支付（项目）名称", "地方主管部门"), ("专项资金名称", "县级主管部门")])
def test_an_unscored_self_evaluation_with_funds_executed_and_values_achieved(name_label, dept_label):
    """Self-evaluations without 得分 (the transfer payments' 区域（项目）绩效目标自评表, 湖南's
    专项资金绩效目标自评表) and named by other words: read as evaluations, the executed funds
    kept, never as a target form that drops them."""
    rows = [Row(cells=[name_label, "某某展陈项目", "", "", ""]),
            Row(cells=["中央主管部门", "某部", "", "", ""]),
            Row(cells=[dept_label, "某县文化局", "", "", ""]),
            Row(cells=["资金情况（万元）", "", "全年预算数（A）", "全年执行数（B）", "预算执行率（B/A）"]),
            Row(cells=["", "年度资金总额：", "80", "20.5", "25.63%"]),
            Row(cells=["", "其中：中央财政资金", "80", "20.5", "25.63%"]),
            Row(cells=["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际完成值"]),
            Row(cells=["产出指标", "数量指标", "展陈面积", "200㎡", "50㎡"])]
    table = Table(rows=rows)
    assert is_project_evaluation(table)
    ev = parse_project_evaluation(table, [])
    assert (ev.project_name, ev.department, ev.budget_full_year, ev.executed) == (
        "某某展陈项目", "某县文化局", D("80"), D("20.5"))
    assert [(i.level3, i.target_raw, i.actual_raw) for i in ev.indicators] == [("展陈面积", "200㎡", "50㎡")]


def test_a_target_form_is_no_self_evaluation():
    """Neither executed funds nor achieved values: a target form, whatever names it."""
    rows = [Row(cells=["专项资金名称", "某补助", "", ""]), Row(cells=["年度资金总额", "80", "", ""]),
            Row(cells=["一级指标", "二级指标", "三级指标", "指标值"]), Row(cells=["产出指标", "数量指标", "人数", "10人"])]
    assert not is_project_evaluation(Table(rows=rows))
