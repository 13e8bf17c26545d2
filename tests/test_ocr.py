"""OCR of scanned PDFs behind --ocr: the layout of recognised boxes (synthetic boxes,
no engine), and end to end on the real scan in ../shared/corpus-real (an evaluation
report of 长沙市市场监督管理局, six image-only pages), read off its page images."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter.readers.ir import Paragraph, Table
from converter.readers.ocr import Box, group_lines, page_blocks

REAL = Path(os.environ.get("BUDGETLOD_REAL_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus-real"))
SCAN = REAL / "市场监督管理局_2026年部门预算.pdf"
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
    if not SCAN.exists():
        pytest.skip(f"no real corpus at {REAL}")
    start = time.perf_counter()
    proc = subprocess.run([*BIN, "extract", "--ocr", "--json", str(SCAN)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), (time.perf_counter() - start) / 6


def test_scan_without_ocr_keeps_its_one_line_error():
    if not SCAN.exists():
        pytest.skip(f"no real corpus at {REAL}")
    proc = subprocess.run([*BIN, "extract", str(SCAN)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {SCAN}: no text layer (scanned or image-only PDF)"


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
