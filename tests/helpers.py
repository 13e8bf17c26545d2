"""Shared helpers for tests: record comparison without source locations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from converter.pipeline import extract
from converter.records.jsonify import to_data

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted(p.name for p in CORPUS.glob("*.txt"))

VOLATILE = {"loc", "sourceFile", "sha256", "contentSha256"}  # what names the file, not what it says


def strip(obj: Any, drop: set[str] = VOLATILE) -> Any:
    if isinstance(obj, dict):
        return {k: strip(v, drop) for k, v in obj.items() if k not in drop}
    if isinstance(obj, list):
        return [strip(v, drop) for v in obj]
    return obj


def records(path: Path | str) -> dict:
    """Records + reconciliation of a document as plain JSON data."""
    result = extract(path)
    data = to_data(result.disclosure)
    data["reconciliation"] = to_data(result.checks)
    return data


def golden_path(sample: str) -> Path:
    return GOLDEN / (Path(sample).stem + ".json")


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
