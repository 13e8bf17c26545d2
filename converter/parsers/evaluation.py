"""Project performance self-evaluation tables (项目支出绩效自评表 / 项目绩效自评表).

One table per project, national template (财预〔2020〕10号 附件): 项目名称, 主管部门,
实施单位; 项目资金 with 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 on the
年度资金总额 row; 年度总体目标 预期目标 vs 实际完成情况; indicator rows 一级 / 二级 /
三级指标 with 年度指标值 (target), 实际完成值 (actual), 分值, 得分 and 偏差原因; a 总分
row. Columns are found by their header labels, never by position, so regional
variants that reorder or drop columns read the same way.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from converter.parsers.numbers import read_cell
from converter.parsers.project_tables import form_label
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import EvaluatedIndicator, Flag, ProjectEvaluation

# the indicator's achieved value: 实际完成值, 完成值, 全年实际值, 全年（实际）完成值
_ACTUAL = r"^(?:全年)?(?:实际)?完成值$|^全年实际值$"
# header label -> field; first match wins, so the longer labels come first
# (四川's 部门预算项目支出绩效自评表: 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分,
# the adjusted budget being the full year's)
# (云南: 预算数（A） | 执行数（B） | 执行率（B/A） under 预算执行情况, total row 年度财政资金总额)
_FUNDS = [("budget_initial", r"^年初预算(?:数)?"), ("budget_full_year", r"^全年预算数|^调整后预算(?:数)?|^预算数"),
          ("executed", r"^全年执行数|^(?:预算)?执行数"), ("funds_weight", r"^分值$|^权重$"),
          ("execution_rate", r"^(?:预算)?执行率"), ("funds_score", r"^得分$")]
_INDICATOR = [("level1", r"^一级指标$"), ("level2", r"^二级指标$"), ("level3", r"^三级指标$"),
              ("target", r"^(?:年度)?指标值$|^年度目标值$|^预期指标值$"), ("actual", _ACTUAL),
              ("weight", r"^分值$|^权重$"), ("score", r"^得分$"), ("deviation", r"^偏差原因|^未完成原因")]
# the label of the funds' total row: 年度资金总额 (national), 资金总额, 总额 (四川)
_FUNDS_TOTAL = frozenset({"年度资金总额", "资金总额", "总额", "年度财政资金总额"})
_EXECUTED = ("全年执行数", "预算执行数", "执行数")
_LEVEL_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_INDICATOR_NUMBER = re.compile(r"^指标\d+[:：]\s*")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)%$")


def _is_name_label(key: str) -> bool:
    """项目名称 and the form's other words for it (专项资金名称, 转移支付（项目）名称)."""
    return key == "项目名称" or form_label(key) == "name"


def is_project_evaluation(table: Table) -> bool:
    """A self-evaluation table: names a project and states what was executed or achieved,
    scored (得分) or, without scores (转移支付区域（项目）绩效目标自评表, 湖南 专项资金绩效目标
    自评表), with both the funds executed and the indicators' values achieved."""
    keys = {norm_key(c) for r in table.rows[:12] for c in r.cells if c.strip()}
    named = any(_is_name_label(k) for k in keys)
    funds = any(k.startswith(_EXECUTED) for k in keys)
    achieved = any(re.match(_ACTUAL, k) for k in keys)
    return named and (funds or achieved) and ("得分" in keys or (funds and achieved))


def _label_value(rows: list[Row], label: str) -> str | None:
    """The first non-empty cell after a cell reading ``label`` (项目名称 | | X; 项目名称 and
    主管部门 stand for any of the form's words for them: 专项资金名称, 县级主管部门)."""
    for r in rows:
        keys = [norm_key(c) for c in r.cells]
        for i, k in enumerate(keys):
            if k == label or (label == "项目名称" and _is_name_label(k)) or (
                    label == "主管部门" and form_label(k) == "department"):
                value = next((squeeze_cjk(r.cells[j]) for j in range(i + 1, len(r.cells)) if keys[j]), None)
                if value and norm_key(value) not in {"实施单位", "主管部门"}:
                    return value
    return None


def _columns(row: Row, spec: list[tuple[str, str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, c in enumerate(row.cells):
        k = norm_key(c)
        for key, pat in spec:
            if k and key not in out and re.search(pat, k):
                out[key] = i
                break
    return out


def _number(text: str) -> Decimal | None:
    """A score, weight or amount cell read cleanly; "—", empty or damaged is not stated
    (no arithmetic in these tables could confirm a repair)."""
    cn = read_cell(text, continued=False)
    if cn is None or cn.value is None or cn.damaged:
        return None
    return cn.value


def _percent(text: str) -> Decimal | None:
    m = _PERCENT.match(norm_key(text))
    if not m:
        return None
    try:
        return Decimal(m.group(1))
    except InvalidOperation:
        return None


def _check_rate(ev: ProjectEvaluation, flags: list[Flag]) -> None:
    """执行率 = 全年执行数 / 全年预算数. Within half a unit of the printed precision the
    rate agrees; within one point it is the source's own rounding practice (kept and
    reported); further off it is extraction damage (two cells glued: 分值 10 + 100% ->
    "1000%") or a gross source error: reported and left out, never published as a rate."""
    if ev.execution_rate is None or not ev.budget_full_year or ev.executed is None:
        return
    computed = ev.executed / ev.budget_full_year * 100
    diff = abs(computed - ev.execution_rate)
    exponent = ev.execution_rate.as_tuple().exponent
    if diff <= Decimal(5).scaleb(exponent - 1 if isinstance(exponent, int) else -3):
        return
    keep = diff <= 1
    flags.append(Flag(kind="inconsistent-rate", raw=f"{ev.execution_rate}%", loc=ev.loc,
                      message=f"project self-evaluation '{ev.project_name}': 执行率 {ev.execution_rate}% "
                              f"against 全年执行数/全年预算数 = {computed:.2f}%"
                              + ("" if keep else "; not a readable rate, left out")))
    if not keep:
        ev.execution_rate = None


def parse_project_evaluation(table: Table, flags: list[Flag] | None = None) -> ProjectEvaluation | None:
    """The record of one self-evaluation table, or None for a blank template."""
    rows = table.rows
    name = _label_value(rows[:4], "项目名称")
    if not name:
        return None
    ev = ProjectEvaluation(project_name=name, department=_label_value(rows[:4], "主管部门"),
                           implementing_unit=_label_value(rows[:4], "实施单位"), loc=table.loc)
    funds_header = next((i for i, r in enumerate(rows) if {"年初预算数", "年初预算"} & {norm_key(c) for c in r.cells}
                         or any(norm_key(c).startswith(_EXECUTED) for c in r.cells)), None)
    # the unit of the 项目资金（万元） label, or of the funds header's 年度预算数（万元）
    unit_rows = rows[:6] + ([rows[funds_header]] if funds_header is not None else [])
    ev.unit = next((m.group(1) for r in unit_rows for c in r.cells
                    if (m := re.search(r"[（(](万元|元)[)）]", norm_key(c)))), None)
    if funds_header is not None:
        cols = _columns(rows[funds_header], _FUNDS)
        total = next((r for r in rows[funds_header + 1:funds_header + 6]
                      if any(norm_key(c).rstrip(":：") in _FUNDS_TOTAL for c in r.cells)), None)
        if total is not None and cols:
            # where the header labels the rows' label column right before the first amount
            # (四川: 年度预算数（万元） | 年初预算 …) the total's label stands under it; a row whose
            # label stands elsewhere lost (or gained) cells to a merged label on its left (the
            # rowspanned 预算执行情况 cell a text extraction leaves out): its values move with it
            shift = 0
            first = min(cols.values())
            if first > 0 and norm_key(rows[funds_header].cell(first - 1)):
                label_at = next(i for i, c in enumerate(total.cells) if norm_key(c).rstrip(":：") in _FUNDS_TOTAL)
                shift = label_at - (first - 1)
            for key in ("budget_initial", "budget_full_year", "executed", "funds_weight", "funds_score"):
                if key in cols:
                    setattr(ev, key, _number(total.cell(cols[key] + shift)))
            if "execution_rate" in cols:
                ev.execution_rate = _percent(total.cell(cols["execution_rate"] + shift))
    for i, r in enumerate(rows):
        keys = [norm_key(c) for c in r.cells]
        if "预期目标（年初设定）" in keys or "预期目标" in keys:
            planned_col = next(j for j, k in enumerate(keys) if k.startswith("预期目标"))
            actual_col = next((j for j, k in enumerate(keys) if k.startswith("实际完成情况")), None)
            if i + 1 < len(rows):
                nxt = rows[i + 1]
                ev.goal_planned = squeeze_cjk(nxt.cell(planned_col)) or None
                if actual_col is not None:
                    ev.goal_actual = squeeze_cjk(nxt.cell(actual_col)) or None
            break
    header = next((i for i, r in enumerate(rows) if "一级指标" in {norm_key(c) for c in r.cells}), None)
    if header is not None:
        cols = _columns(rows[header], _INDICATOR)
        level1 = level2 = None
        for r in rows[header + 1:]:
            first = norm_key(r.cell(0))
            if first in {"总分", "合计"}:
                ev.max_score = _number(r.cell(cols["weight"])) if "weight" in cols else None
                ev.score = _number(r.cell(cols["score"])) if "score" in cols else None
                break
            l1 = squeeze_cjk(r.cell(cols["level1"])) if "level1" in cols else ""
            l2 = squeeze_cjk(r.cell(cols["level2"])) if "level2" in cols else ""
            l3 = squeeze_cjk(r.cell(cols["level3"])) if "level3" in cols else ""
            level1 = _LEVEL_POINTS.sub("", l1) or level1
            level2 = l2 or level2
            if not l3:
                continue
            ev.indicators.append(EvaluatedIndicator(
                level1=level1, level2=level2, level3=_INDICATOR_NUMBER.sub("", l3),
                target_raw=squeeze_cjk(r.cell(cols["target"])) or None if "target" in cols else None,
                actual_raw=squeeze_cjk(r.cell(cols["actual"])) or None if "actual" in cols else None,
                weight=_number(r.cell(cols["weight"])) if "weight" in cols else None,
                score=_number(r.cell(cols["score"])) if "score" in cols else None,
                deviation=squeeze_cjk(r.cell(cols["deviation"])) or None if "deviation" in cols else None,
                loc=r.loc))
    _check_rate(ev, flags if flags is not None else [])
    return ev
