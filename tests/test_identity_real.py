"""The identity of every real PDF in ../shared/corpus-real and its wide/ folder (except
the hold-out files, which measure generality elsewhere): department name, fiscal year,
kind and — where the document prints one next to the name — the 3-digit department
code, each read by hand from the page named in the comment.

Two ways: the pages that carry these facts (page 1, plus the page that prints the code),
copied unchanged out of the real PDF with pypdfium2 (pdfplumber's own renderer
dependency) and read by the project's PDF reader — seconds, not the minutes a full read
of 1,200 pages takes; and the whole documents through the pipeline, from the session's
one shared extraction of the real corpus (tests/real_corpus.py)."""

from __future__ import annotations

import io
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from converter.errors import InputError
from converter.parsers import parse_document
from converter.parsers.identity import Identity, read_identity
from converter.readers.ir import Document
from converter.readers.pdf import read_pdf

from tests.real_corpus import REAL, outcomes

WIDE = (REAL / "wide") if REAL is not None else Path("/nonexistent")

# file -> (department, year, kind, code, page printing the code, scope)
# name, year and kind are on page 1 (the cover or the title line) unless noted.
EXPECTED: dict[str, tuple[str, int, str, str | None, int | None, str | None]] = {
    # p1 "北京市财政局 2026 年度部门预算信息公开"
    "2026年北京市财政局部门预算.pdf": ("北京市财政局", 2026, "budget", None, None, None),
    # p1 "广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）" / "部门名称：广州市生态环境局"
    # (a 部门预算's project-target table), printed as the running head of all 140 pages.
    "2026年广州市生态环境局部门预算.pdf": ("广州市生态环境局", 2026, "budget", None, None, None),
    # p1 "国家信访局 2026 年度部门预算" (the file name says 昆明); p30 "[292]国家信访局"
    "2026年昆明市信访局部门预算.pdf": ("国家信访局", 2026, "budget", "292", 30, None),
    # p1 "2026年烟台市财政局部门预算"; p32 "主管部门及代码 | 228_烟台市财政局"
    "2026年烟台市财政局部门预算.pdf": ("烟台市财政局", 2026, "budget", "228", 32, None),
    # p1 "重庆市水利局 2026 年部门预算情况说明"
    "2026年重庆市水利局部门预算.pdf": ("重庆市水利局", 2026, "budget", None, None, None),
    # p1 "上海市普陀区2025年区级部门预算" / "预算主管部门：上海市普陀区商务委员会"
    "上海市普陀区商务委员会25年预算.pdf": ("上海市普陀区商务委员会", 2025, "budget", None, None, None),
    # p1 "上海市普陀区规划和自然 / 资源局" / "2024 年度部门决算"
    "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf":
        ("上海市普陀区规划和自然资源局", 2024, "final_accounts", None, None, None),
    # p1 "上海市普陀区财政局" / "2024年度部门决算"
    "上海市普陀区财政局2024年度部门决算.pdf": ("上海市普陀区财政局", 2024, "final_accounts", None, None, None),
    # p1 "长沙市公安局" / "2025 年部门预算公开" (not 2026); p21 "106_长沙市公安局"
    "公安局_2026年部门预算.pdf": ("长沙市公安局", 2025, "budget", "106", 21, None),
    # p1 "2026 年度" / "福州市公安局交通管理支队" / "单位预算"
    "公安局交通警察局_2026年部门预算.pdf": ("福州市公安局交通管理支队", 2026, "unit_budget", None, None, None),
    # p1 "西安市卫生健康委员会（汇总）" / "2022年度部门决算"
    "卫生健康委员会_2026年部门预算.pdf": ("西安市卫生健康委员会", 2022, "final_accounts", None, None, "汇总"),
    # p1 "上海市2026年市级单位预算" / "预算单位：上海交通职业技术学院"
    "wide/上海_2026年上海市交通运输局_部门预算.pdf": ("上海交通职业技术学院", 2026, "unit_budget", None, None, None),
    # p1 "上海市2026年市级单位预算" / "预算单位：上海市人民政府办公厅文印中心"
    "wide/上海_2026年上海市政府办公厅_部门预算.pdf":
        ("上海市人民政府办公厅文印中心", 2026, "unit_budget", None, None, None),
    # p1 "北京市人民政府国有资产监督管理委员会 / 2026 部门预算情况的说明" (no 年)
    "wide/北京_2026年北京市人民政府国有资产监督管理委员会部门预算.pdf":
        ("北京市人民政府国有资产监督管理委员会", 2026, "budget", None, None, None),
    # p1 "北京市商务局 2026 年度部门预算信息公开"
    "wide/北京_2026年北京市商务局部门预算.pdf": ("北京市商务局", 2026, "budget", None, None, None),
    # p1 "2026年" / "广州市人民政府办公厅部门预算"
    "wide/广州_2026年广州市人民政府办公厅部门预算.pdf": ("广州市人民政府办公厅", 2026, "budget", None, None, None),
    # p1 "2026年" / "广州市政务服务和数据管理局部门预算"
    "wide/广州_2026年广州市政务服务和数据管理局部门预算.pdf":
        ("广州市政务服务和数据管理局", 2026, "budget", None, None, None),
    # p1 "2026年" / "广州市水务局部门预算"
    "wide/广州_水务局_2026年部门预算.pdf": ("广州市水务局", 2026, "budget", None, None, None),
    # p1 "2026 年度无锡市商务局部门预算公开"; p10 "317 | 无锡市商务局" (部门汇总 row)
    "wide/无锡_商务局_2026年部门预算.pdf": ("无锡市商务局", 2026, "budget", "317", 10, None),
    # p1 "2026 年度无锡市教育局部门预算公开"; p16 "305 | 无锡市教育局"
    "wide/无锡_教育局_2026年部门预算.pdf": ("无锡市教育局", 2026, "budget", "305", 16, None),
    # p1 "杭州市交通运输局" / "2026年度部门预算"
    "wide/杭州_2026年杭州市交通运输局部门预算.pdf": ("杭州市交通运输局", 2026, "budget", None, None, None),
    # p1 "杭州市公安局" / "2026 年度部门预算"
    "wide/杭州_2026年杭州市公安局部门预算.pdf": ("杭州市公安局", 2026, "budget", None, None, None),
    # p1 "2026 年度" / "泉州市人民政府办公室" / "部门预算"; p37 "部门名称 | 泉州市人民政府办公室 |
    # 部门预算编码 | 103" (部门整体支出绩效目标表)
    "wide/泉州_2026年泉州市人民政府办公室部门预算.pdf": ("泉州市人民政府办公室", 2026, "budget", "103", 37, None),
    # p1 "2026 年深圳市人民政府国有资产监督 / 管理委员会部门预算" (split over two lines)
    "wide/深圳_2026年深圳市人民政府国有资产监督管理委员会部门预算.pdf":
        ("深圳市人民政府国有资产监督管理委员会", 2026, "budget", None, None, None),
    # p1 "2026 年深圳市科技创新局（本级）部 / 门预算"
    "wide/深圳_2026年深圳市科技创新局部门预算.pdf": ("深圳市科技创新局", 2026, "budget", None, None, "本级"),
    # p1 "湖州市交通运输局 2026 年部门预算"; p21 "606-湖州市交通运输局 单位：万元"
    "wide/湖州_2026年湖州市交通运输局部门预算.pdf": ("湖州市交通运输局", 2026, "budget", "606", 21, None),
    # p1 "2026年烟台市医疗保障局" / "部门预算"; p31 "主管部门及代码 | 339_烟台市医疗保障局"
    "wide/烟台_2026年烟台市医疗保障局部门预算.pdf": ("烟台市医疗保障局", 2026, "budget", "339", 31, None),
    # p1 "2026年烟台市工业和信息化局部 / 门预算"; p34 "主管部门及代码 | 210_烟台市工业和信息化局"
    "wide/烟台_2026年烟台市工业和信息化局部门预算.pdf":
        ("烟台市工业和信息化局", 2026, "budget", "210", 34, None),
    # p1 "2026 年度" / "福州市民政局(本级)" / "单位预算"
    "wide/福州_2026年福州市民政局部门预算.pdf": ("福州市民政局", 2026, "unit_budget", None, None, "本级"),
    # p1 "2026 年度苏州市数据局部门预算公开"; p8 "068 | 苏州市数据局"
    "wide/苏州_2026年苏州市数据局部门预算.pdf": ("苏州市数据局", 2026, "budget", "068", 8, None),
    # p1 "2026 年度苏州市生态环境局单位预算公开" (its table prints the unit code 120001 only)
    "wide/苏州_生态环境局_2026年部门预算.pdf": ("苏州市生态环境局", 2026, "unit_budget", None, None, None),
    # p1 "西安市财政局（汇总）" / "2026年部门预算公开说明"; p26 "116 | 西安市财政局"
    "wide/西安_2026年西安市财政局部门预算.pdf": ("西安市财政局", 2026, "budget", "116", 26, "汇总"),
    # p1 "西安市交通运输局 2022 年部门综合预算" (not 2026); p30 "222 | 西安市交通运输局"
    "wide/西安_交通运输局_2026年部门预算.pdf": ("西安市交通运输局", 2022, "budget", "222", 30, None),
    # p1 "重庆市商务委员会 2026 年部门预算情况说明": the reader gets "…委员会年部门预算情况说明" + "2026"
    "wide/重庆_2026年重庆市商务委员会部门预算.pdf": ("重庆市商务委员会", 2026, "budget", None, None, None),
    # p1 "中共重庆市委宣传部" / "2026 年部门预算情况说明"
    "wide/重庆_2026年重庆市委宣传部部门预算.pdf": ("中共重庆市委宣传部", 2026, "budget", None, None, None),
    # p1 "长沙市信访局" / "2026 年部门预算公开" (its tables print the unit code 126001 only)
    "wide/长沙_2026年长沙市信访局部门预算.pdf": ("长沙市信访局", 2026, "budget", None, None, None),
}

# the negatives of wide/SOURCES.md: what page 1 is
NOT_DISCLOSURES: dict[str, tuple[str, ...]] = {
    "wide/嘉兴_2026年嘉兴市政府办公厅部门预算.pdf": ("通知", "嘉政办发〔2026〕11号"),
    "wide/宜宾_2026年宜宾市政府办公厅部门预算.pdf": ("通报", "宜府办函〔2026〕24号"),
    "wide/惠州_2026年惠州市政府办公厅部门预算.pdf": ("通知", "惠府办函〔2026〕13号"),
    "wide/泉州_2026年泉州市气象局部门预算.pdf": ("函", "泉气函〔2024〕31号"),
}

# regions of a few, from the name or (a unit without a place in its name) the cover
REGIONS = {
    "2026年昆明市信访局部门预算.pdf": None,  # a central department
    "wide/上海_2026年上海市交通运输局_部门预算.pdf": "上海市",  # p1 "上海市2026年市级单位预算"
    "上海市普陀区商务委员会25年预算.pdf": "上海市普陀区",
    "wide/重庆_2026年重庆市委宣传部部门预算.pdf": "重庆市",
    "wide/福州_2026年福州市民政局部门预算.pdf": "福州市",
}

SCANNED = "市场监督管理局_2026年部门预算.pdf"  # image-only (SOURCES.md): nothing to read without OCR


def _pages(path: Path, numbers: list[int]) -> Document:
    """The layout IR of some pages of a PDF, copied unchanged into a new PDF."""
    src = pdfium.PdfDocument(str(path))
    try:
        out = pdfium.PdfDocument.new()
        out.import_pages(src, [n - 1 for n in numbers])
        buf = io.BytesIO()
        out.save(buf)
    finally:
        src.close()
    return read_pdf(path, buf.getvalue())


def _identity(job: tuple[str, tuple[int, ...]]) -> Identity | str:
    name, numbers = job
    try:
        doc = _pages(REAL / name, list(numbers))
        if name in NOT_DISCLOSURES:
            parse_document(doc)
            return "parsed"
        return read_identity(doc.blocks)
    except InputError as err:
        assert "\n" not in str(err)
        return err.problem


@pytest.fixture(scope="module")
def identities() -> dict[str, Identity | str]:
    if REAL is None:
        pytest.skip("no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS")
    jobs = [(n, (1,) if e[4] is None else (1, e[4])) for n, e in EXPECTED.items()]
    jobs += [(n, (1,)) for n in [*NOT_DISCLOSURES, SCANNED]]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip((n for n, _ in jobs), pool.map(_identity, jobs)))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_identity_of_real_disclosure(identities, name: str) -> None:
    dept, year, kind, code, _page, scope = EXPECTED[name]
    ident = identities[name]
    assert isinstance(ident, Identity), ident
    assert (ident.name, ident.year, ident.kind, ident.code, ident.scope) == (dept, year, kind, code, scope)
    assert ident.aliases[0] == dept or ident.aliases == (f"{dept}（{scope}）", dept)
    if name in REGIONS:
        assert ident.region == REGIONS[name]
    else:
        assert ident.region and dept.removeprefix("中共").startswith(ident.region)


@pytest.mark.parametrize("name", sorted(NOT_DISCLOSURES))
def test_negative_is_named_not_a_disclosure(identities, name: str) -> None:
    problem = identities[name]
    assert isinstance(problem, str) and problem.startswith("not a budget disclosure: ")
    for part in NOT_DISCLOSURES[name]:
        assert part in problem


def test_scan_has_no_text_layer_identity_to_read(identities) -> None:
    # the cover-page reader reads the text layer only; the pipeline OCRs a scan (below)
    assert identities[SCANNED] == "no text layer (scanned or image-only PDF)"


def test_every_non_holdout_file_is_listed() -> None:
    if REAL is None:
        pytest.skip("no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS")
    listed = {*EXPECTED, *NOT_DISCLOSURES, SCANNED}
    present = {p.name for p in REAL.glob("*.pdf")} | {f"wide/{p.name}" for p in WIDE.glob("*.pdf")}
    assert listed <= present
    assert len(present - listed) == 9  # the hold-out files, never read here


# 广州市生态环境局 prints its only title in the top margin of all 140 pages: the reader keeps a
# running head that names a year once, as the title (a test in test_pdf_reader_units pins it),
# so the whole document is identified too.
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_identity_of_whole_documents(name: str) -> None:
    """The same facts from the whole document through the pipeline (the session's shared
    extraction of the real corpus, tests/real_corpus.py)."""
    dept, year, kind, code, _page, scope = EXPECTED[name]
    out = outcomes()[name]
    assert out.disclosure is not None, out.error
    d = out.disclosure
    assert (d.department_name, d.fiscal_year, d.kind, d.department_code, d.department_scope) == (
        dept, year, kind, code, scope)
    assert d.identity_problem() is None


def test_whole_negatives_and_scan() -> None:
    results = outcomes()
    for name, words in NOT_DISCLOSURES.items():
        problem = results[name].error
        assert problem and problem.startswith("not a budget disclosure: ") and all(w in problem for w in words)
    # a scan is read by OCR by default (the test extras install the engine): its title
    scan = results[SCANNED].disclosure
    assert scan is not None, results[SCANNED].error
    assert (scan.department_name, scan.fiscal_year, scan.kind) == ("长沙市市场监督管理局", 2022, "evaluation_report")
