"""Reader-independent layout repair on the IR: join table fragments split by page
breaks (dropping repeated header rows and page furniture between them) and merge
continuation rows into the row they continue."""

from __future__ import annotations

import re
from typing import Callable

from converter.readers.ir import Block, Heading, Loc, Paragraph, Row, Table
from converter.readers.markup import norm_key

_AMOUNT = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")

# Lines printed on every page of a table: department code and name, budget year,
# currency unit, cut-off date, page numbers.
_FURNITURE = [
    # a unit code line repeated over table fragments ("471001 某某局本级"); not a title that
    # opens with a number ("96196 电梯应急处置服务平台项目绩效目标表", 泉州): a title ends in 表;
    # nor a year's column label over a table ("2025年预算数", "2024年决算数")
    re.compile(r"^(?!(?:19|20)\d{2}年[^\n]*数$)\d{3,9}(?![^\n]*表$)[^\d，。；,;:：]{2,60}$"),
    re.compile(r"^(?:预算|决算)?年度[:：]?\d{4}年?$"),
    re.compile(r"^(?:金额)?单位[:：](?:人民币)?(?:万元|元|千元)$"),
    re.compile(r"^截[止至](?:时间|日期)?[:：]?[\d\-年月日./]+$"),
    re.compile(r"^(?:第\d+页(?:共\d+页)?|[-—]?\d{1,3}[-—]?|\d+/\d+)$"),
]


# A project form's title is content even where it starts with digits like a code line
# ("96196 电梯应急处置服务平台项目绩效目标表", a hotline's number): it names the form's project.
_FORM_TITLE = re.compile(r"绩效(?:目标|指标)(?:申报)?表$")


def is_furniture(block: Block) -> bool:
    if isinstance(block, Table):
        return False
    key = norm_key(block.text)
    return any(p.match(key) for p in _FURNITURE) and not _FORM_TITLE.search(key)


def _row_key(row: Row) -> str:
    return norm_key("".join(row.cells))


def _header_like(row: Row) -> bool:
    cells = [norm_key(c) for c in row.cells if c.strip()]
    if not cells:
        return False
    # the 栏次 row is all small integers: still a header row
    if cells[0] == "栏次":
        return True
    return not any(_AMOUNT.match(c) for c in cells)


def _key_column(table: Table) -> tuple[int, Callable[[Row], bool]] | None:
    """Which cell tells a continuation row: empty 序号 in standard tables, an empty
    指标值 (with empty 一级指标) in performance-indicator tables."""
    for row in table.rows[:8]:
        keys = [norm_key(c) for c in row.cells]
        if keys and keys[0] == "序号":
            return 0, lambda r: not norm_key(r.cell(0))
        if "指标值" in keys:
            i = keys.index("指标值")
            return i, lambda r, i=i: not norm_key(r.cell(i)) and not norm_key(r.cell(0))
    return None


def _strip_repeated_header(prev: Table, nxt: Table) -> tuple[list[Row], set[str]] | None:
    """Rows of ``nxt`` after its repeated header (and the header keys), or None if
    ``nxt`` does not repeat a header row of ``prev`` (so it is not a continuation).

    The repeat is of the last such row: a table of project forms prints its 绩效目标指标 |
    一级指标 … row in every form. A page opening with that row repeats it only while the
    form it heads is still open: once a later row opens another record (the label the
    table's first record opens with, 项目名称), the page starts the next form's section."""
    if not nxt.rows:
        return None
    first = _row_key(nxt.rows[0])
    matches = [k for k, row in enumerate(prev.rows) if first and _header_like(row) and _row_key(row) == first]
    if not matches:
        return None
    k = matches[-1]
    label = _record_label(prev)
    if label is not None and any(norm_key(r.cell(0)) == label for r in prev.rows[k + 1:]):
        return None
    j = 0
    while j < len(nxt.rows) and k + j < len(prev.rows) and _row_key(nxt.rows[j]) == _row_key(prev.rows[k + j]):
        j += 1
    return nxt.rows[j:], {_row_key(r) for r in nxt.rows[:j]}


def _record_label(table: Table) -> str | None:
    """The label the table's first row opens with (a title row inside the grid, ending in
    表, passed over)."""
    for row in table.rows[:3]:
        key = norm_key(row.cell(0))
        if key and not key.endswith("表"):
            return key
    return None


def _headless_continuation(prev: Table, nxt: Table) -> tuple[list[Row], set[str]] | None:
    """A fragment printed without its header (the page break fell inside the table):
    same width and its first row is data, not a header. Tables in disclosures always
    carry a title, so two untitled tables back to back are one table."""
    if not nxt.rows or nxt.width != prev.width or _header_like(nxt.rows[0]) and not _numbered_label(nxt.rows[0]):
        return None
    return list(nxt.rows), set()


def _numbered_label(row: Row) -> bool:
    """A data row whose cells are all text but starts with an item number ("3、…")."""
    return bool(re.match(r"^\s*(?:\d{1,2}[、.．]|[（(]?[一二三四五六七八九十]+[、)）])", row.cell(0)))


_DECIMAL = re.compile(r"^-?[\d,]*\d\.\d+$")


def _amount_on_both(prev: Row, cont: Row) -> bool:
    """Cells of one column holding a whole decimal amount on both rows: two rows of their
    own (a form's 资金总额 | 80.00 row, then 财政拨款 | 80.00 on the next page), never one
    cell wrapped over a page break (joined, it would read 80.0080.00). A number that the
    break split keeps its decimal point on one side only ("1,23" | "4.56")."""
    return any(_DECIMAL.match(norm_key(a)) and _DECIMAL.match(norm_key(b)) for a, b in zip(prev.cells, cont.cells))


def continues_last_row(table: Table, first: Row, header_keys: set[str] | frozenset[str] = frozenset()) -> bool:
    """Does the next fragment's first row carry on the table's last row (a row broken
    over the page break)? Its key cell is empty (``_key_column``), the last row is no
    repeated header row, and no column holds a whole amount on both rows. Both page
    joins ask this: ``join_fragments`` and the PDF reader's headerless continuation."""
    key = _key_column(table)
    return (key is not None and key[1](first) and bool(table.rows) and _row_key(table.rows[-1]) not in header_keys
            and not _amount_on_both(table.rows[-1], first))


def merge_continuation(prev: Row, cont: Row) -> Row:
    cells = list(prev.cells)
    width = max(len(cells), len(cont.cells))
    cells += [""] * (width - len(cells))
    continued = set(prev.continued)
    for i, text in enumerate(cont.cells):
        if text.strip():
            cells[i] = (cells[i] + text.strip()) if cells[i].strip() else text.strip()
            continued.add(i)
    end = cont.loc.end_line or cont.loc.line
    loc = Loc(page=prev.loc.page, line=prev.loc.line, end_line=end or prev.loc.end_line, bbox=prev.loc.bbox)
    return Row(cells=cells, loc=loc, continued=continued)


def join_fragments(blocks: list[Block]) -> list[Block]:
    """Join each table with the fragments that continue it on following pages."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Table):
            out.append(block)
            i += 1
            continue
        table = Table(rows=list(block.rows), loc=block.loc, fragments=block.fragments)
        i += 1
        while True:
            j = i
            while j < len(blocks) and is_furniture(blocks[j]):
                j += 1
            if j >= len(blocks) or not isinstance(blocks[j], Table):
                break
            stripped = _strip_repeated_header(table, blocks[j])
            if stripped is None:
                stripped = _headless_continuation(table, blocks[j])
            if stripped is None:
                break
            rest, header_keys = stripped
            if rest and continues_last_row(table, rest[0], header_keys):
                table.rows[-1] = merge_continuation(table.rows[-1], rest[0])
                rest = rest[1:]
            table.rows.extend(rest)
            table.fragments += blocks[j].fragments
            end = blocks[j].loc.end_line
            table.loc = Loc(page=table.loc.page, line=table.loc.line, end_line=end, bbox=table.loc.bbox)
            i = j + 1
        out.append(table)
    return out


def drop_rule_rows(table: Table) -> Table:
    """Remove markdown separator rows ("------") and blank rows."""
    rows = [r for r in table.rows if not r.is_blank() and not all(re.fullmatch(r"[-:| ]*", c) for c in r.cells)]
    return Table(rows=rows, loc=table.loc, fragments=table.fragments)


_SENTENCE_END = re.compile(r"[。！？；：:.!?;”’）)】》]$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+部分)")


_BODY_PUNCT = re.compile(r"[，。；,;]")
_LABELLED = re.compile(r"^\s*[\u4e00-\u9fff]{2,10}[：:]")


def join_paragraphs(blocks: list[Block]) -> list[Block]:
    """Rejoin a body paragraph that a page break cut mid-sentence: a long paragraph not
    ending a sentence, followed by a paragraph that does not start a numbered item."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(b, Paragraph) and isinstance(prev, Paragraph)
            and len(prev.text) >= 30 and not _SENTENCE_END.search(prev.text.rstrip())
            and _BODY_PUNCT.search(prev.text)  # titles carry no sentence punctuation
            and not _NUMBERED.match(b.text) and not is_furniture(b) and not _LABELLED.match(b.text)
        ):
            out[-1] = Paragraph(text=prev.text.rstrip() + b.text.lstrip(),
                                loc=Loc(page=prev.loc.page, line=prev.loc.line, end_line=b.loc.end_line or b.loc.line,
                                        bbox=prev.loc.bbox))
            continue
        out.append(b)
    return out


def heading_level(block: Block) -> int | None:
    return block.level if isinstance(block, Heading) else None


__all__ = ["join_fragments", "is_furniture", "merge_continuation", "drop_rule_rows", "Paragraph", "heading_level"]
