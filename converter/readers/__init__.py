"""Readers turn input files into the layout IR (see ``ir``).

``read_document(path)`` picks the reader by content: PDF magic bytes go to the PDF
reader, UTF-8 text to the text-extraction reader.
"""

from __future__ import annotations

from pathlib import Path

from converter.errors import InputError
from converter.readers.ir import Document


def read_document(path: str | Path) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(str(path), "empty file")
    if data[:5] == b"%PDF-" or data[:1024].lstrip().startswith(b"%PDF-"):
        from converter.readers.pdf import read_pdf

        return read_pdf(p, data)
    from converter.readers.text import read_text

    return read_text(p, data)
