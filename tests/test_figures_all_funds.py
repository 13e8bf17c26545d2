"""basic_expenditure and project_expenditure are the department's 基本/项目支出 over all
funds, as the 支出总表 states them. A general-budget table's 基本/项目支出 (一般公共预算支出表,
一般公共预算基本支出表) is another figure: where the 支出总表 prints no 基本支出 合计 (Zhejiang's
支出总表 prints only 人员支出 | 公用经费 under it; Shaanxi's splits by unit) the figure is
absent, never the general budget's under the all-funds name."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from converter.pipeline import extract
from converter.records.model import Disclosure

T = "\t"


def _row(*cells: str) -> str:
    return T.join(cells)


def _doc(tmp_path: Path, text: str) -> tuple[Disclosure, list]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    r = extract(path)
    return r.disclosure, r.checks


def _expenditure(basic_column: bool) -> list[str]:
    """The all-funds 支出总表: 合计 300 = 基本 120 (人员 100 + 公用 20) + 项目 180; the 基本支出
    合计 column printed or (Zhejiang) only its 人员/公用 split."""
    head = ["科目编码", "科目名称", "合计"] + (["基本支出"] if basic_column else []) + ["人员支出", "公用经费", "项目支出"]
    rows = [("201", "一般公共服务支出", "300.00", "120.00", "100.00", "20.00", "180.00"),
            ("20113", "商贸事务", "300.00", "120.00", "100.00", "20.00", "180.00"),
            ("2011301", "行政运行", "120.00", "120.00", "100.00", "20.00", ""),
            ("2011399", "其他商贸事务支出", "180.00", "", "", "", "180.00")]
    out = ["表3", "", "2026年部门支出总表", "", "单位：万元", "", _row(*head)]
    out.append(_row("", "合计", "300.00", *(["120.00"] if basic_column else []), "100.00", "20.00", "180.00"))
    for code, name, total, basic, pers, pub, proj in rows:
        out.append(_row(code, name, total, *([basic] if basic_column else []), pers, pub, proj))
    return out + [""]


# the general budget: 合计 250 = 基本 110 (人员 95 + 公用 15) + 项目 140 (other funds pay the rest)
GPB = [
    "表5", "", "2026年一般公共预算支出表", "", "单位：万元", "",
    _row("科目编码", "科目名称", "合计", "基本支出", "人员经费", "公用经费", "项目支出"),
    _row("", "合计", "250.00", "110.00", "95.00", "15.00", "140.00"),
    _row("201", "一般公共服务支出", "250.00", "110.00", "95.00", "15.00", "140.00"),
    _row("20113", "商贸事务", "250.00", "110.00", "95.00", "15.00", "140.00"),
    _row("2011301", "行政运行", "110.00", "110.00", "95.00", "15.00", ""),
    _row("2011399", "其他商贸事务支出", "140.00", "", "", "", "140.00"),
    "",
    "表6", "", "2026年一般公共预算基本支出表", "", "单位：万元", "",
    _row("经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"),
    _row("", "合计", "110.00", "95.00", "15.00"),
    _row("301", "工资福利支出", "95.00", "95.00", ""),
    _row("302", "商品和服务支出", "15.00", "", "15.00"),
    "",
]


def _text(*parts: list[str]) -> str:
    return "\n".join(["# 某市某局2026年部门预算", ""] + [line for p in parts for line in p])


def test_all_funds_basic_and_project_from_the_expenditure_table(tmp_path) -> None:
    d, _ = _doc(tmp_path, _text(_expenditure(basic_column=True), GPB))
    assert {"expenditure", "gpb_expenditure", "basic"} <= set(d.tables_found)
    basic = [f for f in d.figures if f.key == "basic_expenditure"]
    assert [(f.table, f.value) for f in basic] == [("expenditure", D("120.00"))]
    assert d.figure("project_expenditure") == D("180.00")
    # 人员/公用经费 stay the general-budget basic table's, as before
    assert (d.figure("personnel_expenditure"), d.figure("public_expenditure")) == (D("95.00"), D("15.00"))


def test_no_basic_total_in_the_expenditure_table_is_no_basic_expenditure(tmp_path) -> None:
    d, checks = _doc(tmp_path, _text(_expenditure(basic_column=False), GPB))
    assert "expenditure" in d.tables_found
    # not the general budget's 110.00 (一般公共预算支出表 / 基本支出表 合计) under the all-funds name
    assert [f for f in d.figures if f.key == "basic_expenditure"] == []
    assert d.figure("project_expenditure") == D("180.00")
    # and no check asks for it: 基本 = 人员 + 公用 is checked within the basic table
    assert not [c for c in checks if c.status != "pass"]


def test_general_budget_tables_alone_state_no_department_totals(tmp_path) -> None:
    d, _ = _doc(tmp_path, _text(GPB))
    assert "expenditure" not in d.tables_found
    assert d.figure("basic_expenditure") is None
    assert d.figure("project_expenditure") is None
