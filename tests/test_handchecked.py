"""Facts read by hand from the sample documents (independent of the golden files)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from converter.pipeline import extract
from tests.helpers import CORPUS

D = Decimal


@pytest.fixture(scope="module")
def docs():
    return {p.name[:3]: extract(p) for p in sorted(CORPUS.glob("*.txt"))}


def line(d, table, code):
    return next(l for l in d.budget_lines if l.table == table and l.code == code)


def project(d, code):
    return next(p for p in d.projects if p.code == code)


def test_000_identity_and_split_numbers(docs):
    d = docs["000"].disclosure
    assert (d.department_code, d.department_name, d.fiscal_year, d.region_code) == (
        "322", "石家庄高新技术产业开发区投资服务局", 2024, "130190")
    # "890." / "00" split over a page break, confirmed by 20113 = sum of its sub-codes
    assert line(d, "income", "2011308").amounts["total"] == D("890.00")
    assert line(d, "income", "2011308").name == "招商引资"
    assert line(d, "income", "2069999").amounts == {"total": D("11400.00"), "subtotal": D("11400.00"), "fiscal": D("11400.00")}
    assert line(d, "income", "21606").amounts["carryover"] == D("500.63")
    total = next(l for l in d.budget_lines if l.table == "income" and l.is_total)
    assert total.amounts == {"total": D("14991.60"), "subtotal": D("14490.97"), "fiscal": D("14490.97"), "carryover": D("500.63")}
    assert line(d, "basic", "30217").amounts == {"total": D("4.00"), "public": D("4.00")}
    assert not d.flags


def test_000_projects_and_indicators(docs):
    d = docs["000"].disclosure
    assert len(d.projects) == 14
    p = project(d, "13019024P00PX8X10050W")
    assert (p.budget, p.fiscal_funds, p.other_funds, len(p.indicators)) == (D("600.00"), D("600.00"), None, 6)
    cost = next(i for i in p.indicators if i.level2 == "成本指标")
    assert (cost.level1, cost.level3, cost.target_raw) == ("产出指标", "奖励企业上限额", "≤600万元")
    assert (cost.target.comparator, cost.target.value, cost.target.unit) == ("≤", D("600"), "万元")
    assert project(d, "13019024P0026X0100642").spending_plan == {"6月底": D("1"), "10月底": D("5"), "12月底": D("100")}
    party = project(d, "13019024P0026X0100669")
    cost = next(i for i in party.indicators if i.level2 == "成本指标")
    assert cost.level3 == "党员参观红色教育基地学习、开展相关培训、平时购买学习书籍等的总支出"
    assert cost.basis == "《中国共产党支部工作条例（试行）》《石家庄高新区党的组织建设考核办法》"
    assert project(d, "13019023P00PX8X100493").carried_over is True
    refs = {(r.canonical, r.context) for r in d.doc_refs if r.project_code == "13019024P00PX8X10050W"}
    assert refs == {("石财外〔2023〕39号", "project_name"), ("石财外〔2023〕39号", "basis")}


def test_000_other_tables(docs):
    d = docs["000"].disclosure
    cab = next(i for i in d.procurement if i.item == "文件柜")
    assert (cab.catalog_code, cab.measure_unit, cab.quantity, cab.unit_price, cab.amount) == (
        "A05010502", "组", D("7"), D("0.08"), D("0.56"))
    assert cab.unit_name == "石家庄高新技术产业开发区投资服务局本级"
    tp = {l.item: l.amounts for l in d.overview_lines if l.table == "three_public"}
    assert tp["overseas"]["total"] == D("148.00") and tp["reception"]["total"] == D("9.00")
    assert tp["vehicles"] == {}  # printed empty: not stated, not zero
    assert d.figure("fixed_assets_total") == D("158.61")
    car = next(a for a in d.fixed_assets if a.item.startswith("2、车辆"))
    assert (car.quantity, car.value) == (D("2"), D("32.32"))
    centre = next(u for u in d.units if u.name == "石家庄高新技术产业开发区投资服务中心")
    assert (centre.nature, centre.rank, centre.funding_form) == ("事业", "正科级", "财政性资金基本保证")


def test_000_real_rounding_gaps_are_reported(docs):
    fails = {(c.name, c.subject.split(" [")[0], c.difference) for c in docs["000"].checks if c.status == "fail"}
    assert ("income.children", "部门预算收入总表: 20805 行政事业单位养老支出", D("-0.01")) in fails
    assert ("basic.children", "部门预算一般公共预算财政拨款基本支出表: 303 对个人和家庭的补助", D("0.01")) in fails


def test_001_partial_document(docs):
    d = docs["001"].disclosure
    assert d.budget_lines == [] and len(d.projects) == 12
    air = project(d, "13081124P00005510003H")
    assert air.name == "大气污染防治资金" and air.budget == D("33.27")
    assert ("承财建〔2022〕110号", "basis") in {(r.canonical, r.context) for r in d.doc_refs if r.project_code == air.code}
    assert air.spending_plan == {"3月底": D("100"), "6月底": D("100"), "10月底": D("100"), "12月底": D("100")}
    bare = [r for r in d.doc_refs if r.canonical == "〔2017〕86号"]
    assert bare and bare[0].issuer == "" and bare[0].project_code == "13081124P00001410004J"
    gap = next(c for c in docs["001"].checks if c.name == "projects.sum")
    assert (gap.status, gap.expected, gap.actual) == ("fail", D("3420"), D("3608.32"))


def test_002_self_evaluation_without_names(docs):
    d = docs["002"].disclosure
    assert (d.kind, d.fiscal_year) == ("self_evaluation", 2023)
    assert {"石家庄市鹿泉区投资促进局", "鹿泉区投资促进局"} <= set(d.department_aliases)
    assert len(d.evaluation.items) == 9
    assert (d.evaluation.score, d.evaluation.grade) == ("≥98", "优秀")
    from converter.records.jsonify import dumps
    text = dumps(d)
    for name in ("胡波", "李论", "王怡薇", "张辉"):
        assert name not in text


def test_003_misplaced_header_and_units(docs):
    d = docs["003"].disclosure
    # the header prints 上年结转 over 其他收入; the 栏次 row and the template decide
    assert line(d, "income", "2060404").amounts == {"total": D("262.34"), "subtotal": D("50.00"), "fiscal": D("50.00"), "carryover": D("212.34")}
    assert len(d.projects) == 26 and len(d.procurement) == 17
    assert d.figure("procurement_total") == D("326.34")
    assert next(u for u in d.units if u.code == "471001").name == "石家庄市鹿泉区科学技术和工业信息化局本级"
    p = project(d, "13011023P00001210201E")
    assert p.carried_over is True and p.unit_code == "471001"


def test_004_projects_without_codes_and_joined_assets(docs):
    d = docs["004"].disclosure
    assert len(d.projects) == 15 and all(p.code is None for p in d.projects)
    assert d.projects[0].name == "“一窗通”平台运维费"
    # the forms print no amount; the procurement table's 预算资金 (lines 667-676) gives five of
    # them, with that table as the amount's source; the other ten stay without one
    from_procurement = {p.name: p.budget for p in d.projects if p.budget is not None}
    assert from_procurement == {"档案扫描服务费": D("30.00"), "建设项目环境影响评价文件技术评估和排污许可技术评估费": D("52.00"),
                                "免费公章刻制": D("40.00"), "政务大厅运行经费": D("73.72"), "委托投资咨询评估服务机构费用": D("164.00")}
    assert all([s.layout for s in p.sources] == ["form", "procurement"] for p in d.projects if p.budget is not None)
    assert d.doc_refs == []
    other = next(a for a in d.fixed_assets if a.item.startswith("4、其他固定资产"))
    assert other.value == D("923.07")
