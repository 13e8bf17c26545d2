"""Facts read by hand from the pages of real disclosures of many provinces
(tests/handchecked_real/facts.json, each with its page) against what
``converter.pipeline.extract`` gives for the same PDF.

Each file is extracted once (module-scoped, two worker processes). A fact that today's
parsers do not get right is listed under the file's ``known_gap`` and runs as
``xfail(strict=True)``: when a parser starts getting it right the XPASS fails, and the
entry must be removed from facts.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.handchecked_real import Outcome, check_fact, fact_key, load_facts, real_corpus
from tests.real_corpus import outcomes as real_outcomes

FACTS = load_facts()
REAL = real_corpus()


def _cases() -> list:
    cases = []
    for entry in FACTS["files"]:
        gaps = entry.get("known_gap", {})
        for fact in entry["facts"]:
            marks = [pytest.mark.xfail(strict=True, reason=gaps[fact["id"]])] if fact["id"] in gaps else []
            cases.append(pytest.param(entry["path"], fact, id=fact_key(entry, fact), marks=marks))
    return cases


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    """Every real file extracted once per session (tests/real_corpus.py)."""
    if REAL is None:
        pytest.skip("no real corpus (../shared/corpus-real); set BUDGETLOD_REAL_CORPUS")
    found = real_outcomes()
    missing = [e["path"] for e in FACTS["files"] if e["path"] not in found]
    assert not missing, f"facts.json names files absent from {REAL}: {missing}"
    return found


@pytest.mark.parametrize(("path", "fact"), _cases())
def test_handchecked_fact(outcomes: dict[str, Outcome], path: str, fact: dict) -> None:
    ok, detail = check_fact(fact, outcomes[path])
    assert ok, f"{path} p{fact['page']}: {fact['id']} should be {fact.get('value')!r}; {detail}"


def test_facts_file_is_well_formed() -> None:
    """Every fact has a page and a known category; known gaps name existing facts; the
    nine hold-out files and at least eleven tuning disclosures are covered."""
    seen: set[str] = set()
    for entry in FACTS["files"]:
        assert entry["path"] not in seen
        seen.add(entry["path"])
        ids = [f["id"] for f in entry["facts"]]
        assert len(ids) == len(set(ids)), entry["path"]
        assert set(entry.get("known_gap", {})) <= set(ids), entry["path"]
        for fact in entry["facts"]:
            assert isinstance(fact["page"], int) and fact["page"] >= 1
            assert fact["category"] in {"identity", "totals", "function_rows", "projects", "doc_numbers", "units"}
            if fact["category"] == "totals" and fact["value"] is None:
                assert fact.get("absent"), fact  # a figure the page does not state, with what it prints instead
            elif fact["category"] in {"totals", "function_rows", "projects"}:
                assert isinstance(fact["value"], str) and fact["unit"] in {"元", "万元"}
    holdout = [e for e in FACTS["files"] if e["holdout"]]
    negatives = [e for e in FACTS["files"] if any(f["id"] == "not_a_disclosure" for f in e["facts"])]
    tuning = [e for e in FACTS["files"] if not e["holdout"] and e not in negatives]
    assert len(holdout) == 9 and len(tuning) >= 11 and len(negatives) == 4
    assert all(Path(e["path"]).suffix == ".pdf" for e in FACTS["files"])
