"""Every real PDF in ../shared/corpus-real is read without a crash, within a time limit:
records, or a one-line InputError (the scanned file is read by OCR). The files come
from the session's one extraction of the real corpus (tests/real_corpus.py)."""

from __future__ import annotations

import pytest

from tests.real_corpus import PER_FILE_LIMIT, REAL
from tests.real_corpus import outcomes as real_outcomes

PDFS = sorted(REAL.glob("*.pdf"), key=lambda p: -p.stat().st_size) if REAL is not None else []


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[str, str, float, tuple[str, ...]]]:
    """(status, detail, seconds, tables recognised) of the top-level real PDFs, from the
    session's one extraction of the real corpus (tests/real_corpus.py)."""
    out = {}
    for rel, o in real_outcomes().items():
        if "/" in rel:
            continue
        if o.error is not None:
            assert "\n" not in o.error
            out[rel] = ("error", o.error, o.seconds, ())
        else:
            d = o.disclosure
            detail = f"{d.kind} tables={len(d.tables_found)} projects={len(d.projects)} checks={len(o.checks)}"
            out[rel] = ("ok", detail, o.seconds, tuple(d.tables_found))
    return out


READER_ERRORS = ("no text layer", "text layer without Unicode", "corrupt or truncated PDF", "encrypted PDF")
SCANNED = "市场监督管理局_2026年部门预算.pdf"  # SOURCES.md: the one image-only file


def test_every_real_pdf_is_read_without_crash(outcomes) -> None:
    """Records or a one-line InputError for every file (a crash fails the worker and
    so the test); what the parsers do not yet understand is reported by
    bench/coverage_real.py, not asserted here."""
    assert len(outcomes) == len(PDFS)
    for name, (status, detail, seconds, _tables) in outcomes.items():
        assert seconds < PER_FILE_LIMIT, name
        assert status in ("ok", "error") and detail, name


def test_every_pdf_is_read_the_scan_by_ocr(outcomes) -> None:
    """No reader error: the scanned PDF, without a text layer, is read by OCR by default
    (the test extras install the engine)."""
    reader_errors = {n: d for n, (s, d, _, _t) in outcomes.items() if s == "error" and d.startswith(READER_ERRORS)}
    assert reader_errors == {}
    if SCANNED in outcomes:
        assert outcomes[SCANNED][0] == "ok", outcomes[SCANNED]


ALL = ("overview", "income", "expenditure", "fiscal_overview", "gpb_expenditure", "basic", "gov_fund",
       "soe_capital", "three_public")
# The standard tables each text-layer budget / final-accounts file prints (read off the
# PDFs; 重庆 and 长沙 publish no 国有资本经营 table). 北京 is narrative only, 广州 one
# performance-target table, so neither is listed.
STANDARD_PRESENT: dict[str, tuple[str, ...]] = {
    "2026年昆明市信访局部门预算.pdf": ALL,
    "2026年烟台市财政局部门预算.pdf": ALL,
    "2026年重庆市水利局部门预算.pdf": tuple(t for t in ALL if t != "soe_capital"),
    "上海市普陀区商务委员会25年预算.pdf": ALL,
    "公安局_2026年部门预算.pdf": tuple(t for t in ALL if t != "soe_capital"),
    "公安局交通警察局_2026年部门预算.pdf": ALL,
    "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf": ALL,
    "上海市普陀区财政局2024年度部门决算.pdf": ALL,
    "卫生健康委员会_2026年部门预算.pdf": ALL,
}


def test_standard_tables_of_text_layer_budgets_are_recognised(outcomes) -> None:
    for name, expected in STANDARD_PRESENT.items():
        if name not in outcomes:
            continue
        status, detail, _s, tables = outcomes[name]
        assert status == "ok", (name, detail)
        assert set(expected) <= set(tables), (name, sorted(set(expected) - set(tables)))


def test_kangxi_radicals_of_a_real_pdf_read_as_ordinary_characters() -> None:
    """广州市生态环境局 p9 prints ⽀⽣⼊⼯⿎⾏ (Kangxi radicals) in a project's goal; read off
    the page text: "…治理能⼒提升技术⽀撑，聚焦⽣态环境急难愁盼问题…"."""
    import re

    name = "2026年广州市生态环境局部门预算.pdf"
    out = real_outcomes().get(name)
    if out is None:
        pytest.skip(f"{name} not in the real corpus")
    assert out.disclosure is not None, out.error
    goals = [p.goal for p in out.disclosure.projects if p.goal and "化解质效" in p.goal]
    assert goals and all("提升技术支撑，聚焦生态环境急难愁盼问题" in g for g in goals)
    assert not any(re.search("[\u2f00-\u2fdf]", p.goal or "") for p in out.disclosure.projects)
