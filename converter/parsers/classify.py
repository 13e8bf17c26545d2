"""Which kind of table a Table block is: from its title (the nearest title line before
it, or two lines joined where the title is split) and, failing that, from its header's
column roles. The kinds, their title patterns and header signatures are the table
catalogue's (``converter.parsers.catalogue``)."""

from __future__ import annotations

import re

from converter.parsers.catalogue import header_kind, normalize_title, scheme_kind, title_kind, units_header
from converter.readers.ir import Block, Heading, Paragraph, Table
from converter.readers.layout import is_furniture
from converter.readers.markup import norm_key

__all__ = ["classify", "find_title", "header_keys", "is_toc", "normalize_title", "title_before", "title_kind"]

# Lines between a table and its title that are not the title: notes, the currency
# unit, the compiling department or unit ("部门：X", "编制部门：X", "预算单位：X",
# "部门（单位）：X", "单位名称：X"), table labels ("表一", "公开01表", "附表3"), a year.
_NOT_TITLE = [
    re.compile(r"^(?:注|单位|金额单位|编制(?:部门|单位)|部门[（(]单位[)）]|部门名称|资金主管部门|主管部门|预算单位|"
               r"部门[:：]|填报单位|报送单位|单位名称)"),
    re.compile(r"^(?:部门|单位)?(?:公开|预算|附)?表[一二三四五六七八九十\d]+(?:[-－]\d+)?$|^公开\d+表$"),
    re.compile(r"^[（(]?\d{4}年?度?[)）]?$"),
    re.compile(r".{0,40}单位[:：]?(?:人民币)?(?:万元|元)[:：]?$"),
]


_TITLE_END = re.compile(r"表(?:[（(][^）)]{1,30}[)）])?$")


def _title_like(text: str) -> bool:
    """A year-prefixed table title ("2026年部门收支总体情况表") looks like page furniture
    (a code followed by a name) to the reader; a line ending in 表 is a title."""
    return bool(_TITLE_END.search(text)) and len(text) <= 60


_TOC_ROW = re.compile(r"^.{2,60}?[.…·]*$")


def _label_table(block: Table) -> bool:
    """A one-row table holding only the compiling unit and the currency unit
    ("单位名称：X | 单位：万元", or the label and its value in cells of their own:
    "单位名称: | 重庆市商务委员会 | 单位万元:"): part of the title area, not a table."""
    rows = [r for r in block.rows if not r.is_blank()]
    if len(rows) != 1 or block.width > 3:
        return False
    after_label = False  # the cell before ended a label with its colon: this one is its value
    for c in rows[0].cells:
        key = norm_key(c)
        if not key:
            continue
        if any(p.match(key) or p.search(key) for p in _NOT_TITLE[:1] + _NOT_TITLE[3:]):
            after_label = key.endswith((":", "："))
        elif after_label and not re.search(r"\d", key):
            after_label = False
        else:
            return False
    return True


def _candidates(blocks: list[Block], index: int, max_back: int = 6) -> list[str]:
    """Texts of the title-like blocks before blocks[index], nearest first (stopping at
    the previous table)."""
    out: list[str] = []
    j = index - 1
    seen = 0
    while j >= 0 and seen < max_back and len(out) < 3:
        b = blocks[j]
        if isinstance(b, Table):
            if not _label_table(b):
                break
        else:
            text = norm_key(b.text)
            if text and (not is_furniture(b) or _title_like(text)) and not any(p.match(text) for p in _NOT_TITLE):
                out.append(text)
        j -= 1
        seen += 1
    return out


def find_title(blocks: list[Block], index: int) -> tuple[str, str | None]:
    """(title as printed, kind it names) for the table at blocks[index]: the nearest
    title-like line, or two consecutive lines joined (a title split over two lines, in
    either order when the reader scrambled them)."""
    cands = _candidates(blocks, index)
    for k, text in enumerate(cands):
        kind = title_kind(text)
        if kind is not None:
            return text, kind
        if k + 1 < len(cands):
            for joined in (cands[k + 1] + text, text + cands[k + 1]):
                kind = title_kind(joined)
                if kind is not None:
                    return joined, kind
    return (cands[0] if cands else ""), None


def title_before(blocks: list[Block], index: int, max_back: int = 6) -> str:
    """Text of the table's title (see ``find_title``)."""
    return find_title(blocks, index)[0]


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
    if is_toc(table) or _label_table(table):
        return "toc"
    keys = header_keys(table)
    joined = "".join(sorted(keys))
    # project tables (recognised here until converter/parsers/projects.py owns it)
    if "采购物品名称" in keys or "政府采购目录序号" in keys:
        return "procurement"
    title, kind = find_title(blocks, index)
    if kind == "procurement" and "一级指标" not in keys:
        # titled 政府采购…表: its 项目编号 / 项目名称 columns (重庆 prints 项目编号 A/B/C beside 货物/
        # 工程/服务) name what is bought, not projects
        return scheme_kind(kind, keys)
    if any(re.match(r"^(?:单位[（(])?项目[)）]?名称[（(]", k) for k in keys):
        return "project"  # 项目名称（资金使用单位）: a row-per-project table
    if {"项目编码", "项目名称", "单位（项目）名称"} & keys or "项目编号" in keys or ("一级指标" in keys and "绩效目标" in joined):
        return "project"
    if "一级指标" in keys:
        return "indicators"
    if any(units_header([norm_key(c) for c in r.cells]) for r in table.rows[:2]):
        return "units"
    if kind is not None:
        return scheme_kind(kind, keys)
    if _TITLE_END.search(title):
        return None  # a titled table of a kind the catalogue does not know: not guessed from its header
    kind = header_kind(keys)
    if kind is not None:
        return kind
    if any("资产总额" in norm_key(r.cell(0)) for r in table.rows[:6]):
        return "fixed_assets"
    return None


def is_title_block(block: Block) -> bool:
    return isinstance(block, (Heading, Paragraph))
