"""Project lists: one row per project with its amount (项目支出预算表, 专项业务经费,
重点项目, 项目支出及其他支出预算表 …). Columns come from ``PROJECT_TABLES``.

Rows that are not projects: totals and header words; a unit's subtotal row (a
``单位名称`` column's group label, or a row whose amount is the sum of the rows that
follow it — the table's own arithmetic says so); a row with no amount and no goal (a
blank template row)."""

from __future__ import annotations

import re
from decimal import Decimal

from converter.parsers.numbers import amount_unit, read_cell
from converter.parsers.project_tables import PROJECT_TABLES, is_header_word, rx, titled_as_projects
from converter.parsers.project_tree import tree_groups
from converter.parsers.projects import PROJECT_CODE
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import Flag, Project, ProjectSource, Repair

_COLS: dict[str, str] = PROJECT_TABLES["project_list"]["columns"]
_LANE = re.compile(r"^(?:\*\*|\d{1,2}|栏次)$")
_TOLERANCE = Decimal("0.05")  # rounding of a subtotal printed in 万元 with two decimals
_TOTAL = re.compile(r"^(?:合计|总计|小计|其中)")  # rows that are never projects
_GRAND_TOTAL = re.compile(r"^(?:合计|总计)")  # a list's total row, over all its rows
_NAME_KEYS = frozenset({"name", "name_alone", "tree_name"})
_UNIT_CODE = re.compile(r"^\d{3,}$")  # 222001; not a funding-type number (1 全额) or a dash


def list_columns(table: Table, title: str | None = None) -> tuple[int, dict[str, int]] | None:
    """(first data row, column map) when the header names a project column and an
    amount column (and, for a name column that also heads other tables, the title
    names a project list); None otherwise."""
    for h, row in enumerate(table.rows[:3]):
        keys = [norm_key(c) for c in row.cells]
        name = next((i for i, k in enumerate(keys) if k and rx(_COLS["name"]).match(k)), None)
        if name is None:
            continue
        if not rx(_COLS["name_alone"]).match(keys[name]) and not (title and titled_as_projects(title)):
            continue
        cols: dict[str, int] = {"name": name}
        budgets: list[int] = []  # columns an amount label heads, in header order
        if rx(_COLS["tree_name"]).match(keys[name]):
            cols["tree_name"] = name
        end = h + 1
        for r in range(h, min(h + 3, len(table.rows))):
            rk = [norm_key(c) for c in table.rows[r].cells]
            if r > h and (any(_amount(c) is not None for c in table.rows[r].cells[name + 1:])
                          or (rk[name] if name < len(rk) else "")):
                break  # a data row (or a row naming something in the name column)
            end = r + 1
            for i, k in enumerate(rk):
                for key, pat in _COLS.items():
                    if key == "budget" and k and rx(pat).match(k):
                        budgets.append(i)
                    elif key not in _NAME_KEYS | {"budget"} and key not in cols and k and rx(pat).match(k):
                        # a group label (财政拨款 over 合计/一般公共预算 …) is read at its total
                        cols[key] = i
        # the amount: the first amount label that heads a column of its own (or its 合计),
        # not a group label over several columns ("2026 年预算" over 总计 | 财政拨款 …, 深圳)
        budget = next((i for i in budgets if _leaf_or_total(table.rows[h:end], i)), None)
        if budget is None or budget <= name and "unit_name" not in cols:
            continue
        cols["budget"] = budget
        for key in ("fiscal", "other"):
            if key in cols and not _leaf_or_total(table.rows[h:end], cols[key]):
                # 财政拨款 over 一般公共预算 | 政府性基金 …, 单位资金 over 事业收入 | 其他收入 …
                # with no total of its own: its first column is one part, not the whole; the
                # whole is the sum of its parts where a row adds up (``_group_sums``)
                cols[key + "_group"] = cols.pop(key)
        while end < len(table.rows) and all(_LANE.match(norm_key(c)) for c in table.rows[end].cells if c.strip()):
            end += 1
        return end, cols
    return None


def _leaf_or_total(header: list[Row], col: int) -> bool:
    """The header labels below a column's label are empty or name its total (合计/小计)."""
    seen = False
    for row in header:
        k = norm_key(row.cell(col))
        if seen and k and k not in {"合计", "小计"}:
            return False
        seen = seen or bool(k)
    return True


def _amount(cell: str) -> Decimal | None:
    """A cell's amount, its unit printed after it or not ("21.50万元")."""
    cn = read_cell(amount_unit(cell.strip())[0])
    return cn.value if cn is not None and not cn.damaged else None


_SUBTOTAL = {"合计", "小计", "总计"}
_TEXT_COLS = ("name", "unit_name", "code", "category", "goal")


def _part_columns(header: list[Row], cols: dict[str, int], width: int) -> list[int]:
    """The amount columns right of the budget column that add up to it: those whose
    lowest header label names a part (一般公共预算, 财政专户, 其他资金, 上年结转 …), not a
    subtotal (财政拨款's 合计 / 小计) and not a text column."""
    labels = [r for r in header if not all(_LANE.match(norm_key(c)) for c in r.cells if c.strip())]
    text_cols = {cols[k] for k in _TEXT_COLS if k in cols}
    out: list[int] = []
    for i in range(cols["budget"] + 1, width):
        lowest = next((norm_key(r.cell(i)) for r in reversed(labels) if norm_key(r.cell(i))), "")
        if i not in text_cols and lowest and lowest not in _SUBTOTAL:
            out.append(i)
    return out


_FUNDS: dict[str, str] = PROJECT_TABLES["project_list"]["funds"]


def _fund_keys(header: list[Row], parts: list[int]) -> dict[int, str]:
    """{column: fund key} of the part columns whose lowest header label names a fund source."""
    out: dict[int, str] = {}
    for i in parts:
        lowest = next((norm_key(r.cell(i)) for r in reversed(header) if norm_key(r.cell(i))), "")
        key = next((k for k, pat in _FUNDS.items() if rx(pat).search(lowest)), None)
        if key is not None and key not in out.values():
            out[i] = key
    return out


def _group_spans(header: list[Row], cols: dict[str, int], width: int) -> dict[str, range | set[int]]:
    """{fiscal/other: its columns} of a group label over parts without a total of its own:
    from its column to the next label printed in its header row."""
    out: dict[str, range | set[int]] = {}
    for key in ("fiscal", "other"):
        col = cols.get(key + "_group")
        if col is None:
            continue
        row = next(r for r in header if rx(_COLS[key]).match(norm_key(r.cell(col))))
        end = next((i for i in range(col + 1, width) if norm_key(row.cell(i))), width)
        out[key] = range(col, end)
    return out


# 财政拨款 is by definition the 一般公共预算, 政府性基金 and 国有资本经营预算 appropriations
# (each document's 名词解释 says so)
_FISCAL_FUNDS = ("general_public_budget", "gov_fund", "soe_capital")


def _fiscal_by_fund(keys: dict[int, str]) -> dict[str, range | set[int]]:
    """{"fiscal": its columns} of a list that prints 财政拨款 only by fund, with no 财政拨款
    label over them (湖州 表10: 总计 | 一般公共预算 | 政府性基金 | 国有资本经营预算 | 财政专户管理资金
    | 单位资金): the columns of the fiscal funds, where both 一般公共预算 and 政府性基金 are printed."""
    cols = {i for i, k in keys.items() if k in _FISCAL_FUNDS}
    if not {"general_public_budget", "gov_fund"} <= set(keys.values()):
        return {}
    return {"fiscal": cols}


def _funds(row: Row, budget: Decimal | None, keys: dict[int, str], spans: dict[str, range | set[int]]
           ) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(amount by fund source as printed, group totals) of one project row. A group's total
    (财政拨款 printed only as its 一般公共预算 | 政府性基金 … parts) is the sum of its printed
    parts, taken only where the row's printed parts add up to its amount exactly (the
    table's own arithmetic says no part is missing or misread)."""
    funds: dict[str, Decimal] = {}
    values: dict[int, Decimal] = {}
    clean = True
    for i, key in keys.items():
        cn = read_cell(row.cell(i))
        if cn is None:
            continue
        if cn.value is None or cn.damaged:
            clean = False
            continue
        funds[key] = values[i] = cn.value
    groups: dict[str, Decimal] = {}
    if clean and budget is not None and values and sum(values.values()) == budget:
        for key, span in spans.items():
            inside = [v for i, v in values.items() if i in span]
            if inside:
                groups[key] = sum(inside, Decimal(0))
        if "carryover" in funds and spans:  # the 上年结余、结转 part beside the groups (深圳)
            groups["carryover"] = funds["carryover"]
    return funds, groups


def _confirmed(row: Row, budget: int, parts: list[int]) -> tuple[Decimal, str] | None:
    """(value, raw) of a budget cell split by the layout ("530,850.0 0") when the row's
    parts add up to it exactly (all of them read cleanly); None otherwise."""
    cn = read_cell(row.cell(budget))
    if cn is None or cn.value is None or not cn.damaged or not parts:
        return None
    total, seen = Decimal(0), False
    for i in parts:
        part = read_cell(row.cell(i))
        if part is None:
            continue
        if part.value is None or part.damaged:
            return None
        total, seen = total + part.value, True
    return (cn.value, cn.raw) if seen and total == cn.value else None


def parse_project_list(table: Table, start: int, cols: dict[str, int], title: str | None,
                       fiscal_year: int | None, flags: list[Flag],
                       repairs: list[Repair] | None = None) -> list[Project]:
    """Projects of a list; a budget split by the layout is taken where its row's parts
    confirm it (and recorded in ``repairs``)."""
    rows = table.rows[start:]

    def text(row: Row, key: str) -> str:
        return squeeze_cjk(row.cell(cols[key])) if key in cols else ""

    amounts = [_amount(r.cell(cols["budget"])) for r in rows]
    parts = _part_columns(table.rows[:start], cols, table.width)
    fund_keys = _fund_keys(table.rows[:start], parts)
    spans = _group_spans(table.rows[:start], cols, table.width)
    if "fiscal" not in cols and "fiscal" not in spans:
        spans.update(_fiscal_by_fund(fund_keys))
    for k, row in enumerate(rows):
        fixed = _confirmed(row, cols["budget"], parts) if amounts[k] is None else None
        if fixed is not None:
            amounts[k] = fixed[0]
            if repairs is not None:
                repairs.append(Repair(table="project_list", row=text(row, "name") or None, column="budget",
                                      raw=fixed[1], value=fixed[0], loc=row.loc,
                                      evidence=f"{title or 'project list'}: 总计 = sum of the row's fund columns"))
    # with a unit column the units are named there, not as subtotal rows
    group = {} if "unit_name" in cols else _group_rows(rows, amounts, lambda r: text(r, "goal"),
                                                        lambda r: _is_total(r, cols), "tree_name" in cols)
    if group is None:
        flags.append(Flag(kind="unread-project-list", raw=title or "", loc=table.loc,
                          message="a list of units, categories and projects in one column whose amounts do not "
                                  "add up as a tree: which rows are projects is not stated; left out"))
        return []
    out: list[Project] = []
    unit_name: str | None = None
    unit_code: str | None = None
    last: int | None = None  # the row of the last project read
    for k, row in enumerate(rows):
        name = text(row, "name")
        if last is not None and k == last + 1 and _goal_only(row, cols):
            # the goal cell of the project above, continued over a page break
            out[-1].goal = f"{out[-1].goal or ''}{text(row, 'goal')}"
            last = k
            continue
        unit_col = text(row, "unit_name")
        if unit_col and not is_header_word(unit_col):
            unit_name = unit_col
        if not name or is_header_word(name) or _TOTAL.match(norm_key(name)):
            continue
        if k in group:
            # the unit a group names: the one with a unit code where the table has that
            # column (its other groups are funding types and categories), else a group
            # right under the total (a unit's subtotal)
            code = re.sub(r"\s+", "", text(row, "unit_code"))
            if "unit_code" in cols and _UNIT_CODE.match(code):
                unit_name, unit_code = name, code
            elif "unit_code" not in cols and group[k] == 1:
                unit_name = name
            continue
        budget, goal = amounts[k], text(row, "goal") or None
        if budget is None:
            raw = row.cell(cols["budget"]).strip()
            if raw and raw not in {"-", "—"}:
                flags.append(Flag(kind="unconfirmed-number", raw=raw, loc=row.loc,
                                  message=f"project {name}: amount '{raw}' is not a confirmed number; left out"))
            if goal is None:
                continue  # a blank template row: no amount, no goal
        funds, groups = _funds(row, budget, fund_keys, spans)
        p = Project(name=name, unit_name=unit_name, unit_code=unit_code, budget=budget, goal=goal, loc=row.loc,
                    fiscal_funds=_amount(row.cell(cols["fiscal"])) if "fiscal" in cols else groups.get("fiscal"),
                    other_funds=_amount(row.cell(cols["other"])) if "other" in cols else groups.get("other"),
                    category=text(row, "category") or None, funds=funds,
                    carryover_funds=groups.get("carryover"))
        if budget is not None and (unit := amount_unit(row.cell(cols["budget"]).strip())[1]):
            p.currency_unit = unit  # the amount's own unit beats the table's
        code = re.sub(r"\s+", "", text(row, "code"))
        if code and not is_header_word(code):
            p.code = code
            m = PROJECT_CODE.match(code)
            if m:
                p.region_code, p.code_year = m.group(1), 2000 + int(m.group(2))
                p.carried_over = fiscal_year is not None and p.code_year < fiscal_year
        p.sources.append(ProjectSource(layout="list", title=title, loc=row.loc,
                                       gave=[g for g, v in (("name", name), ("code", p.code), ("amount", budget),
                                                            ("goal", goal)) if v is not None]))
        out.append(p)
        last = k
    return _by_class(out) if "class_code" in cols else out


def _by_class(projects: list[Project]) -> list[Project]:
    """One project for the consecutive rows of a list by classification code that name the
    same project (same name, code and unit, amounts in one currency unit): its amount and fund
    parts are the sums of its rows (each row is the part of one economic class), where every
    row states them."""
    out: list[Project] = []
    for p in projects:
        prev = out[-1] if out else None
        if prev is None or (prev.name, prev.code, prev.unit_name, prev.currency_unit) != (
                p.name, p.code, p.unit_name, p.currency_unit):
            out.append(p)
            continue
        for attr in ("budget", "fiscal_funds", "other_funds", "carryover_funds"):
            a, b = getattr(prev, attr), getattr(p, attr)
            setattr(prev, attr, a + b if a is not None and b is not None else None)
        for key in set(prev.funds) | set(p.funds):
            if key in prev.funds and key in p.funds:
                prev.funds[key] += p.funds[key]
            else:
                prev.funds.pop(key, None)  # a part some rows do not print: its sum is not stated
        prev.goal = prev.goal or p.goal
        prev.sources[-1].gave += [g for g in p.sources[-1].gave if g not in prev.sources[-1].gave]
    return out


def _goal_only(row: Row, cols: dict[str, int]) -> bool:
    """A row whose only text is in the goal column."""
    if "goal" not in cols:
        return False
    filled = [i for i, c in enumerate(row.cells) if c.strip()]
    return filled == [cols["goal"]]


def _is_total(row: Row, cols: dict[str, int]) -> bool:
    """The list's total row: 合计/总计 in its name cell or any cell before the amount
    (Shaanxi prints it in the 单位编码 column)."""
    return any(_GRAND_TOTAL.match(norm_key(c)) for c in row.cells[:cols["budget"]])


def _group_rows(rows: list[Row], amounts: list[Decimal | None], goal, is_total, tree_only: bool
                ) -> dict[int, int] | None:
    """{row: depth} of the rows that are subtotals, not projects: read as a tree under the
    list's total row where the amounts fit one (``project_tree``), else one level of
    subtotals (rows stating a goal are projects); None for a list that only reads as a
    tree (``tree_only``) when its amounts do not fit one."""
    first = next((k for k, a in enumerate(amounts) if a is not None), None)
    if first is not None and is_total(rows[first]):
        below = rows[first + 1:]
        tree = tree_groups(amounts[first + 1:], [not goal(r) for r in below], amounts[first], _TOLERANCE)
        if tree is not None:
            return {first + 1 + k: depth for k, depth in tree.items()}
    if tree_only:
        return None
    return dict.fromkeys(_subtotal_rows(rows, amounts, goal, is_total), 1)


def _subtotal_rows(rows: list[Row], amounts: list[Decimal | None], goal, is_total) -> set[int]:
    """Rows whose amount is the sum of the rows right after them, up to the next such
    row (a unit's subtotal over its projects), when they state no goal of their own."""
    out: set[int] = set()
    k = 0
    while k < len(rows):
        a = amounts[k]
        n = _serial(rows[k])
        if a is None or goal(rows[k]) or (n is not None and k + 1 < len(rows) and _serial(rows[k + 1]) == n + 1):
            k += 1  # (a row numbered in sequence with the next is one of the list's items)
            continue
        total, j = Decimal(0), k + 1
        hit = None
        while j < len(rows):
            if is_total(rows[j]):
                break  # the list's own total is no part of a group
            if amounts[j] is not None:
                total += amounts[j]
            if abs(total - a) <= _TOLERANCE and j > k:
                hit = j
                # a longer run may match too only if the next rows add zero
                break
            if total > a + _TOLERANCE:
                break
            j += 1
        if hit is not None and (hit > k + 1 or _zero_or_end(amounts, hit + 1)):
            out.add(k)
            k = hit + 1
        else:
            k += 1
    return out


def _serial(row: Row) -> int | None:
    """The row's number in a 序号 column (its first non-empty cell, digits only)."""
    first = next((c.strip() for c in row.cells if c.strip()), "")
    return int(first) if first.isdigit() and len(first) <= 4 else None


def _zero_or_end(amounts: list[Decimal | None], i: int) -> bool:
    """A one-project group counts only where the next row starts a new group or the list ends."""
    return i >= len(amounts)
