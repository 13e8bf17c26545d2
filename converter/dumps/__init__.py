"""Bulk releases of the graph: N-Quads/N-Triples/Turtle/JSON-LD dumps, CSV tables for
researchers, VoID/DCAT metadata, SHA256SUMS and a README, published atomically.

``build_release(store_dir, outdir)`` is the entry point (``budgetlod dump``);
the endpoint serves the latest release at ``/dumps/`` (endpoint/dumps.py)."""

from __future__ import annotations

from converter.dumps.config import LICENSE_IRI, LICENSE_NAME
from converter.dumps.release import ReleaseResult, build_release, latest_release

__all__ = ["LICENSE_IRI", "LICENSE_NAME", "ReleaseResult", "build_release", "latest_release"]
