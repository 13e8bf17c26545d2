"""The five samples rendered as PDFs (tests/pdfgen, three layouts) read back to the same
layout IR and the same records as their text extractions.

"borderless" (see tests/pdfgen/render.py) prints every table without a single ruling
line: numbers right-aligned, header labels centred (group labels over their
sub-columns), type size, padding and vertical alignment varied from table to table,
landscape pages for wide tables, long names wrapped inside their column, tables
continuing over pages. Its records must equal the text path's, as for "reflow",
including the key-value project forms (项目编码 / 项目名称 / 预算规模 …: a different
column layout on every row, rows with a single filled cell, long values wrapped and
centred inside their cell, a form's last row alone at the top of a page), so the
projects, the document numbers cited in them, their flags and checks are equal too.

"paged" reproduces the source pagination (table fragments with repeated headers, rows
broken by page breaks), so IR and records must be identical. "reflow" lets reportlab
paginate whole rows, so no row is broken by a page break: the text path marks the cells
it rejoined across page breaks (``Row.continued``) and needs arithmetic to confirm
them (``repairs``); the PDF path reads those cells whole. That is the one expected
difference, and the tests check it is exactly that.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from converter.parsers import parse_document
from converter.pipeline import extract
from converter.readers import read_document
from converter.readers.ir import Document, Heading, Table
from converter.readers.markup import squeeze_cjk
from converter.reconcile import reconcile
from converter.records.jsonify import to_data
from tests.helpers import CORPUS, records, strip
from tests.pdfgen import generate

STEMS = sorted(p.stem for p in CORPUS.glob("*.txt"))
LAYOUTS = ["paged", "reflow"]


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return generate(tmp_path_factory.mktemp("pdfgen"))


@lru_cache(maxsize=None)
def _read(path: str) -> Document:
    return read_document(path)


def _norm_ir(doc: Document, with_continued: bool = True) -> list:
    """Blocks after normalisation: CJK layout spaces squeezed, trailing empty cells
    dropped, heading levels as dense ranks (the PDF knows sizes, not '#' counts)."""
    levels = sorted({b.level for b in doc.blocks if isinstance(b, Heading)})
    out: list = []
    for b in doc.blocks:
        if isinstance(b, Table):
            rows = []
            for r in b.rows:
                cells = [squeeze_cjk(c) for c in r.cells]
                while cells and not cells[-1]:
                    cells.pop()
                rows.append((cells, sorted(r.continued)) if with_continued else cells)
            out.append(("T", rows))
        elif isinstance(b, Heading):
            out.append(("H", levels.index(b.level) + 1, squeeze_cjk(b.text)))
        else:
            out.append(("P", squeeze_cjk(b.text)))
    return out


def _continued_cells(doc: Document) -> set[tuple[int, int, int]]:
    return {(t, r, c) for t, tab in enumerate(doc.tables()) for r, row in enumerate(tab.rows) for c in row.continued}


def _pdf_records(path: Path) -> dict:
    doc = _read(str(path))
    disclosure = parse_document(doc)
    data = to_data(disclosure)
    data["reconciliation"] = to_data(reconcile(disclosure))
    return strip(data)


@pytest.mark.parametrize("stem", STEMS)
def test_paged_layout_same_ir(pdfs, stem: str) -> None:
    text = read_document(CORPUS / f"{stem}.txt")
    doc = _read(str(pdfs[(stem, "paged")]))
    assert doc.kind == "pdf" and doc.pages and doc.pages > 1
    assert _norm_ir(doc) == _norm_ir(text)


@pytest.mark.parametrize("stem", STEMS)
def test_reflow_layout_same_ir_but_no_page_break_rows(pdfs, stem: str) -> None:
    text = read_document(CORPUS / f"{stem}.txt")
    doc = _read(str(pdfs[(stem, "reflow")]))
    assert _norm_ir(doc, with_continued=False) == _norm_ir(text, with_continued=False)
    # rows are never broken by reportlab's page breaks, so the PDF has no cells
    # rejoined from a continuation row beyond those the source itself had
    assert _continued_cells(doc) <= _continued_cells(text)


@pytest.mark.parametrize("stem", STEMS)
def test_paged_layout_same_records(pdfs, stem: str) -> None:
    assert _pdf_records(pdfs[(stem, "paged")]) == strip(records(CORPUS / f"{stem}.txt"))


@pytest.mark.parametrize("stem", STEMS)
def test_reflow_layout_same_records_except_page_break_repairs(pdfs, stem: str) -> None:
    text = strip(records(CORPUS / f"{stem}.txt"))
    pdf = _pdf_records(pdfs[(stem, "reflow")])
    text_repairs, pdf_repairs = text.pop("repairs", []), pdf.pop("repairs", [])
    assert pdf == text
    key = lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert {key(r) for r in pdf_repairs} <= {key(r) for r in text_repairs}
    # every repair the PDF did not need confirmed a cell rejoined across a page break:
    # its raw text is already the value (no split inside it)
    for r in text_repairs:
        if key(r) not in {key(p) for p in pdf_repairs}:
            assert r["raw"] == r["value"], r


@pytest.mark.parametrize("stem", STEMS)
def test_borderless_layout_same_records(pdfs, stem: str) -> None:
    """Every record, the project forms included, as the text path reads it; repairs
    only where the text path needed them too (the PDF reads cells whole)."""
    text = strip(records(CORPUS / f"{stem}.txt"))
    pdf = _pdf_records(pdfs[(stem, "borderless")])
    text_repairs, pdf_repairs = text.pop("repairs", []), pdf.pop("repairs", [])
    assert pdf == text
    key = lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert {key(r) for r in pdf_repairs} <= {key(r) for r in text_repairs}


def test_borderless_pdfs_have_no_ruling_and_landscape_pages(pdfs) -> None:
    import pdfplumber

    from tests.pdfgen.render import BORDERLESS

    landscape = 0
    for stem in STEMS:
        wide = any(t.width >= BORDERLESS.landscape_cols for t in read_document(CORPUS / f"{stem}.txt").tables())
        with pdfplumber.open(pdfs[(stem, "borderless")]) as pdf:
            assert not any(p.lines or p.rects or p.curves for p in pdf.pages), stem
            assert any(p.width > p.height for p in pdf.pages) == wide, stem
            landscape += wide
    assert landscape >= 4


def test_borderless_procurement_row_keeps_its_cells(pdfs) -> None:
    """The row the issue saw as "公用类项目（三保）22.13台式计算机A02010105台10.500.50"
    (000 sample, 政府采购预算表): every cell on its own, as the text extraction has it."""
    def row(doc: Document) -> list[str]:
        hits = [r for t in doc.tables() for r in t.rows if "台式计算机" in r.cells]
        assert len(hits) == 1
        cells = [squeeze_cjk(c) for c in hits[0].cells]
        while cells and not cells[-1]:
            cells.pop()
        return cells

    text = row(read_document(CORPUS / "000_4b57f9589128d5bb.txt"))
    assert text[:7] == ["公用类项目（三保）", "22.13", "台式计算机", "A02010105", "台", "1", "0.50"]
    assert row(_read(str(pdfs[("000_4b57f9589128d5bb", "borderless")]))) == text


def test_pipeline_extract_on_generated_pdf(pdfs) -> None:
    """The full pipeline (reader dispatch, deadline, parsers) on a PDF equals the
    parser run on the cached IR used above."""
    path = pdfs[("002_7584c7280180b575", "paged")]
    result = extract(path)
    assert Path(result.disclosure.source_file).name == path.name
    assert result.disclosure.sha256 == _read(str(path)).sha256
    assert strip(records(path)) == _pdf_records(path)


def test_generated_pdfs_are_realistic(pdfs) -> None:
    """The fixtures exercise what the reader must handle: fake-bold duplicate glyphs,
    landscape pages, unruled tables, tables over several pages, wrapped cells."""
    import pdfplumber

    with pdfplumber.open(pdfs[("000_4b57f9589128d5bb", "reflow")]) as pdf:
        assert any(p.width > p.height for p in pdf.pages)
        first = pdf.pages[0]
        assert len(first.chars) > len({(c["text"], round(c["x0"]), round(c["top"])) for c in first.chars})
        unruled_pages = {n for n, p in enumerate(pdf.pages, 1) if p.chars and not p.find_tables()}
    doc = _read(str(pdfs[("000_4b57f9589128d5bb", "reflow")]))
    assert any(t.loc.page in unruled_pages for t in doc.tables())  # a table read by alignment alone
    assert max(t.fragments for t in doc.tables()) >= 2
    paged = _read(str(pdfs[("000_4b57f9589128d5bb", "paged")]))
    assert max(t.fragments for t in paged.tables()) >= 5
