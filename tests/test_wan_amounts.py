"""Canned queries answer in 万元 whatever unit a department's tables print (DESIGN.md §4):
a table printed in 元 is converted exactly for the queries, while the graph keeps the
printed figure and its unit. Checked on a sample and the same sample printed in 元."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.pipeline import convert_document
from converter.mapping.build import in_wan
from endpoint.canned import bind, load_canned
from tests.endpoint_support import ROOT

BL = "https://w3id.org/budget-lod/def#"
SAMPLE = sorted((ROOT / "corpus").glob("000_*.txt"))[0]
DEPT = "石家庄高新技术产业开发区投资服务局"  # sample 000, 2024


def _store(path) -> ox.Store:
    store = ox.Store()
    store.load(convert_document(path).nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _rows(store: ox.Store, name: str, **params: str) -> list[dict[str, str | None]]:
    q = bind(load_canned()[name], params)
    res = store.query(q, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    yuan = tmp_path_factory.mktemp("yuan") / "000-yuan.txt"
    yuan.write_text(SAMPLE.read_text(encoding="utf-8").replace("单位：万元", "单位：元"), encoding="utf-8")
    return _store(SAMPLE), _store(yuan)


def test_budget_lines_and_summary_in_wan(stores):
    wan, yuan = stores
    year = "2024"
    origin = {sol["k"].value: sol["o"].value for sol in yuan.query(
        f"SELECT ?k ?o WHERE {{ GRAPH ?g {{ ?f <{BL}figureKey> ?k ; <{BL}origin> ?o ; <{BL}preferredFigure> true }} }}")}
    for name in ("budget-lines", "department-summary"):
        a = _rows(wan, name, department=DEPT, year=year)
        b = _rows(yuan, name, department=DEPT, year=year)
        assert a and len(a) == len(b)
        for ra, rb in zip(a, b):
            for k, v in ra.items():
                if k in ("total", "basic", "project", "personnel", "public", "amount") and v is not None:
                    if name == "department-summary" and origin[ra["key"]] == "prose":
                        assert Decimal(rb[k]) == Decimal(v)  # stated in the prose, in 万元
                    else:
                        assert Decimal(rb[k]) * 10000 == Decimal(v), (name, k, ra, rb)


def test_the_graph_keeps_the_printed_figure_and_its_unit(stores):
    _wan, yuan = stores
    units = {s["u"].value for s in yuan.query(f"SELECT DISTINCT ?u WHERE {{ GRAPH ?g {{ ?t <{BL}currencyUnit> ?u }} }}")}
    assert units == {"元"}
    printed = list(yuan.query(f"SELECT ?a ?w WHERE {{ GRAPH ?g {{ ?c <{BL}column> \"total\" ; <{BL}amount> ?a ; "
                              f"<{BL}line> ?l . ?l <{BL}lineTotal> ?w }} }} LIMIT 5"))
    assert printed and all(Decimal(s["a"].value) == Decimal(s["w"].value) * 10000 for s in printed)


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_conversion_is_exact(value):
    assert in_wan(value, "元") * 10000 == value and in_wan(value, "万元") == value and in_wan(value, None) == value


def test_project_in_wan_in_a_document_printed_in_yuan(tmp_path):
    """Shanghai district budgets: the standard tables print 元, each project's 经费情况说明
    states its total in 万 ("项目总预算1720.00万"): the project's 万元 amount is as printed."""
    from tests.test_regional import NO_SEQ

    doc = tmp_path / "sh.txt"
    doc.write_text("\n".join([
        "# 上海市某区某委员会2025年部门预算", "", NO_SEQ.replace("单位：万元", "单位：元"), "",
        "科技创新专项经费情况说明", "", "一、项目概述", "", "支持科技创新。", "",
        "六、年度预算安排", "", "2025年度项目总预算1720.00万。", ""]), encoding="utf-8")
    store = _store(doc)
    got = [(s["a"].value, s["w"].value) for s in store.query(
        f"SELECT ?a ?w WHERE {{ GRAPH ?g {{ ?p a <{BL}ProjectAllocation> ; <{BL}amount> ?a ; <{BL}amountWan> ?w }} }}")]
    assert [(Decimal(a), Decimal(w)) for a, w in got] == [(Decimal("1720.00"), Decimal("1720.00"))]


def test_a_prose_figure_in_yuan_states_its_unit_and_its_wan(tmp_path):
    """A sentence stating its amount in 元 (广西 templates): the figure keeps the printed
    amount with bl:currencyUnit 元, and department-summary answers it in 万元, exactly."""
    text = SAMPLE.read_text(encoding="utf-8")
    stated = "机关运行经费共计安排46.43万元"
    assert stated in text
    doc = tmp_path / "000-prose-yuan.txt"
    doc.write_text(text.replace(stated, "机关运行经费共计安排464321.5元"), encoding="utf-8")
    store = _store(doc)
    got = [(s["a"].value, s["w"].value, s["u"].value) for s in store.query(
        f"SELECT ?a ?w ?u WHERE {{ GRAPH ?g {{ ?f <{BL}figureKey> \"operating_costs\" ; <{BL}amount> ?a ; "
        f"<{BL}amountWan> ?w ; <{BL}currencyUnit> ?u }} }}")]
    assert [(Decimal(a), Decimal(w), u) for a, w, u in got] == [(Decimal("464321.5"), Decimal("46.43215"), "元")]
    summary = {r["key"]: r["amount"] for r in _rows(store, "department-summary", department=DEPT, year="2024")}
    assert Decimal(summary["operating_costs"]) == Decimal("46.43215")
