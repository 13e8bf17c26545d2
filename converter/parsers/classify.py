"""Which kind of table a Table block is: from its title (the nearest heading or
paragraph before it) and, failing that, from its header cells."""

from __future__ import annotations

import re

from converter.readers.ir import Block, Heading, Paragraph, Table
from converter.readers.layout import is_furniture
from converter.readers.markup import norm_key

# order matters: more specific titles first. Titles vary by region: 收支总表 /
# 收支总体情况表 / 收支预算总表 / 收入支出决算总表; …支出表 / …支出情况表 / …支出预算表 /
# …支出决算表 (final accounts use the same table set with 决算 wording).
_SUFFIX = r"(?:预算|决算)?(?:总体)?(?:情况|明细)?(?:预算|决算)?表"
_TITLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("fiscal_overview", re.compile(r"财政拨款收入?支出?(?:预算|决算)?总(?:体情况)?表")),
    ("three_public", re.compile(r"三公")),
    ("basic", re.compile(r"(?:一般公共预算|财政拨款).*基本支出(?:部门预算)?(?:经济分类)?" + _SUFFIX)),
    ("gov_fund", re.compile(r"政府性?基金")),
    ("soe_capital", re.compile(r"国有资本经营")),
    ("gpb_expenditure", re.compile(r"一般公共预算(?:财政)?(?:拨款)?支出(?:功能分类)?" + _SUFFIX)),
    ("overview", re.compile(r"(?:收支|收入支出)(?:预算|决算)?总(?:体情况)?表")),
    ("income", re.compile(r"收入(?:预算|决算)?(?:总(?:体情况)?)?表")),
    ("expenditure", re.compile(r"支出(?:预算|决算)?(?:总(?:体情况)?)?表")),
    ("procurement", re.compile(r"政府采购")),
    ("fixed_assets", re.compile(r"固定资产|资产占用")),
    ("units", re.compile(r"机构设置")),
]
# the income/expenditure rules need the whole title to be about the department's
# 收入/支出 (not "项目支出…表", "…经济分类情况表")
_WHOLE_TITLE = {"income": re.compile(r"^(?:部门|单位)?(?:预算|决算)?(?:财务)?收入"),
                "expenditure": re.compile(r"^(?:部门|单位)?(?:预算|决算)?(?:财务)?支出")}

# Lines between a table and its title that are not the title: notes, the currency
# unit, the compiling department ("编制部门：X", "部门（单位）：X", "单位名称：X"),
# table labels ("表一", "公开01表", "附表3"), a year in brackets.
_NOT_TITLE = [
    re.compile(r"^(?:注|单位|金额单位|编制(?:部门|单位)|部门[（(]单位[)）]|部门名称|资金主管部门|主管部门)"),
    re.compile(r"^(?:公开|附)?表[一二三四五六七八九十\d]+$|^公开\d+表$|^表\d+[-－]\d+$"),
    re.compile(r"^[（(]\d{4}年度?[)）]$"),
]
_TITLE_HEAD = re.compile(r"^(?:第[一二三四五六七八九十]+部分)?(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]+[)）])?")
_YEAR = re.compile(r"^\d{4}年度?")


def normalize_title(text: str) -> str:
    """A title without its numbering and year: "2026年部门收支总体情况表" -> "部门收支总体情况表"."""
    t = _TITLE_HEAD.sub("", norm_key(text))
    return _YEAR.sub("", t)


def _title_like(text: str) -> bool:
    """A year-prefixed table title ("2026年部门收支总体情况表") looks like page furniture
    (a code followed by a name) to the reader; a line ending in 表 is a title."""
    return text.endswith("表") and len(text) <= 60


_TOC_ROW = re.compile(r"^.{2,60}?[.…·]*$")


def title_before(blocks: list[Block], index: int, max_back: int = 6) -> str:
    """Text of the nearest title-like block before blocks[index]."""
    j = index - 1
    seen = 0
    while j >= 0 and seen < max_back:
        b = blocks[j]
        if isinstance(b, Table):
            return ""
        text = norm_key(b.text)
        if not is_furniture(b) or _title_like(text):
            if any(p.match(text) for p in _NOT_TITLE):
                j -= 1
                seen += 1
                continue
            return text
        j -= 1
        seen += 1
    return ""


def title_kind(title: str) -> str | None:
    """The standard-table kind a title names, or None."""
    t = normalize_title(title)
    for kind, pattern in _TITLE_RULES:
        if pattern.search(t):
            whole = _WHOLE_TITLE.get(kind)
            if whole is not None and not whole.search(t):
                continue
            return kind
    return None


def is_toc(table: Table) -> bool:
    """A catalogue (目录) rendered as a table: every row a title and a page number."""
    rows = [r for r in table.rows if not r.is_blank()]
    if not rows:
        return False
    for r in rows:
        cells = [norm_key(c) for c in r.cells if c.strip()]
        if len(cells) != 2 or not re.fullmatch(r"\d{1,3}", cells[1]) or not _TOC_ROW.match(cells[0]):
            return False
    return True


def header_keys(table: Table, depth: int = 4) -> set[str]:
    return {norm_key(c) for r in table.rows[:depth] for c in r.cells if c.strip()}


def classify(blocks: list[Block], index: int) -> str | None:
    table = blocks[index]
    assert isinstance(table, Table)
    if is_toc(table):
        return "toc"
    keys = header_keys(table)
    joined = "".join(sorted(keys))
    if "采购物品名称" in keys or "政府采购目录序号" in keys:
        return "procurement"
    if any(re.match(r"^(?:单位[（(])?项目[)）]?名称[（(]", k) for k in keys):
        return "project"  # 项目名称（资金使用单位）: a row-per-project table
    if {"项目编码", "项目名称", "单位（项目）名称"} & keys or "项目编号" in keys or ("一级指标" in keys and "绩效目标" in joined):
        return "project"
    if "一级指标" in keys:
        return "indicators"
    if "单位名称" in keys and ("单位性质" in keys or "经费保障形式" in keys):
        return "units"
    if "采购物品名称" in keys or "政府采购目录序号" in keys:
        return "procurement"
    kind = title_kind(title_before(blocks, index))
    if kind is not None:
        return kind
    if any("资产总额" in norm_key(r.cell(0)) for r in table.rows[:6]):
        return "fixed_assets"
    return None


def is_title_block(block: Block) -> bool:
    return isinstance(block, (Heading, Paragraph))
