"""The 情况说明 parts: units, prose figures, projects, procurement and fixed assets —
printed text and the records it states."""

from __future__ import annotations

from decimal import Decimal

from bench.synth.damage import break_row
from bench.synth.layout import Writer
from bench.synth.money import cell, dec, prose
from bench.synth.spec import DocCite, DocSpec, FixedAssetRow, ProjectSpec
from converter.records.model import DocRef, Figure, FixedAsset, Indicator, ProcurementItem, Project, Target, Unit


def squeeze(text: str) -> str:
    """Text as a reader sees it: the layout spaces this generator prints are all next
    to CJK characters, brackets or 号, so the stated text has none."""
    return text.replace(" ", "")


def units_table(w: Writer, spec: DocSpec, coded: set[str]) -> list[Unit]:
    w.para("部门机构设置情况")
    w.row(["单位名称", "单位性质", "单位规格", "经费保障形式"])
    out = []
    for u in spec.dept.units:
        w.row([u.name, u.nature, u.rank, u.funding_form])
        out.append(Unit(name=u.name, nature=u.nature, rank=u.rank, funding_form=u.funding_form,
                        code=u.code if u.code in coded else None, table="units"))
    w.blank()
    return out


def prose_figures(w: Writer, spec: DocSpec, totals: dict[str, int], heading) -> list[Figure]:
    """二、总体情况 / 三、机关运行经费 / 四、三公: sentences stating the summary figures."""
    t, f, c = totals["total"], totals["fiscal"], totals["carry"]
    basic, personnel, public, project = totals["basic"], totals["personnel"], totals["public"], totals["project"]
    three = spec.budget.three_public
    veh = three["vehicle_purchase"] + three["vehicle_operation"]
    three_total = three["overseas"] + veh + three["reception"]
    y, trim, name = spec.year, spec.trim_prose, spec.dept.name
    p = lambda cents: prose(cents, trim)  # noqa: E731
    figs: list[tuple[str, int]] = []

    heading("二、部门预算安排的总体情况")
    w.para(f"按照预算管理有关规定，目前我区部门预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。{name}机关及所属事业单位的收支包含在部门预算中。")
    heading("1、收入说明", 3)
    w.para(f"反映本部门当年全部收入。{y}年预算收入{p(t)}万元，其中：一般公共预算收入{p(f)}万元，基金预算收入0万元，"
           f"财政专户核拨收入0万元，其他来源收入（单位资金）0万元，上年结转{p(c)}万元。")
    figs += [("income_total", t), ("general_public_budget_income", f), ("carryover_income", c)]
    heading("2、支出说明", 3)
    w.para(f"收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映{spec.dept.region.short}"
           f"{spec.dept.kind.name}年度部门预算中支出预算的总体情况，{y}年支出预算{p(t)}万元，其中基本支出{p(basic)}万元，"
           f"包括人员经费{p(personnel)}万元和日常公用经费{p(public)}万元；项目支出{p(project)}万元，"
           f"主要为{'、'.join(spec.dept.kind.activities[:3])}等。")
    figs += [("expenditure_total", t), ("basic_expenditure", basic), ("personnel_expenditure", personnel),
             ("public_expenditure", public), ("project_expenditure", project)]
    heading("3、比上年增减情况", 3)
    w.para(f"{y}年预算收支安排与上年相比有所变化，主要原因是{spec.dept.kind.topic}项目资金安排调整。")
    heading("三、机关运行经费安排情况")
    w.para(f"{y}年，我部门机关运行经费共计安排{p(public)}万元，主要用于保证机关正常运转的办公及印刷费、邮电费、差旅费、"
           f"会议费、福利费、日常维修费、公务用车运行维护费及其他费用。")
    figs.append(("operating_costs", public))
    heading("四、财政拨款“三公”经费预算情况及增减变化原因")
    w.para(f"{y}年，我部门财政拨款“三公”经费预算安排{p(three_total)}万元，其中：因公出国（境）费{p(three['overseas'])}万元；"
           f"公务用车购置及运维费{p(veh)}万元（其中：公务用车购置费{p(three['vehicle_purchase'])}万元，"
           f"公务用车运维费{p(three['vehicle_operation'])}万元）；公务接待费{p(three['reception'])}万元。")
    figs += [("three_public_total", three_total), ("three_public_overseas", three["overseas"]),
             ("three_public_vehicles", veh), ("three_public_vehicle_purchase", three["vehicle_purchase"]),
             ("three_public_vehicle_operation", three["vehicle_operation"]), ("three_public_reception", three["reception"])]
    return [Figure(key=k, value=Decimal(p(v)), origin="prose") for k, v in figs]


def project_table(w: Writer, p: ProjectSpec, number: int, unit_line: bool, columns_l2: bool) -> Project:
    s = w.style
    b = w.bold
    title = f"{number}、{p.name}绩效目标表" if s.name != "B" else f"{number}. {p.name}绩效目标表"
    w.heading(title, 3) if s.markdown else w.para(title)
    if unit_line:
        w.para(f"{p.unit.code} {p.unit.name}")
    w.para("单位：万元")
    amount = cell(p.budget)
    rows = [
        [b("项目编码"), p.code, "", b("项目名称"), p.name, "", ""],
        [b("预算规模及资金用途"), b("预算数"), amount, b("其中：财政资金"), amount, b("其他资金"), ""],
        ["", p.purpose, "", "", "", "", ""],
    ]
    sp = " " if s.name == "B" else ""
    months = [3, 6, 10, 12]
    rows.append([b("资金支出计划（%）"), b(f"3{sp}月底"), "", b(f"6{sp}月底"), b(f"10{sp}月底"), b(f"12{sp}月底"), ""])
    values = {m: f"{p.plan[m]}%" for m in months if m in p.plan}
    rows.append(["", values.get(3, ""), "", values.get(6, ""), values.get(10, ""), values.get(12, ""), ""])
    rows.append([b("绩效目标"), p.goal, "", "", "", "", ""])
    for r in rows:
        w.row(r)
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    w.row([b(h) for h in header])
    ind_rows: list[list[str]] = []
    prev1 = prev2 = None
    for ind in p.indicators:
        l1 = ind.level1 if ind.level1 != prev1 else ""
        l2 = ind.level2 if (l1 or ind.level2 != prev2 or columns_l2) else ""
        ind_rows.append([l1, l2, ind.level3, ind.description, ind.target, ind.basis])
        prev1, prev2 = ind.level1, ind.level2
    brk = w.rng.randint(2, len(ind_rows) - 1) if len(ind_rows) >= 4 and w.rng.random() < 0.35 else None
    for n, r in enumerate(ind_rows):
        if n == brk:
            last = w.lines.pop()
            first, cont = break_row(last.split("\t"), [2, 3, 5], w.rng) if w.rng.random() < s.break_rate else (last.split("\t"), [])
            w.row(first)
            w.blank()
            if w.rng.random() < 0.5:
                w.para("单位：万元")
            w.row(header)
            if any(cont):
                w.row(cont)
        w.row(r)
    w.blank()
    project = Project(
        name=squeeze(p.name), code=p.code, number=str(number),
        unit_code=p.unit.code if unit_line else None, unit_name=p.unit.name if unit_line else None,
        budget=dec(p.budget), fiscal_funds=dec(p.budget), purpose=p.purpose,
        spending_plan={f"{m}月底": Decimal(p.plan[m]) for m in months if m in p.plan},
        goal=squeeze(p.goal), region_code=p.code[:6], code_year=2000 + int(p.code[6:8]),
        carried_over=p.carried,
        indicators=[Indicator(level1=i.level1, level2=i.level2, level3=i.level3, description=squeeze(i.description),
                              target_raw=squeeze(i.target),
                              target=Target(comparator=i.parsed[0], value=Decimal(i.parsed[1]), unit=i.parsed[2]) if i.parsed else None,
                              basis=squeeze(i.basis))
                    for i in p.indicators],
    )
    return project


def project_refs(p: ProjectSpec, rec: Project) -> list[DocRef]:
    """Every document the project's table cites, once per (document, context)."""
    refs: list[DocRef] = []
    seen: set[tuple[str, str]] = set()

    def add(c: DocCite | None, context: str) -> None:
        if c is None or (c.doc.canonical, context) in seen:
            return
        seen.add((c.doc.canonical, context))
        refs.append(_ref(c, context, rec.code, rec.name))

    for c in p.cites:
        if c.context in ("project_name", "goal"):
            add(c, c.context)
    for ind in p.indicators:
        add(ind.basis_doc, "basis")
        add(ind.desc_doc, "indicator")
    return refs


def _ref(c: DocCite, context: str, code: str | None, name: str | None) -> DocRef:
    d = c.doc
    return DocRef(raw=squeeze(c.written), canonical=d.canonical, issuer=d.issuer, year=d.year, serial=d.serial,
                  finance=d.finance, context=context, project_code=code, project_name=name)


def prose_ref(c: DocCite) -> DocRef:
    return _ref(c, "prose", None, None)


PROC_HEADER = lambda year: [  # noqa: E731
    ["政府采购项目来源", "", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价", "政府采购金额（当年部门预算安排资金）",
     "", "", "", "", "", "", f"{year}年预留中小微企业份额"],
    ["项目名称", "预算资金", "", "", "", "", "", "合计", "一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨",
     "单位资金", "上年结转结余", ""],
]


def procurement_table(w: Writer, spec: DocSpec, furniture: list[str]) -> tuple[list[ProcurementItem], list[Figure]]:
    rows_in = spec.procurement
    subtotals = w.style.name == "A" and len({r.unit.name for r in rows_in}) > 1
    total = sum(r.amount for r in rows_in)
    sme_total = sum(r.amount for r in rows_in if r.sme)
    money = lambda v, sme=None: [cell(v), cell(v), "", "", "", "", "", cell(sme if sme is not None else v)]  # noqa: E731
    rows = [[w.bold("合计"), "", "", "", "", "", "", *[w.bold(x) for x in money(total, sme_total)]]]
    items: list[ProcurementItem] = []
    figures = [Figure(key="procurement_total", value=dec(total), origin="table", table="procurement")]
    unit_name = None
    for r in rows_in:
        if subtotals and r.unit.name != unit_name:
            unit_name = r.unit.name
            sub = sum(x.amount for x in rows_in if x.unit.name == unit_name)
            sub_sme = sum(x.amount for x in rows_in if x.unit.name == unit_name and x.sme)
            rows.append([w.bold(f"{unit_name}小计"), "", "", "", "", "", "", *[w.bold(x) for x in money(sub, sub_sme)]])
            figures.append(Figure(key="procurement_unit_subtotal", value=dec(sub), origin="table", table="procurement",
                                  row=unit_name))
        price = f"{dec(r.price):.2f}"
        rows.append([r.project, cell(r.project_budget), r.item, r.catalog, r.measure, str(r.quantity), price,
                     *money(r.amount, r.amount if r.sme else 0)])
        items.append(ProcurementItem(
            item=r.item, project_name=squeeze(r.project), project_budget=dec(r.project_budget),
            unit_name=unit_name if subtotals else None, catalog_code=r.catalog, measure_unit=r.measure,
            quantity=Decimal(r.quantity), unit_price=Decimal(price), amount=dec(r.amount),
            funds={"general_public_budget": dec(r.amount)}, sme_reserved=dec(r.amount) if r.sme else None,
        ))
    w.table(PROC_HEADER(spec.year), rows, furniture, (6, 14))
    w.para("注：同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。")
    return items, figures


def fixed_asset_table(w: Writer, rows: list[FixedAssetRow], furniture: list[str]) -> tuple[list[FixedAsset], Figure]:
    for f in furniture:
        w.para(f)
    w.row(["项 目", "数量", "价值（金额单位：万元）"])
    out = []
    for r in rows:
        value = "0" if r.value == 0 else cell(r.value) if r.value is not None else ""
        w.row([r.item, r.quantity, value])
        out.append(FixedAsset(item=squeeze(r.item), quantity=Decimal(r.quantity) if r.quantity.isdigit() else None,
                              value=Decimal(value) if value else None))
    w.blank()
    total = out[0].value if out[0].value is not None else Decimal(0)
    return out, Figure(key="fixed_assets_total", value=total, origin="table", table="fixed_assets")
