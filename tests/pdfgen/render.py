"""Render a text extraction's layout IR as a realistic PDF (reportlab, built-in CID font
STSong-Light, no downloads).

Three layouts:
  "paged"  — A4 portrait, 10.5 pt body. Renders the *physical* blocks of the text
             extraction: each table fragment on its own page with the department /
             year / unit lines and the repeated header rows above it, exactly as the
             source PDF paginated them, so rows broken by a page break stay broken.
             Cell text keeps its original line breaks. Ruled tables. Page numbers "- n -".
  "reflow" — 12 pt body, other margins, landscape pages for wide tables, fake-bold
             headings (each glyph drawn twice, the artefact ``dedupe_chars`` removes),
             running header and "第 n 页" footer. Renders the *logical* (joined)
             tables and lets reportlab paginate them with repeated header rows; every
             third narrow table has no ruling lines at all.

  "borderless" — like "reflow" but no ruling line anywhere (not even under the running
             header): numbers right-aligned per column, header labels centred, group
             labels centred over their sub-columns, type size / padding / vertical
             alignment cycling from table to table (``_VARIANTS``), landscape pages
             for tables of 8+ columns, long names wrapped inside their column.

Text is wrapped here, never inside a run of non-CJK characters (a number, a code, a
document number), as Word and WPS do; a reader joins wrapped lines back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate, Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from converter.readers.ir import Block, Heading, Paragraph, Table
from converter.readers.layout import is_furniture, join_fragments
from converter.readers.markup import _CJK, norm_key

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_TOKEN = re.compile(rf"[{_CJK}]|\s+|[^\s{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")


@dataclass(frozen=True)
class Layout:
    name: str
    pagesize: tuple[float, float]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    body: float
    leading: float  # multiple of the type size
    para_space: float  # points before a paragraph
    indent: bool  # first-line indent of two characters
    heading_sizes: dict[int, float]
    table_size: float
    fake_bold: bool
    running_header: str | None
    footer: str  # format with n
    reflow: bool
    landscape_cols: int | None = None
    unruled_every: int | None = None
    table_space: float = 10.0
    # borderless: no ruling line anywhere; numbers right-aligned, header labels centred
    # (group labels centred over their sub-columns); type size, padding and vertical
    # alignment cycle from table to table so no reader rule fits one rendering
    borderless: bool = False


PAGED = Layout(
    name="paged", pagesize=A4, margins=(2.5 * cm, 2.2 * cm, 2.4 * cm, 2.2 * cm), body=10.5, leading=1.45,
    para_space=6.0, indent=True, heading_sizes={1: 18, 2: 16, 3: 14.5, 4: 13.5, 5: 12.5, 6: 12.5},
    table_size=9, fake_bold=False, running_header=None, footer="- {n} -", reflow=False,
)
REFLOW = Layout(
    name="reflow", pagesize=A4, margins=(1.6 * cm, 1.6 * cm, 2.6 * cm, 2.0 * cm), body=12, leading=1.35,
    para_space=9.0, indent=False, heading_sizes={1: 21, 2: 18, 3: 16, 4: 15, 5: 14, 6: 14},
    table_size=10, fake_bold=True, running_header="部门预算信息公开", footer="第 {n} 页", reflow=True,
    landscape_cols=9, unruled_every=3,
)
BORDERLESS = Layout(
    name="borderless", pagesize=A4, margins=(1.9 * cm, 1.7 * cm, 2.4 * cm, 2.1 * cm), body=11, leading=1.4,
    para_space=8.0, indent=True, heading_sizes={1: 20, 2: 17, 3: 15, 4: 14, 5: 13, 6: 13},
    table_size=9, fake_bold=True, running_header="部门预算公开", footer="- {n} -", reflow=True,
    landscape_cols=8, borderless=True,
)
LAYOUTS = {PAGED.name: PAGED, REFLOW.name: REFLOW, BORDERLESS.name: BORDERLESS}

# (type size, cell padding, vertical alignment) cycled over the borderless tables
_VARIANTS = ((9.0, 3.0, "TOP"), (10.5, 5.0, "MIDDLE"), (8.0, 7.0, "TOP"), (9.5, 4.0, "MIDDLE"))
_AMOUNT_CELL = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")


# --------------------------------------------------------------------------- wrapping


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, width: float, size: float, first_width: float | None = None) -> list[str]:
    """Greedy line breaking: only at spaces or next to a CJK character."""
    lines: list[str] = []
    cur = ""
    for tok in _TOKEN.findall(text):
        if tok.isspace():
            if cur:
                cur += " "
            continue
        limit = first_width if first_width is not None and not lines else width
        if cur and _width(cur + tok, size) > limit:
            lines.append(cur.rstrip())
            cur = tok
        else:
            cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


def _min_token_width(text: str, size: float) -> float:
    return max((_width(t, size) for t in _TOKEN.findall(text) if not t.isspace()), default=0.0)


# --------------------------------------------------------------------------- flowables


class TextLines(Flowable):
    """A paragraph or heading wrapped by ``wrap``; splits across pages by lines."""

    def __init__(self, text: str, size: float, leading: float, space: float, indent: float = 0.0,
                 bold: bool = False, keep: bool = False) -> None:
        super().__init__()
        self.text, self.size, self.lead = text, size, leading
        self.space, self.indent, self.bold, self.keep = space, indent, bold, keep
        self.lines: list[str] = []

    def _layout(self, avail: float) -> list[str]:
        return wrap(self.text, avail, self.size, avail - self.indent)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.lines = self._layout(availWidth)
        self.height = self.space + len(self.lines) * self.lead
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._layout(availWidth)
        fit = int((availHeight - self.space) // self.lead)
        if self.keep or fit < 2 or fit >= len(lines):
            return []
        first = _Fixed(lines[:fit], self.size, self.lead, self.space, self.indent, self.bold)
        second = _Fixed(lines[fit:], self.size, self.lead, 0.0, 0.0, self.bold)
        return [first, second]

    def draw(self) -> None:
        _draw_lines(self.canv, self.lines, self.size, self.lead, self.height - self.space, self.indent, self.bold)


class _Fixed(TextLines):
    def __init__(self, lines: list[str], size: float, leading: float, space: float, indent: float, bold: bool) -> None:
        super().__init__("", size, leading, space, indent, bold, keep=True)
        self.fixed = lines

    def _layout(self, avail: float) -> list[str]:
        return self.fixed


def _draw_lines(canv, lines: list[str], size: float, lead: float, top: float, indent: float, bold: bool) -> None:
    canv.setFont(FONT, size)
    for k, line in enumerate(lines):
        y = top - (k + 1) * lead + (lead - size) / 2 + 0.12 * size
        x = indent if k == 0 else 0.0
        canv.drawString(x, y, line)
        if bold:  # fake bold: the same glyphs again, slightly offset
            canv.drawString(x + 0.35, y, line)


# --------------------------------------------------------------------------- tables


def _header_rows(table: Table) -> int:
    """Rows to repeat on each page: through the 栏次 row, else one header-like row."""
    for k, row in enumerate(table.rows[:6]):
        if norm_key(row.cell(0)) == "栏次":
            return k + 1
    first = [norm_key(c) for c in table.rows[0].cells if c.strip()] if table.rows else []
    if first and not any(re.fullmatch(r"-?[\d,.]+%?", c) for c in first) and first[0] in ("序号", "科目编码", "项目"):
        return 1
    return 0


def _col_widths(
    cells: list[list[str]], avail: float, size: float, layout: Layout, unruled: bool, pad1: float | None = None
) -> list[float]:
    ncols = max(len(r) for r in cells)
    pad = 2 * (_pad(layout, unruled) if pad1 is None else pad1) + 1
    mins = [pad + size] * ncols
    nats = [pad + size] * ncols
    for row in cells:
        for i, text in enumerate(row):
            mins[i] = max(mins[i], pad + _min_token_width(text, size))
            parts = text.split() if not layout.reflow else [text]
            nat = max((_width(p, size) for p in parts), default=0.0)
            nats[i] = max(nats[i], pad + min(nat, 16 * size))
    if sum(nats) <= avail:
        return [n * avail / sum(nats) for n in nats]
    if sum(mins) >= avail:
        return mins
    f = (avail - sum(mins)) / (sum(nats) - sum(mins))
    return [m + (n - m) * f for m, n in zip(mins, nats)]


def _pad(layout: Layout, unruled: bool) -> float:
    return 8.0 if unruled else 3.0


def _cell_lines(text: str, width: float, size: float, layout: Layout) -> str:
    # the paged layout keeps the extraction's own line breaks (its spaces)
    parts = text.split() if not layout.reflow else [text]
    return "\n".join(line for p in parts for line in wrap(p, width, size))


def _head_rows(cells: list[list[str]]) -> int:
    """Leading rows without an amount, and the 栏次 row (the header block a borderless
    table centres)."""
    for k, row in enumerate(cells):
        if norm_key(row[0]) == "栏次":
            return k + 1
        if any(_AMOUNT_CELL.match(norm_key(c)) for c in row if c.strip()):
            return k
    return 0


def _group_spans(cells: list[list[str]], head: int) -> list[tuple[int, int, int]]:
    """Header cells that label the sub-columns under them: (row, first, last column)."""
    spans = []
    numbering = next((m for m in range(head) if norm_key(cells[m][0]) == "栏次"), head)  # labels nothing
    for k in range(max(head - 1, 0)):
        row, below = cells[k], cells[k + 1]
        if norm_key(below[0]) == "栏次":
            break
        i = 0
        while i < len(row):
            j = i
            while j + 1 < len(row) and not row[j + 1].strip():
                j += 1
            # every sub-column labelled in some row below (a merged label over sub-labels
            # of its own leaves blanks in the row right under the group label)
            if row[i].strip() and j > i and all(
                any(cells[m][c].strip() for m in range(k + 1, numbering)) for c in range(i, j + 1)
            ):
                spans.append((k, i, j))
            i = j + 1
    return spans


def build_table(table: Table, avail: float, layout: Layout, unruled: bool, variant: int = 0) -> RLTable:
    ncols = table.width
    size = layout.table_size
    cells = [list(r.cells) + [""] * (ncols - len(r.cells)) for r in table.rows]
    pad = _pad(layout, unruled)
    valign = "TOP" if unruled else "MIDDLE"
    if layout.borderless:
        size, pad, valign = _VARIANTS[variant % len(_VARIANTS)]
    widths = _col_widths(cells, avail, size, layout, unruled, pad)
    data = [[_cell_lines(c, w - 2 * pad - 1, size, layout) for c, w in zip(row, widths)] for row in cells]
    repeat = _header_rows(table) if layout.reflow else 0
    vpad = 4 if unruled else 2.5
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, size, size * 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), vpad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
        ("VALIGN", (0, 0), (-1, -1), valign),
    ]
    if layout.borderless:
        head = _head_rows(cells)
        style.append(("ALIGN", (0, 0), (-1, head - 1), "CENTER"))
        for c in range(ncols):  # a column of mostly amounts is right-aligned, as Word sets it
            body = [norm_key(row[c]) for row in cells[head:] if row[c].strip()]
            if body and sum(bool(_AMOUNT_CELL.match(t)) for t in body) > len(body) / 2:
                style.append(("ALIGN", (c, head), (c, -1), "RIGHT"))
        for r, first, last in _group_spans(cells, head):
            style.append(("SPAN", (first, r), (last, r)))
            span_width = sum(widths[first : last + 1])
            data[r][first] = _cell_lines(cells[r][first], span_width - 2 * pad - 1, size, layout)
    elif not unruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    return RLTable(data, colWidths=widths, repeatRows=repeat, style=TableStyle(style), hAlign="LEFT")


def _unruled_ok(table: Table) -> bool:
    """Tables drawn without any ruling lines: 3–8 columns, each column with some text."""
    if not 3 <= table.width <= 8:
        return False
    return all(any(r.cell(i).strip() for r in table.rows) for i in range(table.width))


# --------------------------------------------------------------------------- document


@dataclass
class _Story:
    layout: Layout
    flow: list[Flowable] = field(default_factory=list)
    landscape: bool = False
    n_tables: int = 0


def _frame_width(layout: Layout, land: bool) -> float:
    w = (landscape(layout.pagesize) if land else layout.pagesize)[0]
    return w - layout.margins[0] - layout.margins[1]


def _add_text(story: _Story, block: Heading | Paragraph) -> None:
    lay = story.layout
    if isinstance(block, Heading):
        size = lay.heading_sizes.get(block.level, lay.heading_sizes[6])
        story.flow.append(CondPageBreak(size * 4))
        story.flow.append(TextLines(block.text, size, size * 1.3, size * 0.8, bold=lay.fake_bold, keep=True))
        return
    indent = 2 * lay.body if lay.indent else 0.0
    story.flow.append(TextLines(block.text, lay.body, lay.body * lay.leading, lay.para_space, indent))


def _add_table(story: _Story, table: Table) -> None:
    lay = story.layout
    wide = lay.landscape_cols is not None and table.width >= lay.landscape_cols
    if wide != story.landscape:
        story.flow += [NextPageTemplate("landscape" if wide else "portrait"), PageBreak()]
        story.landscape = wide
    story.n_tables += 1
    unruled = lay.borderless or (
        bool(lay.unruled_every) and _unruled_ok(table) and story.n_tables % lay.unruled_every == 0
    )
    story.flow.append(Spacer(1, 4))
    flowable = build_table(table, _frame_width(lay, wide), lay, unruled, variant=story.n_tables)
    # never leave a header alone at the foot of a page: move a fragment that would
    # split within its first rows to the next page
    flowable.wrap(_frame_width(lay, wide), 1e6)
    head = sum(flowable._rowHeights[: _header_rows(table) + 3])
    total = sum(flowable._rowHeights)
    story.flow.append(CondPageBreak(total if not lay.reflow else max(head, min(total, 120.0))))
    story.flow.append(flowable)
    story.flow.append(Spacer(1, lay.table_space))


def _continues(blocks: list[Block], i: int) -> bool:
    """Does the table at ``i`` continue (after page furniture) in a later fragment?"""
    j = i + 1
    while j < len(blocks) and is_furniture(blocks[j]):
        j += 1
    if j >= len(blocks) or not isinstance(blocks[j], Table):
        return False
    return len(join_fragments([blocks[i], blocks[j]])) == 1


def build_story(blocks: list[Block], layout: Layout) -> list[Flowable]:
    story = _Story(layout)
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            _add_table(story, block)
            if not layout.reflow and _continues(blocks, i):
                story.flow.append(PageBreak())  # the source broke the table here
        else:
            if story.landscape:
                story.flow += [NextPageTemplate("portrait"), PageBreak()]
                story.landscape = False
            _add_text(story, block)
    return story.flow


def _page_furniture(layout: Layout):
    def draw(canv, doc) -> None:
        w, h = canv._pagesize
        canv.saveState()
        canv.setFont(FONT, 9)
        if layout.running_header:
            canv.drawCentredString(w / 2, h - 1.3 * cm, layout.running_header)
            if not layout.borderless:
                canv.setLineWidth(0.4)
                canv.line(layout.margins[0], h - 1.45 * cm, w - layout.margins[1], h - 1.45 * cm)
        canv.drawCentredString(w / 2, 1.0 * cm, layout.footer.format(n=doc.page))
        canv.restoreState()

    return draw


def render(blocks: list[Block], layout: Layout, out: Path, title: str = "") -> Path:
    """Write ``blocks`` as a PDF in ``layout`` to ``out``."""
    doc = BaseDocTemplate(str(out), pagesize=layout.pagesize, invariant=True, title=title, author="budget-lod tests")
    templates = []
    for name, size in (("portrait", layout.pagesize), ("landscape", landscape(layout.pagesize))):
        left, right, top, bottom = layout.margins
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size, onPage=_page_furniture(layout)))
    doc.addPageTemplates(templates)
    doc.build(build_story(blocks, layout))
    return out


__all__ = ["LAYOUTS", "PAGED", "REFLOW", "BORDERLESS", "Layout", "render", "wrap", "build_story"]
