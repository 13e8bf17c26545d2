"""Budget lines of real disclosures in the layouts other than the bundled Hebei one,
checked against facts read by hand from the pages (PDF page number as the reader counts
it; amounts as printed):

- Zhejiang, names only, hierarchy shown by indentation (杭州): the code is resolved
  through the national code lists (code_source "name"), or the name kept and flagged;
- Zhejiang with codes (湖州 交通运输局);
- Guangdong, "[201]名称" in one cell (广州) and code | name columns with a unit column (深圳),
  including a 按经济分类 table classified among the function tables;
- 类 | 款 | 项 columns printed once per level (烟台);
- Xi'an: code | name columns in 元, and an economic table beside the function table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.real_corpus import outcome


# (file, page, table key, scheme, code, name, {column: amount}, code resolved from the name)
FACTS = [
    # 表5 一般公共预算支出预算表, PDF p30 (printed 29): names only, indented
    ("杭州_2026年杭州市交通运输局部门预算.pdf", 30, "gpb_expenditure", "function", "2030604", "交通战备",
     {"total": "18.00", "project": "18.00"}, True),
    ("杭州_2026年杭州市交通运输局部门预算.pdf", 30, "gpb_expenditure", "function", "2080505", "机关事业单位基本养老保险缴费支出",
     {"total": "3991.22", "basic": "3991.22", "personnel": "3991.22"}, True),
    ("杭州_2026年杭州市交通运输局部门预算.pdf", 30, "gpb_expenditure", "function", "2140101", "行政运行",
     {"total": "43003.71", "basic": "43003.71", "personnel": "34015.48", "public": "8988.23"}, True),
    # 表6 一般公共预算基本支出预算表, PDF p32
    ("杭州_2026年杭州市交通运输局部门预算.pdf", 32, "basic", "economic", "30101", "基本工资",
     {"total": "10588.60", "personnel": "10588.60"}, True),
    # 杭州市公安局 表5, PDF p26: 公安 > 行政运行 / 执法办案
    ("杭州_2026年杭州市公安局部门预算.pdf", 26, "gpb_expenditure", "function", "2040201", "行政运行",
     {"total": "260448.73", "basic": "260448.73", "personnel": "214442.42", "public": "46006.31"}, True),
    ("杭州_2026年杭州市公安局部门预算.pdf", 26, "gpb_expenditure", "function", "2040220", "执法办案",
     {"total": "3307.07", "project": "3307.07"}, True),
    # 湖州 prints the codes: PDF p30
    ("湖州_2026年湖州市交通运输局部门预算.pdf", 30, "gpb_expenditure", "function", "2030604", "交通战备",
     {"total": "16.50", "project": "16.50"}, False),
    # 广州: "[2010301]行政运行" in one cell, PDF p12; economic "[30101]基本工资", p14
    ("广州_2026年广州市人民政府办公厅部门预算.pdf", 12, "gpb_expenditure", "function", "2010301", "行政运行",
     {"total": "6853.85", "basic": "6853.85", "project": "0.00"}, False),
    ("广州_2026年广州市人民政府办公厅部门预算.pdf", 12, "gpb_expenditure", "function", "2080505", "机关事业单位基本养老保险缴费支出",
     {"total": "822.05", "basic": "822.05", "project": "0.00"}, False),
    ("广州_2026年广州市人民政府办公厅部门预算.pdf", 14, "basic", "economic", "30101", "基本工资",
     {"total": "1525.99"}, False),
    # 深圳: 预算单位 | 科目编码 | 科目名称, PDF p33 (按功能分类) and p36 (按经济分类)
    ("深圳_2026年深圳市科技创新局部门预算.pdf", 33, "gpb_expenditure", "function", "2060101", "行政运行",
     {"basic": "3117.43", "project": "0.00"}, False),
    ("深圳_2026年深圳市科技创新局部门预算.pdf", 36, "gpb_economic", "economic", "30101", "基本工资",
     {"basic": "2090.00", "project": "0.00"}, False),
    # 烟台: 类 | 款 | 项, each printed once (公开表5, PDF p15)
    ("烟台_2026年烟台市医疗保障局部门预算.pdf", 15, "gpb_expenditure", "function", "2080505", "机关事业单位基本养老保险缴费支出",
     {"total": "201.42", "basic": "201.42", "personnel": "201.42"}, False),
    ("烟台_2026年烟台市医疗保障局部门预算.pdf", 15, "gpb_expenditure", "function", "2101103", "公务员医疗补助",
     {"total": "12.28", "basic": "12.28", "personnel": "12.28"}, False),
    # 西安 (元): PDF p29 (按支出功能分类科目) and p31 (按支出经济分类科目, beside 政府经济科目)
    ("西安_2026年西安市财政局部门预算.pdf", 29, "gpb_expenditure", "function", "2010601", "行政运行",
     {"total": "47020229.82", "personnel": "43288157.34", "public": "3732072.48"}, False),
    ("西安_2026年西安市财政局部门预算.pdf", 31, "gpb_economic", "economic", "30101", "基本工资",
     {"total": "14755885.20", "personnel": "14755885.20"}, False),
]
# names printed without a code that the lists cannot place: kept, no code, flagged
UNRESOLVED = [
    ("杭州_2026年杭州市交通运输局部门预算.pdf", 31, "一般行政管理事务", "927.20"),  # under 公路水路运输: 2140102 not listed
    ("杭州_2026年杭州市公安局部门预算.pdf", 26, "事业运行", "2254.47"),  # under 公安: 2040250 not listed
]
FILES = sorted({f[0] for f in FACTS} | {u[0] for u in UNRESOLVED})


@pytest.fixture(scope="module")
def docs():
    """The session's one extraction of the real corpus (tests/real_corpus.py)."""
    found = {f: outcome("wide/" + f) for f in FILES}
    assert all(o.error is None for o in found.values()), {f: o.error for f, o in found.items() if o.error}
    return {f: o.disclosure for f, o in found.items()}


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f[0][:8]}-p{f[1]}-{f[4]}" for f in FACTS])
def test_hand_read_budget_line(docs, fact) -> None:
    fname, page, table, scheme, code, name, amounts, resolved = fact
    lines = [l for l in docs[fname].budget_lines if l.code == code and l.table == table and l.loc.page == page]
    assert lines, [(l.code, l.name, l.loc.page) for l in docs[fname].budget_lines if l.code == code]
    # 西安 prints a departmental economic code once per government economic code beside it
    match = [l for l in lines if all(l.amounts.get(c) == Decimal(v) for c, v in amounts.items())]
    assert len(match) == 1, [(l.name, l.amounts) for l in lines]
    line = match[0]
    assert (line.scheme, line.name) == (scheme, name)
    assert (line.code_source == "name") == resolved


@pytest.mark.parametrize("case", UNRESOLVED, ids=[u[2] for u in UNRESOLVED])
def test_unresolved_name_is_kept_and_flagged(docs, case) -> None:
    fname, page, name, total = case
    d = docs[fname]
    lines = [l for l in d.budget_lines if l.name == name and l.loc.page == page and l.amounts.get("total") == Decimal(total)]
    assert len(lines) == 1 and lines[0].code is None and lines[0].scheme == "function"
    assert any(f.kind == "unresolved-name" and f.raw == name and f.loc.page == page for f in d.flags)


def test_schemes_never_mix(docs) -> None:
    """Economic codes (3xx) never sit in the function scheme, nor function codes (2xx)
    in the economic one, whatever table kind their table was classified as."""
    for fname, d in docs.items():
        for l in d.budget_lines:
            if l.code and l.scheme == "function":
                assert l.code[0] == "2", (fname, l.code, l.name)
            if l.code and l.scheme == "economic":
                assert l.code[0] == "3", (fname, l.code, l.name)


def test_resolved_names_agree_with_the_tables_arithmetic(docs) -> None:
    """Where a name was resolved, the parent = sum of sub-codes checks over resolved codes
    hold up to the source's own 0.01 rounding: a misplaced code would break them."""
    from converter.reconcile import reconcile

    for fname in ("杭州_2026年杭州市交通运输局部门预算.pdf", "杭州_2026年杭州市公安局部门预算.pdf"):
        checks = [c for c in reconcile(docs[fname]) if c.name.endswith(".children")]
        assert len(checks) >= 10
        assert all(abs(c.expected - c.actual) <= Decimal("0.01") for c in checks), \
            [(c.subject, c.expected, c.actual) for c in checks if abs(c.expected - c.actual) > Decimal("0.01")]
