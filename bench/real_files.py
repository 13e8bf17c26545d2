"""The real PDFs the audit scripts may read, and their page text read apart from our reader.

The hold-out files and the non-disclosures are the ones tests/handchecked_real/facts.json
marks (``holdout``; a ``not_a_disclosure`` fact), so the list is kept in one place."""

from __future__ import annotations

from pathlib import Path


def skipped_paths() -> set[str]:
    """Paths (relative to the real corpus) of the hold-outs and the non-disclosures."""
    from tests.handchecked_real import load_facts

    return {e["path"] for e in load_facts()["files"]
            if e["holdout"] or any(f["id"] == "not_a_disclosure" for f in e["facts"])}


def tuning_files(real: Path) -> list[str]:
    """Every real PDF under ``real`` but the hold-outs and non-disclosures, relative paths."""
    skip = skipped_paths()
    return sorted(str(p.relative_to(real)) for p in real.rglob("*.pdf") if str(p.relative_to(real)) not in skip)


def page_texts(path: Path) -> list[str]:
    """Each page's text by pypdfium2 (independent of the reader's pdfplumber pass)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
