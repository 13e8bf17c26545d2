"""Project tables: which tables list or describe projects, declared as data.

Three layouts print projects, across templates:
  list   one row per project with its amount (项目支出预算表, 专项业务经费, 重点项目,
         项目支出及其他支出预算表, 部门项目支出预算表 …)
  form   one labelled form per project (项目名称 / 主管部门 / 资金总额 or 年度预算资金 /
         年度目标 / 一级-二级-三级指标 / 指标值: Fujian, Hunan, Shandong, Chongqing,
         Shaanxi, national); forms that follow each other over page breaks may reach the
         parser as one table and are split at each title or 项目名称 row
  rows   one row per project with its goal and indicator rows below (长沙, 广州, 重庆
         一般性项目): ``projects.row_project_columns``

``PROJECT_TABLES`` is the one declaration of their columns and labels the parsers read
(a plain dict so that it can move into the table catalogue as is); their titles are the
catalogue's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from converter.parsers.catalogue import CATALOGUE, title_kind
from converter.readers.ir import Loc, Row, Table
from converter.readers.markup import norm_key

PROJECT_TABLES: dict[str, dict] = {
    # titles (and the lines above a table) that name something other than projects
    "not_projects": {"titles": [r"政府采购|部门整体|整体支出|整体绩效|三公|收支总|机构设置|固定资产|基本支出"]},
    "project_list": {
        # (its titles: the table catalogue's project kinds, ``titled_as_projects``)
        # header: a project-name column and an amount column
        "columns": {
            # (一级项目名称 beside 二级预算单位名称: 深圳's 重点项目 table)
            "name": r"^(?:(?:一级|二级|预算)?项目名称|项目支出名称|项目|项目名称[（(].*[)）]|支出项目类别(?:[（(].*[)）])?|"
                    r"专项名称|项目名称及用途|单位[（(]项目[)）]名称)$",
            # units, categories and projects in one name column (Shaanxi 专项业务经费支出表):
            # read only as a tree that adds up (``project_tree``)
            "tree_name": r"^单位[（(]项目[)）]名称$",
            # a name column that is unambiguous on its own; other name columns (项目,
            # 支出项目类别 also head economic-classification tables) need a list title
            "name_alone": r"^(?:(?:一级|二级)?项目名称|项目名称[（(].*[)）]|专项名称|项目名称及用途)$",
            "unit_name": r"^(?:单位名称|(?:一级|二级)?预算单位(?:名称)?|单位|项目单位)$",
            "unit_code": r"^(?:单位编码|单位代码)$",
            "code": r"^项目(?:编码|代码|编号)$",
            # a classification-code column: each project printed over several rows, one per
            # economic (or function) class (云南 部门项目支出预算表: … | 项目名称 | 经济科目编码 |
            # 经济科目名称 | 本年拨款 …); its rows are the project's parts (``project_lists``)
            "class_code": r"^(?:(?:部门|政府)?(?:预算)?(?:支出)?(?:经济|功能)(?:分类)?科目(?:编码|代码)|科目编码)$",
            "category": r"^(?:项目类别|项目类型|项目性质)$",
            # any of them with its unit after it: 金额（万元）, 资金总额（元）
            # (预算安排数, 安排金额, 预算资金, 项目预算数, 预算额: other templates' words for it)
            "budget": r"^(?:总计|合计|金额|预算数|预算金额|预算额|预算资金|预算安排(?:数|金额|资金)?|安排(?:金额|资金)|"
                      r"项目(?:支出)?预算(?:数|金额)?|(?:年度|本年|当年|年初)预算(?:数|金额)?|资金总额|项目金额|项目资金|"
                      r"当年财政拨款预算金额|年度资金总额|本年拨款|\d{4}年预算(?:数|金额)?|"
                      # (a funds allocation's list: 资金金额, 分配金额, 补助金额)
                      r"资金金额|分配金额|补助金额)(?:[（(][^（()）]*[)）])?$",
            "fiscal": r"^财政拨款(?:收入|资金)?$",
            "other": r"^(?:其他资金|单位资金)$",
            "goal": r"绩效目标$",
        },
        # the fund-source columns right of the amount, by their lowest header label: a project
        # keeps each printed part (Project.funds); a group label over parts without a total of
        # its own (杭州: 财政拨款收入 over 一般公共预算 | 政府性基金 | 国有资本经营预算; 深圳:
        # 单位资金 over 事业收入 | 其他收入) stands for their sum where the row adds up
        "funds": {
            "fiscal": r"^财政拨款(?:收入|资金)?$",
            "general_public_budget": r"^一般公共预算", "gov_fund": r"^政府性基金", "soe_capital": r"^国有资本经营",
            "special_account": r"财政专户", "unit_funds": r"^单位资金$", "business": r"^事业收入$",
            "operating": r"经营收入$", "other_income": r"^其他收入$", "other_funds": r"^其他资金$",
            "carryover": r"上年结[转余]|结余[、和]?结转",
        },
        "unit": "table",  # amounts in the unit the table prints
    },
    "project_form": {
        # labels in the first cells of a form; value = the next non-label cell
        "labels": {
            # (项目（专项）名称, 专项名称; 资金名称 and 转移支付（项目）名称 of a transfer payment's form)
            "name": r"^(?:(?:一级|二级)?项目(?:[（(]专项[)）])?名称(?:[（(](?:一级|二级)项目[)）])?|专项(?:资金)?(?:[（(]项目[)）])?名称|资金名称|"
                    r"转移支付[（(]项目[)）]名称)$",
            "code": r"^项目(?:编码|编号|代码)$",
            # (项目主管部门, 业务主管部门, 区县主管部门, 区级主管单位, 主管部门及编码)
            "department": r"^(?:(?:资金|项目|业务|地方|[省市区县]{1,2}级?)?主管(?:部门|单位)(?:及(?:代码|编码)|名称)?|预算部门)$",
            # (部门（单位）: 四川 部门预算项目绩效目标表)
            "unit_name": r"^(?:(?:项目)?(?:实施|执行)单位|预算单位|项目单位|部门[（(]单位[)）](?:名称)?)$",
            # 年度资金总额, 年度预算数, 预算金额, 项目资金总额 …; 实施期/中期 totals are the
            # period's: a row printing both gives the year's (``projects._form_labels``)
            "budget": r"^(?:其中[:：])?(?:(?:年度|实施期|中期|当年|本年|项目)?(?:预算)?资金(?:总额|总计|合计)|"
                      r"(?:年度|当年|本年)预算(?:数|资金|金额)?|预算(?:数|金额|安排(?:数|金额)?)|安排金额|"
                      r"项目(?:总)?金额|项目(?:年度)?预算(?:数|金额|资金)?|项目年度资金|项目支出金额|资金金额|"
                      # the year's amount under other words: 项目当年预算, 当年年度预算, 年度金额,
                      # 年度资金申请总额 (项目总预算 beside it is the whole project's)
                      r"项目(?:当年|本年)预算(?:数|金额|资金)?|(?:当年|本年)年度预算(?:数|金额|资金)?|"
                      r"年度(?:资金)?(?:申请)?(?:总额|金额)|预算申报(?:数|金额)|"
                      # 年度资金总额及构成 | 总额10606.75万元 | 财政拨款：… (湖南 towns)
                      r"总额|年度资金总额及构成)[:：]?$",
            "fiscal": r"^(?:其中[:：])?(?:本年|当年|本级)?财政(?:拨款|资金)(?:资金)?[:：]?$",
            # (其它资金; "三、其他：3683.40万元" after 一、财政拨款 and 二、自有资金)
            "other": r"^(?:其中[:：])?(?:其[他它](?:来源)?资金|[一二三四五六七八九十][、.．]其[他它])[:：]?$",
            "carryover": r"^(?:其中[:：])?上年结转(?:资金)?[:：]?$",
        },
        # 项目绩效目标, 总体绩效目标, 年度预期目标, 项目年度目标 … (not a 目标值 column's label)
        "goal": r"^(?:年度目标|年度总体目标|总体目标|当年绩效目标|年度绩效目标|绩效目标|(?:项目)?实施期(?:绩效)?目标|"
                r"项目(?:年度)?(?:绩效)?目标|总体绩效目标|(?:年度)?预期目标)(?!值)",
    },
}

# Words of a header or a total row: never a project's name.
HEADER_WORDS = frozenset({
    "合计", "总计", "小计", "金额", "项目", "项目名称", "单位名称", "预算数", "自评分数", "分值", "得分",
    "绩效目标", "一级指标", "二级指标", "三级指标", "指标值", "栏次", "序号", "其中", "**", "备注",
})


@lru_cache(maxsize=None)
def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def is_header_word(text: str) -> bool:
    key = re.sub(r"[:：]$", "", norm_key(text))
    return not key or key in HEADER_WORDS or re.fullmatch(r"[\d.*]+", key) is not None


def title_is(kind: str, title: str) -> bool:
    return any(rx(p).search(norm_key(title)) for p in PROJECT_TABLES[kind]["titles"])


_PROJECT_KINDS = frozenset(k.key for k in CATALOGUE if k.record == "projects")


def titled_as_projects(context: str) -> bool:
    """A line of the text before a table (its title, the lines above it) that the table
    catalogue reads as a project table's title."""
    return any(title_kind(norm_key(line)) in _PROJECT_KINDS for line in context.split())


# the currency unit a label prints after it: "年度资金总额（万元）", "财政拨款(元)："
_LABEL_UNIT = re.compile(r"[（(](?:单位[:：])?(?:人民币)?万?元[)）]$")


def form_label(cell: str) -> str | None:
    """The form field a label cell names, or None; a colon after the label is no part of it
    (项目名称： | 某某), nor the currency unit it prints (年度资金总额（万元）： | 21.50)."""
    key = _LABEL_UNIT.sub("", norm_key(cell).rstrip(":：")).rstrip(":：")
    if not key:
        return None
    for field, pat in PROJECT_TABLES["project_form"]["labels"].items():
        if rx(pat).match(key):
            return field
    return None


_COLON = re.compile(r"[:：]")


_SPACED_AMOUNT = re.compile(r"^(\S{2,16})\s+(-?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元)?)$")
_GLUED_AMOUNT = re.compile(r"^([\u4e00-\u9fff]{2,16})(\d[\d,]*(?:\.\d+)?\s*(?:万元|元))$")


def inline_label(cell: str) -> tuple[str | None, str | None]:
    """(field, value) of a cell that prints its label and value together ("项目名称：某某",
    "资金总额：21.50万元"); (None, None) otherwise. The label is the text before a colon
    (at most the first three colons are tried: "其中：财政拨款：20.00")."""
    for k, m in enumerate(_COLON.finditer(cell)):
        if k == 3:
            break
        label, value = cell[:m.start()], cell[m.end():].strip()
        field = form_label(label) if value and len(label) <= 16 else None
        if field is not None:
            return field, value
    # a money label and its amount parted by a space only ("其中：财政拨款 203"), or by
    # nothing where the amount prints its unit ("总额10606.75万元")
    m = _SPACED_AMOUNT.match(cell.strip()) or _GLUED_AMOUNT.match(cell.strip())
    if m and form_label(m.group(1)) in {"budget", "fiscal", "other", "carryover"}:
        return form_label(m.group(1)), m.group(2)
    return None, None


def cell_field(cell: str) -> str | None:
    """The form field a cell labels, alone or with its value ("项目名称：某某")."""
    return form_label(cell) or inline_label(cell)[0]


def _title_row(row: Row) -> str | None:
    """A form's own title printed as the table's first row ("…项目绩效目标表")."""
    cells = [norm_key(c) for c in row.cells if c.strip()]
    if len(cells) == 1 and cells[0].endswith("绩效目标表") and len(cells[0]) > 5:
        return cells[0]
    return None


def split_forms(table: Table) -> list[tuple[str | None, Table]]:
    """(printed title, form) for each project form in a table; forms that follow each
    other over page breaks are one table in the IR: each starts at its title row, or at
    a 项目名称/主管部门/amount row when the current form already has one. A form whose
    项目名称 row is missing because it repeats the table's first row word for word (the
    reader drops such rows as a repeated header) gets that first row back."""
    out: list[tuple[str | None, list[Row]]] = []
    cur: list[Row] = []
    title: str | None = None
    seen: set[str] = set()
    for row in table.rows:
        t = _title_row(row)
        once = {f for c in row.cells[:4] if (f := cell_field(c)) in _ONCE}
        # a once-per-form label seen twice, or a 项目名称 row after another form's labels
        if t is not None or ((once & seen or ("name" in once and seen)) and not (len(cur) == 1 and _title_row(cur[0]))):
            if cur:
                out.append((title, cur))
            cur, title, seen = [], t, set()
        cur.append(row)
        seen |= once
    if cur:
        out.append((title, cur))
    if len(out) == 1:
        return [(out[0][0], table)]
    first = table.rows[0]
    restore = any(cell_field(c) == "name" for c in first.cells[:3])
    forms: list[tuple[str | None, Table]] = []
    for t, rows in out:
        named = any(cell_field(c) == "name" for r in rows for c in r.cells[:3])
        forms.append((t, Table(rows=rows if named or not restore else [first] + rows, loc=_span(rows))))
    return forms


# labels printed once per form: a second one starts the next form
_ONCE = frozenset({"name", "department", "budget"})


def _span(rows: list[Row]) -> Loc:
    """Where a run of rows is: its first row's page and line, to its last row's line."""
    first, last = rows[0].loc, rows[-1].loc
    end = last.end_line or last.line
    return Loc(page=first.page, line=first.line, end_line=end if end != first.line else None, bbox=first.bbox)


# numbering before a form's title: 表14, 表3-1, 附表2, 附件2：, （一）, 一、, 1、, 2026年
_TITLE_NUMBER = re.compile(r"^(?:(?:附?表|附件)\d*(?:[-—－.]\d+)*[:：]?|[（(][一二三四五六七八九十\d]{1,3}[)）]|"
                           r"[一二三四五六七八九十]{1,3}[、.．]|[（(]?\d{1,3}[)）]?[、.．]|\d{4}年度?)")
# what a generic title ("部门项目支出绩效目标表", "重点项目绩效目标表") leaves: no project's name
_GENERIC_NAMES = frozenset({"部门", "单位", "本部门", "本单位", "部门预算", "单位预算", "部门项目", "重点", "一级", "二级",
                            "政策和项目预算", "政策和项目", "专项", "专项资金", "专项业务经费", "部门专项业务经费",
                            "部门整体", "整体", "预算", "转移支付"})


def name_from_title(title: str | None) -> str | None:
    """The project name a form title carries: "e福州…专栏项目绩效目标表" -> "e福州…专栏";
    None for a generic title (部门项目支出绩效目标表, 表14 部门专项业务经费绩效目标表)."""
    if not title:
        return None
    t = _TITLE_NUMBER.sub("", norm_key(title), count=1)  # one: "1、2024年…" keeps its year
    # (a transfer payment's form: "…奖励资金区域绩效目标表")
    m = re.match(r"^(?P<name>.+?)(?:项目|区域)?(?:支出)?绩效目标(?:申报)?表$", t)
    if not m or m.group("name") in _GENERIC_NAMES:
        return None
    return m.group("name")
