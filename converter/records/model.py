"""Typed records of one disclosure. Money is ``Decimal`` as printed (万元 unless
``Disclosure.currency_unit`` / ``table_units`` say 元); a value the
document does not state is ``None`` or absent from a dict, never zero.

Every record keeps ``loc`` (page/line of the source) and, for table rows, the table
key and the row's 序号 so provenance can be carried into the graph.

Table keys (``BudgetLine.table`` / ``OverviewLine.table``):
  overview        部门预算收支总表
  income          部门预算收入总表 (function classification)
  expenditure     部门预算支出总表 (function classification)
  fiscal_overview 部门预算财政拨款收支总表
  gpb_expenditure 一般公共预算财政拨款支出表 (function classification)
  basic           一般公共预算财政拨款基本支出表 (economic classification)
  gov_fund        政府性基金预算财政拨款支出表
  soe_capital     国有资本经营预算财政拨款支出表
  three_public    财政拨款“三公”经费支出表
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from converter.readers.ir import Loc

__all__ = [
    "Loc", "Unit", "Figure", "BudgetLine", "OverviewLine", "Target", "Indicator",
    "Project", "ProjectSource", "DocRef", "ProcurementItem", "FixedAsset", "DepartmentGoal",
    "EvaluationItem", "SelfEvaluation", "EvaluatedIndicator", "ProjectEvaluation", "Repair", "Flag", "Check",
    "Disclosure", "DISCLOSURE_KINDS",
]


def __getattr__(name: str):
    """``TABLE_TITLES`` (each table kind's canonical title) is the table catalogue's;
    imported lazily, the catalogue living with the parsers."""
    if name == "TABLE_TITLES":
        from converter.parsers.catalogue import TABLE_TITLES
        return TABLE_TITLES
    raise AttributeError(name)


# ``Disclosure.kind``: what the document says it is, read from its title (declared once
# here; parsers, the document-kind code list and the shapes follow it).
DISCLOSURE_KINDS: dict[str, tuple[str, str]] = {
    "budget": ("部门预算信息公开", "Department budget disclosure"),  # 部门预算(公开), 部门综合预算
    "unit_budget": ("单位预算", "Unit budget"),  # a budget unit's own 单位预算
    "final_accounts": ("部门决算", "Department final accounts"),  # 部门/单位决算
    "self_evaluation": ("部门整体支出绩效自评报告", "Performance self-evaluation report"),
    "evaluation_report": ("绩效评价报告", "Performance evaluation report"),  # 绩效评价报告/评价结果
}


@dataclass
class Unit:
    """A subordinate unit from the 机构设置 table (or a unit code line)."""

    name: str
    nature: str | None = None  # 单位性质: 行政 / 事业 …
    rank: str | None = None  # 单位规格: 正科级 …
    funding_form: str | None = None  # 经费保障形式
    code: str | None = None  # unit budget code where printed (471001)
    table: str | None = None  # "units" when read from the units table (its provenance)
    loc: Loc = field(default_factory=Loc)


@dataclass
class Figure:
    """A department-level summary figure (keys of the department-summary query)."""

    key: str
    value: Decimal
    origin: str  # "table" or "prose"
    table: str | None = None
    row: str | None = None
    loc: Loc = field(default_factory=Loc)
    # a prose figure stated in 元 ("政府采购预算 17000 元"); None: 万元, the prose's usual unit.
    # A table figure is in its table's unit (Disclosure.table_units)
    unit: str | None = None


@dataclass
class BudgetLine:
    """A row of a classification-coded table. ``amounts`` maps column keys to stated
    values; ``unparsed`` keeps raw text of cells that could not be read as a number."""

    table: str
    scheme: str | None  # "function" / "economic"; None for the 合计 row
    code: str | None
    name: str
    row: str | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)
    unparsed: dict[str, str] = field(default_factory=dict)
    is_total: bool = False
    # "name" when the code was not printed but resolved from the name through the
    # national code lists (converter/parsers/codes.py); None when printed
    code_source: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class OverviewLine:
    """A row of an uncoded table (收支总表, 财政拨款收支总表, 三公). ``side`` is
    "income" or "expenditure" for the two-sided overview tables."""

    table: str
    label: str
    item: str | None = None  # normalised item key (e.g. income_total, overseas), where known
    side: str | None = None
    row: str | None = None
    amounts: dict[str, Decimal] = field(default_factory=dict)
    unparsed: dict[str, str] = field(default_factory=dict)
    loc: Loc = field(default_factory=Loc)


@dataclass
class Target:
    comparator: str | None  # ≥ ≤ > < = ; None when only a value is printed
    value: Decimal
    unit: str | None


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str | None
    description: str | None = None
    target_raw: str | None = None
    target: Target | None = None
    basis: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class ProjectSource:
    """One place of the document that states a project: its layout (list / form / rows /
    procurement table, or a prose section), the title it prints, and what it gave (name, amount …)."""

    layout: str
    title: str | None = None
    gave: list[str] = field(default_factory=list)
    loc: Loc = field(default_factory=Loc)


@dataclass
class Project:
    name: str
    code: str | None = None
    number: str | None = None  # ordinal in the document's list of project tables
    unit_code: str | None = None
    unit_name: str | None = None
    budget: Decimal | None = None
    fiscal_funds: Decimal | None = None
    other_funds: Decimal | None = None
    purpose: str | None = None
    spending_plan: dict[str, Decimal] = field(default_factory=dict)  # "3月底" -> percent
    goal: str | None = None
    region_code: str | None = None  # 6-digit fiscal region from the code
    code_year: int | None = None  # 4-digit year from the code
    carried_over: bool | None = None  # coded with an earlier year than the budget
    indicators: list[Indicator] = field(default_factory=list)
    loc: Loc = field(default_factory=Loc)
    carryover_funds: Decimal | None = None  # 上年结转 part of the amount, where a form prints it
    department: str | None = None  # 主管部门 as printed
    category: str | None = None  # 项目类别 as printed in a list
    currency_unit: str | None = None  # unit of budget/fiscal/other as the amount's table prints it
    sources: list[ProjectSource] = field(default_factory=list)  # every table that states it
    # amounts by fund source as a list prints them (一般公共预算, 政府性基金, 单位资金 …: keys of
    # project_tables.PROJECT_TABLES["project_list"]["funds"]), in currency_unit
    funds: dict[str, Decimal] = field(default_factory=dict)
    # the other names the document prints for this same project (a list's "XX" and its
    # form's "XX项目"), as printed; ``name`` is the first one read
    aliases: list[str] = field(default_factory=list)


@dataclass
class DocRef:
    """A 发文字号 as written and normalised to GB/T 9704 (石财外〔2023〕39号)."""

    raw: str
    canonical: str
    issuer: str  # "" when the document prints no issuer prefix
    year: int
    serial: int
    finance: bool  # issuer prefix contains 财: a finance bureau allocation document
    context: str  # project_name / goal / purpose / basis / indicator / heading / prose
    project_code: str | None = None
    project_name: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class ProcurementItem:
    item: str
    project_name: str | None = None
    project_budget: Decimal | None = None
    unit_name: str | None = None  # from the preceding "…小计" row, where printed
    catalog_code: str | None = None
    measure_unit: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    funds: dict[str, Decimal] = field(default_factory=dict)
    sme_reserved: Decimal | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class FixedAsset:
    item: str
    quantity: Decimal | None = None
    value: Decimal | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class DepartmentGoal:
    """A department-level (分项) performance goal from the prose."""

    title: str
    description: str | None = None
    goal: str | None = None
    indicators: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class EvaluationItem:
    title: str
    outcomes: list[str] = field(default_factory=list)
    loc: Loc = field(default_factory=Loc)


@dataclass
class SelfEvaluation:
    items: list[EvaluationItem] = field(default_factory=list)
    conclusion: str | None = None
    score: str | None = None  # as stated, e.g. "≥98"
    grade: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class EvaluatedIndicator:
    """An indicator row of a project self-evaluation: target and actual as printed."""

    level1: str | None
    level2: str | None
    level3: str | None
    target_raw: str | None = None
    actual_raw: str | None = None
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析及改进措施
    loc: Loc = field(default_factory=Loc)


@dataclass
class ProjectEvaluation:
    """A project performance self-evaluation table (项目支出绩效自评表): money in ``unit``
    as printed (the table's 项目资金（万元） label), rate in percent."""

    project_name: str
    department: str | None = None  # 主管部门
    implementing_unit: str | None = None  # 实施单位
    unit: str | None = None
    budget_initial: Decimal | None = None  # 年初预算数
    budget_full_year: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数
    execution_rate: Decimal | None = None  # 执行率, percent as printed
    funds_weight: Decimal | None = None
    funds_score: Decimal | None = None
    goal_planned: str | None = None
    goal_actual: str | None = None
    indicators: list[EvaluatedIndicator] = field(default_factory=list)
    max_score: Decimal | None = None  # 总分 分值
    score: Decimal | None = None  # 总分 得分
    loc: Loc = field(default_factory=Loc)


@dataclass
class Repair:
    """A number rejoined because the tables' own arithmetic confirmed it."""

    table: str
    row: str | None
    column: str
    raw: str
    value: Decimal
    evidence: str
    loc: Loc = field(default_factory=Loc)


@dataclass
class Flag:
    """Something read but not trusted (an unconfirmed split number, an odd cell)."""

    kind: str
    message: str
    raw: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class Check:
    """One reconciliation check: status is pass / fail."""

    name: str
    status: str
    subject: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    table: str | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass
class Disclosure:
    source_file: str
    sha256: str  # of the source file's bytes
    # a key of DISCLOSURE_KINDS: budget (部门预算) / unit_budget (单位预算) / final_accounts
    # (部门决算) / self_evaluation (整体支出绩效自评) / evaluation_report (绩效评价报告·结果);
    # None only when no title says it (extract shows such a fragment; convert and load
    # reject it, see ``missing_identity``)
    kind: str | None
    fiscal_year: int | None = None
    department_code: str | None = None  # 3-digit budget code, where printed next to the name
    # the department, or for a unit_budget the budget unit, without its scope
    department_name: str | None = None
    department_aliases: list[str] = field(default_factory=list)  # every printed form, longest first
    department_scope: str | None = None  # "本级" / "汇总" when the title names that scope
    region_name: str | None = None
    region_code: str | None = None
    units: list[Unit] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)
    # currency unit the standard tables print ("单位：万元" / "单位：元"), as stated; amounts
    # are never converted. ``table_units`` lists each table's unit only when they differ;
    # then ``currency_unit`` is the unit most of them print (None on a tie).
    currency_unit: str | None = None
    table_units: dict[str, str] = field(default_factory=dict)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    overview_lines: list[OverviewLine] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    doc_refs: list[DocRef] = field(default_factory=list)
    procurement: list[ProcurementItem] = field(default_factory=list)
    fixed_assets: list[FixedAsset] = field(default_factory=list)
    overall_goal: str | None = None
    goals: list[DepartmentGoal] = field(default_factory=list)
    evaluation: SelfEvaluation | None = None
    project_evaluations: list[ProjectEvaluation] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    # of the content (readers.ir.Document.content_sha256): names the document's graph;
    # empty: the file's sha256
    content_sha256: str = ""

    @property
    def graph_key(self) -> str:
        return self.content_sha256 or self.sha256

    def identity_problem(self) -> str | None:
        """What of the identity (kind, fiscal year, department) the document does not state,
        as a one-line message; a document is converted and loaded only when this is None."""
        missing = [part for part, v in (("document kind", self.kind), ("fiscal year", self.fiscal_year),
                                        ("department name", self.department_name)) if v is None]
        if not missing:
            return None
        return f"identity unreadable: no {' or '.join(missing)} printed in the title, cover or table headers"

    def figure(self, key: str) -> Decimal | None:
        """The value of a summary figure, tables first, then prose."""
        f = self.figure_record(key)
        return f.value if f is not None else None

    def figure_record(self, key: str) -> Figure | None:
        """The summary figure ``figure`` reads: the first table's, else the first prose one."""
        for origin in ("table", "prose"):
            for f in self.figures:
                if f.key == key and f.origin == origin:
                    return f
        return None

    def figure_unit(self, f: Figure) -> str | None:
        """The currency unit a figure's value is stated in: its table's, or the prose's
        (万元 unless the sentence said 元); None where a table states no unit."""
        if f.origin == "table":
            return self.table_units.get(f.table or "", self.currency_unit)
        return f.unit or "万元"
