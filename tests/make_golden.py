"""Regenerate golden files: `.venv/bin/python -m tests.make_golden`.

Goldens are reviewed by hand before they are committed (see tests/golden/README.md);
never regenerate them to make a failing test pass without reading the diff."""

from __future__ import annotations

from tests.helpers import CORPUS, SAMPLES, canonical_json, golden_path, records

if __name__ == "__main__":
    for sample in SAMPLES:
        golden_path(sample).write_text(canonical_json(records(CORPUS / sample)), encoding="utf-8")
        print("wrote", golden_path(sample))
