"""The table catalogue: every kind of table a disclosure prints, declared once, as data.

An entry says how to recognise the table (title patterns, a header signature of column
roles), how to read it (its columns, the national template's column count, the code
scheme of its rows), what its columns must satisfy (row identities), in which currency
unit its amounts are (as printed: the unit line before or inside the table), which
record it fills, and which summary figures it states. Classification (``classify``),
parsing (``tables``), reconciliation (``converter.reconcile``), mapping (table titles,
operation character) and ``shapes/arithmetic.ttl`` (pinned by tests/test_catalogue.py)
read it. A new regional template is one entry (or one more title/column pattern) plus
its test.

Titles vary by region: 收支总表 / 收支总体情况表 / 收支预算总表 / 财务收支预算总表 /
收入支出决算总表; 表1： / 公开01表 / 预算表3 / 附表 numbering; 市级部门 / 预算单位 /
部门综合预算 prefixes; final accounts (部门决算) use the same set with 决算 wording.
Title patterns are matched against a title without numbering, year and level prefix
(``normalize_title``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from converter.parsers.numbers import UNIT_LINE, header_label

# ---- column roles: what a header label says a column holds ---------------------------
# (role, pattern over a normalised header label). A header's roles are its signature.
ROLES: dict[str, str] = {
    "code": r"编码|代码|^科目$|^[类款项]$",
    "name": r"名称",
    "total": r"^(?:合计|总计|小计)$",
    "basic": r"基本支出",
    "project": r"项目支出",
    "personnel": r"人员(?:经费|支出)",
    "public": r"公用(?:经费|支出)",
    "carryover": r"上年结转",
    "budget": r"预算数|^预算$",
    "actual": r"决算数",
    "income_side": r"^收入$",
    "expenditure_side": r"^支出$",
    "item": r"^项目$",
    "gpb": r"一般公共预算",
    "gov_fund": r"政府性基金",
    "soe": r"国有资本经营",
    "special_account": r"财政专户",
    "income_col": r"收入$",
    "business": r"^事业收入",
    "superior": r"上级补助",
    "subordinate": r"附属单位上缴",
    "operating_exp": r"经营支出",
    "remit": r"上缴上级|上解上级",
    "subsidy": r"对附属单位补助",
    "overseas": r"因公出国",
    "vehicles": r"公务用车",
    "reception": r"公务接待",
    "economic": r"经济分类|经济科目",
    "function": r"功能分类|功能科目",
    # a classification-code column (科目编码, or 类 | 款 | 项): a grid of budget lines, not items
    "class_code": r"^(?:科目编码|科目代码|[类款项])$",
    # a column of what is bought: a table listing purchases, even beside its 科目编码 (西安)
    "purchase": r"^采购(?:项目|目录|物品|品目)|^数量$|^单价$",
    "current_year": r"^(?:本年|\d{4}年)",
    "previous_year": r"^上年",
}
_ROLE_RX = {k: re.compile(v) for k, v in ROLES.items()}


def roles_of(labels: set[str]) -> set[str]:
    """The column roles a set of (normalised) header labels names."""
    return set().union(*map(_label_roles, labels))


@lru_cache(maxsize=1 << 14)
def _label_roles(label: str) -> frozenset[str]:
    # one label's roles, once: the same header labels recur on every page of every table
    # (the regex scan per label and role was 3 % of a synthetic document's conversion)
    label = header_label(label)
    return frozenset(role for role, rx in _ROLE_RX.items() if rx.search(label))


@dataclass(frozen=True)
class Signature:
    """A header recognises a kind when it names every role of ``all_of``, at least
    ``min_any`` roles of ``any_of`` and none of ``none_of``."""

    all_of: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    min_any: int = 1
    none_of: frozenset[str] = frozenset()

    def matches(self, roles: set[str]) -> bool:
        if not self.all_of <= roles or self.none_of & roles:
            return False
        return not self.any_of or len(self.any_of & roles) >= self.min_any


def _sig(all_of: str = "", any_of: str = "", min_any: int = 1, none_of: str = "") -> Signature:
    return Signature(frozenset(all_of.split()), frozenset(any_of.split()), min_any, frozenset(none_of.split()))


@dataclass(frozen=True)
class TableKind:
    key: str
    title: str  # the canonical title (label of the table in the graph)
    titles: tuple[str, ...]  # patterns over a normalised title (``normalize_title``)
    record: str  # budget_lines / overview_lines / projects / procurement / fixed_assets / units
    standard: bool = False  # one of the budget tables a disclosure prints in its table section
    scheme: str | None = None  # code scheme of a coded table's rows: function / economic
    columns: tuple[tuple[str, str], ...] = ()  # (column key, header label pattern)
    template_width: int | None = None  # the national template's columns, in 栏次 order
    identities: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per row: lhs = Σ rhs
    # a column a table does not print stands, in the identities, for the sum of its printed
    # parts (Jiangsu 收入总表: no 财政拨款 column, only its 一般公共预算 / 政府性基金 / 国有资本 split)
    parts_of: tuple[tuple[str, tuple[str, ...]], ...] = ()
    header: Signature | None = None  # recognises the table when its title is lost
    operation: str | None = None  # OpenBudgets.eu operation character (revenue / expenditure)
    # summary figures stated by the 合计 row: column key -> figure key (first table wins)
    figures: tuple[tuple[str, str], ...] = ()
    # the title must name the table as a whole (not "项目支出…表", "…经济分类情况表")
    whole: str | None = None
    unit_rule: str = "printed"  # amounts in the unit the table prints (单位：万元 / 元), never converted
    # the same table by the other code scheme: a header naming only that scheme's codes
    # (经济分类科目 under a title without it) makes it that kind
    by_scheme: tuple[tuple[str, str], ...] = ()


_SUFFIX = r"(?:预算|决算)?(?:总体|总)?(?:情况|明细)?(?:预算|决算)?表"  # 一般公共预算支出总表 (广西)
_FUNCTION_COLUMNS = (("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出|专项业务经费"),
                     ("personnel", r"人员(?:经费|支出|类)"), ("public", r"公用(?:经费|支出)"))
_BASIC_COLUMNS = (("total", r"^合计$"), ("personnel", r"人员(?:经费|支出|类)"), ("public", r"公用(?:经费|支出)"))
_FUND_COLUMNS = (("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出"),
                 ("opening_balance", r"年初结转"), ("income", r"^本年收入$"), ("closing_balance", r"年末结转"))

# a procurement table's columns: (key, pattern over one header label); the first column a key
# matches is that key's. Fund sources after the row's 合计/总计 go into its funds.
# 西安 (陕西 部门综合预算) 政府采购（资产配置、购买服务）预算表: 单位编码 | 采购项目 (the spending
# item the purchase serves) | 采购目录 (catalogue code and name in one cell: "A02020400多功能一体机")
# | … | 数量 | … | 预算金额, with a 单位编码 row opening each unit's purchases.
_PROCUREMENT_COLUMNS = (
    ("item", r"^(?:采购物品名称|采购品目名称|采购项目名称|品目名称|项目|采购目录)$"),
    ("catalog_code", r"采购目录序号|目录编码|品目编码|^项目编号$"),
    ("category", r"^采购品目大类$"),  # 货物 / 工程 / 服务 rows, and the unit rows under them
    ("unit_code", r"^单位编码$"),
    ("project_name", r"^(?:项目名称|专项名称|采购项目)$"),
    ("project_budget", r"^预算资金$"),
    ("measure_unit", r"^计量单位$"),
    ("quantity", r"^数量$"),
    ("unit_price", r"^单价"),
    ("total", r"^(?:合计|总计|预算金额)$"),
    ("general_public_budget", r"一般公共预算"), ("gov_fund", r"基金"), ("soe_capital", r"国有资本"),
    ("special_account", r"财政专户"), ("unit_funds", r"单位资金"), ("fiscal_carryover", r"^财政拨款结转"),
    ("non_fiscal_carryover", r"非财政拨款结转"), ("carryover", r"上年结转"), ("business", r"^事业收入$"),
    ("superior", r"上级补助"), ("subordinate", r"附属单位"), ("operating", r"经营收入"),
    ("other", r"^其他(?:收入|资金)$"),
)
PROCUREMENT_FUNDS = tuple(k for k, _ in _PROCUREMENT_COLUMNS[[k for k, _ in _PROCUREMENT_COLUMNS].index("total"):])

# order matters: the first kind whose title pattern matches wins (more specific first)
CATALOGUE: tuple[TableKind, ...] = (
    TableKind(
        "fiscal_overview", "部门预算财政拨款收支总表",
        (r"财政(?:预算)?拨款(?:预算)?收入?支出?(?:预算|决算)?总(?:体情况)?表", r"财政拨款(?:预算)?收支(?:预算|决算)?情况表",
         # without 总 only as the whole title (云南 决算 04 财政拨款收入支出决算表; not the general
         # budget's 一般公共预算财政拨款收入支出决算表)
         r"^财政拨款(?:收支|收入支出)(?:预算|决算)表$"),
        "overview_lines", standard=True,
        header=_sig("income_side expenditure_side gpb", "gov_fund soe"),
    ),
    TableKind(
        "three_public", "部门预算财政拨款“三公”经费支出表", (r"三公",), "overview_lines", standard=True,
        header=_sig(any_of="overseas vehicles reception", min_any=2), operation="expenditure",
    ),
    TableKind(
        "basic_function", "一般公共预算基本支出表（按功能分类科目）",
        (r"基本支出.*(?:功能分类|功能科目)",), "budget_lines", standard=True, scheme="function",
        columns=_BASIC_COLUMNS, template_width=3, identities=(("total", ("personnel", "public")),),
        operation="expenditure",
        by_scheme=(("economic", "basic"),),
    ),
    TableKind(
        "fiscal_basic", "财政拨款基本支出表（经济科目）",
        (r"^财政拨款基本支出" + _SUFFIX,), "budget_lines", standard=True, scheme="economic",
        columns=_BASIC_COLUMNS, template_width=3, identities=(("total", ("personnel", "public")),),
        operation="expenditure",
    ),
    TableKind(
        "basic", "部门预算一般公共预算财政拨款基本支出表",
        (r"(?:一般公共预算|财政拨款).*基本支出(?:部门预算)?(?:经济分类)?" + _SUFFIX,),
        "budget_lines", standard=True, scheme="economic",
        columns=_BASIC_COLUMNS, template_width=3, identities=(("total", ("personnel", "public")),),
        header=_sig("economic personnel public", none_of="project"), operation="expenditure",
        # its 合计 is the general budget's 基本支出, not the department's (all funds): it
        # never stands in for basic_expenditure (only the 支出总表 or the prose state that)
        figures=(("personnel", "personnel_expenditure"), ("public", "public_expenditure")),
        by_scheme=(("function", "basic_function"),),
    ),
    TableKind(
        "basic_all_funds", "基本支出预算情况表",
        (r"^(?:部门|单位)?(?:预算)?基本支出(?:预算)?(?:总|情况|明细)?表$",), "budget_lines", standard=True,
        scheme="economic",
        columns=(("total", r"^合计$"), ("fiscal", r"^财政拨款"), ("special_account", r"财政专户"),
                 ("unit_funds", r"^单位资金"), ("other_funds", r"^其他资金$"), ("non_fiscal_balance", r"非财政拨款结余"),
                 ("carryover", r"上年结[转余]")),
        template_width=1,
        identities=(("total", ("fiscal", "special_account", "unit_funds", "other_funds", "non_fiscal_balance",
                               "carryover")),),
        operation="expenditure",
    ),
    TableKind(
        "gov_fund", "部门预算政府性基金预算财政拨款支出表", (r"政府性?基金",), "budget_lines", standard=True,
        scheme="function", columns=_FUND_COLUMNS, template_width=3, identities=(("total", ("basic", "project")),),
        header=_sig("gov_fund basic project", none_of="gpb soe income_side"), operation="expenditure",
    ),
    TableKind(
        "soe_capital", "部门预算国有资本经营预算财政拨款支出表", (r"国有资本经营",), "budget_lines", standard=True,
        scheme="function", columns=_FUND_COLUMNS, template_width=3, identities=(("total", ("basic", "project")),),
        header=_sig("soe basic project", none_of="gpb gov_fund income_side"), operation="expenditure",
    ),
    TableKind(
        "project_economic", "一般公共预算项目支出表（按经济分类科目）",
        (r"项目支出.*(?:经济分类|经济科目)",), "budget_lines", standard=True, scheme="economic",
        columns=(("total", r"^合计$"),), template_width=1, operation="expenditure",
    ),
    TableKind(
        "gpb_economic", "一般公共预算支出表（按经济分类科目）",
        (r"一般公共预算(?:财政)?(?:拨款)?支出.*(?:经济分类|经济科目)",), "budget_lines", standard=True,
        scheme="economic", columns=_FUNCTION_COLUMNS, template_width=3,
        identities=(("total", ("basic", "project")), ("basic", ("personnel", "public"))),
        header=_sig("economic gpb basic project"), operation="expenditure",
        by_scheme=(("function", "gpb_expenditure"),),
    ),
    TableKind(
        "gpb_expenditure", "部门预算一般公共预算财政拨款支出表",
        (r"一般公共预算(?:财政)?(?:拨款)?支出(?:功能分类)?" + _SUFFIX,), "budget_lines", standard=True,
        scheme="function", columns=_FUNCTION_COLUMNS, template_width=3,
        identities=(("total", ("basic", "project")), ("basic", ("personnel", "public"))),
        header=_sig("gpb basic project", none_of="gov_fund soe income_side economic"), operation="expenditure",
        # no figures: its 基本/项目支出 are the general budget's, not the department's (all funds)
        by_scheme=(("economic", "gpb_economic"),),
    ),
    TableKind(
        "fiscal_expenditure", "财政拨款支出表（功能科目）",
        (r"^财政拨款支出" + _SUFFIX,), "budget_lines", standard=True, scheme="function",
        columns=_FUNCTION_COLUMNS, template_width=3,
        identities=(("total", ("basic", "project")), ("basic", ("personnel", "public"))),
        operation="expenditure",
    ),
    TableKind(
        "overview", "部门预算收支总表", (r"(?:收支|收入支出)(?:预算|决算)?总(?:体情况)?表",
                                        r"^(?:部门|单位)?(?:收支|收入支出)(?:预算|决算)表$"), "overview_lines",
        standard=True, header=_sig("income_side expenditure_side"),
    ),
    TableKind(
        "income", "部门预算收入总表", (r"收入(?:预算|决算)?(?:总(?:体情况)?)?表",), "budget_lines", standard=True,
        scheme="function",
        columns=(("total", r"^合计$"), ("subtotal", r"^小计$"), ("fiscal", r"财政拨款"),
                 ("special_account", r"财政专户"), ("business", r"^事业收入$"), ("operating", r"经营收入"),
                 ("superior", r"上级补助"), ("subordinate", r"附属单位"), ("other", r"^其他收入$"),
                 ("carryover", r"上年结转"),
                 ("fiscal_general_public_budget", r"^一般公共预算"), ("fiscal_gov_fund", r"^政府性基金"),
                 ("fiscal_soe_capital", r"^国有资本经营"), ("non_fiscal_balance", r"非财政拨款结余")),
        template_width=10,
        identities=(("total", ("subtotal", "carryover")),
                    ("subtotal", ("fiscal", "special_account", "business", "operating", "superior", "subordinate",
                                  "other"))),
        parts_of=(("fiscal", ("fiscal_general_public_budget", "fiscal_gov_fund", "fiscal_soe_capital")),),
        header=_sig("income_col", "business superior subordinate special_account",
                    none_of="income_side expenditure_side basic project"),
        operation="revenue", whole=r"^(?:.*?(?:部门|单位))?(?:综合)?(?:预算|决算)?(?:财务)?收入",
    ),
    TableKind(
        "expenditure", "部门预算支出总表", (r"支出(?:预算|决算)?(?:总(?:体情况)?)?表",), "budget_lines", standard=True,
        scheme="function",
        columns=(("total", r"^合计$"), ("basic", r"基本支出"), ("project", r"项目支出"), ("operating", r"经营支出"),
                 ("remit", r"上解上级|上缴上级"), ("subsidy", r"对附属单位补助"), ("carry_forward", r"结转下年"),
                 ("personnel", r"人员(?:经费|支出|类)"), ("public", r"公用(?:经费|支出)")),
        template_width=6,
        identities=(("total", ("basic", "project", "operating", "remit", "subsidy")), ("basic", ("personnel", "public"))),
        header=_sig("basic project", "operating_exp remit subsidy", none_of="income_side"),
        operation="expenditure", whole=r"^(?:.*?(?:部门|单位))?(?:综合)?(?:预算|决算)?(?:财务)?(?:本年)?支出",
        figures=(("basic", "basic_expenditure"), ("project", "project_expenditure")),
    ),
    TableKind(
        "procurement", "部门政府采购预算", (r"政府采购",), "procurement",
        # one row per purchase (Hebei: 项目名称 | 预算资金 | 采购物品名称 | 目录序号 | 数量 | 单价 | 合计 …;
        # 苏州: 采购品目大类 | 专项名称 | 经济科目 | 采购品目名称 | 采购组织形式 | funds | 总计, with unit
        # and 货物/工程/服务 rows between) or per catalogue class (重庆: 项目编号 A/B/C | 项目 | 总计 | funds)
        columns=_PROCUREMENT_COLUMNS,
        # a grid by function classification (烟台 政府采购预算表: 科目编码 类|款|项) is the twin below
        by_scheme=(("class_code", "procurement_function"),),
    ),
    TableKind(
        "procurement_function", "政府采购预算表（按功能分类科目）", (), "budget_lines", scheme="function",
        columns=(("total", r"^合计$"), ("fiscal", r"^财政拨款"), ("fiscal_general_public_budget", r"^一般公共预算"),
                 ("fiscal_gov_fund", r"^政府性基金"), ("fiscal_soe_capital", r"^国有资本经营"),
                 ("special_account", r"财政专户"), ("unit_funds", r"^单位资金"),
                 ("non_fiscal_balance", r"非财政拨款结余"), ("carryover", r"上年结[转余]")),
        template_width=1,
        identities=(("total", ("fiscal", "special_account", "unit_funds", "non_fiscal_balance", "carryover")),
                    ("fiscal", ("fiscal_general_public_budget", "fiscal_gov_fund", "fiscal_soe_capital"))),
        operation="expenditure",
        header=_sig("class_code", none_of="purchase"),  # a grid of classes only (not in _HEADER_ORDER)
        figures=(("total", "procurement_total"),),
    ),
    TableKind("fixed_assets", "部门固定资产占用情况表", (r"固定资产|资产占用",), "fixed_assets"),
    # subordinate units: a 机构设置 table (单位名称 | 单位性质 | 单位规格 | 经费保障形式), or a plain
    # list under the 预算单位构成 sentence (西安: 序号 | 单位名称 | 拟变动情况): a header naming the
    # unit name (单位名称, 预算单位名称, 单位全称, 机构名称) and otherwise only these columns (``units_header``)
    TableKind("units", "部门机构设置情况", (r"机构设置",), "units",
              columns=(("name", r"^(?:预算)?单位(?:名称|全称)$|^机构名称$"), ("nature", r"单位性质"), ("rank", r"单位规格|级别"),
                       ("funding_form", r"经费保障形式|经费形式"), ("code", r"^单位(?:编码|代码)$"),
                       ("seq", r"^序号$"), ("change", r"^拟变动情况$|^备注$"))),
    # project tables: recognised and read by converter/parsers/projects.py for now
    # (a title naming a project table also lets a list's weak name column, 项目 or 支出项目类别,
    # be read as project names: ``project_lists.list_columns``)
    TableKind("project", "项目支出绩效目标表", (r"项目.*绩效(?:目标)?(?:申报|公开)?表$",), "projects"),  # …项目绩效目标公开表 (广西)
    TableKind("project_list", "项目支出预算表", (r"项目支出(?:及其他支出)?(?:预算)?(?:明细|总|情况)?表$", r"专项业务经费.*表$",
                                              r"重点项目"), "projects"),
    TableKind("indicators", "绩效指标表", (), "projects"),
    # project self-evaluations: recognised and read by converter/parsers/evaluation.py for now
    TableKind("project_evaluation", "项目支出绩效自评表", (r"项目(?:支出)?绩效自评表$",), "project_evaluations"),
)

KINDS: dict[str, TableKind] = {k.key: k for k in CATALOGUE}
STANDARD: tuple[str, ...] = tuple(k.key for k in CATALOGUE if k.standard)
# coded tables (rows = classification codes) and uncoded ones (label rows)
CODED: tuple[str, ...] = tuple(k.key for k in CATALOGUE if k.record == "budget_lines")
UNCODED: tuple[str, ...] = tuple(k.key for k in CATALOGUE if k.record == "overview_lines")
TABLE_TITLES: dict[str, str] = {k.key: k.title for k in CATALOGUE}
_TITLE_RULES = [(k, [re.compile(p) for p in k.titles], re.compile(k.whole) if k.whole else None) for k in CATALOGUE]
# a table kind read by the header signature when the title is lost, in this order
_HEADER_ORDER = ("three_public", "fiscal_overview", "overview", "income", "expenditure", "basic", "gpb_economic",
                 "gov_fund", "soe_capital", "gpb_expenditure")

# Numbering and prefixes before a table's name: "表1：", "公开01表", "预算表3", "附表2",
# "部门公开表5", "（十一）", "4．", "第三部分"; a year; a government level.
_TITLE_HEAD = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分[:：]?)?"
    r"(?:(?:部门|单位)?(?:公开|预算|附)?表[一二三四五六七八九十\d]+(?:[-－]\d+)?[:：、.．]?|公开\d+表|"
    r"[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]+[)）]|[.．])?")
# the year before the title, and the unit's name before that year (安徽: "霍邱县某镇财政所2024年收入
# 总表"); a year inside brackets is a tail (项目支出绩效目标表（2025年度）), not a prefix
_YEAR = re.compile(r"^(?:[^（()）\d]{2,40}?(?=\d{4}年)|[^\d]{0,40}?[（(][^）)]{1,40}[)）](?=\d{4}年))?(?:\d{4})?年度?(?=\S)")
_LEVEL = re.compile(r"^(?:市级|区级|县级|省级|本级)")
# the currency unit printed on the title's line: "项目支出预算表 单位：万元"
_UNIT_AFTER = re.compile(r"[（(]?" + UNIT_LINE + r"[)）]?$")
# a continuation mark, a year or a part number after a title: 收支总表（续）, 项目支出预算表（续表）,
# 项目支出绩效目标表（2025年度）, 项目支出绩效目标表（一）, whose funds it lists (（本级下达）,
# （对下转移支付）); not what a title says of its grid (（按功能分类科目）)
_TAIL = re.compile(r"[（(](?:续表?|\d{4}年度?|[一二三四五六七八九十]{1,3}|\d{1,2}|本级(?:下达)?|对下转移支付"
                   r"|预算公开\d{1,2}表)[)）]$")  # 广西: "…绩效目标公开表（预算公开10表）"
_BOOK_QUOTES = re.compile(r"^《(.+)》$")  # 江西, 天津 print each title in 《》


def normalize_title(key: str) -> str:
    """A normalised title without its numbering, year, level and continuation mark:
    "表2：2026年市级部门收入预算总表" -> "部门收入预算总表"."""
    t = _TITLE_HEAD.sub("", _UNIT_AFTER.sub("", key))
    t = _BOOK_QUOTES.sub(r"\1", t)
    t = _YEAR.sub("", t)
    return _TAIL.sub("", _LEVEL.sub("", t))


def title_kind(key: str) -> str | None:
    """The table kind a (normalised-key) title names, or None."""
    t = normalize_title(key)
    if not t or t.endswith("说明"):  # "关于2024年收入总表的说明" titles the prose about a table
        return None
    for kind, patterns, whole in _TITLE_RULES:
        if any(p.search(t) for p in patterns):
            if whole is not None and not whole.search(t):
                continue
            return kind.key
    return None


def scheme_kind(key: str, labels: set[str]) -> str:
    """A title's kind, or its twin by the other code scheme when the header names only
    that scheme (a function table's title over an economic-classification grid)."""
    roles = roles_of(labels)
    other = {"economic": "function", "function": "economic"}
    for scheme, twin in KINDS[key].by_scheme:
        sig = KINDS[twin].header if scheme not in other else None  # a twin by a role of its own: its signature
        if scheme in roles and other.get(scheme) not in roles and (sig is None or sig.matches(roles)):
            return twin
    return key


def header_kind(labels: set[str]) -> str | None:
    """The standard table kind a header's column roles recognise, or None."""
    roles = roles_of(labels)
    for key in _HEADER_ORDER:
        sig = KINDS[key].header
        if sig is not None and sig.matches(roles):
            return key
    return None


_UNIT_COLUMNS = [(key, re.compile(p)) for key, p in KINDS["units"].columns]


def units_header(keys: list[str]) -> dict[str, int] | None:
    """{column key: index} when a header row (normalised cells) is a units table's: it names
    the unit name and one more units column, and nothing else (a table by unit with amount
    columns is not a list of units)."""
    cols: dict[str, int] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        col = next((k for k, rx in _UNIT_COLUMNS if rx.search(key)), None)
        if col is None:
            return None
        cols.setdefault(col, i)
    return cols if "name" in cols and len(cols) >= 2 else None


def identity_pairs() -> list[tuple[str, str, str]]:
    """Every (table, lhs, rhs) of the row identities: what shapes/arithmetic.ttl checks."""
    return [(k.key, lhs, r) for k in CATALOGUE for lhs, rhs in k.identities for r in rhs]


def part_pairs() -> list[tuple[str, str, str, str]]:
    """Every (table, lhs, part, whole): an identity's rhs column ``whole`` replaced by its
    printed ``part`` where the table does not print the whole."""
    return [(k.key, lhs, p, whole) for k in CATALOGUE for lhs, rhs in k.identities
            for whole, parts in k.parts_of if whole in rhs for p in parts]


def expand(key: str, rhs, present: set[str]) -> list[str]:
    """An identity's rhs columns, a whole the table does not print replaced by its parts."""
    parts = dict(KINDS[key].parts_of)
    out: list[str] = []
    for k in rhs:
        if k not in present and k in parts:
            out.extend(parts[k])
        else:
            out.append(k)
    return out


def figure_sources() -> list[tuple[str, str, str]]:
    """(table, column, figure key) in priority order. basic_expenditure and
    project_expenditure are the department's (all funds): only the 支出总表 states them; a
    general-budget table's 基本/项目支出 is a different figure and never stands in for them."""
    order = ("expenditure", "basic", "procurement_function")
    return [(t, col, fig) for t in order for col, fig in KINDS[t].figures]
