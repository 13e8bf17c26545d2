"""PDF reader (pdfplumber) producing the same layout IR as the text reader.

Per page: characters (duplicate "fake bold" glyphs removed) are split between ruled
tables (``find_tables``, lines strategy) and running text. Running text is grouped into
lines; lines with wide gaps between aligned segments form tables without ruling lines;
the rest become headings (larger or bold type; level from the size rank) and
paragraphs. Running headers/footers and printed page numbers are dropped. Tables that
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
from typing import Any, Iterable

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pdfplumber.utils.text import dedupe_chars

from converter.errors import InputError
from converter.readers.ir import Block, Document, Heading, Loc, Paragraph, Row, Table
from converter.readers.layout import (
    _key_column,
    _strip_repeated_header,
    drop_rule_rows,
    is_furniture,
    join_fragments,
    merge_continuation,
)
from converter.readers.markup import _CJK, squeeze_cjk

Char = dict[str, Any]
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

    @property
    def text(self) -> str:
        return " ".join(s[2] for s in self.segments)


@dataclass
class _Para:
    """A text block under construction, with layout facts used for page joins."""

    block: Heading | Paragraph
    top: float
    indented: bool
    last_full: bool
    size: float = 0.0  # heading type size (body size for bold headings), ranked later


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
    prev: Char | None = None
    for ch in chars:
        if ch["text"].isspace():
            if buf and buf[-1] != " ":
                buf.append(" ")
            continue
        size = ch["size"] or 10.0
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            if gap > 1.2 * size:
                segs.append((x0, x1, "".join(buf).strip()))
                buf = []
            elif gap > 0.15 * size and buf[-1] != " ":
                buf.append(" ")
        if not buf or not "".join(buf).strip():
            buf = []
            x0 = ch["x0"]
        buf.append(ch["text"])
        x1 = ch["x1"]
        prev = ch
    if buf:
        segs.append((x0, x1, "".join(buf).strip()))
    return [(a, b, _drop_cjk_spaces(t)) for a, b, t in segs if t]


def _join_lines(parts: Iterable[str]) -> str:
    """Join wrapped lines of one paragraph or cell: no space where either side is CJK
    (or CJK punctuation such as 〔〕), one space between other words."""
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


def _group_lines(chars: Iterable[Char], doubled: set[int]) -> list[_Line]:
    """Group chars into visual lines (vertical overlap), top to bottom."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if lines:
            cur = lines[-1]
            ref = cur[0]
            if ch["top"] < ref["bottom"] - 0.5 * min(ch["bottom"] - ch["top"], ref["bottom"] - ref["top"]):
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
        if line.segments:
            out.append(line)
    return out


def _dedupe(chars: list[Char]) -> tuple[list[Char], set[int]]:
    """Remove duplicate glyphs drawn over each other (fake bold); return the kept chars
    and the ids of those that had a duplicate (bold evidence)."""
    kept = dedupe_chars(chars, tolerance=1)
    if len(kept) == len(chars):
        return kept, set()
    raw = Counter((c["text"], round(c["top"])) for c in chars)
    left = Counter((c["text"], round(c["top"])) for c in kept)
    doubled = {id(c) for c in kept if raw[(c["text"], round(c["top"]))] > left[(c["text"], round(c["top"]))]}
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
        table = drop_rule_rows(Table(rows=rows, loc=Loc(page=page, bbox=_round_bbox(self.bbox))))
        return table


def _cell_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    lines = _group_lines(chars, set())
    return _join_lines([" ".join(s[2] for s in ln.segments) for ln in lines])


def _round_bbox(b: Iterable[float]) -> BBox:
    x0, top, x1, bottom = (round(v, 1) for v in b)
    return (x0, top, x1, bottom)


def _ruled_tables(page: Any) -> list[_Grid]:
    grids = []
    for t in page.find_tables():
        grid = _Grid(t)
        # a single framed box (a boxed paragraph or a page border) is not a table
        if len(grid.xs) >= 2 and grid.rows:
            grids.append(grid)
    return grids


# --------------------------------------------------------------------------- pages


def _read_page(page: Any, number: int) -> _Page:
    chars, doubled = _dedupe(page.chars)
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
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += len(ln.chars)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


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
    for p in pages:
        drop = set()
        for ln in zone_lines(p):
            text = _norm(ln.text)
            key = re.sub(r"\d+", "#", text)
            # a bare page number is furniture wherever it sits as the first/last line;
            # other recurring lines only inside the margin zones
            if _PAGE_NUMBER.match(text) or (
                in_zone(p, ln) and len(pages) >= 2 and keys[key] >= recurring
                and not is_furniture(Paragraph(ln.text))
            ):
                drop.add(id(ln))
        if drop:
            p.lines = [ln for ln in p.lines if id(ln) not in drop]


# --------------------------------------------------------------------------- unruled tables


def _columns(lines: list[_Line]) -> list[tuple[float, float]]:
    """Column extents: the union of segment x-ranges, split where no segment covers."""
    spans = sorted((s[0], s[1]) for ln in lines for s in ln.segments)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return [(a, b) for a, b in cols]


def _unruled_table(lines: list[_Line], page: int, body: float) -> Table | None:
    cols = _columns(lines)
    if len(cols) < 2:
        return None
    starts = [c[0] for c in cols]
    rows: list[list[_Line]] = []
    for ln in lines:
        if rows and ln.top - rows[-1][-1].bottom <= 0.45 * body:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: list[Row] = []
    for group in rows:
        parts: list[list[str]] = [[] for _ in cols]
        for ln in group:
            for x0, x1, text in ln.segments:
                k = max(bisect.bisect_right(starts, (x0 + x1) / 2) - 1, 0)
                parts[k].append(text)
        bbox = (min(l.x0 for l in group), group[0].top, max(l.x1 for l in group), group[-1].bottom)
        out.append(Row(cells=[_join_lines(p) for p in parts], loc=Loc(page=page, bbox=_round_bbox(bbox))))
    bbox = (min(c[0] for c in cols), lines[0].top, max(c[1] for c in cols), lines[-1].bottom)
    return Table(rows=out, loc=Loc(page=page, bbox=_round_bbox(bbox)))


def _is_heading_line(ln: _Line, body: float) -> bool:
    return ln.size >= body * HEADING_RATIO or (ln.bold and len(ln.segments) == 1)


def _split_unruled(lines: list[_Line], body: float, left: float) -> list[list[_Line] | _Line]:
    """Runs of lines that form a table without ruling lines (two or more lines with
    wide gaps between segments, plus the wrapped lines inside them) versus single
    text lines."""
    tabular = [len(ln.segments) >= 2 and ln.size < body * HEADING_RATIO for ln in lines]
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
        # extend over tabular lines and the wrapped single-segment lines between them
        while k < len(lines):
            gap = lines[k].top - lines[k - 1].bottom
            if gap > 2.5 * body or _is_heading_line(lines[k], body) and not tabular[k]:
                break
            if tabular[k]:
                run = lines[i : k + 1]
                j = k
            elif lines[k].x0 <= left + 0.5 * body and not any(tabular[k + 1 : k + 2]):
                break
            k += 1
        # trailing wrapped lines of the last row: start right of the first column
        k = j + 1
        first_col_end = min(s[1] for ln in run for s in ln.segments[:1])
        while k < len(lines) and not tabular[k] and lines[k].top - lines[k - 1].bottom <= 0.45 * body:
            if lines[k].x0 <= first_col_end:
                break
            run.append(lines[k])
            k += 1
        multi = sum(1 for ln in run if len(ln.segments) >= 2)
        if multi >= 2:
            out.append(run)
            i = k if k > j + 1 else j + 1
        else:
            out.extend(run)
            i += len(run)
    return out


# --------------------------------------------------------------------------- text blocks


def _text_blocks(page: _Page, body: float, left: float, right: float) -> list[tuple[float, Block, _Para | None]]:
    items: list[tuple[float, Block, _Para | None]] = []
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
            items.append((cur.top, cur.block, cur))
        cur, cur_lines = None, []

    for part in _split_unruled(page.lines, body, left):
        if isinstance(part, list):
            flush()
            table = _unruled_table(part, page.number, body)
            if table is not None and table.rows:
                items.append((part[0].top, table, None))
            continue
        ln = part
        heading = _is_heading_line(ln, body)
        indented = ln.x0 > left + 1.5 * ln.size
        if cur is not None and cur_lines:
            prev = cur_lines[-1]
            same_kind = isinstance(cur.block, Heading) == heading
            if heading:
                same_kind = same_kind and abs(prev.size - ln.size) < 0.5 and prev.bold == ln.bold
            gap = ln.top - prev.bottom
            if same_kind and gap <= 0.8 * ln.size and not (indented and not heading):
                cur_lines.append(ln)
                continue
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
    rank = {s: i + 1 for i, s in enumerate(sorted({m.size for _, m in heads}, reverse=True))}
    for b, m in heads:
        b.level = rank[m.size]


# --------------------------------------------------------------------------- page joins


def _join_pages(items: list[tuple[int, Block, _Para | None]]) -> list[Block]:
    """Join a paragraph or headerless table that continues at the top of the next page
    with the last block of the previous page."""
    out: list[tuple[int, Block, _Para | None]] = []
    for page, block, meta in items:
        prev = _last_content(out)
        if prev is not None and page == out[prev][0] + 1 and _first_on_page(items, page, block):
            ppage, pblock, pmeta = out[prev]
            if isinstance(block, Paragraph) and isinstance(pblock, Paragraph) and pmeta and meta:
                if pmeta.last_full and not meta.indented and prev == len(out) - 1:
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


def _last_content(out: list[tuple[int, Block, _Para | None]]) -> int | None:
    for k in range(len(out) - 1, -1, -1):
        if not is_furniture(out[k][1]):
            return k
    return None


def _first_on_page(items: list[tuple[int, Block, _Para | None]], page: int, block: Block) -> bool:
    for p, b, _ in items:
        if p == page and not is_furniture(b):
            return b is block
    return False


def _continues(prev: Table, nxt: Table) -> bool:
    return prev.width == nxt.width and _strip_repeated_header(prev, nxt) is None


def _append_rows(table: Table, nxt: Table) -> None:
    rows = list(nxt.rows)
    key = _key_column(table)
    if rows and key is not None and key[1](rows[0]) and table.rows:
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


def _read_pages(path: Path, data: bytes) -> list[_Page]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for n, page in enumerate(pdf.pages, start=1):
                pages.append(_read_page(page, n))
                page.close()
            return pages
    except _PDF_ERRORS as exc:
        raise _open_error(path, exc) from None


def read_pdf(path: Path, data: bytes) -> Document:
    if b"%%EOF" not in data[-2048:]:
        raise InputError(str(path), "corrupt or truncated PDF (no end-of-file marker)")
    pages = _read_pages(path, data)
    if not pages:
        raise InputError(str(path), "corrupt or truncated PDF (no pages)")
    if not any(p.lines or p.tables for p in pages):
        raise InputError(str(path), "no text layer (scanned or image-only PDF)")
    body = _body_size(pages)
    _drop_running_furniture(pages)
    items: list[tuple[int, Block, _Para | None]] = []
    for p in pages:
        body_lines = [ln for ln in p.lines if ln.size < body * HEADING_RATIO]
        left = min((ln.x0 for ln in body_lines), default=0.0)
        right = max((ln.x1 for ln in body_lines), default=p.width)
        placed = _text_blocks(p, body, left, right) + [(top, t, None) for top, t in p.tables]
        placed.sort(key=lambda it: it[0])
        items.extend((p.number, b, meta) for _, b, meta in placed)
    _rank_headings(items)
    blocks = _join_pages(items)
    blocks = join_fragments([b for b in blocks if not (isinstance(b, Paragraph) and not b.text)])
    return Document(
        path=str(path), sha256=hashlib.sha256(data).hexdigest(), blocks=blocks, kind="pdf", pages=len(pages)
    )


__all__ = ["read_pdf", "squeeze_cjk"]
