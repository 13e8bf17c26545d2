"""Procurement tables of the regional templates, as small text extractions: each becomes
procurement records (or, for a grid by function classification, budget lines of its own
kind), never projects, and a table that lists nothing makes nothing up.

  苏州 政府采购支出表: 采购品目大类 | 专项名称 | 经济科目 | 采购品目名称 | 采购组织形式 | 资金来源
       (一般公共预算资金 | 政府性基金 | 其他资金 | 上年结转和结余资金) | 总计, with 货物/工程/服务
       rows and the unit's row before its purchases
  重庆 政府采购预算明细表: 项目编号 (A/B/C) | 项目 (货物/工程/服务) | 总计 | fund sources
  烟台 政府采购预算表: 科目编码 类 | 款 | 项 | 科目名称 | 合计 | 财政拨款 (小计 | 一般公共预算 | …) | …
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from converter.pipeline import extract
from converter.records.model import Disclosure

T = "\t"


def _row(*cells: str) -> str:
    return T.join(cells)


def _doc(tmp_path: Path, *lines: str) -> tuple[Disclosure, list]:
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(["# 某市某局2026年度部门预算公开", "", *lines, ""]), encoding="utf-8")
    r = extract(path)
    return r.disclosure, r.checks


def _items(d: Disclosure) -> list[tuple]:
    return [(p.item, p.catalog_code, p.project_name, p.unit_name, p.amount, dict(p.funds)) for p in d.procurement]


def _figures(d: Disclosure, key: str) -> list[tuple]:
    return [(f.value, f.origin, f.table) for f in d.figures if f.key == key]


SUZHOU_HEAD = [
    "公开13表", "", "政府采购支出表", "", "部门：某市某局", "", "单位：万元", "",
    _row("采购品目大类", "专项名称", "经济科目", "采购品目名称", "采购组织形式", "资金来源", "", "", "", "总计"),
    _row("", "", "", "", "", "一般公共预算资金", "政府性基金", "其他资金", "上年结转和结余资金", ""),
]


def test_suzhou_items_under_class_and_unit_rows(tmp_path) -> None:
    d, checks = _doc(tmp_path, *SUZHOU_HEAD,
                     _row("合计", "", "", "", "", "30.00", "", "5.00", "", "35.00"),
                     _row("货物", "", "", "", "", "10.00", "", "", "", "10.00"),
                     _row("某市某局", "", "", "", "", "10.00", "", "", "", "10.00"),
                     _row("", "设备购置", "办公设备购置", "多功能一体机", "集中采购", "4.00", "", "", "", "4.00"),
                     _row("", "定额", "办公费", "复印纸", "集中采购", "6.00", "", "", "", "6.00"),
                     _row("服务", "", "", "", "", "20.00", "", "5.00", "", "25.00"),
                     _row("某市某中心", "", "", "", "", "20.00", "", "5.00", "", "25.00"),
                     # the 专项 may bear the item's name: still a purchase (无锡 物业管理服务 | … | 物业管理服务)
                     _row("", "物业管理服务", "物业管理费", "物业管理服务", "分散采购", "20.00", "", "5.00", "", "25.00"))
    assert "procurement" in d.tables_found
    gpb = "general_public_budget"
    # class (货物/服务) and unit rows are subtotals, not purchases; no catalogue code is printed
    assert _items(d) == [
        ("多功能一体机", None, "设备购置", "某市某局", D("4.00"), {gpb: D("4.00")}),
        ("复印纸", None, "定额", "某市某局", D("6.00"), {gpb: D("6.00")}),
        ("物业管理服务", None, "物业管理服务", "某市某中心", D("25.00"), {gpb: D("20.00"), "other": D("5.00")}),
    ]
    assert _figures(d, "procurement_total") == [(D("35.00"), "table", "procurement")]
    assert d.projects == []
    assert not [c for c in checks if c.status != "pass"]


def test_chongqing_numbered_classes_are_procurement_not_projects(tmp_path) -> None:
    d, checks = _doc(tmp_path, "表九", "", "2026年政府采购预算明细表", "", "单位名称：某市某委员会", "", "单位：万元", "",
                     _row("项目编号", "项目", "总计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入",
                          "其他收入"),
                     _row("合计", "", "712.49", "504.98", "", "6.00", "201.51"),
                     _row("A", "货物", "486.50", "480.50", "", "6.00", ""),
                     _row("C", "服务", "225.99", "24.48", "", "", "201.51"))
    # 项目编号 here numbers the catalogue's classes: not a project table
    assert d.projects == []
    assert _items(d) == [
        ("货物", "A", None, None, D("486.50"), {"general_public_budget": D("480.50"), "business": D("6.00")}),
        ("服务", "C", None, None, D("225.99"), {"general_public_budget": D("24.48"), "other": D("201.51")}),
    ]
    assert _figures(d, "procurement_total") == [(D("712.49"), "table", "procurement")]
    assert not [c for c in checks if c.status != "pass"]


def test_yantai_grid_by_function_classification(tmp_path) -> None:
    d, checks = _doc(tmp_path, "公开表12", "", "政府采购预算表", "", "部门（单位）：某市某局", "", "单位：万元", "",
                     _row("科目编码", "", "", "科目名称", "合计", "财政拨款", "", "", "", "财政专户管理资金", "单位资金",
                          "使用非财政拨款结余", "上年结转"),
                     _row("类", "款", "项", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "",
                          "", ""),
                     _row("", "", "", "合计", "280.34", "280.34", "280.34", "", "", "", "", "", ""),
                     _row("215", "", "", "资源勘探工业信息等支出", "93.50", "93.50", "93.50", "", "", "", "", "", ""),
                     _row("", "05", "", "工业和信息产业", "93.50", "93.50", "93.50", "", "", "", "", "", ""),
                     _row("", "", "08", "无线电及信息通信监管", "14.20", "14.20", "14.20", "", "", "", "", "", ""),
                     _row("", "", "17", "产业发展", "79.30", "79.30", "79.30", "", "", "", "", "", ""),
                     _row("222", "", "", "粮油物资储备支出", "186.84", "186.84", "186.84", "", "", "", "", "", ""),
                     _row("", "05", "", "重要商品储备", "186.84", "186.84", "186.84", "", "", "", "", "", ""),
                     _row("", "", "09", "食盐储备", "186.84", "186.84", "186.84", "", "", "", "", "", ""))
    assert d.tables_found == ["procurement_function"]
    assert d.procurement == []  # no purchases are listed: the rows are function classes
    lines = [(l.code, l.name, dict(l.amounts)) for l in d.budget_lines if l.table == "procurement_function"]
    three = {"total": D("14.20"), "fiscal": D("14.20"), "fiscal_general_public_budget": D("14.20")}
    assert ("2150508", "无线电及信息通信监管", three) in lines
    assert [c for c, _, _ in lines] == [None, "215", "21505", "2150508", "2150517", "222", "22205", "2220509"]
    assert _figures(d, "procurement_total") == [(D("280.34"), "table", "procurement_function")]
    assert not [c for c in checks if c.status != "pass"]


def test_a_table_that_lists_no_purchase_makes_nothing_up(tmp_path) -> None:
    d, _ = _doc(tmp_path, *SUZHOU_HEAD, "", "注：本部门无政府采购预算，空表列示。")
    assert d.procurement == []
    assert _figures(d, "procurement_total") == []
    assert d.projects == []


def test_purchases_listed_beside_function_codes_are_not_a_class_grid(tmp_path) -> None:
    # 西安: 科目编码 类|款|项 beside 采购项目 | 采购目录 | 数量 | 预算金额: one row per purchase, not
    # function-class budget lines (its rows are read as purchases: test_xian_purchases_by_unit)
    d, _ = _doc(tmp_path, "政府采购预算表", "", "单位：万元", "",
                _row("序号", "科目编码", "", "", "单位编码", "采购项目", "采购目录", "数量", "预算金额"),
                _row("", "类", "款", "项", "", "", "", "", ""),
                _row("1", "", "", "", "", "合计", "", "1", "40.00"),
                _row("2", "214", "01", "02", "", "绿色货运配送示范工程", "C0901技术测试和分析服务", "1", "40.00"))
    assert "procurement_function" not in d.tables_found
    assert [l for l in d.budget_lines if l.table == "procurement_function"] == []


XIAN_HEAD = [
    "表12", "", "2022年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）", "", "预算单位：某市某局",
    "", "金额单位：万元", "",
    _row("序号", "科目编码", "", "", "单位编码", "采购项目", "采购目录", "购买服务内容", "规格型号", "数量",
         "部门预算支出经济科目编码", "", "预算金额", "说明"),
    _row("", "类", "款", "项", "", "", "", "", "", "", "类", "款", "", ""),
]


def test_xian_purchases_by_unit(tmp_path) -> None:
    """陕西 部门综合预算 (西安): a 序号 column, the 合计 label in the 采购项目 column, a 经费形式 row
    (1 全额) and a unit row (its 6-digit 单位编码 and name) before the unit's purchases, the
    catalogue code and name in one 采购目录 cell, the amount under 预算金额."""
    d, checks = _doc(tmp_path, *XIAN_HEAD,
                     _row("1", "", "", "", "", "合计", "", "", "", "57.00", "", "", "96.50", ""),
                     _row("2", "214", "01", "02", "1", "全额", "", "", "", "41", "", "", "55.00", ""),
                     _row("3", "214", "01", "02", "222001", "某市某局", "", "", "", "41", "", "", "55.00", ""),
                     _row("4", "214", "01", "02", "", "绿色货运配送示范工程", "C0901技术测试和分析服务", "", "", "1",
                          "302", "27", "40.00", ""),
                     _row("5", "214", "01", "02", "", "办公设备购置", "A02010104台式计算机", "", "", "40", "310", "02",
                          "15.00", ""),
                     _row("6", "214", "01", "12", "1", "全额", "", "", "", "16", "", "", "41.50", ""),
                     _row("7", "214", "01", "12", "222003", "某市某管理处", "", "", "", "16", "", "", "41.50", ""),
                     _row("8", "214", "01", "12", "", "办公楼运行维护费", "C1204物业管理服务", "", "", "16", "302", "09",
                          "41.50", ""))
    assert _items(d) == [
        ("技术测试和分析服务", "C0901", "绿色货运配送示范工程", "某市某局", D("40.00"), {}),
        ("台式计算机", "A02010104", "办公设备购置", "某市某局", D("15.00"), {}),
        ("物业管理服务", "C1204", "办公楼运行维护费", "某市某管理处", D("41.50"), {}),
    ]
    assert [p.quantity for p in d.procurement] == [D("1"), D("40"), D("16")]
    assert _figures(d, "procurement_total") == [(D("96.50"), "table", "procurement")]
    assert d.projects == []
    assert not [c for c in checks if c.status != "pass"]
