"""PDF form of a synthetic document, rendered by the test-fixture renderer
(tests/pdfgen: reportlab, STSong-Light) in its "paged" layout: every physical page of
the text extraction becomes a PDF page, so broken rows stay broken."""

from __future__ import annotations

from pathlib import Path


def render_pdf(text_path: Path, out: Path) -> Path:
    from converter.readers.text import _decode, parse_blocks
    from tests.pdfgen.render import PAGED, render

    blocks = parse_blocks(_decode(text_path, text_path.read_bytes()))
    return render(blocks, PAGED, out, title=text_path.stem)
