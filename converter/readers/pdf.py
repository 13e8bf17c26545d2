"""PDF reader (pdfplumber) producing the same layout IR as the text reader.

Per page: characters (duplicate "fake bold" glyphs removed) are split between ruled
tables (``find_tables``, lines strategy) and running text. Running text is grouped into
lines; runs of lines whose words line up, or leave white bands down the run, form tables
without ruling lines: their columns come from the coverage of all word boxes
(``columns.find_columns``: no cell joins two columns), rows from vertical gaps (a
wrapped cell stays in its row), header labels are placed as a text extraction prints
them (group labels in the first sub-column), and a fragment that opens a page is read
with the previous page's fragment as context, so a headerless continuation keeps its
columns. Key-value forms (a different layout on every row) need three more things:
a row whose only filled cell sits in one of a run's columns, flush with its edge,
belongs to the run though it has no gap of its own; a single row opening a page
continues the previous page's table when its words fall into that table's columns;
and the wrapped lines of one cell (a centred value's short last line) never show a
white band for a longer line of that cell to cross. The rest become headings (larger
or bold type; level from the size rank) and paragraphs. Running headers/footers and printed page numbers are dropped. Tables that
continue on the next page are joined: with a repeated header by
``layout.join_fragments``, without one (same column count, first thing on the page)
here. Locations carry the 1-based page number and the bounding box (x0, top, x1,
bottom) in PDF points from the top-left corner.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from converter.errors import InputError, NoTextLayer
from converter.readers.columns import assign, find_columns
from converter.readers.ir import CJK_VARIANT, Block, Document, Heading, Loc, Paragraph, Row, Table, unify_cjk
from converter.readers.layout import (
    _NUMBERED,
    _SENTENCE_END,
    _header_like,
    _headless_continuation,
    _strip_repeated_header,
    continues_last_row,
    drop_rule_rows,
    is_furniture,
    join_fragments,
    join_paragraphs,
    merge_continuation,
)
from converter.readers.markup import _CJK
from converter.readers.text import _join_lines

Char = dict[str, Any]
Word = tuple[float, float, list[Char]]  # x0, x1, visible chars
BBox = tuple[float, float, float, float]

# Errors pdfminer/pdfplumber raise on damaged files (directly or wrapped).
_PDF_ERRORS: tuple[type[BaseException], ...] = (
    PdfminerException, MalformedPDFException, PSException, PDFSyntaxError, ValueError,
    KeyError, TypeError, IndexError, AttributeError, AssertionError, OverflowError,
    NotImplementedError, UnicodeDecodeError, struct.error, zlib.error, EOFError,
)
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_PAGE_NUMBER = re.compile(
    r"^(?:第\d+页(?:[/，,]?共\d+页)?|[-—–]?\d{1,4}[-—–]?|\d+/\d+|-?\d+-?|page\d+(?:of\d+)?)$", re.I
)
_BOLD_FONT = re.compile(r"bold|heavy|black|,b\b|黑体|hei", re.I)

HEADING_RATIO = 1.15  # a line this much larger than body text is a heading
RUNNING_WIDTH = 0.6  # a line of running text spans at least this share of its page's text width
MARGIN_ZONE = 0.1  # top/bottom share of the page where running headers/footers live


@dataclass
class _Line:
    chars: list[Char]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    segments: list[tuple[float, float, str]] = field(default_factory=list)  # x0, x1, text
    words: list[Word] = field(default_factory=list)  # finer than segments: for tables

    @property
    def text(self) -> str:
        return _join_cell_lines(s[2] for s in self.segments)


@dataclass
class _Para:
    """A text block under construction, with layout facts used for page joins."""

    block: Heading | Paragraph
    top: float
    indented: bool
    last_full: bool
    size: float = 0.0  # heading type size (body size for bold headings), ranked later


@dataclass
class _Carry:
    """The lines of the unruled table that closed the previous page, and its width."""

    lines: list[_Line] = field(default_factory=list)
    width: float = 0.0


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    tables: list[tuple[float, Table]]  # (top, table)


# --------------------------------------------------------------------------- chars


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def _line_text(chars: list[Char]) -> list[tuple[float, float, str]]:
    """Split x-sorted chars of one line into segments at wide gaps; inside a segment a
    visible gap (or a space glyph) becomes one space unless both sides are CJK."""
    segs: list[tuple[float, float, str]] = []
    buf: list[str] = []
    x0 = x1 = 0.0
    prev: Char | None = None  # last visible char of the current segment
    for ch in chars:
        if ch["text"].isspace():
            if prev is not None and buf[-1] != " ":
                buf.append(" ")
            continue
        size = ch["size"] or 10.0
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            if gap > 1.2 * size:  # a column gap: a new segment
                segs.append((x0, x1, "".join(buf).strip()))
                buf, prev = [], None
            elif gap > 0.15 * size and buf[-1] != " ":
                buf.append(" ")
        if prev is None:
            x0 = ch["x0"]
        buf.append(ch["text"])
        x1 = ch["x1"]
        prev = ch
    if buf:
        segs.append((x0, x1, "".join(buf).strip()))
    return [(a, b, _drop_cjk_spaces(t)) for a, b, t in segs if t]


def _join_cell_lines(parts: Iterable[str]) -> str:
    """Join the wrapped lines of one table cell: no space where either side is CJK (or
    CJK punctuation such as 〔〕); one space between other runs, so a number wrapped
    inside a narrow cell ("1499" / "1.60") reads as the text extractions print it and
    is rejoined only where the number-repair step's arithmetic confirms it."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(part[0])):
            out += " "
        out += part
    return out


def _drop_cjk_spaces(text: str) -> str:
    """Spaces between two CJK characters are letter-spacing, not words."""
    if " " not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _baseline(ch: Char) -> float | None:
    """The y of an upright glyph's baseline (its text matrix), where the source gives it."""
    m = ch.get("matrix")
    if not m or len(m) != 6 or m[1] != 0 or m[2] != 0 or m[0] <= 0 or m[3] <= 0:
        return None
    return float(m[5])


def _same_baseline(ch: Char, ref: Char) -> bool:
    """Two glyphs set on one baseline belong to one line even where their boxes barely
    overlap: a Latin font with odd ascent/descent metrics boxes digits and punctuation
    ~0.75 em below the CJK text they sit in (重庆市商务委员会: "内设34个," read as two lines,
    "内设个各…" over "34 ,"). Within a fifth of the type size, as a baseline is set."""
    a, b = _baseline(ch), _baseline(ref)
    if a is None or b is None:
        return False
    return abs(a - b) <= 0.2 * min(ch["size"], ref["size"])


def _group_lines(chars: Iterable[Char], doubled: set[int]) -> list[_Line]:
    """Group chars into visual lines (vertical overlap), top to bottom."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if lines:
            cur = lines[-1]
            ref = cur[0]
            if ch["top"] < ref["bottom"] - 0.5 * min(ch["bottom"] - ch["top"], ref["bottom"] - ref["top"]) or (
                _same_baseline(ch, ref)
            ):
                cur.append(ch)
                continue
        lines.append([ch])
    out = []
    for group in lines:
        group.sort(key=lambda c: c["x0"])
        visible = [c for c in group if not c["text"].isspace()]
        if not visible:
            continue
        sizes = Counter(round(c["size"] * 2) / 2 for c in visible)
        n_bold = sum(1 for c in visible if id(c) in doubled or _BOLD_FONT.search(c.get("fontname", "")))
        line = _Line(
            chars=group,
            top=min(c["top"] for c in visible),
            bottom=max(c["bottom"] for c in visible),
            x0=visible[0]["x0"],
            x1=max(c["x1"] for c in visible),
            size=sizes.most_common(1)[0][0],
            bold=n_bold >= 0.6 * len(visible),
        )
        line.segments = _line_text(group)
        line.words = _words(group, line.size)
        if line.segments:
            out.append(line)
    return out


def _dedupe(chars: list[Char], tol: float = 1.0) -> tuple[list[Char], set[int]]:
    """Remove duplicate glyphs drawn over each other (fake bold: the same text at
    nearly the same spot); return the kept chars and the ids of those that had a
    duplicate (bold evidence). Linear: chars are bucketed by rounded position."""
    kept: list[Char] = []
    doubled: set[int] = set()
    grid: dict[tuple[str, int, int], list[Char]] = {}
    for ch in chars:
        x, y = ch["x0"], ch["top"]
        bx, by = int(x // tol), int(y // tol)
        twin = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((ch["text"], bx + dx, by + dy), ()):
                    if abs(other["x0"] - x) <= tol and abs(other["top"] - y) <= tol and other["size"] == ch["size"]:
                        twin = other
                        break
                if twin is not None:
                    break
            if twin is not None:
                break
        if twin is not None:
            doubled.add(id(twin))
            continue
        grid.setdefault((ch["text"], bx, by), []).append(ch)
        kept.append(ch)
    return kept, doubled


# --------------------------------------------------------------------------- ruled tables


class _Grid:
    """Cell lookup for one pdfplumber table (merged cells resolve to their top-left)."""

    def __init__(self, table: Any) -> None:
        self.bbox: BBox = table.bbox
        self.rows = table.rows
        self.tops = [r.bbox[1] for r in self.rows]
        self.xs = sorted({c[0] for c in table.cells})

    def contains(self, cx: float, cy: float) -> bool:
        x0, top, x1, bottom = self.bbox
        return x0 <= cx <= x1 and top <= cy <= bottom

    def locate(self, cx: float, cy: float) -> tuple[int, int] | None:
        r = max(bisect.bisect_right(self.tops, cy) - 1, 0)
        c = max(bisect.bisect_right(self.xs, cx) - 1, 0)
        for rr in range(r, -1, -1):
            for cc in range(c, -1, -1):
                cell = self.rows[rr].cells[cc]
                if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                    return rr, cc
        return None

    def to_table(self, cell_chars: dict[tuple[int, int], list[Char]], page: int) -> Table:
        rows: list[Row] = []
        for r, prow in enumerate(self.rows):
            cells = [_cell_text(cell_chars.get((r, c), [])) for c in range(len(self.xs))]
            rows.append(Row(cells=cells, loc=Loc(page=page, bbox=_round_bbox(prow.bbox))))
        return drop_rule_rows(Table(rows=rows, loc=Loc(page=page, bbox=_round_bbox(self.bbox))))


def _cell_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    lines = _group_lines(chars, set())
    return _join_cell_lines(ln.text for ln in lines)


def _round_bbox(b: Iterable[float]) -> BBox:
    x0, top, x1, bottom = (round(v, 1) for v in b)
    return (x0, top, x1, bottom)


def _invisible(obj: dict[str, Any]) -> bool:
    """A white, unstroked rectangle (background behind runs of text): no ruling."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return False
    color = obj.get("non_stroking_color")
    values = list(color) if isinstance(color, (list, tuple)) else [color]
    if len(values) == 4:  # CMYK white is all zero
        return all(v == 0 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def _ruled_tables(page: Any) -> list[_Grid]:
    if any(_invisible(r) for r in page.rects):
        page = page.filter(lambda obj: not _invisible(obj))
    grids = []
    for t in page.find_tables():
        grid = _Grid(t)
        # a single framed box (a boxed paragraph, a page border) is not a table
        if len(grid.xs) >= 2 and grid.rows:
            grids.append(grid)
    return grids


# --------------------------------------------------------------------------- pages


def _read_page(page: Any, number: int) -> _Page:
    chars, doubled = _dedupe([{**c, "text": unify_cjk(c["text"])} if CJK_VARIANT.search(c["text"]) else c
                              for c in page.chars])
    grids = _ruled_tables(page) if chars else []
    free: list[Char] = []
    per_cell: list[dict[tuple[int, int], list[Char]]] = [{} for _ in grids]
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for k, grid in enumerate(grids):
            if grid.contains(cx, cy):
                pos = grid.locate(cx, cy)
                if pos is not None:
                    per_cell[k].setdefault(pos, []).append(ch)
                    break
        else:
            free.append(ch)
    tables = []
    for grid, cells in zip(grids, per_cell):
        table = grid.to_table(cells, number)
        if table.rows:
            tables.append((grid.bbox[1], table))
    return _Page(number, float(page.width), float(page.height), _group_lines(free, doubled), tables)


def _body_size(pages: list[_Page]) -> float:
    """The type size of running text: the most common size, by characters, of the lines
    of one segment (prose) that span most of their page's text width. Rows of a table
    printed without ruling lines are lines of several segments, and a cell's wrapped text
    is a narrow line of one: counted, they make a table-heavy document's smaller table type
    the body, and its prose (and any table set a size larger) headings (a document of 261
    project forms set at 9 pt, its prose at 11 pt)."""
    sizes: Counter[float] = Counter()
    prose: Counter[float] = Counter()
    running: Counter[float] = Counter()
    for p in pages:
        left = min((ln.x0 for ln in p.lines), default=0.0)
        right = max((ln.x1 for ln in p.lines), default=0.0)
        for ln in p.lines:
            sizes[ln.size] += len(ln.chars)
            if len(ln.segments) == 1:
                prose[ln.size] += len(ln.chars)
                if ln.x1 - ln.x0 >= RUNNING_WIDTH * (right - left):
                    running[ln.size] += len(ln.chars)
    best = running or prose or sizes
    return best.most_common(1)[0][0] if best else 10.0


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def _drop_running_furniture(pages: list[_Page]) -> None:
    """Drop page numbers and running headers/footers: lines in the top/bottom margin
    zone that look like page numbers or recur on many pages. Department/year/unit lines
    above tables are kept here (``layout.join_fragments`` handles those)."""

    def zone_lines(p: _Page) -> list[_Line]:
        top = [ln for k, ln in enumerate(p.lines[:2]) if k == 0 or ln.bottom <= p.height * MARGIN_ZONE]
        bottom = [ln for k, ln in enumerate(p.lines[-2:]) if k == 1 or ln.top >= p.height * (1 - MARGIN_ZONE)]
        return list({id(ln): ln for ln in top + bottom}.values())

    def in_zone(p: _Page, ln: _Line) -> bool:
        return ln.bottom <= p.height * MARGIN_ZONE or ln.top >= p.height * (1 - MARGIN_ZONE)

    keys: Counter[str] = Counter()
    for p in pages:
        keys.update({re.sub(r"\d+", "#", _norm(ln.text)) for ln in zone_lines(p) if in_zone(p, ln)})
    recurring = max(2, int(0.4 * len(pages)) or 2)
    seen: set[str] = set()  # a running header is dropped after its first page: some files print
    # their only title (department, year, kind) as the running header of every page
    for p in pages:
        drop = set()
        for ln in zone_lines(p):
            text = _norm(ln.text)
            key = re.sub(r"\d+", "#", text)
            # a bare page number is furniture wherever it sits as the first/last line;
            # other recurring lines only inside the margin zones
            if _PAGE_NUMBER.match(text):
                drop.add(id(ln))
            elif (in_zone(p, ln) and len(pages) >= 2 and keys[key] >= recurring
                  and not is_furniture(Paragraph(ln.text))):
                if key in seen or not _TITLE_YEAR.search(text):  # kept once: a title naming its year
                    drop.add(id(ln))
                seen.add(key)
        if drop:
            p.lines = [ln for ln in p.lines if id(ln) not in drop]


# --------------------------------------------------------------------------- unruled tables

WORD_GAP = 0.6  # a gap wider than this share of the type size separates two words
BAND_GAP = 0.2  # a white band this wide (share of the type size) down a table separates columns
ROW_GAP = 0.45  # lines closer than this share of the type size may be one table row
_PROSE_PUNCT = re.compile(r"^[，、。；,;]")
_NUMBER_WORD = re.compile(r"^[-+]?[\d,.]+%?$")
_AMOUNT_WORD = re.compile(r"^-?[\d,]+\.\d+%?$|^-?\d{1,3}(?:,\d{3})+%?$")

Word = tuple[float, float, list[Char]]  # x0, x1, visible chars


def _words(chars: list[Char], size: float) -> list[Word]:
    """Runs of visible x-sorted chars with gaps of at most WORD_GAP × size."""
    out: list[Word] = []
    for ch in chars:
        if ch["text"].isspace():
            continue
        if out and ch["x0"] - out[-1][1] <= WORD_GAP * (ch["size"] or size):
            x0, x1, group = out[-1]
            group.append(ch)
            out[-1] = (x0, max(x1, ch["x1"]), group)
        else:
            out.append((ch["x0"], ch["x1"], [ch]))
    return out


def _word_text(word: Word) -> str:
    return "".join(c["text"] for c in word[2])


def _is_amount(word: Word) -> bool:
    return bool(_AMOUNT_WORD.match(_word_text(word)))


WRAP_LOOKBACK = 3  # lines above a line that may hold the start of its wrapped cell


def _wrapped_cells(lines: Sequence[_Line], start: int, size: float) -> list[list[int]]:
    """A cell number for every word: a word on a line close below another word (the
    gap of wrapped lines, not of rows), inside that word's x-range, continues its cell
    (its next line, or the short last line of a centred cell). ``start``: the first line
    of this page (lines before it are the previous page's fragment). Lines of cells
    centred vertically interleave, so a few lines above are looked at, not just one."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    tol = 1.5
    for k, ln in enumerate(lines):
        for j in range(k - 1, max(k - 1 - WRAP_LOOKBACK, -1), -1):
            if (j < start <= k) or ln.top - lines[j].bottom > ROW_GAP * size:
                continue
            above = lines[j].words
            starts = [w[0] for w in above]
            for wi, w in enumerate(ln.words):
                i = bisect.bisect_right(starts, w[0] + tol) - 1
                if i >= 0 and above[i][1] >= w[1] - tol:
                    parent[find((k, wi))] = find((j, i))
    # a label every page of the table repeats (its group label over 基本支出's sub-columns)
    # at the same place with the same text is one cell printed again: its copies must not
    # count as text on both sides of the band it spans, or the third page's copy would
    # cross that band more often than a group label may (SPAN_MAX_CROSSINGS)
    fragment = [0] * len(lines)  # the context holds the earlier pages' fragments, in order
    for k in range(1, len(lines)):
        turn = k == start or lines[k].top < lines[k - 1].top - tol
        fragment[k] = fragment[k - 1] + turn
    seen: dict[tuple[str, int, int], tuple[int, int]] = {}
    for k, ln in enumerate(lines):
        for wi, w in enumerate(ln.words):
            text = _word_text(w)
            if _NUMBER_WORD.match(text):
                continue
            first = seen.setdefault((text, round(w[0]), round(w[1])), (k, wi))
            if fragment[first[0]] != fragment[k]:
                parent[find((k, wi))] = find(first)
    ids: dict[tuple[int, int], int] = {}
    return [[ids.setdefault(find((k, wi)), len(ids)) for wi in range(len(ln.words))] for k, ln in enumerate(lines)]


def _unruled_table(
    lines: list[_Line], page: int, body: float, context: list[_Line] = ()
) -> tuple[Table | None, list[tuple[float, float]]]:
    """A table from the lines of a run without ruling lines: columns from the coverage
    of all word boxes (``columns.find_columns``; ``context`` are the lines of the same
    table's fragment on the previous page, so a fragment whose column is empty keeps
    it); rows from vertical gaps, a wrapped cell staying in its row; header labels
    placed as a text extraction prints them (``_place_header``)."""
    size = Counter(ln.size for ln in lines).most_common(1)[0][0] or body
    every = list(context) + list(lines)  # the previous fragment's lines first
    boxes = [[(w[0], w[1]) for w in ln.words] for ln in every]
    labels = [[not _NUMBER_WORD.match(_word_text(w)) for w in ln.words] for ln in every]
    cols = find_columns(boxes, BAND_GAP * size, labels, _wrapped_cells(every, len(context), size))
    if len(cols.bounds) < 2:
        return None, []
    where = assign(boxes, cols)
    # rows: a line joins the row above when close to it and it adds no second amount
    # to a column that already has one (a new data row, not a wrapped cell); the
    # previous fragment's rows take part only so that header placement sees them
    groups: list[list[int]] = []
    amounts: set[int] = set()
    for k, ln in enumerate(every):
        mine = {c for w, c in zip(ln.words, where[k]) if _is_amount(w)}
        # (never across a page: the context may hold several pages' fragments, and a
        # page's first line lies far above the previous page's last)
        close = k != len(context) and groups and -2 * size <= ln.top - every[groups[-1][-1]].bottom <= ROW_GAP * size
        if close and not (mine & amounts):
            groups[-1].append(k)
            amounts |= mine
        else:
            groups.append([k])
            amounts = set(mine)
    grid: list[list[list[Word]]] = []
    for group in groups:
        cells: list[list[Word]] = [[] for _ in cols.bounds]
        for k in group:
            for w, c in zip(every[k].words, where[k]):
                cells[c].append(w)
        grid.append(cells)
    bounds = list(cols.bounds)
    _place_header(grid, bounds, {id(every[li].words[wi]) for li, wi in cols.spanning})
    mine_from = next(g for g, group in enumerate(groups) if group[0] >= len(context))
    groups, grid = groups[mine_from:], grid[mine_from:]
    current, lines = lines, every
    out: list[Row] = []
    for group, cells in zip(groups, grid):
        texts = [_cell_text([ch for w in ws for ch in w[2]]) for ws in cells]
        glines = [lines[k] for k in group]
        bbox = (min(l.x0 for l in glines), min(l.top for l in glines), max(l.x1 for l in glines),
                max(l.bottom for l in glines))
        out.append(Row(cells=texts, loc=Loc(page=page, bbox=_round_bbox(bbox))))
    bbox = (bounds[0][0], current[0].top, bounds[-1][1], current[-1].bottom)
    return Table(rows=out, loc=Loc(page=page, bbox=_round_bbox(bbox))), cols.bounds


def _aligned_edge(grid: list[list[list[Word]]], c: int, rows: Sequence[int], edge: int, tol: float = 1.5) -> bool:
    """Do the cells of column ``c`` in ``rows`` start (edge 0) or end (edge 1) at one x?"""
    xs = [ws[0][0] if edge == 0 else max(w[1] for w in ws) for r in rows if (ws := grid[r][c])]
    return len(xs) >= 2 and max(xs) - min(xs) <= tol


def _numbering(cells: list[list[Word]]) -> bool:
    """The column-numbering row of a header (栏次 1 2 3 …)."""
    words = [_word_text(w) for ws in cells for w in ws]
    return sum(t.isdigit() for t in words) >= 0.6 * len(words)


def _merged_row_label(grid: list[list[list[Word]]], c: int, data: Sequence[int]) -> bool:
    """Is the one data row with words in column ``c`` a row label over merged cells, the
    cell right of it empty ("人员经费合计" left-aligned over 类 | 款 | 科目名称, in the column
    of the centred header labels left of the right-aligned codes; "公用经费合计" likewise
    after the first half's amount)? It is that row's label, not the column's data, and
    does not keep the header's column from being the codes' label."""
    rows = [r for r in data if grid[r][c]]
    if len(rows) != 1:
        return False
    row = grid[rows[0]]
    return not any(map(_is_amount, row[c])) and c + 1 < len(row) and not row[c + 1]


def _centred_group_labels(grid: list[list[list[Word]]], head: int) -> set[int]:
    """The ids of header words that are group labels by their place: in a column empty in
    the header rows below, centred between the nearest sub-labels below on either side
    (其中： over 基本支出 | 项目支出, too short to cross the band between them). A label of
    a cell merged down its column (合计 printed in the first header row) is centred over
    its own column, not between its neighbours' labels."""
    out: set[int] = set()
    for r in range(head - 1):
        below = range(r + 1, head)
        labelled = [any(grid[m][c] for m in below) for c in range(len(grid[r]))]
        for c, words in enumerate(grid[r]):
            if not words or labelled[c]:
                continue
            left = next((i for i in range(c - 1, -1, -1) if labelled[i]), None)
            right = next((i for i in range(c + 1, len(labelled)) if labelled[i]), None)
            if left is None or right is None:
                continue
            lo = min(w[0] for m in below for w in grid[m][left])
            hi = max(w[1] for m in below for w in grid[m][right])
            tol = max(3.0, 0.05 * (hi - lo))
            out |= {id(w) for w in words if abs((w[0] + w[1]) / 2 - (lo + hi) / 2) <= tol}
    return out


def _place_header(
    grid: list[list[list[Word]]], bounds: list[tuple[float, float]], spanning: frozenset[int] | set[int] = frozenset()
) -> None:
    """Header labels, centred in their cells, are not aligned with the data below them:
    (1) a column holding header words only, beside a column of data without any label,
    or beside a left-aligned text column whose cell it is centred over (or a
    right-aligned amount or code column), is that column's label;
    (2) a label centred over several sub-columns (a group label, over sub-columns
    labelled in any row below it) goes to the first of them, as a text extraction prints
    a merged cell; the group of the label before it bounds it. Rows before the first row
    with an amount are the header; in a table without amounts, its first row of text.
    ``spanning``: the ids of the words that span columns (``Columns.spanning``)."""
    head = next((r for r, cells in enumerate(grid) if any(_is_amount(w) for ws in cells for w in ws)), 0)
    if head == 0:
        # a list without amounts (序号 | 单位名称 | …): its first row of text alone is the
        # header, and is placed only where its labels stand in columns of their own
        if len(grid) < 3 or any(_NUMBER_WORD.match(_word_text(w)) for ws in grid[0] for w in ws):
            return
        head = 1

    def extent(c: int, rows: Sequence[int]) -> tuple[float, float] | None:
        ws = [w for r in rows for w in grid[r][c]]
        return (min(w[0] for w in ws), max(w[1] for w in ws)) if ws else None

    def key(r: int) -> str:
        return "".join(_word_text(w) for ws in grid[r] for w in ws)

    # the header printed again above a later fragment is header, not data
    header_keys = {key(r) for r in range(head)}
    data = [r for r in range(head, len(grid)) if key(r) not in header_keys]
    group = set(spanning) | _centred_group_labels(grid, head)
    numbering = {r for r in range(head) if _numbering(grid[r])}
    # the outermost columns too: a first column's label centred over right-aligned codes
    # (numbers as Excel prints them) lies left of them, a last column's over a short
    # left-aligned text right of it
    c = 0
    while c < len(bounds) and len(bounds) > 2:
        own = extent(c, range(0, head))
        if own is None or extent(c, data) is not None and not _merged_row_label(grid, c, data):
            c += 1
            continue
        lc = max((i for i in range(c) if extent(i, data) is not None), default=None)
        rc = min((i for i in range(c + 1, len(bounds)) if extent(i, data) is not None), default=None)
        left = extent(lc, data) if lc is not None else None
        right = extent(rc, data) if rc is not None else None
        rows_with = [r for r in range(head) if grid[r][c]]
        tol = 2.0
        into = None
        # beside a column of data that has no label at all: its label (a single data row
        # shows no aligned edge, "三公" tables print one)
        # (a group label over it is not its label: 小计 under 国有资本经营预算支出, its one
        # amount in the next column under the group label; 基本支出 under 其中：)
        bare = [i for i in (c - 1, c + 1) if i in (lc, rc)
                and not any(id(w) not in group for r in range(head) for w in grid[r][i])]
        # a column holding nothing but a number of the 栏次 row: that number belongs to the
        # one column beside it that has none (an empty column's "4", right-aligned clear of
        # its centred label 基本支出); a column carries one number of that row
        unnumbered = [i for i in (c - 1, c + 1) if 0 <= i < len(bounds) and not any(grid[r][i] for r in numbering)]
        if numbering and all(r in numbering for r in rows_with) and len(unnumbered) == 1:
            into = unnumbered[0]
        elif len(bare) == 1:
            into = bare[0]
        elif lc == c - 1 and _aligned_edge(grid, lc, data, 0) and not _aligned_edge(grid, lc, data, 1) and (
            c == len(bounds) - 1 or right is not None and own[0] - left[0] <= right[0] - own[1] + tol
        ):
            into = c - 1  # centred over a left-aligned column's cell
        elif rc == c + 1 and _aligned_edge(grid, rc, data, 1) and (
            c == 0 or (near := extent(c - 1, range(len(grid)))) is not None and right[1] - own[1] <= own[0] - near[1] + tol
        ):
            into = c + 1  # centred over a right-aligned column's cell
        elif len(rows_with) == 1 and rows_with[0] + 1 < head and lc == c - 1 and c + 1 < len(bounds) and (
            grid[rows_with[0] + 1][c - 1] and grid[rows_with[0] + 1][c + 1]
        ):
            into = c - 1  # a group label over the sub-columns on both sides of it
        # a column carries one label a header row: never two labels of one row in one column
        if into is None or any(grid[r][c] and grid[r][into] for r in range(head)):
            c += 1
            continue
        for cells in grid:
            cells[into].extend(cells[c])
            del cells[c]
        lo, hi = bounds[min(into, c)], bounds[max(into, c)]
        bounds[min(into, c)] = (lo[0], hi[1])
        del bounds[max(into, c)]
    for r in range(head - 1):
        row, below = grid[r], grid[r + 1]
        if _numbering(below):
            continue  # the column-numbering row (栏次 1 2 3 …) labels nothing
        # a sub-column is labelled in some row below (a group label inside the group
        # leaves blanks right under it: "公务用车购置及运行维护费" over 小计 | 购置 | 运行)
        labels = [m for m in range(r + 1, head) if not _numbering(grid[m])]
        under = [any(grid[m][i] for m in labels) for i in range(len(bounds))]
        floor = 0  # the first column right of the group the previous label spans
        for c in range(len(bounds)):
            if not row[c] or not under[c]:
                continue
            a = b = c
            while a > floor and not row[a - 1] and under[a - 1]:
                a -= 1
            while b + 1 < len(bounds) and not row[b + 1] and under[b + 1]:
                b += 1
            floor = c + 1
            if a == b:
                continue
            x0, x1 = min(w[0] for w in row[c]), max(w[1] for w in row[c])
            mid = (x0 + x1) / 2
            # the widest run of sub-columns the label is centred over: over their text, else
            # the whole free run (between the labels beside it) over cells whose edges lie
            # somewhere in the white between the columns (right-aligned amounts leave a
            # cell's left edge unknown)
            def centred(i: int, j: int, left: float, right: float) -> bool:
                """Is the label centred over sub-columns i..j, their cells starting no
                earlier than ``left`` and ending no later than ``right``?"""
                tol = max(3.0, 0.02 * (bounds[j][1] - bounds[i][0]))
                return (left + bounds[j][1]) / 2 - tol <= mid <= (bounds[i][0] + right) / 2 + tol

            runs = [(i, j) for i in range(a, c + 1) for j in range(max(c, i + 1), b + 1)
                    if centred(i, j, bounds[i][0], bounds[j][1])]
            if not runs and centred(a, b, bounds[a - 1][1] if a > 0 else bounds[a][0],
                                    bounds[b + 1][0] if b + 1 < len(bounds) else bounds[b][1]):
                runs = [(a, b)]
            best = c
            if runs:  # the widest (the first of equals)
                best, last = max(runs, key=lambda run: bounds[run[1]][1] - bounds[run[0]][0])
                floor = last + 1
            if best != c:
                row[best].extend(row[c])
                row[c] = []


def _is_heading_line(ln: _Line, body: float) -> bool:
    return ln.size >= body * HEADING_RATIO or (ln.bold and len(ln.segments) == 1)


def _aligned(run: list[_Line], tol: float = 2.0) -> bool:
    """Columns line up: in at least two lines (and most lines) with several words,
    every word after the first starts, ends or centres where a word of another line
    does. Justified prose with wide gaps around punctuation does not. Edges are
    bucketed by position, so a long run costs linear time."""
    multi = [ln for ln in run if len(ln.words) >= 2]
    if len(multi) < 2:
        return False
    edges: dict[tuple[int, int], set[int]] = {}
    for k, ln in enumerate(multi):
        for w in ln.words[1:]:
            for kind, x in enumerate((w[0], w[1], (w[0] + w[1]) / 2)):
                edges.setdefault((kind, int(x // tol)), set()).add(k)

    def lines_at(kind: int, x: float) -> set[int]:
        b = int(x // tol)
        return edges.get((kind, b - 1), set()) | edges.get((kind, b), set()) | edges.get((kind, b + 1), set())

    good = 0
    for k, ln in enumerate(multi):
        good += all(
            any(lines_at(kind, x) - {k} for kind, x in enumerate((w[0], w[1], (w[0] + w[1]) / 2)))
            for w in ln.words[1:]
        )
    return good >= 2 and good >= 0.6 * len(multi)


def _side_by_side(group: list[_Line]) -> bool:
    """Two words of these lines stand side by side (x-ranges apart): table cells."""
    spans = sorted((w[0], w[1]) for ln in group for w in ln.words)
    return any(b[0] > a[1] for a, b in zip(spans, spans[1:])) if len(spans) >= 2 else False


def _prose_gaps(lines: list[_Line]) -> bool:
    """A gap before a comma or enumeration mark is justified prose, never a cell border."""
    return any(_PROSE_PUNCT.match(_word_text(w)) for ln in lines for w in ln.words[1:])


def _banded(run: list[_Line], body: float) -> bool:
    """Columns separated by white bands that run down every line: at least two lines
    with words in two or more columns, and most lines with several words so. Prose
    with wide gaps has them at different places, so its lines cover each other's."""
    multi = [k for k, ln in enumerate(run) if len(ln.words) >= 2]
    if len(multi) < 2:
        return False
    if _prose_gaps([run[k] for k in multi]):
        return False
    boxes = [[(w[0], w[1]) for w in ln.words] for ln in run]
    size = Counter(ln.size for ln in run).most_common(1)[0][0] or body
    cols = find_columns(boxes, BAND_GAP * size)
    if len(cols.bounds) < 2:
        return False
    where = assign(boxes, cols)
    good = sum(1 for k in multi if len(set(where[k])) >= 2)
    return good >= 2 and good >= 0.6 * len(multi)


@dataclass
class _RunColumns:
    """The column extents of a run's lines (its type size, for the white bands),
    computed once when first asked for: one-cell rows are tested against the run as
    its tabular lines found it, however many of them are looked at."""

    run: list[_Line]
    body: float
    size: float = 0.0
    bounds: list[tuple[float, float]] | None = None

    def get(self) -> list[tuple[float, float]]:
        if self.bounds is None:
            self.size = Counter(ln.size for ln in self.run).most_common(1)[0][0] or self.body
            # from the first line with an amount: a group label of the header ("收入 | 支出"
            # over 项目 | 决算数 twice) may stand clear of its sub-columns' text, a column of
            # its own that a long one-cell row below ("十四、资源勘探工业信息等支出") would
            # reach into, and so not be "clear of the columns on either side"
            first = next((k for k, ln in enumerate(self.run) if any(map(_is_amount, ln.words))), 0)
            boxes = [[(w[0], w[1]) for w in ln.words] for ln in self.run[first:]]
            self.bounds = find_columns(boxes, BAND_GAP * self.size).bounds
        return self.bounds


def _one_cell_row(group: list[_Line], cols: _RunColumns, above: bool) -> bool:
    """A row of the run's table with a single filled cell (a value wrapped inside its
    cell, a lone percentage under its month): its lines sit inside one column of the
    run, flush with that column's left or right edge and clear of the columns on either
    side; in the first column only where the table is set smaller than the prose (a
    short line at the text's left edge in the body's type reads as prose: "上年结转"
    closing a 收支总表's page in its table type is a row). Such a row has no gap of its
    own to show it is tabular; its column does. Above the run, a title-area line
    ("单位：万元" flush right) is no row."""
    if above and any(is_furniture(Paragraph(ln.text)) for ln in group):
        return False
    bounds = cols.get()
    if any(abs(ln.size - cols.size) > 0.5 for ln in group):
        return False
    x0, x1 = min(ln.x0 for ln in group), max(ln.x1 for ln in group)
    tol = 1.5
    first = 0 if cols.size < cols.body - 0.25 and len(bounds) > 1 else 1  # sizes are read in half points
    for c in range(first, len(bounds)):
        if c == 0:
            if abs(x0 - bounds[0][0]) <= tol and x1 < bounds[1][0]:
                return True
            continue
        a, b = bounds[c]
        clear = x0 > bounds[c - 1][1] and (c + 1 == len(bounds) or x1 < bounds[c + 1][0])
        if clear and (abs(x0 - a) <= tol or abs(x1 - b) <= tol):
            return True
    return False


def _continues_columns(context: Sequence[_Line], run: list[_Line], body: float) -> bool:
    """A run that opens a page, too short to show columns of its own (one row), is the
    continuation of the unruled table that closed the previous page when its words
    fall into that table's columns, in two or more of them, adding none."""
    if not context:
        return False
    size = Counter(ln.size for ln in context).most_common(1)[0][0] or body
    if any(abs(ln.size - size) > 0.5 for ln in run if len(ln.words) >= 2):
        return False
    before = [[(w[0], w[1]) for w in ln.words] for ln in context]
    mine = [[(w[0], w[1]) for w in ln.words] for ln in run]
    cols = find_columns(before, BAND_GAP * size)
    both = find_columns(before + mine, BAND_GAP * size)
    if len(cols.bounds) < 2 or len(both.bounds) != len(cols.bounds):
        return False
    return any(len(set(w)) >= 2 for w in assign(before + mine, both)[len(before) :])


def _split_unruled(
    lines: list[_Line], body: float, left: float, right: float, context: Sequence[_Line] = (), opens_above: float = 0.0
) -> list[list[_Line] | _Line]:
    """Runs of lines that form a table without ruling lines (two or more lines with
    wide gaps between words, plus the wrapped cell lines inside and after them) versus
    single text lines. A line of one word joins a run unless it reads as prose: as
    wide as the text column and at its left edge, or after a paragraph-sized gap.
    ``context``: the lines of the unruled table that closed the previous page; a run
    that opens the page (above ``opens_above``) may continue it (``_continues_columns``)."""
    tabular = [len(ln.words) >= 2 and ln.size < body * HEADING_RATIO for ln in lines]
    wide = [ln.x0 <= left + 0.5 * body and ln.x1 - ln.x0 >= 0.5 * (right - left) for ln in lines]
    index = {id(ln): k for k, ln in enumerate(lines)}
    out: list[list[_Line] | _Line] = []
    i = 0
    while i < len(lines):
        if not tabular[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        run = [lines[i]]
        k = i + 1
        # extend over tabular lines and the wrapped single-word lines between them
        while k < len(lines):
            gap = lines[k].top - lines[k - 1].bottom
            if gap > 2.5 * body or _is_heading_line(lines[k], body) and not tabular[k]:
                break
            if tabular[k]:
                run = lines[i : k + 1]
                j = k
            elif gap > 1.5 * body or wide[k] and not any(tabular[k + 1 : k + 2]):
                break
            k += 1
        # trailing wrapped lines of the last row: close below it, not prose
        k = j + 1
        while k < len(lines) and not tabular[k] and lines[k].top - lines[k - 1].bottom <= ROW_GAP * body:
            if wide[k] or _is_heading_line(lines[k], body):
                break
            run.append(lines[k])
            k += 1
        # whole rows of one-word lines side by side (cells centred vertically, each
        # wrapped line its own text line) or of one filled cell below the run
        cols = _RunColumns(list(run), body)
        while k < len(lines) and not tabular[k] and lines[k].top - lines[k - 1].bottom <= 1.5 * body:
            g = k
            while g + 1 < len(lines) and not tabular[g + 1] and lines[g + 1].top - lines[g].bottom <= ROW_GAP * body:
                g += 1
            group = lines[k : g + 1]
            if any(wide[x] or _is_heading_line(lines[x], body) for x in range(k, g + 1)) or not (
                _side_by_side(group) or _one_cell_row(group, cols, above=False)
            ):
                break
            run.extend(group)
            k = g + 1
        # leading wrapped lines of the first row (cells centred vertically): close
        # above it, not prose; and whole rows of one-word lines side by side or of one
        # filled cell above it. Opening the page, that cell may lie in a column of the
        # previous page's table (a lone "100%" under the month that closed the page).
        pre = 0
        carried = _RunColumns(list(context) + list(run), body) if context and run[0].top < opens_above else None

        def opens_page(before: int) -> bool:
            return all(isinstance(x, _Line) and is_furniture(Paragraph(x.text)) for x in out[:before])

        while len(out) > pre and isinstance(out[-1 - pre], _Line) and not wide[index[id(out[-1 - pre])]]:
            above = out[-1 - pre]
            if _is_heading_line(above, body) or run[0].top - above.bottom > 1.5 * body:
                break
            if run[0].top - above.bottom > ROW_GAP * body:
                g = pre
                while len(out) > g + 1 and isinstance(out[-2 - g], _Line) and (
                    out[-1 - g].top - out[-2 - g].bottom <= ROW_GAP * body
                ):
                    g += 1
                group = out[len(out) - 1 - g : len(out) - pre]
                if any(wide[index[id(x)]] or _is_heading_line(x, body) for x in group) or not (
                    _side_by_side(group) or _one_cell_row(group, cols, above=True) or carried is not None
                    and opens_page(len(out) - 1 - g) and _one_cell_row(group, carried, above=True)
                ):
                    break
                run[:0] = group
                pre = g + 1
                continue
            run.insert(0, above)
            pre += 1
        # a department / date / unit line just above the grid is page furniture
        handed = 0
        while len(run) > 2 and len(run[0].segments) >= 2 and all(
            is_furniture(Paragraph(seg[2])) for seg in run[0].segments
        ):
            if pre:
                pre -= 1  # hand it back to the text lines
            else:
                out.append(run[0])
                handed += 1
            run.pop(0)
        opens = bool(context) and run[0].top < opens_above and opens_page(len(out) - pre)
        if _aligned(run) or _banded(run, body) or opens and _continues_columns(context, run, body):
            del out[len(out) - pre :]
            out.append(run)
            i = k if k > j + 1 else j + 1
        else:
            out.extend(run[pre:])
            i += len(run) - pre + handed
    return out


# --------------------------------------------------------------------------- text blocks


def _line_gap(pages: list[_Page], body: float) -> float:
    """The document's normal gap between two lines of one paragraph: the smallest gap
    between consecutive body lines that is common (paragraph spacing only adds)."""
    gaps: Counter[int] = Counter()
    for p in pages:
        body_lines = [ln for ln in p.lines if ln.size < body * HEADING_RATIO and len(ln.segments) == 1]
        for a, b in zip(body_lines, body_lines[1:]):
            gap = b.top - a.bottom
            if 0 <= gap <= 4 * body:
                gaps[round(gap)] += 1
    if not gaps:
        return 0.5 * body
    need = max(3, 0.1 * sum(gaps.values()))
    return float(min((g for g, n in gaps.items() if n >= need), default=gaps.most_common(1)[0][0]))


_FULL_STOP = re.compile(r"[。！？；：:;!?]$")


def _item_after_sentence(prev: _Line, ln: _Line, right: float) -> bool:
    """A numbered title or item ("二、机关运行经费预算") that follows a sentence ending short of
    the right margin starts a block of its own, even flush with the paragraph's wrapped
    lines (templates that indent only a paragraph's first line put their section titles at
    the wrapped lines' margin): a wrapped sentence reaches the margin, an ended one need not."""
    return bool(_NUMBERED.match(ln.text)) and bool(_FULL_STOP.search(prev.text.rstrip())) and (
        prev.x1 < right - 1.5 * prev.size
    )


_SENTENCE_PUNCT = re.compile(r"[，。；：,;:！？!?]")
_TITLE_CHARS = 50


def _states_no_sentence(text: str) -> bool:
    """A short line without sentence punctuation: a title, or an item of a list."""
    return len(text) <= _TITLE_CHARS and not _SENTENCE_PUNCT.search(text)


def _title_break(block: list[_Line], ln: _Line, right: float) -> bool:
    """Title lines printed at the body's size and margin, without a gap: a numbered line
    after a block of one short line that states no sentence ("某局2022年度部门预算" then
    "六、…情况说明"), and any line after a numbered title alone on its line ("六、一般公共预算
    基本支出情况说明" then its text) start a block of their own, as a text extraction's
    lines do (``readers.text``). A short line inside a sentence (a number that did not fit)
    always holds sentence punctuation before it or is no title."""
    if len(block) != 1:
        return False
    prev = block[0]
    text = re.sub(r"^第[一二三四五六七八九十]{1,3}部分[:：]?", "", prev.text.strip())  # "第三部分：…说明"
    words = _NUMBERED.sub("", text)  # a title's words hold no 、 either, an item's list does
    alone = _states_no_sentence(text) and "、" not in words and prev.x1 < right - 2 * prev.size
    if not alone:
        return False
    return bool(_NUMBERED.match(ln.text)) or bool(_NUMBERED.match(text))


def _list_break(block: list[_Line], ln: _Line, right: float, listing: bool) -> bool:
    """One item to a line, at the body's margin: after a line that opens a list ("…单位包括：")
    and, while in such a list (``listing``), after a short item alone in its block that states
    no sentence, ending well short of the margin, the next line is an item of its own. Not
    before a number or a Latin word (one that did not fit the line before: the sentence goes
    on)."""
    prev = block[-1]
    text = prev.text.strip()
    if prev.x1 >= right - 3 * prev.size or re.match(r"[\dA-Za-z(（]", ln.text.strip()):
        return False
    return text.endswith(("：", ":")) or (listing and len(block) == 1 and _states_no_sentence(text))


def _text_blocks(
    page: _Page, body: float, left: float, right: float, line_gap: float, carry: _Carry
) -> list[tuple[float, Block, _Para | None]]:
    """The page's text blocks and unruled tables. ``carry`` holds the lines of an
    unruled table that ended the previous page: a run that opens this page is read
    with them as context (its continuation, whose empty columns the fragment alone
    would lose); ``carry`` is replaced by this page's closing run."""
    items: list[tuple[float, Block, _Para | None]] = []
    ruled_tops = [top for top, _ in page.tables]
    previous = carry.lines if carry.width == page.width else []
    carry.lines, carry.width = [], page.width
    cur: _Para | None = None
    cur_lines: list[_Line] = []

    def flush() -> None:
        nonlocal cur, cur_lines
        if cur is not None:
            texts = [ln.text for ln in cur_lines]
            cur.block.text = _join_lines(texts)
            last = cur_lines[-1]
            cur.last_full = last.x1 >= right - 1.5 * last.size
            bbox = (min(l.x0 for l in cur_lines), cur_lines[0].top, max(l.x1 for l in cur_lines), last.bottom)
            cur.block.loc = Loc(page=page.number, bbox=_round_bbox(bbox))
            if len(cur.block.text) > 80 and isinstance(cur.block, Heading):
                cur.block = Paragraph(text=cur.block.text, loc=cur.block.loc)
            if isinstance(cur.block, Paragraph) and len(cur_lines) == 1 and len(last.segments) > 1:
                # one line holding separate texts far apart ("部门：X        单位：万元"):
                # separate blocks, as a text extraction prints them on separate lines
                for x0, x1, text in last.segments:
                    loc = Loc(page=page.number, bbox=_round_bbox((x0, last.top, x1, last.bottom)))
                    items.append((cur.top, Paragraph(text=text, loc=loc), cur))
            else:
                items.append((cur.top, cur.block, cur))
        cur, cur_lines = None, []

    parts = _split_unruled(page.lines, body, left, right, previous, min(ruled_tops, default=page.height + 1))
    resolved: list[tuple[list[_Line], Table] | _Line] = []
    for n, part in enumerate(parts):
        if not isinstance(part, list):
            resolved.append(part)
            continue
        opens = all(isinstance(p, _Line) and is_furniture(Paragraph(p.text)) for p in resolved) and not any(
            t < part[0].top for t in ruled_tops
        )
        context = previous if opens else []
        table, _ = _unruled_table(part, page.number, body, context)
        if table is None or not table.rows:
            resolved.extend(part)  # no columns after all: the lines are text
            continue
        resolved.append((part, table))
        if n == len(parts) - 1 and not any(t > part[-1].bottom for t in ruled_tops):
            carry.lines = context + part
    listing = False  # inside a list printed one item to a line (``_list_break``)
    for part in resolved:
        if isinstance(part, tuple):
            flush()
            listing = False
            items.append((part[0][0].top, part[1], None))
            continue
        ln = part
        heading = _is_heading_line(ln, body)
        indented = ln.x0 > left + 1.5 * ln.size
        if cur is not None and cur_lines:
            prev = cur_lines[-1]
            same_kind = isinstance(cur.block, Heading) == heading
            if heading:  # a wrapped heading: the same type, the first line (nearly) full
                same_kind = (
                    same_kind and abs(prev.size - ln.size) < 0.5 and prev.bold == ln.bold
                    and prev.x1 - prev.x0 >= 0.6 * (right - left) and not _NUMBERED.match(ln.text)
                )
            gap = ln.top - prev.bottom
            # a line starting well left of the previous one follows a centred or
            # right-aligned line (a title, a unit line): a new block
            outdented = ln.x0 < prev.x0 - 2.5 * ln.size
            listed = _list_break(cur_lines, ln, right, listing)
            if (same_kind and gap <= line_gap + 0.35 * ln.size and not (indented and not heading) and not outdented
                    and not _item_after_sentence(prev, ln, right) and not _title_break(cur_lines, ln, right)
                    and not listed):
                cur_lines.append(ln)
                continue
            listing = listed
        flush()
        block: Heading | Paragraph = Heading(text="", level=0) if heading else Paragraph(text="")
        cur = _Para(block=block, top=ln.top, indented=indented, last_full=False)
        cur_lines = [ln]
        if heading:
            cur.size = ln.size if ln.size >= body * HEADING_RATIO else body
    flush()
    return items


def _rank_headings(items: list[tuple[int, Block, _Para | None]]) -> None:
    """Heading level from the size rank: the largest size is level 1; bold body-size
    headings come last."""
    heads = [(b, m) for _, b, m in items if isinstance(b, Heading) and m is not None]
    rank: dict[float, int] = {}
    prev = None
    for size in sorted({m.size for _, m in heads}, reverse=True):
        # sizes within 0.75 pt are one level (titles set at 15.5 and 16 pt)
        rank[size] = rank[prev] if prev is not None and prev - size <= 0.75 else len(set(rank.values())) + 1
        prev = size
    for b, m in heads:
        b.level = rank[m.size]


# --------------------------------------------------------------------------- page joins


def _join_pages(items: list[tuple[int, Block, _Para | None]]) -> list[Block]:
    """Join a paragraph or headerless table that continues at the top of the next page
    with the last block of the previous page."""
    out: list[tuple[int, Block, _Para | None]] = []
    first = _first_on_page(items)
    for page, block, meta in items:
        prev = _last_content(out)
        if prev is not None and page == out[prev][0] + 1 and first.get(page) is block:
            ppage, pblock, pmeta = out[prev]
            if isinstance(block, Paragraph) and isinstance(pblock, Paragraph) and pmeta and meta:
                if (
                    pmeta.last_full and not meta.indented and prev == len(out) - 1
                    and not _SENTENCE_END.search(pblock.text) and not _NUMBERED.match(block.text)
                ):
                    pblock.text = _join_lines([pblock.text, block.text])
                    pmeta.last_full = meta.last_full
                    out[prev] = (page, pblock, pmeta)
                    continue
            if isinstance(block, Table) and isinstance(pblock, Table) and _continues(pblock, block):
                _append_rows(pblock, block)
                del out[prev + 1 :]  # furniture between the two fragments
                out[prev] = (page, pblock, None)
                continue
        out.append((page, block, meta))
    return [b for _, b, _ in out]


def _drop_repeated_page_heads(items: list[tuple[int, Block, _Para | None]]) -> list[tuple[int, Block, _Para | None]]:
    """Lines printed again above each page's table fragment (the table title,
    "部门名称：… 单位：万元"): a text block at the top of a page, between a table that
    ended the previous page and its continuation on this page, with the same text as
    an earlier block, is furniture."""
    seen: set[str] = set()
    out: list[tuple[int, Block, _Para | None]] = []
    for k, (page, block, meta) in enumerate(items):
        if not isinstance(block, Table):
            key = _norm(block.text)
            if key in seen and _between_fragments(items, k):
                continue
            seen.add(key)
        out.append((page, block, meta))
    return out


def _between_fragments(items: list[tuple[int, Block, _Para | None]], k: int) -> bool:
    page = items[k][0]
    i = k
    while i > 0 and items[i - 1][0] == page:
        if isinstance(items[i - 1][1], Table):
            return False  # not at the top of the page
        i -= 1
    if i == 0 or items[i - 1][0] != page - 1 or not isinstance(items[i - 1][1], Table):
        return False
    j = k + 1
    while j < len(items) and items[j][0] == page and not isinstance(items[j][1], Table):
        j += 1
    if j >= len(items) or items[j][0] != page or not isinstance(items[j][1], Table):
        return False
    prev, nxt = items[i - 1][1], items[j][1]
    # only when the table below continues the one above (a new table keeps its lines)
    return _strip_repeated_header(prev, nxt) is not None or _headless_continuation(prev, nxt) is not None


def _last_content(out: list[tuple[int, Block, _Para | None]]) -> int | None:
    for k in range(len(out) - 1, -1, -1):
        if not is_furniture(out[k][1]):
            return k
    return None


def _first_on_page(items: list[tuple[int, Block, _Para | None]]) -> dict[int, Block]:
    """The first block of each page that is not page furniture."""
    first: dict[int, Block] = {}
    for p, b, _ in items:
        if p not in first and not is_furniture(b):
            first[p] = b
    return first


def _continues(prev: Table, nxt: Table) -> bool:
    return prev.width == nxt.width and _strip_repeated_header(prev, nxt) is None


def _append_rows(table: Table, nxt: Table) -> None:
    rows = list(nxt.rows)
    # a split inside the header rows is not a broken data row
    in_header = all(_header_like(r) for r in table.rows)
    if rows and not in_header and continues_last_row(table, rows[0]):
        table.rows[-1] = merge_continuation(table.rows[-1], rows.pop(0))
    table.rows.extend(rows)
    table.fragments += nxt.fragments


# --------------------------------------------------------------------------- entry point


def _open_error(path: Path, exc: BaseException) -> InputError:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return InputError(str(path), "encrypted PDF (password required)")
    detail = type(inner).__name__ if isinstance(inner, BaseException) else str(inner)
    return InputError(str(path), f"corrupt or truncated PDF ({detail})")


def _read_pages(path: Path, data: bytes, max_pages: int | None) -> list[_Page]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for n, page in enumerate(pdf.pages[:max_pages], start=1):
                pages.append(_read_page(page, n))
                page.close()
            return pages
    except _PDF_ERRORS as exc:
        inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(inner, BaseException) and not isinstance(inner, _PDF_ERRORS):
            raise inner from None  # not damage: e.g. the pipeline's deadline, wrapped by pdfplumber
        raise _open_error(path, exc) from None


def _unmapped_share(pages: list[_Page]) -> float:
    """Share of glyphs pdfminer could only name by code ("(cid:1158)")."""
    texts = [s[2] for p in pages for ln in p.lines for s in ln.segments]
    texts += [c for p in pages for _, t in p.tables for r in t.rows for c in r.cells]
    total = sum(len(t) for t in texts) or 1
    return sum(len(m) for t in texts for m in re.findall(r"\(cid:\d+\)", t)) / total


def read_pdf(path: Path, data: bytes, max_pages: int | None = None) -> Document:
    """The layout IR of a PDF (``max_pages``: read only the first pages, for benchmarks)."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError(str(path), "corrupt or truncated PDF (no end-of-file marker)")
    pages = _read_pages(path, data, max_pages)
    if not pages:
        raise InputError(str(path), "corrupt or truncated PDF (no pages)")
    if not any(p.lines or p.tables for p in pages):
        raise NoTextLayer(str(path), "no text layer (scanned or image-only PDF)")
    if _unmapped_share(pages) > 0.5:
        raise InputError(str(path), "text layer without Unicode mapping (glyph codes only)")
    _drop_running_furniture(pages)
    body = _body_size(pages)
    items: list[tuple[int, Block, _Para | None]] = []
    line_gap = _line_gap(pages, body)
    carry = _Carry()
    for p in pages:
        body_lines = [ln for ln in p.lines if ln.size < body * HEADING_RATIO]
        left = min((ln.x0 for ln in body_lines), default=0.0)
        right = max((ln.x1 for ln in body_lines), default=p.width)
        placed = _text_blocks(p, body, left, right, line_gap, carry) + [(top, t, None) for top, t in p.tables]
        placed.sort(key=lambda it: it[0])
        items.extend((p.number, b, meta) for _, b, meta in placed)
    _rank_headings(items)
    blocks = _join_pages(_drop_repeated_page_heads(items))
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and not b.text)]
    blocks = join_paragraphs(join_fragments(blocks))
    return Document(
        path=str(path), sha256=hashlib.sha256(data).hexdigest(), blocks=blocks, kind="pdf", pages=len(pages)
    )


__all__ = ["read_pdf"]
