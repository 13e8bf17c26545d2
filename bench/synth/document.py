"""One synthetic disclosure: its text (the extraction format of corpus/*.txt) and the
records it states, as a ``Disclosure`` (the generating truth)."""

from __future__ import annotations

import random
from decimal import Decimal

from bench.synth import tables as T
from bench.synth.docs import write_number
from bench.synth.layout import STYLES, Writer
from bench.synth.money import prose as fmt
from bench.synth.sections import (
    fixed_asset_table, procurement_table, project_refs, project_table, prose_figures, prose_ref, units_table,
)
from bench.synth.spec import DocCite, DocSpec
from converter.records.model import Disclosure, Figure

TABLE_TITLES = [
    "部门预算收支总表", "部门预算收入总表", "部门预算支出总表", "部门预算财政拨款收支总表", "部门预算一般公共预算财政拨款支出表",
    "部门预算一般公共预算财政拨款基本支出表", "部门预算政府性基金预算财政拨款支出表", "部门预算国有资本经营预算财政拨款支出表",
    "部门预算财政拨款“三公”经费支出表",
]
_CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]


def _sections(style: str) -> list[str]:
    """Titles of the 情况说明 parts after 四、 (numbering differs between regions)."""
    if style == "A":
        rest = ["部门整体绩效目标", "部门主管专项资金预算安排情况及绩效目标", "部门项目预算安排情况及绩效目标", "政府采购预算情况",
                "国有资产信息", "名词解释", "其他需要说明的事项"]
    else:
        rest = ["预算绩效信息", "政府采购预算情况（含所属单位）" if style == "B" else "政府采购预算情况", "国有资产信息", "名词解释",
                "其他需要说明的事项"]
    head = ["部门职责及机构设置情况", "部门预算安排的总体情况", "机关运行经费安排情况", "财政拨款“三公”经费预算情况及增减变化原因"]
    return [f"{_CN[i]}、{t}" for i, t in enumerate(head + rest)]


def _furniture(spec: DocSpec, w: Writer, year: bool = True) -> list[str]:
    name = f"{spec.dept.code} {spec.dept.name}"
    if w.style.name == "A":  # the department line wraps; the year sits under its label
        k = w.rng.randint(len(name) - 6, len(name) - 2)
        lines = [f"{name[:k]}  \n{name[k:]}"] + ([f"预算年度：  \n{spec.year}"] if year else [])
    else:
        lines = [name] + ([f"预算年度：{spec.year}"] if year else [])
    return lines + ["单位：万元"]


def compose(spec: DocSpec, rng: random.Random) -> tuple[str, Disclosure]:
    style = STYLES[spec.dept.region.style]
    w = Writer(style, rng)
    dept, year = spec.dept, spec.year

    def heading(text: str, level: int = 2) -> None:
        w.heading(text, level)

    sections = _sections(style.name)
    # catalogue
    heading(f"{year} 年部门预算信息公开目录" if style.name != "C" else f"{year} 年{dept.name}部门预算信息公开目录", 1)
    heading("部门预算公开表")
    page = 1
    for t in TABLE_TITLES:
        w.row([f"{t}.....", str(page)])
        page += rng.randint(1, 4)
    heading("部门预算信息公开情况说明")
    for s in sections:
        w.row([f"{s}.....", str(page)])
        page += rng.randint(1, 6)
    w.blank()
    if style.name == "C":
        w.para("第一部分 部门预算")

    # the nine tables
    d = Disclosure(source_file="", sha256="", kind="budget", fiscal_year=year, department_code=dept.code,
                   department_name=dept.name, department_aliases=[dept.name], region_name=dept.region.name,
                   region_code=dept.region.code)
    fur = _furniture(spec, w)
    heading(TABLE_TITLES[0])
    d.overview_lines += T.overview_table(w, spec.budget, fur)
    for kind, title in (("income", TABLE_TITLES[1]), ("expenditure", TABLE_TITLES[2])):
        heading(title)
        d.budget_lines += T.coded_table(w, kind, spec.budget, fur)
    heading(TABLE_TITLES[3])
    d.overview_lines += T.fiscal_overview_table(w, spec.budget, fur)
    heading(TABLE_TITLES[4])
    d.budget_lines += T.coded_table(w, "gpb_expenditure", spec.budget, fur)
    heading(TABLE_TITLES[5])
    d.budget_lines += T.coded_table(w, "basic", spec.budget, fur)
    heading(TABLE_TITLES[6])
    T.empty_coded_table(w, "gov_fund", fur)
    heading(TABLE_TITLES[7])
    T.empty_coded_table(w, "soe_capital", fur)
    heading(TABLE_TITLES[8])
    d.overview_lines += T.three_public_table(w, spec.budget, fur)

    # 情况说明
    heading(f"{dept.name} {year} 年部门预算信息公开情况说明", 1)
    notice = spec.prose_cites[0]
    w.para(f"按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于编制{year}年部门预算的通知》（{notice.written}）"
           f"规定，现将{dept.name} {year} 年部门预算公开如下：")
    heading(sections[0])
    heading("部门职责：", 3)
    for n, act in enumerate(dept.kind.activities, start=1):
        w.para(f"{n}.负责{act}相关工作，承担{dept.kind.topic}领域的组织实施和监督管理。")
    w.para(f"{len(dept.kind.activities) + 1}.完成上级交办的其他任务。")
    heading("机构设置：", 3)
    b_style = style.name == "B"
    coded_units = {p.unit.code for p in spec.projects} if b_style else set()
    d.units = units_table(w, spec, coded_units)

    budget = spec.budget
    leaves = budget.leaves.values()
    totals = {"total": sum(a["basic"] + a["project"] for a in leaves), "carry": sum(a["carry"] for a in leaves),
              "basic": sum(a["basic"] for a in leaves), "project": sum(a["project"] for a in leaves),
              "personnel": sum(a.get("personnel", 0) for a in budget.economic.values()),
              "public": sum(a.get("public", 0) for a in budget.economic.values())}
    totals["fiscal"] = totals["total"] - totals["carry"]
    prose = prose_figures(w, spec, totals, heading)

    # performance goals and projects
    heading(sections[4])
    if style.name != "A":
        w.para("第一部分 部门整体绩效信息" if b_style else "第一部分 部门整体绩效目标")
    heading("（一）总体绩效目标", 3)
    w.para(f"围绕{dept.kind.topic}中心工作，统筹安排预算资金，确保各项工作任务顺利完成。")
    heading("（二）分项绩效目标", 3)
    for n, act in enumerate(dept.kind.activities[:3], start=1):
        w.para(f"{n}、{act}：按计划开展{act}工作。")
        w.para(f"绩效目标：{act}任务全面完成。")
        ge = "$\\geq 90\\%$" if style.name == "C" else "大于等于 90%"
        w.para(f"绩效指标：{act}完成率{ge}，服务对象满意度{ge}。")
    heading("（三）工作保障措施", 3)
    w.para("1、完善制度建设。加强预算绩效管理，规范资金使用。")
    if style.name == "A":
        heading(sections[5])
        w.para("无。")
        heading(sections[6])
    elif style.name == "C":
        w.para("第二部分 专项资金绩效目标")
        w.para("无")
        w.para("第三部分 预算项目绩效目标")
    else:
        w.para("第二部分 预算项目绩效目标")
    for n, p in enumerate(spec.projects, start=1):
        rec = project_table(w, p, n, unit_line=b_style, columns_l2=style.name != "C")
        d.projects.append(rec)
        d.doc_refs += project_refs(p, rec)
    d.doc_refs.append(prose_ref(notice))

    # procurement, assets, glossary
    next_no = 7 if style.name == "A" else 5
    heading(sections[next_no])
    proc_total = sum(r.amount for r in spec.procurement)
    if style.name != "A":
        w.para(f"{year}年，{dept.name}安排政府采购预算{fmt(proc_total, spec.trim_prose)}万元。具体内容见下表。")
        prose.append(Figure(key="procurement_total", value=Decimal(fmt(proc_total, spec.trim_prose)),
                            origin="prose"))
    heading("部门政府采购预算", 3)
    items, proc_figs = procurement_table(w, spec, _furniture(spec, w, year=False))
    d.procurement = items

    heading(sections[next_no + 1])
    assets = spec.fixed_assets
    planned = budget.economic.get("31002", {}).get("public", 0)
    w.para(f"{dept.name}（含所属单位）上年末固定资产金额为 {fmt(assets[0].value or 0, spec.trim_prose)} 万元（详见下表）。"
           f"本年度拟购置固定资产总额为 {fmt(planned, spec.trim_prose)} 万元，已按要求列入政府采购预算，详见政府采购预算表。")
    prose += [Figure(key="fixed_assets_total", value=Decimal(fmt(assets[0].value or 0, spec.trim_prose)), origin="prose"),
              Figure(key="planned_asset_purchases", value=Decimal(fmt(planned, spec.trim_prose)), origin="prose")]
    heading("部门固定资产占用情况表", 3)
    fa_furniture = [f"{dept.code} {dept.name}", f"截止时间：{year - 1}-12-31"] if b_style else []
    d.fixed_assets, fa_fig = fixed_asset_table(w, assets, fa_furniture)

    heading(sections[next_no + 2])
    w.para("1、财政拨款收入：指本级财政当年拨付的资金，包括一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款。")
    w.para("2、上年结转：指以前年度安排、结转到本年仍按原规定用途继续使用的资金。")
    w.para("3、机关运行经费：是指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费及其他费用。")
    heading(sections[next_no + 3])
    w.para("我部门无其他需要说明的事项。")

    d.figures = _table_figures(d) + proc_figs + [fa_fig] + prose
    return "\n".join(w.lines) + "\n", d


def _table_figures(d: Disclosure) -> list[Figure]:
    """Summary figures the tables state (收支总表 totals, 三公 parts, 基本/项目, 人员/公用)."""
    keys = {"general_public_budget_income", "current_year_income", "current_year_expenditure", "carryover_income",
            "income_total", "expenditure_total"}
    three = {"subtotal": "three_public_total", "total": "three_public_total", "overseas": "three_public_overseas",
             "vehicles": "three_public_vehicles", "vehicle_purchase": "three_public_vehicle_purchase",
             "vehicle_operation": "three_public_vehicle_operation", "reception": "three_public_reception"}
    out: list[Figure] = []
    seen: set[str] = set()

    def add(key: str, value, table: str, row: str | None) -> None:
        if key not in seen:
            seen.add(key)
            out.append(Figure(key=key, value=value, origin="table", table=table, row=row))

    for line in d.overview_lines:
        if "total" not in line.amounts:
            continue
        if line.table == "overview" and line.item in keys:
            add(line.item, line.amounts["total"], "overview", line.row)
        if line.table == "three_public" and line.item in three:
            add(three[line.item], line.amounts["total"], "three_public", line.row)
    for table, cols in (("expenditure", {"basic": "basic_expenditure", "project": "project_expenditure"}),
                        ("basic", {"personnel": "personnel_expenditure", "public": "public_expenditure"})):
        for line in d.budget_lines:
            if line.table == table and line.is_total:
                for col, key in cols.items():
                    if col in line.amounts:
                        add(key, line.amounts[col], table, line.row)
    return out


def notice_cite(spec_notice, rng: random.Random) -> DocCite:
    return DocCite(doc=spec_notice, written=write_number(spec_notice, rng), context="prose")
