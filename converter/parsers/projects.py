"""Project performance-target tables (项目绩效目标表): code, name, budget, fiscal and
other funds, purpose, quarterly spending plan, goal and indicator rows."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.parsers.numbers import AMOUNT_TEXT, amount_unit, clean_amount, read_cell, read_percent, without_note
from converter.parsers.repair import Relation, resolve
from converter.parsers.project_tables import PROJECT_TABLES, form_label, inline_label, rx
from converter.parsers.targets import parse_target
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import Flag, Indicator, Project

PROJECT_CODE = re.compile(r"^(\d{6})(\d{2})P[0-9A-Z]{4,20}$")
_CHECKPOINT = re.compile(r"(\d{1,2})\s*月\s*(?:底|末)")
_PLAN_VALUE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")  # starts a number: linear on digit runs

# the indicator value column: 指标值, 目标值, 年度指标值, 指标值（年度）, 绩效指标值, 预期目标值 …;
# a 中期/实施期 value beside the year's is the period's, not the year's (``_target_column``)
# (指标值（包含数字及文字描述）: a note in the brackets; 年度数值 under 一级 | 二级 | 三级)
TARGET = (r"^(?:年度|本年|当年|中期|实施期|长期|计划)?(?:绩效|预期)?(?:指标|目标)值(?:[（(].{0,16}[)）])?$|^指标目标值$"
          r"|^(?:年度|本年|当年)数值$")
_PERIOD_VALUE = re.compile(r"^(?:中期|实施期|长期)|[（(](?:中期|实施期|长期)[)）]$")
_YEAR_VALUE = re.compile(r"^(?:年度|本年|当年)|[（(](?:年度|本年|当年)[)）]$")
# a block of the period's indicators stacked above the year's ("长期绩效指标 | 一级指标 | …" then
# "年度绩效指标 | 一级指标 | …"): its rows are not the year's
_PERIOD_BLOCK = re.compile(r"^(?:中期|实施期|长期)(?:绩效)?(?:指标|目标)")
_IND_COLS = {
    "level1": r"^一级(?:指标|$)",  # (一级 | 二级 | 三级 | 年度数值: 山东's short headers)
    "level2": r"^二级(?:指标|$)",
    "level3": r"^三级(?:指标|$)|指标名称$",
    "comparator": r"^指标性质$",
    "unit": r"计量单位$|^度量单位$",
    "description": r"指标描述|指标内容|指标(?:值)?(?:解释|说明)$|^描述$",
    "target": TARGET,
    # 指标值确定依据, 指标值设定依据, 测算依据, 依据: the column that cites the funding document
    "basis": r"依据",
}


def _is_label(text: str) -> bool:
    key = norm_key(text)
    return any(w in key for w in ("预算数", "财政资金", "其他资金", "项目名称", "项目编码", "项目编号")) or \
        form_label(text) is not None


_GOAL = PROJECT_TABLES["project_form"]["goal"]


_MONEY_KEYS = frozenset({"budget", "fiscal", "other", "carryover"})
_PERIOD_LABEL = ("实施期", "中期")  # a multi-year project's totals for the whole period
_YEAR_LABEL = ("年度", "当年", "本年")
_COLON = re.compile(r"[:：]")


def _form_labels(row: Row, year_col: int | None = None) -> dict[str, tuple[int | None, str | None, int]]:
    """Form fields labelled in a row -> (cell index of the value, value text, cell index of
    the label). A money value is the first cell after its label that reads as an amount
    (forms print empty spacer cells between); other values are the next non-empty
    non-label cell; a cell may print label and value together ("资金总额：21.50"). Where a
    row prints the implementation period's total and the year's (实施期/中期资金总额 …
    年度资金总额), the year's is the budget; below such a row (``year_col``, the column of
    the year's label) the year's parts are the ones at or right of that column."""
    out: dict[str, tuple[int | None, str | None, int]] = {}
    period: set[str] = set()
    cells = row.cells
    for i, c in enumerate(cells):
        key, inline = form_label(c), None
        if key is None:
            key, inline = inline_label(c)
            if key is None:
                continue
        if key in out and key not in period:
            # the same part printed for the period and the year side by side: the year's
            if not (key in _MONEY_KEYS and year_col is not None and out[key][2] < year_col <= i):
                continue
        if key in period and not norm_key(c).startswith(_YEAR_LABEL):
            continue
        value: tuple[int | None, str | None] = (None, None)
        grouped = False
        if inline is not None:
            if key not in _MONEY_KEYS or AMOUNT_TEXT.match(without_note(inline)) or inline in {"-", "—", "－"}:
                value = (i, inline)
        else:
            for j in range(i + 1, len(cells)):
                text = cells[j].strip()
                if not text:
                    continue
                if form_label(text) is not None or inline_label(text)[0] is not None:
                    # a group label over the amounts' own labels (资金金额（万元） | 实施期资金
                    # 总额： | 1,083.57): the labels after it say which amount is which
                    grouped = key in _MONEY_KEYS
                    break
                if key in _MONEY_KEYS:
                    if AMOUNT_TEXT.match(without_note(text)) or text in {"-", "—", "－"}:
                        value = (j, text)
                    break
                value = (j, text)
                break
        if grouped:
            continue
        out[key] = (*value, i)
        period.discard(key)
        if norm_key(c).startswith(_PERIOD_LABEL):
            period.add(key)
    return out


def _indicator_header(row: Row, period_first: bool = False) -> dict[str, int] | None:
    if not any("一级" in c or "指标名称" in c for c in row.cells):
        return None
    keys = [norm_key(c) for c in row.cells]
    if not any(k.startswith("一级指标") or k == "一级" or k.endswith("指标名称") for k in keys) or \
            not any(rx(TARGET).match(k) for k in keys):
        return None
    target = _target_column(keys, period_first)
    cols: dict[str, int] = {}
    for name, pat in _IND_COLS.items():
        if name == "target":
            continue
        at = [i for i, k in enumerate(keys) if k and rx(pat).search(k)]
        # the period's and the year's indicators side by side (二级 | 三级 | 指标值, twice): the
        # set whose value column is the year's, the last of a kind left of it
        left = [i for i in at if target is not None and i < target] if name != "basis" else []
        if left or at:
            cols[name] = left[-1] if left and len(at) > 1 else at[0]
    if target is not None:
        cols["target"] = target
    return cols


def indicator_header_at(rows: list[Row], r: int, period_first: bool = False) -> tuple[dict[str, int] | None, bool]:
    """(indicator columns, whether the header takes the next row too) of the header that
    starts at row ``r``: one row, or two where merged header cells put 一级/二级/三级指标 in
    one row and 指标值 / 指标值确定依据 (spanning both) in the other."""
    hdr = _indicator_header(rows[r], period_first)
    if hdr or r + 1 >= len(rows):
        return hdr, False
    a, b = rows[r].cells, rows[r + 1].cells
    if not any("一级" in c or "指标值" in c or "目标值" in c for c in a):
        return None, False
    width = max(len(a), len(b))
    # the lower row's label where it has one (绩效指标 spanning the level columns above 一级指标)
    both = [(b[i] if i < len(b) else "").strip() or (a[i] if i < len(a) else "") for i in range(width)]
    hdr = _indicator_header(Row(cells=both, loc=rows[r].loc), period_first)
    return (hdr, True) if hdr else (None, False)


def _target_column(keys: list[str], period_first: bool = False) -> int | None:
    """The column of the year's indicator value: the value column that is not a period's
    (中期/实施期/长期指标值, 指标值（长期）); where several are left, the one the header marks as
    the year's (指标值（年度）), or the last where the form's goals put the period's first
    (中期目标 | 年度目标: 指标值 | … | 计划指标值 under them); None where that leaves a doubt
    or only a period's is printed."""
    found = [i for i, k in enumerate(keys) if k and rx(TARGET).match(k)]
    year = [i for i in found if not _PERIOD_VALUE.search(keys[i])]
    if len(year) > 1:
        marked = [i for i in year if _YEAR_VALUE.search(keys[i])]
        year = marked[:1] or (year[-1:] if period_first else [])
    return year[0] if year else None


def spending_plan(rows: list[Row], dropped: list[str] | None = None) -> dict[str, Decimal]:
    """Checkpoint label ("3月底") -> percent. Values pair with the label at the same
    column in the nearest preceding label row (nearest column when none is exactly
    above); a cell may hold both ("12 月底 100%")."""
    labels: list[tuple[int, int, str]] = []
    values: list[tuple[int, int, Decimal]] = []
    plan: dict[str, Decimal] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            if c == 0 and "资金支出计划" in norm_key(cell):
                continue
            m = _CHECKPOINT.search(cell)
            v = _PLAN_VALUE.search(cell)
            if m and v:
                plan.setdefault(f"{int(m.group(1))}月底", Decimal(v.group(1)))
            elif m:
                labels.append((r, c, f"{int(m.group(1))}月底"))
            elif v and read_percent(cell) is not None:
                values.append((r, c, Decimal(v.group(1))))
    for r, c, val in values:
        above = [lab for lab in labels if lab[0] < r]
        if not above:
            continue
        nearest_row = max(lab[0] for lab in above)
        cands = [lab for lab in above if lab[0] == nearest_row]
        exact = [lab for lab in above if lab[1] == c]
        if exact and exact[-1][0] == nearest_row:
            label = exact[-1][2]
        else:
            # nearest column in the nearest label row; a tie goes right (labels print above-left)
            label = min(cands, key=lambda lab: (abs(lab[1] - c), -lab[1]))[2]
        if label in plan and dropped is not None:
            dropped.append(f"{val}%")
        plan.setdefault(label, val)
    return dict(sorted(plan.items(), key=lambda kv: int(kv[0].split("月")[0])))


def parse_project(table: Table, title: str | None, fiscal_year: int | None, flags: list[Flag],
                  continues: Indicator | None = None) -> Project:
    """One project form. ``continues``: the last indicator of the form this table continues
    (its indicator rows carried over a page break): the first rows' empty 一级/二级 cells
    are that indicator's group, printed once on the page before."""
    code = name = department = unit_name = None
    money: dict[str, tuple[int, int]] = {}
    purpose = goal = None
    plan_rows: list[Row] = []
    indicators: list[Indicator] = []
    ind_cols: dict[str, int] | None = None
    state = ""
    year_col: int | None = None  # the column of the year's amounts beside the period's
    goal_col: int | None = None  # the column of the year's goal in the row below its label
    goal_is_year = False  # the goal read is the year's (a period's goal does not replace it)
    skip_header_row = False  # the second row of a two-row indicator header
    period_first = False  # the goals print the period's before the year's (中期目标 | 年度目标)
    period_block = False  # in a block of the period's indicators (长期绩效指标 | 一级指标 | …)
    group: Indicator | None = None  # the last row that only names a group (一级/二级, nothing else)
    rows = table.rows
    for r, row in enumerate(rows):
        first = norm_key(row.cell(0))
        if skip_header_row:
            skip_header_row = False
            continue
        if ind_cols is None:
            hdr, two = indicator_header_at(rows, r, period_first)
            if hdr:
                ind_cols, skip_header_row = hdr, two
                period_block = bool(_PERIOD_BLOCK.match(first))
                state = "indicators"
                continue
        if state == "indicators":
            if _indicator_header(row, period_first) or indicator_header_at(rows, r, period_first)[1]:
                skip_header_row = indicator_header_at(rows, r, period_first)[1]
                period_block = bool(_PERIOD_BLOCK.match(first))  # header repeated after a page break, or the year's block
                group = None
                continue
            if period_block:
                continue
            prev = group or (indicators[-1] if indicators else continues)
            ind = _indicator(row, ind_cols or {}, prev)
            if ind is None:
                continue
            if ind.level3 or ind.description or ind.target_raw or ind.basis:
                indicators.append(ind)
                group = None
            else:  # a group's label alone ("社会成本指标" with no indicator under it): no indicator
                group = ind
            continue
        if any(_SUB_GOAL_PERIOD.match(norm_key(c)) for c in row.cells[:2]) and any(
                _SUB_GOAL_YEAR.match(norm_key(c)) for c in row.cells[2:]):
            period_first = True
        labels = _form_labels(row, year_col)
        if "budget" in labels and norm_key(row.cell(labels["budget"][2])).startswith(_YEAR_LABEL) and any(
                norm_key(c).startswith(_PERIOD_LABEL) for c in row.cells):
            year_col = labels["budget"][2]  # 中期资金总额 | … | 年度资金总额 | …: the year's column
        for key, (i, value, _label) in labels.items():
            if key == "code" and code is None and value and not _is_label(value):
                code = re.sub(r"\s+", "", value)
            elif key == "name" and name is None and value and not _is_label(value):
                name = squeeze_cjk(value)
            elif key == "department" and department is None and value:
                # "[292]国家信访局", "228_烟台市财政局": the department's code is not its name
                department = re.sub(r"^(?:[\[［(（]\d+[\]］)）]|\d{3,}[_\-—\s]*)", "", squeeze_cjk(value)) or None
            elif key == "unit_name" and unit_name is None and value:
                unit_name = squeeze_cjk(value)
            elif key in _MONEY_KEYS and i is not None and (key not in money or (
                    year_col is not None and money[key][1] < year_col <= i)):
                money[key] = (r, i)
                state = "money"
        if first.startswith("资金支出计划"):
            state = "plan"
            plan_rows.append(row)
            continue
        if goal_col is not None:  # the values row under 中期目标 | 年度目标 labels
            below, goal_col = row.cell(goal_col).strip(), None
            if below:
                goal, goal_is_year = squeeze_cjk(below), True
                continue
        if rx(_GOAL).match(first) and not _indicator_header(row):
            text, col = _goal_text(row)
            if col is not None:
                goal_col = col
            elif text and not (goal_is_year and norm_key(row.cell(0)).startswith(_PERIOD_LABEL)):
                goal, goal_is_year = text, goal_is_year or norm_key(row.cell(0)).startswith(_YEAR_LABEL)
            state = "goal"
            continue
        if state == "plan" and not first:
            plan_rows.append(row)
            continue
        if state == "money" and not first and not any(_is_label(c) for c in row.cells):
            text = squeeze_cjk(" ".join(c for c in row.cells if c.strip()))
            if text and purpose is None:
                purpose = text

    if name is None and title:
        name = title
    project = Project(name=name or "", code=code, purpose=purpose, goal=goal, indicators=indicators, loc=table.loc,
                      department=department, unit_name=unit_name)
    _read_money(project, table, money, flags)
    dropped: list[str] = []
    project.spending_plan = spending_plan(plan_rows, dropped)
    for raw in dropped:
        flags.append(Flag(kind="unlabelled-plan-value", raw=raw, loc=table.loc,
                          message=f"project {project.code or project.name}: spending-plan value {raw} has no "
                                  f"checkpoint label of its own in the extraction; left out"))
    if code:
        m = PROJECT_CODE.match(code)
        if m:
            project.region_code = m.group(1)
            project.code_year = 2000 + int(m.group(2))
            if fiscal_year is not None:
                project.carried_over = project.code_year < fiscal_year
        else:
            flags.append(Flag(kind="odd-project-code", raw=code, loc=table.loc,
                              message=f"project code '{code}' does not follow region(6)+year(2)+P+serial"))
    return project


_SUB_GOAL = re.compile(r"^(?:中期|实施期|长期|年度|本年|当年)(?:绩效)?目标[:：]?$")
_SUB_GOAL_PERIOD = re.compile(r"^(?:中期|实施期|长期)\S{0,4}目标")  # 中期目标, 中期滚动目标（2019年--2021年）
_SUB_GOAL_YEAR = re.compile(r"^(?:年度|本年|当年)(?:绩效)?目标")


def _goal_text(row: Row) -> tuple[str | None, int | None]:
    """(goal text, None) of a goal row, or (None, column) where the row only labels the
    period's and the year's goals (总体目标 | 中期目标 | 年度目标) and the year's text is in
    the row below at that column. The year's goal where the row prints both side by side
    (总体目标 | 中期目标 | … | 年度目标 | …); a first cell may hold label and text together
    ("年度目标：…")."""
    cells = row.cells
    subs = [j for j in range(1, len(cells)) if _SUB_GOAL.match(norm_key(cells[j]))]
    year = next((j for j in subs if norm_key(cells[j]).startswith(_YEAR_LABEL)), None)
    if year is not None:
        after = [c for c in cells[year + 1:] if c.strip() and not _SUB_GOAL.match(norm_key(c))]
        if after:
            return squeeze_cjk(after[0]), None
        if all(not c.strip() or j in subs for j, c in enumerate(cells) if j > 0):
            return None, year
    head = _COLON.split(cells[0], maxsplit=1)[1].strip() if _COLON.search(cells[0]) else ""
    text = squeeze_cjk(" ".join(c for c in [head] + list(cells[1:]) if c.strip()))
    return text or None, None


def _read_money(project: Project, table: Table, money: dict[str, tuple[int, int]], flags: list[Flag]) -> None:
    cells = {}
    cell_unit = None
    for key, (r, c) in money.items():
        row = table.rows[r]
        text = row.cell(c).strip()
        text = without_note(inline_label(text)[1] or text)  # "资金总额：21.50万元", "854万（其中…）"
        number, unit = amount_unit(text)
        cn = read_cell(number, continued=c in row.continued)
        if unit and key == "budget":
            cell_unit = unit  # the amount's own unit beats the table's
        if cn is not None and not _is_label(cn.raw):
            cells[key] = cn
    rels = [Relation("budget", ["fiscal", "other", "carryover"], "project budget = fiscal + other funds + carry-over")]
    res = resolve(cells, rels)
    project.budget = res.values.get("budget")
    project.fiscal_funds = res.values.get("fiscal")
    project.other_funds = res.values.get("other")
    project.carryover_funds = res.values.get("carryover")
    if project.budget is not None and cell_unit:
        project.currency_unit = cell_unit
    for key, raw in res.rejected.items():
        flags.append(Flag(kind="unconfirmed-number", raw=raw, loc=table.loc,
                          message=f"project {project.code or project.name}: {key} '{raw}' is not a confirmed amount"))


def _indicator(row: Row, cols: dict[str, int], prev: Indicator | None) -> Indicator | None:
    def get(name: str) -> str | None:
        i = cols.get(name)
        if i is None:
            return None
        text = squeeze_cjk(row.cell(i))
        return text or None

    l1, l2, l3 = get("level1"), get("level2"), get("level3")
    desc, target, basis = get("description"), get("target"), get("basis")
    if not any((l1, l2, l3, desc, target, basis)):
        return None
    if prev is not None and prev.basis and basis and not (l1 or l2 or l3 or desc or target):
        # the 依据 column alone: the previous indicator's basis wrapped onto a row of its own (a
        # page break inside the cell: "石财外" | "〔2023〕36号"), not an indicator of its own
        prev.basis += basis
        return None
    if target and (get("comparator") or get("unit")):  # ≥ | 7500 | 吨 printed in three columns
        target = "".join(x for x in (get("comparator"), target, get("unit")) if x)
    # grouped cells (一级/二级 printed once per group) fill down
    if prev is not None:
        if l1 is None:
            l1 = prev.level1
            if l2 is None:
                l2 = prev.level2
    return Indicator(level1=l1, level2=l2, level3=l3, description=desc, target_raw=target,
                     target=parse_target(target) if target else None, basis=basis, loc=row.loc)


# ---- row-per-project tables ------------------------------------------------------
# One row per project (项目名称 | 资金 | 绩效目标 | indicator columns), indicator rows
# continuing below with an empty name: 长沙 项目支出绩效目标表, 重庆 一般性项目绩效目标表,
# 广州 项目支出绩效目标表 (indicators as one text cell per project).

# 项目名称, 单位（项目）名称, 单位名称、项目名称 (云南: a unit's row, then its projects')
_ROW_NAME = r"^(?:单位[（(])?项目[)）]?名称(?:[（(].*[)）])?$|^单位名称[、/]项目名称$"
_ROW_COLS: dict[str, str] = {
    "unit_code": r"^单位编码$",
    "code": r"^项目(?:编码|代码)$",
    # the amount labels of project lists (one declaration), and 总计： as some print it
    "budget": r"^总计[:：]$|" + PROJECT_TABLES["project_list"]["columns"]["budget"],
    "fiscal": r"^财政拨款$",
    "other": r"^其他资金$",
    "goal": r"绩效目标$|^项目(?:年度)?目标$",
    "level1": r"^一级指标$", "level2": r"^二级指标$", "level3": r"^(?:三级指标|指标名称)$",
    "comparator": r"^(?:指标性质|指标值类型)$", "target": TARGET, "unit": r"^(?:计量单位|度量单位)$",
    "blob": r"^绩效指标$",
}
_ROW_BUDGET_PLAIN = r"^(?:资金总额|总计[:：]?|合计|年度预算|预算数|当年财政拨款预算金额|年度资金总额)$"
# "1.1－产出指标，11－数量指标，项目专职环保员数量；实施周期指标值：…，年度指标值：≦核定人数；"
_BLOB_ITEM = re.compile(r"\d－(?P<l1>[^，,]+?指标)[，,]\d+－(?P<l2>[^，,]+?)[，,](?P<l3>[^；;]+?)[；;]"
                        r"(?:实施周期指标值[:：](?P<period>.*?)[，,])?\s*年度指标值[:：](?P<year>.*?)(?:[；;]|$)")


def row_project_columns(table: Table) -> tuple[int, dict[str, int]] | None:
    """(header rows, column map) of a row-per-project table, or None. The header names
    the project column and the goal or indicators across, with no value beside them."""
    for h, row in enumerate(table.rows[:3]):
        keys = [norm_key(c) for c in row.cells]
        name = next((i for i, k in enumerate(keys) if rx(_ROW_NAME).match(k)), None)
        # the amount right after the name, or after a code or unit column or two between
        # (项目名称 | 项目编码 | 资金总额（万元） …)
        if name is None:
            continue
        amount = any(rx(_ROW_COLS["budget"]).match(k) for k in keys[name + 1:name + 4] if k)
        # a target table without amounts (单位名称 | 项目名称 | 年度绩效目标 | 一级指标 … 指标值):
        # the cell right of the name column is a header label too, not a form's value
        beside = keys[name + 1] if name + 1 < len(keys) else ""
        if not amount and beside and not any(rx(pat).search(beside) for pat in _ROW_COLS.values()):
            continue
        # with a goal column only, the amount must be the next column with one of the first
        # labels read: a list of that shape with goal texts stays a list (its rows without a
        # goal are projects there, unit subtotals here)
        plain = name + 1 < len(keys) and rx(_ROW_BUDGET_PLAIN).match(keys[name + 1]) is not None
        cols: dict[str, int] = {"name": name}
        for r in table.rows[h:h + 2]:
            for i, c in enumerate(r.cells):
                for key, pat in _ROW_COLS.items():
                    if key not in cols and c.strip() and rx(pat).search(norm_key(c)) and not (
                            key == "target" and _PERIOD_VALUE.search(norm_key(c))):
                        cols[key] = i
        if (amount and (("goal" in cols and plain) or "level3" in cols or "blob" in cols)) or (
                not amount and "level3" in cols and "target" in cols):
            below = table.rows[h + 1].cells if h + 1 < len(table.rows) else []
            header = h + 2 if any(norm_key(c) in {"一级指标", "三级指标", "指标名称"} for c in below) else h + 1
            return header, cols
    return None


def _new_row_project(row: Row, name: str, unit_name: str | None, money, text, fiscal_year: int | None) -> Project:
    p = Project(name=name, unit_name=unit_name, budget=money(row, "budget"), fiscal_funds=money(row, "fiscal"),
                other_funds=money(row, "other"), goal=text(row, "goal") or None, loc=row.loc)
    code = text(row, "code")
    if code:
        p.code = code
        m = PROJECT_CODE.match(code)
        if m:
            p.region_code, p.code_year = m.group(1), 2000 + int(m.group(2))
            p.carried_over = fiscal_year is not None and p.code_year < fiscal_year
    p.unit_code = text(row, "unit_code") or None
    return p


def parse_project_rows(table: Table, header: int, cols: dict[str, int], fiscal_year: int | None,
                       flags: list[Flag]) -> list[Project]:
    """Projects of a row-per-project table; rows without a goal or indicators (合计, a unit's
    subtotal) are group rows, not projects."""
    out: list[Project] = []
    unit_name: str | None = None
    cur: Project | None = None
    prev: Indicator | None = None

    def text(row: Row, key: str) -> str:
        return squeeze_cjk(row.cell(cols[key])) if key in cols else ""

    def money(row: Row, key: str) -> Decimal | None:
        if key not in cols:
            return None
        return clean_amount(row.cell(cols[key]), False, lambda raw: flags.append(Flag(
            kind="unconfirmed-number", raw=raw, loc=row.loc,
            message=f"project {text(row, 'name')} column {key}: '{raw}' kept as text")))

    for row in table.rows[header:]:
        name = text(row, "name")
        has_ind = any(text(row, k) for k in ("level3", "target", "blob"))
        if name:
            if norm_key(name) in {"合计", "合计:", "合计：", "总计"}:
                cur = None
                continue
            if not text(row, "goal") and not has_ind:
                unit_name, cur = name, None  # a unit's subtotal row
                continue
            # a name and budget repeated on the next page continue the same project
            if cur is None or name != cur.name or money(row, "budget") != cur.budget:
                cur = _new_row_project(row, name, unit_name, money, text, fiscal_year)
                out.append(cur)
                prev = None
        if cur is None:
            continue
        if "blob" in cols and "level3" not in cols and text(row, "blob"):
            for m in _BLOB_ITEM.finditer(text(row, "blob")):
                target = m.group("year").strip()
                cur.indicators.append(Indicator(level1=m.group("l1"), level2=m.group("l2"), level3=m.group("l3").strip(),
                                                target_raw=target, target=parse_target(target), loc=row.loc))
        elif has_ind:
            l1 = text(row, "level1") or (prev.level1 if prev else None)
            l2 = text(row, "level2") or (prev.level2 if prev and not text(row, "level1") else None)
            l3 = text(row, "level3") or None
            target = " ".join(x for x in (text(row, "comparator"), text(row, "target"), text(row, "unit")) if x) or None
            if l3 or target:
                prev = Indicator(level1=l1, level2=l2, level3=l3, target_raw=target,
                                 target=parse_target(target) if target else None, loc=row.loc)
                cur.indicators.append(prev)
    return out
