"""Golden records per sample document: every coded row, project, indicator, document
number, procurement row, figure and reconciliation check."""

from __future__ import annotations

import json

import pytest

from tests.helpers import CORPUS, SAMPLES, golden_path, records


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden(sample: str) -> None:
    expected = json.loads(golden_path(sample).read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(records(CORPUS / sample), ensure_ascii=False))
    for key in sorted(set(expected) | set(actual)):
        assert actual.get(key) == expected.get(key), f"{sample}: '{key}' differs from the golden file"


def test_extraction_is_deterministic() -> None:
    a = json.dumps(records(CORPUS / SAMPLES[0]), ensure_ascii=False)
    b = json.dumps(records(CORPUS / SAMPLES[0]), ensure_ascii=False)
    assert a == b
