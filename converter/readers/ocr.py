"""OCR reader for pages with no text layer (scans), behind ``--ocr``.

Pages are rendered with pypdfium2 and read by RapidOCR (PP-OCR models shipped inside
the ``rapidocr-onnxruntime`` wheel: nothing is downloaded at run time). The recognised
text boxes are laid out into the same layout IR as the PDF reader's: boxes on one
visual line form a line; lines with several well-separated boxes in a run form a
table, the rest paragraphs. Every block carries its page, bounding box (PDF points
from the top-left) and the lowest recognition confidence of its boxes, so a fact read
by OCR says so in its provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Any, Sequence

from converter.readers.ir import Block, Loc, Paragraph, Row, Table
from converter.readers.layout import join_fragments, join_paragraphs
from converter.readers.text import _join_lines

RENDER_SCALE = 1.5  # 108 dpi: PP-OCR reads 10.5 pt body text as well as at 144 dpi, faster
MIN_CONFIDENCE = 0.5  # boxes below this are noise (stamps, speckles), not text
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")

_engine: Any = None


def engine() -> Any:
    """The OCR engine, created once per process (model loading takes about a second)."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # an optional component: say what to install
            raise RuntimeError("OCR needs the 'rapidocr-onnxruntime' package (pip install 'budget-lod[ocr]')") from exc
        _engine = RapidOCR()
    return _engine


@dataclass
class Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


# OCR reads a printed number's separators with a space after them: "1, 935. 36" is 1,935.36
# (a thousands group of 3 digits, decimals of 1-2; "1. 2026年…" keeps its space: a list number)
_NUMBER_GAP = re.compile(r"(?<=\d)(?:([,，])\s+(?=\d{3}(?!\d))|(\.)\s+(?=\d{1,2}(?!\d)))")


def boxes_of(result: Sequence[Any] | None, scale: float) -> list[Box]:
    """RapidOCR's [(4 corner points, text, score)] -> boxes in PDF points."""
    out: list[Box] = []
    for points, text, score in result or []:
        xs = [p[0] / scale for p in points]
        ys = [p[1] / scale for p in points]
        text = _NUMBER_GAP.sub(lambda m: m.group(1) or m.group(2), str(text).strip())
        if text and float(score) >= MIN_CONFIDENCE:
            out.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return out


def group_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes whose vertical spans overlap by more than half the smaller height are one
    line (scans are slightly skewed, so exact tops differ)."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if lines:
            last = lines[-1]
            top = min(x.top for x in last)
            bottom = max(x.bottom for x in last)
            overlap = min(bottom, b.bottom) - max(top, b.top)
            if overlap > 0.5 * min(b.height, bottom - top):
                last.append(b)
                continue
        lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _cells(line: list[Box], char: float) -> list[list[Box]]:
    """Boxes of one line split where the gap is wider than two characters: cells."""
    cells: list[list[Box]] = [[line[0]]]
    for b in line[1:]:
        if b.x0 - cells[-1][-1].x1 > 2 * char:
            cells.append([b])
        else:
            cells[-1].append(b)
    return cells


def page_blocks(boxes: list[Box], page: int, page_width: float) -> list[Block]:
    """Layout of one OCR'd page: tables (runs of >= 2 lines of >= 3 cells) and paragraphs
    (a new paragraph at a first-line indent, after a short line, or a numbered title)."""
    lines = [ln for ln in group_lines(boxes) if not (len(ln) == 1 and _PAGE_NUMBER.match(ln[0].text))]
    if not lines:
        return []
    char = median(b.height for ln in lines for b in ln)
    left = min(ln[0].x0 for ln in lines)
    right = max(ln[-1].x1 for ln in lines)
    split = [_cells(ln, char) for ln in lines]
    blocks: list[Block] = []
    para: list[list[Box]] = []
    rows: list[list[list[Box]]] = []

    def loc(bs: list[Box]) -> Loc:
        return Loc(page=page, bbox=(round(min(b.x0 for b in bs), 1), round(min(b.top for b in bs), 1),
                                    round(max(b.x1 for b in bs), 1), round(max(b.bottom for b in bs), 1)),
                   confidence=round(min(b.confidence for b in bs), 3))

    def flush_para() -> None:
        if para:
            text = _join_lines(["".join(b.text for b in ln) for ln in para])
            blocks.append(Paragraph(text=text, loc=loc([b for ln in para for b in ln])))
            para.clear()

    def flush_table() -> None:
        if len(rows) >= 2:
            table_rows = [Row(cells=[_join_lines([b.text for b in c]) for c in r], loc=loc([b for c in r for b in c]))
                          for r in rows]
            blocks.append(Table(rows=table_rows, loc=loc([b for r in rows for c in r for b in c])))
        else:
            for r in rows:  # a lone wide line is text, not a table
                para.append([b for c in r for b in c])
                flush_para()
        rows.clear()

    for ln, cells in zip(lines, split):
        if len(cells) >= 3:
            flush_para()
            rows.append(cells)
            continue
        flush_table()
        text = "".join(b.text for b in ln)
        indented = ln[0].x0 - left > 1.2 * char
        if para and (indented or _NUMBERED.match(text)):
            flush_para()
        para.append(ln)
        if right - ln[-1].x1 > 3 * char:  # a short line ends its paragraph
            flush_para()
    flush_table()
    flush_para()
    return blocks


def ocr_page(pdf_page: Any, page: int) -> list[Block]:
    """OCR one pypdfium2 page into layout blocks."""
    import numpy as np

    width, _height = pdf_page.get_size()
    image = np.array(pdf_page.render(scale=RENDER_SCALE).to_pil().convert("RGB"))
    result, _elapsed = engine()(image)
    return page_blocks(boxes_of(result, RENDER_SCALE), page, width)


def ocr_pages(data: bytes, pages: Sequence[int] | None = None) -> list[Block]:
    """Blocks of the given 1-based pages (all pages when None), in reading order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        wanted = pages if pages is not None else range(1, len(pdf) + 1)
        blocks: list[Block] = []
        for n in wanted:
            blocks.extend(ocr_page(pdf[n - 1], n))
    finally:
        pdf.close()
    return join_paragraphs(join_fragments(blocks))


def textless_pages(data: bytes) -> list[int]:
    """1-based pages that carry no text characters (scanned pages, image covers)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            if not tp.get_text_range().strip():
                out.append(i + 1)
        return out
    finally:
        pdf.close()
