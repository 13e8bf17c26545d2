"""Which kind of table a Table block is: from its title (the nearest heading or
paragraph before it) and, failing that, from its header cells."""

from __future__ import annotations

import re

from converter.readers.ir import Block, Heading, Paragraph, Table
from converter.readers.layout import is_furniture
from converter.readers.markup import norm_key

# order matters: more specific titles first
_TITLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("fiscal_overview", re.compile(r"财政拨款收支(?:总|预算总)?表")),
    ("three_public", re.compile(r"三公")),
    ("basic", re.compile(r"基本支出(?:预算)?表")),
    ("gov_fund", re.compile(r"政府性?基金")),
    ("soe_capital", re.compile(r"国有资本经营")),
    ("gpb_expenditure", re.compile(r"一般公共预算(?:财政拨款)?支出(?:预算)?表")),
    ("overview", re.compile(r"收支(?:预算)?总表")),
    ("income", re.compile(r"收入(?:预算)?总表")),
    ("expenditure", re.compile(r"支出(?:预算)?总表")),
    ("procurement", re.compile(r"政府采购")),
    ("fixed_assets", re.compile(r"固定资产|资产占用")),
    ("units", re.compile(r"机构设置")),
]

_TOC_ROW = re.compile(r"^.{2,60}?[.…·]*$")


def title_before(blocks: list[Block], index: int, max_back: int = 6) -> str:
    """Text of the nearest title-like block before blocks[index]."""
    j = index - 1
    seen = 0
    while j >= 0 and seen < max_back:
        b = blocks[j]
        if isinstance(b, Table):
            return ""
        if not is_furniture(b):
            text = norm_key(b.text)
            if text.startswith("注") or text.startswith("单位"):
                j -= 1
                continue
            return text
        j -= 1
        seen += 1
    return ""


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
    if {"项目编码", "项目名称"} & keys or "项目编号" in keys or ("一级指标" in keys and "绩效目标" in joined):
        return "project"
    if "一级指标" in keys:
        return "indicators"
    if "单位名称" in keys and ("单位性质" in keys or "经费保障形式" in keys):
        return "units"
    if "采购物品名称" in keys or "政府采购目录序号" in keys:
        return "procurement"
    title = title_before(blocks, index)
    for kind, pattern in _TITLE_RULES:
        if pattern.search(title):
            return kind
    if any("资产总额" in norm_key(r.cell(0)) for r in table.rows[:6]):
        return "fixed_assets"
    return None


def is_title_block(block: Block) -> bool:
    return isinstance(block, (Heading, Paragraph))
