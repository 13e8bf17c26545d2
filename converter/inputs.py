"""Expanding command-line INPUTs (files or folders) into document paths."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".txt", ".pdf", ".md")


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files as given; folders expanded to their documents, sorted by path so a batch
    is processed in a stable order. Missing paths are kept so the reader can report
    them by name."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out
