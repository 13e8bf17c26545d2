"""部门决算 linked to the year's budget, and the plan-vs-actual canned query, on synthetic
budget / final-accounts pairs whose truth the generator knows (bench/synth/finals.py)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.synth.generator import Synth
from converter.mapping import merge_nquads
from converter.pipeline import convert_document
from converter.pipeline import extract

BL = "https://w3id.org/budget-lod/def#"


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> dict:
    """Two departments' budgets and final accounts of the same years (the generator's
    ``--final-accounts`` pairs), in one store."""
    out = tmp_path_factory.mktemp("pair")
    synth = Synth(seed=11, n=2)
    synth.write(out, final=True)
    truth: dict[str, dict] = {}
    paths: list[Path] = []
    for index in (0, 1):
        budget, final = out / f"{index:05d}.txt", out / f"{index:05d}.final.txt"
        paths += [budget, final]
        fa = json.loads((out / f"{index:05d}.final.truth.json").read_text(encoding="utf-8"))
        plan = {line.code: line.amounts.get("total") for line in extract(budget).disclosure.budget_lines
                if line.table == "expenditure" and line.code}
        truth[fa["departmentName"]] = {
            "year": fa["fiscalYear"], "plan": plan,
            "actual": {line["code"]: Decimal(line["amounts"]["total"]) for line in fa["budgetLines"] if line.get("code")}}
    store = ox.Store()
    store.load(merge_nquads(convert_document(p) for p in paths).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return {"store": store, "truth": truth}


def _query(store: ox.Store, department: str, year: int) -> list[dict]:
    """The canned query bound exactly as the endpoint binds it."""
    from endpoint.canned import bind, load_canned

    q = bind(load_canned()["plan-vs-actual"], {"department": department, "year": str(year)})
    rows = []
    for sol in store.query(q, use_default_graph_as_union=True):
        rows.append({v: (sol[v].value if sol[v] is not None else None) for v in
                     ("scheme", "code", "name", "budget", "actual", "rate")}
                    | {"budget@type": sol["budget"].datatype.value if sol["budget"] is not None else None})
    return rows


def test_final_accounts_are_their_own_statement_linked_to_the_budget(pair):
    store = pair["store"]
    links = list(store.query(f"SELECT ?fa ?plan WHERE {{ ?fa a <{BL}FinalAccounts> ; <{BL}accountsFor> ?plan . "
                             f"?plan a <{BL}Budget> . FILTER NOT EXISTS {{ ?plan a <{BL}FinalAccounts> }} }}",
                             use_default_graph_as_union=True))
    assert len(links) == 2  # both departments: the 决算 links to an existing budget resource
    for sol in links:
        assert sol["fa"].value != sol["plan"].value


def test_plan_vs_actual_matches_the_generating_truth(pair):
    for dept, t in pair["truth"].items():
        rows = _query(pair["store"], dept, t["year"])
        assert {r["code"] for r in rows} == set(t["actual"]), dept
        for r in rows:
            assert r["scheme"] == "function"
            assert Decimal(r["actual"]) == t["actual"][r["code"]]
            plan = t["plan"].get(r["code"])
            assert (Decimal(r["budget"]) if r["budget"] else None) == plan
            assert r["budget@type"] in (None, "http://www.w3.org/2001/XMLSchema#decimal")
            if plan:
                expected = (t["actual"][r["code"]] / plan).quantize(Decimal("0.0001"), ROUND_HALF_UP)
                assert abs(Decimal(r["rate"]) - expected) <= Decimal("0.0001"), (dept, r)
        assert any(r["rate"] and Decimal(r["rate"]) < 1 for r in rows)  # execution differs from plan


def test_plan_vs_actual_answers_nothing_for_another_year(pair):
    dept, t = next(iter(pair["truth"].items()))
    assert _query(pair["store"], dept, t["year"] + 1) == []


def test_plan_vs_actual_on_a_real_final_account():
    """上海市普陀区财政局 2024年度部门决算 (../shared/corpus-real; its budget is not in the
    corpus): the query answers with each function code's actual spending and no budget or
    rate — never an invented one."""
    from converter.mapping import convert_disclosure
    from tests.real_corpus import outcome

    found = outcome("上海市普陀区财政局2024年度部门决算.pdf")
    assert found.error is None and found.disclosure.kind == "final_accounts"
    store = ox.Store()
    store.load(convert_disclosure(found.disclosure).nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    rows = _query(store, found.disclosure.department_name, 2024)
    assert rows and all(r["budget"] is None and r["rate"] is None for r in rows)
    codes = {r["code"]: Decimal(r["actual"]) for r in rows}
    assert "201" in codes and codes["201"] > 0
    lines = {l.code: l.amounts.get("total") for l in found.disclosure.budget_lines
             if l.table == "expenditure" and l.code}
    assert all(codes[c] == v for c, v in lines.items() if v is not None and c in codes)
