"""The standard tables: classification-coded tables (收入总表, 支出总表, 一般公共预算
支出表, 基本支出表, 政府性基金, 国有资本经营) and the uncoded ones (收支总表,
财政拨款收支总表, 三公). Columns are mapped by header label; split numbers are
repaired only where the table's arithmetic confirms them (``repair``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converter.parsers.catalogue import CODED, KINDS, expand
from converter.parsers import codes as codelists
from converter.parsers.numbers import CellNumber, header_label, read_cell
from converter.parsers.repair import Relation, resolve
from converter.readers.ir import Row, Table
from converter.readers.markup import norm_key, squeeze_cjk
from converter.records.model import BudgetLine, Flag, OverviewLine, Repair

# the coded tables' columns, row identities, template widths and code schemes: the catalogue's
CODED_COLUMNS: dict[str, list[tuple[str, str]]] = {k: list(KINDS[k].columns) for k in CODED}
ROW_IDENTITIES: dict[str, list[tuple[str, list[str]]]] = {
    k: [(lhs, list(rhs)) for lhs, rhs in KINDS[k].identities] for k in CODED}
# the national template's columns, in 栏次 order (the keys after them are regional variants)
TEMPLATE_WIDTH = {k: KINDS[k].template_width or len(KINDS[k].columns) for k in CODED}
SCHEME = {k: KINDS[k].scheme or "function" for k in CODED}

_SEQ = re.compile(r"^\d{1,4}$")
_CODE = re.compile(r"^\d{3,9}$")


@dataclass
class TableResult:
    budget_lines: list[BudgetLine] = field(default_factory=list)
    overview_lines: list[OverviewLine] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


_LANE = re.compile(r"^(?:\d{1,2}|\*+|栏次|行次)$")
_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+\.\d+$")
_TOTAL_LABEL = {"合计", "总计", "合计：", "总计：", "合计:", "总计:"}
# a column header that names the column's total (under a group label it names the group's total)
_TOTAL_WORD = re.compile(r"^(?:合计|总计|小计|支出总计|收入总计|本年收入合计|本年支出合计|本年支出|预算数|决算数|金额|本年预算|预算金额|"
                         r"收入预算|支出预算|预算|总计[:：])$")


def _is_lane_row(row: Row) -> bool:
    """The 栏次 row (lane numbers 1 2 3 …, or ** placeholders): header, not data."""
    cells = [k for k in (norm_key(c) for c in row.cells) if k]
    return norm_key(row.cell(0)) == "栏次" or (
        len(cells) >= 2 and all(_LANE.match(c) for c in cells) and sum(c.isdigit() for c in cells) >= 2)


def _header_end(table: Table) -> int:
    """Index of the first data row: after the 栏次 row; in tables numbered by 序号 the
    first row whose first cell is a sequence number; otherwise the first row with an
    amount, a 合计 label or a class code."""
    for i, row in enumerate(table.rows[:10]):
        if _is_lane_row(row):
            return i + 1
    if any(norm_key(r.cell(0)) == "序号" for r in table.rows[:3]):
        for i, row in enumerate(table.rows[:10]):
            if _SEQ.match(norm_key(row.cell(0))):
                return i
    for i, row in enumerate(table.rows[:10]):
        keys = [norm_key(c) for c in row.cells]
        first = next((j for j, k in enumerate(keys) if k), None)
        if any(_AMOUNT.match(k) for k in keys):
            return i
        if first is not None and first < 5 and (keys[first] in _TOTAL_LABEL or re.fullmatch(r"\d{3}", keys[first])):
            return i
    return min(2, len(table.rows))


def _find(header: list[Row], pattern: str) -> int | None:
    rx = re.compile(pattern)
    for row in reversed(header):
        for i, c in enumerate(row.cells):
            if c.strip() and rx.search(header_label(norm_key(c))):
                return i
    return None


def _column_paths(header: list[Row], width: int) -> list[list[str]]:
    """Per column, its header labels top to bottom. A group label spans the empty cells
    to its right where a lower header row subdivides it ("基本支出" over 小计/人员经费/公用经费)."""
    rows = [[header_label(norm_key(r.cell(i))) for i in range(width)] for r in header if not _is_lane_row(r)]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, cells in enumerate(rows):
        last, base = "", None
        for i, label in enumerate(cells):
            if label:
                last, base = label, list(paths[i])
                paths[i].append(label)
            elif last and paths[i] == base and any(lower[i] for lower in rows[r + 1:]):
                paths[i].append(last)  # same parent group: the label spans this column
    return paths


def _label_map(paths: list[list[str]], spec: list[tuple[str, str]], first: int) -> dict[str, int]:
    """Column key -> index from header label paths: a leaf naming a total (合计/小计…)
    under a group label belongs to that group; a leaf that names nothing known is
    left unmapped (never guessed)."""
    rules = [(k, re.compile(p)) for k, p in spec if k != "total"]

    def key_of(label: str) -> str | None:
        return next((k for k, rx in rules if rx.search(label)), None)

    out: dict[str, int] = {}
    for i in range(first, len(paths)):
        path = paths[i]
        if not path:
            continue
        leaf = path[-1]
        group = next((key_of(l) for l in reversed(path[:-1]) if key_of(l)), None)
        if _TOTAL_WORD.match(leaf) and group is not None:
            key = group
        else:
            key = key_of(leaf) or ("total" if _TOTAL_WORD.match(leaf) else None)
        if key is not None and key not in out:
            out[key] = i
    return out


def _column_map(table: Table, spec: list[tuple[str, str]], first_amount_lane: int, first_col: int = 0,
                kind: str = "") -> dict[str, int]:
    """Column key -> cell index. With a 栏次 row and a header holding every label of
    the national template, the template order decides (extractions misplace header
    cells but never data cells); otherwise header label paths."""
    end = _header_end(table)
    header = table.rows[:end]
    lanes = next((r for r in header if norm_key(r.cell(0)) == "栏次"), None)
    template = spec[: TEMPLATE_WIDTH.get(kind, len(spec))]
    found = {key: _find(header, pat) for key, pat in template}
    if lanes is not None and all(v is not None for v in found.values()):
        pos = {norm_key(c): i for i, c in enumerate(lanes.cells) if c.strip()}
        mapped = {key: pos.get(str(first_amount_lane + n)) for n, (key, _) in enumerate(template)}
        if all(v is not None for v in mapped.values()):
            return {k: v for k, v in mapped.items() if v is not None}
    if lanes is not None:  # the national template with some columns absent: label positions
        return {k: v for k, v in found.items() if v is not None}
    return _label_map(_column_paths(header, table.width), spec, first_col)


def _cell_number(row: Row, idx: int) -> CellNumber | None:
    return read_cell(row.cell(idx), continued=idx in row.continued)


def _append_line(lines: list[OverviewLine], cells: dict[tuple[int, str], CellNumber], line: OverviewLine,
                 row: Row, cols: dict[str, int]) -> None:
    """Add an uncoded table's row and its numeric cells (keyed by row index, column)."""
    for col, idx in cols.items():
        cn = _cell_number(row, idx)
        if cn is not None:
            cells[(len(lines), col)] = cn
    lines.append(line)


_UNIT_CODE_LABEL = r"^(?:部门|单位)(?:代码|编码)$"
_CODE_LABEL = r"科目编码|科目代码|^编码$|^代码$|^经济分类$|^支出功能分类$"
_SPLIT_CODE = {"类": 3, "款": 2, "项": 2}


def _split_code_cols(rows: list[Row]) -> list[int]:
    """Columns of a code printed as 类 | 款 | 项 (201 | 13 | 01), from the header."""
    for row in rows:
        keys = [norm_key(c) for c in row.cells]
        for i in range(len(keys) - 1):
            if keys[i] == "类" and keys[i + 1] == "款":
                return [i, i + 1] + ([i + 2] if i + 2 < len(keys) and keys[i + 2] == "项" else [])
    return []


def _panels(header: list[Row], width: int) -> list[tuple[int, int]]:
    """Column ranges of side-by-side panels (决算 基本支出表: code | name | amount, three
    times across). One range when the header names one code column per row, or when
    the second code column is a parallel scheme (烟台: 部门 | 政府 economic codes)."""
    def amount_label(text: str) -> bool:
        # a scheme label ("部门预算支出经济分类科目") heads a code + name pair, not an amount
        return bool(text) and not re.search(_CODE_LABEL + r"|名称|^[类款项]$|科目$", text)

    for row in header:
        starts = [i for i, c in enumerate(row.cells) if c.strip() and re.search(_CODE_LABEL, norm_key(c))]
        if len(starts) >= 2:
            spans = list(zip(starts, starts[1:] + [width]))
            if all(any(amount_label(norm_key(r.cell(j))) for r in header for j in range(lo, hi)) for lo, hi in spans):
                return spans
            break
    return [(0, width)]


CodedRow = tuple[Row, str | None, str, bool]  # (row, code, name, is_total)


@dataclass
class CodedRows:
    """The rows of one panel of a coded table: the code columns of a 类 | 款 | 项
    layout, the first column the amount map may use, and per row index the rows whose
    code was resolved from the name; flags for names left without a code."""

    rows: list[CodedRow]
    split: list[int]
    first: int
    resolved: set[int] = field(default_factory=set)
    flags: list[Flag] = field(default_factory=list)


_NAME_LABEL = r"科目名称|^名称$|^功能科目$|^经济科目名称$"
_HEADER_WORD = re.compile(r"科目|名称|编码|代码|^[类款项]$|^项目$")


def _table_scheme(kind: str, title: str, header: list[Row]) -> str:
    """The scheme a table's rows are classified in: what its title or code/name column
    header says (按经济分类 / 按功能分类), else the table kind's."""
    words = [norm_key(title)] + [norm_key(c) for r in header for c in r.cells[:4] if _HEADER_WORD.search(norm_key(c))]
    for text in words:
        if "经济" in text:
            return codelists.GOV_ECONOMIC if "政府" in text and "部门" not in text else codelists.ECONOMIC
        if "功能" in text:
            return codelists.FUNCTION
    return SCHEME.get(kind, codelists.FUNCTION)


def _has_amount(cells: list[str]) -> bool:
    return any((cn := read_cell(c)) is not None and cn.value is not None for c in cells if c.strip())


def _coded_rows(table: Table, end: int, lo: int, hi: int, seq_col: bool, scheme: str = codelists.FUNCTION,
                title: str = "") -> CodedRows:
    """(code, name, is_total) rows of the columns lo..hi. The code is read from a code
    column, from 类 | 款 | 项 columns, or from the name cell ("[201]一般公共服务支出",
    "201 一般公共服务支出"); a table that prints names only has them resolved through
    the national code lists (``codelists.NameResolver``), an unresolved name kept and flagged."""
    header = [Row(cells=r.cells[lo:hi], loc=r.loc) for r in table.rows[:end]]
    look = [Row(cells=r.cells[lo:hi], loc=r.loc) for r in table.rows[:end + 1]]
    split = _split_code_cols(look)
    code_idx = _find(header, _CODE_LABEL)
    name_idx = _find(header, _NAME_LABEL)
    named = name_idx is not None
    if split:
        code_idx = split[0]
    if code_idx is None:
        code_idx = 1 if seq_col else 0
        if name_idx is None and not split and _find(header, _UNIT_LABEL) == code_idx:
            # listed by unit only (浙江 收入预算总表: 单位名称 | 总计 | 本年收入 …): the first column
            # holds the labels (合计, the units), the amounts start right after it
            name_idx = code_idx
    data = [Row(cells=r.cells[lo:hi], loc=r.loc, continued={i - lo for i in r.continued if lo <= i < hi})
            for r in table.rows[end:]]
    if not split:
        # the layout of the code column's cells: codes alone, code and name in one cell, or names only
        alone = sum(1 for r in data if _CODE.match(re.sub(r"\s+", "", r.cell(code_idx))))
        joined = sum(1 for r in data if all(codelists.split_code_cell(r.cell(code_idx))))
        if joined > alone or (not alone and not joined and named and name_idx <= code_idx):
            name_idx = code_idx
    if name_idx is None or name_idx < code_idx and not split or (name_idx == code_idx and split):
        name_idx = (split[-1] if split else code_idx) + 1
    first = max([code_idx, name_idx, *split]) + 1
    header_keys = {tuple(norm_key(c) for c in r.cells) for r in header}
    # rows without a code are budget lines only under a classification's name column
    # (功能分类科目名称), not in tables listed by unit (单位名称 / 预算单位)
    classified = bool(split) or any(re.search(r"科目|分类", norm_key(r.cell(name_idx))) for r in header)
    out = CodedRows(rows=[], split=split, first=first)
    unit_total = _unit_total_row(header, data, code_idx, name_idx, first, split)
    unresolved: list[int] = []  # rows with a name and no code
    parents: dict[int, str] = {}  # 类 / 款 printed once, implied on the rows below (烟台)
    for sub in data:
        if tuple(norm_key(c) for c in sub.cells) in header_keys or _is_lane_row(sub):
            continue  # the header repeated after a page break
        if sub is unit_total:
            out.rows.append((sub, None, squeeze_cjk(sub.cell(_find(header, _UNIT_LABEL) or 0)), True))
            continue
        name = squeeze_cjk(sub.cell(name_idx))
        if split:
            parts = [re.sub(r"\s+", "", sub.cell(i)) for i in split]
            code = _join_split(parts, parents)
            head = [norm_key(sub.cell(i)) for i in split]
            is_total = not code and (norm_key(name) in _TOTAL_LABEL or any(h in _TOTAL_LABEL for h in head))
        else:
            code = re.sub(r"\s+", "", sub.cell(code_idx))
            if code and not _CODE.match(code) and norm_key(code) not in _TOTAL_LABEL:
                code, cell_name = codelists.split_code_cell(sub.cell(code_idx))
                code = code or ""
                if code and (cell_name or name_idx == code_idx):
                    name = cell_name
            elif not code:
                code, cell_name = codelists.split_code_cell(name)
                if code:
                    name = cell_name
                code = code or ""
            is_total = not code and norm_key(name) in _TOTAL_LABEL
            if norm_key(code) in _TOTAL_LABEL:
                code, is_total = "", True
        if not code and not name and not is_total:
            continue
        if code and (not _CODE.match(code) or not codelists.scheme_of(code, "")):
            continue  # not a classification code (a unit's code in a table listed by unit)
        if not code and not is_total:
            if (not classified or _HEADER_WORD.search(norm_key(name)) or not _has_amount(sub.cells[first:])
                    or _has_amount([name])):
                continue  # a unit's row, a header label, a row without figures: not a budget line
            unresolved.append(len(out.rows))
        if is_total and norm_key(name) in _TOTAL_LABEL | {""}:
            name = "合计" if not name else name
        out.rows.append((sub, code or None, name, is_total))
    if unresolved:
        _resolve_names(out, set(unresolved), scheme, title)
    return out


_UNIT_LABEL = r"^(?:预算单位|单位名称|单位)$"


def _unit_total_row(header: list[Row], data: list[Row], code_idx: int, name_idx: int, first: int,
                    split: list[int]) -> Row | None:
    """The one unit row of a table listed by unit that prints no 合计 row (深圳: 预算单位 |
    科目编码 | 科目名称 | …, the first data row "深圳市司法局（本级）" with the unit's
    amounts and no code or name): with a single unit its row is the table's total. None
    when the table prints a 合计 row, lists several units or has no unit column."""
    unit_idx = _find(header, _UNIT_LABEL)
    if unit_idx is None or unit_idx >= min(code_idx, name_idx, *split):
        return None
    found: list[Row] = []
    for row in data:
        labels = [norm_key(row.cell(i)) for i in (code_idx, name_idx, *split)]
        if any(k in _TOTAL_LABEL for k in [norm_key(row.cell(unit_idx)), *labels]):
            return None  # the table labels its own total
        if norm_key(row.cell(unit_idx)) and not any(labels) and _has_amount(row.cells[first:]):
            found.append(row)
    return found[0] if len(found) == 1 else None


def _resolve_names(out: CodedRows, unresolved: set[int], scheme: str, title: str) -> None:
    """Codes for the rows printed without one, in table order, printed codes as context.
    In a table that prints codes, a codeless row whose name is no listed concept is no
    budget line (a unit's subtotal, a note) and is dropped; in a names-only table it is
    kept with its name and flagged."""
    lists = codelists.load_codelists()
    names_only = not any(code for _r, code, _n, _t in out.rows)
    resolver = codelists.NameResolver(lists, scheme)
    keep: list[CodedRow] = []
    for r, (row, code, name, is_total) in enumerate(out.rows):
        if is_total:
            keep.append((row, code, name, is_total))
            continue
        cn = read_cell(row.cell(out.first))  # one column for the arithmetic: parent = sum of children
        amount = cn.value if cn is not None and not cn.damaged else None
        if code:
            resolver.printed(code, amount)
            keep.append((row, code, name, is_total))
            continue
        if r not in unresolved:
            continue
        res = resolver.resolve(name, amount)
        if res.code is None and not names_only and not lists.codes_named(scheme, name):
            continue
        if res.code is not None:
            out.resolved.add(len(keep))
        else:
            out.flags.append(Flag(kind="unresolved-name", raw=name, loc=row.loc,
                                  message=f"{title}: '{name}' printed without a code; {res.problem}; kept without a code"))
        keep.append((row, res.code, name, is_total))
    out.rows = keep


def _join_split(parts: list[str], parents: dict[int, str]) -> str:
    """201 | 13 | 01 -> 2011301. An empty 类 (or 款) beside a 款 (项) takes the one printed
    on a row above: the layout prints each level once."""
    if not parts or not all(re.fullmatch(r"\d*", p) for p in parts):
        return ""
    lens = [3, 2, 2][: len(parts)]
    deepest = max((i for i, p in enumerate(parts) if p), default=-1)
    if deepest < 0:
        return ""
    code = ""
    for i in range(deepest + 1):
        p = parts[i]
        if p and len(p) == lens[i]:
            parents[i] = p
            for j in list(parents):
                if j > i:
                    del parents[j]
        elif not p and i in parents:
            p = parents[i]
        elif p and i > 0 and len(p) == sum(lens[: i + 1]):  # the full code in the 款/项 column
            code = p
            parents[i] = p[-lens[i]:]
            continue
        else:
            return ""
        code += p
    return code


def parse_coded(table: Table, kind: str, title: str) -> tuple[TableResult, dict]:
    """Budget lines of a coded table, plus the raw grid for cross-table confirmation."""
    spec = CODED_COLUMNS[kind]
    end = _header_end(table)
    header = table.rows[:end]
    seq = any(norm_key(r.cell(0)) == "序号" for r in table.rows[:3])
    rows: list[CodedRow] = []
    cols: dict[str, int] = {}
    resolved: set[int] = set()
    flags: list[Flag] = []
    scheme = _table_scheme(kind, title, header)
    for lo, hi in _panels(header, table.width):
        panel = _coded_rows(table, end, lo, hi, seq, scheme, title)
        sub = Table(rows=[Row(cells=r.cells[lo:hi], loc=r.loc) for r in table.rows], loc=table.loc)
        pcols = _column_map(sub, spec, first_amount_lane=3, first_col=panel.first, kind=kind)
        if not cols:
            cols = pcols
        elif pcols != cols:
            continue  # a panel laid out differently: not understood
        resolved |= {len(rows) + r for r in panel.resolved}
        flags.extend(panel.flags)
        rows.extend(panel.rows)
    if _find(header, _UNIT_CODE_LABEL) is not None:
        scheme = "unit"  # rows are budget units (部门代码 068, 单位编码 068001), not classification codes

    cells: dict[tuple[int, str], CellNumber] = {}
    for r, (row, _code, _name, _tot) in enumerate(rows):
        for key, idx in cols.items():
            cn = _cell_number(row, idx)
            if cn is not None:
                cells[(r, key)] = cn

    relations: list[Relation] = []
    codes = {code: r for r, (_row, code, _n, _t) in enumerate(rows) if code}
    total_r = next((r for r, x in enumerate(rows) if x[3]), None)
    step = 2
    for code, r in codes.items():
        children = [codes[c] for c in codes if len(c) == len(code) + step and c.startswith(code)]
        if children:
            for key in cols:
                relations.append(Relation((r, key), [(c, key) for c in children], f"{title}: {code} = sum of its sub-codes"))
    if total_r is not None:
        tops = [r for code, r in codes.items() if len(code) == 3]
        if tops:
            for key in cols:
                relations.append(Relation((total_r, key), [(t, key) for t in tops], f"{title}: 合计 = sum of classes"))
    identities = [(lhs, expand(kind, rhs, set(cols))) for lhs, rhs in ROW_IDENTITIES.get(kind, [])]
    for r in range(len(rows)):
        for lhs, rhs in identities:
            if lhs in cols and all(k in cols for k in rhs if k in cols):
                relations.append(Relation((r, lhs), [(r, k) for k in rhs if k in cols], f"{title}: row {lhs} = {' + '.join(k for k in rhs if k in cols)}"))
    grid = {"rows": rows, "cells": cells, "relations": relations, "cols": cols, "kind": kind, "title": title,
            "seq": seq, "scheme": scheme, "resolved": resolved, "flags": flags}
    return TableResult(), grid


def finish_coded(grid: dict, external) -> TableResult:
    """Resolve repairs and build the BudgetLine records of one coded table."""
    kind, title, rows, cols = grid["kind"], grid["title"], grid["rows"], grid["cols"]
    res = resolve(grid["cells"], grid["relations"], external)
    out = TableResult(flags=list(grid.get("flags", [])))
    scheme = grid.get("scheme", SCHEME.get(kind, codelists.FUNCTION))
    for r, (row, code, name, is_total) in enumerate(rows):
        seq = norm_key(row.cell(0)) if grid.get("seq", True) else ""
        line = BudgetLine(
            table=kind, scheme=None if is_total else scheme if scheme == "unit" or not code else codelists.scheme_of(code, scheme),
            code=code, name=name, row=seq if _SEQ.match(seq) else None, is_total=is_total, loc=row.loc,
            code_source="name" if r in grid.get("resolved", ()) else None,
        )
        for key in cols:
            if (r, key) in res.values:
                line.amounts[key] = res.values[(r, key)]
                if (r, key) in res.evidence:
                    out.repairs.append(Repair(table=kind, row=line.row, column=key, raw=grid["cells"][(r, key)].raw,
                                              value=res.values[(r, key)], evidence=res.evidence[(r, key)], loc=row.loc))
            elif (r, key) in res.rejected:
                line.unparsed[key] = res.rejected[(r, key)]
                out.flags.append(Flag(kind="unconfirmed-number", raw=res.rejected[(r, key)], loc=row.loc,
                                      message=f"{title} row {line.row or '?'} {code or name} column {key}: "
                                              f"'{res.rejected[(r, key)]}' not confirmed by the table's arithmetic; kept as text"))
        out.budget_lines.append(line)
    return out


# ---- uncoded tables -------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|其中[:：])")

OVERVIEW_INCOME_ITEMS: list[tuple[str, str]] = [
    ("current_year_income", r"^本年收入合计"),
    ("income_total", r"^收入总计"),
    ("carryover_income", r"^(?:上年结转|上年结余[、和及]?结转|年初.*结转)"),
    # 一般公共预算拨款收入, 一般公共预算资金 (重庆), 一般公共预算财政拨款
    ("general_public_budget_income", r"^一般公共预算(?:拨款)?(?:收入|资金)?$|^一般公共预算财政拨款"),
    ("gov_fund_income", r"^政府性基金"),
    ("soe_capital_income", r"^国有资本经营"),
    ("special_account_income", r"^财政专户"),
    ("unit_funds_income", r"^单位资金"),
    ("business_income", r"^事业收入"),
    ("operating_income", r"^事业单位经营(?:服务)?收入|^经营收入"),
    ("superior_subsidy_income", r"^上级补助收入"),
    ("subordinate_remittance_income", r"^附属单位上缴收入"),
    ("other_income", r"^其[他它]收入"),  # 其它收入 (长沙)
]
OVERVIEW_EXPENDITURE_ITEMS: list[tuple[str, str]] = [
    ("current_year_expenditure", r"^本年支出合计"),
    ("expenditure_total", r"^支出总计"),
    ("year_end_carryover", r"^(?:年终|年末).*结转"),
]
THREE_PUBLIC_ITEMS: list[tuple[str, str]] = [
    ("total", r"^合计$|^[“\"]?三公[”\"]?经费(?:合计|支出)?$"),
    ("subtotal", r"三公.*小计|.+[“\"]三公[”\"]经费预算$"),
    ("overseas_research", r"教学科研人员因公出国"),
    ("overseas_other", r"^其他因公出国"),
    ("overseas", r"因公出国"),
    ("vehicle_purchase", r"公务用车购置(?:费|经费)?$|^购置费$"),
    ("vehicle_operation", r"公务用车运行(?:维护)?(?:费|经费)$|^运行(?:维护)?费$"),
    ("vehicles", r"公务用车购置及运(?:行)?维?(?:护)?(?:费|支出)"),
    ("reception", r"公务接待费"),
]
FISCAL_COLUMNS = [("total", r"^合计$|^预算数$|^金额$"), ("general_public_budget", r"一般公共预算"),
                  ("gov_fund", r"政府性基金"), ("soe_capital", r"国有资本经营")]


def item_key(label: str, rules: list[tuple[str, str]]) -> str | None:
    text = _NUMBERING.sub("", norm_key(label))
    text = re.sub(r"^其中[:：]", "", text)
    for key, pat in rules:
        if re.search(pat, text):
            return key
    return None


# a label column's header: 项目 on both sides, or (西安) 项目 | 预算数 | 支出功能分类科目（按大类）
# | 预算数 | 部门预算支出经济分类科目（按大类） …, without a 序号 column to shift them
_LABEL_HEAD = re.compile(r"^(?:项目|项目名称)$|^支出(?:功能|经济)分?类?科目(?:[（(][^）)]*[)）])?$")


def _overview_cols(table: Table, end: int) -> tuple[int | None, list[int], int | None, dict[str, int]]:
    """(income label col, income amount cols, expenditure label col, expenditure amount cols)."""
    header = table.rows[:end]
    label_cols: list[int] = []
    for row in header:
        idx = [i for i, c in enumerate(row.cells) if _LABEL_HEAD.match(norm_key(c))]
        if len(idx) >= 2:
            label_cols = idx[:2]
            break
    if len(label_cols) < 2:
        label_cols = [1, 3]
    inc_label, exp_label = label_cols
    width = max(len(r.cells) for r in table.rows)
    def row_number(i: int) -> bool:  # 决算 tables print a 行次 column beside each label column
        return any(norm_key(r.cell(i)) == "行次" for r in header)

    inc_amounts = [i for i in range(inc_label + 1, exp_label) if not row_number(i)]
    exp_cols: dict[str, int] = {}
    first_exp = next((i for i in range(exp_label + 1, width) if not row_number(i)), exp_label + 1)
    for i in range(first_exp, width):
        label = ""
        for row in header:
            if norm_key(row.cell(i)) and norm_key(row.cell(i)) not in {"栏次"} and not norm_key(row.cell(i)).isdigit():
                label = header_label(norm_key(row.cell(i)))
        key = next((k for k, p in FISCAL_COLUMNS if label and re.search(p, label)), None)
        if key is None and i == first_exp:
            key = "total"
        if key and key not in exp_cols:
            exp_cols[key] = i
    return inc_label, inc_amounts, exp_label, exp_cols


def parse_overview(table: Table, kind: str, title: str, external) -> TableResult:
    """收支总表 / 财政拨款收支总表: two-sided rows of (label, amount…)."""
    end = _header_end(table)
    inc_label, inc_amounts, exp_label, exp_cols = _overview_cols(table, end)
    lines: list[OverviewLine] = []
    cells: dict[tuple[int, str], CellNumber] = {}
    in_carryover = False
    for row in table.rows[end:]:
        seq = norm_key(row.cell(0))
        for side, label_idx, amount_cols in (
            ("income", inc_label, {"total": inc_amounts[0]} if inc_amounts else {}),
            ("expenditure", exp_label, exp_cols),
        ):
            label = squeeze_cjk(row.cell(label_idx))
            if not label:
                continue
            if side == "income":
                key = item_key(label, OVERVIEW_INCOME_ITEMS)
                if key == "carryover_income":
                    in_carryover = True
                elif key in {"current_year_income", "income_total"}:
                    in_carryover = False
                elif in_carryover and key:
                    key = "carryover_" + key.replace("_income", "")
            else:
                key = item_key(label, OVERVIEW_EXPENDITURE_ITEMS)
            line = OverviewLine(table=kind, label=label, item=key, side=side,
                                row=seq if _SEQ.match(seq) else None, loc=row.loc)
            _append_line(lines, cells, line, row, amount_cols)
    _grand_totals(lines)
    relations = _overview_relations(lines, title)
    res = resolve(cells, relations, lambda k, v: external(k, v))
    return _finish_uncoded(lines, cells, res, kind, title)


# the numbering levels of an overview's rows, outermost first: 一、 over 1、/1. (over (1))
_NUMBER_LEVELS = (re.compile(r"^[一二三四五六七八九十]+[、.．]"), re.compile(r"^\d{1,2}[、.．]"))


def summed_rows(lines: list[OverviewLine], side: str, total: OverviewLine) -> list[OverviewLine]:
    """The rows a side's 本年合计 (``total``) adds up: the side's rows above it, or, where it
    is printed above them (浙江 财政拨款收支总表: "一、本年支出合计" first), those below it down
    to the next named total (年终结转结余, 支出总计); of these the top level (``top_level``)
    and, on the expenditure side, the function classes (``function_classes``)."""
    rows = [l for l in lines if l.side == side]
    at = next(n for n, l in enumerate(rows) if l is total)
    parts = rows[:at]
    if not parts:
        for l in rows[at + 1:]:
            if l.item is not None:
                break
            parts.append(l)
    parts = top_level(parts)
    return function_classes(parts) if side == "expenditure" else parts


def function_classes(lines: list[OverviewLine]) -> list[OverviewLine]:
    """Where an expenditure side prints the function classification as a hierarchy of names
    (浙江 收支总表: 类, 款 and 项 rows, no codes, no numbering), only its 类 rows add up to the
    total: the rows whose name resolves to a 3-digit code, when others resolve deeper. A side
    listing 类 only, or naming nothing in the code lists, is kept whole."""
    resolver = codelists.NameResolver(codelists.load_codelists(), codelists.FUNCTION)
    codes = [resolver.resolve(l.label, l.amounts.get("total")).code for l in lines]
    if not any(c is not None and len(c) > 3 for c in codes):
        return lines
    return [l for l, c in zip(lines, codes) if c is not None and len(c) == 3]


def top_level(lines: list[OverviewLine]) -> list[OverviewLine]:
    """The rows a side's 本年合计 adds up: where the rows are numbered, only those of the
    outermost numbering the side prints (an unnumbered row, or one numbered a level
    deeper, below a numbered one is its part: "一、财政拨款" over "1.一般公共预算拨款" over
    "(1)…"; 深圳 and 西安 收支总表 nest their income rows so)."""
    for level in _NUMBER_LEVELS:
        numbered = [l for l in lines if level.match(norm_key(l.label))]
        if numbered:
            return numbered
    return lines


_GRAND = {"income": (re.compile(r"^(?:收入)?(?:总计|合计)$"), "income_total", "current_year_income"),
          "expenditure": (re.compile(r"^(?:支出)?(?:总计|合计)$"), "expenditure_total", "current_year_expenditure")}


def _grand_totals(lines: list[OverviewLine]) -> None:
    """A side's grand total printed as "收入合计" / "合计" / "总计" (no 收入总计 row): the last
    such row of the side is its total; one above a 收入总计 row is the year's total."""
    for side, (rx, total, current) in _GRAND.items():
        rows = [l for l in lines if l.side == side]
        items = {l.item for l in rows}
        plain = [l for l in rows if l.item is None and rx.match(norm_key(l.label))]
        if not plain:
            continue
        if total not in items:
            plain[-1].item = total
        elif current not in items:
            at = rows.index(next(l for l in rows if l.item == total))
            before = [l for l in plain if rows.index(l) < at]
            if before:
                before[-1].item = current


def _overview_relations(lines: list[OverviewLine], title: str) -> list[Relation]:
    rels: list[Relation] = []
    by_item = {l.item: n for n, l in enumerate(lines) if l.item}
    inc = [n for n, l in enumerate(lines) if l.side == "income"]
    exp = [n for n, l in enumerate(lines) if l.side == "expenditure"]
    cy = by_item.get("current_year_income")
    if cy is not None:
        tops = {id(l) for l in summed_rows(lines, "income", lines[cy])}
        parts = [n for n in inc if id(lines[n]) in tops]
        rels.append(Relation((cy, "total"), [(n, "total") for n in parts], f"{title}: 本年收入合计 = sum of income rows"))
    ce = by_item.get("current_year_expenditure")
    cols = ["total", "general_public_budget", "gov_fund", "soe_capital"]
    if ce is not None:
        tops = {id(l) for l in summed_rows(lines, "expenditure", lines[ce])}
        parts = [n for n in exp if id(lines[n]) in tops]
        for c in cols:
            rels.append(Relation((ce, c), [(n, c) for n in parts], f"{title}: 本年支出合计 = sum of expenditure rows"))
    it, co = by_item.get("income_total"), by_item.get("carryover_income")
    if it is not None and cy is not None:
        rels.append(Relation((it, "total"), [(cy, "total")] + ([(co, "total")] if co is not None else []),
                            f"{title}: 收入总计 = 本年收入合计 + 上年结转"))
    et, ye = by_item.get("expenditure_total"), by_item.get("year_end_carryover")
    if et is not None and ce is not None:
        for c in cols:
            rels.append(Relation((et, c), [(ce, c)] + ([(ye, c)] if ye is not None else []),
                                f"{title}: 支出总计 = 本年支出合计 + 年终结转"))
    if it is not None and et is not None:
        rels.append(Relation((it, "total"), [(et, "total")], f"{title}: 收入总计 = 支出总计"))
    return rels


_BUDGET_FINAL = {"预算数": "budget", "决算数": "total"}  # 决算 tables print both; the 决算数 is the stated amount


_CURRENT = re.compile(r"^(?:当年|本年)")
_FUND_LEAF = {"一般公共预算": "general_public_budget", "一般公共预算拨款": "general_public_budget",
              "政府性基金预算": "gov_fund", "政府性基金预算拨款": "gov_fund",
              "国有资本经营预算": "soe_capital", "国有资本经营预算拨款": "soe_capital"}


def _three_public_across(table: Table, title: str, external) -> TableResult | None:
    """三公 tables laid out across: one column per item (合计 | 因公出国 | 公务用车 小计 /
    购置 / 运行 | 接待), the amounts in the row(s) below; 决算 tables add 预算数/决算数 as
    sub-columns or as row labels. None when the header names fewer than two items."""
    end = _header_end(table)
    header = [r for r in table.rows[:end]]
    data = table.rows[end:]
    # the header runs on until the first row holding an amount
    while data and not any(_AMOUNT.match(norm_key(c)) or re.fullmatch(r"\d+", norm_key(c)) for c in data[0].cells):
        header.append(data.pop(0))
    paths = _column_paths(header, table.width)
    years = [int(y) for p in paths for l in p[:1] for y in re.findall(r"(\d{4})年", l)]
    year = f"{max(years)}年" if years else None  # two years side by side: the later is the budget year
    # 上年 | 当年 | 增减变化 groups: the current year's columns only
    current = any(p and _CURRENT.match(p[0]) for p in paths)
    cols: list[tuple[int, str, str, str]] = []  # (index, item, label, amount key)
    for i, path in enumerate(paths):
        if not path or (year and not path[0].startswith(year)) or (current and not _CURRENT.match(path[0])):
            continue
        labels = [l for l in path if l not in _BUDGET_FINAL]
        amount_key = _BUDGET_FINAL.get(path[-1], "total")
        fund = _FUND_LEAF.get(labels[-1]) if len(labels) > 1 else None
        if fund:  # item over 一般公共预算 | 政府性基金预算 | 国有资本经营预算 (深圳): the fund is the column
            amount_key, labels = fund, labels[:-1]
        leaf = labels[-1] if labels else ""
        group = next((item_key(l, THREE_PUBLIC_ITEMS) for l in reversed(labels[:-1]) if item_key(l, THREE_PUBLIC_ITEMS)), None)
        if re.match(r"^(?:合计|小计|总计)$", leaf):
            item = group or "total"
        else:
            item = item_key(leaf, THREE_PUBLIC_ITEMS)
        if item in {"total", "subtotal"} and group is None and leaf == "小计":
            item = "total"
        if item is not None:
            cols.append((i, item, leaf if leaf not in {"合计", "小计"} or group is None else f"{labels[-2]}{leaf}", amount_key))
    if len({c[1] for c in cols}) < 2:
        return None
    # rows by year (2025年 | 2026年 | 增减变化金额): the budget year's row only
    years_of = {n: int(m.group(1)) for n, row in enumerate(data) for c in row.cells
                if (m := re.fullmatch(r"(\d{4})年度?", norm_key(c)))}
    if years_of:
        latest = max(years_of.values())
        data = [row for n, row in enumerate(data) if years_of.get(n) == latest]
    # the 合计 row when units are listed below it; rows labelled 预算数 / 决算数
    rows: list[tuple[Row, str]] = []
    for row in data:
        label = next((norm_key(c) for c in row.cells if norm_key(c) and not _AMOUNT.match(norm_key(c))
                      and not re.fullmatch(r"\d+(?:\.\d+)?", norm_key(c))), "")
        if label in _BUDGET_FINAL:
            rows.append((row, _BUDGET_FINAL[label]))
        elif not rows:
            rows.append((row, ""))
    lines: list[OverviewLine] = []
    cells: dict[tuple[int, str], CellNumber] = {}
    index: dict[str, int] = {}
    for i, item, label, amount_key in cols:
        for row, row_key in rows:
            key = row_key or amount_key
            if item not in index:
                index[item] = len(lines)
                lines.append(OverviewLine(table="three_public", label=label, item=item, loc=row.loc))
            n = index[item]
            if (n, key) in cells:
                continue
            cn = _cell_number(row, i)
            if cn is not None:
                cells[(n, key)] = cn
    by = {l.item: n for n, l in enumerate(lines)}
    rels: list[Relation] = []
    for c in sorted({k for _, k in cells}):
        parts = [by[k] for k in ("overseas", "vehicles", "reception") if k in by]
        if "total" in by and parts:
            rels.append(Relation((by["total"], c), [(p, c) for p in parts], f"{title}: 三公 = 出国 + 公务用车 + 接待"))
        sub = [by[k] for k in ("vehicle_purchase", "vehicle_operation") if k in by]
        if "vehicles" in by and sub:
            rels.append(Relation((by["vehicles"], c), [(s_, c) for s_ in sub], f"{title}: 公务用车 = 购置 + 运行维护"))
    res = resolve(cells, rels, external)
    return _finish_uncoded(lines, cells, res, "three_public", title)


def _down_amount_columns(header: list[Row], label_idx: int) -> dict[str, int]:
    """The amount columns of a 三公 table laid out down (one row per item) that say which
    year or which of budget and actual they hold: a 决算's 预算数 | 决算数 (the 决算数 is the
    stated amount, the 预算数 kept as "budget"), or two years side by side (项目 | 2025年预算数
    | 2026年预算数, 上年 | 本年): the later year's column is the amount."""
    out: dict[str, int] = {}
    final = _find(header, r"^决算数?$")
    if final is not None and final != label_idx:
        out["total"] = final
        budget = _find(header, r"^(?:年初|全年)?预算数?$")
        if budget is not None and budget != label_idx:
            out["budget"] = budget
        return out
    years: dict[int, int] = {}
    for row in header:
        for i, c in enumerate(row.cells):
            m = re.match(r"^(\d{4})年度?(?:预算数?|预算安排)?$", norm_key(c))
            if m and i != label_idx:
                years.setdefault(int(m.group(1)), i)
    if len(years) >= 2:
        out["total"] = years[max(years)]
        return out
    for row in header:
        for i, c in enumerate(row.cells):
            if i != label_idx and re.match(r"^(?:本年|当年)(?:预算数?)?$", norm_key(c)):
                out["total"] = i
                return out
    return out


def parse_three_public(table: Table, title: str, external) -> TableResult:
    end = _header_end(table)
    header = table.rows[:end]
    label_idx0 = _find(header, r"^项目$")
    items_down = sum(1 for r in table.rows[end:] for c in r.cells[:2] if item_key(c, THREE_PUBLIC_ITEMS))
    if items_down < 2 or label_idx0 is None and items_down < 3:
        across = _three_public_across(table, title, external)
        if across is not None:
            return across
    label_idx = label_idx0 if label_idx0 is not None else 1
    cols: dict[str, int] = {}
    for key, pat in FISCAL_COLUMNS:
        i = _find(header, pat)
        if i is not None and i != label_idx:
            cols[key] = i
    cols.update(_down_amount_columns(header, label_idx))
    if "total" not in cols and label_idx + 1 < table.width:
        cols["total"] = label_idx + 1
    lines: list[OverviewLine] = []
    cells: dict[tuple[int, str], CellNumber] = {}
    for row in table.rows[end:]:
        label = squeeze_cjk(row.cell(label_idx))
        if not label:
            continue
        seq = norm_key(row.cell(0))
        line = OverviewLine(table="three_public", label=label, item=item_key(label, THREE_PUBLIC_ITEMS),
                            row=seq if _SEQ.match(seq) else None, loc=row.loc)
        _append_line(lines, cells, line, row, cols)
    by = {l.item: n for n, l in enumerate(lines) if l.item}
    rels: list[Relation] = []
    for c in cols:
        head = by.get("subtotal", by.get("total"))
        if "total" in by and "subtotal" in by:
            rels.append(Relation((by["total"], c), [(by["subtotal"], c)], f"{title}: 合计 = 小计"))
        if head is not None:
            veh = ["vehicles"] if "vehicles" in by else [k for k in ("vehicle_purchase", "vehicle_operation") if k in by]
            parts = [by[k] for k in ["overseas", *veh, "reception"] if k in by]
            if parts:
                rels.append(Relation((head, c), [(p, c) for p in parts], f"{title}: 三公 = 出国 + 公务用车 + 接待"))
        if "vehicles" in by:
            sub = [by[k] for k in ("vehicle_purchase", "vehicle_operation") if k in by]
            if sub:
                rels.append(Relation((by["vehicles"], c), [(s, c) for s in sub], f"{title}: 公务用车 = 购置 + 运行维护"))
    res = resolve(cells, rels, external)
    return _finish_uncoded(lines, cells, res, "three_public", title)


def _finish_uncoded(lines, cells, res, kind: str, title: str) -> TableResult:
    out = TableResult()
    for n, line in enumerate(lines):
        for (ln, col), cn in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if ln != n:
                continue
            key = (ln, col)
            if key in res.values:
                line.amounts[col] = res.values[key]
                if key in res.evidence:
                    out.repairs.append(Repair(table=kind, row=line.row, column=col, raw=cn.raw,
                                              value=res.values[key], evidence=res.evidence[key], loc=line.loc))
            elif key in res.rejected:
                line.unparsed[col] = res.rejected[key]
                out.flags.append(Flag(kind="unconfirmed-number", raw=cn.raw, loc=line.loc,
                                      message=f"{title} row {line.row or '?'} {line.label} column {col}: "
                                              f"'{cn.raw}' not confirmed by the table's arithmetic; kept as text"))
        out.overview_lines.append(line)
    return out
