"""Property tests: variants of the samples (reordered sections, reflowed lines, other
document-number styles, numbers split at new places, project tables over three
pages) extract to the same records."""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.parsers.docnumbers import find_docnumbers
from tests import variants
from tests.helpers import CORPUS, records, strip

SAMPLES = ["000_4b57f9589128d5bb.txt", "001_6c0142ec6d7c5849.txt", "003_e89a9a83a083e3d7.txt", "004_d6cd174843341de3.txt"]
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def canon_numbers(obj):
    if isinstance(obj, str):
        out, last = [], 0
        for d in find_docnumbers(obj):
            out.append(obj[last:d.start])
            out.append(d.canonical)
            last = d.end
        out.append(obj[last:])
        return "".join(out)
    if isinstance(obj, dict):
        return {k: canon_numbers(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [canon_numbers(v) for v in obj]
    return obj


def unordered(obj):
    if isinstance(obj, dict):
        return {k: unordered(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return sorted((unordered(v) for v in obj), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return obj


@lru_cache(maxsize=None)
def baseline(sample: str) -> str:
    return json.dumps(strip(records(CORPUS / sample), {"loc", "sourceFile", "sha256", "contentSha256", "repairs", "flags"}), ensure_ascii=False)


def variant_records(tmp: Path, sample: str, text: str) -> dict:
    path = tmp / sample
    path.write_text(text, encoding="utf-8")
    return strip(records(path), {"loc", "sourceFile", "sha256", "contentSha256", "repairs", "flags"})


def source(sample: str) -> str:
    return (CORPUS / sample).read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLES)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_reordered_sections(tmp_path, sample, seed):
    text = variants.reorder_sections(source(sample), random.Random(seed))
    got = variant_records(tmp_path, sample, text)
    assert unordered(got) == unordered(json.loads(baseline(sample)))


@pytest.mark.parametrize("sample", SAMPLES + ["002_7584c7280180b575.txt"])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_reflowed_lines(tmp_path, sample, seed):
    text = variants.reflow(source(sample), random.Random(seed))
    assert variant_records(tmp_path, sample, text) == json.loads(baseline(sample))


@pytest.mark.parametrize("sample", ["000_4b57f9589128d5bb.txt", "001_6c0142ec6d7c5849.txt", "003_e89a9a83a083e3d7.txt"])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_document_number_styles(tmp_path, sample, seed):
    text = variants.docnumber_styles(source(sample), random.Random(seed))
    got = canon_numbers(variant_records(tmp_path, sample, text))
    assert got == canon_numbers(json.loads(baseline(sample)))


@pytest.mark.parametrize("sample", ["000_4b57f9589128d5bb.txt", "003_e89a9a83a083e3d7.txt", "004_d6cd174843341de3.txt"])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_numbers_split_at_new_places(tmp_path, sample, seed):
    text = variants.split_numbers(source(sample), random.Random(seed))
    assert variant_records(tmp_path, sample, text) == json.loads(baseline(sample))


@pytest.mark.parametrize("sample", SAMPLES)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_project_tables_over_three_pages(tmp_path, sample, seed):
    text = variants.split_project_tables(source(sample), random.Random(seed))
    assert text != source(sample)
    assert variant_records(tmp_path, sample, text) == json.loads(baseline(sample))
