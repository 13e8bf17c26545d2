"""OCR of scanned PDFs (by default when the engine is installed; --ocr also reads the
text-less pages of text PDFs; --no-ocr never): the layout of recognised boxes (synthetic boxes,
no engine), and end to end on the real scan in ../shared/corpus-real (an evaluation
report of 长沙市市场监督管理局, six image-only pages), read off its page images."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.readers.ir import Paragraph, Table
from converter.readers.ocr import Box, group_lines, page_blocks

from tests.real_corpus import REAL

SCAN = (REAL / "市场监督管理局_2026年部门预算.pdf") if REAL is not None else Path("/nonexistent")
BIN = [sys.executable, "-m", "converter.cli"]


def _box(x0: float, top: float, text: str, conf: float = 0.99, h: float = 12.0, w: float | None = None) -> Box:
    return Box(x0, top, x0 + (w if w is not None else h * len(text)), top + h, text, conf)


def test_lines_group_by_vertical_overlap_despite_skew():
    boxes = [_box(300, 101.5, "乙"), _box(100, 100, "甲"), _box(100, 130, "丙")]
    lines = group_lines(boxes)
    assert [[b.text for b in ln] for ln in lines] == [["甲", "乙"], ["丙"]]


def test_paragraphs_break_at_indent_and_short_lines_and_keep_confidence():
    left, right = 60.0, 540.0
    width = (right - left) / 12
    boxes = [
        _box(left + 24, 100, "一、项目基本情况", w=8 * 12),  # indented title, short line
        _box(left + 24, 120, "第一段" * 10, 0.97, w=right - left - 24),  # indented first line
        _box(left, 140, "续行" * 5, 0.91, w=10 * 12),  # continues, then ends short
        _box(left + 24, 160, "第二段" * 10, w=right - left - 24),
        _box(left, 180, "末" * int(width), w=right - left),
    ]
    blocks = page_blocks(boxes, page=3, page_width=595)
    assert [type(b) for b in blocks] == [Paragraph] * 3
    assert blocks[0].text == "一、项目基本情况"
    assert blocks[1].text == "第一段" * 10 + "续行" * 5
    assert blocks[1].loc.page == 3 and blocks[1].loc.confidence == 0.91  # the lowest of its boxes
    assert blocks[2].text.startswith("第二段") and blocks[2].text.endswith("末")


def test_aligned_multi_cell_lines_form_a_table():
    boxes = []
    for r, (name, a, b) in enumerate([("项目", "预算数", "执行数"), ("合计", "12.50", "11.00"), ("培训", "2.50", "2.00")]):
        top = 200 + 20 * r
        boxes += [_box(60, top, name), _box(260, top, a), _box(420, top, b)]
    (table,) = page_blocks(boxes, page=1, page_width=595)
    assert isinstance(table, Table)
    assert [r.cells for r in table.rows] == [["项目", "预算数", "执行数"], ["合计", "12.50", "11.00"],
                                             ["培训", "2.50", "2.00"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 40), st.text("甲乙丙丁一二三，。", min_size=1, max_size=12)),
                min_size=1, max_size=20))
def test_every_box_text_lands_in_exactly_one_block(items):
    """No text is lost or duplicated, whatever the boxes' places (property)."""
    boxes = [_box(60 + 12 * col, 100 + 16 * line, text) for line, col, text in items]
    blocks = page_blocks(boxes, page=1, page_width=595)
    out = "".join(b.text if isinstance(b, Paragraph) else "".join(c for r in b.rows for c in r.cells) for b in blocks)
    assert sorted(out) == sorted("".join(t for _, _, t in items))


@pytest.fixture(scope="module")
def scan_ocr() -> tuple[dict, float]:
    """The scan as the session's one extraction of the real corpus read it (no flag: a PDF
    without any text layer is OCR'd by default; the test extras install the engine), as
    ``extract --json`` prints it; seconds per page."""
    from converter.records.jsonify import to_data
    from tests.real_corpus import outcome

    if not SCAN.exists():
        pytest.skip(f"no real corpus at {REAL}")
    out = outcome(SCAN.name)
    assert out.disclosure is not None, out.error
    return to_data(out.disclosure), out.seconds / 6


def test_scan_with_no_ocr_keeps_its_one_line_error():
    if not SCAN.exists():
        pytest.skip(f"no real corpus at {REAL}")
    proc = subprocess.run([*BIN, "extract", "--no-ocr", str(SCAN)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {SCAN}: no text layer (scanned or image-only PDF); not read by OCR (--no-ocr)"


def test_scan_without_the_engine_says_how_to_read_it(monkeypatch, tmp_path):
    """Where the OCR extra is not installed, a scan fails alone and its error names the
    extra; nothing else about the batch changes."""
    import converter.readers as readers
    from converter.errors import InputError
    from converter.pipeline import extract
    from tests.test_pdf_robustness import _one_page

    scan = _one_page(tmp_path / "scan.pdf", image=True)
    monkeypatch.delenv(readers.OCR_ENV, raising=False)
    monkeypatch.setattr(readers, "ocr_installed", lambda: False)
    with pytest.raises(InputError) as err:
        extract(scan)
    assert err.value.problem == ("no text layer (scanned or image-only PDF); "
                                 "OCR would read it: pip install 'budget-lod[ocr]'")


def test_scan_with_ocr_gives_its_evaluation(scan_ocr):
    """Read off the page images: p1 title "2022年度长沙市市场监督管理局 / 市场监督专项及部门项目支出
    绩效评价结果"; p6 "综合评价得分85.1分，评价等级为“良”"."""
    data, per_page = scan_ocr
    assert data["fiscalYear"] == 2022
    assert "长沙市市场监督管理局" in [data.get("departmentName"), *data.get("departmentAliases", [])]
    ev = data["evaluation"]
    assert ev["score"] == "85.1" and ev["grade"] == "良"
    assert ev["loc"]["page"] == 6 and 0.5 <= ev["loc"]["ocrConfidence"] <= 1
    assert per_page < 30  # seconds per page on this machine; reported in the README


def _image_then_text(path: Path, scan_page: int, text: str = "第二页的文字层：政府采购预算总额 43.9 万元。") -> Path:
    """A PDF of two pages: an image of the real scan's page ``scan_page``, then a page
    with a text layer (by default one that names no disclosure)."""
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if not SCAN.exists():
        pytest.skip(f"no real corpus at {REAL}")
    scan = pdfium.PdfDocument(str(SCAN))
    png = io.BytesIO()
    scan[scan_page - 1].render(scale=1.5).to_pil().save(png, format="PNG")
    scan.close()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("text", ["第二页的文字层：政府采购预算总额 43.9 万元。", "2022年度项目支出绩效评价结果"])
def test_an_image_cover_is_read_by_ocr_when_the_text_layer_leaves_the_identity_unread(tmp_path, monkeypatch, text):
    """The title printed only on an image cover (p1 of the real scan: "2022年度长沙市市场监督
    管理局 / 市场监督专项及部门项目支出绩效评价结果") and a text page that names no disclosure,
    or one without its department: by default the text-less page is OCR'd and gives the
    identity; with --no-ocr the text layer's reading stands."""
    from converter.errors import InputError
    from converter.pipeline import extract
    from converter.readers import OCR_ENV

    path = _image_then_text(tmp_path / "image-cover.pdf", 1, text)
    monkeypatch.delenv(OCR_ENV, raising=False)
    d = extract(path).disclosure
    assert (d.department_name, d.fiscal_year, d.kind) == ("长沙市市场监督管理局", 2022, "evaluation_report")
    assert d.identity_problem() is None
    if text.startswith("第二页"):  # and through the command line, with no flag
        proc = subprocess.run([*BIN, "extract", "--json", str(path)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["departmentName"] == "长沙市市场监督管理局"
    monkeypatch.setenv(OCR_ENV, "0")
    try:
        plain = extract(path).disclosure
    except InputError as err:
        assert err.problem.startswith("not a budget disclosure (no ")
    else:
        assert plain.department_name is None and plain.identity_problem()


def test_textless_page_of_a_text_pdf_is_ocrd_in_its_place(tmp_path):
    """A PDF whose first page is an image (a scanned cover, as 烟台 and 长沙 files have)
    and whose second page has text: with --ocr the image page's text comes first, then
    the text layer's blocks; without it the image page gives nothing."""
    from converter.readers import read_document

    # the image: a page of the real scan (its conclusion, p6), so the OCR reads real print
    path = _image_then_text(tmp_path / "cover.pdf", 6)
    plain = read_document(path, ocr=False)
    assert {b.loc.page for b in plain.blocks} == {2}
    doc = read_document(path, ocr=True)
    pages = [b.loc.page for b in doc.blocks]
    assert pages[0] == 1 and pages == sorted(pages) and 2 in pages
    first = " ".join(getattr(b, "text", "") for b in doc.blocks if b.loc.page == 1)
    assert "85.1分" in first and all(b.loc.confidence is not None for b in doc.blocks if b.loc.page == 1)


@pytest.mark.parametrize("read,text", [
    ("本年收入合计1, 935.36本年支出合计1, 517. 95", "本年收入合计1,935.36本年支出合计1,517.95"),
    ("政府采购预算总额12, 003. 5万元", "政府采购预算总额12,003.5万元"),
    ("1. 2026年预算数", "1. 2026年预算数"),  # a list number keeps its space
    ("甲、乙, 丙第1, 2项", "甲、乙, 丙第1, 2项"),  # not a thousands group
])
def test_ocr_closes_the_gaps_it_reads_inside_a_number(read: str, text: str) -> None:
    from converter.readers.ocr import boxes_of

    (box,) = boxes_of([([[0, 0], [40, 0], [40, 10], [0, 10]], read, 0.9)], 1.0)
    assert box.text == text
