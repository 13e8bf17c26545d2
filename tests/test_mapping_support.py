"""Shared fixtures of the graph tests (test_mapping*, test_shapes*, test_queries*): the
five samples converted once per session. No tests here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


from converter.mapping import ConvertedDocument, merge_nquads
from converter.pipeline import convert_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))
QUERIES = ROOT / "endpoint" / "queries"


@lru_cache(maxsize=None)
def converted(name: str) -> ConvertedDocument:
    """One sample (by file-name prefix, e.g. "000") converted under the default base."""
    path = next(p for p in SAMPLES if p.name.startswith(name))
    return convert_document(path)


@lru_cache(maxsize=None)
def all_nquads() -> str:
    return merge_nquads(converted(p.name[:3]) for p in SAMPLES)
