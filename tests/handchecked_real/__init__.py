"""Hand-checked facts of real disclosures (facts.json) and the rules that compare them
with extracted records; shared by tests/test_handchecked_real.py and bench/score_real.py."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

FACTS_FILE = Path(__file__).with_name("facts.json")
CATEGORIES = ("identity", "totals", "function_rows", "projects", "doc_numbers", "units")
from tests.real_corpus import PER_FILE_LIMIT, Outcome, extract_file, real_corpus  # noqa: F401 - shared


def load_facts() -> dict[str, Any]:
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))


# --- normalisation -----------------------------------------------------------------

_PARENS = str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕"})
_SPACE = re.compile(r"\s+")
_LEVEL = re.compile(r"（(?:本级|汇总)）$")


def norm_text(s: str | None) -> str:
    """Whitespace removed, half-width brackets as full-width: how a printed name is compared."""
    return _SPACE.sub("", s or "").translate(_PARENS)


def norm_department(s: str | None) -> str:
    """A department name without the （本级）/（汇总） level marker printed after it."""
    return _LEVEL.sub("", norm_text(s))


# --- checks --------------------------------------------------------------------------


def _money(value: str) -> Decimal:
    return Decimal(value)


def check_fact(fact: dict[str, Any], outcome: Outcome) -> tuple[bool, str]:
    """(right, what the records say) for one fact."""
    if fact["id"] == "not_a_disclosure":
        if outcome.error is not None:
            ok = bool(re.search(r"not a (?:budget )?disclosure", outcome.error, re.IGNORECASE))
            return ok, f"error: {outcome.error}"
        d = outcome.disclosure
        return False, f"extracted as kind={d.kind!r} department={d.department_name!r}"
    if outcome.error is not None:
        return False, f"extract failed: {outcome.error}"
    d = outcome.disclosure
    kind = fact["id"]
    if kind == "department_name":
        names = [d.department_name, *d.department_aliases]
        ok = any(n and norm_department(n) == norm_department(fact["value"]) for n in names)
        return ok, f"department_name={d.department_name!r} aliases={d.department_aliases!r}"
    if kind == "fiscal_year":
        return d.fiscal_year == fact["value"], f"fiscal_year={d.fiscal_year!r}"
    if kind == "kind":
        return d.kind == fact["value"], f"kind={d.kind!r}"
    if kind == "currency_unit":
        return d.currency_unit == fact["value"], f"currency_unit={d.currency_unit!r}"
    if kind == "department_code":
        return d.department_code == fact["value"], f"department_code={d.department_code!r}"
    category = fact["category"]
    if category == "totals":
        got = d.figure(kind)
        if fact["value"] is None:  # the page does not state it: the records must not either
            return got is None, f"{kind}={got}"
        return got is not None and got == _money(fact["value"]), f"{kind}={got}"
    if category == "function_rows":
        return _check_function_row(fact, d)
    if category == "projects":
        return _check_project(fact, d)
    if category == "doc_numbers":
        return _check_doc_number(fact, d)
    if category == "units":
        names = [u.name for u in d.units]
        return any(norm_text(n) == norm_text(fact["name"]) for n in names), f"units: {names}"
    raise ValueError(f"unknown fact {fact['id']!r}")


def _check_function_row(fact: dict[str, Any], d: Any) -> tuple[bool, str]:
    """A row of the named table with the printed code (or, where the template prints
    names only, the printed name) whose 合计 column is the printed amount."""
    want = _money(fact["value"])
    if fact["code"]:
        rows = [l for l in d.budget_lines if l.table == fact["table"] and l.code == fact["code"]]
    else:
        rows = [l for l in d.budget_lines if l.table == fact["table"] and not l.is_total
                and norm_text(l.name) == norm_text(fact["name"])]
    totals = [l.amounts.get("total") for l in rows]
    return any(t is not None and t == want for t in totals), f"rows found: {len(rows)}, 合计: {totals}"


def _project_names(fact: dict[str, Any]) -> set[str]:
    return {norm_text(n) for n in (fact["name"], *fact.get("aliases", ()))}


_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


def _budget_in(p: Any, unit: str, printed: Decimal) -> Decimal | None:
    """A project's budget in the fact's unit, rounded as the fact's value is printed
    where the units differ (one record holds a list's 1,909,136.00 元 and its form's
    190.91 万元); as recorded where a unit is not known."""
    if p.budget is None or p.currency_unit not in _YUAN or unit not in _YUAN or p.currency_unit == unit:
        return p.budget
    places = Decimal(1).scaleb(min(0, printed.as_tuple().exponent))
    return (p.budget * _YUAN[p.currency_unit] / _YUAN[unit]).quantize(places, rounding=ROUND_HALF_UP)


def _check_project(fact: dict[str, Any], d: Any) -> tuple[bool, str]:
    names = _project_names(fact)
    # a record carries every name the document prints for the project (its aliases)
    same_name = [p for p in d.projects if any(norm_text(n) in names for n in (p.name, *p.aliases))]
    want = _money(fact["value"])
    # a fact may also state the 财政拨款 part (read where the list prints it, or its fund parts)
    fiscal = _money(fact["fiscal"]) if "fiscal" in fact else None
    ok = any(_budget_in(p, fact["unit"], want) == want and (fiscal is None or p.fiscal_funds == fiscal)
             for p in same_name)
    # the funding documents the page cites for it must be cited by that project in the records
    recorded = names | {norm_text(p.name) for p in same_name}  # citations name the record by its name
    cited = {r.canonical for r in d.doc_refs if r.project_name and norm_text(r.project_name) in recorded}
    uncited = [n for n in fact.get("doc_numbers", ()) if n not in cited]
    if ok and uncited:
        return False, f"found, but not citing {uncited} (cites {sorted(cited)})"
    if ok:
        return True, "found"
    if same_name:
        return False, f"name found, amounts {[(str(p.budget), str(p.fiscal_funds)) for p in same_name]}"
    return False, f"not among {len(d.projects)} projects"


def _check_doc_number(fact: dict[str, Any], d: Any) -> tuple[bool, str]:
    """The canonical number among the document's references (the project citing it, where
    the fact names one, is reported but not required)."""
    refs = [r for r in d.doc_refs if r.canonical == fact["value"]]
    if not refs:
        return False, f"not among {sorted({r.canonical for r in d.doc_refs})}"
    return True, f"cited by projects {sorted({r.project_name or '' for r in refs})}"


def fact_key(entry: dict[str, Any], fact: dict[str, Any]) -> str:
    return f"{Path(entry['path']).name}::{fact['id']}"
