"""Issue 7: synthetic disclosures with known truth. At N = 200 the records extracted
from the generated text equal the generator's truth, and every damaged number the
generator prints is repaired by the tables' arithmetic (no unconfirmed numbers)."""

from __future__ import annotations

import json

import pytest

from bench.synth import Synth, truth_view
from converter.pipeline import extract
from converter.records.jsonify import to_data

N = 200
SEED = 7


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    Synth(SEED, N).write(out)
    return out


def _diff(truth: dict, got: dict) -> str:
    lines = []
    for key in sorted(set(truth) | set(got)):
        a, b = truth.get(key), got.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            ka = {json.dumps(x, ensure_ascii=False, sort_keys=True) for x in a}
            kb = {json.dumps(x, ensure_ascii=False, sort_keys=True) for x in b}
            lines.append(f"{key}: truth-only {sorted(ka - kb)[:2]} extracted-only {sorted(kb - ka)[:2]}")
        else:
            lines.append(f"{key}: truth {a!r} extracted {b!r}")
    return "\n".join(lines)


def test_extraction_equals_truth(corpus):
    failures = []
    repaired = 0
    for i in range(N):
        text = corpus / f"{i:05d}.txt"
        truth = json.loads((corpus / f"{i:05d}.truth.json").read_text(encoding="utf-8"))
        result = extract(text)
        got = truth_view(to_data(result.disclosure))
        diff = _diff(truth, got)
        unconfirmed = [f.message for f in result.disclosure.flags]
        if diff or unconfirmed:
            failures.append(f"{text.name}:\n{diff}\n{unconfirmed[:3]}")
        repaired += len(result.disclosure.repairs)
    assert not failures, f"{len(failures)} of {N} documents differ:\n" + "\n".join(failures[:5])
    assert repaired > N, "the corpus should carry split numbers the converter has to repair"


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    Synth(3, 12).write(a)
    Synth(3, 12).write(b)
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_corpus_shape():
    """Several regions, years and shared funding documents; carried-over projects."""
    synth = Synth(SEED, 60)
    truths = [synth.document(i)[1] for i in range(60)]
    assert len({t["regionCode"] for t in truths}) >= 6
    assert {t["fiscalYear"] for t in truths} == {2023, 2024, 2025}
    recipients: dict[str, set[str]] = {}
    for t in truths:
        for r in t["docRefs"]:
            if r["finance"]:
                recipients.setdefault(r["canonical"], set()).add(t["departmentName"])
    assert max(len(v) for v in recipients.values()) >= 5
    assert any(p["carriedOver"] for t in truths for p in t["projects"])
    for t in truths:
        for p in t["projects"]:
            assert p["code"].startswith(p["regionCode"]) and p["code"][8] == "P"
        for row in t["procurement"]:
            from decimal import Decimal
            assert Decimal(row["quantity"]) * Decimal(row["unitPrice"]) == Decimal(row["amount"])
