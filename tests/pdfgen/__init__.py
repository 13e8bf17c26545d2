"""Test fixtures: the five text samples rendered as PDFs in three layouts (see ``render``)."""

from __future__ import annotations

from pathlib import Path

from converter.readers.ir import Block
from converter.readers.text import _decode, parse_blocks, read_text
from .render import LAYOUTS, render

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def source_blocks(text_path: Path, layout: str) -> list[Block]:
    """The IR a layout renders: physical fragments (paged) or logical tables (reflow)."""
    data = text_path.read_bytes()
    if LAYOUTS[layout].reflow:
        return read_text(text_path, data).blocks
    return parse_blocks(_decode(text_path, data))


def generate(out_dir: Path, corpus: Path = CORPUS) -> dict[tuple[str, str], Path]:
    """Render every sample in every layout into ``out_dir``; keys are (stem, layout)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made: dict[tuple[str, str], Path] = {}
    for text_path in sorted(corpus.glob("*.txt")):
        for name, layout in LAYOUTS.items():
            pdf = out_dir / f"{text_path.stem}.{name}.pdf"
            render(source_blocks(text_path, name), layout, pdf, title=text_path.stem)
            made[(text_path.stem, name)] = pdf
    return made
