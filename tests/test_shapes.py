"""SHACL: the samples validate with zero violations and exactly their real inconsistencies
as warnings; each shape reports a graph that breaks it with the right focus node and
message; the Oxigraph evaluation of SHACL-SPARQL constraints agrees with pyshacl's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from functools import lru_cache

import pytest
import rdflib
from pyshacl import validate

from converter.mapping.iris import Minter
from converter.pipeline import extract
from converter.validation import validate_nquads
from converter.validation.engine import shapes_graph
from tests.test_mapping_support import ROOT, SAMPLES, all_nquads, converted

BL = "https://w3id.org/budget-lod/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEC = f"^^<{XSD}decimal>"
M = Minter()
SRC000 = M.source(converted("000").sha256)
BUDGET000 = M.budget(M.department("石家庄高新技术产业开发区投资服务局", "石家庄高新技术产业开发区"), 2024)


@lru_cache(maxsize=None)
def sample_result():
    return validate_nquads(all_nquads(), workers=2)


# (document, shape, focus IRI tail, message fragment): each one checked against the source
# text — 0.01 rounding gaps of the printed tables, 001's project budgets above 项目支出
# (carried-over projects listed), two procurement rows whose 数量×单价 ≠ 金额.
EXPECTED_WARNINGS = [
    ("000", "ParentEqualsChildrenShape", "/table/basic/row/20", "303 对个人和家庭的补助 [personnel] = 577.87, but its sub-codes sum to 577.88"),
    ("000", "ParentEqualsChildrenShape", "/table/basic/row/20", "303 对个人和家庭的补助 [total] = 577.87, but its sub-codes sum to 577.88"),
    ("000", "ParentEqualsChildrenShape", "/table/gpb_expenditure/row/14", "20805 行政事业单位养老支出 [basic] = 82.05, but its sub-codes sum to 82.04"),
    ("000", "ParentEqualsChildrenShape", "/table/gpb_expenditure/row/14", "20805 行政事业单位养老支出 [total] = 82.05, but its sub-codes sum to 82.04"),
    ("000", "ParentEqualsChildrenShape", "/table/expenditure/row/14", "20805 行政事业单位养老支出 [basic] = 82.05"),
    ("000", "ParentEqualsChildrenShape", "/table/expenditure/row/14", "20805 行政事业单位养老支出 [total] = 82.05"),
    ("000", "ParentEqualsChildrenShape", "/table/income/row/14", "20805 行政事业单位养老支出 [fiscal] = 82.05"),
    ("000", "ParentEqualsChildrenShape", "/table/income/row/14", "20805 行政事业单位养老支出 [subtotal] = 82.05"),
    ("000", "ParentEqualsChildrenShape", "/table/income/row/14", "20805 行政事业单位养老支出 [total] = 82.05"),
    ("001", "ProjectsSumShape", "", "Σ project budgets of 12 绩效目标表 = 3608.32 ≠ 项目支出 3420.00 (difference 188.32)"),
    ("003", "QuantityTimesPriceShape", "/procurement/6", "办公桌 (2024公用类项目（一）): 数量 4 × 单价 0.04 = 0.16 ≠ 金额 0.14"),
    ("003", "QuantityTimesPriceShape", "/procurement/14", "试验设备"),
    ("003", "RowIdentityShape", "/table/gpb_expenditure/row/2", "206 科学技术支出 [total] = 8093.27, but its columns sum to 8093.28"),
    ("003", "ParentEqualsChildrenShape", "/table/gpb_expenditure/row/2", "206 科学技术支出 [total] = 8093.27, but its sub-codes sum to 8093.28"),
    ("003", "TotalEqualsClassesShape", "/table/gpb_expenditure/row/1", "合计 [basic] = 1238.01, but the classes sum to 1238.02"),
    ("003", "RowIdentityShape", "/table/expenditure/row/2", "206 科学技术支出 [total] = 8093.27"),
    ("003", "ParentEqualsChildrenShape", "/table/expenditure/row/2", "206 科学技术支出 [total] = 8093.27"),
    ("003", "TotalEqualsClassesShape", "/table/expenditure/row/1", "合计 [basic] = 1238.01"),
    ("003", "RowIdentityShape", "/table/income/row/2", "206 科学技术支出 [total] = 8093.27"),
    ("003", "ParentEqualsChildrenShape", "/table/income/row/2", "206 科学技术支出 [total] = 8093.27"),
    ("003", "TotalEqualsClassesShape", "/table/income/row/1", "合计 [fiscal] = 11634.30, but the classes sum to 11634.31"),
    ("003", "TotalEqualsClassesShape", "/table/income/row/1", "合计 [subtotal] = 11634.30, but the classes sum to 11634.31"),
]


def test_samples_validate_with_zero_violations():
    r = sample_result()
    assert r.conforms and r.violations == 0, r.summary
    assert r.graphs == 5


def test_sample_warnings_are_exactly_the_source_inconsistencies():
    r = sample_result()
    warnings = [f for f in r.findings if f.severity == "Warning"]
    assert len(warnings) == len(EXPECTED_WARNINGS), r.summary
    for doc, shape, tail, fragment in EXPECTED_WARNINGS:
        assert any(f.document.startswith(doc) and f.shape.endswith("#" + shape) and f.focus.endswith(tail)
                   and fragment in f.message for f in warnings), (doc, shape, tail, fragment, r.summary)
    # the same inconsistencies the converter's reconciliation reports, document by document
    for sample in SAMPLES:
        fails = [c for c in extract(sample).checks if c.status == "fail"]
        mine = [f for f in warnings if f.document == sample.name]
        assert len(mine) == len(fails), (sample.name, fails, mine)
    # messages name the document, the table and the values
    assert any(f.message.startswith("000_4b57f9589128d5bb.txt: 部门预算收入总表: ") for f in warnings)


# ---- breaking the shapes ------------------------------------------------------------

def _line_sub(text: str, pattern: str, repl: str) -> str:
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    return new


def _drop(text: str, pattern: str) -> str:
    new, n = re.subn(pattern + r"[^\n]*\n", "", text, count=1, flags=re.M)
    assert n == 1, pattern
    return new


ROW = lambda table, row: re.escape(f"<{SRC000}/table/{table}/row/{row}")  # noqa: E731
PROJECT = M.project("13019024P00PX8X10050W")
ALLOC = M.project_allocation(PROJECT, 2024)
DOC39 = M.document("石财外", 2023, 39)
DEPT = M.department("石家庄高新技术产业开发区投资服务局", "石家庄高新技术产业开发区")


@lru_cache(maxsize=None)
def broken_result():
    t = converted("000").nquads
    # amount as a string
    t = _line_sub(t, r"^(" + ROW("basic", "1") + r"/personnel> <" + re.escape(BL) + r"amount> )\"([0-9.]+)\"" + re.escape(DEC),
                  r'\1"\2"')
    # missing project code (on the project, and on the allocation linked to it)
    t = _drop(t, re.escape(f"<{PROJECT}> <{BL}projectCode>"))
    # malformed document number
    t = _line_sub(t, r"^(" + re.escape(f"<{DOC39}> <http://data.europa.eu/eli/ontology#id_local> ") + r')"[^"]+"',
                  r'\1"石财外[2023]39号"')
    # language tag of a department name
    t = _line_sub(t, r"^(" + re.escape(f"<{DEPT}> <http://www.w3.org/2004/02/skos/core#prefLabel> ") + r'"[^"]+")@zh',
                  r"\1@en")
    # parent ≠ sum of children: 2011301 行政运行 (gpb_expenditure row 4) total 814.85 -> 815.85
    t = _line_sub(t, r"^(" + ROW("gpb_expenditure", "4") + r"/total> <" + re.escape(BL) + r'amount> )"814\.85"',
                  r'\1"815.85"')
    # 收入总计 ≠ 支出总计 in 部门预算收支总表 (row 34, expenditure side)
    t = _line_sub(t, r"^(" + ROW("overview", "34-expenditure") + r"/total> <" + re.escape(BL) + r'amount> )"[0-9.]+"',
                  r'\1"14991.7"')
    # quantity × unit price ≠ amount: procurement row 3 (文件柜 7 × 0.08 = 0.56)
    proc3 = f"{BUDGET000}/procurement/3"
    t = _line_sub(t, r"^(" + re.escape(f"<{proc3}> <{BL}quantity> ") + r')"7"', r'\1"8"')
    # 三公 = sum of parts: reception row 7 9.00 -> 10
    t = _line_sub(t, r"^(" + ROW("three_public", "7") + r"/total> <" + re.escape(BL) + r'amount> )"9"', r'\1"10"')
    # 基本支出 ≠ 人员经费 + 公用经费 (summary figures, as the prose states them)
    fig = f"{BUDGET000}/figure/personnel_expenditure/prose"
    t = _line_sub(t, r"^(" + re.escape(f"<{fig}> <{BL}amount> ") + r')"[0-9.]+"', r'\1"1063.55"')
    # Σ project budgets ≠ 项目支出: the 600.00 project -> 601
    t = _line_sub(t, r"^(" + re.escape(f"<{ALLOC}> <{BL}amount> ") + r')"600"', r'\1"601"')
    # a spending-plan share above 100 %
    t = _line_sub(t, r"^(<" + re.escape(ALLOC) + r"/plan/[^>]+> <" + re.escape(BL) + r'percent> )"[0-9.]+"', r'\1"150"')
    # malformed classification code and procurement catalogue code
    t = _line_sub(t, r"^(" + ROW("basic", "3") + r"> <" + re.escape(BL) + r'code> )"30101"', r'\1"3010X"')
    t = _line_sub(t, r"^(" + re.escape(f"<{BUDGET000}/procurement/1> <{BL}code> ") + r')"A02010105"', r'\1"Z-1"')
    # a record without provenance
    t = _drop(t, re.escape(f"<{ALLOC}/indicator/1> <http://www.w3.org/ns/prov#wasDerivedFrom>"))
    # 资产总额 ≠ sum of the asset classes
    t = _line_sub(t, r"^(" + re.escape(f"<{BUDGET000}/fixed-asset/1> <{BL}amount> ") + r')"[0-9.]+"', r'\1"158.62"')
    return validate_nquads(t, workers=1)


BREAKS = [
    ("amount as string", "Violation", f"{SRC000}/table/basic/row/1/personnel", "amount must be one xsd:decimal"),
    ("missing project code", "Violation", PROJECT, "project code must be region"),
    ("allocation without code of its project", "Violation", ALLOC, "missing its project code"),
    ("malformed document number", "Violation", DOC39, "not in canonical form"),
    ("language tag", "Violation", DEPT, "department name must be a @zh literal"),
    ("spending plan > 100 %", "Violation", None, "spending plan share must be 0..100 %"),
    ("classification code pattern", "Violation", f"{SRC000}/table/basic/row/3", "classification code must be"),
    ("procurement catalogue code", "Violation", f"{BUDGET000}/procurement/1", "procurement catalogue code must be"),
    ("provenance", "Violation", f"{ALLOC}/indicator/1", "without its source document"),
    ("parent ≠ sum of children", "Warning", f"{SRC000}/table/gpb_expenditure/row/3",
     "部门预算一般公共预算财政拨款支出表: 20113 商贸事务 [total] = 1823.38, but its sub-codes sum to 1824.38"),
    ("row identity", "Warning", f"{SRC000}/table/gpb_expenditure/row/4", "[total] = 815.85, but its columns sum to 814.85"),
    ("收入总计 = 支出总计", "Warning", f"{SRC000}/table/overview/row/34-expenditure",
     "部门预算收支总表: 收入总计 14991.60 ≠ 支出总计 14991.70"),
    ("quantity × price", "Warning", f"{BUDGET000}/procurement/3", "数量 8 × 单价 0.08 = 0.64 ≠ 金额 0.56"),
    ("三公 = parts", "Warning", f"{SRC000}/table/three_public/row/2", "“三公”经费 157.00 ≠ 因公出国（境） + 公务用车 + 公务接待 = 158.00"),
    ("基本 = 人员 + 公用", "Warning", BUDGET000, "基本支出 1109.97 ≠ 人员经费 1063.55 + 公用经费 46.43"),
    ("Σ projects vs 项目支出", "Warning", BUDGET000, "≠ 项目支出 13881.63"),
    ("project funds", "Warning", ALLOC, "预算数 601.00 ≠ 财政资金 600.00 + 其他资金 0.00"),
    ("fixed assets", "Warning", f"{BUDGET000}/fixed-asset/1", "资产总额 158.62 ≠ sum of asset classes 158.61"),
]


@pytest.mark.parametrize("what,severity,focus,fragment", BREAKS, ids=[b[0] for b in BREAKS])
def test_broken_graph_is_reported(what, severity, focus, fragment):
    r = broken_result()
    hits = [f for f in r.findings if f.severity == severity and fragment in f.message
            and (focus is None or f.focus == focus)]
    assert hits, f"{what}: no {severity} at {focus} with {fragment!r}\n{r.summary}"
    if severity == "Warning":
        assert hits[0].message.startswith("000_4b57f9589128d5bb.txt: ")
    assert not r.conforms


def test_basic_split_compares_figures_of_one_source_only():
    """基本支出 of the all-funds 支出总表 against 人员/公用经费 of the general budget's
    basic table: different fund scopes, which differ wherever a department has other funds
    (重庆市委宣传部 2026: 13236.18 vs 11105.08 + 1794.53). No warning across tables."""
    t = converted("000").nquads
    fig = f"{BUDGET000}/figure/personnel_expenditure/table"
    t = _line_sub(t, r"^(" + re.escape(f"<{fig}> <{BL}amount> ") + r')"[0-9.]+"', r'\1"1000.00"')
    r = validate_nquads(t, workers=1)
    assert not [f for f in r.findings if "基本支出" in f.message and "人员经费" in f.message], r.summary


def test_cross_document_pass_catches_disagreeing_graphs():
    g1 = converted("002").nquads
    doc = M.document("鹿发", 2019, 8)
    other_graph = M.graph("f" * 64)
    extra = (f'<{doc}> <http://data.europa.eu/eli/ontology#id_local> "鹿发〔2019〕9号" <{other_graph}> .\n'
             f'<{doc}> <{BL}serialNumber> "9"^^<{XSD}integer> <{other_graph}> .\n'
             f'<{doc}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}Document> <{other_graph}> .\n')
    r = validate_nquads(g1 + extra, workers=1)
    cross = [f for f in r.findings if f.document == "(cross-document)"]
    assert any(f.focus == doc and f.severity == "Violation" for f in cross), r.summary
    assert any("minted as two resources" not in f.message for f in cross)


# (pyshacl needs ~30 s for the aggregate shapes over all budget lines, so a light subset)
AGREE_SHAPES = ("QuantityTimesPriceShape", "ProcurementFundsShape", "ProjectFundsShape")


def _subset_shapes(names: tuple[str, ...]) -> rdflib.Graph:
    """The named shapes with their constraints and prefix declarations (closure by subject)."""
    full = shapes_graph("document")
    out = rdflib.Graph()
    todo = [rdflib.URIRef("https://w3id.org/budget-lod/shapes#" + n) for n in names]
    todo.append(rdflib.URIRef("https://w3id.org/budget-lod/shapes#prefixes"))
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in full.triples((node, None, None)):
            out.add(t)
            if isinstance(t[2], (rdflib.BNode, rdflib.URIRef)) and t[1] != rdflib.RDF.type and "shapes#" in str(t[2]) or isinstance(t[2], rdflib.BNode):
                todo.append(t[2])
    return out


SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def _triples_of(nquads: str) -> rdflib.Graph:
    """The triples of N-Quads text in one rdflib graph (what pyshacl validates)."""
    data = rdflib.Dataset()
    data.parse(data=nquads, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _both_engines(g: rdflib.Graph, shapes: rdflib.Graph) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(pyshacl's results, ours) on ``g`` as (focus node, source shape, message): pyshacl
    per focus node with $this pre-bound on rdflib, ours once per graph on Oxigraph."""
    import pyoxigraph as ox

    from converter.validation.sparql import constraints_of, evaluate

    _, report, _ = validate(g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    theirs = [(str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)),
               str(report.value(r, SH.resultMessage))) for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)]
    store = ox.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ours = [(h.focus, h.constraint.shape, h.message) for h in evaluate(store, constraints_of(shapes))]
    return theirs, ours


def test_sparql_engine_agrees_with_pyshacl():
    """pyshacl's own (per focus node, pre-bound $this) evaluation of some SHACL-SPARQL
    constraints on a small broken graph gives the same results as ours."""
    keep = ("/procurement/", "/source/", "/project/")
    lines = [l for l in converted("000").nquads.splitlines(keepends=True) if any(k in l.split(" ", 1)[0] for k in keep)]
    t = "".join(lines)
    t = _line_sub(t, r"^(" + re.escape(f"<{BUDGET000}/procurement/3> <{BL}quantity> ") + r')"7"', r'\1"8"')
    t = _line_sub(t, r"^(" + re.escape(f"<{ALLOC}> <{BL}amount> ") + r')"600"', r'\1"601"')
    g = _triples_of(t)
    theirs, ours = map(lambda results: {(focus, shape) for focus, shape, _ in results},
                       _both_engines(g, _subset_shapes(AGREE_SHAPES)))
    assert ours == theirs and len(ours) == 2, (ours, theirs)




def _projects_graph(edit) -> rdflib.Graph:
    """Sample 001's budget (its figures and tables), its project allocations and its source,
    each N-Quads line passed through ``edit(line)`` (None drops it)."""
    keep = re.compile(r"<[^>]*/(budget/[^>]*|project/[^/>]+/[0-9]+|source/[0-9a-f]{64})> ")
    lines = [edit(l) for l in converted("001").nquads.splitlines(keepends=True) if keep.match(l)]
    return _triples_of("".join(l for l in lines if l))


def _first_project_line(predicate: str, replace):
    """An edit applying ``replace`` to the first allocation's ``predicate`` line only."""
    seen: list[str] = []

    def edit(line: str) -> str | None:
        if not seen and re.match(r"<[^>]*/project/[^/>]+/[0-9]+> <" + re.escape(BL + predicate) + "> ", line):
            seen.append(line)
            return replace(line)
        return line
    return edit


def _first_project_stated_in(*layouts: str):
    """An edit giving the first allocation sources of these layouts (source nodes are not
    among the kept lines: each gets its bl:layout here)."""
    def replace(line: str) -> str:
        alloc, graph = line.split(" ", 1)[0], line.rsplit(" ", 2)[-2]
        out = ""
        for k, layout in enumerate(layouts):
            node = f"<{alloc[1:-1]}/source/x{k}>"
            out += f"{alloc} <{BL}statedIn> {node} {graph} .\n{node} <{BL}layout> \"{layout}\" {graph} .\n"
        return line + out
    return _first_project_line("statedIn", replace)


@pytest.mark.parametrize("edit, results", [
    (lambda line: line, 1),  # 001 prints Σ 3608.32 against 项目支出 3420.00
    (_first_project_stated_in("prose"), 0),  # a project in prose alone: the records hold a selection
    (_first_project_stated_in("list", "prose"), 1),  # a table lists it too: the list is still whole
    (_first_project_line("amount", lambda line: None), 0),  # an incomplete list adds up to nothing
    (_first_project_line("currencyUnit", lambda line: re.sub(r'"[^"]*"', '"元"', line, count=1)), 0),  # two units
], ids=["sum differs", "prose alone", "prose and a list", "a project without amount", "two currency units"])
def test_projects_sum_agrees_with_pyshacl(edit, results):
    """Σ project budgets = 项目支出, whose guards (a complete list, in one unit, none from the
    prose) are one subquery per budget: pyshacl (pre-bound $this, rdflib) and our engine on
    Oxigraph give the same results, and each guard silences the check."""
    theirs, ours = map(lambda found: {(focus, shape) for focus, shape, _ in found},
                       _both_engines(_projects_graph(edit), _subset_shapes(("ProjectsSumShape",))))
    assert ours == theirs and len(ours) == results, (ours, theirs)

def _tables_graph(tables: tuple[str, ...], edit) -> rdflib.Graph:
    """Sample 000's first rows (1-9: the total, classes, a few codes) and their cells of
    ``tables`` (+ the tables and the source, for the title and file name), each N-Quads line
    passed through ``edit(line, k)`` (k: its index among the kept lines). pyshacl runs the
    aggregate per focus node on rdflib: a whole table takes it minutes."""
    keep = re.compile(r"<[^>]*/source/[0-9a-f]{64}(/table/(" + "|".join(tables) + r")(/row/[1-9](/[a-z_]+)?)?)?> ")
    lines = [l for l in converted("000").nquads.splitlines(keepends=True) if keep.match(l)]
    return _triples_of("".join(edit(l, k) for k, l in enumerate(lines)))


def _broken_amounts(line: str, k: int) -> str:
    """Every 7th amount one more: row identities (and parent = children sums) that fail."""
    if f"<{BL}amount> " not in line or k % 7:
        return line
    return re.sub(r'"([0-9.]+)"', lambda m: f'"{float(m.group(1)) + 1:.2f}"', line, count=1)


def _fiscal_parts(every: int):
    """The income table's 'fiscal' column cells of every ``every``-th line read as its
    printed parts (一般公共预算 / 政府性基金), on top of the broken amounts: with every line the
    table prints no whole (the subtotal is checked against the parts), else it prints both."""
    def edit(line: str, k: int) -> str:
        if f'<{BL}column> "fiscal" ' in line and k % every == 0:
            line = line.replace('"fiscal"', '"fiscal_general_public_budget"' if k % 2 else '"fiscal_gov_fund"')
        return _broken_amounts(line, k)
    return edit


@pytest.mark.parametrize("tables, edit", [
    (("income", "basic"), _broken_amounts),
    (("income",), _fiscal_parts(1)),
    (("income",), _fiscal_parts(3)),
], ids=["broken amounts", "whole column not printed", "whole and parts printed"])
def test_row_identity_agrees_with_pyshacl(tables, edit):
    """The row identity (its subquery guard, regex key lists and part columns) evaluated once
    per graph on Oxigraph gives pyshacl's results (per focus node, pre-bound $this, rdflib's
    SPARQL engine) on broken tables: the same rows and the same columns, as often."""
    from collections import Counter

    column = lambda message: re.search(r" \[(\w+)\] = ", message).group(1)  # noqa: E731
    theirs, ours = map(lambda found: Counter((focus, column(message)) for focus, _, message in found),
                       _both_engines(_tables_graph(tables, edit), _subset_shapes(("RowIdentityShape",))))
    assert ours == theirs and len(ours) >= 3, (ours, theirs)

@pytest.mark.parametrize("shape", ["ParentEqualsChildrenShape", "TotalEqualsClassesShape"])
def test_table_sums_agree_with_pyshacl(shape):
    """Parent = Σ sub-codes and 合计 = Σ classes, whose sums come first in a subquery that
    projects $this (the names after, for the failing groups only): pyshacl (pre-bound $this,
    rdflib) and our engine on Oxigraph report the same lines, columns and amounts on broken
    tables (rdflib writes a decimal 90.0 where we write money as 90.00)."""
    from collections import Counter

    def key(focus: str, message: str) -> tuple:
        col, rest = re.search(r" \[(\w+)\] = (.*)$", message).groups()
        return focus, col, tuple(Decimal(n) for n in re.findall(r"-?\d+(?:\.\d+)?", rest))

    theirs, ours = map(lambda found: Counter(key(focus, message) for focus, _, message in found),
                       _both_engines(_tables_graph(("income", "basic"), _broken_amounts), _subset_shapes((shape,))))
    assert ours == theirs and len(ours) >= 2, (ours, theirs)


def test_cli_validate_exit_status_and_report(tmp_path):
    good = tmp_path / "good.nq"
    good.write_text(converted("000").nquads, encoding="utf-8")
    report = tmp_path / "report.ttl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = lambda *a: subprocess.run([sys.executable, "-m", "converter.cli", "validate", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=ROOT)
    proc = run(str(good), "-r", str(report), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "0 violation(s), 9 warning(s)" in proc.stdout
    rep = rdflib.Graph().parse(report, format="turtle")
    assert len(set(rep.subjects(rdflib.RDF.type, SH.ValidationResult))) == 9
    bad = tmp_path / "bad.nq"
    bad.write_text(re.sub(r'"([0-9.]+)"\^\^<http://www.w3.org/2001/XMLSchema#decimal>', r'"\1"',
                          converted("002").nquads), encoding="utf-8")
    proc = run(str(bad), "--jobs", "1")
    assert proc.returncode == 1 and "VIOLATION" in proc.stdout


def test_cli_validate_store(tmp_path):
    import pyoxigraph as ox

    store = ox.Store(str(tmp_path / "store"))
    store.load(converted("001").nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.load(b'<http://example.org/vocab> <http://www.w3.org/2000/01/rdf-schema#label> "x" <http://example.org/v> .\n',
               format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "converter.cli", "validate", "--store", str(tmp_path / "store"),
                           "--jobs", "1"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "validated 1 document graph(s)" in proc.stdout and "1 warning(s)" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "converter.cli", "validate", "--store", str(tmp_path / "nothing")],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 1 and proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
